//! What every Discord handler shares (REST client, cache, owners, registry, settings), and
//! command sync, which both the gateway loops and the built-in commands trigger.

use std::{
    collections::{HashMap, HashSet},
    sync::{atomic::AtomicU64, Arc, RwLock},
};

use arsenal_store::Store;
use twilight_cache_inmemory::DefaultInMemoryCache;
use twilight_gateway::Intents;
use twilight_model::id::{
    marker::{ApplicationMarker, CommandMarker, GuildMarker, UserMarker},
    Id,
};

use super::{
    command_sync::{self, Check, SyncOutcome},
    registry::CommandRegistry,
};
use crate::{config::DiscordSettings, plugins::PluginManager};

/// What every handler shares.
pub struct Shared {
    /// REST.
    pub http: Arc<twilight_http::Client>,
    /// The application (for interactions and command registration).
    pub application_id: Id<ApplicationMarker>,
    /// The bot's own user.
    pub bot_user_id: Id<UserMarker>,
    /// Application owner or team members, plus configured owners.
    pub owners: HashSet<Id<UserMarker>>,
    /// Guilds, roles and channels, for permission checks of prefix commands and for keeping
    /// commands inside their server (shared with the plugins' Discord bridge).
    pub cache: Arc<DefaultInMemoryCache>,
    /// The modules.
    pub manager: PluginManager,
    /// The store.
    pub store: Store,
    /// Settings.
    pub settings: DiscordSettings,
    /// Commands and who answers them.
    pub registry: RwLock<CommandRegistry>,
    /// The ids Discord gave our slash commands, by name, as last seen by a sync (its answer, or
    /// the start-up read): the help's command mentions (`</name:id>`) need them.
    pub command_ids: RwLock<HashMap<String, Id<CommandMarker>>>,
    /// The gateway intents the shards identified with (grows when a module needing more is
    /// loaded: the gateway reconnects with the union). Bits of [`Intents`].
    pub(crate) intents: AtomicU64,
    /// Each guild's prefix (`arsenal.guilds`), kept in memory: the shard loops look one up for
    /// every message, and must never wait on the store.
    pub(crate) prefixes: RwLock<HashMap<Id<GuildMarker>, String>>,
    /// True once every shard has received READY: the bot can act on Discord (timers due at
    /// start wait for it).
    pub ready: tokio::sync::watch::Sender<bool>,
    /// The shards this process runs (all of them unless it is one of a fleet), of how many.
    pub(crate) shard_range: std::ops::Range<u32>,
    pub(crate) total_shards: u32,
    /// How many of this process's shards have received READY.
    pub(crate) ready_shards: std::sync::atomic::AtomicU32,
    /// Bumped whenever a gateway event changed the guild cache: a shard writes its saved
    /// guild snapshot again only when this moved (`saved_session`).
    pub(crate) cache_version: AtomicU64,
    /// Interactions and prefix commands being answered (spawned off the shard loops): a
    /// hand-over to a re-executed process waits for them.
    pub(crate) answering: tokio::sync::watch::Sender<usize>,
    /// One sync at a time: a reload triggers one from the command and one from the change feed.
    pub(crate) sync_lock: tokio::sync::Mutex<()>,
    /// Each serving shard's sender, by shard number: voice sends op 4 through the shard owning
    /// the server.
    pub(crate) shard_senders: crate::voice::ShardSenders,
}

/// Where each guild's prefix is kept: `arsenal.guilds/<guild id>` = `{"prefix": "?"}`.
const GUILDS: &str = "arsenal.guilds";

impl Shared {
    /// The gateway intents of the current session.
    pub fn intents(&self) -> Intents {
        Intents::from_bits_truncate(self.intents.load(std::sync::atomic::Ordering::Acquire))
    }

    /// Runs `answer` (an interaction's or a prefix command's handling) off the shard loop,
    /// counted in `answering` until it ends (or panics).
    pub(crate) fn spawn_answer(
        self: &Arc<Self>,
        answer: impl std::future::Future<Output = ()> + Send + 'static,
    ) {
        /// Uncounts the answer however its task ends.
        struct Done(Arc<Shared>);
        impl Drop for Done {
            fn drop(&mut self) {
                self.0.answering.send_modify(|n| *n = n.saturating_sub(1));
            }
        }
        self.answering.send_modify(|n| *n += 1);
        let done = Done(Arc::clone(self));
        tokio::spawn(async move {
            let _done = done;
            answer.await;
        });
    }

    /// Waits until no interaction or prefix command is being answered, at most `grace`.
    pub(crate) async fn answers_done(&self, grace: std::time::Duration) {
        let mut answering = self.answering.subscribe();
        if tokio::time::timeout(grace, answering.wait_for(|n| *n == 0))
            .await
            .is_err()
        {
            tracing::warn!(
                answering = *self.answering.borrow(),
                "some answers were still running after {grace:?}; handing over without them"
            );
        }
    }

    /// Records that a gateway event changed the guild cache.
    pub(crate) fn cache_changed(&self) {
        self.cache_version
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// How many gateway events changed the guild cache so far.
    pub(crate) fn cache_version(&self) -> u64 {
        self.cache_version
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// The prefix for prefix commands in `guild` (the configured default elsewhere). Memory only.
    pub fn guild_prefix(&self, guild: Option<Id<GuildMarker>>) -> String {
        guild
            .and_then(|g| self.prefixes.read().ok()?.get(&g).cloned())
            .unwrap_or_else(|| self.settings.default_prefix.clone())
    }

    /// `guild`'s preferred language (its community setting, `en-US` unless set), from the cache.
    pub fn guild_locale(&self, guild: Id<GuildMarker>) -> Option<String> {
        self.cache
            .guild(guild)
            .map(|g| g.preferred_locale().to_owned())
    }

    /// Sets `guild`'s prefix, durably (the store write runs off the async runtime).
    ///
    /// # Errors
    ///
    /// The store could not write it; the prefix is unchanged.
    pub async fn set_guild_prefix(
        &self,
        guild: Id<GuildMarker>,
        prefix: &str,
    ) -> anyhow::Result<()> {
        let store = self.store.clone();
        let value = serde_json::json!({ "prefix": prefix });
        tokio::task::spawn_blocking(move || store.set(GUILDS, &guild.to_string(), value)).await??;
        if let Ok(mut prefixes) = self.prefixes.write() {
            prefixes.insert(guild, prefix.to_owned());
        }
        Ok(())
    }

    /// Re-reads every guild's prefix from the store (at connect, and after `!load_all` took in
    /// a hand edit).
    pub fn reload_prefixes(&self) {
        let stored = guild_prefixes(&self.store);
        if let Ok(mut prefixes) = self.prefixes.write() {
            *prefixes = stored;
        }
    }

    /// Whether this process registers slash commands with Discord: the one running shard 0
    /// (every process of a fleet builds the same set from the same modules, so one is enough,
    /// and several would overwrite each other's registrations).
    pub(crate) fn registers_commands(&self) -> bool {
        self.shard_range.start == 0
    }

    /// Records that one more shard received its first READY; the last of this process's makes
    /// the bot ready (the other processes' shards are theirs to wait for).
    pub(crate) fn shard_ready(&self) {
        let ready = self
            .ready_shards
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel)
            + 1;
        if ready >= self.shard_range.end - self.shard_range.start {
            self.ready.send_replace(true);
        }
    }
}

/// Every guild's stored prefix.
pub(crate) fn guild_prefixes(store: &Store) -> HashMap<Id<GuildMarker>, String> {
    store
        .list(GUILDS, "")
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(key, v)| {
            let guild = key.parse::<u64>().ok().and_then(Id::new_checked)?;
            Some((guild, v.value["prefix"].as_str()?.to_owned()))
        })
        .collect()
}

/// Re-registers slash commands if the set changed (a reload may add or remove some).
pub async fn sync_commands(shared: &Shared) {
    sync_commands_with(shared, Check::Fingerprint).await;
}

/// Registers slash commands in each scope where Discord's copy differs from the declared set
/// (`Check::Discord`, at start) or where the set changed since the last sync
/// (`Check::Fingerprint`).
pub(crate) async fn sync_commands_with(shared: &Shared, check: Check) {
    let _one_at_a_time = shared.sync_lock.lock().await;
    let registry = CommandRegistry::build(&shared.manager);
    for conflict in &registry.conflicts {
        tracing::warn!("{conflict}");
    }
    let plan = command_sync::plan(
        &registry,
        shared.settings.commands,
        shared.settings.control_guild,
    );
    // Before Discord hears of a new command: one used at once must find its owner.
    if let Ok(mut current) = shared.registry.write() {
        *current = registry;
    }
    if !shared.registers_commands() {
        tracing::debug!(
            "slash commands are registered by the process running shard 0; this one only routes them"
        );
        if check == Check::Discord {
            let mut ids = HashMap::new();
            let scopes = plan.iter().map(|(scope, _)| *scope);
            match command_sync::read_ids(&shared.http, shared.application_id, scopes, &mut ids)
                .await
            {
                Ok(()) => {
                    if let Ok(mut known) = shared.command_ids.write() {
                        known.extend(ids);
                    }
                }
                Err(e) => tracing::warn!("{e:#}; /help mentions commands by name only"),
            }
        }
        return;
    }
    let mut ids = HashMap::new();
    let outcomes = command_sync::sync_all(
        &shared.http,
        shared.application_id,
        plan,
        &shared.store,
        check,
        &mut ids,
    )
    .await;
    if let Ok(mut known) = shared.command_ids.write() {
        known.extend(ids);
    }
    for (scope, outcome) in outcomes {
        match outcome {
            Ok(SyncOutcome::Unchanged) => {
                tracing::debug!(?scope, "slash commands unchanged; nothing sent to Discord")
            }
            Ok(SyncOutcome::Synced { count }) => {
                tracing::info!(?scope, count, "slash commands registered")
            }
            Err(e) => tracing::error!(
                ?scope,
                "slash commands not registered (the previous set stays on Discord): {e:#}"
            ),
        }
    }
}
