//! Promoting a canary (it serves every server, its file becomes the module's) and rolling it
//! back (by command, or by its own worker after its panics: [`retire_canary`]).

use std::{
    sync::{Arc, Weak},
    time::Instant,
};

use super::{canary_file, no_canary, CanaryChange};
use crate::plugins::{
    history::{ReloadRecord, Trigger},
    manager::{
        stop::stop_worker, Inner, PluginManager, ReloadError, ReloadErrorType,
        ReloadErrorType::Internal,
    },
    worker::{hand_over, RetireCanary, WorkItem, WorkerShared},
};

impl PluginManager {
    /// Makes module `name`'s canary serve every server; its file becomes `<name>.so`, and the
    /// version it replaces stops once it has served what was queued for it.
    ///
    /// # Errors
    ///
    /// No canary, or its file changed since it started (the promoted file must be the one tried).
    pub async fn promote(&self, name: &str) -> Result<CanaryChange, ReloadError> {
        let started = Instant::now();
        let _serial = self.inner.reload_lock.lock().await;
        let worker = self.canary_worker(name)?;
        let (canary_version, canary_hash) = worker.shared.version_and_hash();
        let canary_version = canary_version.unwrap_or_default();
        let file = canary_file(&self.inner.config.plugins_dir, name);
        let (inner, staged_file) = (Arc::clone(&self.inner), file.clone());
        let on_disk = tokio::task::spawn_blocking(move || {
            inner
                .loader
                .stage(&staged_file)
                .map(|staged| staged.hash().to_owned())
        })
        .await;
        let refused = |message: String| ReloadError::new(name, ReloadErrorType::Refused, message);
        match on_disk {
            Ok(Ok(hash)) if Some(&hash) == canary_hash.as_ref() => {}
            Ok(Ok(_)) => return Err(refused(format!(
                "{} changed since the canary started, and promoting makes that file the module's for every server without having tried it; put the canary's build back, or roll back and start a canary of the new file",
                file.display()
            ))),
            Ok(Err(e)) => return Err(refused(format!(
                "promoting makes {} the module's file, and it cannot be used: {e}; put the canary's build back, or roll back",
                file.display()
            ))),
            Err(e) => {
                return Err(ReloadError::new(
                    name,
                    Internal,
                    format!("reading the canary file of {name} crashed: {e}"),
                ))
            }
        }
        let config = &self.inner.config;
        let (guild, old) = {
            let mut canaries = self.canaries_mut();
            let Some(canary) = canaries.remove(name) else {
                return Err(no_canary(name));
            };
            let old = self
                .workers_mut()
                .insert(name.to_owned(), canary.worker.clone());
            if let Some(old) = &old {
                let (give, take) = hand_over(&old.shared, config.stall_after);
                let _ = old.send_control(give);
                let _ = canary.worker.send_control(take);
            }
            self.rebuild_subscriptions_with(&canaries);
            (canary.guild, old)
        };
        // The watcher sees `<name>.so` change to the build now serving, and loads nothing.
        let target = self.inner.config.plugins_dir.join(format!("{name}.so"));
        let (from, to) = (file.clone(), target.clone());
        let renamed = tokio::task::spawn_blocking(move || std::fs::rename(&from, &to)).await;
        let warning = match renamed {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(e) => Some(e.to_string()),
        }
        .map(|e| {
            let text = format!(
                "renaming {} to {} failed ({e}): copy it there yourself, or a restart serves the previous version again",
                file.display(),
                target.display()
            );
            tracing::error!(plugin = name, "{text}");
            text
        });
        let (stable_version, stable_hash) = old
            .as_ref()
            .map(|w| w.shared.version_and_hash())
            .unwrap_or_default();
        if let Some(old) = &old {
            if let Some((call, running)) = stop_worker(old, config).await {
                let serving = (stable_version.clone(), stable_hash.clone());
                self.record_abandoned(name, Trigger::Command, serving, &call, running);
            }
        }
        self.remember(name, None).await;
        let _ = self.inner.changes.send(name.to_owned());
        self.inner.history.append(ReloadRecord {
            at_unix_ms: 0,
            plugin: name.to_owned(),
            trigger: Trigger::Command,
            outcome: "promoted".to_owned(),
            old_version: stable_version.clone(),
            new_version: Some(canary_version.clone()),
            old_hash: stable_hash,
            new_hash: canary_hash,
            duration_us: started.elapsed().as_micros() as u64,
            error: warning.clone(),
            guild: Some(guild),
        });
        tracing::info!(plugin = name, version = %canary_version, "canary promoted to every server");
        Ok(CanaryChange {
            name: name.to_owned(),
            guild,
            canary_version,
            stable_version,
            warning,
        })
    }

    /// Retires module `name`'s canary: its server is served by the stable version again, after
    /// the canary has served what was queued for it. Its file stays where it is.
    ///
    /// # Errors
    ///
    /// When `name` has no canary.
    pub async fn rollback(&self, name: &str) -> Result<CanaryChange, ReloadError> {
        let started = Instant::now();
        let _serial = self.inner.reload_lock.lock().await;
        let config = &self.inner.config;
        let (canary, stable) = {
            let mut canaries = self.canaries_mut();
            let Some(canary) = canaries.remove(name) else {
                return Err(no_canary(name));
            };
            let stable = self.workers().get(name).cloned();
            let (give, take) = hand_over(&canary.worker.shared, config.stall_after);
            let _ = canary.worker.send_control(give);
            if let Some(stable) = &stable {
                let _ = stable.send_control(take);
            }
            self.rebuild_subscriptions_with(&canaries);
            (canary, stable)
        };
        let (version, hash) = canary.worker.shared.version_and_hash();
        if let Some((call, running)) = stop_worker(&canary.worker, config).await {
            let serving = (version.clone(), hash.clone());
            self.record_abandoned(name, Trigger::Command, serving, &call, running);
        }
        let (stable_version, stable_hash) = stable
            .map(|w| w.shared.version_and_hash())
            .unwrap_or_default();
        self.remember(name, None).await;
        let _ = self.inner.changes.send(name.to_owned());
        self.inner.history.append(ReloadRecord {
            at_unix_ms: 0,
            plugin: name.to_owned(),
            trigger: Trigger::Command,
            outcome: "rolled back".to_owned(),
            old_version: version.clone(),
            new_version: stable_version.clone(),
            old_hash: hash,
            new_hash: stable_hash,
            duration_us: started.elapsed().as_micros() as u64,
            error: None,
            guild: Some(canary.guild),
        });
        Ok(CanaryChange {
            name: name.to_owned(),
            guild: canary.guild,
            canary_version: version.unwrap_or_default(),
            stable_version,
            warning: None,
        })
    }
}

/// What a canary's worker calls to roll itself back: if it still is module `name`'s canary,
/// its server goes back to the stable worker (a take-over queued there) and the hand-over's
/// channel is returned for what waits in the canary's queue.
pub(super) fn retire_canary(
    inner: Weak<Inner>,
    name: &str,
    canary: Weak<WorkerShared>,
) -> RetireCanary {
    let name = name.to_owned();
    Arc::new(move || {
        let manager = PluginManager {
            inner: inner.upgrade()?,
        };
        let mut canaries = manager.canaries_mut();
        let current = canaries
            .get(&name)
            .is_some_and(|c| std::ptr::eq(Arc::as_ptr(&c.worker.shared), canary.as_ptr()));
        if !current {
            return None;
        }
        let removed = canaries.remove(&name)?;
        let (give, take) = hand_over(&removed.worker.shared, manager.inner.config.stall_after);
        if let Some(stable) = manager.workers().get(&name) {
            let _ = stable.send_control(take);
        }
        manager.rebuild_subscriptions_with(&canaries);
        drop(canaries);
        drop(removed);
        match give {
            WorkItem::HandOver { to } => Some(to),
            _ => None,
        }
    })
}
