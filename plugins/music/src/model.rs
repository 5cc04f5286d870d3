//! What the module keeps, and under which keys. A server's whole player is one key
//! (`queue:<guild>`: the track playing, the tracks after it, loop mode, volume, votes), so every
//! change to it is one small transaction and nothing of one server is read while serving
//! another. Settings (`settings:<guild>`), history (`hist:<guild>`, `hist:<guild>:<user>`),
//! playlists (`pl:g:<guild>:<name>` for a server's, `pl:u:<user>:<name>` for a member's) and
//! preferences (`pref:<user>`) each have their own keys.

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

/// How many tracks a queue holds at most (after the one playing).
pub const MAX_QUEUE: usize = 500;
/// How many played tracks a server's (and a member's) history keeps.
pub const HISTORY_KEPT: usize = 50;

/// One queued track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Unique in its server's queue; the tag given to the host is `e<id>`.
    pub id: u64,
    pub source: AudioSource,
    /// What members see: the source's title once it opened, until then the link, words or
    /// file name.
    pub title: String,
    #[serde(default)]
    pub duration_ms: Option<u64>,
    pub requester: Id<UserMarker>,
    /// Where `/play` was run: failures and announcements go there.
    pub channel: Id<ChannelMarker>,
}

impl Entry {
    /// The tag the host echoes in this entry's events.
    pub fn tag(&self) -> String {
        format!("e{}", self.id)
    }
}

/// What the queue does when a track ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, CommandChoice)]
#[serde(rename_all = "snake_case")]
pub enum LoopMode {
    /// Next track; the queue ends.
    #[default]
    #[choice(name = "off")]
    Off,
    /// The same track again.
    #[choice(name = "track")]
    Track,
    /// The finished track goes to the end of the queue.
    #[choice(name = "queue")]
    Queue,
}

/// A server's player.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    /// The track playing (or paused, or interrupted by a disconnection).
    #[serde(default)]
    pub now: Option<Entry>,
    /// The tracks after it, in order.
    #[serde(default)]
    pub upcoming: Vec<Entry>,
    #[serde(default)]
    pub next_id: u64,
    #[serde(default)]
    pub loop_mode: LoopMode,
    /// 0–200 %.
    #[serde(default = "full_volume")]
    pub volume: u16,
    /// Whether `now` is paused.
    #[serde(default)]
    pub paused: bool,
    /// Whether the host is playing `now` (false after a disconnection: `resume_ms` says where
    /// to start again).
    #[serde(default)]
    pub playing: bool,
    /// Where `now` stopped when the connection went away.
    #[serde(default)]
    pub resume_ms: u64,
    /// Whether `now`'s start was handled (announced, put in the history): a restart's
    /// `TrackStarted` for the same entry is not handled twice.
    #[serde(default)]
    pub started: bool,
    /// Members who voted to skip `now`.
    #[serde(default)]
    pub votes: Vec<Id<UserMarker>>,
    /// The voice channel the bot is connected to, as the host last said.
    #[serde(default)]
    pub voice_channel: Option<Id<ChannelMarker>>,
    /// Since when no listener is left in the channel (the alone timer runs).
    #[serde(default)]
    pub alone_since: Option<u64>,
}

const fn full_volume() -> u16 {
    100
}

impl Default for Queue {
    fn default() -> Self {
        Self {
            now: None,
            upcoming: Vec::new(),
            next_id: 1,
            loop_mode: LoopMode::Off,
            volume: 100,
            paused: false,
            playing: false,
            resume_ms: 0,
            started: false,
            votes: Vec::new(),
            voice_channel: None,
            alone_since: None,
        }
    }
}

/// A server's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// When set, only its members (and managers) may skip without a vote, change what others
    /// queued, seek, loop or change the volume.
    #[serde(default)]
    pub dj_role: Option<Id<RoleMarker>>,
}

/// A member's preferences, kept for every server they play music in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    /// The volume the bot starts at when it joins for them.
    #[serde(default)]
    pub volume: Option<u16>,
    /// Whether the tracks they queue are announced when they start (default yes).
    #[serde(default)]
    pub announce: Option<bool>,
}

/// One played track, newest first in a history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Played {
    pub title: String,
    pub source: AudioSource,
    pub requester: Id<UserMarker>,
    pub at_ms: u64,
    /// Why it could not play, when it failed.
    #[serde(default)]
    pub error: Option<String>,
}

/// One track of a saved playlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedTrack {
    pub source: AudioSource,
    pub title: String,
    #[serde(default)]
    pub duration_ms: Option<u64>,
}

/// A saved playlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Playlist {
    /// As its owner wrote it (the key holds it lowercased).
    pub name: String,
    pub owner: Id<UserMarker>,
    pub tracks: Vec<SavedTrack>,
    pub saved_at_ms: u64,
}

/// A timer's payload: which server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerTarget {
    pub guild: Id<GuildMarker>,
}

/// Store keys and timer keys.
pub mod keys {
    use super::{GuildMarker, Id, UserMarker};

    pub fn queue(guild: Id<GuildMarker>) -> String {
        format!("queue:{guild}")
    }

    pub fn settings(guild: Id<GuildMarker>) -> String {
        format!("settings:{guild}")
    }

    pub fn history(guild: Id<GuildMarker>) -> String {
        format!("hist:{guild}")
    }

    pub fn member_history(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
        format!("hist:{guild}:{user}")
    }

    pub fn prefs(user: Id<UserMarker>) -> String {
        format!("pref:{user}")
    }

    /// Known bots of a server (from their voice states), left out of vote counts.
    pub fn bots(guild: Id<GuildMarker>) -> String {
        format!("bots:{guild}")
    }

    /// A server's playlists (prefix, or one with `name` lowercased).
    pub fn server_playlists(guild: Id<GuildMarker>) -> String {
        format!("pl:g:{guild}:")
    }

    /// A member's playlists.
    pub fn member_playlists(user: Id<UserMarker>) -> String {
        format!("pl:u:{user}:")
    }

    /// The timer leaving a channel nobody listens in any more.
    pub fn alone_timer(guild: Id<GuildMarker>) -> String {
        format!("alone:{guild}")
    }

    /// The timer leaving after the queue ended and nothing played.
    pub fn idle_timer(guild: Id<GuildMarker>) -> String {
        format!("idle:{guild}")
    }
}
