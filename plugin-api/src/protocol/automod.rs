//! Discord's native AutoMod rules as a module describes them to the host
//! ([`DiscordRequest::CreateAutoModRule`](super::DiscordRequest::CreateAutoModRule) and
//! [`UpdateAutoModRule`](super::DiscordRequest::UpdateAutoModRule)). Every rule blocks the
//! message when it fires; Discord's caps (1000 keywords of 60 characters, 10 regexes of 260,
//! 100 allow-list entries, 20 exempt roles, 50 exempt channels, a custom message of 150) are
//! checked by the host before the request leaves.

use serde::{Deserialize, Serialize};
use twilight_model::id::{
    marker::{ChannelMarker, RoleMarker},
    Id,
};

/// One native AutoMod rule (on messages sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoModRule {
    /// Its name in the server's AutoMod settings.
    pub name: String,
    /// What sets it off.
    pub trigger: AutoModTrigger,
    /// Whether it is active.
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// Shown to the member whose message was blocked (≤ 150 characters).
    #[serde(default)]
    pub block_message: Option<String>,
    /// Where Discord posts an alert when it fires.
    #[serde(default)]
    pub alert_channel: Option<Id<ChannelMarker>>,
    /// Roles it does not apply to (≤ 20).
    #[serde(default)]
    pub exempt_roles: Vec<Id<RoleMarker>>,
    /// Channels it does not apply to (≤ 50).
    #[serde(default)]
    pub exempt_channels: Vec<Id<ChannelMarker>>,
}

fn enabled() -> bool {
    true
}

/// What sets a native rule off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AutoModTrigger {
    /// Words (Discord's keyword syntax: `word`, `*word*`, `word*`, `*word`) and regexes.
    Keyword {
        #[serde(default)]
        keywords: Vec<String>,
        #[serde(default)]
        regex_patterns: Vec<String>,
        #[serde(default)]
        allow_list: Vec<String>,
    },
    /// Discord's word lists: 1 profanity, 2 sexual content, 3 slurs.
    KeywordPreset {
        presets: Vec<u8>,
        #[serde(default)]
        allow_list: Vec<String>,
    },
    /// More than `limit` distinct user and role mentions in one message (1 to 50).
    MentionSpam { limit: u8 },
}
