//! The `automod` module: filtering in four levels (off, low, medium, high), anti-spam and raid
//! protection, per server.
//!
//! - Discord's native AutoMod first ([`native`]): the word list, keyword presets and mention
//!   spam become Discord rules that block a message before anyone sees it.
//! - Bot-side rules for what native rules cannot do ([`engine`]): message rate per member,
//!   duplicates, caps, links with an allow list, invites, mass mentions, emoji and attachment
//!   spam, zalgo, and the word list again on normalised text ([`normalize`]) so disguised words
//!   are caught too.
//! - Escalation ([`escalation`], [`enforce`]): x violations in y minutes → delete, warn,
//!   timeout, kick or ban, each recorded as a moderation case when moderation is loaded.
//! - Anti-raid ([`raid`]): a join rate above a threshold starts raid mode; a command ends it.
//!
//! Settings and state are in the store ([`config`] lists the keys). The instance keeps a cache
//! of compiled rules (checked against the stored settings on every message) and the sliding
//! windows ([`windows`]), handed to the next instance across a reload.

pub mod cases;
pub mod commands;
pub mod config;
pub mod enforce;
pub mod engine;
pub mod escalation;
mod handlers;
pub mod native;
pub mod normalize;
pub mod raid;
pub mod windows;

use std::collections::HashMap;

use arsenal_plugin_api::{
    model::gateway::payload::incoming::{MemberAdd, MessageCreate},
    prelude::*,
    protocol::ModuleRequest,
};

/// What other modules may ask automod: whether a server is in raid mode.
pub const RAID_STATUS: &str = "raid.status";

use crate::{
    commands::Automod as AutomodCommand,
    config::GuildConfig,
    engine::{Engine, MessageFacts},
    windows::Windows,
};

/// The module.
#[derive(Debug, Default)]
pub struct Automod {
    /// Compiled rules per server, checked against the stored settings on every message.
    engines: HashMap<Id<GuildMarker>, Engine>,
    /// Recent messages and joins.
    windows: Windows,
    /// Whether the windows a previous instance left were taken in.
    carried: bool,
}

impl Automod {
    /// Takes in the windows the previous instance left (once, before the first event: the old
    /// instance's `on_unload` runs after this one's constructor).
    fn take_carry(&mut self, ctx: &Context) -> Result<()> {
        if self.carried {
            return Ok(());
        }
        self.carried = true;
        let store = ctx.store();
        if let Some(older) = store.get::<Windows>(config::CARRY_KEY)? {
            self.windows.absorb(older);
            store.delete(config::CARRY_KEY)?;
        }
        Ok(())
    }

    /// The server's engine, rebuilt when its stored settings or words changed.
    fn engine(&mut self, ctx: &Context, guild: Id<GuildMarker>) -> Result<&Engine> {
        let config = config::load(ctx, guild)?;
        let fresh = match self.engines.get(&guild) {
            Some(engine) if engine.revision == config.words_revision => None,
            _ => Some(config::load_words(ctx, guild)?),
        };
        let engine = match (self.engines.remove(&guild), fresh) {
            (Some(mut engine), None) => {
                if engine.config != config {
                    engine.config = config;
                }
                engine
            }
            (_, Some(words)) => {
                let mut engine = Engine::new(config, &words);
                // The revision the settings point at, even if the list's own lags behind.
                engine.revision = engine.config.words_revision;
                if !engine.skipped.is_empty() {
                    log::warn!(
                        "automod: server {guild}: skipped entries that do not compile: {:?}",
                        engine.skipped
                    );
                }
                engine
            }
            (None, None) => Engine::new(config, &config::WordList::default()),
        };
        Ok(self.engines.entry(guild).or_insert(engine))
    }

    /// Forgets a server's compiled rules (its settings or words just changed).
    pub(crate) fn invalidate(&mut self, guild: Id<GuildMarker>) {
        self.engines.remove(&guild);
    }

    fn message(&mut self, ctx: &Context, event: &MessageCreate) -> Result<()> {
        let message = &event.message;
        let Some(guild) = message.guild_id else {
            return Ok(());
        };
        if message.author.bot || message.webhook_id.is_some() {
            return Ok(());
        }
        self.take_carry(ctx)?;
        let now = ctx.now();
        let engine = self.engine(ctx, guild)?;
        let config = &engine.config;
        if !config.any_bot_side() || config.exempt_channels.contains(&message.channel_id) {
            return Ok(());
        }
        if let Some(member) = &message.member {
            if member.roles.iter().any(|r| config.exempt_roles.contains(r)) {
                return Ok(());
            }
        }
        let mut mentioned: Vec<u64> = message.mentions.iter().map(|m| m.id.get()).collect();
        mentioned.extend(message.mention_roles.iter().map(|r| r.get()));
        mentioned.sort_unstable();
        mentioned.dedup();
        let facts = MessageFacts {
            content: &message.content,
            mentions: mentioned.len() + usize::from(message.mention_everyone),
            attachments: message.attachments.len() + message.sticker_items.len(),
        };
        let engine = self
            .engines
            .get(&guild)
            .ok_or_else(|| Error::failed("the compiled rules vanished"))?;
        let hit = engine.check(
            &mut self.windows,
            guild.get(),
            message.author.id.get(),
            now,
            &facts,
        );
        let Some(hit) = hit else { return Ok(()) };
        let config: GuildConfig = engine.config.clone();
        enforce::violation(
            ctx,
            &config,
            enforce::Offence {
                guild,
                channel: message.channel_id,
                message: message.id,
                user: message.author.id,
            },
            &hit,
        )
    }

    fn member_joined(&mut self, ctx: &Context, event: &MemberAdd) -> Result<()> {
        if event.member.user.bot {
            return Ok(());
        }
        self.take_carry(ctx)?;
        let guild = event.guild_id;
        let config = config::load(ctx, guild)?;
        if !config.raid_watch() {
            return Ok(());
        }
        let window_ms = u64::from(config.raid.seconds) * 1000;
        let joins = self.windows.record_join(guild.get(), ctx.now(), window_ms);
        if joins < config.raid.joins as usize || raid::load(ctx, guild)?.is_some() {
            return Ok(());
        }
        self.windows.clear_joins(guild.get());
        let joins = u32::try_from(joins).unwrap_or(u32::MAX);
        if let Some(state) = raid::start(ctx, guild, &config, joins, None)? {
            handlers::raid_alert(ctx, guild, &config, &state);
        }
        Ok(())
    }
}

impl Plugin for Automod {
    const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");

    fn manifest() -> Manifest {
        Manifest::new("automod", env!("CARGO_PKG_VERSION"))
            .description("Filters in four levels, anti-spam, raid protection")
            .intents(Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT | Intents::GUILD_MEMBERS)
            .command(AutomodCommand::spec())
            .answers(RAID_STATUS)
    }

    fn events(events: &mut Events<Self>) {
        events
            .on::<MessageCreate>(Self::message)
            .on::<MemberAdd>(Self::member_joined);
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Self::default())
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        self.take_carry(ctx)?;
        handlers::command(self, ctx, command)
    }

    /// `raid.status` → `{ "active": bool, "since_ms": u64 | null }` for the request's server
    /// (welcome asks it before greeting a member).
    fn on_request(&mut self, ctx: &Context, request: &ModuleRequest) -> Result<serde_json::Value> {
        if request.method != RAID_STATUS {
            return Err(Error::invalid(format!(
                "automod answers `{RAID_STATUS}`, not `{}`",
                request.method
            )));
        }
        let Some(guild) = request.guild_id else {
            return Err(Error::invalid(
                "`raid.status` is about a server: ask with `ask_in(guild, …)`",
            ));
        };
        let state = raid::load(ctx, guild)?;
        Ok(serde_json::json!({
            "active": state.is_some(),
            "since_ms": state.map(|s| s.since_ms),
        }))
    }

    fn on_unload(&mut self, ctx: &Context) -> Result<()> {
        self.windows.sweep(ctx.now());
        if !self.windows.is_empty() {
            ctx.store().set(config::CARRY_KEY, &self.windows)?;
        }
        Ok(())
    }
}

arsenal_plugin_api::export_plugin!(Automod);
