//! The one place that writes bytes to disk durably: journal appends, fsyncs, and whole-file
//! replacement (temp file, fsync, rename, directory fsync). Every operation goes through the
//! [`FaultInjector`] so tests can fail any of them.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::fault::FaultInjector;

/// Suffix of temporary files; anything `.*.tmp` left in the store folder after a crash is
/// deleted at open.
pub(crate) const TEMP_SUFFIX: &str = ".tmp";

/// Replace `path` with `bytes` durably: write a temporary file next to it, fsync it, rename it
/// over `path`, fsync the directory. A crash at any point leaves either the old file or the new
/// one, never a truncated or empty file. The temporary file is removed on failure.
///
/// # Errors
/// Any I/O error of those steps; `path` is then unchanged.
pub fn write_file_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_file_durably_with(path, bytes, &FaultInjector::default())
}

pub(crate) fn write_file_durably_with(
    path: &Path,
    bytes: &[u8],
    fault: &FaultInjector,
) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}.{}{TEMP_SUFFIX}",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        write_all_at(&file, bytes, 0, fault)?;
        sync_file(&file, fault)?;
        drop(file);
        fs::rename(&tmp, path)?;
        sync_dir(&dir, fault)
    })();
    if result.is_err() {
        // Best effort: a leftover would be removed at the next open anyway.
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `pwrite` all of `bytes` at `offset`, honouring injected faults (which may write a prefix first).
pub(crate) fn write_all_at(
    file: &File,
    bytes: &[u8],
    offset: u64,
    fault: &FaultInjector,
) -> io::Result<()> {
    if let Some(partial) = fault.before_write(bytes.len()) {
        file.write_all_at(&bytes[..partial], offset)?;
        return Err(fault.error_now());
    }
    file.write_all_at(bytes, offset)
}

/// `fdatasync`: data plus the metadata needed to read it back (the file size).
pub(crate) fn sync_data(file: &File, fault: &FaultInjector) -> io::Result<()> {
    fault.before_sync()?;
    file.sync_data()
}

/// `fsync` of a whole file.
pub(crate) fn sync_file(file: &File, fault: &FaultInjector) -> io::Result<()> {
    fault.before_sync()?;
    file.sync_all()
}

/// `fsync` of a directory, so a create, rename or unlink in it survives a crash.
pub(crate) fn sync_dir(dir: &Path, fault: &FaultInjector) -> io::Result<()> {
    fault.before_sync()?;
    File::open(dir)?.sync_all()
}

/// Remove leftover temporary files (from a crash during a durable write). Returns their names.
pub(crate) fn remove_temp_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut removed = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(TEMP_SUFFIX) && entry.file_type()?.is_file() {
            fs::remove_file(entry.path())?;
            tracing::info!(file = %entry.path().display(), "removed a temporary file left by an interrupted write");
            removed.push(name);
        }
    }
    Ok(removed)
}
