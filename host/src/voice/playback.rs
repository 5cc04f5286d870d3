//! What plays: `Play` (the source opened first, so its failure answers the request), pause,
//! resume, stop, seek and volume on the server's track.

use std::{sync::Arc, time::Duration};

use arsenal_plugin_api::protocol::{AudioSource, EndReason, TrackInfo, VoiceEventKind};
use songbird::events::{Event, TrackEvent};
use twilight_model::id::{marker::GuildMarker, Id};

use super::{
    error::{VoiceError, VoiceErrorKind},
    events::TrackEnd,
    guild::{Ending, Playing},
    Inner,
};

/// The loudest volume a module may set, in percent.
pub const MAX_VOLUME: u16 = 200;

impl Inner {
    /// Replaces what `guild` plays with `source`, from `start_ms`.
    pub(super) async fn play(
        self: &Arc<Self>,
        guild: Id<GuildMarker>,
        source: AudioSource,
        tag: String,
        start_ms: u64,
    ) -> Result<TrackInfo, VoiceError> {
        if !self.guilds().contains_key(&guild) {
            return Err(VoiceError::not_connected());
        }
        let opened = self.sources.open(&source).await?;
        let (owner, replaced) = {
            let mut guilds = self.guilds();
            let g = guilds
                .get_mut(&guild)
                .ok_or_else(VoiceError::not_connected)?;
            let replaced = g.track.take();
            if let Some(old) = &replaced {
                // Reported here, before the new track's start, so the module sees them in order.
                old.ending.silence();
                let _ = old.handle.stop();
            }
            let handle = g.driver.play_only_input(opened.input);
            let _ = handle.set_volume(f32::from(g.volume) / 100.0);
            let ending = Ending::default();
            let _ = handle.add_event(
                Event::Track(TrackEvent::End),
                TrackEnd {
                    inner: Arc::downgrade(self),
                    guild,
                    tag: tag.clone(),
                    handle: handle.clone(),
                    ending: ending.clone(),
                },
            );
            if start_ms > 0 {
                // Answered later by the mixer; a source that cannot seek plays from its start.
                let _ = handle.seek(Duration::from_millis(start_ms));
            }
            g.track = Some(Playing {
                handle,
                tag: tag.clone(),
                source,
                info: opened.info.clone(),
                paused: false,
                position_ms: start_ms,
                ending,
            });
            (Arc::clone(&g.owner), replaced)
        };
        if let Some(old) = replaced {
            self.emit_to(
                Arc::clone(&owner),
                guild,
                VoiceEventKind::TrackEnded {
                    tag: old.tag,
                    reason: EndReason::Stopped,
                    position_ms: old.position_ms,
                },
            );
        }
        self.save(guild);
        self.emit_to(
            owner,
            guild,
            VoiceEventKind::TrackStarted {
                tag,
                info: opened.info.clone(),
            },
        );
        Ok(opened.info)
    }

    /// Pauses (`true`) or resumes `guild`'s track.
    pub(super) fn set_paused(
        &self,
        guild: Id<GuildMarker>,
        paused: bool,
    ) -> Result<(), VoiceError> {
        {
            let mut guilds = self.guilds();
            let track = guilds
                .get_mut(&guild)
                .ok_or_else(VoiceError::not_connected)?
                .track
                .as_mut()
                .ok_or_else(VoiceError::nothing_playing)?;
            let done = if paused {
                track.handle.pause()
            } else {
                track.handle.play()
            };
            done.map_err(|e| {
                VoiceError::new(
                    VoiceErrorKind::NotConnected,
                    format!("the track already ended ({e})"),
                )
            })?;
            track.paused = paused;
        }
        self.save(guild);
        Ok(())
    }

    /// Stops `guild`'s track; its end handler reports `TrackEnded` with `Stopped`.
    pub(super) fn stop(&self, guild: Id<GuildMarker>) -> Result<(), VoiceError> {
        let track = self
            .guilds()
            .get_mut(&guild)
            .ok_or_else(VoiceError::not_connected)?
            .track
            .take();
        if let Some(track) = track {
            track.ending.set(EndReason::Stopped);
            if track.handle.stop().is_err() {
                // Already ended on its own: its end was (or is being) reported.
                tracing::debug!(%guild, "stop: the track had already ended");
            }
        }
        self.save(guild);
        Ok(())
    }

    /// Moves `guild`'s track to `position_ms`.
    pub(super) async fn seek(
        &self,
        guild: Id<GuildMarker>,
        position_ms: u64,
    ) -> Result<(), VoiceError> {
        let handle = self
            .guilds()
            .get(&guild)
            .ok_or_else(VoiceError::not_connected)?
            .track
            .as_ref()
            .map(|t| t.handle.clone())
            .ok_or_else(VoiceError::nothing_playing)?;
        let reached = handle
            .seek_async(Duration::from_millis(position_ms))
            .await
            .map_err(|e| {
                VoiceError::new(
                    VoiceErrorKind::Source,
                    format!("this track cannot move to {}: {e}", clock(position_ms)),
                )
            })?;
        if let Some(track) = self.guilds().get_mut(&guild).and_then(|g| g.track.as_mut()) {
            track.position_ms = u64::try_from(reached.as_millis()).unwrap_or(u64::MAX);
        }
        self.save(guild);
        Ok(())
    }

    /// Sets `guild`'s volume (kept for its next tracks).
    pub(super) fn volume(&self, guild: Id<GuildMarker>, percent: u16) -> Result<(), VoiceError> {
        if percent > MAX_VOLUME {
            return Err(VoiceError::new(
                VoiceErrorKind::Invalid,
                format!("volume {percent}% is out of range (0–{MAX_VOLUME})"),
            ));
        }
        {
            let mut guilds = self.guilds();
            let g = guilds
                .get_mut(&guild)
                .ok_or_else(VoiceError::not_connected)?;
            g.volume = percent;
            if let Some(track) = &g.track {
                let _ = track.handle.set_volume(f32::from(percent) / 100.0);
            }
        }
        self.save(guild);
        Ok(())
    }
}

/// `m:ss`, for messages.
fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}
