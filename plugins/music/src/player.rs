//! The player: reads and writes a server's queue, asks the host to play its current track, and
//! follows the host's voice events (a track started, ended or failed; the connection came or
//! went). Every event names its track by tag; an event for a track that is no longer the
//! current one (the `Stopped` of a track a skip replaced) changes nothing.

use arsenal_plugin_api::{
    prelude::*,
    protocol::{TrackInfo, VoiceEventKind},
};

use crate::{
    history,
    model::{keys, Entry, Prefs, Queue},
    presence, queue, render,
};

/// How many tracks in a row may fail to open before the player stops trying (each is one
/// request to the host; a queue of broken links must not keep the worker busy).
const MAX_ATTEMPTS: usize = 10;

/// A track that could not play.
#[derive(Debug, Clone)]
pub struct Failure {
    pub entry: Entry,
    pub error: String,
}

/// The server's queue (empty when it has none).
///
/// # Errors
///
/// The store failed or holds a record this version cannot read.
pub fn load(ctx: &Context, guild: Id<GuildMarker>) -> Result<Queue> {
    Ok(ctx.store().get(&keys::queue(guild))?.unwrap_or_default())
}

/// Changes the server's queue in one transaction (`f` runs again when another call wrote it
/// meanwhile, so it must only change the queue); returns the queue written and `f`'s result.
///
/// # Errors
///
/// The store failed, or kept conflicting.
pub fn edit<R>(
    ctx: &Context,
    guild: Id<GuildMarker>,
    mut f: impl FnMut(&mut Queue) -> R,
) -> Result<(Queue, R)> {
    let key = keys::queue(guild);
    ctx.store().transaction(|txn| {
        let mut queue: Queue = txn.get(&key)?.unwrap_or_default();
        let result = f(&mut queue);
        txn.set(&key, &queue)?;
        Ok((queue, result))
    })
}

/// Has the host play the queue's current track (from where it stopped, after a
/// disconnection). A track that cannot open leaves the queue and the next one is tried; the
/// failures are returned for the caller to tell. With nothing left, the idle timer starts.
///
/// # Errors
///
/// The store or the host failed (not a track's own failure).
pub fn play_current(ctx: &Context, guild: Id<GuildMarker>) -> Result<Vec<Failure>> {
    let mut failures = Vec::new();
    for _ in 0..MAX_ATTEMPTS {
        let queue = load(ctx, guild)?;
        let Some(now) = queue.now.clone() else {
            presence::start_idle(ctx, guild)?;
            return Ok(failures);
        };
        if !ctx.voice().status(guild)?.connected {
            // Not connected (left, kicked): the track waits for `/resume` or `/play`.
            edit(ctx, guild, |q| q.playing = false)?;
            return Ok(failures);
        }
        match ctx
            .voice()
            .play(guild, &now.source, &now.tag(), queue.resume_ms)
        {
            Ok(info) => {
                edit(ctx, guild, |q| {
                    if q.now.as_ref().is_some_and(|e| e.id == now.id) {
                        q.playing = true;
                        q.paused = false;
                        q.resume_ms = 0;
                        if let Some(entry) = q.now.as_mut() {
                            learn(entry, &info);
                        }
                    }
                })?;
                presence::stop_idle(ctx, guild)?;
                return Ok(failures);
            }
            Err(error) => {
                let failure = Failure {
                    entry: now.clone(),
                    error: error.message().to_owned(),
                };
                history::record(ctx, guild, &failure.entry, Some(&failure.error))?;
                failures.push(failure);
                edit(ctx, guild, |q| {
                    if q.now.as_ref().is_some_and(|e| e.id == now.id) {
                        queue::dropped(q);
                    }
                })?;
            }
        }
    }
    log::warn!("music in {guild}: {MAX_ATTEMPTS} tracks in a row failed to open; stopping");
    Ok(failures)
}

/// Tells each failure in the channel its track was queued from.
pub fn announce_failures(ctx: &Context, guild: Id<GuildMarker>, failures: &[Failure]) {
    let tr = ctx.tr_guild(guild);
    for failure in failures {
        let text = tr!(
            tr,
            "music-track-failed",
            title = render::title(&failure.entry.title),
            error = failure.error.as_str()
        );
        post(ctx, failure.entry.channel, text);
    }
}

/// Posts `text` in `channel`, pinging nobody; a refusal (no permission there) is logged, not
/// raised: the music goes on either way.
pub fn post(ctx: &Context, channel: Id<ChannelMarker>, text: String) {
    let request = DiscordRequest::SendMessage {
        channel_id: channel,
        message: Reply::text(text).no_mentions(),
    };
    if let Err(e) = ctx.discord().execute_json(&request) {
        log::warn!("music: could not post in channel {channel}: {e}");
    }
}

/// What a source told about itself: its title (when it has one) and length.
fn learn(entry: &mut Entry, info: &TrackInfo) {
    if let Some(title) = info.title.as_ref().filter(|t| !t.trim().is_empty()) {
        title.clone_into(&mut entry.title);
    }
    if info.duration_ms.is_some() {
        entry.duration_ms = info.duration_ms;
    }
}

/// Follows one voice event of a server whose connection this module owns.
///
/// # Errors
///
/// The store or the host failed.
pub fn on_voice(ctx: &Context, event: &VoiceEvent) -> Result<()> {
    let guild = event.guild_id;
    match &event.kind {
        VoiceEventKind::TrackStarted { tag, info } => started(ctx, guild, tag, info),
        VoiceEventKind::TrackEnded {
            tag,
            reason,
            position_ms,
        } => ended(ctx, guild, tag, *reason, *position_ms),
        VoiceEventKind::TrackFailed { tag, error } => failed(ctx, guild, tag, error),
        VoiceEventKind::Connected { channel_id } => {
            edit(ctx, guild, |q| q.voice_channel = Some(*channel_id))?;
            Ok(())
        }
        VoiceEventKind::Disconnected => {
            edit(ctx, guild, |q| {
                q.playing = false;
                q.voice_channel = None;
                q.votes.clear();
                q.alone_since = None;
            })?;
            presence::stop_idle(ctx, guild)?;
            presence::stop_alone(ctx, guild)
        }
        other => {
            log::debug!("music in {guild}: voice event {other:?} ignored");
            Ok(())
        }
    }
}

fn is_current(queue: &Queue, tag: &str) -> bool {
    queue.now.as_ref().is_some_and(|e| e.tag() == tag)
}

/// A track began: the first time for this entry, it goes in the history and is announced
/// (unless its requester turned that off). After a restart the host resumes the track itself
/// and sends this again: nothing is queued or announced twice.
fn started(ctx: &Context, guild: Id<GuildMarker>, tag: &str, info: &TrackInfo) -> Result<()> {
    let (queue, first) = edit(ctx, guild, |q| {
        if !is_current(q, tag) {
            return false;
        }
        q.playing = true;
        if let Some(entry) = q.now.as_mut() {
            learn(entry, info);
        }
        let first = !q.started;
        q.started = true;
        first
    })?;
    let Some(entry) = queue.now.filter(|_| first) else {
        return Ok(());
    };
    history::record(ctx, guild, &entry, None)?;
    let prefs: Prefs = ctx
        .store()
        .get(&keys::prefs(entry.requester))?
        .unwrap_or_default();
    if prefs.announce.unwrap_or(true) {
        let tr = ctx.tr_guild(guild);
        let length = entry.duration_ms.map(render::time).unwrap_or_default();
        let text = tr!(
            tr,
            "music-now-playing-announce",
            title = render::title(&entry.title),
            length = length,
            user = entry.requester
        );
        post(ctx, entry.channel, text);
    }
    Ok(())
}

fn ended(
    ctx: &Context,
    guild: Id<GuildMarker>,
    tag: &str,
    reason: EndReason,
    position_ms: u64,
) -> Result<()> {
    if !is_current(&load(ctx, guild)?, tag) {
        return Ok(());
    }
    match reason {
        EndReason::Finished => {
            edit(ctx, guild, |q| {
                if is_current(q, tag) {
                    queue::finished(q);
                }
            })?;
        }
        EndReason::Stopped => {
            // Not a stop of this module's (a skip replaces the current track first): the host
            // stopped it, so the queue moves on as after a skip.
            edit(ctx, guild, |q| {
                if is_current(q, tag) {
                    queue::skipped(q);
                }
            })?;
        }
        _ => {
            // Left: the connection went away; the track waits, from where it stopped.
            edit(ctx, guild, |q| {
                if is_current(q, tag) {
                    q.playing = false;
                    q.resume_ms = position_ms;
                }
            })?;
            return Ok(());
        }
    }
    let failures = play_current(ctx, guild)?;
    announce_failures(ctx, guild, &failures);
    Ok(())
}

/// A track broke after it opened: it is recorded with its error, told where it was queued, and
/// the next one plays.
fn failed(ctx: &Context, guild: Id<GuildMarker>, tag: &str, error: &str) -> Result<()> {
    let (_, dropped) = edit(ctx, guild, |q| {
        if is_current(q, tag) {
            queue::dropped(q)
        } else {
            None
        }
    })?;
    let Some(entry) = dropped else {
        return Ok(());
    };
    history::record(ctx, guild, &entry, Some(error))?;
    let mut failures = vec![Failure {
        entry,
        error: error.to_owned(),
    }];
    failures.extend(play_current(ctx, guild)?);
    announce_failures(ctx, guild, &failures);
    Ok(())
}
