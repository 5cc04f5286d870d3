//! Fault injection for tests: make the Nth write or fsync fail with a chosen errno, on real
//! files. Every write and fsync the store does goes through [`FaultInjector`], so tests can prove
//! that a failed write is reported, nothing is acknowledged, and no file is damaged.

use std::io;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::Arc;

/// Which file operation a fault applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultOp {
    /// `write`/`pwrite` of journal frames and of snapshot/temporary files.
    Write,
    /// `fdatasync`/`fsync` of files and directories.
    Sync,
}

#[derive(Debug, Default)]
struct Plan {
    writes: AtomicU64,
    syncs: AtomicU64,
    /// 1-based index of the write that fails, 0 = never. Writes from then on fail too while
    /// `sticky` is set (a full disk stays full).
    fail_write_at: AtomicU64,
    fail_sync_at: AtomicU64,
    errno: AtomicI32,
    sticky: std::sync::atomic::AtomicBool,
    /// Bytes actually written by a failing write before the error (a short write).
    partial: AtomicU64,
}

/// Injects I/O errors into the store's file operations. Cheap to clone; clones share counters.
/// The default injects nothing and costs one atomic load per operation.
#[derive(Clone, Debug, Default)]
pub struct FaultInjector {
    plan: Arc<Plan>,
}

impl FaultInjector {
    /// An injector that fails nothing until told to.
    pub fn new() -> Self {
        Self::default()
    }

    /// Make the `n`th write from now fail with `errno` (e.g. `libc::ENOSPC`), after first
    /// writing `partial_bytes` of it for real (a short write, as a filling disk does).
    /// With `sticky`, every later write fails too.
    pub fn fail_write(&self, n: u64, errno: i32, partial_bytes: u64, sticky: bool) {
        let p = &self.plan;
        p.errno.store(errno, Ordering::SeqCst);
        p.partial.store(partial_bytes, Ordering::SeqCst);
        p.sticky.store(sticky, Ordering::SeqCst);
        p.fail_write_at
            .store(p.writes.load(Ordering::SeqCst) + n, Ordering::SeqCst);
    }

    /// Make the `n`th fsync from now fail with `errno` (e.g. `libc::EIO`).
    pub fn fail_sync(&self, n: u64, errno: i32, sticky: bool) {
        let p = &self.plan;
        p.errno.store(errno, Ordering::SeqCst);
        p.sticky.store(sticky, Ordering::SeqCst);
        p.fail_sync_at
            .store(p.syncs.load(Ordering::SeqCst) + n, Ordering::SeqCst);
    }

    /// Stop injecting faults.
    pub fn clear(&self) {
        self.plan.fail_write_at.store(0, Ordering::SeqCst);
        self.plan.fail_sync_at.store(0, Ordering::SeqCst);
    }

    /// Number of writes and syncs seen so far.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.plan.writes.load(Ordering::SeqCst),
            self.plan.syncs.load(Ordering::SeqCst),
        )
    }

    fn hit(&self, counter: &AtomicU64, at: &AtomicU64) -> bool {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let at = at.load(Ordering::SeqCst);
        at != 0 && (n == at || (n > at && self.plan.sticky.load(Ordering::SeqCst)))
    }

    fn error(&self) -> io::Error {
        io::Error::from_raw_os_error(self.plan.errno.load(Ordering::SeqCst))
    }

    /// Called before a write of `len` bytes. `Ok(None)`: write normally. `Ok(Some(k))`: write
    /// only the first `k` bytes, then return the error from [`FaultInjector::error_now`].
    pub(crate) fn before_write(&self, len: usize) -> Option<usize> {
        if self.hit(&self.plan.writes, &self.plan.fail_write_at) {
            let partial = self.plan.partial.load(Ordering::SeqCst) as usize;
            Some(partial.min(len))
        } else {
            None
        }
    }

    pub(crate) fn error_now(&self) -> io::Error {
        self.error()
    }

    /// Called before every fsync/fdatasync.
    pub(crate) fn before_sync(&self) -> io::Result<()> {
        if self.hit(&self.plan.syncs, &self.plan.fail_sync_at) {
            Err(self.error())
        } else {
            Ok(())
        }
    }
}
