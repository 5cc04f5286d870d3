//! The data-folder lock: `flock` on `<dir>/LOCK`, holding our pid, so a second process (or a
//! second `Store` in this process) cannot write the same files. The kernel drops the lock when
//! the process dies, so a crash never leaves a stale lock behind.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use crate::error::{StoreError, StoreErrorType};

pub(crate) const LOCK_FILE: &str = "LOCK";

/// Held for the life of the store; dropping it releases the lock and closes the fd.
#[derive(Debug)]
pub(crate) struct DirLock {
    file: File,
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Unlock explicitly before the fd closes: an flock belongs to the open file, and a
        // process forked by another thread while the store was open (a test's child, the
        // host's yt-dlp) holds a copy of the fd until it execs. Closing ours alone would leave
        // the folder locked by that copy for a moment, and the next open here (a restart in
        // place, a test reopening) would be refused as "in use by" this very process.
        // SAFETY: flock on a valid, owned fd; no memory is shared with the kernel.
        unsafe {
            libc::flock(self.file.as_raw_fd(), libc::LOCK_UN);
        }
    }
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
        Ok(Self { file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_the_lock_frees_the_folder_while_a_forked_process_holds_a_copy_of_its_fd() {
        let dir = tempfile::tempdir().unwrap();
        let lock = DirLock::acquire(dir.path()).unwrap();
        // A process forked while the lock is held keeps a copy of its fd (as a spawned
        // program does until it execs); this one keeps it for two seconds.
        // SAFETY: the child only sleeps and exits, both async-signal-safe.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            unsafe {
                libc::sleep(2);
                libc::_exit(0);
            }
        }
        assert!(pid > 0, "fork failed");
        drop(lock);
        let again = DirLock::acquire(dir.path());
        // SAFETY: our own child.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
            let mut status = 0;
            libc::waitpid(pid, &mut status, 0);
        }
        assert!(again.is_ok(), "{again:?}");
    }
}
