//! One server's voice state as the host holds it: the owning module, the channel, the
//! credentials Discord gave, songbird's driver, and the track playing.

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc, Mutex,
};

use arsenal_plugin_api::protocol::{AudioSource, EndReason, PlayingTrack, TrackInfo, VoiceStatus};
use songbird::{tracks::TrackHandle, Driver};
use twilight_model::id::{marker::ChannelMarker, Id};

/// The credentials Discord sent for a connection: VOICE_STATE_UPDATE's session, and
/// VOICE_SERVER_UPDATE's endpoint and token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Credentials {
    /// The bot's voice session, and the channel its voice state said it is in.
    pub session: Option<(String, Id<ChannelMarker>)>,
    /// `None` until a VOICE_SERVER_UPDATE with an endpoint came (a null endpoint means Discord
    /// is allocating a new server: wait for the next).
    pub server: Option<(String, String)>,
}

/// One server's connection.
pub(crate) struct GuildVoice {
    /// The module that last joined: the only one that may drive it and hears its events.
    pub owner: Arc<str>,
    /// The channel the bot is in or joining.
    pub channel: Id<ChannelMarker>,
    pub credentials: Credentials,
    pub driver: Driver,
    /// The driver's connection is up.
    pub connected: bool,
    pub track: Option<Playing>,
    pub volume: u16,
    /// Being restored after a restart: its saved record stays as it was until the track is
    /// back (a crash meanwhile must not lose it).
    pub restoring: bool,
}

/// The track a server plays.
pub(crate) struct Playing {
    pub handle: TrackHandle,
    pub tag: String,
    pub source: AudioSource,
    pub info: TrackInfo,
    pub paused: bool,
    /// The last position read from the mixer (the persistence tick), in ms.
    pub position_ms: u64,
    /// Set before the host stops the track itself, so its end event says why.
    pub ending: Ending,
}

/// Why the host is ending a track (unset: it finished or failed on its own). Shared with the
/// track's end handler.
#[derive(Clone, Default)]
pub(crate) struct Ending(Arc<Mutex<Option<EndReason>>>, Arc<AtomicBool>);

impl Ending {
    pub fn set(&self, reason: EndReason) {
        if let Ok(mut r) = self.0.lock() {
            r.get_or_insert(reason);
        }
    }

    /// Marks the end as reported already (the host reported it itself, e.g. on shutdown).
    pub fn silence(&self) {
        self.1.store(true, Ordering::Release);
    }

    pub fn silenced(&self) -> bool {
        self.1.load(Ordering::Acquire)
    }

    pub fn reason(&self) -> Option<EndReason> {
        self.0.lock().ok().and_then(|r| *r)
    }
}

impl GuildVoice {
    pub fn status(&self) -> VoiceStatus {
        VoiceStatus {
            channel_id: Some(self.channel),
            connected: self.connected,
            track: self.track.as_ref().map(Playing::describe),
            volume_percent: self.volume,
        }
    }
}

impl Playing {
    pub fn describe(&self) -> PlayingTrack {
        PlayingTrack {
            tag: self.tag.clone(),
            source: self.source.clone(),
            position_ms: self.position_ms,
            info: self.info.clone(),
            paused: self.paused,
        }
    }
}
