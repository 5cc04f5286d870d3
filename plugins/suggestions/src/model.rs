//! The records the module keeps in its store namespace, and their keys.
//!
//! Every record carries `v` (its schema version, 1 today); new fields come with
//! `#[serde(default)]`.
//!
//! | key | record |
//! |---|---|
//! | `config:<guild>` | [`GuildConfig`] |
//! | `counter:<guild>` | the last suggestion number given in the server (`u64`) |
//! | `suggestion:<guild>:<number>` | [`Suggestion`] |
//! | `votes:<guild>:<number>` | [`Votes`]: one key per suggestion, changed in one transaction per vote |
//! | `cooldown:<guild>:<user>` | when the member last suggested (Unix ms, `u64`) |

use std::collections::BTreeMap;

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

/// The schema version written into every record.
pub const RECORD_VERSION: u32 = 1;
/// The cooldown between two suggestions of a member when none is configured.
pub const DEFAULT_COOLDOWN_SECS: u64 = 300;

fn version() -> u32 {
    RECORD_VERSION
}

fn yes() -> bool {
    true
}

fn default_cooldown() -> u64 {
    DEFAULT_COOLDOWN_SECS
}

/// One server's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildConfig {
    #[serde(default = "version")]
    pub v: u32,
    /// Where suggestions are posted; none: `/suggest` says the module is not set up.
    #[serde(default)]
    pub channel: Option<Id<ChannelMarker>>,
    /// Where decided suggestions are copied.
    #[serde(default)]
    pub log_channel: Option<Id<ChannelMarker>>,
    /// Roles that may decide (Manage Server always may).
    #[serde(default)]
    pub staff_roles: Vec<Id<RoleMarker>>,
    /// Seconds between two suggestions of one member (0: none).
    #[serde(default = "default_cooldown")]
    pub cooldown_secs: u64,
    /// Whether members may post anonymously.
    #[serde(default = "yes")]
    pub anonymous: bool,
    /// Whether each suggestion gets a discussion thread.
    #[serde(default = "yes")]
    pub threads: bool,
}

impl Default for GuildConfig {
    fn default() -> Self {
        Self {
            v: RECORD_VERSION,
            channel: None,
            log_channel: None,
            staff_roles: Vec::new(),
            cooldown_secs: DEFAULT_COOLDOWN_SECS,
            anonymous: true,
            threads: true,
        }
    }
}

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Pending,
    Considered,
    Approved,
    Denied,
    Implemented,
}

impl Status {
    /// The embed's side colour.
    #[must_use]
    pub const fn colour(self) -> u32 {
        match self {
            Self::Pending => 0x0058_65F2,
            Self::Considered => 0x00F1_C40F,
            Self::Approved => 0x0057_F287,
            Self::Denied => 0x00ED_4245,
            Self::Implemented => 0x009B_59B6,
        }
    }

    /// Its name in the texts (`suggestions-status-<name>`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Considered => "considered",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Implemented => "implemented",
        }
    }

    /// Decided for good: votes close and a copy goes to the log channel.
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Approved | Self::Denied | Self::Implemented)
    }
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    #[serde(default = "version")]
    pub v: u32,
    pub guild_id: Id<GuildMarker>,
    pub number: u64,
    /// Kept even when anonymous (for the DM and for moderation), never shown then.
    pub author: Id<UserMarker>,
    #[serde(default)]
    pub anonymous: bool,
    /// The author's Discord language when they suggested (their direct message is in it).
    #[serde(default)]
    pub author_locale: Option<String>,
    pub content: String,
    pub channel_id: Id<ChannelMarker>,
    /// `None` only between taking the number and Discord accepting the message.
    #[serde(default)]
    pub message_id: Option<Id<MessageMarker>>,
    #[serde(default)]
    pub thread_id: Option<Id<ChannelMarker>>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub decided_by: Option<Id<UserMarker>>,
    pub created_ms: u64,
    #[serde(default)]
    pub decided_ms: Option<u64>,
}

/// A vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    Up,
    Down,
}

/// The votes on one suggestion: one per member (a map, so a member cannot vote twice).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Votes {
    #[serde(default = "version")]
    pub v: u32,
    #[serde(default)]
    pub by: BTreeMap<Id<UserMarker>, Vote>,
}

impl Votes {
    /// (up, down).
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        let up = self.by.values().filter(|v| **v == Vote::Up).count();
        (up, self.by.len() - up)
    }
}

pub fn config_key(guild: Id<GuildMarker>) -> String {
    format!("config:{guild}")
}

pub fn counter_key(guild: Id<GuildMarker>) -> String {
    format!("counter:{guild}")
}

pub fn suggestion_key(guild: Id<GuildMarker>, number: u64) -> String {
    format!("suggestion:{guild}:{number}")
}

pub fn votes_key(guild: Id<GuildMarker>, number: u64) -> String {
    format!("votes:{guild}:{number}")
}

pub fn cooldown_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("cooldown:{guild}:{user}")
}

/// The server's settings, defaults if never configured.
///
/// # Errors
///
/// The store failed or holds a record of another shape.
pub fn load_config(ctx: &Context, guild: Id<GuildMarker>) -> Result<GuildConfig> {
    Ok(ctx.store().get(&config_key(guild))?.unwrap_or_default())
}

/// Cuts `text` to at most `max` characters, marking the cut.
#[must_use]
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Discord's (or the host's) reason for a refusal, without its final full stop, to sit inside a
/// sentence of ours.
#[must_use]
pub fn reason(error: &Error) -> String {
    error.message().trim_end().trim_end_matches('.').to_owned()
}
