//! The plugin manager: which modules run, loading and reloading them, routing calls and events.
//!
//! **Invariant:** validate before swap. A new file is fully loaded and checked (library, layout,
//! manifest) off the worker, then instantiated inside the worker's queue; only when that succeeds
//! is the old instance retired. On any failure the old version keeps serving.
//!
//! **Invariant:** a stuck module never wedges the host. Waits on a worker are bounded: a call
//! made for a user by [`ManagerConfig::call_timeout`]; a reload by the stall threshold (a worker
//! stuck in one call that long is abandoned and the new version serves from a fresh one); an
//! unload or shutdown by both. So the reload lock is never held for a module that may never
//! answer, and the host always gets to close its store.

mod ask;
mod canary;
mod dispatch;
mod reload;
mod revert;
mod stall;
mod status;
mod stop;

pub use ask::ModuleRouter;
pub use canary::{canary_file, CanaryChange, CANARY_NAMESPACE};
pub use reload::FileCheck;
pub use status::{CanaryStatus, PluginStatus};

use std::{
    collections::{BTreeMap, HashMap},
    fmt, fs,
    path::PathBuf,
    sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard},
    time::Duration,
};

use arsenal_plugin_api::manifest::is_module_name;
use arsenal_store::Store;
use tokio::sync::Mutex as AsyncMutex;

use self::{dispatch::Subscription, revert::spawn_revert_listener, stall::spawn_stall_monitor};
use super::{
    backup::Backups,
    history::ReloadHistory,
    host_api::HostServices,
    loader::Loader,
    worker::{PluginWorker, RevertNotice, RevertPolicy},
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
    /// A call running longer than this is reported as stalled, and a reload or unload
    /// abandons a worker stuck for this long.
    pub stall_after: Duration,
    /// The most events and calls waiting for one module ([`DEFAULT_QUEUE_CAPACITY`]); more
    /// events are dropped for that module (counted), more calls refused as overloaded.
    pub queue_capacity: usize,
    /// How long a call made for a user waits for the module's answer
    /// ([`DEFAULT_CALL_TIMEOUT`]); also the bound on unloading and shutting down a module.
    pub call_timeout: Duration,
    /// When a reload is reverted to the version it replaced ([`RevertPolicy::default`]).
    pub revert: RevertPolicy,
}

/// Default [`ManagerConfig::queue_capacity`].
pub const DEFAULT_QUEUE_CAPACITY: usize = 10_000;
/// Default [`ManagerConfig::call_timeout`].
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(10);

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

/// A refused load, reload or unload. Match on [`ReloadError::kind`]; show `message` to people.
/// Unless the kind is [`ReloadErrorType::Stalled`], the previous state is untouched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadError {
    /// Module name as given.
    pub name: String,
    /// What went wrong.
    pub kind: ReloadErrorType,
    /// One readable line: what failed, why, what to do.
    pub message: String,
}

/// What kind of failure a [`ReloadError`] is. New variants may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReloadErrorType {
    /// The name is not `[a-z0-9_]{1,32}` (never a path).
    NotAModuleName,
    /// No `<name>.so` in the plugins folder.
    NoFile,
    /// The library was refused (not a plugin, wrong interface, bad manifest, its constructor
    /// failed or panicked, its data could not be backed up): the old version keeps serving.
    Refused,
    /// The module is not loaded (unload).
    NotLoaded,
    /// The new version's start (or the old one's stop) got stuck: the worker was abandoned and
    /// the module is stopped until loaded again.
    Stalled,
    /// The host itself failed (a thread could not start, a task crashed).
    Internal,
    /// Promote or roll back: the module has no canary.
    NoCanary,
    /// Start a canary: the module already has one (promote or roll it back first).
    CanaryRunning,
    /// Not loaded in this process: it would have let retired plugin code pass the budget, so
    /// the host is re-executing itself, and the new process loads the newest file.
    Reexecuting,
}

impl ReloadError {
    pub(crate) fn new(name: &str, kind: ReloadErrorType, message: String) -> Self {
        Self {
            name: name.to_owned(),
            kind,
            message,
        }
    }

    /// What kind of failure this is.
    #[must_use]
    pub fn kind(&self) -> ReloadErrorType {
        self.kind
    }
}

impl fmt::Display for ReloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReloadError {}

struct Inner {
    config: ManagerConfig,
    loader: Loader,
    services: HostServices,
    backups: Backups,
    history: ReloadHistory,
    workers: RwLock<BTreeMap<String, PluginWorker>>,
    reload_lock: AsyncMutex<()>,
    changes: tokio::sync::broadcast::Sender<String>,
    /// Module name → its canary (a second version serving one server). Taken before `workers`
    /// and `subscriptions` when both are needed; a call is queued under its read lock.
    canaries: RwLock<BTreeMap<String, canary::Canary>>,
    /// Event name → the workers subscribed to it.
    subscriptions: RwLock<HashMap<String, Subscription>>,
    /// Manifests of modules unloaded by command, so their commands can say "not loaded".
    retired: RwLock<BTreeMap<String, arsenal_plugin_api::Manifest>>,
    /// Where workers report automatic reverts (read by the revert-notices thread).
    revert_notices: std::sync::mpsc::Sender<RevertNotice>,
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
        let (revert_notices, notices) = std::sync::mpsc::channel();
        let inner = Arc::new(Inner {
            backups: Backups::new(config.backups_dir.clone(), config.keep_backups)
                .context("starting the backup thread")?,
            history: ReloadHistory::new(store.clone()).context("starting the history thread")?,
            services: HostServices::new(store),
            changes: tokio::sync::broadcast::channel(64).0,
            retired: RwLock::new(BTreeMap::new()),
            subscriptions: RwLock::new(HashMap::new()),
            loader,
            config,
            workers: RwLock::new(BTreeMap::new()),
            canaries: RwLock::new(BTreeMap::new()),
            reload_lock: AsyncMutex::new(()),
            revert_notices,
        });
        // The router holds the manager weakly: every worker's host handle reaches it, and the
        // manager owns the workers.
        let _ = inner
            .services
            .modules
            .set(ModuleRouter::new(Arc::downgrade(&inner)));
        spawn_stall_monitor(Arc::downgrade(&inner));
        spawn_revert_listener(Arc::downgrade(&inner), notices);
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

    /// Bounds the code retired by reloads (see [`CodeBudget`](crate::plugins::code_budget::CodeBudget)).
    pub fn set_code_budget(&self, budget: Arc<crate::plugins::code_budget::CodeBudget>) {
        self.inner.loader.set_code_budget(budget);
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
