//! `/play`: where the audio comes from (a search, a link, an attached file, a file of the
//! host's music folder), joining the member's voice channel, queueing, and starting when idle.

use arsenal_plugin_api::{
    prelude::*,
    protocol::{CommandAttachment, Invoker},
};

use crate::{
    command::{Play, MAX_QUERY},
    model::{keys, Entry, Prefs},
    player, presence, queue, render,
};

/// Longest path of a music-folder file.
const MAX_PATH: usize = 200;

/// What `/play` was asked to play, or why it cannot be: the attachment option's file (slash),
/// a file attached to the message when no text was given (prefix), or the query.
fn source(
    tr: &Tr<'_>,
    args: &Play,
    files: &[CommandAttachment],
) -> std::result::Result<(AudioSource, String), String> {
    let attached = match args.attachment {
        Some(id) => Some(
            files
                .iter()
                .find(|f| f.id == id)
                .ok_or_else(|| tr.t("music-attachment-missing"))?,
        ),
        None if args.query.as_deref().is_none_or(|q| q.trim().is_empty()) => files.first(),
        None => None,
    };
    if let Some(file) = attached {
        return Ok((
            AudioSource::Attachment {
                url: file.url.clone(),
                filename: file.filename.clone(),
            },
            file.filename.clone(),
        ));
    }
    let local = args
        .query
        .as_deref()
        .and_then(|query| query.trim().strip_prefix("file:"))
        .map(str::trim);
    if let Some(path) = local {
        let bad = path.is_empty()
            || path.len() > MAX_PATH
            || path.starts_with('/')
            || path.starts_with('\\')
            || path.split(['/', '\\']).any(|part| part == "..")
            || path.chars().any(char::is_control);
        if bad {
            return Err(tr!(tr, "music-bad-path", path = path));
        }
        let name = path.rsplit('/').next().unwrap_or(path).to_owned();
        return Ok((
            AudioSource::Local {
                path: path.to_owned(),
            },
            name,
        ));
    }
    let Some(query) = args
        .query
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    else {
        return Err(tr.t("music-play-usage"));
    };
    if query.chars().count() > MAX_QUERY {
        return Err(tr!(tr, "music-query-too-long", max = MAX_QUERY));
    }
    if let Some(rest) = query
        .strip_prefix("https://")
        .or_else(|| query.strip_prefix("http://"))
    {
        if query.contains(char::is_whitespace) {
            return Err(tr.t("music-bad-link"));
        }
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty() {
            return Err(tr.t("music-bad-link"));
        }
        // A link to a file posted on Discord is fetched as such, without yt-dlp.
        if matches!(host, "cdn.discordapp.com" | "media.discordapp.net") {
            let path = rest.split(['?', '#']).next().unwrap_or_default();
            let filename = path.rsplit('/').next().unwrap_or_default().to_owned();
            return Ok((
                AudioSource::Attachment {
                    url: query.to_owned(),
                    filename: filename.clone(),
                },
                filename,
            ));
        }
        return Ok((
            AudioSource::Url {
                url: query.to_owned(),
            },
            query.to_owned(),
        ));
    }
    Ok((
        AudioSource::Search {
            query: query.to_owned(),
        },
        query.to_owned(),
    ))
}

/// Joins `channel` for `invoker` if needed: `Ok(None)` when the bot is there (joined now or
/// before), else the refusal for the member.
///
/// # Errors
///
/// The host or the store failed.
pub fn ensure_joined(
    ctx: &Context,
    tr: &Tr<'_>,
    guild: Id<GuildMarker>,
    invoker: &Invoker,
) -> Result<Option<Response>> {
    let Some(states) = presence::voice_states(ctx, guild)? else {
        return Ok(Some(Response::ephemeral(tr.t("music-server-not-ready"))));
    };
    let Some(channel) = presence::channel_of(&states, invoker.user_id) else {
        return Ok(Some(Response::ephemeral(tr.t("music-join-voice-first"))));
    };
    let status = ctx.voice().status(guild)?;
    if status.connected && status.channel_id == Some(channel) {
        return Ok(None);
    }
    let queue = player::load(ctx, guild)?;
    if let Some(there) = status.channel_id.filter(|_| status.connected) {
        // Playing for others elsewhere: a member may not pull the bot away from them.
        if status.track.is_some() && queue.playing {
            return Ok(Some(Response::ephemeral(tr!(
                tr,
                "music-busy-elsewhere",
                channel = there
            ))));
        }
    }
    if let Err(e) = ctx.voice().join(guild, channel) {
        return Ok(Some(Response::ephemeral(tr!(
            tr,
            "music-join-failed",
            channel = channel,
            error = e.message()
        ))));
    }
    let prefs: Prefs = ctx
        .store()
        .get(&keys::prefs(invoker.user_id))?
        .unwrap_or_default();
    let (queue, ()) = player::edit(ctx, guild, |q| {
        q.voice_channel = Some(channel);
        q.alone_since = None;
        if let Some(volume) = prefs.volume {
            q.volume = volume;
        }
    })?;
    if queue.volume != 100 {
        if let Err(e) = ctx.voice().set_volume(guild, queue.volume) {
            log::warn!("music in {guild}: the volume could not be set: {e}");
        }
    }
    Ok(None)
}

/// `/play`.
///
/// # Errors
///
/// The host or the store failed.
pub fn command(
    ctx: &Context,
    tr: &Tr<'_>,
    guild: Id<GuildMarker>,
    invoker: &Invoker,
    args: &Play,
    files: &[CommandAttachment],
) -> Result<Response> {
    let (source, title) = match source(tr, args, files) {
        Ok(found) => found,
        Err(refusal) => return Ok(Response::ephemeral(refusal)),
    };
    if let Some(refusal) = ensure_joined(ctx, tr, guild, invoker)? {
        return Ok(refusal);
    }
    let entry = Entry {
        id: 0,
        source,
        title,
        duration_ms: None,
        requester: invoker.user_id,
        channel: invoker.channel_id,
    };
    let (queue, pushed) = player::edit(ctx, guild, |q| queue::push(q, entry.clone()))?;
    let position = match pushed {
        Ok(position) => position,
        Err(_) => {
            return Ok(Response::ephemeral(tr!(
                tr,
                "music-queue-full",
                max = crate::model::MAX_QUEUE
            )))
        }
    };
    let id = queue.next_id - 1;
    if queue.playing {
        return Ok(queued(tr, position, &entry.title));
    }
    // Nothing plays (the queue was idle, or waits after a disconnection): start it.
    let failures = player::play_current(ctx, guild)?;
    let (mine, others): (Vec<_>, Vec<_>) = failures.into_iter().partition(|f| f.entry.id == id);
    player::announce_failures(ctx, guild, &others);
    if let Some(failure) = mine.first() {
        return Ok(Response::text(tr!(
            tr,
            "music-play-failed",
            title = render::title(&failure.entry.title),
            error = failure.error.as_str()
        )));
    }
    let queue = player::load(ctx, guild)?;
    match queue.now.as_ref() {
        Some(now) if now.id == id => Ok(Response::Message(
            Reply::text(tr!(tr, "music-playing", title = render::title(&now.title))).no_mentions(),
        )),
        _ => {
            let position = queue
                .upcoming
                .iter()
                .position(|e| e.id == id)
                .map_or(0, |i| i + 1);
            Ok(queued(tr, position, &entry.title))
        }
    }
}

fn queued(tr: &Tr<'_>, position: usize, title: &str) -> Response {
    Response::Message(
        Reply::text(tr!(
            tr,
            "music-queued",
            title = render::title(title),
            position = position
        ))
        .no_mentions(),
    )
}
