//! songbird's events turned into the modules' [`VoiceEvent`]s: a track's end (finished,
//! stopped, failed while playing) and the driver reconnecting or losing its connection; and
//! their delivery, in order, to the owning module through its queue (`kind::VOICE`), to
//! whichever version serves when they arrive.

use std::sync::{Arc, Weak};

use arsenal_plugin_api::protocol::{kind, EndReason, VoiceEventKind};
use async_trait::async_trait;
use songbird::{
    events::{context_data::DisconnectKind, Event, EventContext, EventHandler},
    tracks::PlayMode,
};
use twilight_model::id::{marker::GuildMarker, Id};

use super::{Inner, VoiceEvents};
use crate::plugins::PluginManager;

/// One track's end handler.
pub(super) struct TrackEnd {
    pub inner: Weak<Inner>,
    pub guild: Id<GuildMarker>,
    pub tag: String,
    /// Its handle (a track's events name it by its id).
    pub handle: songbird::tracks::TrackHandle,
    pub ending: super::guild::Ending,
}

#[async_trait]
impl EventHandler for TrackEnd {
    async fn act(&self, ctx: &EventContext<'_>) -> Option<Event> {
        let EventContext::Track(tracks) = ctx else {
            return None;
        };
        let (state, _) = tracks
            .iter()
            .find(|(_, h)| h.uuid() == self.handle.uuid())?;
        let inner = self.inner.upgrade()?;
        // The host stopping (a restart) or the host having reported this end itself.
        if inner.is_stopping() || self.ending.silenced() {
            return Some(Event::Cancel);
        }
        let position_ms = u64::try_from(state.position.as_millis()).unwrap_or(u64::MAX);
        let owner = {
            let mut guilds = inner.guilds();
            let g = guilds.get_mut(&self.guild)?;
            if g.track
                .as_ref()
                .is_some_and(|t| t.handle.uuid() == self.handle.uuid())
            {
                g.track = None;
            }
            Arc::clone(&g.owner)
        };
        inner.save(self.guild);
        let kind = match &state.playing {
            PlayMode::Errored(error) => VoiceEventKind::TrackFailed {
                tag: self.tag.clone(),
                error: format!("the track broke while playing: {error}"),
            },
            _ => VoiceEventKind::TrackEnded {
                tag: self.tag.clone(),
                reason: self.ending.reason().unwrap_or(EndReason::Finished),
                position_ms,
            },
        };
        inner.emit_to(owner, self.guild, kind);
        Some(Event::Cancel)
    }
}

/// A driver's connection events.
#[derive(Clone)]
pub(super) struct DriverEvents {
    pub inner: Weak<Inner>,
    pub guild: Id<GuildMarker>,
}

#[async_trait]
impl EventHandler for DriverEvents {
    async fn act(&self, ctx: &EventContext<'_>) -> Option<Event> {
        let inner = self.inner.upgrade()?;
        if inner.is_stopping() {
            return None;
        }
        match ctx {
            EventContext::DriverReconnect(_) => {
                let channel = {
                    let mut guilds = inner.guilds();
                    let g = guilds.get_mut(&self.guild)?;
                    g.connected = true;
                    g.channel
                };
                tracing::info!(guild = %self.guild, "voice connection back");
                inner.emit(
                    self.guild,
                    VoiceEventKind::Connected {
                        channel_id: channel,
                    },
                );
            }
            EventContext::DriverDisconnect(data) if data.kind == DisconnectKind::Runtime => {
                let was = inner
                    .guilds()
                    .get_mut(&self.guild)
                    .map(|g| std::mem::replace(&mut g.connected, false));
                tracing::warn!(guild = %self.guild, reason = ?data.reason, "voice connection lost");
                if was == Some(true) {
                    inner.emit(self.guild, VoiceEventKind::Disconnected);
                }
            }
            _ => {}
        }
        None
    }
}

/// Delivers voice events to their modules, one at a time in the order they happened, until
/// the service is gone. A module that fails or is not loaded loses only its own event (logged).
pub async fn deliver_events(manager: PluginManager, mut events: VoiceEvents) {
    while let Some((plugin, event)) = events.recv().await {
        let payload = match serde_json::to_string(&event) {
            Ok(payload) => payload,
            Err(e) => {
                tracing::error!(plugin = %plugin, "a voice event could not be encoded: {e}");
                continue;
            }
        };
        if let Err(error) = manager.call(&plugin, kind::VOICE, &payload).await {
            tracing::warn!(
                plugin = %plugin,
                guild = %event.guild_id,
                "a voice event was not handled: {:?}: {}",
                error.kind(),
                error.message
            );
        }
    }
}
