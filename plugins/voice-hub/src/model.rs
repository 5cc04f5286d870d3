//! The records the module keeps in its store namespace, and their keys.
//!
//! Every record carries `v` (its schema version, 1 today); new fields come with
//! `#[serde(default)]`. Keys name the guild first, so nothing of one server is ever read while
//! handling another's.
//!
//! | key | record |
//! |---|---|
//! | `hub:<guild>:<channel>` | [`Hub`]: a join-to-create channel and its settings |
//! | `room:<guild>:<channel>` | [`Room`]: a voice channel the module created, its owner and state |
//! | `at:<guild>:<user>` | [`Presence`]: the room a member is connected to |
//! | `prefs:<guild>:<user>` | [`Prefs`]: what a member's next room starts with |
//! | `bot` | the bot's user id (for its own overwrite on private rooms) |
//!
//! Timers: `delete:<guild>:<channel>` (an empty room, after its delay) and
//! `rename:<guild>:<channel>` (a queued rename, when Discord allows it).

use arsenal_plugin_api::model::id::{
    marker::{ChannelMarker, GuildMarker, MessageMarker, UserMarker},
    Id,
};
use serde::{Deserialize, Serialize};

/// The schema version written into every record.
pub const RECORD_VERSION: u32 = 1;
/// A new hub's name template.
pub const DEFAULT_TEMPLATE: &str = "🔊 {user}";
/// Seconds an empty room waits before it is deleted, unless a hub says otherwise.
pub const DEFAULT_EMPTY_DELAY_SECS: u64 = 30;
/// Longest delay a hub may set.
pub const MAX_EMPTY_DELAY_SECS: u64 = 3600;
/// Discord's member limit of a voice channel (0: none).
pub const MAX_USER_LIMIT: u16 = 99;
/// Discord's longest channel name.
pub const MAX_NAME: usize = 100;
/// Discord allows this many renames of a channel ...
pub const RENAMES_PER_WINDOW: usize = 2;
/// ... within this many milliseconds.
pub const RENAME_WINDOW_MS: u64 = 10 * 60 * 1000;

fn version() -> u32 {
    RECORD_VERSION
}

fn default_template() -> String {
    DEFAULT_TEMPLATE.to_owned()
}

fn default_delay() -> u64 {
    DEFAULT_EMPTY_DELAY_SECS
}

/// A join-to-create channel: joining it makes a room for the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hub {
    #[serde(default = "version")]
    pub v: u32,
    pub guild_id: Id<GuildMarker>,
    pub channel_id: Id<ChannelMarker>,
    /// Category new rooms go in (none: the hub's own category, read when the room is made).
    #[serde(default)]
    pub category: Option<Id<ChannelMarker>>,
    /// Room name; `{user}` is the member's name.
    #[serde(default = "default_template")]
    pub template: String,
    /// Member limit of new rooms (0: none), unless the member chose their own.
    #[serde(default)]
    pub limit: u16,
    /// Seconds an empty room waits before it is deleted.
    #[serde(default = "default_delay")]
    pub empty_delay_secs: u64,
}

/// A voice channel the module created. Only channels with a record are ever changed or deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    #[serde(default = "version")]
    pub v: u32,
    pub guild_id: Id<GuildMarker>,
    pub channel_id: Id<ChannelMarker>,
    /// The hub it was made from.
    pub hub_id: Id<ChannelMarker>,
    pub owner: Id<UserMarker>,
    /// Its name as last applied.
    pub name: String,
    #[serde(default)]
    pub limit: u16,
    /// Only the owner and permitted members may connect.
    #[serde(default)]
    pub locked: bool,
    /// Only the owner and permitted members see it.
    #[serde(default)]
    pub hidden: bool,
    /// Members the owner let in.
    #[serde(default)]
    pub permitted: Vec<Id<UserMarker>>,
    /// Members the owner kicked: they may not connect again.
    #[serde(default)]
    pub kicked: Vec<Id<UserMarker>>,
    /// Who is connected now.
    #[serde(default)]
    pub occupants: Vec<Id<UserMarker>>,
    /// When the channel was renamed in the last ten minutes (Unix ms).
    #[serde(default)]
    pub renames_ms: Vec<u64>,
    /// A rename waiting for Discord's allowance, applied by the `rename:` timer.
    #[serde(default)]
    pub pending_name: Option<String>,
    /// The control panel posted in the room's text chat.
    #[serde(default)]
    pub panel_message: Option<Id<MessageMarker>>,
    #[serde(default = "default_delay")]
    pub empty_delay_secs: u64,
}

impl Room {
    /// Whether `user` is connected to the room.
    #[must_use]
    pub fn has(&self, user: Id<UserMarker>) -> bool {
        self.occupants.contains(&user)
    }
}

/// The room a member is connected to (so a move out of it is noticed: a voice state update
/// names only the new channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub channel_id: Id<ChannelMarker>,
}

/// What a member's next room starts with: set by what they last chose in one of their rooms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    #[serde(default = "version")]
    pub v: u32,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub limit: Option<u16>,
    #[serde(default)]
    pub locked: bool,
    #[serde(default)]
    pub hidden: bool,
}

pub fn hub_key(guild: Id<GuildMarker>, channel: Id<ChannelMarker>) -> String {
    format!("hub:{guild}:{channel}")
}

pub fn hub_prefix(guild: Id<GuildMarker>) -> String {
    format!("hub:{guild}:")
}

pub fn room_key(guild: Id<GuildMarker>, channel: Id<ChannelMarker>) -> String {
    format!("room:{guild}:{channel}")
}

pub fn room_prefix(guild: Id<GuildMarker>) -> String {
    format!("room:{guild}:")
}

/// Every room of every guild (start-up reconcile).
pub const ALL_ROOMS: &str = "room:";

pub fn presence_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("at:{guild}:{user}")
}

pub fn presence_prefix(guild: Id<GuildMarker>) -> String {
    format!("at:{guild}:")
}

pub fn prefs_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("prefs:{guild}:{user}")
}

pub const BOT_KEY: &str = "bot";

pub fn delete_timer(guild: Id<GuildMarker>, channel: Id<ChannelMarker>) -> String {
    format!("delete:{guild}:{channel}")
}

pub fn rename_timer(guild: Id<GuildMarker>, channel: Id<ChannelMarker>) -> String {
    format!("rename:{guild}:{channel}")
}

/// Reads a timer key `<kind>:<guild>:<channel>`.
#[must_use]
pub fn parse_timer(key: &str) -> Option<(&str, Id<GuildMarker>, Id<ChannelMarker>)> {
    let mut parts = key.split(':');
    let kind = parts.next()?;
    let guild = parts
        .next()?
        .parse::<u64>()
        .ok()
        .and_then(Id::new_checked)?;
    let channel = parts
        .next()?
        .parse::<u64>()
        .ok()
        .and_then(Id::new_checked)?;
    parts.next().is_none().then_some((kind, guild, channel))
}

/// A room name from a template: `{user}` replaced, trimmed, cut to Discord's 100 characters;
/// `None` if nothing is left.
#[must_use]
pub fn room_name(template: &str, user: &str) -> Option<String> {
    let name = template.replace("{user}", user);
    let name: String = name.trim().chars().take(MAX_NAME).collect();
    let name = name.trim().to_owned();
    (!name.is_empty()).then_some(name)
}
