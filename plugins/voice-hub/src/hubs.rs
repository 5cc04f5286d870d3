//! Hubs: the join-to-create channels. `/voice hub` (make or change one), `/voice hub-remove`,
//! `/voice hubs`, all Manage Channels (checked by the host).

use arsenal_plugin_api::{
    i18n::Tr,
    model::id::{
        marker::{ChannelMarker, GuildMarker},
        Id,
    },
    protocol::DiscordRequest,
    tr, Context, Response, Result,
};
use serde::Deserialize;

use crate::{
    command::HubSettings,
    discord,
    model::{
        hub_key, hub_prefix, room_key, Hub, DEFAULT_EMPTY_DELAY_SECS, DEFAULT_TEMPLATE,
        MAX_EMPTY_DELAY_SECS, MAX_NAME, MAX_USER_LIMIT, RECORD_VERSION,
    },
};

/// Discord's type of a voice channel.
const GUILD_VOICE: u8 = 2;

#[derive(Deserialize)]
struct ChannelKind {
    #[serde(rename = "type")]
    kind: u8,
}

/// `/voice hub <channel> [category] [name] [limit] [delay]`: makes a hub or changes one (what
/// is not given keeps its value).
///
/// # Errors
///
/// The store failed.
pub fn configure(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    settings: HubSettings,
) -> Result<Response> {
    let channel = settings.channel;
    if ctx
        .store()
        .get::<serde_json::Value>(&room_key(guild, channel))?
        .is_some()
    {
        return Ok(Response::ephemeral(tr.t("voice-hub-is-room")));
    }
    // A prefix command can name any channel: a hub must be a voice channel.
    let read = discord::run::<ChannelKind>(
        ctx,
        &DiscordRequest::GetChannel {
            channel_id: channel,
        },
        &tr.t("voice-err-read-channel"),
    );
    match read {
        Ok(found) if found.kind == GUILD_VOICE => {}
        Ok(_) => {
            return Ok(Response::ephemeral(tr!(
                tr,
                "voice-hub-not-voice",
                channel = channel
            )))
        }
        Err(e) => {
            return Ok(Response::ephemeral(tr!(
                tr,
                "voice-failed",
                error = e.to_string()
            )))
        }
    }
    let key = hub_key(guild, channel);
    let mut hub = ctx.store().get::<Hub>(&key)?.unwrap_or(Hub {
        v: RECORD_VERSION,
        guild_id: guild,
        channel_id: channel,
        category: None,
        template: DEFAULT_TEMPLATE.to_owned(),
        limit: 0,
        empty_delay_secs: DEFAULT_EMPTY_DELAY_SECS,
    });
    if let Some(category) = settings.category {
        hub.category = Some(category);
    }
    if let Some(name) = settings.name {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Ok(Response::ephemeral(tr.t("voice-template-invalid")));
        }
        hub.template = name.to_owned();
    }
    if let Some(limit) = settings.limit {
        match u16::try_from(limit).ok().filter(|l| *l <= MAX_USER_LIMIT) {
            Some(limit) => hub.limit = limit,
            None => return Ok(Response::ephemeral(tr.t("voice-limit-invalid"))),
        }
    }
    if let Some(delay) = settings.delay {
        match u64::try_from(delay)
            .ok()
            .filter(|d| (1..=MAX_EMPTY_DELAY_SECS).contains(d))
        {
            Some(delay) => hub.empty_delay_secs = delay,
            None => return Ok(Response::ephemeral(tr.t("voice-delay-invalid"))),
        }
    }
    ctx.store().set(&key, &hub)?;
    Ok(Response::ephemeral(describe(tr, "voice-hub-saved", &hub)))
}

fn describe(tr: Tr<'_>, key: &str, hub: &Hub) -> String {
    tr!(
        tr,
        key,
        channel = hub.channel_id,
        name = hub.template.clone(),
        limit = if hub.limit == 0 {
            tr.t("voice-no-limit")
        } else {
            hub.limit.to_string()
        },
        delay = hub.empty_delay_secs.to_string()
    )
}

/// `/voice hub-remove <channel>`: rooms already made stay until they are empty.
///
/// # Errors
///
/// The store failed.
pub fn remove(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
) -> Result<Response> {
    if ctx.store().delete(&hub_key(guild, channel))? {
        Ok(Response::ephemeral(tr!(
            tr,
            "voice-hub-removed",
            channel = channel
        )))
    } else {
        Ok(Response::ephemeral(tr!(
            tr,
            "voice-not-a-hub",
            channel = channel
        )))
    }
}

/// `/voice hubs`.
///
/// # Errors
///
/// The store failed.
pub fn list(ctx: &Context, tr: Tr<'_>, guild: Id<GuildMarker>) -> Result<Response> {
    let hubs: Vec<(String, Hub)> = ctx.store().list(&hub_prefix(guild))?;
    if hubs.is_empty() {
        return Ok(Response::ephemeral(tr.t("voice-no-hubs")));
    }
    let lines: Vec<String> = std::iter::once(tr.t("voice-hubs-title"))
        .chain(
            hubs.iter()
                .map(|(_, hub)| describe(tr, "voice-hub-line", hub)),
        )
        .collect();
    Ok(Response::ephemeral(lines.join("\n")))
}

/// CHANNEL_DELETE of a hub: it is forgotten.
///
/// # Errors
///
/// The store failed.
pub fn forget(ctx: &Context, guild: Id<GuildMarker>, channel: Id<ChannelMarker>) -> Result<()> {
    ctx.store().delete(&hub_key(guild, channel)).map(drop)
}
