//! What keeps timed sanctions true over time: the durable timers that lift a mute or a tempban
//! (once, after restarts and reloads too, retried when Discord refuses), and the re-mute of a
//! member who leaves and rejoins while muted.

use arsenal_plugin_api::{
    model::id::{marker::UserMarker, Id},
    protocol::DiscordRequest,
    tr, Context, Error, Reply, Result,
};

use crate::{
    duration, guild,
    model::{self, ActiveMute, TempBan, TimerAction, TimerPayload},
    sanctions::{apply_mute, unban, unmute, Actor, Env},
};

/// How often a timed sanction is retried when Discord refuses to lift it.
pub const MAX_ATTEMPTS: u32 = 8;

/// Whether the sanction a timer was set for is still the one in force.
///
/// # Errors
///
/// The store failed.
pub fn is_current(ctx: &Context, payload: &TimerPayload) -> Result<bool> {
    let store = ctx.store();
    Ok(match payload.action {
        TimerAction::Unmute => {
            model::load::<ActiveMute>(&store, &model::mute_key(payload.guild, payload.user))?
                .is_some_and(|r| r.case == payload.case)
        }
        TimerAction::Unban => {
            model::load::<TempBan>(&store, &model::tempban_key(payload.guild, payload.user))?
                .is_some_and(|r| r.case == payload.case)
        }
    })
}

/// A timer came due: lift the sanction it was set for. A stale timer (the sanction was lifted or
/// replaced, or the member is no longer banned) does nothing and returns `Ok`, so the host does
/// not retry it; when Discord refuses, the timer is scheduled again with a growing delay (counted
/// in the payload, shown in the log), up to [`MAX_ATTEMPTS`] times. After that the error is
/// returned without a new schedule, and the host keeps the timer and retries it with its own
/// back-off (capped at five minutes) until Discord agrees: a tempban never becomes permanent.
///
/// # Errors
///
/// The store failed, or Discord refused for the last time.
pub fn expire(
    ctx: &Context,
    bot: Id<UserMarker>,
    payload: &TimerPayload,
    now_ms: u64,
) -> Result<()> {
    if !is_current(ctx, payload)? {
        return Ok(());
    }
    let env = Env {
        ctx,
        guild: payload.guild,
        bot,
        now_ms,
        tr: ctx.tr_guild(payload.guild),
    };
    let reason = Some(env.tr.t("moderation-time-is-up"));
    let outcome = match payload.action {
        TimerAction::Unmute => unmute(
            &env,
            Actor::Automatic,
            payload.user,
            reason,
            Some(payload.case),
        )?,
        TimerAction::Unban => unban(
            &env,
            Actor::Automatic,
            payload.user,
            reason,
            Some(payload.case),
        )?,
    };
    let Err(why) = outcome else { return Ok(()) };
    if payload.attempt + 1 >= MAX_ATTEMPTS || !is_current(ctx, payload)? {
        return Err(Error::failed(format!(
            "giving up lifting case #{} in guild {} after {} attempts: {why}",
            payload.case,
            payload.guild,
            payload.attempt + 1
        )));
    }
    let retry = TimerPayload {
        attempt: payload.attempt + 1,
        ..payload.clone()
    };
    let delay_ms = 60_000u64 << retry.attempt.min(10);
    let key = model::timer_key(payload.action, payload.guild, payload.user);
    ctx.timers()
        .schedule(&key, now_ms.saturating_add(delay_ms), &retry)?;
    Err(Error::failed(format!(
        "lifting case #{} failed, retrying in {}: {why}",
        payload.case,
        duration::format(delay_ms / 1000)
    )))
}

/// A member joined: if a mute of theirs is still running, put it back on (leaving and rejoining
/// must not shorten a mute). Returns what was done, if anything.
///
/// # Errors
///
/// The store failed or Discord refused to re-apply the mute.
pub fn rejoined(env: &Env<'_>, user: Id<UserMarker>, name: &str) -> Result<Option<String>> {
    let store = env.ctx.store();
    let key = model::mute_key(env.guild, user);
    let Some(record) = model::load::<ActiveMute>(&store, &key)? else {
        return Ok(None);
    };
    if record.until_ms.is_some_and(|until| until <= env.now_ms) {
        return Ok(None); // The unmute timer is due and cleans up.
    }
    apply_mute(
        env,
        user,
        record.method,
        record.until_ms,
        Some(tr!(
            env.tr,
            "moderation-rejoined-reason",
            case = record.case
        )),
    )?;
    let until = record
        .until_ms
        .map(|ms| {
            tr!(
                env.tr,
                "moderation-rejoined-until",
                time = (ms / 1000).to_string()
            )
        })
        .unwrap_or_default();
    let text = tr!(
        env.tr,
        "moderation-rejoined",
        name = name,
        user = user,
        case = record.case,
        until = until
    );
    let config = model::config(&store, env.guild)?;
    if let Some(channel) = config.modlog {
        let request = DiscordRequest::SendMessage {
            channel_id: channel,
            message: Reply::text(text.clone()),
        };
        // The mute is what matters; a mod-log hiccup is not worth failing the event.
        let _ = guild::act(env.ctx, &request);
    }
    Ok(Some(text))
}
