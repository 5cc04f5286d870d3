//! The stall monitor: logs a plugin call that runs past the stall threshold.

use std::{
    collections::BTreeMap,
    sync::{PoisonError, Weak},
    thread,
    time::{Duration, SystemTime},
};

use super::Inner;

/// Logs a plugin call that runs past the stall threshold, once per call. Ends with the manager.
pub(super) fn spawn_stall_monitor(inner: Weak<Inner>) {
    let _ = thread::Builder::new()
        .name("stall-monitor".to_owned())
        .spawn(move || {
            let mut reported: BTreeMap<String, SystemTime> = BTreeMap::new();
            loop {
                thread::sleep(Duration::from_millis(250));
                let Some(inner) = inner.upgrade() else { return };
                let workers = inner.workers.read().unwrap_or_else(PoisonError::into_inner);
                for (name, worker) in workers.iter() {
                    match worker.shared.busy() {
                        Some((call, running)) if running >= inner.config.stall_after => {
                            if !reported.contains_key(name) {
                                tracing::warn!(plugin = %name, call, ?running, "plugin handler stalled; other modules are unaffected");
                                reported.insert(name.clone(), SystemTime::now());
                            }
                        }
                        _ => {
                            reported.remove(name);
                        }
                    }
                }
            }
        });
}
