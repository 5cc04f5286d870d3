//! The plugin manager: which modules run, loading and reloading them, routing calls and events.
//!
//! **Invariant:** validate before swap. A new file is fully loaded and checked (library, layout,
//! manifest) off the worker, then instantiated inside the worker's queue; only when that succeeds
//! is the old instance retired. On any failure the old version keeps serving.

use std::{
    collections::{BTreeMap, HashMap},
    fmt, fs,
    path::PathBuf,
    sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, Weak},
    thread,
    time::{Duration, Instant, SystemTime},
};

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    manifest::is_module_name,
};
use arsenal_store::Store;
use tokio::sync::{oneshot, Mutex as AsyncMutex};

use super::{
    backup::Backups,
    history::{ReloadHistory, ReloadRecord, Trigger},
    host_api::HostServices,
    loader::{Loader, StagedFile},
    worker::{CallResult, PluginWorker, WorkItem, WorkerState},
};

/// Where the manager finds plugins and keeps its files.
#[derive(Debug, Clone)]
pub struct ManagerConfig {
    /// The folder of `<name>.so` files.
    pub plugins_dir: PathBuf,
    /// Where data backups go before each swap.
    pub backups_dir: PathBuf,
    /// Backups kept per plugin.
    pub keep_backups: usize,
    /// A call running longer than this is reported as stalled.
    pub stall_after: Duration,
}

/// A successful load or reload.
#[derive(Debug, Clone)]
pub struct ReloadReport {
    /// Module name.
    pub name: String,
    /// Version serving before (`None` for a first load).
    pub old_version: Option<String>,
    /// Version serving now.
    pub new_version: String,
    /// Hash of the file now serving.
    pub new_hash: String,
    /// Request to new version serving.
    pub duration: Duration,
    /// Of which: reading, checking and loading the library.
    pub load: Duration,
    /// Of which: backing up the module's data.
    pub backup: Duration,
    /// Of which: the new version's constructor.
    pub instantiate: Duration,
}

/// A refused load, reload or unload; the previous state is untouched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadError {
    /// Module name as given.
    pub name: String,
    /// One readable line: what failed, why, what to do.
    pub message: String,
}

impl fmt::Display for ReloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReloadError {}

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
}

/// The workers subscribed to one gateway event, and the call kind they receive it as.
struct Subscription {
    kind: Arc<str>,
    workers: Vec<PluginWorker>,
}

struct Inner {
    config: ManagerConfig,
    loader: Loader,
    services: HostServices,
    backups: Backups,
    history: ReloadHistory,
    workers: RwLock<BTreeMap<String, PluginWorker>>,
    reload_lock: AsyncMutex<()>,
    changes: tokio::sync::broadcast::Sender<String>,
    /// Event name → the workers subscribed to it.
    subscriptions: RwLock<HashMap<String, Subscription>>,
    /// Manifests of modules unloaded by command, so their commands can say "not loaded".
    retired: RwLock<BTreeMap<String, arsenal_plugin_api::Manifest>>,
}

impl Inner {
    /// The file hash of the version of `name` serving now, if any.
    fn running_hash(&self, name: &str) -> Option<String> {
        self.workers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .and_then(|w| w.shared.read(|s| s.file_hash.clone()))
    }
}

/// Owns every plugin worker. Cheap to clone.
#[derive(Clone)]
pub struct PluginManager {
    inner: Arc<Inner>,
}

impl PluginManager {
    /// A manager with no plugin loaded yet.
    ///
    /// # Errors
    ///
    /// When the plugins folder cannot be created.
    pub fn new(config: ManagerConfig, store: Store) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        fs::create_dir_all(&config.plugins_dir).with_context(|| {
            format!(
                "creating the plugins folder {}",
                config.plugins_dir.display()
            )
        })?;
        super::loader::raise_fd_limit();
        let loader = Loader::new(&config.plugins_dir);
        let inner = Arc::new(Inner {
            backups: Backups::new(config.backups_dir.clone(), config.keep_backups)
                .context("starting the backup thread")?,
            history: ReloadHistory::new(store.clone()),
            services: HostServices::new(store),
            changes: tokio::sync::broadcast::channel(64).0,
            retired: RwLock::new(BTreeMap::new()),
            subscriptions: RwLock::new(HashMap::new()),
            loader,
            config,
            workers: RwLock::new(BTreeMap::new()),
            reload_lock: AsyncMutex::new(()),
        });
        spawn_stall_monitor(Arc::downgrade(&inner));
        Ok(Self { inner })
    }

    fn workers(&self) -> RwLockReadGuard<'_, BTreeMap<String, PluginWorker>> {
        self.inner
            .workers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn workers_mut(&self) -> RwLockWriteGuard<'_, BTreeMap<String, PluginWorker>> {
        self.inner
            .workers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The plugins folder.
    #[must_use]
    pub fn plugins_dir(&self) -> &std::path::Path {
        &self.inner.config.plugins_dir
    }

    /// The services plugins reach (the Discord layer attaches itself here).
    #[must_use]
    pub fn services(&self) -> &HostServices {
        &self.inner.services
    }

    /// Names of modules as they are loaded, reloaded or unloaded (to re-sync commands, retry
    /// timers). Lagging receivers miss names, never block the manager.
    #[must_use]
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.inner.changes.subscribe()
    }

    /// The reload history.
    #[must_use]
    pub fn history(&self) -> &ReloadHistory {
        &self.inner.history
    }

    /// The backups.
    #[must_use]
    pub fn backups(&self) -> &Backups {
        &self.inner.backups
    }

    /// Module names with a `<name>.so` in the plugins folder, sorted.
    #[must_use]
    pub fn available(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.inner.config.plugins_dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| module_name_of(&e.path()))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// Manifests of modules unloaded by command (not loaded again since).
    #[must_use]
    pub fn retired(&self) -> Vec<(String, arsenal_plugin_api::Manifest)> {
        self.inner
            .retired
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(name, manifest)| (name.clone(), manifest.clone()))
            .collect()
    }

    /// Names of the loaded modules, sorted.
    #[must_use]
    pub fn loaded(&self) -> Vec<String> {
        self.workers().keys().cloned().collect()
    }

    /// The file hash of the version serving `name`, if loaded.
    #[must_use]
    pub fn running_hash(&self, name: &str) -> Option<String> {
        self.inner.running_hash(name)
    }

    /// Loads every module in the plugins folder; failures are reported, not fatal.
    pub async fn load_all(&self, trigger: Trigger) -> Vec<Result<ReloadReport, ReloadError>> {
        let mut results = Vec::new();
        for name in self.available() {
            results.push(self.reload(&name, trigger).await);
        }
        results
    }

    /// Loads `name`, or reloads it if it is running. On failure the running version stays.
    ///
    /// # Errors
    ///
    /// A [`ReloadError`] with one readable line.
    pub async fn reload(&self, name: &str, trigger: Trigger) -> Result<ReloadReport, ReloadError> {
        self.reload_from(name, trigger, Source::File, &mut None)
            .await
            .and_then(|report| report.ok_or_else(|| unchanged_is_impossible(name)))
    }

    /// Like [`PluginManager::reload`], with the file already staged (read, checked, hashed) by
    /// the caller, who may have compared its hash first: exactly those bytes are loaded.
    ///
    /// # Errors
    ///
    /// As [`PluginManager::reload`].
    pub async fn reload_staged(
        &self,
        name: &str,
        staged: StagedFile,
        trigger: Trigger,
    ) -> Result<ReloadReport, ReloadError> {
        self.reload_from(name, trigger, Source::Staged(staged), &mut None)
            .await
            .and_then(|report| report.ok_or_else(|| unchanged_is_impossible(name)))
    }

    /// What the watcher does when module `name`'s file changed: stages the file and loads it,
    /// unless its content is the serving build's or `skip` (the last content the watcher acted
    /// on). Staging, comparing and opening run in one blocking task, so a changed file goes
    /// from the watcher to the module's worker with no extra hand-off.
    pub async fn reload_if_changed(
        &self,
        name: &str,
        skip: Option<String>,
        trigger: Trigger,
    ) -> FileCheck {
        let mut hash = None;
        let outcome = self
            .reload_from(name, trigger, Source::IfChanged { skip }, &mut hash)
            .await
            .transpose();
        FileCheck { hash, outcome }
    }

    /// Loads from `source`; `Ok(None)` when the source was [`Source::IfChanged`] and had not
    /// changed. `hash` receives the content hash of the file looked at, once it is known.
    async fn reload_from(
        &self,
        name: &str,
        trigger: Trigger,
        source: Source,
        hash: &mut Option<String>,
    ) -> Result<Option<ReloadReport>, ReloadError> {
        let started = Instant::now();
        let refuse = |message: String| ReloadError {
            name: name.to_owned(),
            message,
        };
        if !is_module_name(name) {
            return Err(refuse(format!(
                "{name:?} is not a module name (module names are a-z, 0-9 and _, never paths)"
            )));
        }
        let file = self.inner.config.plugins_dir.join(format!("{name}.so"));
        if !file.is_file() {
            return Err(refuse(format!(
                "no file {} for module {name}; build and install it with `cargo xtask build-plugins`",
                file.display()
            )));
        }
        let _serial = self.inner.reload_lock.lock().await;
        let (old_version, old_hash) = self
            .workers()
            .get(name)
            .map(|w| w.shared.version_and_hash())
            .unwrap_or_default();
        let mut record = ReloadRecord {
            at_unix_ms: 0,
            plugin: name.to_owned(),
            trigger,
            outcome: String::new(),
            old_version,
            new_version: None,
            old_hash,
            new_hash: None,
            duration_us: 0,
            error: None,
        };
        let inner = Arc::clone(&self.inner);
        let (loader_name, loader_file) = (name.to_owned(), file.clone());
        let (seen, loaded) = tokio::task::spawn_blocking(move || match source {
            Source::Staged(staged) => (
                Some(staged.hash().to_owned()),
                Some(inner.loader.open(staged, &loader_name)),
            ),
            Source::File => (None, Some(inner.loader.load(&loader_file, &loader_name))),
            Source::IfChanged { skip } => match inner.loader.stage(&loader_file) {
                Err(error) => (None, Some(Err(error))),
                Ok(staged) => {
                    let seen = staged.hash().to_owned();
                    let serving = inner.running_hash(&loader_name);
                    if serving.as_ref() == Some(&seen) || skip.as_ref() == Some(&seen) {
                        (Some(seen), None)
                    } else {
                        (Some(seen), Some(inner.loader.open(staged, &loader_name)))
                    }
                }
            },
        })
        .await
        .map_err(|e| refuse(format!("loading {name} crashed: {e}")))?;
        *hash = seen;
        let Some(loaded) = loaded else {
            return Ok(None);
        };
        let load = started.elapsed();
        let library = match loaded {
            Ok(library) => library,
            Err(error) => return Err(self.fail(record, started, refuse(error.to_string()))),
        };
        record.new_version = Some(library.manifest.version.clone());
        record.new_hash = Some(library.file_hash.clone());
        let (new_version, new_hash) = (library.manifest.version.clone(), library.file_hash.clone());

        let (worker, fresh) = match self.workers().get(name) {
            Some(worker) => (worker.clone(), false),
            None => {
                let worker = PluginWorker::spawn(
                    name,
                    self.inner.services.clone(),
                    self.inner.backups.clone(),
                )
                .map_err(|e| refuse(format!("cannot start a worker thread for {name}: {e}")))?;
                (worker, true)
            }
        };
        let (reply, answer) = oneshot::channel();
        let sent = worker.send(WorkItem::Swap {
            library: Box::new(library),
            reply,
        });
        let outcome = match sent {
            Ok(()) => answer
                .await
                .unwrap_or_else(|_| Err(format!("the worker of {name} stopped during the reload"))),
            Err(e) => Err(e.message.into_string()),
        };
        match outcome {
            Ok(swap) => {
                if fresh {
                    self.workers_mut().insert(name.to_owned(), worker);
                }
                self.inner
                    .retired
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(name);
                self.rebuild_subscriptions();
                let duration = started.elapsed();
                // Serving now: tell listeners before the history record's fsync.
                let _ = self.inner.changes.send(name.to_owned());
                record.outcome = if swap.old_version.is_some() {
                    "reloaded"
                } else {
                    "loaded"
                }
                .to_owned();
                record.duration_us = duration.as_micros() as u64;
                self.inner.history.append(record);
                tracing::info!(plugin = name, version = %new_version, hash = %new_hash, ?duration, "module serving");
                Ok(Some(ReloadReport {
                    name: name.to_owned(),
                    old_version: swap.old_version,
                    new_version,
                    new_hash,
                    duration,
                    load,
                    backup: swap.backup,
                    instantiate: swap.instantiate,
                }))
            }
            Err(message) => {
                if fresh {
                    stop_worker(&worker).await;
                }
                Err(self.fail(record, started, refuse(message)))
            }
        }
    }

    fn fail(&self, mut record: ReloadRecord, started: Instant, error: ReloadError) -> ReloadError {
        record.outcome = "failed".to_owned();
        record.duration_us = started.elapsed().as_micros() as u64;
        record.error = Some(error.message.clone());
        self.inner.history.append(record);
        let serving = if self.workers().contains_key(&error.name) {
            "; the previous version keeps serving"
        } else {
            ""
        };
        tracing::error!(plugin = %error.name, "load refused: {}{serving}", error.message);
        error
    }

    /// Stops module `name` (after its queue drains) and forgets it until loaded again.
    ///
    /// # Errors
    ///
    /// When it is not loaded.
    pub async fn unload(&self, name: &str) -> Result<(), ReloadError> {
        let _serial = self.inner.reload_lock.lock().await;
        let Some(worker) = self.workers_mut().remove(name) else {
            return Err(ReloadError {
                name: name.to_owned(),
                message: format!("module {name} is not loaded"),
            });
        };
        let state = worker.shared.state();
        self.rebuild_subscriptions();
        stop_worker(&worker).await;
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
            trigger: Trigger::Command,
            outcome: "unloaded".to_owned(),
            old_version: state.manifest.map(|m| m.version),
            new_version: None,
            old_hash: state.file_hash,
            new_hash: None,
            duration_us: 0,
            error: None,
        });
        Ok(())
    }

    /// Stops every worker after its queue drains.
    pub async fn shutdown(&self) {
        let workers: Vec<PluginWorker> = std::mem::take(&mut *self.workers_mut())
            .into_values()
            .collect();
        self.rebuild_subscriptions();
        for worker in &workers {
            stop_worker(worker).await;
        }
        let backups = self.inner.backups.clone();
        let _ = tokio::task::spawn_blocking(move || backups.flush()).await;
    }

    /// Queues gateway event `name` (Discord's raw `d`) for every module subscribed to it, without
    /// waiting; returns how many modules it was queued for.
    pub fn dispatch_event(&self, name: &str, payload: &Arc<str>) -> usize {
        let subscriptions = self
            .inner
            .subscriptions
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(subscription) = subscriptions.get(name) else {
            return 0;
        };
        subscription
            .workers
            .iter()
            .filter(|worker| {
                worker
                    .send(WorkItem::Call {
                        kind: Arc::clone(&subscription.kind),
                        payload: Arc::clone(payload),
                        guild: None,
                        reply: None,
                    })
                    .is_ok()
            })
            .count()
    }

    /// Recomputes which workers get which gateway events (after a load, reload or unload), so
    /// dispatching an event is one map lookup.
    fn rebuild_subscriptions(&self) {
        let mut table: HashMap<String, Subscription> = HashMap::new();
        for worker in self.workers().values() {
            let Some(manifest) = worker.shared.state().manifest else {
                continue;
            };
            for event in manifest.events {
                table
                    .entry(event.clone())
                    .or_insert_with(|| Subscription {
                        kind: Arc::from(format!(
                            "{}{event}",
                            arsenal_plugin_api::protocol::kind::EVENT_PREFIX
                        )),
                        workers: Vec::new(),
                    })
                    .workers
                    .push(worker.clone());
            }
        }
        *self
            .inner
            .subscriptions
            .write()
            .unwrap_or_else(PoisonError::into_inner) = table;
    }

    /// Sends a call to module `name` and waits for its answer.
    ///
    /// # Errors
    ///
    /// Module not loaded or quarantined, or the plugin's own error.
    pub async fn call(&self, name: &str, call: &str, payload: &str) -> CallResult {
        self.call_for(name, call, payload, None).await
    }

    /// Like [`PluginManager::call`], made on behalf of a member in server `guild`: the
    /// plugin's Discord actions during the call may only reach that server
    /// ([`super::host_api::current_call_guild`]).
    ///
    /// # Errors
    ///
    /// As [`PluginManager::call`].
    pub async fn call_for(
        &self,
        name: &str,
        call: &str,
        payload: &str,
        guild: Option<twilight_model::id::Id<twilight_model::id::marker::GuildMarker>>,
    ) -> CallResult {
        let Some(worker) = self.workers().get(name).cloned() else {
            return Err(AbiError::new(
                ErrorCode::Failed,
                format!("module {name} is not loaded; an administrator can load it with `!module load {name}`"),
            ));
        };
        let (reply, answer) = oneshot::channel();
        worker.send(WorkItem::Call {
            kind: Arc::from(call),
            payload: Arc::from(payload),
            guild,
            reply: Some(reply),
        })?;
        answer.await.unwrap_or_else(|_| {
            Err(AbiError::new(
                ErrorCode::Failed,
                format!("module {name} stopped before answering"),
            ))
        })
    }

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

    /// Status of every loaded module, sorted by name.
    #[must_use]
    pub fn status(&self) -> Vec<PluginStatus> {
        let stall_after = self.inner.config.stall_after;
        self.workers()
            .iter()
            .map(|(name, worker)| {
                let shared = &worker.shared;
                PluginStatus {
                    name: name.clone(),
                    state: shared.state(),
                    events_handled: shared
                        .events_handled
                        .load(std::sync::atomic::Ordering::Relaxed),
                    events_skipped: shared
                        .events_skipped
                        .load(std::sync::atomic::Ordering::Relaxed),
                    calls_failed: shared
                        .calls_failed
                        .load(std::sync::atomic::Ordering::Relaxed),
                    stalled: shared.busy().filter(|(_, d)| *d >= stall_after),
                }
            })
            .collect()
    }
}

async fn stop_worker(worker: &PluginWorker) {
    let (reply, done) = oneshot::channel();
    if worker.send(WorkItem::Stop { reply }).is_ok() {
        let _ = done.await;
    }
}

/// What a reload loads.
enum Source {
    /// The module's file in the plugins folder.
    File,
    /// A copy the caller already staged.
    Staged(StagedFile),
    /// The module's file, unless its content is the serving build's or `skip`.
    IfChanged { skip: Option<String> },
}

/// What [`PluginManager::reload_if_changed`] found.
#[derive(Debug)]
pub struct FileCheck {
    /// The content hash of the file, when it could be read and was a complete library.
    pub hash: Option<String>,
    /// `None` when the content had not changed; otherwise the reload's outcome.
    pub outcome: Option<Result<ReloadReport, ReloadError>>,
}

fn unchanged_is_impossible(name: &str) -> ReloadError {
    ReloadError {
        name: name.to_owned(),
        message: "internal error: a forced reload reported no change".to_owned(),
    }
}

/// The module name of a plugins-folder entry: `<name>.so` with a valid name, else `None`.
#[must_use]
pub fn module_name_of(path: &std::path::Path) -> Option<String> {
    if path.extension()? != "so" {
        return None;
    }
    let stem = path.file_stem()?.to_str()?;
    is_module_name(stem).then(|| stem.to_owned())
}

/// Logs a plugin call that runs past the stall threshold, once per call. Ends with the manager.
fn spawn_stall_monitor(inner: Weak<Inner>) {
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
