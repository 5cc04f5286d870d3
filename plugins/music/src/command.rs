//! The module's commands as types (`#[derive(Command)]`), slash and prefix alike. Anyone may
//! queue and look; what changes the music for everyone follows the DJ rules (`rights`), checked
//! by the handlers rather than by a Discord permission, since they depend on the server's DJ role
//! and on who queued the track.

use arsenal_plugin_api::prelude::*;

use crate::model::LoopMode;

/// Longest query or link accepted.
pub const MAX_QUERY: usize = 500;

// `query` is the only text option, so the prefix form takes the rest of the line as it
// (`!play never gonna give you up`); a music-folder file is `file:<path>`.
/// Play a song: words to search, a link, an attached file or a file of the bot's music folder
#[derive(Debug, Command)]
#[command(name = "play", prefix)]
pub struct Play {
    /// Words to search, or a link (YouTube, SoundCloud, a direct file…); `file:<path>` for the music folder
    #[option(max_length = 500)]
    pub query: Option<String>,
    /// An audio file to play
    pub attachment: Option<Id<AttachmentMarker>>,
}

/// The queue, a page at a time
#[derive(Debug, Command)]
#[command(name = "queue", prefix)]
pub struct QueueCmd {
    /// Which page (1 by default)
    #[option(min_value = 1, max_value = 1000)]
    pub page: Option<i64>,
}

/// Remove a track from the queue by its number
#[derive(Debug, Command)]
#[command(name = "remove", prefix)]
pub struct Remove {
    /// Its number in /queue
    #[option(min_value = 1, max_value = 10000)]
    pub position: i64,
}

/// Move a track to another place in the queue
#[derive(Debug, Command)]
#[command(name = "move", prefix)]
pub struct Move {
    /// Its number in /queue
    #[option(min_value = 1, max_value = 10000)]
    pub from: i64,
    /// Its new number
    #[option(min_value = 1, max_value = 10000)]
    pub to: i64,
}

/// Shuffle the queue
#[derive(Debug, Command)]
#[command(name = "shuffle", prefix)]
pub struct Shuffle;

/// Empty the queue (the track playing goes on)
#[derive(Debug, Command)]
#[command(name = "clear", prefix)]
pub struct Clear;

/// Skip the track (a vote when you may not skip at once)
#[derive(Debug, Command)]
#[command(name = "skip", prefix)]
pub struct Skip;

/// Vote to skip the track: it is skipped once more than half of the listeners voted
#[derive(Debug, Command)]
#[command(name = "voteskip", prefix)]
pub struct VoteSkip;

/// Pause the music
#[derive(Debug, Command)]
#[command(name = "pause", prefix)]
pub struct Pause;

/// Resume the music (and rejoin your channel after a disconnection)
#[derive(Debug, Command)]
#[command(name = "resume", prefix)]
pub struct Resume;

/// Go to a moment of the track
#[derive(Debug, Command)]
#[command(name = "seek", prefix)]
pub struct Seek {
    /// Like 1:30, 90 or 1:02:03
    #[option(max_length = 20)]
    pub time: String,
}

/// Repeat the track or the queue
#[derive(Debug, Command)]
#[command(name = "loop", prefix)]
pub struct Loop {
    /// off, track or queue
    pub mode: LoopMode,
}

/// Set the volume
#[derive(Debug, Command)]
#[command(name = "volume", prefix)]
pub struct Volume {
    /// 0 to 200 (100: the track's own level)
    #[option(min_value = 0, max_value = 200)]
    pub percent: i64,
}

/// What is playing, and how far
#[derive(Debug, Command)]
#[command(name = "nowplaying", prefix)]
pub struct NowPlaying;

/// Stop, empty the queue and leave the voice channel
#[derive(Debug, Command)]
#[command(name = "leave", prefix)]
pub struct Leave;

/// The tracks played lately
#[derive(Debug, Command)]
#[command(name = "history", prefix)]
pub struct History {
    /// Which page (1 by default)
    #[option(min_value = 1, max_value = 100)]
    pub page: Option<i64>,
    /// Only the tracks you queued
    pub me: Option<bool>,
}

/// Music settings
#[derive(Debug, Command)]
#[command(name = "music", prefix)]
pub enum MusicCommand {
    /// The DJ role (empty: everyone may control the music)
    #[command(permissions = "MANAGE_GUILD")]
    Dj(Dj),
    /// Your own preferences: the volume the bot starts at, announcements of your tracks
    Prefs(PrefsArgs),
}

#[derive(Debug, Command)]
pub struct Dj {
    /// The role (leave empty to remove it)
    pub role: Option<Id<RoleMarker>>,
}

#[derive(Debug, Command)]
pub struct PrefsArgs {
    /// The volume the bot starts at when it joins for you (0 to 200)
    #[option(min_value = 0, max_value = 200)]
    pub volume: Option<i64>,
    /// Announce your tracks when they start
    pub announce: Option<bool>,
}

/// Saved playlists, yours or the server's
#[derive(Debug, Command)]
#[command(name = "playlist", prefix)]
pub enum PlaylistCommand {
    /// Save the queue (the track playing and those after it) as a playlist
    Save(SaveArgs),
    /// Add a playlist's tracks to the queue
    Load(NameArgs),
    /// Your playlists and the server's
    List,
    /// A playlist's tracks
    Show(NameArgs),
    /// Delete a playlist
    Delete(NameArgs),
}

#[derive(Debug, Command)]
pub struct SaveArgs {
    /// Its name (letters, digits, spaces, - and _)
    #[option(max_length = 100)]
    pub name: String,
    /// A server playlist (DJs and managers) instead of yours
    pub server: Option<bool>,
}

#[derive(Debug, Command)]
pub struct NameArgs {
    /// Its name
    #[option(max_length = 100)]
    pub name: String,
    /// The server's playlist of that name rather than yours
    pub server: Option<bool>,
}
