//! Audio in voice channels, played by the host for this module (see
//! [`protocol::VoiceRequest`](crate::protocol::VoiceRequest)).
//!
//! ```no_run
//! # use arsenal_plugin_api::{Context, Result, protocol::AudioSource, model::id::Id};
//! # fn play(ctx: &Context) -> Result<()> {
//! let voice = ctx.voice();
//! voice.join(Id::new(1), Id::new(5))?;
//! let info = voice.play(Id::new(1), &AudioSource::Local { path: "intro.ogg".into() }, "q1", 0)?;
//! # let _ = info; Ok(()) }
//! ```
//!
//! The events of the connections this module owns arrive in
//! [`Plugin::on_voice`](crate::Plugin::on_voice).

use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker},
    Id,
};

use crate::{
    protocol::{op, AudioSource, TrackInfo, VoiceRequest, VoiceStatus},
    sdk::{Context, Result},
};

/// The host's voice connections, as this module may drive them.
#[derive(Debug, Clone)]
pub struct Voice {
    ctx: Context,
}

impl Voice {
    pub(crate) fn new(ctx: Context) -> Self {
        Self { ctx }
    }

    /// Joins (or moves to) `channel_id`; this module becomes the server's voice owner.
    ///
    /// # Errors
    ///
    /// When the bot may not connect there, or the connection did not come up in time.
    #[inline(never)]
    pub fn join(
        &self,
        guild_id: Id<GuildMarker>,
        channel_id: Id<ChannelMarker>,
    ) -> Result<VoiceStatus> {
        self.ctx.request(
            op::VOICE,
            &VoiceRequest::Join {
                guild_id,
                channel_id,
            },
        )
    }

    /// Leaves the server's voice channel (nothing happens when not connected).
    ///
    /// # Errors
    ///
    /// When another module owns the server's connection.
    #[inline(never)]
    pub fn leave(&self, guild_id: Id<GuildMarker>) -> Result<()> {
        self.ctx
            .request(op::VOICE, &VoiceRequest::Leave { guild_id })
    }

    /// Plays `source` from `start_ms`, replacing what played; `tag` comes back in its events.
    ///
    /// # Errors
    ///
    /// When not connected, or the source cannot be opened: a missing file, yt-dlp or ffmpeg
    /// not installed, a site refusing (the message says which).
    #[inline(never)]
    pub fn play(
        &self,
        guild_id: Id<GuildMarker>,
        source: &AudioSource,
        tag: &str,
        start_ms: u64,
    ) -> Result<TrackInfo> {
        self.ctx.request(
            op::VOICE,
            &VoiceRequest::Play {
                guild_id,
                source: source.clone(),
                tag: tag.to_owned(),
                start_ms,
            },
        )
    }

    /// Pauses the track.
    ///
    /// # Errors
    ///
    /// When nothing plays, or another module owns the connection.
    #[inline(never)]
    pub fn pause(&self, guild_id: Id<GuildMarker>) -> Result<()> {
        self.ctx
            .request(op::VOICE, &VoiceRequest::Pause { guild_id })
    }

    /// Resumes the paused track.
    ///
    /// # Errors
    ///
    /// As [`Voice::pause`].
    #[inline(never)]
    pub fn resume(&self, guild_id: Id<GuildMarker>) -> Result<()> {
        self.ctx
            .request(op::VOICE, &VoiceRequest::Resume { guild_id })
    }

    /// Stops the track (its `TrackEnded` event, reason `Stopped`, follows).
    ///
    /// # Errors
    ///
    /// As [`Voice::pause`].
    #[inline(never)]
    pub fn stop(&self, guild_id: Id<GuildMarker>) -> Result<()> {
        self.ctx
            .request(op::VOICE, &VoiceRequest::Stop { guild_id })
    }

    /// Moves to `position_ms` in the track.
    ///
    /// # Errors
    ///
    /// As [`Voice::pause`], and when the source cannot seek.
    #[inline(never)]
    pub fn seek(&self, guild_id: Id<GuildMarker>, position_ms: u64) -> Result<()> {
        self.ctx.request(
            op::VOICE,
            &VoiceRequest::Seek {
                guild_id,
                position_ms,
            },
        )
    }

    /// Sets the server's volume (0–200 %), kept for the next tracks.
    ///
    /// # Errors
    ///
    /// Past 200 %, or when another module owns the connection.
    #[inline(never)]
    pub fn set_volume(&self, guild_id: Id<GuildMarker>, percent: u16) -> Result<()> {
        self.ctx
            .request(op::VOICE, &VoiceRequest::Volume { guild_id, percent })
    }

    /// The server's connection and track, as the host sees them.
    ///
    /// # Errors
    ///
    /// When the host has no voice support.
    #[inline(never)]
    pub fn status(&self, guild_id: Id<GuildMarker>) -> Result<VoiceStatus> {
        self.ctx
            .request(op::VOICE, &VoiceRequest::Status { guild_id })
    }
}
