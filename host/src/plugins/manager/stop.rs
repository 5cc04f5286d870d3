//! Unloading modules and shutting down: always within a time limit, so a stuck module can
//! neither hold the reload lock for ever nor keep the host from closing its store.

use std::{sync::PoisonError, time::Instant};

use tokio::sync::oneshot;

use super::{
    stall::{watch, Waited},
    ManagerConfig, PluginManager, ReloadError, ReloadErrorType,
};
use crate::plugins::{
    history::{ReloadRecord, Trigger},
    worker::{PluginWorker, WorkItem},
};

impl PluginManager {
    /// Stops module `name` (after its queue drains) and forgets it until loaded again. Bounded:
    /// a worker stuck for the stall threshold, or still busy after the call timeout, is
    /// abandoned (see [`PluginWorker::abandon`]) and what waited in its queue is dropped.
    ///
    /// # Errors
    ///
    /// When it is not loaded.
    pub async fn unload(&self, name: &str) -> Result<(), ReloadError> {
        self.unload_by(name, Trigger::Command).await
    }

    /// [`PluginManager::unload`], recorded in the history as started by `trigger`.
    ///
    /// # Errors
    ///
    /// When it is not loaded.
    pub async fn unload_by(&self, name: &str, trigger: Trigger) -> Result<(), ReloadError> {
        let _serial = self.inner.reload_lock.lock().await;
        let (worker, canary) = {
            let mut canaries = self.canaries_mut();
            let Some(worker) = self.workers_mut().remove(name) else {
                return Err(ReloadError::new(
                    name,
                    ReloadErrorType::NotLoaded,
                    format!("module {name} is not loaded"),
                ));
            };
            let canary = canaries.remove(name);
            self.rebuild_subscriptions_with(&canaries);
            (worker, canary)
        };
        let state = worker.shared.state();
        if let Some(canary) = canary {
            // Unloading a module retires its canary too, for good.
            let serving = canary.worker.shared.version_and_hash();
            if let Some((call, running)) = stop_worker(&canary.worker, &self.inner.config).await {
                self.record_abandoned(name, Trigger::Command, serving, &call, running);
            }
            let (inner, module) = (std::sync::Arc::clone(&self.inner), name.to_owned());
            let _ = tokio::task::spawn_blocking(move || {
                super::canary::forget(&inner, &module);
            })
            .await;
        }
        if let Some((call, running)) = stop_worker(&worker, &self.inner.config).await {
            let serving = (
                state.manifest.as_ref().map(|m| m.version.clone()),
                state.file_hash.clone(),
            );
            self.record_abandoned(name, trigger, serving, &call, running);
        }
        if let Some(manifest) = state.manifest.clone() {
            self.inner
                .retired
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(name.to_owned(), manifest);
        }
        let _ = self.inner.changes.send(name.to_owned());
        self.inner.history.append(ReloadRecord {
            at_unix_ms: 0,
            plugin: name.to_owned(),
            trigger,
            outcome: "unloaded".to_owned(),
            old_version: state.manifest.map(|m| m.version),
            new_version: None,
            old_hash: state.file_hash,
            new_hash: None,
            duration_us: 0,
            error: None,
            guild: None,
        });
        Ok(())
    }

    /// Stops every worker after its queue drains, all at once and each within the bound of
    /// [`PluginManager::unload`], then waits for pending backups and history records.
    pub async fn shutdown(&self) {
        // Canaries stop too; the store keeps them, so the next start runs them again.
        let canaries = std::mem::take(&mut *self.canaries_mut());
        let workers: Vec<PluginWorker> = std::mem::take(&mut *self.workers_mut())
            .into_values()
            .chain(canaries.into_values().map(|canary| canary.worker))
            .collect();
        self.rebuild_subscriptions();
        let mut stopping = tokio::task::JoinSet::new();
        for worker in workers {
            let config = self.inner.config.clone();
            stopping.spawn(async move {
                let serving = worker.shared.version_and_hash();
                let abandoned = stop_worker(&worker, &config).await;
                (worker.shared.name.to_string(), serving, abandoned)
            });
        }
        while let Some(stopped) = stopping.join_next().await {
            if let Ok((name, serving, Some((call, running)))) = stopped {
                self.record_abandoned(&name, Trigger::Command, serving, &call, running);
            }
        }
        let (backups, history) = (self.inner.backups.clone(), self.inner.history.clone());
        let _ = tokio::task::spawn_blocking(move || {
            backups.flush();
            history.flush();
        })
        .await;
    }
}

/// Asks `worker` to stop after what is queued, waiting at most `config.call_timeout`; a worker
/// stuck for `config.stall_after` or still busy at the limit is abandoned. Returns what it was
/// stuck in, and for how long, when it was abandoned.
pub(super) async fn stop_worker(
    worker: &PluginWorker,
    config: &ManagerConfig,
) -> Option<(String, std::time::Duration)> {
    let (reply, mut done) = oneshot::channel();
    worker.send_control(WorkItem::Stop { reply }).ok()?;
    let deadline = Instant::now() + config.call_timeout;
    loop {
        match watch(worker, &mut done, config.stall_after, Some(deadline)).await {
            Waited::Answered(()) | Waited::Gone => return None,
            Waited::Stalled { .. } => {
                // `None`: it came back just now, so keep waiting.
                if let Ok(Some(stuck)) = worker.abandon(Some(config.stall_after), false) {
                    return Some(stuck);
                }
            }
            // Still busy with its queue at the limit, stuck or not: stop waiting for it.
            Waited::TimedOut => return worker.abandon(None, false).ok().flatten(),
        }
    }
}
