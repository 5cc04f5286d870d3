//! What members do to the music playing: skip and vote-skip, pause, resume, seek, loop,
//! volume, now playing and leave. Each checks the DJ rules (`rights`) first and changes the
//! queue in a transaction, then asks the host.

use arsenal_plugin_api::{prelude::*, protocol::Invoker};

use crate::{
    command::{Loop, Seek, Volume},
    model::{LoopMode, Queue},
    play, player, presence, queue, render, rights,
};

/// Who acts, where, and the bot's own id (left out of listener counts).
pub struct Env<'a> {
    pub ctx: &'a Context,
    pub tr: Tr<'a>,
    pub guild: Id<GuildMarker>,
    pub invoker: &'a Invoker,
    pub bot: Option<Id<UserMarker>>,
}

impl Env<'_> {
    fn say(&self, key: &str) -> Response {
        Response::ephemeral(self.tr.t(key))
    }

    /// `Some(refusal)` unless the member may control the music.
    fn refused(&self) -> Result<Option<Response>> {
        Ok(rights::require_control(self.ctx, &self.tr, self.guild, self.invoker)?.err())
    }
}

/// Skips the track `id` (if still current) and plays the next; stops with nothing next.
fn skip_now(env: &Env<'_>, id: u64) -> Result<Option<crate::model::Entry>> {
    let (queue, skipped) = player::edit(env.ctx, env.guild, |q| {
        if q.now.as_ref().is_some_and(|e| e.id == id) {
            queue::skipped(q)
        } else {
            None
        }
    })?;
    if skipped.is_some() && queue.now.is_none() {
        if let Err(e) = env.ctx.voice().stop(env.guild) {
            log::warn!("music in {}: stopping after a skip failed: {e}", env.guild);
        }
    }
    if skipped.is_some() {
        let failures = player::play_current(env.ctx, env.guild)?;
        player::announce_failures(env.ctx, env.guild, &failures);
    }
    Ok(skipped)
}

/// `/skip` (`vote_only`: `/voteskip`): at once for the track's requester and whoever may
/// control the music (for `/voteskip`: a DJ or a manager), else a vote.
///
/// # Errors
///
/// The host or the store failed.
pub fn skip(env: &Env<'_>, vote_only: bool) -> Result<Response> {
    let queue = player::load(env.ctx, env.guild)?;
    let Some(now) = queue.now.clone() else {
        return Ok(env.say("music-nothing-playing"));
    };
    let settings = rights::settings(env.ctx, env.guild)?;
    let is_dj = rights::is_manager(env.invoker)
        || settings
            .dj_role
            .is_some_and(|role| env.invoker.roles.contains(&role));
    let at_once = now.requester == env.invoker.user_id
        || is_dj
        || (!vote_only && rights::may_control(env.invoker, &settings));
    if at_once {
        skip_now(env, now.id)?;
        return Ok(Response::Message(
            Reply::text(tr!(
                env.tr,
                "music-skipped",
                title = render::title(&now.title)
            ))
            .no_mentions(),
        ));
    }
    vote(env, &queue, &now)
}

fn vote(env: &Env<'_>, queue: &Queue, now: &crate::model::Entry) -> Result<Response> {
    let Some(channel) = queue.voice_channel else {
        return Ok(env.say("music-nothing-playing"));
    };
    let Some(listening) = presence::listeners(env.ctx, env.guild, channel, env.bot)? else {
        return Ok(env.say("music-server-not-ready"));
    };
    let user = env.invoker.user_id;
    if !listening.contains(&user) {
        return Ok(Response::ephemeral(tr!(
            env.tr,
            "music-vote-join",
            channel = channel
        )));
    }
    let (queue, ()) = player::edit(env.ctx, env.guild, |q| {
        if q.now.as_ref().is_some_and(|e| e.id == now.id) && !q.votes.contains(&user) {
            q.votes.push(user);
        }
    })?;
    // Only votes of members still listening count; more than half of the listeners skip.
    let votes = queue.votes.iter().filter(|v| listening.contains(v)).count();
    let needed = listening.len() / 2 + 1;
    if votes >= needed {
        skip_now(env, now.id)?;
        return Ok(Response::Message(
            Reply::text(tr!(
                env.tr,
                "music-vote-passed",
                title = render::title(&now.title),
                votes = votes,
                listeners = listening.len()
            ))
            .no_mentions(),
        ));
    }
    Ok(Response::text(tr!(
        env.tr,
        "music-vote-counted",
        votes = votes,
        needed = needed
    )))
}

/// `/pause`.
///
/// # Errors
///
/// The store failed.
pub fn pause(env: &Env<'_>) -> Result<Response> {
    if let Some(refusal) = env.refused()? {
        return Ok(refusal);
    }
    let queue = player::load(env.ctx, env.guild)?;
    if queue.now.is_none() || !queue.playing {
        return Ok(env.say("music-nothing-playing"));
    }
    if queue.paused {
        return Ok(env.say("music-already-paused"));
    }
    if let Err(e) = env.ctx.voice().pause(env.guild) {
        return Ok(Response::ephemeral(tr!(
            env.tr,
            "music-host-refused",
            error = e.message()
        )));
    }
    player::edit(env.ctx, env.guild, |q| q.paused = true)?;
    Ok(Response::text(env.tr.t("music-paused")))
}

/// `/resume`: a paused track goes on; a queue left after a disconnection starts again in the
/// member's channel, from where it stopped.
///
/// # Errors
///
/// The host or the store failed.
pub fn resume(env: &Env<'_>) -> Result<Response> {
    if let Some(refusal) = env.refused()? {
        return Ok(refusal);
    }
    let queue = player::load(env.ctx, env.guild)?;
    if queue.now.is_none() {
        return Ok(env.say("music-nothing-playing"));
    }
    if !queue.playing {
        if let Some(refusal) = play::ensure_joined(env.ctx, &env.tr, env.guild, env.invoker)? {
            return Ok(refusal);
        }
        let failures = player::play_current(env.ctx, env.guild)?;
        player::announce_failures(env.ctx, env.guild, &failures);
        return Ok(Response::text(env.tr.t("music-resumed")));
    }
    if !queue.paused {
        return Ok(env.say("music-not-paused"));
    }
    if let Err(e) = env.ctx.voice().resume(env.guild) {
        return Ok(Response::ephemeral(tr!(
            env.tr,
            "music-host-refused",
            error = e.message()
        )));
    }
    player::edit(env.ctx, env.guild, |q| q.paused = false)?;
    Ok(Response::text(env.tr.t("music-resumed")))
}

/// `/seek <time>`: refused past the track's length.
///
/// # Errors
///
/// The host or the store failed.
pub fn seek(env: &Env<'_>, args: &Seek) -> Result<Response> {
    if let Some(refusal) = env.refused()? {
        return Ok(refusal);
    }
    let Some(position) = render::parse_time(&args.time) else {
        return Ok(Response::ephemeral(tr!(
            env.tr,
            "music-bad-time",
            time = args.time.as_str()
        )));
    };
    let queue = player::load(env.ctx, env.guild)?;
    let Some(now) = queue.now.as_ref().filter(|_| queue.playing) else {
        return Ok(env.say("music-nothing-playing"));
    };
    let status = env.ctx.voice().status(env.guild)?;
    let duration = status
        .track
        .as_ref()
        .and_then(|t| t.info.duration_ms)
        .or(now.duration_ms);
    if let Some(duration) = duration.filter(|d| position >= *d) {
        return Ok(Response::ephemeral(tr!(
            env.tr,
            "music-seek-past-end",
            time = render::time(position),
            length = render::time(duration)
        )));
    }
    if let Err(e) = env.ctx.voice().seek(env.guild, position) {
        return Ok(Response::ephemeral(tr!(
            env.tr,
            "music-host-refused",
            error = e.message()
        )));
    }
    Ok(Response::text(tr!(
        env.tr,
        "music-seeked",
        time = render::time(position)
    )))
}

/// `/loop off|track|queue`.
///
/// # Errors
///
/// The store failed.
pub fn set_loop(env: &Env<'_>, args: &Loop) -> Result<Response> {
    if let Some(refusal) = env.refused()? {
        return Ok(refusal);
    }
    let mode = args.mode;
    player::edit(env.ctx, env.guild, |q| q.loop_mode = mode)?;
    Ok(Response::text(env.tr.t(match mode {
        LoopMode::Off => "music-loop-off",
        LoopMode::Track => "music-loop-track",
        LoopMode::Queue => "music-loop-queue",
    })))
}

/// `/volume <0-200>`: kept for the next tracks and the next connection.
///
/// # Errors
///
/// The host or the store failed.
pub fn volume(env: &Env<'_>, args: &Volume) -> Result<Response> {
    if let Some(refusal) = env.refused()? {
        return Ok(refusal);
    }
    let Some(percent) = u16::try_from(args.percent).ok().filter(|p| *p <= 200) else {
        return Ok(Response::ephemeral(tr!(
            env.tr,
            "music-bad-volume",
            volume = args.percent
        )));
    };
    if env.ctx.voice().status(env.guild)?.connected {
        if let Err(e) = env.ctx.voice().set_volume(env.guild, percent) {
            return Ok(Response::ephemeral(tr!(
                env.tr,
                "music-host-refused",
                error = e.message()
            )));
        }
    }
    player::edit(env.ctx, env.guild, |q| q.volume = percent)?;
    Ok(Response::text(tr!(
        env.tr,
        "music-volume-set",
        volume = percent
    )))
}

/// `/nowplaying`: title, requester, progress from the host's position.
///
/// # Errors
///
/// The host or the store failed.
pub fn now_playing(env: &Env<'_>) -> Result<Response> {
    let queue = player::load(env.ctx, env.guild)?;
    let Some(now) = queue.now.as_ref() else {
        return Ok(env.say("music-nothing-playing"));
    };
    let status = env.ctx.voice().status(env.guild)?;
    let track = status.track.as_ref().filter(|t| t.tag == now.tag());
    let position = track.map_or(queue.resume_ms, |t| t.position_ms);
    let duration = track.and_then(|t| t.info.duration_ms).or(now.duration_ms);
    let state = if queue.paused || track.is_some_and(|t| t.paused) {
        "⏸"
    } else if queue.playing {
        "▶"
    } else {
        "⏹"
    };
    let text = tr!(
        env.tr,
        "music-now-playing",
        state = state,
        title = render::title(&now.title),
        user = now.requester,
        progress = render::progress(position, duration),
        volume = queue.volume
    );
    Ok(Response::Message(Reply::text(text).no_mentions()))
}

/// `/leave`: stops, empties the queue and leaves (after a disconnection, empties the queue
/// left waiting).
///
/// # Errors
///
/// The host or the store failed.
pub fn leave(env: &Env<'_>) -> Result<Response> {
    if let Some(refusal) = env.refused()? {
        return Ok(refusal);
    }
    let status = env.ctx.voice().status(env.guild)?;
    let queue = player::load(env.ctx, env.guild)?;
    if !status.connected && queue.now.is_none() && queue.upcoming.is_empty() {
        return Ok(env.say("music-not-connected"));
    }
    // The queue goes first, so the host's `TrackEnded` for the track is no longer current.
    player::edit(env.ctx, env.guild, |q| {
        *q = Queue {
            next_id: q.next_id,
            loop_mode: q.loop_mode,
            volume: q.volume,
            ..Queue::default()
        };
    })?;
    if status.connected {
        if let Err(e) = env.ctx.voice().leave(env.guild) {
            return Ok(Response::ephemeral(tr!(
                env.tr,
                "music-host-refused",
                error = e.message()
            )));
        }
    }
    presence::stop_idle(env.ctx, env.guild)?;
    presence::stop_alone(env.ctx, env.guild)?;
    Ok(Response::text(env.tr.t("music-left")))
}
