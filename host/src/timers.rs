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
//! **At least once.** A timer is deleted from the store only after its plugin handled it. If the
//! host stops in the few milliseconds between the handler's return and that delete, the timer fires
//! again after the restart. Handlers must therefore be idempotent (unmuting a member who is not
//! muted is harmless; a giveaway handler checks the giveaway is still open). The alternative,
//! deleting first, would turn the same crash into a member who stays muted forever — a lost
//! action is worse than a repeated, harmless one.
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

use std::collections::{BTreeSet, HashMap, HashSet};
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use arsenal_plugin_api::protocol::TimerFired;
use arsenal_store::{CommitOutcome, Store, StoreError, Transaction, Versioned};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The plugin ran it. An error the handler returned is logged by the caller, not retried:
    /// a handler that fails every time would otherwise fire forever.
    Handled,
    /// The plugin is not loaded or is quarantined: keep the timer and retry later.
    NotReady,
}

/// A timer waiting to fire, as [`TimerService::pending`] reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingTimer {
    pub plugin: String,
    pub key: String,
    pub at_unix_ms: u64,
    pub payload: Value,
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

struct Entry {
    at_unix_ms: u64,
    payload: Value,
    /// Store version of the record, so a delete after delivery cannot remove a newer schedule.
    version: u64,
}

#[derive(Default)]
struct Timers {
    by_plugin: HashMap<String, HashMap<String, Entry>>,
    /// `(at_unix_ms, plugin, key)`: the delivery order.
    by_time: BTreeSet<(u64, String, String)>,
}

impl Timers {
    fn get(&self, plugin: &str, key: &str) -> Option<&Entry> {
        self.by_plugin.get(plugin).and_then(|m| m.get(key))
    }

    fn count(&self, plugin: &str) -> usize {
        self.by_plugin.get(plugin).map_or(0, HashMap::len)
    }

    fn insert(&mut self, plugin: &str, key: &str, entry: Entry) {
        self.by_time
            .insert((entry.at_unix_ms, plugin.to_owned(), key.to_owned()));
        let old = self
            .by_plugin
            .entry(plugin.to_owned())
            .or_default()
            .insert(key.to_owned(), entry);
        if let Some(old) = old {
            self.unindex(old.at_unix_ms, plugin, key);
        }
    }

    fn remove(&mut self, plugin: &str, key: &str) -> Option<Entry> {
        let map = self.by_plugin.get_mut(plugin)?;
        let old = map.remove(key)?;
        if map.is_empty() {
            self.by_plugin.remove(plugin);
        }
        self.unindex(old.at_unix_ms, plugin, key);
        Some(old)
    }

    fn unindex(&mut self, at_unix_ms: u64, plugin: &str, key: &str) {
        if self.get(plugin, key).map(|e| e.at_unix_ms) != Some(at_unix_ms) {
            self.by_time
                .remove(&(at_unix_ms, plugin.to_owned(), key.to_owned()));
        }
    }
}

/// The record kept in the store; what a human sees in `arsenal.timers.json`.
#[derive(Serialize, Deserialize)]
struct TimerRecord {
    plugin: String,
    key: String,
    at_unix_ms: u64,
    #[serde(default)]
    payload: Value,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Critical sections leave the data consistent before anything that can panic.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn store_key(plugin: &str, key: &str) -> String {
    format!("{plugin}/{key}")
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
        Self::with_limit(store, MAX_PENDING_PER_PLUGIN)
    }

    fn with_limit(store: Store, max_pending_per_plugin: usize) -> Result<Self, StoreError> {
        let timers = load(&store)?;
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                timers: Mutex::new(timers),
                writes: Mutex::new(()),
                max_pending_per_plugin,
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
                })
            })
            .collect()
    }

    /// Retry timers that got [`Delivery::NotReady`] now instead of after the back-off. The host
    /// calls this after a plugin loads.
    pub fn retry_now(&self) {
        self.signals.retry_generation.fetch_add(1, Ordering::AcqRel);
        self.signals.wake.notify_one();
    }

    /// Start the delivery loop on the current tokio runtime: it sleeps until the next due timer
    /// (woken early when a sooner one is scheduled), then calls `deliver(plugin, TimerFired)` for
    /// each due timer, in time order per plugin, and deletes it once it was `Handled`.
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
        let inner = Arc::downgrade(&self.inner);
        let signals = self.signals.clone();
        tokio::spawn(run(inner, signals, Arc::new(deliver)))
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

impl Inner {
    /// Up to one batch per plugin that is not `blocked`: all its due keys, in time order.
    /// Also returns the time of the next timer that is not yet due and not blocked.
    fn due_batches(
        &self,
        now: u64,
        blocked: impl Fn(&str) -> bool,
    ) -> (HashMap<String, Vec<String>>, Option<u64>) {
        let timers = lock(&self.timers);
        let mut batches: HashMap<String, Vec<String>> = HashMap::new();
        for (at, plugin, key) in &timers.by_time {
            if blocked(plugin) {
                continue;
            }
            if *at > now {
                return (batches, Some(*at));
            }
            batches.entry(plugin.clone()).or_default().push(key.clone());
        }
        (batches, None)
    }

    /// The timer as it is now, if it still exists and is due.
    fn due_entry(&self, plugin: &str, key: &str) -> Option<(TimerFired, u64)> {
        let timers = lock(&self.timers);
        let e = timers.get(plugin, key)?;
        (e.at_unix_ms <= now_unix_ms()).then(|| {
            let fired = TimerFired {
                key: key.to_owned(),
                at_unix_ms: e.at_unix_ms,
                payload: e.payload.clone(),
            };
            (fired, e.version)
        })
    }

    /// Delete a handled timer unless it was rescheduled (or cancelled) while it ran.
    fn remove_handled(&self, plugin: &str, key: &str, version: u64) -> Result<(), StoreError> {
        let _writes = lock(&self.writes);
        let id = store_key(plugin, key);
        let txn = Transaction::new()
            .check(id.as_str(), Some(version))
            .delete(id);
        let result = self.store.commit(NAMESPACE, txn);
        let mut timers = lock(&self.timers);
        let unchanged = timers
            .get(plugin, key)
            .is_some_and(|e| e.version == version);
        // A conflict with memory unchanged means the record changed behind this service (a
        // hand edit taken in by `!load_all` without `reload_from_store`); a failed delete leaves
        // it in the store. Either way it must not fire again in this process (a disk that stays
        // full would deliver it in a loop); a restart reloads whatever the store holds, which
        // is the at-least-once promise. A conflict with memory changed is a reschedule or
        // cancel made while it ran: memory already holds that newer state.
        if unchanged {
            timers.remove(plugin, key);
            if let Ok(CommitOutcome::Conflict { .. }) = result {
                tracing::warn!(plugin, timer = key,
                    "a handled timer's record changed in the store behind the timer service; it stays there until the next restart or reload");
            }
        }
        result.map(|_| ())
    }
}

/// Resets [`Signals::running`] however the loop ends (return, abort, panic).
struct RunningFlag(Arc<Signals>);

impl Drop for RunningFlag {
    fn drop(&mut self) {
        self.0.running.store(false, Ordering::Release);
    }
}

enum BatchOutcome {
    Done,
    NotReady { generation: u64 },
}

async fn run<D, F>(inner: Weak<Inner>, signals: Arc<Signals>, deliver: Arc<D>)
where
    D: Fn(String, TimerFired) -> F + Send + Sync + 'static,
    F: Future<Output = Delivery> + Send + 'static,
{
    if signals.running.swap(true, Ordering::AcqRel) {
        tracing::error!("the timer delivery loop is already running; not starting a second one (it would deliver every timer twice)");
        return;
    }
    let _running = RunningFlag(signals.clone());
    let mut tasks: JoinSet<BatchOutcome> = JoinSet::new();
    let mut busy: HashMap<tokio::task::Id, String> = HashMap::new();
    let mut backoff: HashMap<String, Instant> = HashMap::new();
    let mut seen_generation = signals.retry_generation.load(Ordering::Acquire);
    loop {
        let generation = signals.retry_generation.load(Ordering::Acquire);
        if generation != seen_generation {
            seen_generation = generation;
            backoff.clear();
        }
        let now = Instant::now();
        backoff.retain(|_, until| *until > now);

        let next_due = {
            let Some(inner) = inner.upgrade() else {
                return; // every TimerService handle is gone
            };
            let in_flight: HashSet<&str> = busy.values().map(String::as_str).collect();
            let (batches, next_due) = inner.due_batches(now_unix_ms(), |p| {
                in_flight.contains(p) || backoff.contains_key(p)
            });
            for (plugin, keys) in batches {
                let task = deliver_batch(
                    inner.clone(),
                    deliver.clone(),
                    plugin.clone(),
                    keys,
                    generation,
                );
                busy.insert(tasks.spawn(task).id(), plugin);
            }
            next_due
        };
        // Sleep by the monotonic clock but never long, so the wall clock is re-read often.
        let mut sleep = MAX_SLEEP;
        if let Some(at) = next_due {
            sleep = sleep.min(Duration::from_millis(at.saturating_sub(now_unix_ms())));
        }
        if let Some(until) = backoff.values().min() {
            sleep = sleep.min(until.saturating_duration_since(now));
        }
        tokio::select! {
            () = tokio::time::sleep(sleep) => {}
            () = signals.wake.notified() => {}
            Some(joined) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                let (id, back_off) = match joined {
                    // A retry_now that came while the batch ran (the plugin loaded meanwhile)
                    // must not be swallowed by a back-off set after it.
                    Ok((id, BatchOutcome::NotReady { generation })) => {
                        (id, generation == signals.retry_generation.load(Ordering::Acquire))
                    }
                    Ok((id, BatchOutcome::Done)) => (id, false),
                    // A panicking `deliver`: keep the timers, try again after the back-off.
                    Err(e) => {
                        let plugin = busy.get(&e.id()).map_or("?", String::as_str);
                        tracing::error!(plugin, error = %e, "timer delivery failed; the module's timers are kept and retried later");
                        (e.id(), true)
                    }
                };
                if let Some(plugin) = busy.remove(&id) {
                    if back_off {
                        tracing::debug!(plugin = %plugin, "module not ready for its timers; retrying later");
                        backoff.insert(plugin, Instant::now() + NOT_READY_RETRY);
                    }
                }
            }
        }
    }
}

/// Deliver one plugin's due timers in order; stop at the first `NotReady`.
async fn deliver_batch<D, F>(
    inner: Arc<Inner>,
    deliver: Arc<D>,
    plugin: String,
    keys: Vec<String>,
    generation: u64,
) -> BatchOutcome
where
    D: Fn(String, TimerFired) -> F + Send + Sync + 'static,
    F: Future<Output = Delivery> + Send + 'static,
{
    for key in keys {
        // Cancelled or moved to a later time since the batch was taken: skip it.
        let Some((fired, version)) = inner.due_entry(&plugin, &key) else {
            continue;
        };
        match deliver(plugin.clone(), fired).await {
            Delivery::NotReady => return BatchOutcome::NotReady { generation },
            Delivery::Handled => {
                let (inner, p, k) = (inner.clone(), plugin.clone(), key.clone());
                // The store blocks on fsync: keep it off the runtime's worker threads.
                let removed =
                    tokio::task::spawn_blocking(move || inner.remove_handled(&p, &k, version))
                        .await;
                match removed {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => tracing::error!(plugin = %plugin, timer = %key, error = %e,
                        "could not delete a handled timer from the store; it fires again after the next restart"),
                    Err(e) => tracing::error!(plugin = %plugin, timer = %key, error = %e,
                        "deleting a handled timer did not finish"),
                }
            }
        }
    }
    BatchOutcome::Done
}

/// Read every timer record from the store, logging and skipping the ones that cannot be used.
fn load(store: &Store) -> Result<Timers, StoreError> {
    let mut timers = Timers::default();
    for (id, versioned) in store.list(NAMESPACE, "")? {
        if let Some((plugin, key, entry)) = parse_record(&id, versioned) {
            timers.insert(&plugin, &key, entry);
        }
    }
    Ok(timers)
}

/// A stored record as `(plugin, key, entry)`, or `None` (logged) when it is damaged.
fn parse_record(id: &str, versioned: Versioned) -> Option<(String, String, Entry)> {
    let record = match serde_json::from_value::<TimerRecord>(versioned.value) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(namespace = NAMESPACE, key = %id, error = %e,
                "skipping a damaged timer record; fix or delete it in the namespace file, then `!load_all`");
            return None;
        }
    };
    if validate(&record.plugin, &record.key).is_err()
        || id != store_key(&record.plugin, &record.key)
    {
        tracing::warn!(namespace = NAMESPACE, key = %id, plugin = %record.plugin, timer = %record.key,
            "skipping a timer record whose store key is not `<plugin>/<key>`; fix or delete it in the namespace file");
        return None;
    }
    let entry = Entry {
        at_unix_ms: record.at_unix_ms,
        payload: record.payload,
        version: versioned.version,
    };
    Some((record.plugin, record.key, entry))
}

fn validate(plugin: &str, key: &str) -> Result<(), TimerError> {
    if plugin.is_empty() || plugin.contains('/') {
        return Err(TimerError::new(TimerErrorType::InvalidPlugin {
            plugin: plugin.to_owned(),
        }));
    }
    let reason = if key.is_empty() {
        Some("it is empty")
    } else if key.chars().count() > MAX_KEY_CHARS {
        Some("it is longer than 100 characters")
    } else if key.contains('/') {
        Some("it contains '/'")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(TimerError::new(TimerErrorType::InvalidKey {
            // Enough to recognise it; a 1 MB key must not end up in every log line.
            key: key.chars().take(MAX_KEY_CHARS).collect(),
            reason,
        })),
        None => Ok(()),
    }
}

fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a `Value` into a counter cannot fail.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

/// An error from the timer service. Match on [`TimerError::kind`]; print it for humans.
#[derive(Debug)]
pub struct TimerError {
    kind: TimerErrorType,
    source: Option<Box<dyn Error + Send + Sync>>,
}

/// What went wrong. New variants may be added.
#[derive(Debug)]
#[non_exhaustive]
pub enum TimerErrorType {
    /// The key is empty, longer than [`MAX_KEY_CHARS`] characters, or contains `/`.
    InvalidKey { key: String, reason: &'static str },
    /// The plugin name is empty or contains `/` (a host bug: plugin names are validated at load).
    InvalidPlugin { plugin: String },
    /// The payload is larger than [`MAX_PAYLOAD_BYTES`] as JSON.
    PayloadTooLarge { bytes: usize, limit: usize },
    /// The plugin already has the most pending timers it may have.
    TooManyTimers { plugin: String, limit: usize },
    /// The store could not write the change; nothing changed. The source is a `StoreError`.
    Store,
}

impl TimerError {
    fn new(kind: TimerErrorType) -> Self {
        Self { kind, source: None }
    }

    fn store(e: StoreError) -> Self {
        Self {
            kind: TimerErrorType::Store,
            source: Some(Box::new(e)),
        }
    }

    /// The kind of error.
    pub fn kind(&self) -> &TimerErrorType {
        &self.kind
    }

    /// The underlying cause, if any.
    pub fn into_source(self) -> Option<Box<dyn Error + Send + Sync>> {
        self.source
    }

    /// Kind and cause, by value.
    pub fn into_parts(self) -> (TimerErrorType, Option<Box<dyn Error + Send + Sync>>) {
        (self.kind, self.source)
    }
}

impl fmt::Display for TimerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TimerErrorType::InvalidKey { key, reason } => write!(
                f,
                "invalid timer key {key:?}: {reason}; use 1 to {MAX_KEY_CHARS} characters without '/'"
            ),
            TimerErrorType::InvalidPlugin { plugin } => {
                write!(f, "invalid module name {plugin:?} for a timer: it must be non-empty and contain no '/'")
            }
            TimerErrorType::PayloadTooLarge { bytes, limit } => write!(
                f,
                "timer payload is {bytes} bytes of JSON, over the {limit}-byte limit; put ids in the payload and keep the data in the plugin's store"
            ),
            TimerErrorType::TooManyTimers { plugin, limit } => write!(
                f,
                "module {plugin} already has {limit} pending timers, the most allowed; cancel timers it no longer needs or reuse keys (scheduling an existing key replaces it)"
            ),
            TimerErrorType::Store => {
                write!(f, "the timer change was not saved, nothing changed")?;
                if let Some(source) = &self.source {
                    write!(f, ": {source}")?;
                }
                Ok(())
            }
        }
    }
}

impl Error for TimerError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|s| &**s as &(dyn Error + 'static))
    }
}

// Compile-time proof that the service and its error cross threads.
const _: fn() = || {
    fn check<T: Send + Sync + Clone + fmt::Debug>() {}
    check::<TimerService>();
    fn check_err<T: Error + Send + Sync + 'static>() {}
    check_err::<TimerError>();
};

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use arsenal_store::{FaultInjector, StoreOptions};
    use serde_json::json;
    use tokio::sync::mpsc;

    use super::*;

    /// A fired timer as the test's `deliver` saw it, with the wall time it was seen at.
    type Seen = (String, TimerFired, u64);

    fn temp_dir() -> tempfile::TempDir {
        // CARGO_TARGET_TMPDIR is only set for integration tests; unit tests fall back.
        let base =
            option_env!("CARGO_TARGET_TMPDIR").map_or_else(std::env::temp_dir, PathBuf::from);
        std::fs::create_dir_all(&base).unwrap();
        tempfile::Builder::new()
            .prefix("timers-")
            .tempdir_in(base)
            .unwrap()
    }

    fn open(dir: &Path) -> (Store, TimerService) {
        let store = Store::open(dir, StoreOptions::default()).unwrap();
        let timers = TimerService::new(store.clone()).unwrap();
        (store, timers)
    }

    /// Start the loop with a `deliver` that reports every call and answers `ready`.
    fn start(
        timers: &TimerService,
        ready: Arc<AtomicBool>,
    ) -> (JoinHandle<()>, mpsc::UnboundedReceiver<Seen>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let handle = timers.start(move |plugin, fired| {
            let (tx, ready) = (tx.clone(), ready.clone());
            async move {
                let _ = tx.send((plugin, fired, now_unix_ms()));
                if ready.load(Ordering::SeqCst) {
                    Delivery::Handled
                } else {
                    Delivery::NotReady
                }
            }
        });
        (handle, rx)
    }

    fn ready() -> Arc<AtomicBool> {
        Arc::new(AtomicBool::new(true))
    }

    async fn next(rx: &mut mpsc::UnboundedReceiver<Seen>) -> Seen {
        tokio::time::timeout(Duration::from_secs(3), rx.recv())
            .await
            .expect("a timer should have fired")
            .unwrap()
    }

    async fn nothing_more(rx: &mut mpsc::UnboundedReceiver<Seen>, wait_ms: u64) {
        tokio::time::sleep(Duration::from_millis(wait_ms)).await;
        assert!(rx.try_recv().is_err(), "a timer fired that should not have");
    }

    /// Wait until the handled timer's delete has reached the store.
    async fn settle(timers: &TimerService) {
        for _ in 0..100 {
            if timers.pending(None).is_empty() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("timers still pending: {:?}", timers.pending(None));
    }

    #[tokio::test]
    async fn fires_once_at_its_time_and_not_before() {
        let dir = temp_dir();
        let (store, timers) = open(dir.path());
        let at = now_unix_ms() + 60;
        timers
            .schedule("mod", "unmute:1", at, json!({"user": 1}))
            .unwrap();
        let record = store.get(NAMESPACE, "mod/unmute:1").unwrap().unwrap().value;
        assert_eq!(
            record,
            json!({"plugin": "mod", "key": "unmute:1", "at_unix_ms": at, "payload": {"user": 1}})
        );

        let (handle, mut rx) = start(&timers, ready());
        let (plugin, fired, seen_at) = next(&mut rx).await;
        assert_eq!((plugin.as_str(), fired.key.as_str()), ("mod", "unmute:1"));
        assert_eq!((fired.at_unix_ms, fired.payload), (at, json!({"user": 1})));
        assert!(seen_at >= at, "fired {} ms early", at - seen_at);
        assert!(seen_at < at + 500, "fired {} ms late", seen_at - at);
        settle(&timers).await;
        assert_eq!(store.get(NAMESPACE, "mod/unmute:1").unwrap(), None);
        nothing_more(&mut rx, 80).await;
        handle.abort();
    }

    #[tokio::test]
    async fn several_timers_fire_in_time_order() {
        let dir = temp_dir();
        let (_store, timers) = open(dir.path());
        let base = now_unix_ms() + 40;
        for (key, offset) in [("c", 30), ("a", 0), ("d", 30), ("b", 15)] {
            timers
                .schedule("p", key, base + offset, Value::Null)
                .unwrap();
        }
        let pending: Vec<String> = timers.pending(None).into_iter().map(|t| t.key).collect();
        assert_eq!(pending, ["a", "b", "c", "d"]);
        let (handle, mut rx) = start(&timers, ready());
        let mut order = Vec::new();
        for _ in 0..4 {
            order.push(next(&mut rx).await.1.key);
        }
        assert_eq!(order, ["a", "b", "c", "d"]);
        handle.abort();
    }

    #[tokio::test]
    async fn reschedule_replaces_and_cancel_removes() {
        let dir = temp_dir();
        let (store, timers) = open(dir.path());
        let now = now_unix_ms();
        timers
            .schedule("p", "remind", now + 10_000, json!(1))
            .unwrap();
        timers.schedule("p", "remind", now + 50, json!(2)).unwrap();
        timers.schedule("p", "gone", now + 30, json!(3)).unwrap();
        assert_eq!(timers.pending(Some("p")).len(), 2);
        assert!(timers.cancel("p", "gone").unwrap());
        assert!(!timers.cancel("p", "gone").unwrap());
        assert_eq!(store.get(NAMESPACE, "p/gone").unwrap(), None);

        let (handle, mut rx) = start(&timers, ready());
        let (_, fired, _) = next(&mut rx).await;
        assert_eq!(
            (fired.key.as_str(), fired.at_unix_ms, fired.payload),
            ("remind", now + 50, json!(2))
        );
        nothing_more(&mut rx, 80).await;
        handle.abort();
    }

    #[tokio::test]
    async fn plugins_are_namespaced() {
        let dir = temp_dir();
        let (_store, timers) = open(dir.path());
        let at = now_unix_ms() + 40;
        timers.schedule("alpha", "k", at, json!("a")).unwrap();
        timers.schedule("beta", "k", at, json!("b")).unwrap();
        assert!(!timers.cancel("gamma", "k").unwrap());
        assert!(timers.cancel("beta", "k").unwrap());
        assert_eq!(timers.pending(Some("alpha")).len(), 1);
        assert!(timers.pending(Some("beta")).is_empty());

        let (handle, mut rx) = start(&timers, ready());
        let (plugin, fired, _) = next(&mut rx).await;
        assert_eq!((plugin.as_str(), fired.payload), ("alpha", json!("a")));
        nothing_more(&mut rx, 60).await;
        handle.abort();
    }

    #[tokio::test]
    async fn survives_a_restart_and_fires_once() {
        let dir = temp_dir();
        let at = now_unix_ms() + 60;
        {
            let (store, timers) = open(dir.path());
            timers
                .schedule("giveaway", "end:9", at, json!({"id": 9}))
                .unwrap();
            drop(timers);
            store.close().unwrap();
        }
        let (_store, timers) = open(dir.path());
        assert_eq!(timers.pending(None).len(), 1);
        let (handle, mut rx) = start(&timers, ready());
        let (plugin, fired, seen_at) = next(&mut rx).await;
        assert_eq!((plugin.as_str(), fired.at_unix_ms), ("giveaway", at));
        assert!(seen_at >= at);
        settle(&timers).await;
        nothing_more(&mut rx, 60).await;
        handle.abort();
    }

    #[tokio::test]
    async fn timer_due_during_downtime_fires_at_start_with_its_original_time() {
        let dir = temp_dir();
        let at = now_unix_ms() + 10;
        {
            let (store, timers) = open(dir.path());
            timers
                .schedule("mod", "tempban:5", at, Value::Null)
                .unwrap();
            drop(timers);
            store.close().unwrap();
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
        let (_store, timers) = open(dir.path());
        let started = now_unix_ms();
        let (handle, mut rx) = start(&timers, ready());
        let (_, fired, seen_at) = next(&mut rx).await;
        assert_eq!(fired.at_unix_ms, at);
        assert!(
            seen_at < started + 200,
            "an overdue timer must fire right after start"
        );
        handle.abort();
    }

    #[tokio::test]
    async fn not_ready_keeps_the_timer_and_retry_now_delivers_it() {
        let dir = temp_dir();
        let (store, timers) = open(dir.path());
        timers
            .schedule("tickets", "close:3", now_unix_ms(), Value::Null)
            .unwrap();
        let is_ready = Arc::new(AtomicBool::new(false));
        let (handle, mut rx) = start(&timers, is_ready.clone());
        assert_eq!(next(&mut rx).await.1.key, "close:3");
        // Not retried before the back-off, and still durable.
        nothing_more(&mut rx, 100).await;
        assert_eq!(timers.pending(Some("tickets")).len(), 1);
        assert!(store.get(NAMESPACE, "tickets/close:3").unwrap().is_some());

        is_ready.store(true, Ordering::SeqCst);
        timers.retry_now();
        assert_eq!(next(&mut rx).await.1.key, "close:3");
        settle(&timers).await;
        assert_eq!(store.get(NAMESPACE, "tickets/close:3").unwrap(), None);
        handle.abort();
    }

    #[tokio::test]
    async fn a_sooner_timer_wakes_the_sleeping_loop() {
        let dir = temp_dir();
        let (_store, timers) = open(dir.path());
        timers
            .schedule("p", "later", now_unix_ms() + 60_000, Value::Null)
            .unwrap();
        let (handle, mut rx) = start(&timers, ready());
        tokio::time::sleep(Duration::from_millis(30)).await; // the loop is asleep now
        let at = now_unix_ms() + 40;
        timers.schedule("p", "sooner", at, Value::Null).unwrap();
        let (_, fired, seen_at) = next(&mut rx).await;
        assert_eq!(fired.key, "sooner");
        // Well under the loop's longest sleep: it was woken, not polling.
        assert!(seen_at < at + 500, "fired {} ms late", seen_at - at);
        handle.abort();
    }

    #[tokio::test]
    async fn a_slow_module_does_not_delay_another() {
        let dir = temp_dir();
        let (_store, timers) = open(dir.path());
        let at = now_unix_ms() + 20;
        timers.schedule("slow", "a", at, Value::Null).unwrap();
        timers.schedule("slow", "b", at, Value::Null).unwrap();
        timers.schedule("fast", "c", at + 5, Value::Null).unwrap();
        let (tx, mut rx) = mpsc::unbounded_channel();
        let handle = timers.start(move |plugin, fired: TimerFired| {
            let tx = tx.clone();
            async move {
                if plugin == "slow" {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                let _ = tx.send((plugin, fired, now_unix_ms()));
                Delivery::Handled
            }
        });
        let (plugin, _, seen_at) = next(&mut rx).await;
        assert_eq!(plugin, "fast");
        assert!(seen_at < at + 200, "waited for another module");
        let order: Vec<String> = [next(&mut rx).await, next(&mut rx).await]
            .into_iter()
            .map(|(_, f, _)| f.key)
            .collect();
        assert_eq!(order, ["a", "b"]);
        handle.abort();
    }

    #[tokio::test]
    async fn handler_rescheduling_its_own_key_keeps_the_new_timer() {
        let dir = temp_dir();
        let (_store, timers) = open(dir.path());
        let first = now_unix_ms() + 20;
        timers.schedule("remind", "daily", first, json!(1)).unwrap();
        let (tx, mut rx) = mpsc::unbounded_channel();
        let again = timers.clone();
        let handle = timers.start(move |plugin, fired: TimerFired| {
            let (tx, again) = (tx.clone(), again.clone());
            async move {
                if fired.payload == json!(1) {
                    again
                        .schedule(&plugin, &fired.key, fired.at_unix_ms + 30, json!(2))
                        .unwrap();
                }
                let _ = tx.send((plugin, fired, now_unix_ms()));
                Delivery::Handled
            }
        });
        assert_eq!(next(&mut rx).await.1.payload, json!(1));
        let (_, fired, _) = next(&mut rx).await;
        assert_eq!((fired.payload, fired.at_unix_ms), (json!(2), first + 30));
        settle(&timers).await;
        handle.abort();
    }

    #[tokio::test]
    async fn invalid_keys_and_the_per_plugin_cap_are_refused() {
        let dir = temp_dir();
        let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
        let timers = TimerService::with_limit(store, 2).unwrap();
        for key in ["", "a/b", &"x".repeat(101)] {
            let err = timers.schedule("p", key, 0, Value::Null).unwrap_err();
            assert!(
                matches!(err.kind(), TimerErrorType::InvalidKey { .. }),
                "{err}"
            );
        }
        timers
            .schedule("p", &"é".repeat(100), 0, Value::Null)
            .unwrap();
        timers.schedule("p", "b", 0, Value::Null).unwrap();
        timers.schedule("p", "b", 5, Value::Null).unwrap(); // replacing does not count
        let err = timers.schedule("p", "c", 0, Value::Null).unwrap_err();
        assert!(matches!(
            err.kind(),
            TimerErrorType::TooManyTimers { limit: 2, .. }
        ));
        assert!(err.to_string().contains("cancel timers"), "{err}");
        timers.schedule("other", "c", 0, Value::Null).unwrap();
        let big = Value::String("x".repeat(MAX_PAYLOAD_BYTES));
        let err = timers.schedule("other", "d", 0, big).unwrap_err();
        assert!(matches!(err.kind(), TimerErrorType::PayloadTooLarge { .. }));
    }

    #[tokio::test]
    async fn a_damaged_record_is_skipped_not_fatal() {
        let dir = temp_dir();
        let (store, timers) = open(dir.path());
        timers.schedule("p", "good", 0, Value::Null).unwrap();
        store
            .set(NAMESPACE, "p/bad", json!({"plugin": "p"}))
            .unwrap();
        store
            .set(
                NAMESPACE,
                "p/elsewhere",
                json!({"plugin": "q", "key": "elsewhere", "at_unix_ms": 0}),
            )
            .unwrap();
        drop(timers);
        let timers = TimerService::new(store.clone()).unwrap();
        let keys: Vec<String> = timers.pending(None).into_iter().map(|t| t.key).collect();
        assert_eq!(keys, ["good"]);
        assert!(
            store.get(NAMESPACE, "p/bad").unwrap().is_some(),
            "left for a human to fix"
        );

        // A hand edit the store took in reaches the service through reload_from_store.
        let record = json!({"plugin": "p", "key": "added", "at_unix_ms": 5, "payload": null});
        store.set(NAMESPACE, "p/added", record).unwrap();
        timers.reload_from_store().unwrap();
        let keys: Vec<String> = timers.pending(None).into_iter().map(|t| t.key).collect();
        assert_eq!(keys, ["good", "added"]);
    }

    #[tokio::test]
    async fn a_failed_store_write_is_an_error_and_changes_nothing() {
        let dir = temp_dir();
        let faults = FaultInjector::new();
        let options = StoreOptions {
            fault_injector: faults.clone(),
            ..StoreOptions::default()
        };
        let store = Store::open(dir.path(), options).unwrap();
        let timers = TimerService::new(store.clone()).unwrap();
        timers.schedule("p", "kept", 1_000, Value::Null).unwrap();

        faults.fail_sync(1, libc::EIO, false);
        let err = timers
            .schedule("p", "lost", 2_000, Value::Null)
            .unwrap_err();
        assert!(matches!(err.kind(), TimerErrorType::Store), "{err}");
        assert!(err.to_string().contains("not saved"), "{err}");
        assert!(err.source().is_some());
        let keys: Vec<String> = timers.pending(None).into_iter().map(|t| t.key).collect();
        assert_eq!(keys, ["kept"]);
        assert_eq!(store.get(NAMESPACE, "p/lost").unwrap(), None);

        faults.fail_sync(1, libc::EIO, false);
        let err = timers.cancel("p", "kept").unwrap_err();
        assert!(matches!(err.kind(), TimerErrorType::Store), "{err}");
        assert_eq!(
            timers.pending(None).len(),
            1,
            "a failed cancel keeps the timer"
        );
        assert!(store.get(NAMESPACE, "p/kept").unwrap().is_some());

        // The store recovers from a one-off failure and so does the service.
        timers.schedule("p", "later", 3_000, Value::Null).unwrap();
        assert!(timers.cancel("p", "kept").unwrap());
    }
}
