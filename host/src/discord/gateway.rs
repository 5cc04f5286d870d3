//! The gateway: connecting to Discord (or the simulator) and the shard loops.
//!
//! Each gateway frame is parsed once into its envelope; the raw `d` is shared with every
//! subscribed plugin (never re-serialised). Only what the host itself needs is parsed further:
//! guild state for permission checks, interactions, and messages carrying prefix commands.

use std::{
    collections::HashSet,
    sync::{atomic::AtomicU64, Arc, RwLock},
};

use anyhow::{bail, Context as _};
use arsenal_store::Store;
use serde::Deserialize;
use serde_json::value::RawValue;
use twilight_cache_inmemory::{DefaultInMemoryCache, ResourceType};
use twilight_gateway::Intents;
use twilight_model::{
    gateway::event::{DispatchEventWithTypeDeserializer, Event},
    id::{marker::UserMarker, Id},
};

use super::{
    actions::describe_http_error,
    cache_snapshot,
    command_sync::Check,
    identify_queue::IdentifyQueue,
    registry::CommandRegistry,
    routing,
    saved_session::{self, Resumable},
    shards::{follow_intents, wanted_intents, Shards},
    shared::{guild_prefixes, sync_commands, sync_commands_with, Shared},
};
use crate::{
    config::DiscordSettings,
    metrics::gateway::ShardMetrics,
    plugins::{host_api::DiscordBridge, PluginManager},
};

/// Intents the host needs for itself: guild state, and messages for prefix commands.
const HOST_INTENTS: Intents = Intents::GUILDS
    .union(Intents::GUILD_MESSAGES)
    .union(Intents::MESSAGE_CONTENT)
    .union(Intents::DIRECT_MESSAGES)
    // The bot's own voice state carries its voice session (the host's voice connections).
    .union(Intents::GUILD_VOICE_STATES);

/// Events the host parses for its own state.
const HOST_EVENTS: &[&str] = &[
    "READY",
    "GUILD_CREATE",
    "GUILD_UPDATE",
    "GUILD_DELETE",
    "GUILD_ROLE_CREATE",
    "GUILD_ROLE_UPDATE",
    "GUILD_ROLE_DELETE",
    "CHANNEL_CREATE",
    "CHANNEL_UPDATE",
    "CHANNEL_DELETE",
    "THREAD_CREATE",
    "THREAD_UPDATE",
    "THREAD_DELETE",
    "THREAD_LIST_SYNC",
    // Who is connected where, for `DiscordRequest::GetVoiceStates` (the voice hub).
    "VOICE_STATE_UPDATE",
    // The voice server of the bot's own connections (no intent needed).
    "VOICE_SERVER_UPDATE",
];

/// A connected Discord layer.
pub struct DiscordHost {
    /// Shared state (also for tests).
    pub shared: Arc<Shared>,
    shards: Arc<tokio::sync::Mutex<Shards>>,
    follower: tokio::task::JoinHandle<()>,
    /// Voice event delivery and the position saver.
    voice_tasks: [tokio::task::JoinHandle<()>; 2],
}

#[derive(Deserialize)]
struct Envelope<'a> {
    op: u8,
    #[serde(borrow)]
    t: Option<&'a str>,
    #[serde(borrow)]
    d: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct MessageProbe<'a> {
    #[serde(borrow)]
    content: std::borrow::Cow<'a, str>,
    author: AuthorProbe,
    guild_id: Option<twilight_model::id::Id<twilight_model::id::marker::GuildMarker>>,
}

#[derive(Deserialize)]
struct AuthorProbe {
    #[serde(default)]
    bot: bool,
}

/// Connects: checks the token, registers commands if they changed, starts the shards.
///
/// # Errors
///
/// A missing or rejected token, or Discord unreachable, as one clear message.
pub async fn connect(
    settings: DiscordSettings,
    manager: PluginManager,
    store: Store,
) -> anyhow::Result<DiscordHost> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let Some(token) = settings.token.clone() else {
        bail!("no Discord token: set DISCORD_TOKEN (or `token` in arsenal.toml), or run without one to get the local sandbox");
    };
    // Replies often echo what users typed: never let that ping @everyone or a role by accident.
    let mentions = twilight_model::channel::message::AllowedMentions {
        parse: vec![twilight_model::channel::message::MentionType::Users],
        ..Default::default()
    };
    let mut builder = twilight_http::Client::builder()
        .token(token.expose().to_owned())
        .default_allowed_mentions(mentions);
    if let Some(api) = &settings.api {
        builder = builder.proxy(api.clone(), true);
    }
    let http = Arc::new(builder.build());
    let application = http
        .current_user_application()
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot reach Discord with this token: {}",
                describe_http_error(&e)
            )
        })?
        .model()
        .await
        .context("reading the application")?;
    let bot = http
        .current_user()
        .await
        .map_err(|e| anyhow::anyhow!("reading the bot user: {}", describe_http_error(&e)))?
        .model()
        .await
        .context("reading the bot user")?;
    let mut owners: HashSet<Id<UserMarker>> = settings.owners.iter().copied().collect();
    if let Some(owner) = &application.owner {
        owners.insert(owner.id);
    }
    if let Some(team) = &application.team {
        owners.extend(team.members.iter().map(|m| m.user.id));
    }

    let wanted = wanted_intents(HOST_INTENTS, &manager);
    let (shard_range, total_shards, queue) = plan_shards(&settings, &http, &store).await?;
    let shard_count = shard_range.end - shard_range.start;

    let registry = CommandRegistry::build(&manager);
    let cache = Arc::new(
        DefaultInMemoryCache::builder()
            // Voice states: the voice hub's start-up reconcile reads who is connected where.
            .resource_types(
                ResourceType::GUILD
                    | ResourceType::ROLE
                    | ResourceType::CHANNEL
                    | ResourceType::VOICE_STATE,
            )
            .build(),
    );
    // Sessions saved by the previous process (a crash, a re-exec): resumed, their guilds back
    // in the cache. A resumed session keeps the intents it was identified with.
    let resume: Vec<Option<Resumable>> = shard_range
        .clone()
        .map(|shard| saved_session::load(&store, shard, total_shards, wanted, &cache))
        .collect();
    let intents = resume
        .iter()
        .flatten()
        .fold(wanted, |all, saved| all | saved.intents);
    let shared = Arc::new(Shared {
        http: Arc::clone(&http),
        application_id: application.id,
        bot_user_id: bot.id,
        owners,
        cache: Arc::clone(&cache),
        manager: manager.clone(),
        store: store.clone(),
        settings: settings.clone(),
        registry: RwLock::new(registry),
        command_ids: RwLock::default(),
        intents: AtomicU64::new(intents.bits()),
        prefixes: RwLock::new(guild_prefixes(&store)),
        ready: tokio::sync::watch::channel(false).0,
        shard_range: shard_range.clone(),
        total_shards,
        ready_shards: std::sync::atomic::AtomicU32::new(0),
        cache_version: AtomicU64::new(0),
        answering: tokio::sync::watch::channel(0).0,
        sync_lock: tokio::sync::Mutex::new(()),
        shard_senders: crate::voice::ShardSenders::default(),
    });
    let _ = manager.services().discord.set(DiscordBridge {
        http: Arc::clone(&http),
        runtime: tokio::runtime::Handle::current(),
        cache,
    });
    let (voice, voice_events) = crate::voice::VoiceService::new(
        crate::voice::VoiceLink {
            senders: Arc::clone(&shared.shard_senders),
            total_shards,
            shard_range: shard_range.clone(),
            bot_user_id: bot.id,
            cache: Arc::clone(&shared.cache),
        },
        store.clone(),
        settings
            .voice
            .music_folder
            .clone()
            .unwrap_or_else(|| "music".into()),
        settings.voice.yt_dlp_program(),
    );
    let voice_tasks = [
        tokio::spawn(crate::voice::deliver_events(manager.clone(), voice_events)),
        tokio::spawn(voice.clone().run(shared.ready.subscribe())),
    ];
    let _ = manager.services().voice.set(voice);
    // At start Discord's copy is checked, not the stored fingerprint: it may have lost the
    // commands (a new simulator, another application, a deletion in the developer portal).
    if !shared.registers_commands() {
        tracing::info!(
            shards = ?shard_range,
            "not registering slash commands: the process running shard 0 does it for the fleet"
        );
    }
    sync_commands_with(&shared, Check::Discord).await;

    let resumed = resume.iter().flatten().count();
    let shards = Arc::new(tokio::sync::Mutex::new(Shards::start(
        &shared, intents, queue, resume,
    )));
    let follower = tokio::spawn(follow_module_changes(
        Arc::clone(&shared),
        Arc::clone(&shards),
    ));
    tracing::info!(
        shards = ?shard_range,
        total_shards,
        shard_count,
        resumed,
        ?intents,
        bot = %bot.name,
        "connecting to Discord"
    );
    Ok(DiscordHost {
        shared,
        shards,
        follower,
        voice_tasks,
    })
}

/// This process's shards, the bot's total, and the queue they identify through. Asks Discord
/// for the recommended count when none is set, and for `max_concurrency` when processes share
/// the identify queue.
async fn plan_shards(
    settings: &DiscordSettings,
    http: &twilight_http::Client,
    store: &Store,
) -> anyhow::Result<(std::ops::Range<u32>, u32, IdentifyQueue)> {
    // A local server (the simulator) has no identify limit.
    let local = settings.gateway.is_some();
    let fleet_turns = store.identify_turns().filter(|_| !local);
    let info = if settings.shards.is_none() || fleet_turns.is_some() {
        let info = http
            .gateway()
            .authed()
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "asking Discord for the shard count: {}",
                    describe_http_error(&e)
                )
            })?
            .model()
            .await
            .context("reading the gateway information")?;
        Some(info)
    } else {
        None
    };
    let total = match (settings.shards, &info) {
        (Some(count), _) => count.max(1),
        (None, Some(info)) => info.shards.max(1),
        (None, None) => 1,
    };
    let range = settings.shard_range.clone().unwrap_or(0..total);
    if range.start >= range.end || range.end > total {
        bail!(
            "shards {}..{} do not fit a bot of {total} shards",
            range.start,
            range.end
        );
    }
    if range != (0..total) && store.identify_turns().is_none() {
        bail!(
            "this process runs shards {}..{} of {total}: the others run in other processes, which must share its data and its identify queue; use the PostgreSQL store in every one (ARSENAL_STORE_URL or store = \"postgres://…\" in arsenal.toml)",
            range.start,
            range.end
        );
    }
    let queue = match (local, fleet_turns, &info) {
        (true, _, _) => IdentifyQueue::unlimited(),
        (false, Some(turns), Some(info)) => IdentifyQueue::Fleet {
            turns: Box::new(turns),
            max_concurrency: info.session_start_limit.max_concurrency,
        },
        _ => IdentifyQueue::Local(twilight_gateway::queue::InMemoryQueue::default()),
    };
    Ok((range, total, queue))
}

impl DiscordHost {
    /// Closes every shard's session for good (the bot shows offline) and stops handling
    /// events; the saved sessions are forgotten.
    pub async fn close(self) {
        // First, so no reconnection for new intents starts while closing.
        self.follower.abort();
        self.stop_voice().await;
        self.shards.lock().await.close(false).await;
    }

    /// Stops handling events and hands every shard's session to the next process: closed
    /// resumably, its exact sequence and guild snapshot saved (`saved_session`).
    /// Waits (at most `grace`) for the interactions and prefix commands being answered: the
    /// modules still run, so they are answered before the process goes.
    pub async fn hand_over(self, grace: std::time::Duration) {
        let started = std::time::Instant::now();
        self.follower.abort();
        self.stop_voice().await;
        self.shards.lock().await.close(true).await;
        let closed = started.elapsed();
        self.shared.answers_done(grace).await;
        tracing::info!(
            ?closed,
            answered = ?started.elapsed(),
            "shards handed over (sessions saved), answers in flight sent"
        );
    }
}

impl DiscordHost {
    /// Stops the voice connections for a restart: positions saved, drivers dropped, the
    /// modules not told (the connections resume at the next start).
    async fn stop_voice(&self) {
        if let Some(voice) = self.shared.manager.services().voice.get() {
            voice.shutdown().await;
        }
        for task in &self.voice_tasks {
            task.abort();
        }
    }
}

/// After each load, reload or unload: new intents, the command set, and timers that waited for
/// the module.
async fn follow_module_changes(shared: Arc<Shared>, shards: Arc<tokio::sync::Mutex<Shards>>) {
    let mut changes = shared.manager.subscribe();
    loop {
        match changes.recv().await {
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                follow_intents(&shared, &shards, HOST_INTENTS).await;
                sync_commands(&shared).await;
                if let Some(timers) = shared.manager.services().timers.get() {
                    timers.retry_now();
                }
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// Handles one gateway frame, counted in `metrics` (its shard's); true when it was READY or
/// RESUMED (the session serves). Public for the dispatch benchmark.
pub fn handle_frame(shared: &Arc<Shared>, frame: &str, metrics: &mut ShardMetrics) -> bool {
    let Ok(envelope) = serde_json::from_str::<Envelope<'_>>(frame) else {
        tracing::warn!("ignoring a gateway frame that is not JSON");
        return false;
    };
    let (0, Some(name)) = (envelope.op, envelope.t) else {
        return false;
    };
    // RESUMED may carry no data at all (`"d": null`): it still means the session serves.
    let Some(data) = envelope.d else {
        metrics.event(name);
        return name == "RESUMED";
    };
    metrics.event(name);
    match name {
        "INTERACTION_CREATE" => match serde_json::from_str(data.get()) {
            Ok(interaction) => {
                shared.spawn_answer(routing::interaction(Arc::clone(shared), interaction));
            }
            Err(e) => {
                tracing::warn!(
                    "an interaction did not parse ({e}); answering that it cannot be handled"
                );
                let raw = data.get().to_owned();
                shared.spawn_answer(routing::unparsed_interaction(Arc::clone(shared), raw));
            }
        },
        "MESSAGE_CREATE" => {
            // Most messages are chat: look at three fields before parsing the whole message.
            if let Ok(probe) = serde_json::from_str::<MessageProbe<'_>>(data.get()) {
                let prefix = shared.guild_prefix(probe.guild_id);
                if !probe.author.bot && probe.content.starts_with(prefix.as_str()) {
                    if let Ok(message) = serde_json::from_str(data.get()) {
                        shared.spawn_answer(routing::prefix_message(Arc::clone(shared), message));
                    }
                }
            }
        }
        _ if HOST_EVENTS.contains(&name) => {
            use serde::de::DeserializeSeed;
            let mut deserializer = serde_json::Deserializer::from_str(data.get());
            match DispatchEventWithTypeDeserializer::new(name).deserialize(&mut deserializer) {
                Ok(event) => {
                    let event = Event::from(event);
                    if let Event::Ready(ready) = &event {
                        cache_snapshot::forget_unlisted(&shared.cache, ready);
                    }
                    shared.cache.update(&event);
                    shared.cache_changed();
                    feed_voice(shared, &event);
                }
                Err(e) => tracing::warn!("ignoring a {name} event that did not parse: {e}"),
            }
        }
        _ => {}
    }
    // Its token would let a module take over the bot's voice connection: the host's alone.
    if name == "VOICE_SERVER_UPDATE" {
        return false;
    }
    shared.manager.dispatch_event(name, &Arc::from(data.get()));
    matches!(name, "READY" | "RESUMED")
}

/// Hands the bot's voice state and voice server updates to the voice connections.
fn feed_voice(shared: &Shared, event: &Event) {
    let Some(voice) = shared.manager.services().voice.get() else {
        return;
    };
    match event {
        Event::VoiceStateUpdate(update) => {
            if let Some(guild) = update.guild_id {
                voice.voice_state(guild, update.user_id, update.channel_id, &update.session_id);
            }
        }
        Event::VoiceServerUpdate(update) => {
            voice.voice_server(update.guild_id, update.endpoint.as_deref(), &update.token);
        }
        _ => {}
    }
}
