//! What the manager does when a worker reverted a bad reload (see `worker::revert`) or rolled
//! back a failing canary (`canary`): records it
//! in the reload history (trigger `revert`, with the reason), re-reads which events each module
//! takes (the previous version may take others), and tells listeners the module changed.
//!
//! Workers report on a channel read by one small thread, so a worker never waits for the
//! manager (which may itself be waiting for that worker, in a reload).

use std::{
    sync::{mpsc::Receiver, Weak},
    thread,
};

use super::{Inner, PluginManager};
use crate::plugins::{
    history::{ReloadRecord, Trigger},
    worker::RevertNotice,
};

/// Starts the thread that records what workers report; it ends with the manager.
pub(super) fn spawn_revert_listener(inner: Weak<Inner>, notices: Receiver<RevertNotice>) {
    let spawned = thread::Builder::new()
        .name("revert-notices".to_owned())
        .spawn(move || {
            while let Ok(notice) = notices.recv() {
                let Some(inner) = inner.upgrade() else { return };
                PluginManager { inner }.record_revert(notice);
            }
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start the revert-notices thread ({e}); automatic reverts will be logged but not recorded in the reload history");
    }
}

impl PluginManager {
    fn record_revert(&self, notice: RevertNotice) {
        // After the record of the reload being reverted, never before it.
        let _serial = self.inner.reload_lock.blocking_lock();
        if let Some(guild) = notice.canary {
            self.record_canary_rollback(notice, guild);
            return;
        }
        let name = notice.plugin.clone();
        let (old_version, old_hash) = notice.failed;
        let (outcome, new_version, new_hash) = match notice.restored {
            Some((version, hash)) => ("reverted", Some(version), Some(hash)),
            None => ("quarantined", None, None),
        };
        if new_version.is_some() {
            self.rebuild_subscriptions();
        }
        self.inner.history.append(ReloadRecord {
            at_unix_ms: 0,
            plugin: name.clone(),
            trigger: Trigger::Revert,
            outcome: outcome.to_owned(),
            old_version: Some(old_version),
            new_version,
            old_hash: Some(old_hash),
            new_hash,
            duration_us: notice.duration.as_micros() as u64,
            error: Some(notice.reason),
            guild: None,
        });
        let _ = self.inner.changes.send(name);
    }
}
