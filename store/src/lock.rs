//! The data-folder lock: `flock` on `<dir>/LOCK`, holding our pid, so a second process (or a
//! second `Store` in this process) cannot write the same files. The kernel drops the lock when
//! the process dies, so a crash never leaves a stale lock behind.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use crate::error::{StoreError, StoreErrorType};

pub(crate) const LOCK_FILE: &str = "LOCK";

/// Held for the life of the store; dropping it closes the fd and releases the lock.
#[derive(Debug)]
pub(crate) struct DirLock {
    _file: File,
}

impl DirLock {
    pub(crate) fn acquire(dir: &Path) -> Result<Self, StoreError> {
        let path: PathBuf = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io(&path, "open the lock file", e))?;
        // SAFETY: flock on a valid, owned fd; no memory is shared with the kernel.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let pid = text.trim().parse::<u32>().ok();
                return Err(StoreError::new(StoreErrorType::Locked {
                    dir: dir.to_path_buf(),
                    pid,
                }));
            }
            return Err(StoreError::io(&path, "lock", err));
        }
        // The pid is only informational (for the error above): no fsync needed.
        let written = file
            .set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(file, "{}", std::process::id()));
        if let Err(e) = written {
            return Err(StoreError::io(&path, "write the lock file", e));
        }
        Ok(Self { _file: file })
    }
}
