//! Saved playlists: a member's own (`pl:u:<user>:<name>`, theirs in every server) and a
//! server's (`pl:g:<guild>:<name>`, managed by its DJs and managers, loaded by anyone there).
//! Names are 1–32 letters, digits, spaces, `-` or `_`, compared without case.

use arsenal_plugin_api::{prelude::*, protocol::Invoker};

use crate::{
    command::{NameArgs, PlaylistCommand, SaveArgs},
    controls::Env,
    model::{keys, Entry, Playlist, SavedTrack, MAX_QUEUE},
    play, player, queue, render, rights,
};

/// Most tracks in a playlist.
pub const MAX_TRACKS: usize = 100;
/// Most playlists a member keeps.
pub const MAX_MEMBER_PLAYLISTS: usize = 25;
/// Most playlists a server keeps.
pub const MAX_SERVER_PLAYLISTS: usize = 50;
/// Longest playlist name.
pub const MAX_NAME: usize = 32;

/// The stored form of a name (trimmed, lowercased), or `None` when it is not a valid name.
pub fn key_name(name: &str) -> Option<String> {
    let name = name.trim();
    let valid = !name.is_empty()
        && name.chars().count() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_');
    valid.then(|| name.to_lowercase())
}

fn prefix(env: &Env<'_>, server: bool) -> String {
    if server {
        keys::server_playlists(env.guild)
    } else {
        keys::member_playlists(env.invoker.user_id)
    }
}

/// Whether `invoker` may manage the server's playlists: managers, and DJs when a role is set.
fn manages_server(ctx: &Context, guild: Id<GuildMarker>, invoker: &Invoker) -> Result<bool> {
    let settings = rights::settings(ctx, guild)?;
    Ok(rights::is_manager(invoker)
        || settings
            .dj_role
            .is_some_and(|role| invoker.roles.contains(&role)))
}

/// `/playlist …`.
///
/// # Errors
///
/// The host or the store failed.
pub fn command(env: &Env<'_>, command: &PlaylistCommand) -> Result<Response> {
    match command {
        PlaylistCommand::Save(args) => save(env, args),
        PlaylistCommand::Load(args) => load(env, args),
        PlaylistCommand::List => list(env),
        PlaylistCommand::Show(args) => show(env, args),
        PlaylistCommand::Delete(args) => delete(env, args),
    }
}

fn say(_env: &Env<'_>, text: String) -> Response {
    Response::ephemeral(text)
}

fn bad_name(env: &Env<'_>, name: &str) -> Response {
    say(
        env,
        tr!(
            env.tr,
            "music-playlist-bad-name",
            name = render::title(name),
            max = MAX_NAME
        ),
    )
}

fn save(env: &Env<'_>, args: &SaveArgs) -> Result<Response> {
    let Some(name) = key_name(&args.name) else {
        return Ok(bad_name(env, &args.name));
    };
    let server = args.server == Some(true);
    if server && !manages_server(env.ctx, env.guild, env.invoker)? {
        return Ok(say(env, env.tr.t("music-playlist-server-managers")));
    }
    let queue = player::load(env.ctx, env.guild)?;
    let tracks: Vec<SavedTrack> = queue
        .now
        .iter()
        .chain(queue.upcoming.iter())
        .map(|e| SavedTrack {
            source: e.source.clone(),
            title: e.title.clone(),
            duration_ms: e.duration_ms,
        })
        .collect();
    if tracks.is_empty() {
        return Ok(say(env, env.tr.t("music-playlist-empty-queue")));
    }
    if tracks.len() > MAX_TRACKS {
        return Ok(say(
            env,
            tr!(
                env.tr,
                "music-playlist-too-long",
                count = tracks.len(),
                max = MAX_TRACKS
            ),
        ));
    }
    let prefix = prefix(env, server);
    let key = format!("{prefix}{name}");
    let limit = if server {
        MAX_SERVER_PLAYLISTS
    } else {
        MAX_MEMBER_PLAYLISTS
    };
    let playlist = Playlist {
        name: args.name.trim().to_owned(),
        owner: env.invoker.user_id,
        tracks,
        saved_at_ms: env.ctx.now(),
    };
    let count = playlist.tracks.len();
    let store = env.ctx.store();
    // A transaction on the playlist's key: two saves of one name cannot both create it.
    let saved = store.transaction(|txn| {
        let existing: Option<Playlist> = txn.get(&key)?;
        if existing.is_none() && store.list::<Value>(&prefix)?.len() >= limit {
            return Ok(None);
        }
        txn.set(&key, &playlist)?;
        Ok(Some(existing.is_some()))
    })?;
    Ok(match saved {
        None => say(env, tr!(env.tr, "music-playlist-limit", max = limit)),
        Some(replaced) => Response::text(tr!(
            env.tr,
            if replaced {
                "music-playlist-replaced"
            } else {
                "music-playlist-saved"
            },
            name = render::title(&playlist.name),
            count = count
        )),
    })
}

/// The playlist `name`: the server's when asked, else the member's, else the server's.
fn find(env: &Env<'_>, args: &NameArgs) -> Result<Option<(bool, Playlist)>> {
    let Some(name) = key_name(&args.name) else {
        return Ok(None);
    };
    let order: &[bool] = if args.server == Some(true) {
        &[true]
    } else {
        &[false, true]
    };
    for server in order {
        let key = format!("{}{name}", prefix(env, *server));
        if let Some(playlist) = env.ctx.store().get::<Playlist>(&key)? {
            return Ok(Some((*server, playlist)));
        }
    }
    Ok(None)
}

fn not_found(env: &Env<'_>, name: &str) -> Response {
    if key_name(name).is_none() {
        return bad_name(env, name);
    }
    say(
        env,
        tr!(
            env.tr,
            "music-playlist-not-found",
            name = render::title(name)
        ),
    )
}

fn load(env: &Env<'_>, args: &NameArgs) -> Result<Response> {
    let Some((_, playlist)) = find(env, args)? else {
        return Ok(not_found(env, &args.name));
    };
    if let Some(refusal) = play::ensure_joined(env.ctx, &env.tr, env.guild, env.invoker)? {
        return Ok(refusal);
    }
    let user = env.invoker.user_id;
    let channel = env.invoker.channel_id;
    let (queue, added) = player::edit(env.ctx, env.guild, |q| {
        let mut added = 0;
        for track in &playlist.tracks {
            let entry = Entry {
                id: 0,
                source: track.source.clone(),
                title: track.title.clone(),
                duration_ms: track.duration_ms,
                requester: user,
                channel,
            };
            if queue::push(q, entry).is_err() {
                break;
            }
            added += 1;
        }
        added
    })?;
    if !queue.playing {
        let failures = player::play_current(env.ctx, env.guild)?;
        player::announce_failures(env.ctx, env.guild, &failures);
    }
    let mut text = tr!(
        env.tr,
        "music-playlist-loaded",
        name = render::title(&playlist.name),
        count = added
    );
    if added < playlist.tracks.len() {
        text.push('\n');
        text.push_str(&tr!(env.tr, "music-queue-full", max = MAX_QUEUE));
    }
    Ok(Response::Message(Reply::text(text).no_mentions()))
}

fn list(env: &Env<'_>) -> Result<Response> {
    let store = env.ctx.store();
    let mine: Vec<(String, Playlist)> = store.list(&prefix(env, false))?;
    let server: Vec<(String, Playlist)> = store.list(&prefix(env, true))?;
    let lines = |lists: &[(String, Playlist)]| -> String {
        if lists.is_empty() {
            return env.tr.t("music-playlist-none");
        }
        lists
            .iter()
            .map(|(_, p)| format!("• {} ({})", render::title(&p.name), p.tracks.len()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let text = tr!(
        env.tr,
        "music-playlist-list",
        mine = lines(&mine),
        server = lines(&server)
    );
    Ok(Response::Message(Reply::text(text).ephemeral()))
}

fn show(env: &Env<'_>, args: &NameArgs) -> Result<Response> {
    let Some((_, playlist)) = find(env, args)? else {
        return Ok(not_found(env, &args.name));
    };
    let mut text = format!("**{}**\n", render::title(&playlist.name));
    for (i, track) in playlist.tracks.iter().enumerate() {
        let line = format!("`{}.` {}\n", i + 1, render::title(&track.title));
        // Discord's message holds 2000 characters: the rest is counted, not cut mid-line.
        if text.chars().count() + line.chars().count() > 1900 {
            text.push_str(&tr!(
                env.tr,
                "music-more",
                count = playlist.tracks.len() - i
            ));
            break;
        }
        text.push_str(&line);
    }
    Ok(Response::Message(Reply::text(text).ephemeral()))
}

fn delete(env: &Env<'_>, args: &NameArgs) -> Result<Response> {
    let Some(name) = key_name(&args.name) else {
        return Ok(bad_name(env, &args.name));
    };
    let server = args.server == Some(true);
    if server && !manages_server(env.ctx, env.guild, env.invoker)? {
        return Ok(say(env, env.tr.t("music-playlist-server-managers")));
    }
    let deleted = env
        .ctx
        .store()
        .delete(&format!("{}{name}", prefix(env, server)))?;
    if !deleted {
        return Ok(not_found(env, &args.name));
    }
    Ok(Response::text(tr!(
        env.tr,
        "music-playlist-deleted",
        name = render::title(args.name.trim())
    )))
}
