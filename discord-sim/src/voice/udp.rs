//! The voice server's UDP socket: IP discovery (Discord's 74-byte request and response), 4-byte
//! keepalives, and RTP reception, decrypted with the session's key and handed to the guild's [`Stream`].

use super::stream::Stream;
use super::{rtp, VoiceServer};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::UdpSocket;
use tokio::sync::watch;

/// Size of an IP discovery packet: type (2), length (2), SSRC (4), address (64), port (2).
const DISCOVERY_LEN: usize = 74;

/// Receives datagrams until the simulator shuts down.
pub(crate) async fn run(
    socket: UdpSocket,
    server: Arc<VoiceServer>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut buf = vec![0u8; 2048];
    loop {
        let (len, peer) = tokio::select! {
            received = socket.recv_from(&mut buf) => match received {
                Ok(r) => r,
                // ICMP "port unreachable" from an earlier reply surfaces here on Linux.
                Err(_) => continue,
            },
            _ = shutdown.changed() => break,
        };
        let at = Instant::now();
        if let Some(reply) = receive(&server, &buf[..len], peer, at) {
            let _ = socket.send_to(&reply, peer).await;
        }
    }
}

/// Handles one datagram; returns the reply to send, if any.
fn receive(server: &VoiceServer, packet: &[u8], peer: SocketAddr, at: Instant) -> Option<Vec<u8>> {
    let reply = {
        let mut guard = crate::lock(&server.state);
        let state = &mut *guard;
        if let Some(until) = state.drop_udp_until {
            if at < until {
                state.dropped_datagrams += 1;
                return None;
            }
            state.drop_udp_until = None;
        }
        if packet.len() == DISCOVERY_LEN && packet[..2] == [0, 1] {
            discovery(state, packet, peer)
        } else if packet.len() == 4 {
            // songbird's UDP keepalive (every 5 s): just the SSRC.
            let ssrc = u32::from_be_bytes([packet[0], packet[1], packet[2], packet[3]]);
            match state.by_ssrc.get(&ssrc) {
                Some(guild) => {
                    let decode = server.decode.load(Ordering::Relaxed);
                    state
                        .streams
                        .entry(*guild)
                        .or_insert_with(|| Stream::new(decode))
                        .keepalives += 1;
                }
                None => state.unknown_datagrams += 1,
            }
            None
        } else if rtp::is_rtcp(packet) {
            let ssrc = packet
                .get(4..8)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
            match ssrc.and_then(|ssrc| state.by_ssrc.get(&ssrc)) {
                Some(guild) => {
                    let decode = server.decode.load(Ordering::Relaxed);
                    state
                        .streams
                        .entry(*guild)
                        .or_insert_with(|| Stream::new(decode))
                        .rtcp_packets += 1;
                }
                None => state.unknown_datagrams += 1,
            }
            None
        } else {
            audio(server, state, packet, at);
            None
        }
    };
    server.changed();
    reply
}

fn discovery(state: &mut super::State, packet: &[u8], peer: SocketAddr) -> Option<Vec<u8>> {
    let ssrc = u32::from_be_bytes([packet[4], packet[5], packet[6], packet[7]]);
    let Some(guild) = state.by_ssrc.get(&ssrc).copied() else {
        state.unknown_datagrams += 1;
        return None;
    };
    if let Some(session) = state.sessions.get_mut(&guild) {
        session.udp_peer = Some(peer);
    }
    let mut reply = vec![0u8; DISCOVERY_LEN];
    reply[..2].copy_from_slice(&2u16.to_be_bytes());
    reply[2..4].copy_from_slice(&70u16.to_be_bytes());
    reply[4..8].copy_from_slice(&ssrc.to_be_bytes());
    let address = peer.ip().to_string();
    reply[8..8 + address.len()].copy_from_slice(address.as_bytes());
    reply[72..74].copy_from_slice(&peer.port().to_be_bytes());
    Some(reply)
}

fn audio(server: &VoiceServer, state: &mut super::State, packet: &[u8], at: Instant) {
    let header = match rtp::header(packet) {
        Ok(h) if h.payload_type == rtp::OPUS_PAYLOAD_TYPE => h,
        _ => {
            state.unknown_datagrams += 1;
            return;
        }
    };
    let Some(guild) = state.by_ssrc.get(&header.ssrc).copied() else {
        state.unknown_datagrams += 1;
        return;
    };
    let decode = server.decode.load(Ordering::Relaxed);
    let stream = state
        .streams
        .entry(guild)
        .or_insert_with(|| Stream::new(decode));
    stream.arrived(header.sequence, header.timestamp, at, server.epoch);
    let cipher = state.sessions.get(&guild).and_then(|s| s.cipher.as_ref());
    match cipher.map(|c| rtp::open(c, packet)) {
        Some(Ok(opus)) => stream.decode(&opus),
        // Audio before SESSION_DESCRIPTION, or a tag that does not verify.
        Some(Err(_)) | None => stream.decrypt_failures += 1,
    }
}
