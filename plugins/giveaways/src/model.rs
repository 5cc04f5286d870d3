//! What the module keeps, and under which keys. One key per giveaway
//! (`gw:<guild>:<message>`: its settings, state, seed and winners) and one per entrant
//! (`entry:<guild>:<message>:<user>`: their weight), so entering writes two small keys, a server's
//! giveaways are one prefix, and nothing of one server is read while serving another. Every
//! entry and leave also writes the giveaway key (its count), so ending (a transaction that read
//! that key) can never miss an entrant or draw twice: any write in between makes it run again.

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a giveaway stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Taking entries.
    Open,
    /// Drawn; rerolls may add winners.
    Ended,
}

/// What a member needs to enter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    /// One role the member must have.
    #[serde(default)]
    pub role: Option<Id<RoleMarker>>,
    /// The member's Discord account must be at least this old (seconds).
    #[serde(default)]
    pub min_account_age_secs: Option<u64>,
    /// The member's level in the economy module.
    #[serde(default)]
    pub min_level: Option<u32>,
}

/// Extra entries for members holding a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bonus {
    pub role: Id<RoleMarker>,
    pub extra: u32,
}

/// One giveaway (version 1 of the record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Giveaway {
    #[serde(default = "version")]
    pub v: u32,
    pub guild: Id<GuildMarker>,
    pub channel: Id<ChannelMarker>,
    pub message: Id<MessageMarker>,
    pub host: Id<UserMarker>,
    pub prize: String,
    #[serde(default)]
    pub description: Option<String>,
    /// How many winners the first draw picks.
    pub winner_count: u32,
    pub started_at_ms: u64,
    pub ends_at_ms: u64,
    #[serde(default)]
    pub requirements: Requirements,
    #[serde(default)]
    pub bonus: Vec<Bonus>,
    /// The seed, hex; secret until the end (only this module reads its namespace).
    pub seed: String,
    /// SHA-256 of the seed, hex, shown from the start.
    pub commitment: String,
    pub status: Status,
    /// Distinct entrants.
    #[serde(default)]
    pub entrants: u64,
    /// Every winner drawn so far (first draw, then rerolls), in order.
    #[serde(default)]
    pub winners: Vec<Id<UserMarker>>,
    /// The counter the next pick uses.
    #[serde(default)]
    pub next_counter: u64,
    #[serde(default)]
    pub ended_at_ms: Option<u64>,
    /// Whether the end was announced (the draw is kept even when announcing failed).
    #[serde(default)]
    pub announced: bool,
    /// A refresh of the message's count is scheduled.
    #[serde(default)]
    pub refresh_pending: bool,
    /// The entrants were forgotten, [`ENTRIES_KEPT_MS`] after the end: no more rerolls.
    #[serde(default)]
    pub entries_forgotten: bool,
}

/// How long the entrants of an ended giveaway are kept for rerolls (30 days). Then their keys
/// are deleted: a server's old giveaways must not grow the store forever (one key per entrant);
/// the giveaway itself (prize, winners, seed) is small and stays for `/giveaway list`.
pub const ENTRIES_KEPT_MS: u64 = 30 * 24 * 3600 * 1000;

const fn version() -> u32 {
    1
}

/// One entrant: how many tickets they hold (1 plus their roles' bonus when they entered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entrant {
    pub weight: u32,
}

/// What `/giveaway start` without a prize keeps while the member fills the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub channel: Option<Id<ChannelMarker>>,
    #[serde(default)]
    pub requirements: Requirements,
    #[serde(default)]
    pub bonus: Vec<Bonus>,
    #[serde(default)]
    pub winners: Option<u32>,
}

/// A timer's payload: which giveaway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerTarget {
    pub guild: Id<GuildMarker>,
    pub message: Id<MessageMarker>,
}

/// Store keys and timer keys.
pub mod keys {
    use super::{GuildMarker, Id, MessageMarker, UserMarker};

    pub fn giveaway(guild: Id<GuildMarker>, message: Id<MessageMarker>) -> String {
        format!("gw:{guild}:{message}")
    }

    pub fn giveaways(guild: Id<GuildMarker>) -> String {
        format!("gw:{guild}:")
    }

    pub fn entrant(
        guild: Id<GuildMarker>,
        message: Id<MessageMarker>,
        user: Id<UserMarker>,
    ) -> String {
        format!("entry:{guild}:{message}:{user}")
    }

    pub fn entrants(guild: Id<GuildMarker>, message: Id<MessageMarker>) -> String {
        format!("entry:{guild}:{message}:")
    }

    /// The user id at the end of an entrant key.
    pub fn user_of(key: &str) -> Option<u64> {
        key.rsplit_once(':').and_then(|(_, id)| id.parse().ok())
    }

    pub fn draft(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
        format!("draft:{guild}:{user}")
    }

    /// The timer that ends the giveaway.
    pub fn end_timer(guild: Id<GuildMarker>, message: Id<MessageMarker>) -> String {
        format!("end:{guild}:{message}")
    }

    /// The timer that forgets the entrants, [`super::ENTRIES_KEPT_MS`] after the end.
    pub fn forget_timer(guild: Id<GuildMarker>, message: Id<MessageMarker>) -> String {
        format!("forget:{guild}:{message}")
    }

    /// The timer that refreshes the message's entrant count.
    pub fn refresh_timer(guild: Id<GuildMarker>, message: Id<MessageMarker>) -> String {
        format!("refresh:{guild}:{message}")
    }
}

/// When a Discord account was created (unix ms), from its id (a snowflake).
pub fn account_created_ms(user: Id<UserMarker>) -> u64 {
    (user.get() >> 22) + 1_420_070_400_000
}
