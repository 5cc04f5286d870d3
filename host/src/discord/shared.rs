//! What every Discord handler shares (REST client, cache, owners, registry, settings), and
//! command sync, which both the gateway loops and the built-in commands trigger.

use std::{
    collections::HashSet,
    sync::{Arc, RwLock},
};

use arsenal_store::Store;
use twilight_cache_inmemory::DefaultInMemoryCache;
use twilight_gateway::Intents;
use twilight_model::id::{
    marker::{ApplicationMarker, GuildMarker, UserMarker},
    Id,
};

use super::registry::{self, CommandRegistry, SyncOutcome};
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
    /// The gateway intents of this session (fixed until a restart).
    pub intents: Intents,
    /// True once every shard has received READY: the bot can act on Discord (timers due at
    /// start wait for it).
    pub ready: tokio::sync::watch::Sender<bool>,
    /// Shards of this process, and how many of them have received READY.
    pub(crate) shard_count: u32,
    pub(crate) ready_shards: std::sync::atomic::AtomicU32,
    /// One sync at a time: a reload triggers one from the command and one from the change feed.
    pub(crate) sync_lock: tokio::sync::Mutex<()>,
}

/// Where each guild's prefix is kept: `arsenal.guilds/<guild id>` = `{"prefix": "?"}`.
const GUILDS: &str = "arsenal.guilds";

impl Shared {
    /// The prefix for prefix commands in `guild` (the configured default elsewhere).
    pub fn guild_prefix(&self, guild: Option<Id<GuildMarker>>) -> String {
        guild
            .and_then(|g| self.store.get(GUILDS, &g.to_string()).ok().flatten())
            .and_then(|v| v.value["prefix"].as_str().map(str::to_owned))
            .unwrap_or_else(|| self.settings.default_prefix.clone())
    }

    /// Sets `guild`'s prefix, durably.
    ///
    /// # Errors
    ///
    /// The store could not write it; the prefix is unchanged.
    pub fn set_guild_prefix(
        &self,
        guild: Id<GuildMarker>,
        prefix: &str,
    ) -> Result<(), arsenal_store::StoreError> {
        self.store
            .set(
                GUILDS,
                &guild.to_string(),
                serde_json::json!({ "prefix": prefix }),
            )
            .map(|_| ())
    }

    /// Records that one more shard received its first READY; the last one makes the bot ready.
    pub(crate) fn shard_ready(&self) {
        let ready = self
            .ready_shards
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel)
            + 1;
        if ready >= self.shard_count {
            self.ready.send_replace(true);
        }
    }
}

/// Re-registers slash commands if the set changed (a reload may add or remove some).
pub async fn sync_commands(shared: &Shared) {
    let _one_at_a_time = shared.sync_lock.lock().await;
    let registry = CommandRegistry::build(&shared.manager);
    for conflict in &registry.conflicts {
        tracing::warn!("{conflict}");
    }
    let outcome = registry::sync(
        &shared.http,
        shared.application_id,
        shared.settings.commands,
        &registry,
        &shared.store,
    )
    .await;
    if let Ok(mut current) = shared.registry.write() {
        *current = registry;
    }
    match outcome {
        Ok(SyncOutcome::Unchanged) => {
            tracing::debug!("slash commands unchanged; nothing sent to Discord")
        }
        Ok(SyncOutcome::Synced { count }) => tracing::info!(count, "slash commands registered"),
        Err(e) => tracing::error!(
            "slash commands not registered (the previous set stays on Discord): {e:#}"
        ),
    }
}
