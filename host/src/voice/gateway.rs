//! Joining and leaving: op 4 through the shard owning the server, the bot's own
//! VOICE_STATE_UPDATE and the VOICE_SERVER_UPDATE collected from the gateway, then songbird's
//! driver connected with them. Also what Discord does on its own: the voice server moving (a
//! new VOICE_SERVER_UPDATE: reconnect), the bot moved or disconnected by a member.

use std::sync::{atomic::Ordering, Arc};

use arsenal_plugin_api::protocol::{EndReason, VoiceEventKind, VoiceStatus};
use songbird::{
    events::{CoreEvent, Event},
    ConnectionInfo, Driver,
};
use twilight_model::{
    channel::ChannelType,
    gateway::payload::outgoing::UpdateVoiceState,
    id::{
        marker::{ChannelMarker, GuildMarker, UserMarker},
        Id,
    },
};

use super::{
    error::{VoiceError, VoiceErrorKind},
    events::DriverEvents,
    guild::{Credentials, GuildVoice},
    Inner, VoiceService, CONNECT_TIMEOUT, JOIN_TIMEOUT,
};

impl VoiceService {
    /// A VOICE_STATE_UPDATE from the gateway: the bot's own carry its voice session (and
    /// tell when it was moved or disconnected by someone else); others are ignored here.
    pub fn voice_state(
        &self,
        guild: Id<GuildMarker>,
        user: Id<UserMarker>,
        channel: Option<Id<ChannelMarker>>,
        session_id: &str,
    ) {
        if user != self.inner.link.bot_user_id {
            return;
        }
        self.inner.voice_state(guild, channel, session_id);
    }

    /// A VOICE_SERVER_UPDATE from the gateway.
    pub fn voice_server(&self, guild: Id<GuildMarker>, endpoint: Option<&str>, token: &str) {
        let reconnect = {
            let mut guilds = self.inner.guilds();
            let Some(g) = guilds.get_mut(&guild) else {
                return;
            };
            match endpoint {
                None => {
                    // Discord is allocating a new voice server; the next update carries it.
                    tracing::info!(%guild, "the voice server went away; waiting for the next one");
                    g.credentials.server = None;
                    false
                }
                Some(endpoint) => {
                    let server = Some((endpoint.to_owned(), token.to_owned()));
                    let moved = g.credentials.server != server;
                    g.credentials.server = server;
                    moved && g.connected
                }
            }
        };
        self.inner.updates.send_modify(|n| *n += 1);
        if reconnect {
            tracing::info!(%guild, "the voice server moved; reconnecting the driver");
            let inner = Arc::clone(&self.inner);
            tokio::spawn(async move {
                let deadline = tokio::time::Instant::now() + CONNECT_TIMEOUT;
                if let Err(e) = inner.connect_driver(guild, deadline).await {
                    tracing::warn!(%guild, "reconnecting to the new voice server failed: {e}");
                }
            });
        }
    }
}

impl Inner {
    fn voice_state(
        &self,
        guild: Id<GuildMarker>,
        channel: Option<Id<ChannelMarker>>,
        session_id: &str,
    ) {
        let mut moved = None;
        let gone = {
            let mut guilds = self.guilds();
            let Some(g) = guilds.get_mut(&guild) else {
                return;
            };
            match channel {
                Some(channel) => {
                    g.credentials.session = Some((session_id.to_owned(), channel));
                    if g.connected && g.channel != channel {
                        g.channel = channel;
                        moved = Some((Arc::clone(&g.owner), channel));
                    }
                    None
                }
                // Disconnected by a member, or the channel deleted. A null state arriving
                // before this join's own (the answer to an earlier leave) is not about it.
                None if g.credentials.session.is_some() => guilds.remove(&guild),
                None => None,
            }
        };
        self.updates.send_modify(|n| *n += 1);
        if let Some((owner, channel)) = moved {
            tracing::info!(%guild, %channel, "the bot was moved to another voice channel");
            self.save(guild);
            self.emit_to(
                owner,
                guild,
                VoiceEventKind::Connected {
                    channel_id: channel,
                },
            );
        }
        if let Some(g) = gone {
            tracing::info!(%guild, "the bot was disconnected from voice");
            self.forget(guild, g);
        }
    }

    /// Joins `channel` for `plugin` (owner from now on) and connects the driver.
    pub(super) async fn join(
        self: &Arc<Self>,
        plugin: &str,
        guild: Id<GuildMarker>,
        channel: Id<ChannelMarker>,
        restoring: bool,
    ) -> Result<VoiceStatus, VoiceError> {
        self.check_channel(guild, channel)?;
        let mut updates = self.updates.subscribe();
        let connected = {
            let mut guilds = self.guilds();
            match guilds.get_mut(&guild) {
                Some(g) if g.channel == channel && g.connected => {
                    g.owner = Arc::from(plugin);
                    Some(g.status())
                }
                Some(g) => {
                    g.owner = Arc::from(plugin);
                    g.channel = channel;
                    g.credentials.session = None;
                    None
                }
                None => {
                    let mut driver = Driver::new(self.config.clone());
                    let events = DriverEvents {
                        inner: Arc::downgrade(self),
                        guild,
                    };
                    driver
                        .add_global_event(Event::Core(CoreEvent::DriverReconnect), events.clone());
                    driver.add_global_event(Event::Core(CoreEvent::DriverDisconnect), events);
                    guilds.insert(
                        guild,
                        GuildVoice {
                            owner: Arc::from(plugin),
                            channel,
                            credentials: Credentials::default(),
                            driver,
                            connected: false,
                            track: None,
                            volume: 100,
                            restoring,
                        },
                    );
                    None
                }
            }
        };
        if let Some(status) = connected {
            self.save(guild);
            return Ok(status);
        }
        let deadline = tokio::time::Instant::now() + JOIN_TIMEOUT;
        let joined = async {
            self.send_voice_state(guild, Some(channel))?;
            let waited = tokio::time::timeout_at(deadline, async {
                loop {
                    if self.credentials_ready(guild, channel) {
                        return;
                    }
                    if updates.changed().await.is_err() {
                        return;
                    }
                }
            })
            .await;
            if waited.is_err() || !self.credentials_ready(guild, channel) {
                let missing = self.guilds().get(&guild).map(|g| g.credentials.clone());
                let what = match missing {
                    Some(Credentials { session: None, .. }) => "did not put the bot in the channel",
                    Some(Credentials { server: None, .. }) => "gave no voice server (no endpoint)",
                    _ => "did not answer",
                };
                return Err(VoiceError::new(
                    VoiceErrorKind::Timeout,
                    format!("Discord {what} within {:.1} s: check that the bot may see and Connect to <#{channel}> and that the channel is not full", JOIN_TIMEOUT.as_secs_f32()),
                ));
            }
            self.connect_driver(guild, deadline).await
        }
        .await;
        match joined {
            Ok(()) => {
                let status = {
                    let mut guilds = self.guilds();
                    let Some(g) = guilds.get_mut(&guild) else {
                        return Err(VoiceError::new(
                            VoiceErrorKind::NotConnected,
                            "the bot was disconnected while joining",
                        ));
                    };
                    g.connected = true;
                    g.status()
                };
                self.save(guild);
                self.emit(
                    guild,
                    VoiceEventKind::Connected {
                        channel_id: channel,
                    },
                );
                Ok(status)
            }
            Err(error) => {
                // Nothing half-joined stays behind: the driver goes, and Discord is told.
                if let Some(g) = self.guilds().remove(&guild) {
                    drop(g);
                }
                let _ = self.send_voice_state(guild, None);
                if !restoring {
                    self.persist.write(guild, None);
                }
                Err(error)
            }
        }
    }

    /// Stops the audio and leaves `guild`'s channel.
    pub(super) fn leave(&self, guild: Id<GuildMarker>) {
        let removed = self.guilds().remove(&guild);
        if let Some(g) = removed {
            if let Err(e) = self.send_voice_state(guild, None) {
                tracing::warn!(%guild, "telling Discord the bot left voice failed: {e}");
            }
            self.forget(guild, g);
        }
    }

    /// Ends a connection that is gone (left, disconnected by someone): its track ends with
    /// `Left`, its owner hears `Disconnected`, its record goes.
    fn forget(&self, guild: Id<GuildMarker>, mut g: GuildVoice) {
        self.persist.write(guild, None);
        if let Some(track) = g.track.take() {
            track.ending.silence();
            let _ = track.handle.stop();
            self.emit_to(
                Arc::clone(&g.owner),
                guild,
                VoiceEventKind::TrackEnded {
                    tag: track.tag,
                    reason: EndReason::Left,
                    position_ms: track.position_ms,
                },
            );
        }
        g.driver.leave();
        self.emit_to(Arc::clone(&g.owner), guild, VoiceEventKind::Disconnected);
    }

    fn credentials_ready(&self, guild: Id<GuildMarker>, channel: Id<ChannelMarker>) -> bool {
        self.guilds().get(&guild).is_some_and(|g| {
            g.credentials.server.is_some()
                && g.credentials
                    .session
                    .as_ref()
                    .is_some_and(|(_, c)| *c == channel)
        })
    }

    /// Connects (or reconnects) `guild`'s driver with the credentials Discord gave.
    pub(super) async fn connect_driver(
        &self,
        guild: Id<GuildMarker>,
        deadline: tokio::time::Instant,
    ) -> Result<(), VoiceError> {
        let connecting = {
            let mut guilds = self.guilds();
            let g = guilds
                .get_mut(&guild)
                .ok_or_else(VoiceError::not_connected)?;
            let (Some((session_id, channel)), Some((endpoint, token))) =
                (g.credentials.session.clone(), g.credentials.server.clone())
            else {
                return Err(VoiceError::new(
                    VoiceErrorKind::NotConnected,
                    "Discord has not sent this server's voice credentials yet",
                ));
            };
            g.driver.connect(ConnectionInfo {
                channel_id: channel.into_nonzero().into(),
                endpoint,
                guild_id: guild.into_nonzero().into(),
                session_id,
                token,
                user_id: self.link.bot_user_id.into_nonzero().into(),
            })
        };
        match tokio::time::timeout_at(deadline, connecting).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(VoiceError::new(
                VoiceErrorKind::Source,
                format!("the voice server refused the connection: {e}"),
            )),
            Err(_) => Err(VoiceError::new(
                VoiceErrorKind::Timeout,
                "the voice server did not accept the connection in time".to_owned(),
            )),
        }
    }

    /// Sends op 4 through the shard owning `guild`.
    fn send_voice_state(
        &self,
        guild: Id<GuildMarker>,
        channel: Option<Id<ChannelMarker>>,
    ) -> Result<(), VoiceError> {
        let shard = shard_of(guild, self.link.total_shards);
        let sender = self
            .link
            .senders
            .read()
            .ok()
            .and_then(|s| s.get(&shard).cloned());
        let Some(sender) = sender else {
            return Err(VoiceError::new(
                VoiceErrorKind::Unavailable,
                format!("shard {shard}, which serves this server, is not connected to Discord yet; try again in a moment"),
            ));
        };
        // Deafened: the bot never listens, and members see that it does not.
        sender
            .command(&UpdateVoiceState::new(guild, channel, true, false))
            .map_err(|e| {
                VoiceError::new(
                    VoiceErrorKind::Unavailable,
                    format!("shard {shard} could not send the voice request to Discord: {e}"),
                )
            })
    }

    /// Refuses a channel the cache does not know in `guild`, or one that is not a voice or
    /// stage channel.
    fn check_channel(
        &self,
        guild: Id<GuildMarker>,
        channel: Id<ChannelMarker>,
    ) -> Result<(), VoiceError> {
        let Some(found) = self.link.cache.channel(channel) else {
            return Err(VoiceError::new(
                VoiceErrorKind::Invalid,
                format!("there is no channel {channel} in this server"),
            ));
        };
        if found.guild_id != Some(guild) {
            return Err(VoiceError::new(
                VoiceErrorKind::Invalid,
                format!("there is no channel {channel} in this server"),
            ));
        }
        if !matches!(
            found.kind,
            ChannelType::GuildVoice | ChannelType::GuildStageVoice
        ) {
            return Err(VoiceError::new(
                VoiceErrorKind::Invalid,
                format!("<#{channel}> is not a voice channel"),
            ));
        }
        Ok(())
    }

    pub(super) fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }
}

/// The shard serving `guild` in a bot of `total` shards (Discord's formula).
pub(crate) fn shard_of(guild: Id<GuildMarker>, total: u32) -> u32 {
    let total = u64::from(total.max(1));
    u32::try_from((guild.get() >> 22) % total).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_is_served_by_the_shard_discord_computes() {
        // (id >> 22) % total, computed by hand.
        let guild = Id::new(41_771_983_423_143_937);
        assert_eq!(shard_of(guild, 2), 0);
        assert_eq!(shard_of(guild, 5), 4); // 9_959_216_934 % 5
        assert_eq!(shard_of(Id::new(5 << 22), 4), 1);
        assert_eq!(shard_of(Id::new(5 << 22), 0), 0, "no shard count: shard 0");
    }
}
