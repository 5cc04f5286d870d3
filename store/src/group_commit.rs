//! Group commit: writers append encoded records to a shared pending frame; whoever finds no
//! flush in progress becomes the leader, writes the whole frame with one `pwrite` and makes it
//! durable with one `fdatasync`, then wakes everyone. The cost of a durable write is one fsync
//! shared by every writer that arrived meanwhile, independent of how much data the store holds.
//!
//! **Invariant:** records reach the file in sequence order, and `durable_seq` only moves forward
//! over records whose frame has been written and synced. After a failed write or sync the tail
//! is truncated back to the last durable frame and every record not yet durable fails (the store
//! then rolls its memory back to `durable_seq`); if even the truncation fails, the journal is
//! poisoned and refuses writes until the store is reopened.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crate::durable::{sync_data, sync_dir, write_all_at};
use crate::error::{StoreError, StoreErrorType};
use crate::fault::FaultInjector;
use crate::journal::{seal_frame, segment_name, HEADER_LEN};

#[derive(Debug)]
struct Active {
    /// Shared with the leader, who writes without holding the lock.
    file: Arc<File>,
    path: PathBuf,
    start_seq: u64,
    /// Bytes of complete, durable frames.
    len: u64,
}

#[derive(Debug)]
struct Inner {
    active: Active,
    /// The frame being filled: `HEADER_LEN` reserved bytes, then record lines.
    pending: Vec<u8>,
    pending_last_seq: u64,
    /// A spare buffer swapped in while the leader writes, so appends never wait for I/O.
    spare: Vec<u8>,
    flushing: bool,
    /// Number of the batch being filled; the one in flight (if any) is `filling - 1`.
    filling: u64,
    /// Last sequence number of the batch in flight.
    inflight_last_seq: u64,
    /// Records with seq <= this failed (their frame was lost); later ones are unaffected.
    failed_upto: u64,
    failure: Option<(i32, String)>,
    /// Set when records failed and the store has not yet rolled its memory back.
    needs_rollback: bool,
    poisoned: Option<String>,
}

/// The append side of the journal.
#[derive(Debug)]
pub(crate) struct JournalWriter {
    dir: PathBuf,
    inner: Mutex<Inner>,
    /// Waiters sleep on the condvar of their batch's parity, so finishing one batch wakes
    /// only its own writers (plus one writer of the next batch to lead it), not all of them:
    /// with 16 writers on 2 cores a thundering herd costs more than the fsync.
    conds: [Condvar; 2],
    durable_seq: AtomicU64,
    active_len: AtomicU64,
    rollback_flag: std::sync::atomic::AtomicBool,
    fault: FaultInjector,
}

impl JournalWriter {
    /// Continue appending to `path` (already truncated to its valid length `len`).
    pub(crate) fn open(
        dir: &Path,
        path: PathBuf,
        start_seq: u64,
        len: u64,
        durable_seq: u64,
        fault: FaultInjector,
    ) -> Result<Self, StoreError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, "open the journal", e))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            inner: Mutex::new(Inner {
                active: Active {
                    file: Arc::new(file),
                    path,
                    start_seq,
                    len,
                },
                pending: vec![0; HEADER_LEN],
                pending_last_seq: 0,
                spare: Vec::new(),
                flushing: false,
                filling: 0,
                inflight_last_seq: 0,
                failed_upto: 0,
                failure: None,
                needs_rollback: false,
                poisoned: None,
            }),
            conds: [Condvar::new(), Condvar::new()],
            durable_seq: AtomicU64::new(durable_seq),
            active_len: AtomicU64::new(len),
            rollback_flag: std::sync::atomic::AtomicBool::new(false),
            fault,
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
                    std::io::Error::from_raw_os_error(errno)
                } else {
                    std::io::Error::other(msg)
                };
                StoreError::io(&inner.active.path, "write the journal", err)
            }
        }
    }

    /// Block until record `seq` is durable (possibly leading the flush ourselves).
    pub(crate) fn wait_durable(&self, seq: u64) -> Result<(), StoreError> {
        let mut inner = self.lock();
        loop {
            if self.durable_seq() >= seq {
                return Ok(());
            }
            if seq <= inner.failed_upto || inner.poisoned.is_some() {
                return Err(self.failure_error(&inner));
            }
            if !inner.flushing && inner.pending_last_seq >= seq {
                inner = self.flush(inner);
                continue;
            }
            let batch = if inner.flushing && seq <= inner.inflight_last_seq {
                inner.filling - 1
            } else {
                inner.filling
            };
            let cond = &self.conds[(batch % 2) as usize];
            inner = cond.wait(inner).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Leader: write and sync the pending frame. Takes and returns the lock.
    fn flush<'a>(&'a self, mut inner: MutexGuard<'a, Inner>) -> MutexGuard<'a, Inner> {
        let mut frame = std::mem::take(&mut inner.spare);
        frame.clear();
        frame.resize(HEADER_LEN, 0);
        std::mem::swap(&mut frame, &mut inner.pending);
        let last_seq = inner.pending_last_seq;
        let offset = inner.active.len;
        let file = Arc::clone(&inner.active.file);
        inner.flushing = true;
        inner.inflight_last_seq = last_seq;
        let batch = inner.filling;
        inner.filling += 1;
        drop(inner);

        seal_frame(&mut frame);
        let result = write_all_at(&file, &frame, offset, &self.fault)
            .and_then(|()| sync_data(&file, &self.fault));

        let mut inner = self.lock();
        inner.flushing = false;
        match result {
            Ok(()) => {
                inner.active.len = offset + frame.len() as u64;
                self.active_len.store(inner.active.len, Ordering::Relaxed);
                self.durable_seq.store(last_seq, Ordering::Release);
            }
            Err(e) => self.fail(&mut inner, last_seq, &e, Some((&*file, offset))),
        }
        inner.spare = frame;
        if inner.needs_rollback || inner.poisoned.is_some() {
            self.conds.iter().for_each(Condvar::notify_all);
        } else {
            self.conds[(batch % 2) as usize].notify_all();
            if inner.pending.len() > HEADER_LEN {
                // Hand leadership of the next batch to one of its writers.
                self.conds[((batch + 1) % 2) as usize].notify_one();
            }
        }
        inner
    }

    /// Fail every record not yet durable, and cut the file back to its last durable frame so
    /// later frames are not appended after garbage.
    fn fail(
        &self,
        inner: &mut Inner,
        last_seq: u64,
        err: &std::io::Error,
        file: Option<(&File, u64)>,
    ) {
        tracing::error!(journal = %inner.active.path.display(), error = %err, "journal write failed; the writes in flight are reported as failed");
        inner.failed_upto = inner.pending_last_seq.max(last_seq);
        inner.pending.truncate(HEADER_LEN);
        inner.failure = Some((err.raw_os_error().unwrap_or(0), err.to_string()));
        inner.needs_rollback = true;
        self.rollback_flag.store(true, Ordering::Release);
        if let Some((file, len)) = file {
            let cut = file
                .set_len(len)
                .and_then(|()| sync_data(file, &self.fault));
            if let Err(e) = cut {
                inner.poisoned = Some(format!(
                    "{} failed ({err}) and could not be truncated back ({e})",
                    inner.active.path.display()
                ));
            }
        }
    }

    /// Switch appends to a new segment starting after everything durable so far. Returns the
    /// start sequence number of the new segment; every record below it is in older segments.
    pub(crate) fn rotate(&self) -> Result<u64, StoreError> {
        let mut inner = self.lock();
        // Let the pending frame go out first so the rotation point covers it.
        while inner.flushing || inner.pending.len() > HEADER_LEN {
            if !inner.flushing {
                inner = self.flush(inner);
            } else {
                // Rare (compaction only): poll rather than join the batch wake-up scheme.
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
            .max(inner.failed_upto)
            + 1;
        if inner.active.len == 0 {
            return Ok(inner.active.start_seq);
        }
        let path = Self::create_segment(&self.dir, start, &self.fault)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, "open the journal", e))?;
        inner.active = Active {
            file: Arc::new(file),
            path,
            start_seq: start,
            len: 0,
        };
        self.active_len.store(0, Ordering::Relaxed);
        Ok(start)
    }
}
