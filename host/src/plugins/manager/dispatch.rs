//! Routing to workers: gateway events by subscription, and calls that wait for an answer.

use std::{
    collections::HashMap,
    sync::{Arc, PoisonError},
};

use arsenal_plugin_api::abi::{AbiError, ErrorCode};
use tokio::sync::oneshot;

use super::PluginManager;
use crate::plugins::{
    host_api::CallScope,
    worker::{CallResult, PluginWorker, WorkItem},
};

/// The workers subscribed to one gateway event, and the call kind they receive it as.
pub(super) struct Subscription {
    kind: Arc<str>,
    workers: Vec<PluginWorker>,
}

impl PluginManager {
    /// Queues gateway event `name` (Discord's raw `d`) for every module subscribed to it, without
    /// waiting or blocking; returns how many modules it was queued for. A module whose queue is
    /// full misses this event (counted in its `events_dropped`); the others still get it.
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
            .filter(|worker| worker.dispatch(&subscription.kind, payload))
            .count()
    }

    /// Recomputes which workers get which gateway events (after a load, reload or unload), so
    /// dispatching an event is one map lookup.
    pub(super) fn rebuild_subscriptions(&self) {
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

    /// Sends a call to module `name` and waits for its answer, at most
    /// [`super::ManagerConfig::call_timeout`].
    ///
    /// # Errors
    ///
    /// Module not loaded, quarantined, overloaded (its queue is full) or not answering in time,
    /// or the plugin's own error. Each message can be shown to the user as it is.
    pub async fn call(&self, name: &str, call: &str, payload: &str) -> CallResult {
        self.call_in(name, call, payload, CallScope::Host).await
    }

    /// Like [`PluginManager::call`], made on behalf of a member in server `guild` (`None`: a
    /// direct message): the plugin's Discord actions during the call may only reach that
    /// server, or no server at all from a direct message ([`CallScope`]).
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
        self.call_in(name, call, payload, CallScope::for_member(guild))
            .await
    }

    async fn call_in(&self, name: &str, call: &str, payload: &str, scope: CallScope) -> CallResult {
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
            scope,
            reply: Some(reply),
        })?;
        let limit = self.inner.config.call_timeout;
        match tokio::time::timeout(limit, answer).await {
            Ok(answered) => answered.unwrap_or_else(|_| {
                Err(AbiError::new(
                    ErrorCode::Failed,
                    format!("module {name} stopped before answering"),
                ))
            }),
            Err(_) => {
                // Dropping `answer` here tells the worker nobody waits: if the call has not
                // started yet, it never runs.
                let busy = worker
                    .shared
                    .busy()
                    .map_or_else(String::new, |(kind, running)| {
                        format!(" (busy in `{kind}` for {:.1} s)", running.as_secs_f64())
                    });
                tracing::warn!(
                    plugin = name,
                    call,
                    "the module did not answer within {limit:?}{busy}; reload it if it is stuck"
                );
                Err(AbiError::new(
                    ErrorCode::Failed,
                    format!(
                        "module {name} did not answer within {}; the bot's administrators have been told",
                        human(limit)
                    ),
                ))
            }
        }
    }
}

/// `10 s`, `250 ms`: a limit as people read it.
pub(super) fn human(limit: std::time::Duration) -> String {
    if limit.as_millis() % 1000 == 0 {
        format!("{} s", limit.as_secs())
    } else {
        format!("{} ms", limit.as_millis())
    }
}
