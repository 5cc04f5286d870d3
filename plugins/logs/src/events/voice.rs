//! Voice joins, moves and leaves.

use arsenal_plugin_api::{model::gateway::payload::incoming::VoiceStateUpdate, prelude::*};

use crate::{
    config::{self, Category},
    events::messages::user_line,
    format::{color, display_name},
    sink::{self, Entry},
    snapshot,
};

/// VOICE_STATE_UPDATE: compares the member's channel with the one they were in.
pub fn state_updated(ctx: &Context, event: &VoiceStateUpdate) -> Result<()> {
    let Some(guild) = event.guild_id else {
        return Ok(());
    };
    let Some(config) = config::load(ctx, guild)? else {
        return Ok(());
    };
    let Some(route) = config.route(Category::Voice) else {
        return Ok(());
    };
    if config.ignored_members.contains(&event.user_id) {
        return Ok(());
    }
    let key = snapshot::voice_key(guild, event.user_id);
    let before = snapshot::swap(ctx, &key, event.channel_id.as_ref())?;
    let tr = ctx.tr_guild(guild);
    let name = event
        .member
        .as_ref()
        .map_or_else(|| event.user_id.to_string(), |m| display_name(&m.user));
    let who = user_line(event.user_id, &name);
    let (title, body) = match (before, event.channel_id) {
        (None, Some(now)) => (
            tr.t("logs-voice-joined"),
            tr!(
                tr,
                "logs-voice-join-line",
                user = who,
                channel = format!("<#{now}>")
            ),
        ),
        (Some(was), None) => (
            tr.t("logs-voice-left"),
            tr!(
                tr,
                "logs-voice-leave-line",
                user = who,
                channel = format!("<#{was}>")
            ),
        ),
        (Some(was), Some(now)) if was != now => (
            tr.t("logs-voice-moved"),
            tr!(
                tr,
                "logs-voice-move-line",
                user = who,
                before = format!("<#{was}>"),
                after = format!("<#{now}>")
            ),
        ),
        // Mute, deafen, stream: not logged.
        _ => return Ok(()),
    };
    let embed = EmbedBuilder::new()
        .title(title)
        .description(body)
        .color(color::VOICE)
        .footer(tr!(
            tr,
            "logs-user-footer",
            user = event.user_id.to_string()
        ))
        .build();
    sink::deliver(ctx, route, Entry { embed, file: None })
}
