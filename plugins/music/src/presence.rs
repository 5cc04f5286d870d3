//! Who listens, and leaving when nobody does: the voice states of a server (from the host's
//! gateway cache), the bots among them (left out of every count), and two durable timers —
//! `alone:<guild>` when the last listener left the bot's channel ([`ALONE_MS`]), `idle:<guild>`
//! when the queue ended ([`IDLE_MS`]). Each checks again when it fires, so a listener who came
//! back or a track queued meanwhile keeps the bot.

use arsenal_plugin_api::{
    model::gateway::payload::incoming::VoiceStateUpdate,
    prelude::*,
    protocol::{TimerFired, VoiceConnection},
};

use crate::{
    model::{keys, TimerTarget},
    player,
};

/// How long the bot stays in a channel nobody listens in.
pub const ALONE_MS: u64 = 2 * 60 * 1000;
/// How long the bot stays connected after the queue ended.
pub const IDLE_MS: u64 = 5 * 60 * 1000;

/// Who is in which voice channel of `guild`, or `None` while the host has not received the
/// server yet.
///
/// # Errors
///
/// The host could not answer.
pub fn voice_states(ctx: &Context, guild: Id<GuildMarker>) -> Result<Option<Vec<VoiceConnection>>> {
    ctx.discord()
        .execute(&DiscordRequest::GetVoiceStates { guild_id: guild })
}

/// The voice channel `user` is in.
pub fn channel_of(states: &[VoiceConnection], user: Id<UserMarker>) -> Option<Id<ChannelMarker>> {
    states
        .iter()
        .find(|state| state.user_id == user)
        .map(|state| state.channel_id)
}

/// The members listening in `channel`: everyone connected there but the bot and the bots
/// (flagged by the host, or known from their voice states). `None` while the host has not received the server.
///
/// # Errors
///
/// The host or the store failed.
pub fn listeners(
    ctx: &Context,
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
    bot: Option<Id<UserMarker>>,
) -> Result<Option<Vec<Id<UserMarker>>>> {
    let Some(states) = voice_states(ctx, guild)? else {
        return Ok(None);
    };
    let bots: Vec<Id<UserMarker>> = ctx.store().get(&keys::bots(guild))?.unwrap_or_default();
    Ok(Some(
        states
            .iter()
            .filter(|s| s.channel_id == channel && Some(s.user_id) != bot)
            // The host flags the bots it knows; those seen in voice-state events are kept
            // too, for a user the host's cache does not hold.
            .filter(|s| !s.bot && !bots.contains(&s.user_id))
            .map(|s| s.user_id)
            .collect(),
    ))
}

fn target(guild: Id<GuildMarker>) -> TimerTarget {
    TimerTarget { guild }
}

/// Starts the idle timer (the queue ended).
///
/// # Errors
///
/// The host could not store the timer.
pub fn start_idle(ctx: &Context, guild: Id<GuildMarker>) -> Result<()> {
    ctx.timers().schedule(
        &keys::idle_timer(guild),
        ctx.now() + IDLE_MS,
        &target(guild),
    )
}

/// Cancels the idle timer (something plays).
///
/// # Errors
///
/// The host could not record the cancellation.
pub fn stop_idle(ctx: &Context, guild: Id<GuildMarker>) -> Result<()> {
    ctx.timers().cancel(&keys::idle_timer(guild)).map(drop)
}

/// Cancels the alone timer.
///
/// # Errors
///
/// The host could not record the cancellation.
pub fn stop_alone(ctx: &Context, guild: Id<GuildMarker>) -> Result<()> {
    ctx.timers().cancel(&keys::alone_timer(guild)).map(drop)
}

/// A member joined, left or moved: remember the bots, and start or stop the alone timer of the
/// server's music channel.
///
/// # Errors
///
/// The host or the store failed.
pub fn on_voice_state(
    ctx: &Context,
    bot: Option<Id<UserMarker>>,
    update: &VoiceStateUpdate,
) -> Result<()> {
    let state = &update.0;
    let Some(guild) = state.guild_id else {
        return Ok(());
    };
    if Some(state.user_id) == bot {
        // The bot's own moves reach the module as the host's voice events.
        return Ok(());
    }
    if state.member.as_ref().is_some_and(|m| m.user.bot) {
        let user = state.user_id;
        ctx.store()
            .update(&keys::bots(guild), |bots: Option<Vec<Id<UserMarker>>>| {
                let mut bots = bots.unwrap_or_default();
                if !bots.contains(&user) {
                    bots.push(user);
                }
                Ok(Some(bots))
            })?;
    }
    check_alone(ctx, guild, bot)
}

/// Starts the alone timer when nobody listens in the bot's channel any more, cancels it when
/// someone is back.
fn check_alone(ctx: &Context, guild: Id<GuildMarker>, bot: Option<Id<UserMarker>>) -> Result<()> {
    let queue = player::load(ctx, guild)?;
    let Some(channel) = queue.voice_channel else {
        return Ok(());
    };
    let Some(listening) = listeners(ctx, guild, channel, bot)? else {
        return Ok(());
    };
    let now = ctx.now();
    match (listening.is_empty(), queue.alone_since) {
        (true, None) => {
            player::edit(ctx, guild, |q| q.alone_since = Some(now))?;
            ctx.timers()
                .schedule(&keys::alone_timer(guild), now + ALONE_MS, &target(guild))?;
        }
        (false, Some(_)) => {
            player::edit(ctx, guild, |q| q.alone_since = None)?;
            stop_alone(ctx, guild)?;
        }
        _ => {}
    }
    Ok(())
}

/// The alone or idle timer fired: leave if the reason still holds. The queue is kept (a
/// `/resume` or `/play` picks it up where it stopped).
///
/// # Errors
///
/// The timer's payload is unreadable, or the host or the store failed.
pub fn on_timer(ctx: &Context, bot: Option<Id<UserMarker>>, timer: &TimerFired) -> Result<()> {
    let target: TimerTarget = serde_json::from_value(timer.payload.clone()).map_err(|e| {
        Error::invalid(format!(
            "timer {:?} has a payload this version cannot read",
            timer.key
        ))
        .with_source(e)
    })?;
    let guild = target.guild;
    let queue = player::load(ctx, guild)?;
    let Some(channel) = queue.voice_channel else {
        return Ok(());
    };
    if timer.key.starts_with("alone:") {
        let listening = listeners(ctx, guild, channel, bot)?;
        if listening.is_some_and(|l| !l.is_empty()) {
            player::edit(ctx, guild, |q| q.alone_since = None)?;
            return Ok(());
        }
    } else if queue.now.is_some() {
        // Something was queued since the queue ended.
        return Ok(());
    }
    ctx.voice().leave(guild)?;
    player::edit(ctx, guild, |q| q.alone_since = None)?;
    if let Some(entry) = queue.now.as_ref() {
        // Only the alone timer leaves with a track waiting: say why, where it was queued.
        let tr = ctx.tr_guild(guild);
        player::post(
            ctx,
            entry.channel,
            tr!(tr, "music-left-alone", channel = channel),
        );
    }
    Ok(())
}
