//! Anti-raid: a join rate above the server's threshold starts raid mode, which pauses invites
//! (Discord's incident actions) and/or raises the verification level, tells the moderators in
//! the log channel, and makes `raid.status` answer "active" (the welcome module asks it before
//! greeting, so a raid is not welcomed member by member). Nothing irreversible happens: no one
//! is kicked or banned, and `/automod raid end` undoes what raid mode did (the verification
//! level goes back to what it was).

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::{self, GuildConfig, RaidAction, VERSION};

fn v1() -> u32 {
    VERSION
}

/// Discord's incident actions last at most 24 hours.
const PAUSE_SECS: i64 = 24 * 3600;
/// The highest verification level (a verified phone).
const HIGHEST_VERIFICATION: u8 = 4;

/// A server in raid mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaidState {
    #[serde(default = "v1")]
    pub v: u32,
    pub since_ms: u64,
    /// Joins counted when it started (0 when started by hand).
    pub joins: u32,
    /// Who started it by hand.
    #[serde(default)]
    pub started_by: Option<Id<UserMarker>>,
    /// Invites were paused (until this Unix second).
    #[serde(default)]
    pub invites_paused_until: Option<i64>,
    /// The verification level before raid mode raised it.
    #[serde(default)]
    pub previous_verification: Option<u8>,
    /// What could not be done, for the moderators.
    #[serde(default)]
    pub problems: Vec<String>,
}

/// Reads `guild`'s raid state (`None`: no raid mode).
///
/// # Errors
///
/// A store failure.
pub fn load(ctx: &Context, guild: Id<GuildMarker>) -> Result<Option<RaidState>> {
    ctx.store().get(&config::raid_key(guild))
}

#[derive(Deserialize)]
struct GuildView {
    #[serde(default)]
    verification_level: u8,
}

/// Starts raid mode (already on: `Ok(None)`, nothing done again).
///
/// # Errors
///
/// A store failure. Discord's refusals do not stop raid mode: they are kept in
/// [`RaidState::problems`] and told to the moderators.
pub fn start(
    ctx: &Context,
    guild: Id<GuildMarker>,
    config: &GuildConfig,
    joins: u32,
    started_by: Option<Id<UserMarker>>,
) -> Result<Option<RaidState>> {
    let now = ctx.now();
    let state = RaidState {
        v: VERSION,
        since_ms: now,
        joins,
        started_by,
        invites_paused_until: None,
        previous_verification: None,
        problems: Vec::new(),
    };
    // Recorded first, so `raid.status` answers "active" from the very next join on.
    let created = ctx
        .store()
        .update(&config::raid_key(guild), |old: Option<RaidState>| {
            Ok(Some(old.unwrap_or_else(|| state.clone())))
        })?;
    if created.as_ref() != Some(&state) {
        return Ok(None);
    }
    let mut state = state;
    let discord = ctx.discord();
    let action = config.raid.action;
    if matches!(action, RaidAction::PauseInvites | RaidAction::Both) {
        let until = i64::try_from(now / 1000).unwrap_or(0) + PAUSE_SECS;
        match discord.execute::<serde_json::Value>(&DiscordRequest::SetIncidentActions {
            guild_id: guild,
            invites_disabled_until_unix_secs: Some(until),
            dms_disabled_until_unix_secs: None,
        }) {
            Ok(_) => state.invites_paused_until = Some(until),
            Err(e) => state.problems.push(format!("pause invites: {e}")),
        }
    }
    if matches!(action, RaidAction::Verification | RaidAction::Both) {
        let raised = discord
            .execute::<GuildView>(&DiscordRequest::GetGuild { guild_id: guild })
            .and_then(|g| {
                if g.verification_level < HIGHEST_VERIFICATION {
                    discord.execute::<serde_json::Value>(
                        &DiscordRequest::SetVerificationLevel {
                            guild_id: guild,
                            level: HIGHEST_VERIFICATION,
                            reason: Some("automod: raid mode".to_owned()),
                        },
                    )?;
                }
                Ok(g.verification_level)
            });
        match raised {
            Ok(previous) => state.previous_verification = Some(previous),
            Err(e) => state.problems.push(format!("verification level: {e}")),
        }
    }
    ctx.store().set(&config::raid_key(guild), &state)?;
    Ok(Some(state))
}

/// Ends raid mode and undoes what it did. `Ok(None)` when it was not on.
///
/// # Errors
///
/// A store failure, or Discord refusing to undo (raid mode then stays on, so the command can
/// be tried again once the bot may).
pub fn end(ctx: &Context, guild: Id<GuildMarker>) -> Result<Option<RaidState>> {
    let Some(state) = load(ctx, guild)? else {
        return Ok(None);
    };
    let discord = ctx.discord();
    if state.invites_paused_until.is_some() {
        discord.execute::<serde_json::Value>(&DiscordRequest::SetIncidentActions {
            guild_id: guild,
            invites_disabled_until_unix_secs: None,
            dms_disabled_until_unix_secs: None,
        })?;
    }
    if let Some(previous) = state.previous_verification {
        if previous < HIGHEST_VERIFICATION {
            discord.execute::<serde_json::Value>(&DiscordRequest::SetVerificationLevel {
                guild_id: guild,
                level: previous,
                reason: Some("automod: raid mode ended".to_owned()),
            })?;
        }
    }
    ctx.store().delete(&config::raid_key(guild))?;
    Ok(Some(state))
}
