//! The delivery loop: waits until the bot is ready, sleeps until the next due timer, hands each
//! to its plugin, deletes it once handled, and puts it back with a growing wait when it failed.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use arsenal_plugin_api::protocol::TimerFired;
use arsenal_store::{CommitOutcome, StoreError, Transaction};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::records::store_key;
use super::retry::Failures;
use super::{lock, now_unix_ms, Delivery, Inner, Signals, MAX_SLEEP, NAMESPACE, NOT_READY_RETRY};

impl Inner {
    /// Up to one batch per plugin that is not `blocked`: all its due keys, in time order,
    /// except those waiting out a failure's back-off. Also returns when to look again: the time
    /// of the next timer that is not yet due and not blocked, and the end of the soonest back-off.
    pub(super) fn due_batches(
        &self,
        now: u64,
        blocked: impl Fn(&str) -> bool,
    ) -> (HashMap<String, Vec<String>>, Option<u64>, Option<Instant>) {
        let timers = lock(&self.timers);
        let now_instant = Instant::now();
        let mut batches: HashMap<String, Vec<String>> = HashMap::new();
        let mut next_retry: Option<Instant> = None;
        for (at, plugin, key) in &timers.by_time {
            if blocked(plugin) {
                continue;
            }
            if *at > now {
                return (batches, Some(*at), next_retry);
            }
            let retry_at = timers
                .get(plugin, key)
                .and_then(|e| e.failures.as_ref())
                .map(|f| f.retry_at)
                .into_iter()
                .chain(timers.get(plugin, key).and_then(|e| e.held_until))
                .max()
                .filter(|retry_at| *retry_at > now_instant);
            if let Some(retry_at) = retry_at {
                next_retry = Some(next_retry.map_or(retry_at, |n| n.min(retry_at)));
                continue;
            }
            batches.entry(plugin.clone()).or_default().push(key.clone());
        }
        (batches, None, next_retry)
    }

    /// Note a failed delivery of the schedule `version` of a timer: it waits out the next
    /// back-off. Returns the failures in a row and the wait, or `None` when the timer was
    /// cancelled or rescheduled while it ran (that newer state stands, with no back-off).
    pub(super) fn record_failure(
        &self,
        plugin: &str,
        key: &str,
        version: u64,
        error: String,
    ) -> Option<(u32, Duration)> {
        let mut timers = lock(&self.timers);
        let entry = timers
            .get_mut(plugin, key)
            .filter(|e| e.version == version)?;
        let count = entry.failures.as_ref().map_or(0, |f| f.count) + 1;
        let wait = self.retry.delay(count);
        entry.failures = Some(Failures {
            count,
            retry_at: Instant::now() + wait,
            last_error: error,
        });
        Some((count, wait))
    }

    /// The timer as it is now, if it still exists and is due.
    pub(super) fn due_entry(&self, plugin: &str, key: &str) -> Option<(TimerFired, u64)> {
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
    pub(super) fn remove_handled(
        &self,
        plugin: &str,
        key: &str,
        version: u64,
    ) -> Result<(), StoreError> {
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

pub(super) async fn run<D, F>(
    inner: Weak<Inner>,
    signals: Arc<Signals>,
    mut ready: Option<watch::Receiver<bool>>,
    deliver: Arc<D>,
) where
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
        if let Some(ready) = ready.as_mut() {
            if !*ready.borrow_and_update() {
                tracing::info!("timers wait until the bot is connected to Discord");
                // A closed signal means the Discord layer is gone (the host is stopping): stay
                // held until this loop is aborted.
                while !*ready.borrow_and_update() {
                    if ready.changed().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                }
                tracing::info!("the bot is connected; delivering due timers");
            }
        }
        let generation = signals.retry_generation.load(Ordering::Acquire);
        if generation != seen_generation {
            seen_generation = generation;
            backoff.clear();
        }
        let now = Instant::now();
        backoff.retain(|_, until| *until > now);

        let (next_due, next_retry) = {
            let Some(inner) = inner.upgrade() else {
                return; // every TimerService handle is gone
            };
            let in_flight: HashSet<&str> = busy.values().map(String::as_str).collect();
            let (batches, next_due, next_retry) = inner.due_batches(now_unix_ms(), |p| {
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
            (next_due, next_retry)
        };
        // Sleep by the monotonic clock but never long, so the wall clock is re-read often.
        let mut sleep = MAX_SLEEP;
        if let Some(at) = next_due {
            sleep = sleep.min(Duration::from_millis(at.saturating_sub(now_unix_ms())));
        }
        if let Some(until) = backoff
            .values()
            .min()
            .copied()
            .into_iter()
            .chain(next_retry)
            .min()
        {
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

/// Deliver one plugin's due timers in order; stop at the first `NotReady`. A failed timer waits
/// out its back-off while the next ones go on.
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
        // In a fleet, the one process holding the claim delivers it.
        if !super::claims::claim(&inner, &plugin, &key, version).await {
            continue;
        }
        match deliver(plugin.clone(), fired).await {
            Delivery::NotReady => {
                super::claims::release(&inner, &plugin, &key).await;
                return BatchOutcome::NotReady { generation };
            }
            Delivery::Failed(error) => {
                match inner.record_failure(&plugin, &key, version, error.clone()) {
                    Some((failures, wait)) if wait >= inner.retry.max => {
                        tracing::error!(plugin = %plugin, timer = %key, failures, error = %error,
                            "a timer's handler keeps failing; the timer is kept and retried every {} s until it is handled, cancelled or deleted",
                            wait.as_secs());
                    }
                    Some((failures, wait)) => {
                        tracing::warn!(plugin = %plugin, timer = %key, failures, error = %error,
                            "a timer's handler failed; the timer is kept and retried in {} ms",
                            wait.as_millis());
                    }
                    None => tracing::warn!(plugin = %plugin, timer = %key, error = %error,
                        "a timer's handler failed after rescheduling or cancelling it; its new schedule stands"),
                }
                super::claims::release(&inner, &plugin, &key).await;
            }
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
