//! The test-facing side of the voice server ([`crate::Simulator::voice`]): the CA file to trust,
//! what each guild's sender delivered, waits, and faults.

use super::{stream::Stream, Received, VoiceServer};
use crate::lock;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, UserMarker},
    Id,
};

/// A handle on the simulator's voice server (cheap to clone).
#[derive(Clone)]
pub struct VoiceHandle {
    pub(crate) server: Arc<VoiceServer>,
}

/// One guild's voice session as the server sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoiceSession {
    pub channel: Id<ChannelMarker>,
    pub user: Id<UserMarker>,
    pub ssrc: u32,
    /// A WebSocket is attached (false between a drop and the client's RESUME).
    pub connected: bool,
    /// SESSION_DESCRIPTION was sent (the client may send audio).
    pub described: bool,
    /// The address IP discovery saw.
    pub udp_peer: Option<SocketAddr>,
    /// The mode SELECT_PROTOCOL chose.
    pub mode: Option<String>,
    /// The last op 5 SPEAKING bits (songbird clears them when its track ends).
    pub speaking: u64,
    /// Every SPEAKING bit announced during the session.
    pub spoke: u64,
    pub resumes: u32,
}

impl VoiceHandle {
    /// The PEM file of the test CA that issued the voice gateway's certificate (for
    /// `SSL_CERT_FILE`; the same file for every simulator of the process).
    pub fn ca_file(&self) -> &Path {
        &self.server.ca_file
    }

    /// `localhost:<port>`: the `endpoint` VOICE_SERVER_UPDATE carries.
    pub fn endpoint(&self) -> String {
        self.server.endpoint()
    }

    /// The UDP address READY announces.
    pub fn udp_addr(&self) -> SocketAddr {
        self.server.udp_addr
    }

    /// What `guild`'s sender delivered so far (`None` before its first packet).
    pub fn received(&self, guild: Id<GuildMarker>) -> Option<Received> {
        let late_after = self.server.late_after();
        lock(&self.server.state)
            .streams
            .get(&guild.get())
            .map(|s| s.summary(late_after))
    }

    /// `guild`'s decoded audio: mono (both channels averaged), 48 kHz, full scale 1.0.
    pub fn decoded_audio(&self, guild: Id<GuildMarker>) -> Vec<f32> {
        lock(&self.server.state)
            .streams
            .get(&guild.get())
            .map(Stream::decoded_audio)
            .unwrap_or_default()
    }

    /// `guild`'s current session, if the bot identified and has not left.
    pub fn session(&self, guild: Id<GuildMarker>) -> Option<VoiceSession> {
        let state = lock(&self.server.state);
        let s = state.sessions.get(&guild.get())?;
        Some(VoiceSession {
            channel: Id::new(s.grant.channel),
            user: Id::new(s.grant.user),
            ssrc: s.ssrc,
            connected: s.close.is_some(),
            described: s.key.is_some(),
            udp_peer: s.udp_peer,
            mode: s.selected.as_ref().map(|(_, m)| m.clone()),
            speaking: s.speaking,
            spoke: s.spoke,
            resumes: s.resumes,
        })
    }

    /// IDENTIFYs accepted so far (all guilds).
    pub fn identifies(&self) -> u64 {
        lock(&self.server.state).identifies
    }

    /// Why connections were refused (IDENTIFY with an unknown server or wrong credentials).
    pub fn refusals(&self) -> Vec<String> {
        lock(&self.server.state).refused.clone()
    }

    /// Every op 4 VOICE_STATE_UPDATE the main gateway received, in order: the shard it came on
    /// and the guild it named (one sent on a shard that does not hold the guild is ignored, as
    /// Discord ignores it, and listed here too).
    pub fn voice_updates(&self) -> Vec<(u32, Id<GuildMarker>)> {
        lock(&self.server.state)
            .voice_updates
            .iter()
            .filter_map(|(shard, guild)| Some((*shard, Id::new_checked(*guild)?)))
            .collect()
    }

    /// Datagrams from unknown SSRCs or not RTP at all.
    pub fn unknown_datagrams(&self) -> u64 {
        lock(&self.server.state).unknown_datagrams
    }

    /// Datagrams discarded by [`Self::drop_udp_for`].
    pub fn dropped_datagrams(&self) -> u64 {
        lock(&self.server.state).dropped_datagrams
    }

    /// Waits until `check` returns `Some` (re-checked after every packet and session change),
    /// or `timeout`.
    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut(&VoiceHandle) -> Option<T>,
    ) -> Option<T> {
        let mut changes = self.server.changes.subscribe();
        let wait = async {
            loop {
                changes.borrow_and_update();
                if let Some(found) = check(self) {
                    return Some(found);
                }
                if changes.changed().await.is_err() {
                    return None;
                }
            }
        };
        tokio::time::timeout(timeout, wait).await.ok().flatten()
    }

    /// Waits until `guild` has a session ready for audio (SESSION_DESCRIPTION sent).
    pub async fn wait_session(
        &self,
        guild: Id<GuildMarker>,
        timeout: Duration,
    ) -> Option<VoiceSession> {
        self.wait_for(timeout, |v| v.session(guild).filter(|s| s.described))
            .await
    }

    /// Waits until `guild` delivered at least `packets` audio packets.
    pub async fn wait_for_packets(
        &self,
        guild: Id<GuildMarker>,
        packets: u64,
        timeout: Duration,
    ) -> Option<Received> {
        self.wait_for(timeout, |v| {
            v.received(guild).filter(|r| r.packets >= packets)
        })
        .await
    }

    /// Waits until `guild` sent something and then nothing for `quiet` (the sender stopped:
    /// songbird sends nothing while no track plays), or `timeout`.
    pub async fn wait_quiet(
        &self,
        guild: Id<GuildMarker>,
        quiet: Duration,
        timeout: Duration,
    ) -> Option<Received> {
        let deadline = Instant::now() + timeout;
        let mut last = None;
        while Instant::now() < deadline {
            let now = self.received(guild).map(|r| r.packets);
            if now.is_some_and(|n| n > 0) && now == last {
                return self.received(guild);
            }
            last = now;
            tokio::time::sleep(quiet).await;
        }
        None
    }

    /// Fault: closes `guild`'s voice WebSocket with `code` (4015 "voice server crashed" makes
    /// songbird resume, as does 4009; 4014 "disconnected" and 4006 "session no longer valid" end it). Returns
    /// whether a connection was attached. A resumable code keeps the session; the others end it
    /// as Discord does.
    pub fn close_connection(&self, guild: Id<GuildMarker>, code: u16) -> bool {
        self.server.with_state(|s| {
            let resumable = !matches!(code, 1000 | 4004 | 4006 | 4011 | 4014 | 4016);
            let close = if resumable {
                s.sessions
                    .get_mut(&guild.get())
                    .and_then(|x| x.close.take())
            } else {
                let session = s.sessions.remove(&guild.get());
                if let Some(session) = &session {
                    s.by_ssrc.remove(&session.ssrc);
                }
                session.and_then(|x| x.close)
            };
            close.is_some_and(|c| c.send(code).is_ok())
        })
    }

    /// Fault: discards every datagram received during the next `duration`.
    pub fn drop_udp_for(&self, duration: Duration) {
        self.server
            .with_state(|s| s.drop_udp_until = Some(Instant::now() + duration));
    }

    /// Fault: sessions described from now on decrypt with a key other than the one their
    /// SESSION_DESCRIPTION announced (every packet then fails to decrypt).
    pub fn decrypt_with_wrong_key(&self, wrong: bool) {
        self.server.with_state(|s| s.wrong_key = wrong);
    }

    /// Whether guilds heard from from now on get their audio decoded (on by default; a
    /// benchmark of the sender turns it off so the receiver costs less than the senders).
    pub fn set_decode(&self, decode: bool) {
        self.server.decode.store(decode, Ordering::Relaxed);
    }

    /// A packet is late when it arrives more than this after its 20 ms slot (default 20 ms).
    pub fn set_late_after(&self, threshold: Duration) {
        let us = u64::try_from(threshold.as_micros()).unwrap_or(u64::MAX);
        self.server.late_after_us.store(us, Ordering::Relaxed);
    }

    /// Forgets what `guild` delivered (its session, if any, continues).
    pub fn reset(&self, guild: Id<GuildMarker>) {
        self.server.with_state(|s| {
            s.streams.remove(&guild.get());
        });
    }
}

impl std::fmt::Debug for VoiceHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VoiceHandle")
            .field("endpoint", &self.server.endpoint())
            .field("udp", &self.server.udp_addr)
            .finish_non_exhaustive()
    }
}
