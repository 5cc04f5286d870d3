//! Store series: every group commit's duration and size, from the store's
//! [`CommitObserver`] (called on the committing thread after each durable batch).

use arsenal_store::{BackendKind, CommitBatch, CommitObserver};

use super::metrics;

/// The observer to open the store with.
#[must_use]
pub fn commit_observer() -> CommitObserver {
    CommitObserver::new(observe)
}

fn observe(batch: &CommitBatch) {
    let Some(metrics) = metrics() else { return };
    let backend = match batch.backend {
        BackendKind::Json => "json",
        BackendKind::Postgres => "postgres",
        _ => "other",
    };
    if let Ok(h) = metrics
        .store_commit_latency
        .get_metric_with_label_values(&[backend])
    {
        h.observe(batch.duration.as_secs_f64());
    }
    if let Ok(h) = metrics
        .store_commit_writes
        .get_metric_with_label_values(&[backend])
    {
        #[allow(clippy::cast_precision_loss)] // a batch is at most a few thousand writes
        h.observe(batch.writes as f64);
    }
}
