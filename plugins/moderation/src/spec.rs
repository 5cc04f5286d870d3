//! The module's commands as types (`#[derive(Command)]`): one slash command per action, each
//! requiring the Discord permission a moderator needs for it (the host enforces it for prefix use
//! too). Each type is both the declaration Discord sees and the parse of an invocation.
//!
//! Durations stay text (`max_length = 20`): besides `10m` or `7d` a moderator may type `never`,
//! and a prefix `!ban @bob spamming` reads a first word that is no duration as the reason.

use arsenal_plugin_api::{
    model::{gateway::Intents, id::marker::RoleMarker},
    prelude::*,
    Manifest,
};

/// Longest reason accepted (Discord's audit-log reason holds 512); the `max_length` below.
pub const MAX_REASON: usize = 500;
/// Largest case number a command accepts (well inside Discord's integer range).
pub const MAX_CASE: i64 = 1_000_000_000;

/// Warn a member (points count toward automatic actions)
#[derive(Debug, Command)]
#[command(name = "warn", permissions = "MODERATE_MEMBERS", prefix)]
pub struct Warn {
    /// Who to warn
    pub member: Id<UserMarker>,
    /// Why (shown to the member and in the mod-log)
    #[option(max_length = 500)]
    pub reason: String,
    /// Warning points (default 1)
    #[option(min_value = 1, max_value = 100)]
    pub points: Option<i64>,
}

/// A member's warnings and sanctions history
#[derive(Debug, Command)]
#[command(name = "warnings", permissions = "MODERATE_MEMBERS", prefix)]
pub struct Warnings {
    /// Whose history
    pub member: Id<UserMarker>,
}

/// Delete a warning by its case number
#[derive(Debug, Command)]
#[command(name = "delwarn", permissions = "MODERATE_MEMBERS", prefix)]
pub struct DelWarn {
    /// The warning's case number
    #[option(min_value = 1, max_value = 1_000_000_000)]
    pub case: i64,
}

/// Delete all of a member's warnings
#[derive(Debug, Command)]
#[command(name = "clearwarns", permissions = "MODERATE_MEMBERS", prefix)]
pub struct ClearWarns {
    /// Whose warnings
    pub member: Id<UserMarker>,
}

/// Mute a member (a timeout, or the mute role)
#[derive(Debug, Command)]
#[command(name = "mute", permissions = "MODERATE_MEMBERS", prefix)]
pub struct Mute {
    /// Who to mute
    pub member: Id<UserMarker>,
    /// How long: 10m, 2h, 7d, 1w (permanent needs a mute role)
    #[option(max_length = 20)]
    pub duration: String,
    /// Why (shown to the member and in the mod-log)
    #[option(max_length = 500)]
    pub reason: Option<String>,
}

/// Lift a member's mute
#[derive(Debug, Command)]
#[command(name = "unmute", permissions = "MODERATE_MEMBERS", prefix)]
pub struct Unmute {
    /// Who to unmute
    pub member: Id<UserMarker>,
    /// Why (shown to the member and in the mod-log)
    #[option(max_length = 500)]
    pub reason: Option<String>,
}

/// Kick a member
#[derive(Debug, Command)]
#[command(name = "kick", permissions = "KICK_MEMBERS", prefix)]
pub struct Kick {
    /// Who to kick
    pub member: Id<UserMarker>,
    /// Why (shown to the member and in the mod-log)
    #[option(max_length = 500)]
    pub reason: Option<String>,
}

/// Ban a user, for a while if a duration is given
#[derive(Debug, Command)]
#[command(name = "ban", permissions = "BAN_MEMBERS", prefix)]
pub struct Ban {
    /// Who to ban (a member or any user id)
    pub member: Id<UserMarker>,
    /// Tempban length: 1h, 7d, 1w (none: permanent)
    #[option(max_length = 20)]
    pub duration: Option<String>,
    /// Why (shown to the member and in the mod-log)
    #[option(max_length = 500)]
    pub reason: Option<String>,
    /// Delete their messages of the last 0 to 7 days
    #[option(min_value = 0, max_value = 7)]
    pub delete_days: Option<i64>,
}

/// Lift a ban
#[derive(Debug, Command)]
#[command(name = "unban", permissions = "BAN_MEMBERS", prefix)]
pub struct Unban {
    /// Who to unban (a user id works)
    pub user: Id<UserMarker>,
    /// Why (shown to the member and in the mod-log)
    #[option(max_length = 500)]
    pub reason: Option<String>,
}

/// Delete recent messages in this channel
#[derive(Debug, Command)]
#[command(name = "purge", permissions = "MANAGE_MESSAGES", prefix)]
pub struct Purge {
    /// How many messages (1 to 100)
    #[option(min_value = 1, max_value = 100)]
    pub count: i64,
    /// Only this member's messages
    pub member: Option<Id<UserMarker>>,
}

/// Show a case
#[derive(Debug, Command)]
#[command(name = "case", permissions = "MODERATE_MEMBERS", prefix)]
pub struct Case {
    /// The case number
    #[option(min_value = 1, max_value = 1_000_000_000)]
    pub number: i64,
}

/// Set the mod-log channel (none: turn it off)
#[derive(Debug, Command)]
#[command(name = "modlog", permissions = "MANAGE_GUILD", prefix)]
pub struct ModLog {
    /// A text channel the bot can post in
    pub channel: Option<Id<ChannelMarker>>,
}

/// Moderation settings
#[derive(Debug, Command)]
#[command(name = "modconfig", permissions = "MANAGE_GUILD", prefix)]
pub enum ModConfig {
    /// Show the settings
    Show,
    /// How long warnings count
    WarnExpiry(WarnExpiry),
    /// An automatic action at a number of active warning points
    Threshold(Threshold),
    /// The role for long or permanent mutes (none: clear it)
    MuteRole(MuteRole),
    /// Tell members by DM when they are sanctioned
    Dm(Dm),
}

/// `/modconfig warn_expiry`.
#[derive(Debug, Command)]
pub struct WarnExpiry {
    /// 30d, 1w, … or never
    #[option(max_length = 20)]
    pub duration: String,
}

/// `/modconfig threshold`.
#[derive(Debug, Command)]
pub struct Threshold {
    /// Active points that trigger it
    #[option(min_value = 1, max_value = 1000)]
    pub points: i64,
    /// What reaching the points does (remove: delete this threshold)
    pub action: ThresholdAction,
    /// Timeout or tempban length (ban without: permanent)
    #[option(max_length = 20)]
    pub duration: Option<String>,
}

/// What a threshold does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, CommandChoice)]
pub enum ThresholdAction {
    /// A Discord timeout (or the mute role when longer than 28 days).
    #[choice(name = "timeout")]
    Timeout,
    /// A kick.
    #[choice(name = "kick")]
    Kick,
    /// A ban, temporary with a duration.
    #[choice(name = "ban")]
    Ban,
    /// Deletes the threshold at these points.
    #[choice(name = "remove")]
    Remove,
}

/// `/modconfig mute_role`.
#[derive(Debug, Command)]
pub struct MuteRole {
    /// A role that cannot speak
    pub role: Option<Id<RoleMarker>>,
    /// Use the role for every mute, not only long ones
    pub always: Option<bool>,
}

/// `/modconfig dm`.
#[derive(Debug, Command)]
pub struct Dm {
    /// yes or no
    pub enabled: bool,
}

/// The manifest.
#[must_use]
pub fn manifest() -> Manifest {
    Manifest::new("moderation", env!("CARGO_PKG_VERSION"))
        .description("Warnings with points and expiry, mutes, kicks, bans, tempbans, purge, cases and a mod-log")
        .intents(Intents::GUILD_MEMBERS)
        .command(Warn::spec())
        .command(Warnings::spec())
        .command(DelWarn::spec())
        .command(ClearWarns::spec())
        .command(Mute::spec())
        .command(Unmute::spec())
        .command(Kick::spec())
        .command(Ban::spec())
        .command(Unban::spec())
        .command(Purge::spec())
        .command(Case::spec())
        .command(ModLog::spec())
        .command(ModConfig::spec())
        .answers(crate::requests::CASE_RECORD)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The commands as the hand-written declaration of version 0.1 registered them: the derived
    /// ones must not change what Discord shows (a change here is a change members see).
    #[test]
    fn the_derived_commands_are_the_ones_discord_had() {
        let before: serde_json::Value =
            serde_json::from_str(include_str!("../tests/commands.json")).unwrap();
        let now = serde_json::to_value(manifest().commands).unwrap();
        assert_eq!(now, before);
    }

    #[test]
    fn the_reason_limit_is_the_declared_one() {
        let warn = Warn::spec();
        let reason = warn.options.iter().find(|o| o.name == "reason").unwrap();
        assert_eq!(reason.max_length, Some(MAX_REASON as u16));
    }
}
