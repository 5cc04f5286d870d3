//! What the module stores, one key per member and server (`profile:<guild>:<user>`,
//! `stats:<guild>:<user>`) plus one per server (`config:<guild>`): a member's profile in one
//! server never shows in another.

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{style::WritingStyle, theme::Theme};

/// Longest bio, in characters.
pub const MAX_BIO: usize = 300;

/// What a member chose for their profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Free text, up to [`MAX_BIO`] characters.
    #[serde(default)]
    pub bio: Option<String>,
    /// How the bio is written out in messages.
    #[serde(default)]
    pub style: WritingStyle,
    /// The card's colours.
    #[serde(default)]
    pub theme: Theme,
    /// Fields other members do not see.
    #[serde(default)]
    pub hidden: Vec<Field>,
}

impl Profile {
    /// Whether `field` shows to a viewer (the member always sees their own).
    #[must_use]
    pub fn shows(&self, field: Field, own: bool) -> bool {
        own || !self.hidden.contains(&field)
    }
}

/// A part of the profile a member may hide from others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, CommandChoice)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The bio.
    #[choice(name = "bio")]
    Bio,
    /// Messages sent.
    #[choice(name = "messages")]
    Messages,
    /// Time in voice channels.
    #[choice(name = "voice")]
    Voice,
    /// Coins (from the economy module).
    #[choice(name = "balance")]
    Balance,
    /// Level and XP (from the economy module).
    #[choice(name = "level")]
    Level,
    /// Achievements unlocked.
    #[choice(name = "achievements")]
    Achievements,
}

impl Field {
    /// The text id of its name.
    #[must_use]
    pub const fn text_id(self) -> &'static str {
        match self {
            Self::Bio => "profile-field-bio",
            Self::Messages => "profile-field-messages",
            Self::Voice => "profile-field-voice",
            Self::Balance => "profile-field-balance",
            Self::Level => "profile-field-level",
            Self::Achievements => "profile-field-achievements",
        }
    }
}

/// What the module counted about a member, durable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Messages sent in the server.
    #[serde(default)]
    pub messages: u64,
    /// Seconds spent in voice channels, sessions ended.
    #[serde(default)]
    pub voice_seconds: u64,
    /// When the current voice session began (Unix ms), while in a voice channel.
    #[serde(default)]
    pub voice_since: Option<u64>,
    /// The voice channel of the current session.
    #[serde(default)]
    pub voice_channel: Option<Id<ChannelMarker>>,
    /// Achievements unlocked, with when (Unix ms), oldest first.
    #[serde(default)]
    pub achievements: Vec<Unlocked>,
}

impl Stats {
    /// Voice seconds including the session in progress at `now`.
    #[must_use]
    pub fn voice_seconds_at(&self, now: u64) -> u64 {
        self.voice_seconds
            + self
                .voice_since
                .map_or(0, |since| now.saturating_sub(since) / 1000)
    }

    /// Whether `id` is unlocked.
    #[must_use]
    pub fn has(&self, id: &str) -> bool {
        self.achievements.iter().any(|a| a.id == id)
    }
}

/// An achievement unlocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unlocked {
    /// The achievement's id (`messages_100`).
    pub id: String,
    /// When (Unix ms).
    pub at: u64,
}

/// A server's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildConfig {
    /// Where achievements are announced (`None`: where they were unlocked).
    #[serde(default)]
    pub announce_channel: Option<Id<ChannelMarker>>,
    /// Whether achievements are announced at all.
    #[serde(default = "yes")]
    pub announce: bool,
}

const fn yes() -> bool {
    true
}

/// The store key of a member's profile.
#[must_use]
pub fn profile_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("profile:{guild}:{user}")
}

/// The store key of a member's statistics.
#[must_use]
pub fn stats_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("stats:{guild}:{user}")
}

/// The store key of a server's settings.
#[must_use]
pub fn config_key(guild: Id<GuildMarker>) -> String {
    format!("config:{guild}")
}

/// A server's settings (defaults when never set).
///
/// # Errors
///
/// The store's.
pub fn config(ctx: &Context, guild: Id<GuildMarker>) -> Result<GuildConfig> {
    Ok(ctx.store().get(&config_key(guild))?.unwrap_or(GuildConfig {
        announce_channel: None,
        announce: true,
    }))
}
