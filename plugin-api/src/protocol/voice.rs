//! Voice: who is connected where (read from the host's gateway cache), and the audio the host
//! plays for a module.
//!
//! The host owns every voice connection and the audio driver (a plugin holds no socket and no
//! thread): a module asks it to join, play, pause, seek… with [`VoiceRequest`] (operation
//! [`op::VOICE`](super::op::VOICE)), and hears back with [`VoiceEvent`]s (call kind
//! [`kind::VOICE`](super::kind::VOICE)). The module that last joined a server's voice channel
//! owns that server's connection: only it may drive it, and only it receives its events. Audio
//! keeps playing while its module is reloaded; after a restart the host rejoins and resumes
//! the track where it was.

use serde::{Deserialize, Serialize};
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, UserMarker},
    Id,
};

/// One member connected to a voice channel (the answer of
/// [`DiscordRequest::GetVoiceStates`](super::DiscordRequest::GetVoiceStates); Discord has no
/// REST route listing a guild's voice states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceConnection {
    /// The member.
    pub user_id: Id<UserMarker>,
    /// The voice channel they are in.
    pub channel_id: Id<ChannelMarker>,
    /// Whether they are a bot (as far as the host's cache knows the user).
    #[serde(default)]
    pub bot: bool,
}

/// Where a track's audio comes from. The host opens it; a module never reads files or sockets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AudioSource {
    /// A file in the host's music folder (`music_folder` setting), by a path relative to it
    /// (no `..`, no absolute path).
    Local {
        /// E.g. `albums/intro.ogg`.
        path: String,
    },
    /// A file attached to a Discord message (its CDN URL, fetched by the host).
    Attachment {
        /// The attachment's URL.
        url: String,
        /// Its file name, for titles.
        #[serde(default)]
        filename: String,
    },
    /// A web page or media URL, resolved by yt-dlp on the host (when installed).
    Url {
        /// `https://…`
        url: String,
    },
    /// A search, resolved by yt-dlp to its first result (when installed).
    Search {
        /// The words searched.
        query: String,
    },
}

/// A voice action, for one server. Answers: `null` unless said otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[non_exhaustive]
pub enum VoiceRequest {
    /// Joins (or moves to) a voice channel; this module becomes the server's voice owner.
    /// Answers once the connection is up → [`VoiceStatus`].
    Join {
        /// The server.
        guild_id: Id<GuildMarker>,
        /// The voice or stage channel.
        channel_id: Id<ChannelMarker>,
    },
    /// Stops the audio and leaves the server's voice channel.
    Leave {
        /// The server.
        guild_id: Id<GuildMarker>,
    },
    /// Replaces what plays with `source` (the connection must be up) → [`TrackInfo`] once
    /// the source opened: its duration and title, when the source tells them.
    Play {
        /// The server.
        guild_id: Id<GuildMarker>,
        /// What to play.
        source: AudioSource,
        /// The module's own name for this track (a queue entry id), echoed in its events.
        #[serde(default)]
        tag: String,
        /// Where to start, in milliseconds (a track resumed after a restart).
        #[serde(default)]
        start_ms: u64,
    },
    /// Pauses the track.
    Pause {
        /// The server.
        guild_id: Id<GuildMarker>,
    },
    /// Resumes a paused track.
    Resume {
        /// The server.
        guild_id: Id<GuildMarker>,
    },
    /// Stops the track (a [`VoiceEventKind::TrackEnded`] with [`EndReason::Stopped`] follows).
    Stop {
        /// The server.
        guild_id: Id<GuildMarker>,
    },
    /// Moves in the track.
    Seek {
        /// The server.
        guild_id: Id<GuildMarker>,
        /// Where, in milliseconds from the start.
        position_ms: u64,
    },
    /// Sets the volume of this server's audio, 0–200 % (kept for the next tracks).
    Volume {
        /// The server.
        guild_id: Id<GuildMarker>,
        /// 100 is the source's own level.
        percent: u16,
    },
    /// What the server's connection is doing → [`VoiceStatus`].
    Status {
        /// The server.
        guild_id: Id<GuildMarker>,
    },
}

impl VoiceRequest {
    /// The server the request is for.
    #[must_use]
    pub fn guild_id(&self) -> Id<GuildMarker> {
        match self {
            Self::Join { guild_id, .. }
            | Self::Leave { guild_id }
            | Self::Play { guild_id, .. }
            | Self::Pause { guild_id }
            | Self::Resume { guild_id }
            | Self::Stop { guild_id }
            | Self::Seek { guild_id, .. }
            | Self::Volume { guild_id, .. }
            | Self::Status { guild_id } => *guild_id,
        }
    }
}

/// What a source told about itself when it opened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackInfo {
    /// Its length, when known (not for live streams).
    #[serde(default)]
    pub duration_ms: Option<u64>,
    /// Its title, when the source has one (tags, the page's title).
    #[serde(default)]
    pub title: Option<String>,
}

/// The track a server's connection is playing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayingTrack {
    /// The module's tag given to [`VoiceRequest::Play`].
    pub tag: String,
    /// Its source.
    pub source: AudioSource,
    /// How far it played, in milliseconds.
    pub position_ms: u64,
    /// Its length and title.
    #[serde(default)]
    pub info: TrackInfo,
    /// Whether it is paused.
    #[serde(default)]
    pub paused: bool,
}

/// A server's voice connection, as the host sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceStatus {
    /// The voice channel the bot is in (or joining), if any.
    #[serde(default)]
    pub channel_id: Option<Id<ChannelMarker>>,
    /// Whether the voice connection is up.
    #[serde(default)]
    pub connected: bool,
    /// What plays.
    #[serde(default)]
    pub track: Option<PlayingTrack>,
    /// The volume, in percent.
    pub volume_percent: u16,
}

/// Why a track stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EndReason {
    /// It played to its end.
    Finished,
    /// [`VoiceRequest::Stop`], or another [`VoiceRequest::Play`] replaced it.
    Stopped,
    /// The bot left the channel (a [`VoiceRequest::Leave`], a kick, the channel deleted).
    Left,
}

/// Something that happened to a server's audio; delivered to the module owning the connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceEvent {
    /// The server.
    pub guild_id: Id<GuildMarker>,
    /// What happened.
    #[serde(flatten)]
    pub kind: VoiceEventKind,
}

/// The events of [`VoiceEvent`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum VoiceEventKind {
    /// A track began playing (also when the host resumed it after a restart).
    TrackStarted {
        /// Its tag.
        tag: String,
        /// Its length and title.
        #[serde(default)]
        info: TrackInfo,
    },
    /// A track stopped.
    TrackEnded {
        /// Its tag.
        tag: String,
        /// Why.
        reason: EndReason,
        /// How far it played.
        #[serde(default)]
        position_ms: u64,
    },
    /// A track could not be opened or broke while playing (a missing file, yt-dlp not
    /// installed, a site refusing): the message says which, for the member.
    TrackFailed {
        /// Its tag.
        tag: String,
        /// What went wrong, readable.
        error: String,
    },
    /// The connection is up in `channel_id`.
    Connected {
        /// The channel.
        channel_id: Id<ChannelMarker>,
    },
    /// The connection is gone (left, kicked, channel deleted, or lost for good).
    Disconnected,
}
