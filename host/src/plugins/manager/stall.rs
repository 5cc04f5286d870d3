//! Stalls: the monitor that logs a plugin call running past the stall threshold, and the bounded
//! wait the manager uses for a worker's answer (it returns when the worker is stuck, so the
//! caller can abandon it instead of waiting for ever).

use std::{
    collections::BTreeMap,
    sync::{PoisonError, Weak},
    thread,
    time::{Duration, Instant, SystemTime},
};

use tokio::sync::oneshot;

use super::Inner;
use crate::plugins::worker::PluginWorker;

/// How often a wait looks at whether the worker is stuck.
const POLL: Duration = Duration::from_millis(20);

/// How a [`watch`] ended.
pub(super) enum Waited<T> {
    /// The worker answered.
    Answered(T),
    /// The worker dropped the request without answering (it stopped).
    Gone,
    /// The worker has been in `call` (or a swap, or a stop) for the stall threshold or longer.
    Stalled { call: String },
    /// The deadline passed first.
    TimedOut,
}

/// Waits for `answer` from `worker` until it comes, the worker is stuck in one call for
/// `stall_after`, or `deadline` passes.
pub(super) async fn watch<T>(
    worker: &PluginWorker,
    answer: &mut oneshot::Receiver<T>,
    stall_after: Duration,
    deadline: Option<Instant>,
) -> Waited<T> {
    loop {
        match tokio::time::timeout(POLL, &mut *answer).await {
            Ok(Ok(value)) => return Waited::Answered(value),
            Ok(Err(_)) => return Waited::Gone,
            Err(_) => {}
        }
        if let Some((call, running)) = worker.shared.busy() {
            if running >= stall_after {
                return Waited::Stalled { call };
            }
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            return Waited::TimedOut;
        }
    }
}

/// Logs a plugin call that runs past the stall threshold, once per call. Ends with the manager.
pub(super) fn spawn_stall_monitor(inner: Weak<Inner>) {
    let _ = thread::Builder::new()
        .name("stall-monitor".to_owned())
        .spawn(move || {
            let mut reported: BTreeMap<String, SystemTime> = BTreeMap::new();
            loop {
                thread::sleep(Duration::from_millis(250));
                let Some(inner) = inner.upgrade() else { return };
                // Canaries first (their lock is taken before the workers', as everywhere).
                let canaries: Vec<(String, PluginWorker)> = inner
                    .canaries
                    .read()
                    .unwrap_or_else(PoisonError::into_inner)
                    .iter()
                    .map(|(name, canary)| (format!("{name} (canary)"), canary.worker.clone()))
                    .collect();
                let workers = inner.workers.read().unwrap_or_else(PoisonError::into_inner);
                let all = workers
                    .iter()
                    .map(|(name, worker)| (name.clone(), worker))
                    .chain(canaries.iter().map(|(name, worker)| (name.clone(), worker)));
                for (name, worker) in all {
                    match worker.shared.busy() {
                        Some((call, running)) if running >= inner.config.stall_after => {
                            if let std::collections::btree_map::Entry::Vacant(entry) =
                                reported.entry(name)
                            {
                                tracing::warn!(plugin = %entry.key(), call, ?running, "plugin handler stalled; other modules are unaffected");
                                entry.insert(SystemTime::now());
                            }
                        }
                        _ => {
                            reported.remove(&name);
                        }
                    }
                }
            }
        });
}
