//! Timers in a fleet: several processes share one PostgreSQL store, every one of them knows
//! every timer ([`TimerService::sync_from_store`], called every few seconds by the fleet task),
//! and a due timer is delivered by the one process that claims it in the store
//! ([`arsenal_store::Store::claim`]: a lease of [`CLAIM_LEASE`] on the timer's record, only while
//! the record still holds the version this process saw).
//!
//! A timer handled here is deleted as before; its claim lapses with its lease. A delivery that
//! failed or found its module not loaded releases the claim at once, so another process (which
//! may have the module) can take it. A process that dies mid-delivery keeps the claim until the
//! lease ends; then another process takes it over and delivers it: at least once, as in one
//! process. A timer another process holds is not tried here before that claim ends; one that
//! is gone (handled or rescheduled elsewhere) is dropped from memory (the next sync brings the
//! new schedule). With the JSON store (one process) every claim succeeds.
//!
//! Which process delivers is whoever claims first: timers are not routed to the process owning
//! the guild's shard (a timer's handler reaches Discord over REST, which every process has).

use std::sync::Arc;
use std::time::Duration;

use arsenal_store::{BackendKind, ClaimOutcome, StoreError};
use tokio::time::Instant;

use super::records::{load, store_key};
use super::{lock, Inner, TimerService, NAMESPACE};

/// How long a claim on a due timer lasts: longer than any delivery (a module call's time limit),
/// and how late a timer whose process died mid-delivery can be.
pub const CLAIM_LEASE: Duration = Duration::from_secs(60);

impl TimerService {
    /// Name this process in the claims it takes (its fleet process id).
    pub fn set_owner(&self, owner: &str) {
        owner.clone_into(&mut lock(&self.inner.owner));
    }

    /// Make claims last at least twice `delivery_limit` (the module call time limit), never less
    /// than [`CLAIM_LEASE`]: a claim must outlast the slowest delivery, or another process could
    /// take the timer over while it is still being delivered.
    pub fn cover_deliveries_of(&self, delivery_limit: Duration) {
        *lock(&self.inner.lease) = CLAIM_LEASE.max(delivery_limit.saturating_mul(2));
    }

    /// Take in what other processes changed in the store: timers they scheduled, rescheduled,
    /// cancelled or delivered. Timers unchanged keep their retry state here.
    ///
    /// # Errors
    /// When the store cannot be read; then the timers in memory are unchanged.
    pub fn sync_from_store(&self) -> Result<(), StoreError> {
        let _writes = lock(&self.inner.writes);
        let mut fresh = load(&self.inner.store)?;
        let mut timers = lock(&self.inner.timers);
        for (plugin, entries) in &mut fresh.by_plugin {
            for (key, entry) in entries.iter_mut() {
                if let Some(old) = timers
                    .get(plugin, key)
                    .filter(|old| old.version == entry.version)
                {
                    entry.failures.clone_from(&old.failures);
                    entry.held_until = old.held_until;
                }
            }
        }
        *timers = fresh;
        drop(timers);
        drop(_writes);
        self.signals.wake.notify_one();
        Ok(())
    }
}

/// Claims a due timer for this process; `false` when another process holds it or it is gone
/// (then it is not tried again here before that claim ends, or at all).
pub(super) async fn claim(inner: &Arc<Inner>, plugin: &str, key: &str, version: u64) -> bool {
    if inner.store.backend() == BackendKind::Json {
        return true; // one process: memory mirrors the store, nobody else delivers
    }
    let owner = lock(&inner.owner).clone();
    let lease = *lock(&inner.lease);
    let store = inner.store.clone();
    let id = store_key(plugin, key);
    let outcome =
        tokio::task::spawn_blocking(move || store.claim(NAMESPACE, &id, version, &owner, lease))
            .await;
    match outcome {
        Ok(Ok(ClaimOutcome::Claimed)) => true,
        Ok(Ok(ClaimOutcome::Held { owner, for_ms })) => {
            tracing::debug!(plugin, timer = key, holder = %owner, "another process delivers this timer");
            let wait = Duration::from_millis(for_ms.min(millis(lease)) + 100);
            hold(inner, plugin, key, version, wait);
            false
        }
        Ok(Ok(_)) => {
            let mut timers = lock(&inner.timers);
            if timers
                .get(plugin, key)
                .is_some_and(|e| e.version == version)
            {
                timers.remove(plugin, key);
            }
            false
        }
        Ok(Err(e)) => {
            tracing::warn!(plugin, timer = key, error = %e, "could not claim a due timer; trying again shortly");
            hold(inner, plugin, key, version, Duration::from_secs(1));
            false
        }
        Err(e) => {
            tracing::error!(plugin, timer = key, error = %e, "claiming a due timer did not finish");
            hold(inner, plugin, key, version, Duration::from_secs(1));
            false
        }
    }
}

/// Ends this process's claim on a timer it did not deliver, so another process may.
pub(super) async fn release(inner: &Arc<Inner>, plugin: &str, key: &str) {
    if inner.store.backend() == BackendKind::Json {
        return;
    }
    let owner = lock(&inner.owner).clone();
    let store = inner.store.clone();
    let id = store_key(plugin, key);
    match tokio::task::spawn_blocking(move || store.release(NAMESPACE, &id, &owner)).await {
        Ok(Ok(())) => {}
        // The lease ends by itself: another process takes it then.
        Ok(Err(e)) => {
            tracing::warn!(plugin, timer = key, error = %e, "could not release a timer's claim");
        }
        Err(e) => {
            tracing::warn!(plugin, timer = key, error = %e, "releasing a timer's claim did not finish")
        }
    }
}

fn hold(inner: &Inner, plugin: &str, key: &str, version: u64, wait: Duration) {
    if let Some(e) = lock(&inner.timers)
        .get_mut(plugin, key)
        .filter(|e| e.version == version)
    {
        e.held_until = Some(Instant::now() + wait);
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
