//! The fake Discord's state: users, guilds, roles, members, channels, messages, commands and
//! interactions, plus the gateway events each change produces.
//!
//! Everything is keyed by raw `u64` snowflakes internally (cheap to compare, no marker juggling);
//! the public read API ([`view`]) hands out twilight-model types. Mutations never talk to the
//! gateway directly: they push [`PendingEvent`]s into an outbox which the simulator drains while
//! still holding the world lock, so event order always equals mutation order.

mod commands;
mod demo;
mod dms;
mod guild_changes;
pub(crate) mod json;
mod messages;
pub(crate) mod permissions;
mod records;
mod safety;
mod view;
mod voice;
mod webhooks;

pub use commands::CommandStats;
pub use demo::{DemoIds, DEMO_BOT_PERMISSIONS};
pub use messages::{MessageInput, NewAttachment};
pub use records::AttachmentRecord;

pub(crate) use commands::{command_json, CommandRegistry};
pub(crate) use messages::parse_emoji;
pub(crate) use records::*;
pub(crate) use webhooks::WebhookRecord;

use crate::clock::Snowflakes;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, RoleMarker, UserMarker},
    Id,
};

/// Discord channel types the simulator models.
pub mod channel_kind {
    pub const GUILD_TEXT: u8 = 0;
    pub const DM: u8 = 1;
    pub const GUILD_VOICE: u8 = 2;
    pub const GUILD_CATEGORY: u8 = 4;
    pub const ANNOUNCEMENT_THREAD: u8 = 10;
    pub const PUBLIC_THREAD: u8 = 11;
    pub const PRIVATE_THREAD: u8 = 12;

    pub(crate) fn is_thread(kind: u8) -> bool {
        matches!(kind, ANNOUNCEMENT_THREAD | PUBLIC_THREAD | PRIVATE_THREAD)
    }
}

/// Gateway intent bits the simulator filters on.
pub(crate) mod intent {
    pub const GUILDS: u64 = 1 << 0;
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    pub const GUILD_MODERATION: u64 = 1 << 2;
    pub const GUILD_VOICE_STATES: u64 = 1 << 7;
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    pub const GUILD_MESSAGE_REACTIONS: u64 = 1 << 10;
    pub const DIRECT_MESSAGES: u64 = 1 << 12;
    pub const DIRECT_MESSAGE_REACTIONS: u64 = 1 << 13;
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
}

/// A gateway dispatch produced by a world change, not yet routed to a shard.
#[derive(Clone, Debug)]
pub(crate) struct PendingEvent {
    /// Guild the event belongs to (routes it to a shard); `None` goes to shard 0 (DMs).
    pub guild_id: Option<u64>,
    pub name: &'static str,
    pub data: Value,
    /// Intent a session needs to receive the event; 0 means always delivered.
    pub intent: u64,
    /// A guild message whose content is only visible with the MESSAGE_CONTENT intent.
    pub content_gated: bool,
}

/// The simulated Discord state. Build one with [`World::demo`] or [`World::new`] and the
/// `add_*` methods, then hand it to [`crate::SimConfig`].
#[derive(Clone, Debug)]
pub struct World {
    pub(crate) app: AppInfo,
    pub(crate) bot_user_id: u64,
    pub(crate) users: BTreeMap<u64, UserRecord>,
    pub(crate) guilds: BTreeMap<u64, GuildRecord>,
    pub(crate) channels: BTreeMap<u64, ChannelRecord>,
    pub(crate) messages: BTreeMap<u64, BTreeMap<u64, MessageRecord>>,
    pub(crate) message_channel: HashMap<u64, u64>,
    /// user id → DM channel id with the bot.
    pub(crate) dm_channels: BTreeMap<u64, u64>,
    pub(crate) commands: CommandRegistry,
    pub(crate) interactions: HashMap<u64, InteractionRecord>,
    /// Channel webhooks by id.
    pub(crate) webhooks: BTreeMap<u64, WebhookRecord>,
    pub(crate) ids: Snowflakes,
    pub(crate) outbox: Vec<PendingEvent>,
    /// Base URL attachments are served under (set by the simulator once it knows its port).
    pub(crate) cdn_base: String,
    /// user id → the language of their Discord client (`locale` in their interactions);
    /// `en-US` when not set.
    pub(crate) user_locales: HashMap<u64, String>,
    /// guild id → its preferred locale (`guild_locale`, `preferred_locale`); `en-US` when not set.
    pub(crate) guild_locales: HashMap<u64, String>,
    /// Users who refuse direct messages from the bot (see [`World::close_dms`]).
    pub(crate) closed_dms: BTreeSet<u64>,
    /// channel id → when its name changed in the last ten minutes (Discord allows two).
    pub(crate) renames: HashMap<u64, Vec<u64>>,
}

impl World {
    /// An empty world with an application and its bot user (no guilds yet).
    pub fn new(app_name: &str, bot_name: &str, owner_name: &str) -> Self {
        let mut ids = Snowflakes::new();
        let app_id = ids.seeded();
        let owner_id = ids.seeded();
        let mut world = Self {
            app: AppInfo {
                id: app_id,
                name: app_name.to_owned(),
                owner_id,
                team: Vec::new(),
            },
            // Discord gives a bot user the application's id.
            bot_user_id: app_id,
            users: BTreeMap::new(),
            guilds: BTreeMap::new(),
            channels: BTreeMap::new(),
            messages: BTreeMap::new(),
            message_channel: HashMap::new(),
            dm_channels: BTreeMap::new(),
            commands: CommandRegistry::default(),
            interactions: HashMap::new(),
            webhooks: BTreeMap::new(),
            ids,
            outbox: Vec::new(),
            cdn_base: "http://127.0.0.1".to_owned(),
            user_locales: HashMap::new(),
            guild_locales: HashMap::new(),
            closed_dms: BTreeSet::new(),
            renames: HashMap::new(),
        };
        world.insert_user(app_id, bot_name, true);
        world.insert_user(owner_id, owner_name, false);
        world
    }

    /// The locale `user`'s Discord client sends (`en-US` unless set).
    pub(crate) fn user_locale(&self, user: u64) -> &str {
        self.user_locales.get(&user).map_or("en-US", String::as_str)
    }

    /// `guild`'s preferred locale (`en-US` unless set).
    pub(crate) fn guild_locale(&self, guild: u64) -> &str {
        self.guild_locales
            .get(&guild)
            .map_or("en-US", String::as_str)
    }

    fn insert_user(&mut self, id: u64, name: &str, bot: bool) {
        self.users.insert(
            id,
            UserRecord {
                id,
                username: name.to_owned(),
                global_name: (!bot).then(|| name.to_owned()),
                bot,
            },
        );
    }

    /// Adds a user (not yet in any guild).
    pub fn add_user(&mut self, name: &str) -> Id<UserMarker> {
        let id = self.ids.seeded();
        self.insert_user(id, name, false);
        Id::new(id)
    }

    /// Makes the application team-owned; `members[0]` is the team owner.
    pub fn set_team(&mut self, members: &[Id<UserMarker>]) {
        self.app.team = members.iter().map(|id| id.get()).collect();
    }

    /// Adds a guild owned by `owner` with its @everyone role (same id as the guild), the owner
    /// and the bot as members, and a managed bot role placed at `bot_role_position`.
    pub fn add_guild(&mut self, name: &str, owner: Id<UserMarker>) -> Id<GuildMarker> {
        let id = self.ids.seeded();
        let everyone = RoleRecord {
            id,
            name: "@everyone".to_owned(),
            permissions: permissions::DEFAULT_EVERYONE,
            position: 0,
            color: 0,
            hoist: false,
            mentionable: false,
            bot_id: None,
        };
        let mut guild = GuildRecord {
            id,
            name: name.to_owned(),
            owner_id: owner.get(),
            roles: BTreeMap::from([(id, everyone)]),
            members: BTreeMap::new(),
            bans: BTreeMap::new(),
            voice: BTreeMap::new(),
            safety: safety::GuildSafety::default(),
        };
        for user in [owner.get(), self.bot_user_id] {
            guild.members.insert(user, new_member(user));
        }
        self.guilds.insert(id, guild);
        Id::new(id)
    }

    /// Adds a role at `position` (higher is more powerful).
    pub fn add_role(
        &mut self,
        guild: Id<GuildMarker>,
        name: &str,
        permissions: u64,
        position: i64,
    ) -> Id<RoleMarker> {
        let id = self.ids.seeded();
        if let Some(g) = self.guilds.get_mut(&guild.get()) {
            g.roles.insert(
                id,
                RoleRecord {
                    id,
                    name: name.to_owned(),
                    permissions,
                    position,
                    color: 0,
                    hoist: false,
                    mentionable: false,
                    bot_id: None,
                },
            );
        }
        Id::new(id)
    }

    /// Adds the bot's managed role and gives it to the bot.
    pub fn add_bot_role(
        &mut self,
        guild: Id<GuildMarker>,
        permissions: u64,
        position: i64,
    ) -> Id<RoleMarker> {
        let bot_name = self
            .users
            .get(&self.bot_user_id)
            .map(|u| u.username.clone())
            .unwrap_or_default();
        let role = self.add_role(guild, &bot_name, permissions, position);
        let bot = self.bot_user_id;
        if let Some(g) = self.guilds.get_mut(&guild.get()) {
            if let Some(r) = g.roles.get_mut(&role.get()) {
                r.bot_id = Some(bot);
            }
            if let Some(m) = g.members.get_mut(&bot) {
                m.roles.push(role.get());
            }
        }
        role
    }

    /// Adds a guild channel; `parent` puts it under a category.
    pub fn add_channel(
        &mut self,
        guild: Id<GuildMarker>,
        name: &str,
        kind: u8,
        parent: Option<Id<ChannelMarker>>,
    ) -> Id<ChannelMarker> {
        let id = self.ids.seeded();
        let position = self
            .channels
            .values()
            .filter(|c| c.guild_id == Some(guild.get()))
            .count() as i32;
        let mut channel = ChannelRecord::new(id, Some(guild.get()), kind, Some(name.to_owned()));
        channel.position = position;
        channel.parent_id = parent.map(Id::get);
        self.channels.insert(id, channel);
        Id::new(id)
    }

    /// Adds a permission overwrite to a channel (`kind` 0 = role, 1 = member).
    pub fn add_overwrite(
        &mut self,
        channel: Id<ChannelMarker>,
        target: u64,
        kind: u8,
        allow: u64,
        deny: u64,
    ) {
        if let Some(c) = self.channels.get_mut(&channel.get()) {
            c.overwrites.retain(|o| o.id != target);
            c.overwrites.push(Overwrite {
                id: target,
                kind,
                allow,
                deny,
            });
        }
    }

    /// Makes `user` a member of `guild` with `roles` (no event: this is for building worlds).
    pub fn add_member(
        &mut self,
        guild: Id<GuildMarker>,
        user: Id<UserMarker>,
        roles: &[Id<RoleMarker>],
    ) {
        if let Some(g) = self.guilds.get_mut(&guild.get()) {
            let member = g
                .members
                .entry(user.get())
                .or_insert_with(|| new_member(user.get()));
            for role in roles {
                if !member.roles.contains(&role.get()) {
                    member.roles.push(role.get());
                }
            }
        }
    }

    /// The application (and bot user) id.
    pub fn application_id(&self) -> Id<twilight_model::id::marker::ApplicationMarker> {
        Id::new(self.app.id)
    }

    pub fn bot_user_id(&self) -> Id<UserMarker> {
        Id::new(self.bot_user_id)
    }

    pub fn owner_id(&self) -> Id<UserMarker> {
        Id::new(self.app.owner_id)
    }

    pub fn user_by_name(&self, name: &str) -> Option<Id<UserMarker>> {
        self.users
            .values()
            .find(|u| u.username == name)
            .map(|u| Id::new(u.id))
    }

    pub fn guild_by_name(&self, name: &str) -> Option<Id<GuildMarker>> {
        self.guilds
            .values()
            .find(|g| g.name == name)
            .map(|g| Id::new(g.id))
    }

    pub fn guild_ids(&self) -> Vec<Id<GuildMarker>> {
        self.guilds.keys().map(|id| Id::new(*id)).collect()
    }

    pub fn channel_by_name(&self, guild: Id<GuildMarker>, name: &str) -> Option<Id<ChannelMarker>> {
        self.channels
            .values()
            .find(|c| c.guild_id == Some(guild.get()) && c.name.as_deref() == Some(name))
            .map(|c| Id::new(c.id))
    }

    pub fn role_by_name(&self, guild: Id<GuildMarker>, name: &str) -> Option<Id<RoleMarker>> {
        self.guilds
            .get(&guild.get())?
            .roles
            .values()
            .find(|r| r.name == name)
            .map(|r| Id::new(r.id))
    }

    pub(crate) fn next_id(&mut self) -> u64 {
        self.ids.next()
    }

    pub(crate) fn emit(
        &mut self,
        guild_id: Option<u64>,
        name: &'static str,
        data: Value,
        intent: u64,
    ) {
        self.outbox.push(PendingEvent {
            guild_id,
            name,
            data,
            intent,
            content_gated: false,
        });
    }

    pub(crate) fn take_outbox(&mut self) -> Vec<PendingEvent> {
        std::mem::take(&mut self.outbox)
    }

    pub(crate) fn guild(&self, id: u64) -> Result<&GuildRecord, crate::ApiError> {
        self.guilds
            .get(&id)
            .ok_or_else(crate::ApiError::unknown_guild)
    }

    pub(crate) fn guild_mut(&mut self, id: u64) -> Result<&mut GuildRecord, crate::ApiError> {
        self.guilds
            .get_mut(&id)
            .ok_or_else(crate::ApiError::unknown_guild)
    }

    pub(crate) fn channel(&self, id: u64) -> Result<&ChannelRecord, crate::ApiError> {
        self.channels
            .get(&id)
            .ok_or_else(crate::ApiError::unknown_channel)
    }

    pub(crate) fn member(&self, guild: u64, user: u64) -> Result<&MemberRecord, crate::ApiError> {
        self.guild(guild)?
            .members
            .get(&user)
            .ok_or_else(crate::ApiError::unknown_member)
    }

    pub(crate) fn message(&self, channel: u64, id: u64) -> Result<&MessageRecord, crate::ApiError> {
        self.messages
            .get(&channel)
            .and_then(|m| m.get(&id))
            .ok_or_else(crate::ApiError::unknown_message)
    }

    pub(crate) fn user(&self, id: u64) -> Result<&UserRecord, crate::ApiError> {
        self.users
            .get(&id)
            .ok_or_else(crate::ApiError::unknown_user)
    }
}

/// A member record for `user_id` joining now, without roles.
pub(crate) fn new_member(user_id: u64) -> MemberRecord {
    MemberRecord {
        user_id,
        nick: None,
        roles: Vec::new(),
        joined_at_ms: crate::clock::now_ms(),
        timeout_until_ms: None,
        deaf: false,
        mute: false,
        pending: false,
    }
}
