//! The leader's side of group commit: the flusher thread, writing and syncing a frame (with
//! the preallocation ahead of it), waking the writers it carried, and failing them when the
//! write or the sync fails (cutting the file back to its last durable frame).

use std::fs::File;
use std::io;
use std::sync::atomic::Ordering;
use std::sync::{Arc, MutexGuard};
use std::thread::Thread;
use std::time::Instant;

use super::{Inner, Shared};
use crate::durable::{sync_data, write_all_at};
use crate::handle::BackendKind;
use crate::journal::{seal_frame, HEADER_LEN};
use crate::observer::CommitBatch;

/// The active segment grows by its own length (so a small store keeps small files), at least
/// this much and at most [`MAX_GROW`], rounded up to whole pages.
const MIN_GROW: u64 = 16 << 10;
const MAX_GROW: u64 = 1 << 20;
const PAGE: u64 = 4096;

impl Shared {
    /// The flusher thread: flush whenever a leader hands over a frame that has waiters.
    pub(super) fn run_flusher(&self) {
        loop {
            // Look before parking: an unpark is only a hint that something changed, and one
            // can be absorbed while this thread still waits in `open`'s channel.
            if self.stop.load(Ordering::Acquire) {
                return;
            }
            let inner = self.lock();
            if !inner.flushing && inner.pending.len() > HEADER_LEN {
                self.flush(inner, true);
            } else {
                drop(inner);
            }
            std::thread::park();
        }
    }

    /// Leader: write and sync the pending frame, then wake its writers. The flusher thread
    /// (`flusher`) goes on with the next frame while that has waiters; a writer leading its own
    /// frame hands such a frame to the flusher instead. Takes the lock and returns without it.
    pub(super) fn flush<'a>(&'a self, mut inner: MutexGuard<'a, Inner>, flusher: bool) {
        // A writer of the previous frame, to unpark while this frame is being written.
        let mut wake: Option<Thread> = None;
        loop {
            let mut frame = std::mem::take(&mut inner.spare);
            frame.clear();
            frame.resize(HEADER_LEN, 0);
            std::mem::swap(&mut frame, &mut inner.pending);
            let last_seq = inner.pending_last_seq;
            let records = std::mem::take(&mut inner.pending_records);
            let offset = inner.active.len;
            let allocated = inner.active.allocated;
            let file = Arc::clone(&inner.active.file);
            inner.flushing = true;
            drop(inner);

            seal_frame(&mut frame);
            let started = self.observer.as_ref().map(|_| Instant::now());
            let (result, allocated) = self.write_frame(&file, &frame, offset, allocated, &mut wake);
            if let (Some(observer), Some(started), Ok(())) = (&self.observer, started, &result) {
                observer.observe(&CommitBatch {
                    backend: BackendKind::Json,
                    writes: records,
                    duration: started.elapsed(),
                });
            }
            if let Some(t) = wake.take() {
                // Only when the frame write failed before the unpark.
                t.unpark();
            }

            inner = self.lock();
            inner.flushing = false;
            inner.active.allocated = allocated;
            let written = frame.len() as u64;
            inner.spare = frame;
            if let Err(e) = result {
                self.fail(&mut inner, last_seq, &e, Some((&*file, offset)));
                // Every waiter's record failed: wake them all to collect the error.
                let all = std::mem::take(&mut inner.waiters);
                drop(inner);
                for w in all {
                    w.thread.unpark();
                }
                return;
            }
            inner.active.len = offset + written;
            self.active_len.store(inner.active.len, Ordering::Relaxed);
            let mut done = Vec::new();
            inner.waiters.retain(|w| {
                let is_done = w.seq <= last_seq;
                if is_done {
                    done.push(w.thread.clone());
                }
                !is_done
            });
            // Wake one and let it wake the rest; queued before `durable_seq` moves, so
            // whoever sees it move finds them.
            wake = done.pop();
            if !done.is_empty() {
                let mut queue = self.wake_queue.lock().unwrap_or_else(|p| p.into_inner());
                queue.append(&mut done);
                self.wake_queued.store(true, Ordering::Release);
            }
            self.durable_seq.store(last_seq, Ordering::Release);
            // The waiters left are all on the pending frame: nothing is in flight now.
            let next_has_waiters = !inner.waiters.is_empty();
            if flusher && next_has_waiters {
                continue;
            }
            drop(inner);
            if next_has_waiters {
                // First: the next fsync waits for it.
                self.flusher.unpark();
            }
            if let Some(t) = wake {
                t.unpark();
            }
            return;
        }
    }

    /// Write `frame` at `offset` and make it durable. A frame that runs past the preallocated
    /// space is followed by zeros that grow the file (synced with it). Unparks `wake` (taking
    /// it) once the frame's data is on its way to the disk. Returns the result and the new
    /// allocated length.
    fn write_frame(
        &self,
        file: &File,
        frame: &[u8],
        offset: u64,
        allocated: u64,
        wake: &mut Option<Thread>,
    ) -> (io::Result<()>, u64) {
        if let Err(e) = write_all_at(file, frame, offset, &self.fault) {
            return (Err(e), allocated);
        }
        let end = offset + frame.len() as u64;
        let mut allocated = allocated;
        if end > allocated {
            allocated = end;
            let target = (end + offset.clamp(MIN_GROW, MAX_GROW))
                .min(self.prealloc_limit)
                .next_multiple_of(PAGE);
            if target > end {
                let zeros = vec![0u8; (target - end) as usize];
                // Best effort: without the zeros the frame is still written, only each later
                // fsync costs a little more.
                match write_all_at(file, &zeros, end, &self.fault) {
                    Ok(()) => allocated = target,
                    Err(e) => {
                        tracing::warn!(store = %self.dir.display(), error = %e, "could not preallocate journal space; writes go on, each fsync a little slower");
                    }
                }
            }
        }
        if let Some(t) = wake.take() {
            start_writeback(file, offset);
            t.unpark();
        }
        (sync_data(file, &self.fault), allocated)
    }

    /// Fail every record not yet durable, and cut the file back to its last durable frame so
    /// later frames are not appended after garbage.
    pub(super) fn fail(
        &self,
        inner: &mut Inner,
        last_seq: u64,
        err: &io::Error,
        file: Option<(&File, u64)>,
    ) {
        tracing::error!(journal = %inner.active.path.display(), error = %err, "journal write failed; the writes in flight are reported as failed");
        let upto = inner.pending_last_seq.max(last_seq);
        inner.failed.add(self.durable_seq(), upto);
        self.failed_max.store(inner.failed.max(), Ordering::Release);
        inner.pending.truncate(HEADER_LEN);
        inner.pending_records = 0;
        inner.failure = Some((err.raw_os_error().unwrap_or(0), err.to_string()));
        inner.needs_rollback = true;
        self.rollback_flag.store(true, Ordering::Release);
        if let Some((file, len)) = file {
            // Preallocated space goes too; the next frame grows the file again.
            let cut = file
                .set_len(len)
                .and_then(|()| sync_data(file, &self.fault));
            match cut {
                Ok(()) => inner.active.allocated = len,
                Err(e) => {
                    inner.poisoned = Some(format!(
                        "{} failed ({err}) and could not be truncated back ({e})",
                        inner.active.path.display()
                    ));
                }
            }
        }
    }
}

/// Start writing the range from `offset` back to disk without waiting (the `fdatasync` that
/// follows waits for it and makes it durable), so what the leader does meanwhile overlaps with
/// the device's work. Only a head start: errors are left for the `fdatasync` to report.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, offset: u64) {
    use std::os::fd::AsRawFd;
    let Ok(offset) = i64::try_from(offset) else {
        return;
    };
    // SAFETY: a valid open descriptor; the call reads no memory of ours.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, 0, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _offset: u64) {}
