//! Canary reloads by server: a second version of a module, loaded from `<name>.canary.so` (a
//! name the watcher ignores), serves one server's events, commands, components and requests
//! while every other server stays on the version serving them (the *stable* one). Promoting
//! makes the canary serve every server (its file becomes `<name>.so`); rolling back retires it.
//!
//! A canary is a second [`PluginWorker`] with its own queue; routing picks it by server (see
//! `dispatch`), and switching a server between the two goes through a hand-over in both
//! queues (`worker::handover`), so a server's items are served by one version at a time, in
//! order. Both versions share the module's store namespace (per-key versions and transactions
//! keep concurrent writers safe); a canary that would migrate the data is refused, so old code
//! never runs on newer data. It is on trial until promoted: at the revert policy's number of
//! panics it is rolled back automatically (`worker::revert`, `worker::handover`).
//!
//! A running canary is kept in the host's namespace `arsenal.canaries` (server, version, file
//! hash), so a restart starts it again from `<name>.canary.so`; `<name>.so` is always the stable
//! version's file. Promoting and rolling back: `switch`.

mod switch;

use self::switch::retire_canary;

use std::{
    path::{Path, PathBuf},
    sync::{Arc, PoisonError},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use arsenal_plugin_api::manifest::is_module_name;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use twilight_model::id::{marker::GuildMarker, Id};

use super::{
    stall::{watch, Waited},
    stop::stop_worker,
    Inner, PluginManager, ReloadError,
    ReloadErrorType::{self, CanaryRunning, Internal, NoCanary, NoFile, NotAModuleName, NotLoaded},
    ReloadReport,
};
use crate::plugins::{
    history::{ReloadRecord, Trigger},
    host_api::plugin_namespace,
    worker::{
        hand_over, CanaryTrial, PluginWorker, RevertNotice, RevertWatch, SwapOutcome, WorkItem,
    },
};

/// The host's namespace of running canaries (module name → [`Saved`]).
pub const CANARY_NAMESPACE: &str = "arsenal.canaries";

/// A module's canary: its server and its worker.
pub(super) struct Canary {
    pub(super) guild: Id<GuildMarker>,
    pub(super) worker: PluginWorker,
    pub(super) since: SystemTime,
}

/// What the store keeps of a running canary.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    guild: Id<GuildMarker>,
    version: String,
    hash: String,
    since_unix_ms: u64,
}

/// A promotion or rollback done.
#[derive(Debug, Clone)]
pub struct CanaryChange {
    /// Module name.
    pub name: String,
    /// The canary's server.
    pub guild: Id<GuildMarker>,
    /// The canary's version.
    pub canary_version: String,
    /// The version that served the other servers.
    pub stable_version: Option<String>,
    /// What went wrong on the side, to tell with the success (a file not renamed).
    pub warning: Option<String>,
}

/// The file a canary of module `name` loads from: `<plugins>/<name>.canary.so`.
#[must_use]
pub fn canary_file(plugins_dir: &Path, name: &str) -> PathBuf {
    plugins_dir.join(format!("{name}.canary.so"))
}

type Queued = (
    PluginWorker,
    oneshot::Receiver<Result<SwapOutcome, String>>,
    String,
    String,
    Duration,
);

impl PluginManager {
    /// Starts `<name>.canary.so` as a canary of loaded module `name`, serving server `guild`
    /// only. Validated and instantiated before it serves anything; on failure nothing changed.
    ///
    /// # Errors
    ///
    /// A [`ReloadError`] with one readable line: no such file, module not loaded, a canary
    /// already running, the library refused (or it would migrate the data), or it got stuck.
    pub async fn start_canary(
        &self,
        name: &str,
        guild: Id<GuildMarker>,
        trigger: Trigger,
    ) -> Result<ReloadReport, ReloadError> {
        let started = Instant::now();
        let refuse = |kind: ReloadErrorType, message: String| ReloadError::new(name, kind, message);
        if !is_module_name(name) {
            return Err(refuse(
                NotAModuleName,
                format!(
                    "{name:?} is not a module name (module names are a-z, 0-9 and _, never paths)"
                ),
            ));
        }
        let file = canary_file(&self.inner.config.plugins_dir, name);
        if !file.is_file() {
            return Err(refuse(NoFile, format!(
                "no file {} for a canary of {name}: copy the new build there (the watcher ignores that name, so the other servers keep the version they run) and try again",
                file.display()
            )));
        }
        let _serial = self.inner.reload_lock.lock().await;
        let Some(stable) = self.workers().get(name).cloned() else {
            return Err(refuse(NotLoaded, format!(
                "module {name} is not loaded; a canary runs beside a loaded version, so load it first with `!module load {name}`"
            )));
        };
        if let Some(running) = self.canaries().get(name) {
            let version = running.worker.shared.version_and_hash().0;
            return Err(refuse(CanaryRunning, format!(
                "{name} already has a canary ({}) in server {}; promote it with `/reload promote` or roll it back with `/reload rollback` first",
                version.as_deref().unwrap_or("?"),
                running.guild
            )));
        }
        let (old_version, old_hash) = stable.shared.version_and_hash();
        let stable_data = stable
            .shared
            .read(|s| s.manifest.as_ref().map_or(0, |m| m.data_version));
        let mut record = ReloadRecord {
            at_unix_ms: 0,
            plugin: name.to_owned(),
            trigger,
            outcome: String::new(),
            old_version: old_version.clone(),
            new_version: None,
            old_hash,
            new_hash: None,
            duration_us: 0,
            error: None,
            guild: Some(guild),
        };
        let (inner, module) = (Arc::clone(&self.inner), name.to_owned());
        let queued = tokio::task::spawn_blocking(move || {
            queue_canary(&inner, &module, &file, guild, stable_data, started)
        })
        .await
        .map_err(|e| {
            refuse(
                Internal,
                format!("loading the canary of {name} crashed: {e}"),
            )
        })?;
        let (worker, mut answer, version, hash, load) = match queued {
            Ok(queued) => queued,
            Err((kind, message)) => return Err(self.fail(record, started, refuse(kind, message))),
        };
        record.new_version = Some(version.clone());
        record.new_hash = Some(hash.clone());
        let config = &self.inner.config;
        let swapped = loop {
            match watch(&worker, &mut answer, config.stall_after, None).await {
                Waited::Answered(result) => {
                    break result.map_err(|m| (ReloadErrorType::Refused, m))
                }
                Waited::Stalled { .. } => {
                    if let Ok(Some((_, running))) = worker.abandon(Some(config.stall_after), false)
                    {
                        break Err((ReloadErrorType::Stalled, format!(
                            "the canary {name} {version} did not finish starting within {:.1} s, so its worker was abandoned; the running version keeps serving every server",
                            running.as_secs_f64()
                        )));
                    }
                }
                Waited::Gone | Waited::TimedOut => {
                    break Err((
                        Internal,
                        format!("the canary worker of {name} stopped while it started"),
                    ))
                }
            }
        };
        let swap = match swapped {
            Ok(swap) => swap,
            Err((kind, message)) => {
                let _ = stop_worker(&worker, config).await;
                return Err(self.fail(record, started, refuse(kind, message)));
            }
        };
        let since = SystemTime::now();
        {
            // From here the server's items go to the canary, after what the stable worker
            // had queued for it.
            let mut canaries = self.canaries_mut();
            let (give, take) = hand_over(&stable.shared, config.stall_after);
            let _ = stable.send_control(give);
            let _ = worker.send_control(take);
            canaries.insert(
                name.to_owned(),
                Canary {
                    guild,
                    worker,
                    since,
                },
            );
            self.rebuild_subscriptions_with(&canaries);
        }
        let saved = Saved {
            guild,
            version: version.clone(),
            hash: hash.clone(),
            since_unix_ms: unix_ms(since),
        };
        self.remember(name, Some(saved)).await;
        let duration = started.elapsed();
        let _ = self.inner.changes.send(name.to_owned());
        record.outcome = "canary".to_owned();
        record.duration_us = duration.as_micros() as u64;
        self.inner.history.append(record);
        tracing::info!(plugin = name, version = %version, %guild, ?duration, "canary serving one server");
        Ok(ReloadReport {
            name: name.to_owned(),
            old_version,
            new_version: version,
            new_hash: hash,
            duration,
            load,
            backup: swap.backup,
            instantiate: swap.instantiate,
        })
    }

    /// The server of module `name`'s canary, if it has one.
    #[must_use]
    pub fn canary_guild(&self, name: &str) -> Option<Id<GuildMarker>> {
        self.canaries().get(name).map(|c| c.guild)
    }

    /// Starts again the canaries the store remembers (at start, after the modules loaded). One
    /// that cannot start is forgotten: its server is served by the stable version.
    pub(super) async fn restore_canaries(&self) -> Vec<Result<ReloadReport, ReloadError>> {
        let store = self.inner.services.store.clone();
        let saved = tokio::task::spawn_blocking(move || store.list(CANARY_NAMESPACE, "")).await;
        let saved = match saved {
            Ok(Ok(saved)) => saved,
            Ok(Err(e)) => {
                tracing::error!("reading the running canaries failed ({e}); none is started");
                return Vec::new();
            }
            Err(e) => {
                tracing::error!("reading the running canaries crashed ({e}); none is started");
                return Vec::new();
            }
        };
        let mut results = Vec::new();
        for (name, value) in saved {
            let saved: Saved = match serde_json::from_value(value.value) {
                Ok(saved) => saved,
                Err(e) => {
                    tracing::error!(plugin = %name, "the saved canary is unreadable ({e}); it is forgotten");
                    self.remember(&name, None).await;
                    continue;
                }
            };
            let result = self
                .start_canary(&name, saved.guild, Trigger::Startup)
                .await;
            match &result {
                Ok(report) if report.new_hash != saved.hash => tracing::warn!(
                    plugin = %name,
                    "{} changed while the host was stopped: the canary in server {} is now {} (it was {})",
                    canary_file(&self.inner.config.plugins_dir, &name).display(),
                    saved.guild,
                    report.new_version,
                    saved.version
                ),
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(plugin = %name, "the canary in server {} could not start again, so the running version serves that server: {e}", saved.guild);
                    self.remember(&name, None).await;
                }
            }
            results.push(result);
        }
        results
    }

    /// Records an automatic rollback a canary's worker did (see `worker::handover`).
    pub(super) fn record_canary_rollback(&self, notice: RevertNotice, guild: Id<GuildMarker>) {
        let name = notice.plugin;
        let (stable_version, stable_hash) = self
            .workers()
            .get(&name)
            .map(|w| w.shared.version_and_hash())
            .unwrap_or_default();
        forget(&self.inner, &name);
        self.inner.history.append(ReloadRecord {
            at_unix_ms: 0,
            plugin: name.clone(),
            trigger: Trigger::Revert,
            outcome: "rolled back".to_owned(),
            old_version: Some(notice.failed.0),
            new_version: stable_version,
            old_hash: Some(notice.failed.1),
            new_hash: stable_hash,
            duration_us: notice.duration.as_micros() as u64,
            error: Some(notice.reason),
            guild: Some(guild),
        });
        let _ = self.inner.changes.send(name);
    }

    fn canary_worker(&self, name: &str) -> Result<PluginWorker, ReloadError> {
        self.canaries()
            .get(name)
            .map(|c| c.worker.clone())
            .ok_or_else(|| no_canary(name))
    }

    /// Keeps (or forgets, with `None`) module `name`'s canary in the store.
    async fn remember(&self, name: &str, saved: Option<Saved>) {
        let (inner, name) = (Arc::clone(&self.inner), name.to_owned());
        let _ = tokio::task::spawn_blocking(move || match saved {
            None => forget(&inner, &name),
            Some(saved) => {
                let value = serde_json::to_value(&saved).unwrap_or_default();
                if let Err(e) = inner.services.store.set(CANARY_NAMESPACE, &name, value) {
                    tracing::error!(plugin = %name, "saving the canary failed ({e}): after a restart, its server is served by the running version");
                }
            }
        })
        .await;
    }
}

/// Forgets module `name`'s canary in the store (blocking).
pub(super) fn forget(inner: &Inner, name: &str) {
    if let Err(e) = inner.services.store.delete(CANARY_NAMESPACE, name) {
        tracing::error!(plugin = %name, "forgetting the canary in the store failed ({e}): a restart may start it again");
    }
}

fn no_canary(name: &str) -> ReloadError {
    ReloadError::new(
        name,
        NoCanary,
        format!("module {name} has no canary; start one with `/reload module {name} canary:<server id>` (from plugins/{name}.canary.so)"),
    )
}

fn unix_ms(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Loads the canary's library, backs up the data and queues the canary's first swap on a fresh
/// worker; runs on a blocking thread.
fn queue_canary(
    inner: &Arc<Inner>,
    name: &str,
    file: &Path,
    guild: Id<GuildMarker>,
    stable_data: u32,
    started: Instant,
) -> Result<Queued, (ReloadErrorType, String)> {
    let library = inner
        .loader
        .load(file, name)
        .map_err(|e| (ReloadErrorType::Refused, e.to_string()))?;
    let load = started.elapsed();
    let (version, hash) = (library.manifest.version.clone(), library.file_hash.clone());
    let declared = library.manifest.data_version;
    if declared > stable_data {
        return Err((ReloadErrorType::Refused, format!(
            "{name} {version} declares data version {declared} and the running version reads {stable_data}: a canary shares the module's data with the version serving the other servers, so it must not migrate it; reload it for every server instead (`/reload module {name}`)"
        )));
    }
    inner
        .backups
        .save(
            &inner.services.store,
            &plugin_namespace(name),
            name,
            &format!("canary-{version}"),
        )
        .map_err(|e| {
            (
                ReloadErrorType::Refused,
                format!("backing up the data of {name} failed, so the canary was not started: {e}"),
            )
        })?;
    let worker = PluginWorker::spawn(
        name,
        inner.services.clone(),
        inner.backups.clone(),
        inner.config.queue_capacity,
    )
    .map_err(|e| {
        (
            Internal,
            format!("cannot start a worker thread for the canary of {name}: {e}"),
        )
    })?;
    let retire = retire_canary(Arc::downgrade(inner), name, Arc::downgrade(&worker.shared));
    let (reply, answer) = oneshot::channel();
    worker
        .send_control(WorkItem::Swap {
            library: Box::new(library),
            reply,
            revert: Some(RevertWatch {
                policy: inner.config.revert,
                notices: inner.revert_notices.clone(),
                canary: Some(CanaryTrial { guild, retire }),
            }),
        })
        .map_err(|e| (Internal, e.message.to_string()))?;
    Ok((worker, answer, version, hash, load))
}

impl PluginManager {
    pub(super) fn canaries(
        &self,
    ) -> std::sync::RwLockReadGuard<'_, std::collections::BTreeMap<String, Canary>> {
        self.inner
            .canaries
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn canaries_mut(
        &self,
    ) -> std::sync::RwLockWriteGuard<'_, std::collections::BTreeMap<String, Canary>> {
        self.inner
            .canaries
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
