//! Routing to workers: gateway events by subscription, and calls that wait for an answer.

use std::{
    collections::HashMap,
    sync::{Arc, PoisonError},
};

use arsenal_plugin_api::abi::{AbiError, ErrorCode};
use tokio::sync::oneshot;

use super::PluginManager;
use crate::plugins::worker::{CallResult, PluginWorker, WorkItem};

/// The workers subscribed to one gateway event, and the call kind they receive it as.
pub(super) struct Subscription {
    kind: Arc<str>,
    workers: Vec<PluginWorker>,
}

impl PluginManager {
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
}
