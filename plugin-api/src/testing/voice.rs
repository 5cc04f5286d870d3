//! Voice in a module's own tests: the harness plays the host's voice side as the host does it
//! (one owner per server, a track per server, the events a real connection sends), without
//! audio. Tests drive time forward with [`TestHarness::set_track_position`] and
//! [`TestHarness::finish_track`], and read what the module asked with
//! [`TestHarness::voice_requests`].

use std::collections::{BTreeMap, VecDeque};

use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker},
    Id,
};

use crate::{
    abi::{AbiError, ErrorCode},
    protocol::{
        kind, EndReason, PlayingTrack, TrackInfo, VoiceEvent, VoiceEventKind, VoiceRequest,
        VoiceStatus,
    },
    testing::TestHarness,
    Plugin,
};

/// One server's connection in the test host.
#[derive(Debug, Clone)]
struct GuildVoice {
    channel_id: Id<ChannelMarker>,
    track: Option<PlayingTrack>,
    volume_percent: u16,
}

/// The test host's voice side.
#[derive(Default)]
pub(super) struct VoiceHost {
    guilds: BTreeMap<Id<GuildMarker>, GuildVoice>,
    requests: Vec<VoiceRequest>,
    /// Events waiting to be delivered (the real host queues them behind the current call).
    pending: VecDeque<VoiceEvent>,
    /// What the next `Play` answers with instead of opening (a source that fails).
    fail_next_play: Option<String>,
    /// Tags (by prefix) whose every `Play` fails, with the message (a broken link in a queue).
    failing_tags: Vec<(String, String)>,
    /// What `Play` answers for a source's tag prefix (duration, title).
    infos: Vec<(String, TrackInfo)>,
}

fn refused(message: impl Into<String>) -> AbiError {
    AbiError::new(ErrorCode::Failed, message.into())
}

impl VoiceHost {
    fn status(&self, guild_id: Id<GuildMarker>) -> VoiceStatus {
        let guild = self.guilds.get(&guild_id);
        VoiceStatus {
            channel_id: guild.map(|g| g.channel_id),
            connected: guild.is_some(),
            track: guild.and_then(|g| g.track.clone()),
            volume_percent: guild.map_or(100, |g| g.volume_percent),
        }
    }

    fn event(&mut self, guild_id: Id<GuildMarker>, kind: VoiceEventKind) {
        self.pending.push_back(VoiceEvent { guild_id, kind });
    }

    /// Ends the server's track (if any) for `reason`.
    fn end_track(&mut self, guild_id: Id<GuildMarker>, reason: EndReason) {
        let ended = self
            .guilds
            .get_mut(&guild_id)
            .and_then(|guild| guild.track.take());
        if let Some(track) = ended {
            self.event(
                guild_id,
                VoiceEventKind::TrackEnded {
                    tag: track.tag,
                    reason,
                    position_ms: track.position_ms,
                },
            );
        }
    }

    /// Answers `request` as the host would, as JSON.
    pub(super) fn handle(&mut self, request: VoiceRequest) -> Result<String, AbiError> {
        self.requests.push(request.clone());
        let guild_id = request.guild_id();
        match request {
            VoiceRequest::Join { channel_id, .. } => {
                let guild = self.guilds.entry(guild_id).or_insert(GuildVoice {
                    channel_id,
                    track: None,
                    volume_percent: 100,
                });
                guild.channel_id = channel_id;
                self.event(guild_id, VoiceEventKind::Connected { channel_id });
                json(&self.status(guild_id))
            }
            VoiceRequest::Leave { .. } => {
                if self.guilds.contains_key(&guild_id) {
                    self.end_track(guild_id, EndReason::Left);
                    self.guilds.remove(&guild_id);
                    self.event(guild_id, VoiceEventKind::Disconnected);
                }
                Ok("null".to_owned())
            }
            VoiceRequest::Play {
                source,
                tag,
                start_ms,
                ..
            } => {
                if !self.guilds.contains_key(&guild_id) {
                    return Err(refused(
                        "the bot is not in a voice channel of this server: join one first",
                    ));
                }
                if let Some(error) = self.fail_next_play.take() {
                    return Err(refused(error));
                }
                let failing = self
                    .failing_tags
                    .iter()
                    .find(|(prefix, _)| tag.starts_with(prefix.as_str()));
                if let Some((_, error)) = failing {
                    return Err(refused(error.clone()));
                }
                self.end_track(guild_id, EndReason::Stopped);
                let info = self
                    .infos
                    .iter()
                    .find(|(prefix, _)| tag.starts_with(prefix.as_str()))
                    .map(|(_, info)| info.clone())
                    .unwrap_or_default();
                if let Some(guild) = self.guilds.get_mut(&guild_id) {
                    guild.track = Some(PlayingTrack {
                        tag: tag.clone(),
                        source,
                        position_ms: start_ms,
                        info: info.clone(),
                        paused: false,
                    });
                }
                self.event(
                    guild_id,
                    VoiceEventKind::TrackStarted {
                        tag,
                        info: info.clone(),
                    },
                );
                json(&info)
            }
            VoiceRequest::Pause { .. } | VoiceRequest::Resume { .. } => {
                let paused = matches!(request, VoiceRequest::Pause { .. });
                match self.track_mut(guild_id) {
                    Some(track) => track.paused = paused,
                    None => return Err(refused("nothing is playing in this server")),
                }
                Ok("null".to_owned())
            }
            VoiceRequest::Stop { .. } => {
                self.end_track(guild_id, EndReason::Stopped);
                Ok("null".to_owned())
            }
            VoiceRequest::Seek { position_ms, .. } => {
                match self.track_mut(guild_id) {
                    Some(track) => track.position_ms = position_ms,
                    None => return Err(refused("nothing is playing in this server")),
                }
                Ok("null".to_owned())
            }
            VoiceRequest::Volume { percent, .. } => {
                if percent > 200 {
                    return Err(AbiError::new(
                        ErrorCode::Invalid,
                        format!("volume {percent}% is out of range (0–200)"),
                    ));
                }
                match self.guilds.get_mut(&guild_id) {
                    Some(guild) => guild.volume_percent = percent,
                    None => {
                        return Err(refused("the bot is not in a voice channel of this server"))
                    }
                }
                Ok("null".to_owned())
            }
            VoiceRequest::Status { .. } => json(&self.status(guild_id)),
        }
    }

    fn track_mut(&mut self, guild_id: Id<GuildMarker>) -> Option<&mut PlayingTrack> {
        self.guilds.get_mut(&guild_id)?.track.as_mut()
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, AbiError> {
    serde_json::to_string(value).map_err(|e| AbiError::new(ErrorCode::Invalid, e.to_string()))
}

impl<P: Plugin> TestHarness<P> {
    /// The voice actions the module asked for, in order.
    #[must_use]
    pub fn voice_requests(&self) -> Vec<VoiceRequest> {
        self.host.lock().voice.requests.clone()
    }

    /// The server's connection as the test host sees it.
    #[must_use]
    pub fn voice_status(&self, guild_id: Id<GuildMarker>) -> VoiceStatus {
        self.host.lock().voice.status(guild_id)
    }

    /// The next `play` fails with `message` (a missing file, a site refusing).
    pub fn fail_next_play(&self, message: &str) {
        self.host.lock().voice.fail_next_play = Some(message.to_owned());
    }

    /// Every `play` of a track whose tag starts with `tag_prefix` fails with `message`, until
    /// the test ends (several broken links in a queue; [`Self::fail_next_play`] fails one play).
    pub fn fail_plays_of(&self, tag_prefix: &str, message: &str) {
        self.host
            .lock()
            .voice
            .failing_tags
            .push((tag_prefix.to_owned(), message.to_owned()));
    }

    /// Tracks whose tag starts with `tag_prefix` open with `info` (duration, title).
    pub fn set_track_info(&self, tag_prefix: &str, info: TrackInfo) {
        self.host
            .lock()
            .voice
            .infos
            .push((tag_prefix.to_owned(), info));
    }

    /// Moves the server's playing track to `position_ms`, as time passing would.
    pub fn set_track_position(&self, guild_id: Id<GuildMarker>, position_ms: u64) {
        if let Some(track) = self.host.lock().voice.track_mut(guild_id) {
            track.position_ms = position_ms;
        }
    }

    /// The bot is moved out of its channel or kicked by someone: the track ends with
    /// [`EndReason::Left`] and [`VoiceEventKind::Disconnected`] follows (delivered now).
    ///
    /// # Errors
    ///
    /// The module's error or panic in `on_voice`.
    pub fn disconnect_voice(&mut self, guild_id: Id<GuildMarker>) -> Result<(), AbiError> {
        {
            let mut state = self.host.lock();
            state.voice.end_track(guild_id, EndReason::Left);
            if state.voice.guilds.remove(&guild_id).is_some() {
                state.voice.event(guild_id, VoiceEventKind::Disconnected);
            }
        }
        self.deliver_voice_events()
    }

    /// The server's track plays to its end: [`VoiceEventKind::TrackEnded`] with
    /// [`EndReason::Finished`], delivered with every event still waiting.
    ///
    /// # Errors
    ///
    /// The module's error or panic in `on_voice`.
    pub fn finish_track(&mut self, guild_id: Id<GuildMarker>) -> Result<(), AbiError> {
        {
            let mut state = self.host.lock();
            if let Some(track) = state.voice.track_mut(guild_id) {
                track.position_ms = track.info.duration_ms.unwrap_or(track.position_ms);
            }
            state.voice.end_track(guild_id, EndReason::Finished);
        }
        self.deliver_voice_events()
    }

    /// Delivers the voice events waiting (`TrackStarted` after a `play`, `TrackEnded` after a
    /// `stop`…) to the module's `on_voice`, in order, as the host's queue would.
    ///
    /// # Errors
    ///
    /// The first error or panic of `on_voice`; the events after it stay queued.
    pub fn deliver_voice_events(&mut self) -> Result<(), AbiError> {
        loop {
            let Some(event) = self.host.lock().voice.pending.pop_front() else {
                return Ok(());
            };
            let _: Option<()> = self.typed(kind::VOICE, &event)?;
        }
    }

    /// Delivers one voice event now (after those waiting).
    ///
    /// # Errors
    ///
    /// The module's error or panic in `on_voice`.
    pub fn voice_event(
        &mut self,
        guild_id: Id<GuildMarker>,
        kind: VoiceEventKind,
    ) -> Result<(), AbiError> {
        self.host.lock().voice.event(guild_id, kind);
        self.deliver_voice_events()
    }
}
