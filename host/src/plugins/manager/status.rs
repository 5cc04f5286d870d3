//! What status commands show about each module.

use std::{
    sync::atomic::Ordering,
    time::{Duration, SystemTime},
};

use twilight_model::id::{marker::GuildMarker, Id};

use super::PluginManager;
use crate::plugins::worker::{PluginWorker, WorkerState};

/// Everything status commands show about one module.
#[derive(Debug, Clone)]
pub struct PluginStatus {
    /// Module name.
    pub name: String,
    /// Worker state (version, hash, errors, quarantine, …).
    pub state: WorkerState,
    /// Events handled.
    pub events_handled: u64,
    /// Events skipped while quarantined.
    pub events_skipped: u64,
    /// Calls that failed.
    pub calls_failed: u64,
    /// The call in progress for longer than the stall threshold, if any.
    pub stalled: Option<(String, Duration)>,
    /// Gateway events dropped because its queue was full.
    pub events_dropped: u64,
    /// Items waiting in its queue.
    pub queued: usize,
    /// Stuck worker threads abandoned (leaked) by reloads since it was first loaded.
    pub abandoned_workers: u64,
    /// Its canary, when a second version serves one server.
    pub canary: Option<CanaryStatus>,
}

/// A module's canary, as status commands show it.
#[derive(Debug, Clone)]
pub struct CanaryStatus {
    /// The one server it serves.
    pub guild: Id<GuildMarker>,
    /// Since when.
    pub since: SystemTime,
    /// Its worker's status (version, counters, errors).
    pub status: Box<PluginStatus>,
}

impl PluginManager {
    /// Marks `name` as running from memory because its file was deleted.
    pub fn mark_file_deleted(&self, name: &str) {
        if let Some(worker) = self.workers().get(name) {
            worker.shared.update(|s| s.file_deleted = true);
            tracing::warn!(
                plugin = name,
                "plugin file deleted; the running version stays loaded until unloaded or restarted"
            );
        }
    }

    /// Status of every loaded module, sorted by name, each with its canary if it has one.
    #[must_use]
    pub fn status(&self) -> Vec<PluginStatus> {
        let stall_after = self.inner.config.stall_after;
        // The canaries' lock first, as everywhere.
        let mut canaries: std::collections::BTreeMap<String, CanaryStatus> = self
            .canaries()
            .iter()
            .map(|(name, canary)| {
                (
                    name.clone(),
                    CanaryStatus {
                        guild: canary.guild,
                        since: canary.since,
                        status: Box::new(worker_status(name, &canary.worker, stall_after)),
                    },
                )
            })
            .collect();
        self.workers()
            .iter()
            .map(|(name, worker)| PluginStatus {
                canary: canaries.remove(name),
                ..worker_status(name, worker, stall_after)
            })
            .collect()
    }
}

fn worker_status(name: &str, worker: &PluginWorker, stall_after: Duration) -> PluginStatus {
    let shared = &worker.shared;
    PluginStatus {
        name: name.to_owned(),
        state: shared.state(),
        events_handled: shared.events_handled.load(Ordering::Relaxed),
        events_skipped: shared.events_skipped.load(Ordering::Relaxed),
        calls_failed: shared.calls_failed.load(Ordering::Relaxed),
        stalled: shared.busy().filter(|(_, d)| *d >= stall_after),
        events_dropped: shared.events_dropped.load(Ordering::Relaxed),
        queued: worker.queued(),
        abandoned_workers: shared.abandoned.load(Ordering::Relaxed),
        canary: None,
    }
}
