//! Routing to workers: gateway events by subscription, and calls that wait for an answer; for
//! a module with a canary, by server (see `canary`).

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::{Arc, PoisonError},
};

use arsenal_plugin_api::abi::{AbiError, ErrorCode};
use tokio::sync::oneshot;

use twilight_model::id::{marker::GuildMarker, Id};

use super::{canary::Canary, Inner, PluginManager};
use crate::plugins::{
    host_api::CallScope,
    worker::{CallResult, PluginWorker, WorkItem},
};

/// The workers subscribed to one gateway event, and the call kind they receive it as.
pub(super) struct Subscription {
    kind: Arc<str>,
    targets: Vec<Target>,
}

/// One module's workers for one event: the stable version's, and, while the module has a
/// canary, the canary's server with the canary's worker (`None` when the canary does not take
/// this event: that server's events then reach no version of the module, as the canary asks).
struct Target {
    stable: Option<PluginWorker>,
    canary: Option<(Id<GuildMarker>, Option<PluginWorker>)>,
}

/// Why a call was not queued.
pub(super) enum Unrouted {
    /// No version of the module is loaded.
    NotLoaded,
    /// The worker refused it: full (`true`) or stopped.
    Refused(bool, AbiError),
}

impl PluginManager {
    /// Queues gateway event `name` (Discord's raw `d`) for every module subscribed to it, without
    /// waiting or blocking; returns how many modules it was queued for. A module whose queue is
    /// full misses this event (counted in its `events_dropped`); the others still get it. For a
    /// module with a canary, the event's server (read from the payload only then) picks the
    /// version: the canary's server gets the canary, every other server and events of no server
    /// the stable version.
    pub fn dispatch_event(&self, name: &str, payload: &Arc<str>) -> usize {
        let subscriptions = self
            .inner
            .subscriptions
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(subscription) = subscriptions.get(name) else {
            return 0;
        };
        let mut guild = None;
        subscription
            .targets
            .iter()
            .filter_map(|target| match &target.canary {
                None => target.stable.as_ref(),
                Some((canary_guild, canary)) => {
                    if *guild.get_or_insert_with(|| event_guild(name, payload))
                        == Some(*canary_guild)
                    {
                        canary.as_ref()
                    } else {
                        target.stable.as_ref()
                    }
                }
            })
            .filter(|worker| worker.dispatch(&subscription.kind, payload))
            .count()
    }

    /// Recomputes which workers get which gateway events (after a load, reload, unload or a
    /// canary change), so dispatching an event is one map lookup.
    pub(super) fn rebuild_subscriptions(&self) {
        let canaries = self
            .inner
            .canaries
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        self.rebuild_subscriptions_with(&canaries);
    }

    /// [`PluginManager::rebuild_subscriptions`] for a caller holding the canaries' lock (taken
    /// before the workers' and the subscriptions', always in that order).
    pub(super) fn rebuild_subscriptions_with(&self, canaries: &BTreeMap<String, Canary>) {
        let events_of = |worker: &PluginWorker| {
            worker.shared.read(|s| {
                s.manifest
                    .as_ref()
                    .map(|m| m.events.clone())
                    .unwrap_or_default()
            })
        };
        let mut table: HashMap<String, Subscription> = HashMap::new();
        let workers = self.workers();
        let names: BTreeSet<&String> = workers.keys().chain(canaries.keys()).collect();
        for name in names {
            let stable = workers.get(name);
            let canary = canaries.get(name);
            let stable_events = stable.map(events_of).unwrap_or_default();
            let canary_events = canary.map(|c| events_of(&c.worker)).unwrap_or_default();
            let events: BTreeSet<&String> = stable_events.iter().chain(&canary_events).collect();
            for event in events {
                let target = Target {
                    stable: stable.filter(|_| stable_events.contains(event)).cloned(),
                    canary: canary.map(|c| {
                        (
                            c.guild,
                            canary_events.contains(event).then(|| c.worker.clone()),
                        )
                    }),
                };
                table
                    .entry(event.clone())
                    .or_insert_with(|| Subscription {
                        kind: Arc::from(format!(
                            "{}{event}",
                            arsenal_plugin_api::protocol::kind::EVENT_PREFIX
                        )),
                        targets: Vec::new(),
                    })
                    .targets
                    .push(target);
            }
        }
        drop(workers);
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
        let (reply, answer) = oneshot::channel();
        let item = WorkItem::Call {
            kind: Arc::from(call),
            payload: Arc::from(payload),
            scope,
            reply: Some(reply),
        };
        let worker = match self.inner.send_routed(name, scope, item) {
            Ok(worker) => worker,
            Err(Unrouted::NotLoaded) => return Err(AbiError::new(
                ErrorCode::Failed,
                format!("module {name} is not loaded; an administrator can load it with `!module load {name}`"),
            )),
            Err(Unrouted::Refused(_, error)) => return Err(error),
        };
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

impl Inner {
    /// The worker serving module `name` in server `guild`: the canary's in its server, else
    /// the stable one's.
    pub(super) fn routed(
        &self,
        name: &str,
        guild: Option<Id<GuildMarker>>,
    ) -> Option<PluginWorker> {
        let canaries = self.canaries.read().unwrap_or_else(PoisonError::into_inner);
        self.routed_with(&canaries, name, guild)
    }

    fn routed_with(
        &self,
        canaries: &BTreeMap<String, Canary>,
        name: &str,
        guild: Option<Id<GuildMarker>>,
    ) -> Option<PluginWorker> {
        match canaries.get(name) {
            Some(canary) if guild == Some(canary.guild) => Some(canary.worker.clone()),
            _ => self
                .workers
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .get(name)
                .cloned(),
        }
    }

    /// Queues call `item` (made in `scope`) on the worker serving module `name` there. Chosen
    /// and queued under the canaries' lock, so no hand-over between versions falls in between.
    pub(super) fn send_routed(
        &self,
        name: &str,
        scope: CallScope,
        item: WorkItem,
    ) -> Result<PluginWorker, Unrouted> {
        let guild = match scope {
            CallScope::Guild(guild) => Some(guild),
            CallScope::Host | CallScope::DirectMessage => None,
        };
        let canaries = self.canaries.read().unwrap_or_else(PoisonError::into_inner);
        let worker = self
            .routed_with(&canaries, name, guild)
            .ok_or(Unrouted::NotLoaded)?;
        worker
            .try_send(item)
            .map_err(|(full, error)| Unrouted::Refused(full, error))?;
        Ok(worker)
    }
}

/// The server a gateway event belongs to: its `guild_id`, or for the guild's own events its
/// `id`. Read only when a module subscribed to it has a canary.
fn event_guild(name: &str, payload: &str) -> Option<Id<GuildMarker>> {
    #[derive(serde::Deserialize)]
    struct WithGuildId {
        guild_id: Option<Id<GuildMarker>>,
    }
    #[derive(serde::Deserialize)]
    struct Guild {
        id: Id<GuildMarker>,
    }
    if matches!(name, "GUILD_CREATE" | "GUILD_UPDATE" | "GUILD_DELETE") {
        return serde_json::from_str::<Guild>(payload).ok().map(|g| g.id);
    }
    serde_json::from_str::<WithGuildId>(payload)
        .ok()
        .and_then(|e| e.guild_id)
}

/// `10 s`, `250 ms`: a limit as people read it.
pub(super) fn human(limit: std::time::Duration) -> String {
    if limit.as_millis() % 1000 == 0 {
        format!("{} s", limit.as_secs())
    } else {
        format!("{} ms", limit.as_millis())
    }
}
