//! Group commit: writers append encoded records to a shared pending frame; a leader writes the
//! whole frame with one `pwrite` and makes it durable with one `fdatasync`, then wakes the
//! writers whose records it carried. The cost of a durable write is one fsync shared by every
//! writer that arrived meanwhile, independent of how much data the store holds.
//!
//! Who leads: a writer that finds no flush in flight leads its own frame, so a lone writer pays
//! no thread hand-off. A leader that finishes while the next frame already has waiters hands it
//! to the flusher thread, which keeps flushing back to back for as long as writers keep
//! waiting: under load the next `pwrite` starts right after the previous `fdatasync` returns,
//! with no wake-up in between, and no writer's caller is kept waiting to lead other frames.
//!
//! How waiters wait: each registers its thread under the lock and parks. The leader publishes
//! `durable_seq` and unparks them; a woken writer returns after one atomic load instead of
//! re-taking the journal lock (with 16 writers on 2 cores that convoy cost more than the
//! fsync). An unpark costs several microseconds on a VM, so the leader unparks one writer of a
//! finished frame and queues the rest for it, and does that unpark while the next frame's data
//! is already on its way to the disk.
//!
//! Preallocation: the active segment is grown ahead of the writes with zeros (see
//! [`crate::journal`] for how readers treat a zero tail), so most frames overwrite allocated
//! blocks and their `fdatasync` has no file size or block map to commit.
//!
//! **Invariant:** records reach the file in sequence order, and `durable_seq` only moves forward
//! over records whose frame has been written and synced. After a failed write or sync the tail
//! is truncated back to the last durable frame and every record not yet durable fails (the store
//! then rolls its memory back to `durable_seq`); if even the truncation fails, the journal is
//! poisoned and refuses writes until the store is reopened.
//!
//! **Invariant:** a writer is told its record is durable only if it is: `durable_seq` passes
//! failed records once the journal goes on, so their fate is kept apart ([`crate::failed`]).
//!
//! **Invariant (no lost wake-up):** a registered waiter is unparked when its record becomes
//! durable (directly, or through the wake queue, which is filled before `durable_seq` moves and
//! emptied by every thread that sees its own record durable) or when its record fails (directly).
//! Whenever records with registered waiters are pending and no flush is in flight, the flusher
//! has been unparked since the last flush ended.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::thread::{JoinHandle, Thread};

use crate::durable::sync_dir;
use crate::error::{StoreError, StoreErrorType};
use crate::failed::FailedRanges;
use crate::fault::FaultInjector;
use crate::journal::{segment_name, HEADER_LEN};
use crate::observer::CommitObserver;

mod flush;

#[derive(Debug)]
struct Active {
    /// Shared with the leader, who writes without holding the lock.
    file: Arc<File>,
    path: PathBuf,
    start_seq: u64,
    /// Bytes of complete, durable frames.
    len: u64,
    /// Length of the file: `len` plus zeros written ahead (at least `len`).
    allocated: u64,
}

#[derive(Debug)]
struct Waiter {
    seq: u64,
    thread: Thread,
}

#[derive(Debug)]
struct Inner {
    active: Active,
    /// The frame being filled: `HEADER_LEN` reserved bytes, then record lines.
    pending: Vec<u8>,
    pending_last_seq: u64,
    /// Records in `pending` (for the commit observer).
    pending_records: usize,
    /// A spare buffer swapped in while the leader writes, so appends never wait for I/O.
    spare: Vec<u8>,
    flushing: bool,
    /// Threads parked in `wait_durable`, each with the sequence number it waits for.
    waiters: Vec<Waiter>,
    /// Records whose frame was lost (see [`FailedRanges`] for why `durable_seq` cannot tell).
    failed: FailedRanges,
    failure: Option<(i32, String)>,
    /// Set when records failed and the store has not yet rolled its memory back.
    needs_rollback: bool,
    poisoned: Option<String>,
}

/// How a journal writes: the test fault injector, the commit observer, and how far ahead it
/// may preallocate (the segment is rotated about there).
#[derive(Debug)]
pub(crate) struct JournalSettings {
    pub fault: FaultInjector,
    pub observer: Option<CommitObserver>,
    pub prealloc_limit: u64,
}

/// The append side of the journal. Owns the flusher thread and stops it when dropped.
#[derive(Debug)]
pub(crate) struct JournalWriter {
    shared: Arc<Shared>,
    flusher: Option<JoinHandle<()>>,
}

/// The journal state, shared with the flusher thread.
#[derive(Debug)]
pub(crate) struct Shared {
    dir: PathBuf,
    inner: Mutex<Inner>,
    /// Waiters learn from this atomic that they are durable, without taking the lock again.
    durable_seq: AtomicU64,
    /// The highest failed record, mirrored from `Inner::failed` for the lock-free check.
    failed_max: AtomicU64,
    /// Writers whose records are durable, left by a leader for the first of them to unpark.
    wake_queue: Mutex<Vec<Thread>>,
    wake_queued: AtomicBool,
    active_len: AtomicU64,
    rollback_flag: AtomicBool,
    fault: FaultInjector,
    observer: Option<CommitObserver>,
    /// Never preallocate past this length: the segment is rotated about there.
    prealloc_limit: u64,
    flusher: Thread,
    stop: AtomicBool,
}

impl std::ops::Deref for JournalWriter {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.shared
    }
}

impl Drop for JournalWriter {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        self.shared.flusher.unpark();
        if let Some(handle) = self.flusher.take() {
            let _ = handle.join();
        }
    }
}

impl JournalWriter {
    /// Continue appending to `path` at `len`, its valid length (the file holds nothing but
    /// zeros after it).
    pub(crate) fn open(
        dir: &Path,
        path: PathBuf,
        start_seq: u64,
        len: u64,
        durable_seq: u64,
        settings: JournalSettings,
    ) -> Result<Self, StoreError> {
        let JournalSettings {
            fault,
            observer,
            prealloc_limit,
        } = settings;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, "open the journal", e))?;
        let allocated = file
            .metadata()
            .map_err(|e| StoreError::io(&path, "read the metadata of", e))?
            .len()
            .max(len);
        // The thread exists before the state that names it: it receives the state once built.
        let (tx, rx) = mpsc::channel::<Arc<Shared>>();
        let handle = std::thread::Builder::new()
            .name("store-flusher".into())
            .spawn(move || {
                if let Ok(shared) = rx.recv() {
                    shared.run_flusher();
                }
            })
            .map_err(|e| StoreError::io(dir, "start the journal flusher thread for", e))?;
        let shared = Arc::new(Shared {
            dir: dir.to_path_buf(),
            inner: Mutex::new(Inner {
                active: Active {
                    file: Arc::new(file),
                    path,
                    start_seq,
                    len,
                    allocated,
                },
                pending: vec![0; HEADER_LEN],
                pending_last_seq: 0,
                pending_records: 0,
                spare: Vec::new(),
                flushing: false,
                waiters: Vec::new(),
                failed: FailedRanges::default(),
                failure: None,
                needs_rollback: false,
                poisoned: None,
            }),
            durable_seq: AtomicU64::new(durable_seq),
            failed_max: AtomicU64::new(0),
            wake_queue: Mutex::new(Vec::new()),
            wake_queued: AtomicBool::new(false),
            active_len: AtomicU64::new(len),
            rollback_flag: AtomicBool::new(false),
            fault,
            observer,
            prealloc_limit,
            flusher: handle.thread().clone(),
            stop: AtomicBool::new(false),
        });
        // Cannot fail: the thread is alive and waiting for exactly this.
        let _ = tx.send(Arc::clone(&shared));
        Ok(Self {
            shared,
            flusher: Some(handle),
        })
    }

    /// Create an empty segment whose name says it starts at `start_seq`, durably.
    pub(crate) fn create_segment(
        dir: &Path,
        start_seq: u64,
        fault: &FaultInjector,
    ) -> Result<PathBuf, StoreError> {
        let path = dir.join(segment_name(start_seq));
        // Not `create_new`: a rotation whose directory fsync failed leaves this empty file
        // behind, and the retry must be able to reuse it.
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io(&path, "create a journal segment", e))?;
        let len = file
            .metadata()
            .map_err(|e| StoreError::io(&path, "read the metadata of", e))?
            .len();
        if len != 0 {
            return Err(StoreError::corrupt(
                &path,
                0,
                "a new journal segment already exists with data in it",
            ));
        }
        sync_dir(dir, fault).map_err(|e| StoreError::io(dir, "sync the store folder", e))?;
        Ok(path)
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave the journal half-updated in a way that
        // matters: every field is assigned whole. Keep going rather than poisoning the store.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn durable_seq(&self) -> u64 {
        self.durable_seq.load(Ordering::Acquire)
    }

    /// Bytes in the active segment (for the auto-compaction threshold).
    pub(crate) fn active_len(&self) -> u64 {
        self.active_len.load(Ordering::Relaxed)
    }

    /// Whether some records failed and memory must be rolled back to `durable_seq()`.
    pub(crate) fn needs_rollback(&self) -> bool {
        // Checked on every store lock: an atomic mirror keeps the journal mutex off that path.
        self.rollback_flag.load(Ordering::Acquire) && self.lock().needs_rollback
    }

    pub(crate) fn rollback_done(&self) {
        self.lock().needs_rollback = false;
        self.rollback_flag.store(false, Ordering::Release);
    }

    /// Append an encoded record. Must be called in sequence order (under the store lock).
    /// Fails if an earlier record failed and memory has not been rolled back yet, or if poisoned.
    pub(crate) fn append(&self, seq: u64, line: &[u8]) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if let Some(reason) = &inner.poisoned {
            return Err(StoreError::new(StoreErrorType::Poisoned {
                reason: reason.clone(),
            }));
        }
        if inner.needs_rollback {
            return Err(self.failure_error(&inner));
        }
        inner.pending.extend_from_slice(line);
        inner.pending_last_seq = seq;
        inner.pending_records += 1;
        Ok(())
    }

    fn failure_error(&self, inner: &Inner) -> StoreError {
        match &inner.poisoned {
            Some(reason) => StoreError::new(StoreErrorType::Poisoned {
                reason: reason.clone(),
            }),
            None => {
                let (errno, msg) = inner
                    .failure
                    .clone()
                    .unwrap_or((libc::EIO, "write failed".to_owned()));
                let err = if errno != 0 {
                    io::Error::from_raw_os_error(errno)
                } else {
                    io::Error::other(msg)
                };
                StoreError::io(&inner.active.path, "write the journal", err)
            }
        }
    }

    /// Whether record `seq` is known durable without the lock: at or below `durable_seq` and
    /// above every failed record. `durable_seq` is loaded first: a failure publishes
    /// `failed_max` before any later frame moves `durable_seq` past the failed records.
    fn known_durable(&self, seq: u64) -> bool {
        self.durable_seq() >= seq && seq > self.failed_max.load(Ordering::Acquire)
    }

    /// Block until record `seq` is durable (possibly leading the flush ourselves), or report
    /// that it failed.
    ///
    /// A waiter registers its thread under the lock and parks. It takes the lock again only
    /// when woken and its record is not known durable: it failed, it must lead, the wake-up was
    /// spurious (then it is still registered and parks again), or a failure happened since it
    /// appended (then the failed ranges, read under the lock, tell its record's fate).
    pub(crate) fn wait_durable(&self, seq: u64) -> Result<(), StoreError> {
        if self.known_durable(seq) {
            self.help_wake();
            return Ok(());
        }
        let me = std::thread::current();
        let mut inner = self.lock();
        loop {
            if inner.failed.contains(seq) {
                return Err(self.failure_error(&inner));
            }
            if self.durable_seq() >= seq {
                drop(inner);
                self.help_wake();
                return Ok(());
            }
            if inner.poisoned.is_some() {
                return Err(self.failure_error(&inner));
            }
            if !inner.flushing && inner.pending_last_seq >= seq {
                self.flush(inner, false);
                if self.known_durable(seq) {
                    self.help_wake();
                    return Ok(());
                }
                inner = self.lock();
                continue;
            }
            inner.waiters.push(Waiter {
                seq,
                thread: me.clone(),
            });
            drop(inner);
            inner = loop {
                std::thread::park();
                if self.known_durable(seq) {
                    self.help_wake();
                    return Ok(());
                }
                let inner = self.lock();
                if !inner.waiters.iter().any(|w| w.thread.id() == me.id()) {
                    break inner;
                }
            };
        }
    }

    /// Unpark the writers a leader queued (see `flush`). Called by every thread that finds its
    /// record durable, so a queue is never left behind.
    fn help_wake(&self) {
        if !self.wake_queued.load(Ordering::Acquire) {
            return;
        }
        let threads = {
            let mut queue = self.wake_queue.lock().unwrap_or_else(|p| p.into_inner());
            self.wake_queued.store(false, Ordering::Relaxed);
            std::mem::take(&mut *queue)
        };
        for t in threads {
            t.unpark();
        }
    }

    /// Switch appends to a new segment starting after everything durable so far. Returns the
    /// start sequence number of the new segment; every record below it is in older segments.
    pub(crate) fn rotate(&self) -> Result<u64, StoreError> {
        let mut inner = self.lock();
        // Let the pending frame go out first so the rotation point covers it.
        while inner.flushing || inner.pending.len() > HEADER_LEN {
            if !inner.flushing {
                self.flush(inner, false);
                self.help_wake();
                inner = self.lock();
            } else {
                // Rare (compaction only): poll rather than join the wake-up scheme.
                drop(inner);
                std::thread::sleep(std::time::Duration::from_micros(200));
                inner = self.lock();
            }
        }
        if let Some(reason) = &inner.poisoned {
            return Err(StoreError::new(StoreErrorType::Poisoned {
                reason: reason.clone(),
            }));
        }
        // Hold the lock across the create: appends wait for about one directory fsync.
        let start = self
            .durable_seq()
            .max(inner.pending_last_seq)
            .max(inner.failed.max())
            + 1;
        if inner.active.len == 0 {
            return Ok(inner.active.start_seq);
        }
        let path = JournalWriter::create_segment(&self.dir, start, &self.fault)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, "open the journal", e))?;
        // The old segment keeps its zero tail; compaction deletes it once folded.
        inner.active = Active {
            file: Arc::new(file),
            path,
            start_seq: start,
            len: 0,
            allocated: 0,
        };
        self.active_len.store(0, Ordering::Relaxed);
        Ok(start)
    }
}
