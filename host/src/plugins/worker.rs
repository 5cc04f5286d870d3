//! One serial worker thread per plugin: the only thread that ever calls into the plugin.
//!
//! **Invariant:** calls, events and swaps for a plugin travel through one FIFO queue and are
//! handled one at a time, so a reload never loses, duplicates or reorders an event: everything
//! queued before the swap is handled by the old version, everything after by the new one.

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        mpsc, Arc, Mutex, MutexGuard, PoisonError,
    },
    thread,
    time::{Duration, Instant, SystemTime},
};

use abi_stable::std_types::{RResult, RStr};
use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode, PluginBox},
    protocol::kind,
    Manifest,
};
use tokio::sync::oneshot;
use twilight_model::id::{marker::GuildMarker, Id};

use super::{
    backup::Backups,
    host_api::{host_handle, plugin_namespace, with_call_guild, HostServices},
    loader::LoadedLibrary,
};

/// Consecutive panics after which a plugin is quarantined until reloaded.
pub const QUARANTINE_AFTER: u32 = 3;

/// The answer to a call: the plugin's JSON or an error.
pub type CallResult = Result<String, AbiError>;

pub(crate) enum WorkItem {
    Call {
        kind: Arc<str>,
        payload: Arc<str>,
        /// The server the call acts for (a member's command, button or form), if any.
        guild: Option<Id<GuildMarker>>,
        reply: Option<oneshot::Sender<CallResult>>,
    },
    Swap {
        library: Box<LoadedLibrary>,
        reply: oneshot::Sender<Result<SwapOutcome, String>>,
    },
    Stop {
        reply: oneshot::Sender<()>,
    },
}

/// What a successful swap replaced.
#[derive(Debug, Clone)]
pub struct SwapOutcome {
    /// The version that was serving before, if any.
    pub old_version: Option<String>,
    /// Its file hash.
    pub old_hash: Option<String>,
    /// How long backing up the data took.
    pub backup: Duration,
    /// How long instantiating the new version took.
    pub instantiate: Duration,
}

/// Live facts about a worker, read by status commands.
#[derive(Debug, Clone, Default)]
pub struct WorkerState {
    /// The serving version's manifest.
    pub manifest: Option<Manifest>,
    /// Its file hash.
    pub file_hash: Option<String>,
    /// Its file size.
    pub file_size: u64,
    /// When it started serving.
    pub loaded_since: Option<SystemTime>,
    /// The last error a call returned.
    pub last_error: Option<String>,
    /// Panics since the last successful call.
    pub consecutive_panics: u32,
    /// Why it is quarantined, if it is.
    pub quarantined: Option<String>,
    /// The plugin's file was deleted; this version keeps running from memory.
    pub file_deleted: bool,
}

/// State shared between a worker thread and the rest of the host.
#[derive(Debug)]
pub struct WorkerShared {
    /// Module name.
    pub name: Arc<str>,
    state: Mutex<WorkerState>,
    /// Events handled successfully.
    pub events_handled: AtomicU64,
    /// Events skipped while quarantined.
    pub events_skipped: AtomicU64,
    /// Calls that returned an error.
    pub calls_failed: AtomicU64,
    /// Milliseconds since the host started when the current call began; 0 when idle.
    busy_since_ms: AtomicU64,
    busy_kind: Mutex<String>,
    epoch: Instant,
}

impl WorkerShared {
    /// A snapshot of the state.
    #[must_use]
    pub fn state(&self) -> WorkerState {
        self.lock().clone()
    }

    /// Reads part of the state without copying the rest (the manifest can be large).
    pub fn read<T>(&self, f: impl FnOnce(&WorkerState) -> T) -> T {
        f(&self.lock())
    }

    /// The serving version and its file hash, if any.
    #[must_use]
    pub fn version_and_hash(&self) -> (Option<String>, Option<String>) {
        self.read(|s| {
            (
                s.manifest.as_ref().map(|m| m.version.clone()),
                s.file_hash.clone(),
            )
        })
    }

    fn lock(&self) -> MutexGuard<'_, WorkerState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn update(&self, f: impl FnOnce(&mut WorkerState)) {
        f(&mut self.lock());
    }

    /// The call in progress and for how long, if any.
    #[must_use]
    pub fn busy(&self) -> Option<(String, Duration)> {
        let since = self.busy_since_ms.load(Ordering::Acquire);
        if since == 0 {
            return None;
        }
        let now = self.epoch.elapsed().as_millis() as u64;
        let kind = self
            .busy_kind
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Some((kind, Duration::from_millis(now.saturating_sub(since))))
    }

    fn set_busy(&self, kind: &str) {
        *self
            .busy_kind
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = kind.to_owned();
        let now = (self.epoch.elapsed().as_millis() as u64).max(1);
        self.busy_since_ms.store(now, Ordering::Release);
    }

    fn set_idle(&self) {
        self.busy_since_ms.store(0, Ordering::Release);
    }
}

/// The handle to a plugin's worker thread.
#[derive(Debug, Clone)]
pub struct PluginWorker {
    queue: mpsc::Sender<WorkItem>,
    /// Shared state.
    pub shared: Arc<WorkerShared>,
}

impl PluginWorker {
    /// Starts an empty worker for module `name` (it serves nothing until its first swap).
    pub(crate) fn spawn(
        name: &str,
        services: HostServices,
        backups: Backups,
    ) -> std::io::Result<Self> {
        let (queue, receiver) = mpsc::channel();
        let shared = Arc::new(WorkerShared {
            name: Arc::from(name),
            state: Mutex::new(WorkerState::default()),
            events_handled: AtomicU64::new(0),
            events_skipped: AtomicU64::new(0),
            calls_failed: AtomicU64::new(0),
            busy_since_ms: AtomicU64::new(0),
            busy_kind: Mutex::new(String::new()),
            epoch: Instant::now(),
        });
        let mut runner = Runner {
            shared: Arc::clone(&shared),
            services,
            backups,
            instance: None,
        };
        thread::Builder::new()
            .name(format!("plugin-{name}"))
            .spawn(move || runner.run(&receiver))?;
        Ok(Self { queue, shared })
    }

    /// Queues an item; fails only if the worker has stopped.
    pub(crate) fn send(&self, item: WorkItem) -> Result<(), AbiError> {
        self.queue.send(item).map_err(|_| {
            AbiError::new(
                ErrorCode::Failed,
                format!("module {} has been stopped", self.shared.name),
            )
        })
    }
}

struct Runner {
    shared: Arc<WorkerShared>,
    services: HostServices,
    backups: Backups,
    instance: Option<PluginBox>,
}

impl Runner {
    fn run(&mut self, receiver: &mpsc::Receiver<WorkItem>) {
        while let Ok(item) = receiver.recv() {
            match item {
                WorkItem::Call {
                    kind,
                    payload,
                    guild,
                    reply,
                } => {
                    let result = with_call_guild(guild, || self.call(&kind, &payload));
                    if let Some(reply) = reply {
                        let _ = reply.send(result);
                    }
                }
                WorkItem::Swap { library, reply } => {
                    let _ = reply.send(self.swap(*library));
                }
                WorkItem::Stop { reply } => {
                    self.retire();
                    let _ = reply.send(());
                    return;
                }
            }
        }
        self.retire();
    }

    fn call(&mut self, call: &str, payload: &str) -> CallResult {
        let is_event = call.starts_with(kind::EVENT_PREFIX);
        let name = Arc::clone(&self.shared.name);
        let Some(instance) = self.instance.as_mut() else {
            return Err(AbiError::new(
                ErrorCode::Failed,
                format!("module {name} is not loaded; load it with `!module load {name}`"),
            ));
        };
        if let Some(reason) = self.shared.lock().quarantined.clone() {
            if is_event {
                self.shared.events_skipped.fetch_add(1, Ordering::Relaxed);
            }
            return Err(AbiError::new(ErrorCode::Failed, reason));
        }
        self.shared.set_busy(call);
        let result: RResult<_, AbiError> =
            instance.call(RStr::from_str(call), RStr::from_str(payload));
        self.shared.set_idle();
        match result.into_result() {
            Ok(answer) => {
                if is_event {
                    self.shared.events_handled.fetch_add(1, Ordering::Relaxed);
                }
                self.shared.update(|s| s.consecutive_panics = 0);
                Ok(answer.into_string())
            }
            Err(error) => {
                self.shared.calls_failed.fetch_add(1, Ordering::Relaxed);
                let panicked = error.kind() == ErrorCode::Panicked;
                self.shared.update(|s| {
                    s.last_error = Some(error.message.to_string());
                    if panicked {
                        s.consecutive_panics += 1;
                        if s.consecutive_panics >= QUARANTINE_AFTER {
                            s.quarantined = Some(format!(
                                "module {name} is quarantined after {} panics in a row (last: {}); fix it and reload it with `/reload module {name}`",
                                s.consecutive_panics, error.message
                            ));
                        }
                    }
                });
                if panicked {
                    tracing::error!(plugin = &*name, call, "plugin panicked: {}", error.message);
                } else {
                    tracing::warn!(
                        plugin = &*name,
                        call,
                        "plugin call failed: {}",
                        error.message
                    );
                }
                Err(error)
            }
        }
    }

    fn swap(&mut self, library: LoadedLibrary) -> Result<SwapOutcome, String> {
        let name = Arc::clone(&self.shared.name);
        let (old_version, old_hash) = self.shared.version_and_hash();
        let backup_started = Instant::now();
        if self.instance.is_some() {
            let version = old_version.as_deref().unwrap_or("?");
            self.backups
                .save(&self.services.store, &plugin_namespace(&name), &name, version)
                .map_err(|e| format!("backing up the data of {name} failed, so the reload was not attempted: {e}"))?;
        }
        let backup = backup_started.elapsed();
        let host = host_handle(&name, self.services.clone());
        let started = Instant::now();
        let created: Result<PluginBox, AbiError> = (library.module.instantiate())(host).into();
        let instantiate = started.elapsed();
        let new_instance = created.map_err(|e| match e.kind() {
            ErrorCode::Panicked => format!(
                "{name} {} panicked while starting: {}",
                library.manifest.version, e.message
            ),
            _ => format!(
                "{name} {} refused to start: {}",
                library.manifest.version, e.message
            ),
        })?;
        self.retire();
        self.instance = Some(new_instance);
        self.shared.update(|s| {
            s.manifest = Some(library.manifest.clone());
            s.file_hash = Some(library.file_hash.clone());
            s.file_size = library.file_size;
            s.loaded_since = Some(SystemTime::now());
            s.last_error = None;
            s.consecutive_panics = 0;
            s.quarantined = None;
            s.file_deleted = false;
        });
        Ok(SwapOutcome {
            old_version,
            old_hash,
            backup,
            instantiate,
        })
    }

    /// Tells the serving instance it is leaving, then drops it (its code stays mapped).
    fn retire(&mut self) {
        if let Some(mut old) = self.instance.take() {
            let result: RResult<_, AbiError> =
                old.call(RStr::from_str(kind::UNLOAD), RStr::from_str("null"));
            if let RResult::RErr(error) = result {
                tracing::warn!(
                    plugin = &*self.shared.name,
                    "on_unload failed: {}",
                    error.message
                );
            }
            drop(old);
        }
    }
}
