//! A hook that sees every group commit: how many writes it carried and how long making them
//! durable took (the JSON store's `pwrite` + `fdatasync`, PostgreSQL's batch transaction). The
//! host feeds its metrics from it; the store itself keeps no statistics.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::handle::BackendKind;

/// One durable group commit.
#[derive(Debug, Clone, Copy)]
pub struct CommitBatch {
    /// Which backend committed.
    pub backend: BackendKind,
    /// Writes (journal records, or transactions) made durable together.
    pub writes: usize,
    /// From the start of the write to the end of the sync (or the `COMMIT`).
    pub duration: Duration,
}

/// Called by the committing thread after each successful group commit; keep it cheap (it
/// delays the writers of the next batch) and never block in it.
#[derive(Clone)]
pub struct CommitObserver(Arc<dyn Fn(&CommitBatch) + Send + Sync>);

impl CommitObserver {
    /// Wrap a callback.
    pub fn new(f: impl Fn(&CommitBatch) + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    pub(crate) fn observe(&self, batch: &CommitBatch) {
        // A panicking observer must not take the committer down with it.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.0)(batch)));
    }
}

impl fmt::Debug for CommitObserver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CommitObserver")
    }
}
