//! What a worker shares with the rest of the host: the serving version's facts, counters, and
//! what its runner is doing right now (for stall detection and status).

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, MutexGuard, PoisonError,
    },
    time::{Duration, Instant, SystemTime},
};

use arsenal_plugin_api::Manifest;

/// At most one "queue full" warning per module in this long.
const DROP_LOG_EVERY: Duration = Duration::from_secs(10);

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
    /// This version serves because the host reverted a bad reload: from what, and why.
    pub reverted: Option<String>,
}

/// State shared between a worker thread and the rest of the host.
#[derive(Debug)]
pub struct WorkerShared {
    /// Module name.
    pub name: Arc<str>,
    pub(super) state: Mutex<WorkerState>,
    /// Events handled successfully.
    pub events_handled: AtomicU64,
    /// Events skipped while quarantined.
    pub events_skipped: AtomicU64,
    /// Calls that returned an error.
    pub calls_failed: AtomicU64,
    /// Events dropped because the queue was full.
    pub events_dropped: AtomicU64,
    /// Stuck runner threads abandoned (leaked) so far.
    pub abandoned: AtomicU64,
    /// The dropped count at the last "queue full" warning, and when it was logged.
    pub(super) drop_log: Mutex<(u64, Option<Instant>)>,
    /// What the current runner is doing, when it is in plugin code.
    pub(super) busy: Mutex<Option<Busy>>,
}

/// A runner in plugin code: which runner (generation), doing what, since when.
#[derive(Debug)]
pub(super) struct Busy {
    generation: u64,
    kind: Doing,
    since: Instant,
}

/// What a runner is busy with: a call kind (shared with the queued item, so marking a call
/// allocates nothing) or one of the host's own steps ([`super::SWAP`], unload).
#[derive(Debug, Clone)]
pub(super) enum Doing {
    Call(Arc<str>),
    Step(&'static str),
}

impl Doing {
    fn as_str(&self) -> &str {
        match self {
            Self::Call(kind) => kind,
            Self::Step(step) => step,
        }
    }
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

    pub(super) fn lock(&self) -> MutexGuard<'_, WorkerState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn update(&self, f: impl FnOnce(&mut WorkerState)) {
        f(&mut self.lock());
    }

    /// The call in progress (or [`SWAP`]) and for how long, if any.
    #[must_use]
    pub fn busy(&self) -> Option<(String, Duration)> {
        self.busy_lock()
            .as_ref()
            .map(|busy| (busy.kind.as_str().to_owned(), busy.since.elapsed()))
    }

    pub(super) fn busy_lock(&self) -> MutexGuard<'_, Option<Busy>> {
        self.busy.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn set_busy(&self, generation: u64, kind: Doing) {
        let since = Instant::now();
        *self.busy_lock() = Some(Busy {
            generation,
            kind,
            since,
        });
    }

    /// Clears the marker, unless another runner set it (an abandoned thread coming back).
    pub(super) fn set_idle(&self, generation: u64) {
        let mut busy = self.busy_lock();
        if busy.as_ref().is_some_and(|b| b.generation == generation) {
            *busy = None;
        }
    }

    /// Runs `abandon` and clears the marker if the runner has been in one call for at least
    /// `min` (whatever it is doing when `None`); returns what it was doing, or `None` when it
    /// was not stuck after all. The marker's lock is held throughout, so a runner just coming
    /// back from that call cannot take another item in between (it clears the marker first).
    pub(super) fn abandon_if_stuck(
        &self,
        min: Option<Duration>,
        abandon: impl FnOnce(),
    ) -> Option<(String, Duration)> {
        let mut busy = self.busy_lock();
        let doing = busy
            .as_ref()
            .map(|b| (b.kind.as_str().to_owned(), b.since.elapsed()));
        match (&doing, min) {
            (Some((_, running)), Some(min)) if *running < min => return None,
            (None, Some(_)) => return None,
            _ => {}
        }
        abandon();
        *busy = None;
        Some(doing.unwrap_or_else(|| ("its queue".to_owned(), Duration::ZERO)))
    }

    /// Counts an event dropped on a full queue; warns at most once per [`DROP_LOG_EVERY`].
    pub(super) fn event_dropped(&self, waiting: usize) {
        let dropped = self.events_dropped.fetch_add(1, Ordering::Relaxed) + 1;
        let mut log = self.drop_log.lock().unwrap_or_else(PoisonError::into_inner);
        if log.1.is_some_and(|at| at.elapsed() < DROP_LOG_EVERY) {
            return;
        }
        let since_last = dropped - log.0;
        *log = (dropped, Some(Instant::now()));
        drop(log);
        let busy = self
            .busy()
            .map(|(kind, running)| {
                format!(
                    "; it has been in `{kind}` for {:.1} s",
                    running.as_secs_f64()
                )
            })
            .unwrap_or_default();
        tracing::warn!(
            plugin = &*self.name,
            dropped = since_last,
            total = dropped,
            waiting,
            "the module's queue is full, so gateway events for it are dropped (other modules are unaffected){busy}; reload it if it is stuck"
        );
    }
}
