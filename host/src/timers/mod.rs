//! Durable timers for plugins: unmute, tempban end, giveaway end, ticket autoclose, reminders.
//!
//! A plugin asks the host to call it back at a wall-clock time. The host keeps every pending timer
//! in the store (namespace [`NAMESPACE`], key `<plugin>/<key>`, a human-readable JSON record), so
//! a timer survives host restarts, crashes and plugin reloads: other bots keep timed actions in
//! memory and lose them on restart, which is the complaint this module exists to fix.
//!
//! **Invariant:** memory mirrors the store. Every change is written durably first and applied in
//! memory after, both under one lock, so what the delivery loop sees is what a restart reloads.
//!
//! **At least once, never dropped.** A timer is deleted from the store only after its plugin
//! handled it ([`Delivery::Handled`]: the handler returned `Ok`). A delivery that fails (the
//! handler returned an error, panicked or did not answer in time: [`Delivery::Failed`]) keeps the
//! timer and retries it after [`RETRY_FIRST`], doubling each time up to [`RETRY_MAX`]; the timer
//! is not handed out meanwhile, and the plugin's other timers go on. A handler that fails for
//! ever is retried every [`RETRY_MAX`] for ever, each failure logged (a warning, an error once the
//! wait reached the cap) and shown by [`TimerService::pending`] (`failures`, `last_error`); it
//! ends when the handler succeeds, the plugin cancels or reschedules the key, or a human deletes
//! the record. A failure a module means as final is the module's to treat as done (return `Ok`).
//! The failure count is kept in memory (see [`retry`]): after a restart a failed timer is retried
//! at once. If the host stops in the few milliseconds between the handler's return and the
//! delete, the timer fires again after the restart. Handlers must therefore be idempotent
//! (unmuting a member who is not muted is harmless; a giveaway handler checks the giveaway is
//! still open). The alternative, deleting first, would turn the same crash into a member who
//! stays muted forever — a lost action is worse than a repeated, harmless one.
//!
//! **Wall clock.** Times are Unix milliseconds from [`SystemTime`], because "unmute at 14:00" is a
//! promise about the calendar and must hold across restarts (a monotonic clock starts over). The
//! loop never sleeps longer than one second and compares with the wall clock on every wake: after
//! the clock jumps forward (NTP correction, resume from suspend) overdue timers fire within a
//! second; after it jumps back, timers wait until the clock reaches their time again. A timer
//! never fires before its `at_unix_ms` as the clock reads it at delivery.
//!
//! **Order.** A plugin's due timers are delivered one at a time, in time order (ties by key).
//! Different plugins are delivered concurrently, so a slow or missing plugin delays only its own.
//! A plugin that is not loaded or is quarantined answers [`Delivery::NotReady`]: its timers stay
//! and are retried every [`NOT_READY_RETRY`], and at once after [`TimerService::retry_now`].
//! A failed timer waits out its own back-off without holding back the plugin's later timers.
//!
//! **Not before the bot can act.** [`TimerService::start_when`] holds every delivery until a
//! readiness signal is true (the host passes "every shard received READY"): a timer that came
//! due while the bot was stopped would otherwise fire at start before the gateway is connected,
//! when its handler cannot reach Discord.

mod claims;
mod delivery;
mod error;
mod records;
pub mod retry;
#[cfg(test)]
mod tests;

pub use claims::CLAIM_LEASE;
pub use error::{TimerError, TimerErrorType};
pub use retry::{RetryPolicy, RETRY_FIRST, RETRY_MAX};

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use arsenal_plugin_api::protocol::TimerFired;
use arsenal_store::{Store, StoreError};
use serde_json::Value;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use delivery::run;
use records::{json_len, load, store_key, validate, Entry, Timers};

/// The store namespace holding one record per pending timer.
pub const NAMESPACE: &str = "arsenal.timers";
/// Pending timers one plugin may hold; stops a buggy plugin from filling the store.
pub const MAX_PENDING_PER_PLUGIN: usize = 10_000;
/// Longest timer key, in characters.
pub const MAX_KEY_CHARS: usize = 100;
/// Largest payload, as JSON bytes. A payload should name things (ids), not carry data.
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;
/// How long a plugin that answered [`Delivery::NotReady`] waits before its timers are retried.
pub const NOT_READY_RETRY: Duration = Duration::from_secs(30);
/// Longest sleep of the delivery loop, which bounds how late a wall-clock jump is noticed.
const MAX_SLEEP: Duration = Duration::from_secs(1);

/// What happened when a timer was handed to its plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The plugin handled it: the timer is deleted.
    Handled,
    /// The plugin is not loaded or is quarantined: keep the plugin's timers and retry later.
    NotReady,
    /// The handler failed (returned an error, panicked, timed out): keep the timer and retry it
    /// with back-off ([`RetryPolicy`]). The text says why, for the log and [`PendingTimer`].
    Failed(String),
}

/// A timer waiting to fire, as [`TimerService::pending`] reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingTimer {
    pub plugin: String,
    pub key: String,
    pub at_unix_ms: u64,
    pub payload: Value,
    /// Failed deliveries in a row (0 when it never failed since it was scheduled).
    pub failures: u32,
    /// What the last failed delivery answered.
    pub last_error: Option<String>,
}

/// The durable timer service. Cheap to clone; all clones share one set of timers.
#[derive(Clone)]
pub struct TimerService {
    inner: Arc<Inner>,
    signals: Arc<Signals>,
}

struct Inner {
    store: Store,
    timers: Mutex<Timers>,
    /// Held across "write the store, then update memory": two writers of one key could
    /// otherwise land in one order on disk and in the other in memory. Timer changes are rare
    /// next to events, so serialising their fsyncs costs nothing users notice.
    writes: Mutex<()>,
    max_pending_per_plugin: usize,
    retry: RetryPolicy,
    /// Who claims due timers in the store (the fleet's process id; see [`claims`]).
    owner: Mutex<String>,
    /// How long a claim lasts (at least [`CLAIM_LEASE`]).
    lease: Mutex<Duration>,
}

/// Kept apart from [`Inner`] so the loop can wait on them without keeping the timers alive.
#[derive(Default)]
struct Signals {
    wake: Notify,
    /// Bumped by `retry_now`; the loop drops all NotReady back-offs when it changes.
    retry_generation: AtomicU64,
    /// Set while a delivery loop runs: a second loop would deliver every timer twice.
    running: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Critical sections leave the data consistent before anything that can panic.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Milliseconds since the Unix epoch by the wall clock (0 if the clock is set before 1970).
pub fn now_unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl TimerService {
    /// Load the pending timers from `store`. A record that cannot be read is logged and left in
    /// the store untouched (for a human to fix), never fatal.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn new(store: Store) -> Result<Self, StoreError> {
        Self::with_options(store, MAX_PENDING_PER_PLUGIN, RetryPolicy::default())
    }

    fn with_options(
        store: Store,
        max_pending_per_plugin: usize,
        retry: RetryPolicy,
    ) -> Result<Self, StoreError> {
        let timers = load(&store)?;
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                timers: Mutex::new(timers),
                writes: Mutex::new(()),
                max_pending_per_plugin,
                retry,
                owner: Mutex::new(format!("pid-{}", std::process::id())),
                lease: Mutex::new(CLAIM_LEASE),
            }),
            signals: Arc::new(Signals::default()),
        })
    }

    /// Re-read every timer from the store. The host calls this after the store took in a hand
    /// edit (`!load_all`), so memory mirrors the store again.
    ///
    /// # Errors
    /// When the store cannot be read; then the timers in memory are unchanged.
    pub fn reload_from_store(&self) -> Result<(), StoreError> {
        let _writes = lock(&self.inner.writes);
        let timers = load(&self.inner.store)?;
        *lock(&self.inner.timers) = timers;
        drop(_writes);
        self.signals.wake.notify_one();
        Ok(())
    }

    /// Schedule (or reschedule: the same `(plugin, key)` replaces) a timer. Durable on return.
    /// A time in the past fires as soon as the delivery loop runs.
    ///
    /// # Errors
    /// [`TimerErrorType::InvalidKey`], [`TimerErrorType::InvalidPlugin`],
    /// [`TimerErrorType::PayloadTooLarge`], [`TimerErrorType::TooManyTimers`], or
    /// [`TimerErrorType::Store`] when the write failed (then nothing changed).
    pub fn schedule(
        &self,
        plugin: &str,
        key: &str,
        at_unix_ms: u64,
        payload: Value,
    ) -> Result<(), TimerError> {
        validate(plugin, key)?;
        let bytes = json_len(&payload);
        if bytes > MAX_PAYLOAD_BYTES {
            return Err(TimerError::new(TimerErrorType::PayloadTooLarge {
                bytes,
                limit: MAX_PAYLOAD_BYTES,
            }));
        }
        let record = serde_json::json!({
            "plugin": plugin, "key": key, "at_unix_ms": at_unix_ms, "payload": payload,
        });
        let _writes = lock(&self.inner.writes);
        {
            let timers = lock(&self.inner.timers);
            let limit = self.inner.max_pending_per_plugin;
            if timers.get(plugin, key).is_none() && timers.count(plugin) >= limit {
                return Err(TimerError::new(TimerErrorType::TooManyTimers {
                    plugin: plugin.to_owned(),
                    limit,
                }));
            }
        }
        let version = self
            .inner
            .store
            .set(NAMESPACE, &store_key(plugin, key), record)
            .map_err(TimerError::store)?;
        let entry = Entry {
            at_unix_ms,
            payload,
            version,
            failures: None,
            held_until: None,
        };
        lock(&self.inner.timers).insert(plugin, key, entry);
        drop(_writes);
        // The loop may be sleeping on a later timer.
        self.signals.wake.notify_one();
        Ok(())
    }

    /// Cancel a plugin's timer; returns whether it existed. Durable on return.
    ///
    /// # Errors
    /// [`TimerErrorType::InvalidKey`], [`TimerErrorType::InvalidPlugin`], or
    /// [`TimerErrorType::Store`] when the delete failed (then the timer is still pending).
    pub fn cancel(&self, plugin: &str, key: &str) -> Result<bool, TimerError> {
        validate(plugin, key)?;
        let _writes = lock(&self.inner.writes);
        // Deleting in the store even when memory has no entry also clears a damaged record.
        let existed = self
            .inner
            .store
            .delete(NAMESPACE, &store_key(plugin, key))
            .map_err(TimerError::store)?;
        let removed = lock(&self.inner.timers).remove(plugin, key).is_some();
        Ok(existed || removed)
    }

    /// Pending timers (of one plugin, or all), sorted by time, then plugin, then key.
    pub fn pending(&self, plugin: Option<&str>) -> Vec<PendingTimer> {
        let timers = lock(&self.inner.timers);
        timers
            .by_time
            .iter()
            .filter(|(_, p, _)| plugin.is_none_or(|want| want == p))
            .filter_map(|(_, p, k)| {
                let e = timers.get(p, k)?;
                Some(PendingTimer {
                    plugin: p.clone(),
                    key: k.clone(),
                    at_unix_ms: e.at_unix_ms,
                    payload: e.payload.clone(),
                    failures: e.failures.as_ref().map_or(0, |f| f.count),
                    last_error: e.failures.as_ref().map(|f| f.last_error.clone()),
                })
            })
            .collect()
    }

    /// Retry timers that got [`Delivery::NotReady`] or [`Delivery::Failed`] now instead of after
    /// their back-off (a failed timer keeps its failure count). The host calls this after a
    /// plugin loads or reloads: the new version may handle what the old one could not.
    pub fn retry_now(&self) {
        let now = tokio::time::Instant::now();
        for entries in lock(&self.inner.timers).by_plugin.values_mut() {
            for failures in entries.values_mut().filter_map(|e| e.failures.as_mut()) {
                failures.retry_at = now;
            }
        }
        self.signals.retry_generation.fetch_add(1, Ordering::AcqRel);
        self.signals.wake.notify_one();
    }

    /// Start the delivery loop on the current tokio runtime: it sleeps until the next due timer
    /// (woken early when a sooner one is scheduled), then calls `deliver(plugin, TimerFired)` for
    /// each due timer, in time order per plugin, deletes it once it was `Handled` and retries it
    /// with back-off when it `Failed`.
    ///
    /// It runs until the handle is aborted or the last `TimerService` clone is dropped (dropping
    /// the `JoinHandle` alone detaches it, as for any tokio task). Only one loop runs at a time:
    /// a second `start` while one runs logs an error and returns a finished task.
    ///
    /// # Panics
    /// Outside a tokio runtime.
    pub fn start<D, F>(&self, deliver: D) -> JoinHandle<()>
    where
        D: Fn(String, TimerFired) -> F + Send + Sync + 'static,
        F: Future<Output = Delivery> + Send + 'static,
    {
        self.spawn_loop(None, deliver)
    }

    /// Like [`TimerService::start`], but nothing is delivered while `ready` is false (before the
    /// bot is connected to Discord): a timer due at start waits until its handler can act.
    ///
    /// # Panics
    /// Outside a tokio runtime.
    pub fn start_when<D, F>(&self, ready: watch::Receiver<bool>, deliver: D) -> JoinHandle<()>
    where
        D: Fn(String, TimerFired) -> F + Send + Sync + 'static,
        F: Future<Output = Delivery> + Send + 'static,
    {
        self.spawn_loop(Some(ready), deliver)
    }

    fn spawn_loop<D, F>(&self, ready: Option<watch::Receiver<bool>>, deliver: D) -> JoinHandle<()>
    where
        D: Fn(String, TimerFired) -> F + Send + Sync + 'static,
        F: Future<Output = Delivery> + Send + 'static,
    {
        let inner = Arc::downgrade(&self.inner);
        let signals = self.signals.clone();
        tokio::spawn(run(inner, signals, ready, Arc::new(deliver)))
    }
}

impl fmt::Debug for TimerService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pending = lock(&self.inner.timers).by_time.len();
        f.debug_struct("TimerService")
            .field("pending", &pending)
            .finish_non_exhaustive()
    }
}

// Compile-time proof that the service and its error cross threads.
const _: fn() = || {
    fn check<T: Send + Sync + Clone + fmt::Debug>() {}
    check::<TimerService>();
    fn check_err<T: std::error::Error + Send + Sync + 'static>() {}
    check_err::<TimerError>();
};
