//! `/modlog` and `/modconfig`: the per-guild settings (mod-log channel, warning expiry,
//! thresholds, mute role, DMs).

use arsenal_plugin_api::{
    i18n::Tr,
    model::id::{
        marker::{ChannelMarker, GuildMarker},
        Id,
    },
    protocol::DiscordRequest,
    tr, Context, Reply, Result,
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
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    channel: Option<Id<ChannelMarker>>,
) -> Result<Said> {
    if let Some(channel) = channel {
        let probe = DiscordRequest::SendMessage {
            channel_id: channel,
            message: Reply::text(ctx.tr_guild(guild).t("moderation-modlog-probe")),
        };
        if let Err(e) = guild::act(ctx, &probe) {
            return Ok(Err(tr!(
                tr,
                "moderation-modlog-cannot-post",
                channel = channel,
                error = e.to_string()
            )));
        }
    }
    update(ctx, guild, |config| config.modlog = channel)?;
    Ok(Ok(match channel {
        Some(channel) => tr!(tr, "moderation-modlog-set", channel = channel),
        None => tr.t("moderation-modlog-off"),
    }))
}

/// `/modconfig …`.
///
/// # Errors
///
/// The store failed.
pub fn modconfig(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    command: ModConfig,
) -> Result<Said> {
    match command {
        ModConfig::Show => Ok(Ok(show(tr, &model::config(&ctx.store(), guild)?))),
        ModConfig::WarnExpiry(WarnExpiry { duration: text }) => {
            let secs = if duration::is_never(&text) {
                None
            } else {
                match duration::parse(tr, &text) {
                    Ok(secs) => Some(secs),
                    Err(e) => return Ok(Err(e)),
                }
            };
            update(ctx, guild, |config| config.warn_expiry_secs = secs)?;
            Ok(Ok(match secs {
                Some(secs) => tr!(
                    tr,
                    "moderation-expiry-set",
                    duration = duration::format(secs)
                ),
                None => tr.t("moderation-expiry-never"),
            }))
        }
        ModConfig::Threshold(command) => threshold(ctx, tr, guild, command),
        ModConfig::MuteRole(MuteRole { role, always }) => {
            let always = always.unwrap_or(false);
            if always && role.is_none() {
                return Ok(Err(tr.t("moderation-always-needs-role")));
            }
            update(ctx, guild, |config| {
                config.mute_role = role;
                config.always_mute_role = always;
            })?;
            Ok(Ok(match role {
                Some(role) if always => tr!(tr, "moderation-mute-role-always", role = role),
                Some(role) => tr!(tr, "moderation-mute-role-long", role = role),
                None => tr.t("moderation-mute-role-none"),
            }))
        }
        ModConfig::Dm(Dm { enabled }) => {
            update(ctx, guild, |config| config.dm_members = enabled)?;
            Ok(Ok(if enabled {
                tr.t("moderation-dm-on")
            } else {
                tr.t("moderation-dm-off")
            }))
        }
    }
}

fn threshold(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    command: spec::Threshold,
) -> Result<Said> {
    let points = u32::try_from(command.points).unwrap_or(1);
    let length = match command
        .duration
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(text) if duration::is_never(text) => None,
        Some(text) => match duration::parse(tr, text) {
            Ok(secs) => Some(secs),
            Err(e) => return Ok(Err(e)),
        },
    };
    let action = match command.action {
        ThresholdAction::Timeout => match length {
            Some(secs) => AutoAction::Timeout { secs },
            None => return Ok(Err(tr.t("moderation-threshold-needs-duration"))),
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
                Ok(tr!(tr, "moderation-threshold-removed", points = points))
            } else {
                Err(tr!(tr, "moderation-threshold-unknown", points = points))
            });
        }
    };
    let config = model::config(&ctx.store(), guild)?;
    if config.thresholds.len() >= MAX_THRESHOLDS
        && !config.thresholds.iter().any(|t| t.points == points)
    {
        return Ok(Err(tr!(
            tr,
            "moderation-threshold-too-many",
            max = MAX_THRESHOLDS
        )));
    }
    if let AutoAction::Timeout { secs } = action {
        if secs > MAX_TIMEOUT_SECS && config.mute_role.is_none() {
            return Ok(Err(tr.t("moderation-threshold-too-long")));
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
    Ok(Ok(tr!(
        tr,
        "moderation-thresholds",
        thresholds = warnings::describe(tr, &config)
    )))
}

fn show(tr: Tr<'_>, config: &GuildConfig) -> String {
    tr!(
        tr,
        "moderation-settings",
        modlog = config
            .modlog
            .map_or_else(|| tr.t("moderation-settings-off"), |c| format!("<#{c}>")),
        expiry = config.warn_expiry_secs.map_or_else(
            || tr.t("moderation-settings-never"),
            |s| tr!(
                tr,
                "moderation-settings-after",
                duration = duration::format(s)
            )
        ),
        thresholds = warnings::describe(tr, config),
        role = match config.mute_role {
            Some(role) if config.always_mute_role => {
                tr!(tr, "moderation-settings-role-always", role = role)
            }
            Some(role) => tr!(tr, "moderation-settings-role-long", role = role),
            None => tr.t("moderation-settings-role-none"),
        },
        dm = if config.dm_members {
            tr.t("moderation-settings-yes")
        } else {
            tr.t("moderation-settings-no")
        }
    )
}
