//! `/modlog` and `/modconfig`: the per-guild settings (mod-log channel, warning expiry,
//! thresholds, mute role, DMs).

use arsenal_plugin_api::{
    model::id::{
        marker::{ChannelMarker, GuildMarker},
        Id,
    },
    protocol::DiscordRequest,
    Context, Reply, Result,
};

use crate::{
    duration, guild,
    model::{self, AutoAction, GuildConfig, Threshold},
    sanctions::{Said, MAX_TIMEOUT_SECS},
    spec::{self, Dm, ModConfig, MuteRole, ThresholdAction, WarnExpiry},
    warnings,
};

/// Most thresholds a guild may set.
const MAX_THRESHOLDS: usize = 10;

fn update(
    ctx: &Context,
    guild: Id<GuildMarker>,
    mut change: impl FnMut(&mut GuildConfig),
) -> Result<GuildConfig> {
    let key = model::config_key(guild);
    let updated = ctx.store().update(&key, |config: Option<GuildConfig>| {
        let mut config = config
            .map(|c| model::check(&key, c))
            .transpose()?
            .unwrap_or_default();
        change(&mut config);
        Ok(Some(config))
    })?;
    Ok(updated.unwrap_or_default())
}

/// `/modlog [channel]`: checks the bot can post there (a test entry) before saving.
///
/// # Errors
///
/// The store failed.
pub fn modlog(
    ctx: &Context,
    guild: Id<GuildMarker>,
    channel: Option<Id<ChannelMarker>>,
) -> Result<Said> {
    if let Some(channel) = channel {
        let probe = DiscordRequest::SendMessage {
            channel_id: channel,
            message: Reply::text("📋 Moderation cases will be logged in this channel."),
        };
        if let Err(e) = guild::act(ctx, &probe) {
            return Ok(Err(format!(
                "I cannot post in <#{channel}>, so it was not set: {e}"
            )));
        }
    }
    update(ctx, guild, |config| config.modlog = channel)?;
    Ok(Ok(match channel {
        Some(channel) => format!("Cases will be logged in <#{channel}>."),
        None => "The mod-log is off.".to_owned(),
    }))
}

/// `/modconfig …`.
///
/// # Errors
///
/// The store failed.
pub fn modconfig(ctx: &Context, guild: Id<GuildMarker>, command: ModConfig) -> Result<Said> {
    match command {
        ModConfig::Show => Ok(Ok(show(&model::config(&ctx.store(), guild)?))),
        ModConfig::WarnExpiry(WarnExpiry { duration: text }) => {
            let secs = if duration::is_never(&text) {
                None
            } else {
                match duration::parse(&text) {
                    Ok(secs) => Some(secs),
                    Err(e) => return Ok(Err(e)),
                }
            };
            update(ctx, guild, |config| config.warn_expiry_secs = secs)?;
            Ok(Ok(match secs {
                Some(secs) => format!("New warnings expire after {}.", duration::format(secs)),
                None => "New warnings never expire.".to_owned(),
            }))
        }
        ModConfig::Threshold(command) => threshold(ctx, guild, command),
        ModConfig::MuteRole(MuteRole { role, always }) => {
            let always = always.unwrap_or(false);
            if always && role.is_none() {
                return Ok(Err("`always` needs a role.".to_owned()));
            }
            update(ctx, guild, |config| {
                config.mute_role = role;
                config.always_mute_role = always;
            })?;
            Ok(Ok(match role {
                Some(role) if always => format!("Every mute now gives <@&{role}>. Make sure it cannot send messages and is below my role."),
                Some(role) => format!("Mutes longer than 28 days (or permanent) give <@&{role}>; shorter ones are timeouts."),
                None => "No mute role: mutes are Discord timeouts (28 days at most).".to_owned(),
            }))
        }
        ModConfig::Dm(Dm { enabled }) => {
            update(ctx, guild, |config| config.dm_members = enabled)?;
            Ok(Ok(if enabled {
                "Members are told by DM when they are sanctioned.".to_owned()
            } else {
                "Members are no longer told by DM.".to_owned()
            }))
        }
    }
}

fn threshold(ctx: &Context, guild: Id<GuildMarker>, command: spec::Threshold) -> Result<Said> {
    let points = u32::try_from(command.points).unwrap_or(1);
    let length = match command
        .duration
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(text) if duration::is_never(text) => None,
        Some(text) => match duration::parse(text) {
            Ok(secs) => Some(secs),
            Err(e) => return Ok(Err(e)),
        },
    };
    let action = match command.action {
        ThresholdAction::Timeout => match length {
            Some(secs) => AutoAction::Timeout { secs },
            None => {
                return Ok(Err(
                    "A timeout threshold needs a duration, like `1h`.".to_owned()
                ))
            }
        },
        ThresholdAction::Kick => AutoAction::Kick,
        ThresholdAction::Ban => AutoAction::Ban { secs: length },
        ThresholdAction::Remove => {
            let mut existed = false;
            update(ctx, guild, |config| {
                let before = config.thresholds.len();
                config.thresholds.retain(|t| t.points != points);
                existed = config.thresholds.len() != before;
            })?;
            return Ok(if existed {
                Ok(format!("Removed the threshold at {points} points."))
            } else {
                Err(format!("There is no threshold at {points} points."))
            });
        }
    };
    let config = model::config(&ctx.store(), guild)?;
    if config.thresholds.len() >= MAX_THRESHOLDS
        && !config.thresholds.iter().any(|t| t.points == points)
    {
        return Ok(Err(format!(
            "A server can have {MAX_THRESHOLDS} thresholds; remove one first."
        )));
    }
    if let AutoAction::Timeout { secs } = action {
        if secs > MAX_TIMEOUT_SECS && config.mute_role.is_none() {
            return Ok(Err(
                "Timeouts last at most 28 days; set a mute role for longer mutes.".to_owned(),
            ));
        }
    }
    let config = update(ctx, guild, |config| {
        config.thresholds.retain(|t| t.points != points);
        config.thresholds.push(Threshold {
            points,
            action: action.clone(),
        });
        config.thresholds.sort_by_key(|t| t.points);
    })?;
    Ok(Ok(format!("Thresholds: {}.", warnings::describe(&config))))
}

fn show(config: &GuildConfig) -> String {
    format!(
        "**Moderation settings**\nMod-log: {}\nWarnings expire: {}\nThresholds: {}\nMute role: {}\nDM members: {}",
        config.modlog.map_or_else(|| "off".to_owned(), |c| format!("<#{c}>")),
        config.warn_expiry_secs.map_or_else(|| "never".to_owned(), |s| format!("after {}", duration::format(s))),
        warnings::describe(config),
        match config.mute_role {
            Some(role) if config.always_mute_role => format!("<@&{role}> (every mute)"),
            Some(role) => format!("<@&{role}> (mutes over 28 days)"),
            None => "none (timeouts only)".to_owned(),
        },
        if config.dm_members { "yes" } else { "no" },
    )
}
