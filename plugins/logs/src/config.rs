//! A server's logging settings (key `cfg:<guild>`): which channel each category goes to, what
//! is ignored, and how long message contents are kept.

use std::collections::{BTreeMap, BTreeSet};

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

/// Message contents are kept this long unless a server chooses otherwise (`/logs retention`).
pub const DEFAULT_RETENTION_SECS: u64 = 7 * 24 * 3600;
/// The shortest retention a server may choose.
pub const MIN_RETENTION_SECS: u64 = 3600;
/// The longest retention a server may choose.
pub const MAX_RETENTION_SECS: u64 = 30 * 24 * 3600;

/// What a log entry is about; each category is routed to its own channel (or to none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Message edits, deletes and bulk deletes.
    Messages,
    /// Joins, leaves, role and nickname changes.
    Members,
    /// Bans, unbans and timeouts.
    Moderation,
    /// Channels and roles created, changed or deleted.
    Server,
    /// Voice joins, moves and leaves.
    Voice,
}

impl Category {
    /// Every category, in the order `/logs show` lists them.
    pub const ALL: [Category; 5] = [
        Category::Messages,
        Category::Members,
        Category::Moderation,
        Category::Server,
        Category::Voice,
    ];

    /// The name members see and type.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Category::Messages => "messages",
            Category::Members => "members",
            Category::Moderation => "moderation",
            Category::Server => "server",
            Category::Voice => "voice",
        }
    }
}

/// A category, or all of them at once (a command option).
#[derive(Debug, Clone, Copy, PartialEq, Eq, CommandChoice)]
pub enum Which {
    #[choice(name = "all")]
    All,
    #[choice(name = "messages")]
    Messages,
    #[choice(name = "members")]
    Members,
    #[choice(name = "moderation")]
    Moderation,
    #[choice(name = "server")]
    Server,
    #[choice(name = "voice")]
    Voice,
}

impl Which {
    /// The categories it names.
    #[must_use]
    pub fn categories(self) -> Vec<Category> {
        match self {
            Which::All => Category::ALL.to_vec(),
            Which::Messages => vec![Category::Messages],
            Which::Members => vec![Category::Members],
            Which::Moderation => vec![Category::Moderation],
            Which::Server => vec![Category::Server],
            Which::Voice => vec![Category::Voice],
        }
    }
}

/// One server's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuildConfig {
    /// Where each category goes; a category without a channel is not logged.
    #[serde(default)]
    pub routes: BTreeMap<Category, Id<ChannelMarker>>,
    /// Channels whose messages are neither kept nor logged.
    #[serde(default)]
    pub ignored_channels: BTreeSet<Id<ChannelMarker>>,
    /// Members whose messages and changes are not logged.
    #[serde(default)]
    pub ignored_members: BTreeSet<Id<UserMarker>>,
    /// Whether bots' messages are kept and logged (off by default: bots are noisy).
    #[serde(default)]
    pub log_bots: bool,
    /// How long message contents are kept, in seconds.
    #[serde(default = "default_retention")]
    pub retention_secs: u64,
}

impl Default for GuildConfig {
    fn default() -> Self {
        Self {
            routes: BTreeMap::new(),
            ignored_channels: BTreeSet::new(),
            ignored_members: BTreeSet::new(),
            log_bots: false,
            retention_secs: DEFAULT_RETENTION_SECS,
        }
    }
}

fn default_retention() -> u64 {
    DEFAULT_RETENTION_SECS
}

impl GuildConfig {
    /// The channel `category` goes to.
    #[must_use]
    pub fn route(&self, category: Category) -> Option<Id<ChannelMarker>> {
        self.routes.get(&category).copied()
    }

    /// Whether `channel` receives logs (its own messages are never logged: no loops).
    #[must_use]
    pub fn is_log_channel(&self, channel: Id<ChannelMarker>) -> bool {
        self.routes.values().any(|c| *c == channel)
    }

    /// Whether a message by `author` in `channel` is kept and logged.
    #[must_use]
    pub fn watches_message(
        &self,
        channel: Id<ChannelMarker>,
        author: Id<UserMarker>,
        bot: bool,
    ) -> bool {
        self.routes.contains_key(&Category::Messages)
            && !self.is_log_channel(channel)
            && !self.ignored_channels.contains(&channel)
            && !self.ignored_members.contains(&author)
            && (self.log_bots || !bot)
    }
}

/// The store key of `guild`'s settings.
#[must_use]
pub fn key(guild: Id<GuildMarker>) -> String {
    format!("cfg:{guild}")
}

/// `guild`'s settings, if it set any up.
///
/// # Errors
///
/// When the store cannot be read.
pub fn load(ctx: &Context, guild: Id<GuildMarker>) -> Result<Option<GuildConfig>> {
    ctx.store().get(&key(guild))
}
