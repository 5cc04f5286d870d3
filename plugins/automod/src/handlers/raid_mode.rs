//! `/automod raid status|start|end` and the alert posted when raid mode starts.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn raid_status(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>) -> Result<String> {
    let config = config::load(ctx, guild)?;
    Ok(match raid::load(ctx, guild)? {
        Some(state) => format!(
            "{}\n{}",
            state_line(tr, &state),
            raid_config_line(tr, &config)
        ),
        None => format!(
            "{}\n{}",
            tr.t("automod-raid-inactive"),
            raid_config_line(tr, &config)
        ),
    })
}

pub(super) fn state_line(tr: &Tr, state: &raid::RaidState) -> String {
    let mut lines = vec![tr!(
        tr,
        "automod-raid-active",
        since = format!("<t:{}:R>", state.since_ms / 1000)
    )];
    if let Some(until) = state.invites_paused_until {
        lines.push(tr!(
            tr,
            "automod-raid-invites-paused",
            until = format!("<t:{until}:f>")
        ));
    }
    if state.previous_verification.is_some() {
        lines.push(tr.t("automod-raid-verification-raised"));
    }
    for problem in &state.problems {
        lines.push(tr!(tr, "automod-raid-problem", problem = problem.clone()));
    }
    lines.join("\n")
}

pub(super) fn raid_start(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    by: Id<UserMarker>,
) -> Result<String> {
    let config = config::load(ctx, guild)?;
    match raid::start(ctx, guild, &config, 0, Some(by))? {
        Some(state) => {
            raid_alert(ctx, guild, &config, &state);
            Ok(format!(
                "{}\n{}",
                tr.t("automod-raid-started"),
                state_line(tr, &state)
            ))
        }
        None => refuse(tr.t("automod-raid-already")),
    }
}

pub(super) fn raid_end(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    by: Id<UserMarker>,
) -> Result<String> {
    let ended = match raid::end(ctx, guild) {
        Ok(ended) => ended,
        Err(e) if matches!(e.kind(), ErrorType::Discord { .. }) => {
            return refuse(tr!(tr, "automod-raid-end-failed", error = e.to_string()));
        }
        Err(e) => return Err(e),
    };
    let Some(_) = ended else {
        return refuse(tr.t("automod-raid-inactive"));
    };
    let config = config::load(ctx, guild)?;
    if let Some(channel) = config.log_channel {
        let gtr = ctx.tr_guild(guild);
        post(
            ctx,
            channel,
            tr!(gtr, "automod-raid-ended-log", user = format!("<@{by}>")),
        );
    }
    Ok(tr.t("automod-raid-ended"))
}

/// Tells the moderators raid mode started (the log channel; nowhere if none is set).
pub(crate) fn raid_alert(
    ctx: &Context,
    guild: Id<GuildMarker>,
    config: &GuildConfig,
    state: &raid::RaidState,
) {
    let Some(channel) = config.log_channel else {
        log::warn!("automod: raid mode started in server {guild}, and it has no log channel");
        return;
    };
    let tr = ctx.tr_guild(guild);
    let head = match state.started_by {
        Some(user) => tr!(tr, "automod-raid-alert-manual", user = format!("<@{user}>")),
        None => tr!(
            tr,
            "automod-raid-alert",
            joins = u64::from(state.joins),
            seconds = u64::from(config.raid.seconds)
        ),
    };
    post(ctx, channel, format!("{head}\n{}", state_line(&tr, state)));
}

pub(super) fn post(ctx: &Context, channel: Id<ChannelMarker>, text: String) {
    let request = DiscordRequest::SendMessage {
        channel_id: channel,
        message: Reply::text(truncate(text)).no_mentions(),
    };
    if let Err(e) = ctx.discord().execute::<serde_json::Value>(&request) {
        log::warn!("automod: could not post in channel {channel}: {e}");
    }
}
