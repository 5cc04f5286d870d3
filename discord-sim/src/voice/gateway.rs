//! The voice gateway: one TLS WebSocket per voice connection, speaking voice gateway v8 as
//! songbird 0.6.1's driver expects it (`driver/connection/mod.rs`, `driver/tasks/ws.rs`):
//! op 8 HELLO on connect; op 0 IDENTIFY checked against the grant the main gateway handed out,
//! answered with op 2 READY (SSRC, UDP address, modes); op 1 SELECT_PROTOCOL answered with op 4
//! SESSION_DESCRIPTION (`aead_aes256_gcm_rtpsize`, a random 32-byte key, DAVE version 0 = no
//! end-to-end encryption); op 3 heartbeats acknowledged with op 6 echoing the nonce; op 5
//! SPEAKING recorded; op 7 RESUME answered with op 9 RESUMED while the session exists.

use super::{rtp, Session, VoiceServer};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::{server::TlsStream, TlsAcceptor};
use tokio_websockets::{CloseCode, Message, ServerBuilder, WebSocketStream};

/// The only transport encryption mode this server offers (songbird's preferred one).
pub(crate) const MODE: &str = "aead_aes256_gcm_rtpsize";

type Ws = WebSocketStream<TlsStream<TcpStream>>;

enum Next {
    Continue,
    Close(u16, &'static str),
}

/// Accepts voice gateway connections until the simulator shuts down.
pub(crate) async fn run(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    server: Arc<VoiceServer>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream, acceptor.clone(), Arc::clone(&server), shutdown.clone()));
            }
            _ = shutdown.changed() => break,
        }
    }
}

async fn serve(
    tcp: TcpStream,
    acceptor: TlsAcceptor,
    server: Arc<VoiceServer>,
    mut shutdown: watch::Receiver<bool>,
) {
    let Ok(tls) = acceptor.accept(tcp).await else {
        tracing::debug!("discord-sim voice: TLS handshake failed");
        return;
    };
    let Ok((_request, mut ws)) = ServerBuilder::new().accept(tls).await else {
        return;
    };
    let connection = server.with_state(|s| {
        s.next_connection += 1;
        s.next_connection
    });
    // Kept here as well as in the session, so `recv` never sees a closed channel.
    let (close_tx, mut close_rx) = mpsc::unbounded_channel::<u16>();
    let mut conn = Conn {
        server: Arc::clone(&server),
        guild: None,
        connection,
        close_tx,
    };
    let interval = server.heartbeat_interval.as_millis() as u64;
    if send(
        &mut ws,
        8,
        json!({ "heartbeat_interval": interval, "v": 8 }),
    )
    .await
    .is_err()
    {
        return;
    }
    loop {
        let next = tokio::select! {
            frame = ws.next() => match frame {
                Some(Ok(msg)) if msg.is_close() => break,
                Some(Ok(msg)) => match msg.as_text() {
                    Some(text) => conn.handle(text, &mut ws).await,
                    // Binary frames carry DAVE's MLS messages; this server offers no DAVE.
                    None => Next::Continue,
                },
                _ => break,
            },
            Some(code) = close_rx.recv() => Next::Close(code, "closed by discord-sim"),
            _ = shutdown.changed() => Next::Close(1001, "discord-sim shutting down"),
        };
        if let Next::Close(code, reason) = next {
            if let Ok(code) = CloseCode::try_from(code) {
                let _ = ws.send(Message::close(Some(code), reason)).await;
            }
            let _ = ws.flush().await;
            break;
        }
    }
    conn.detach();
}

async fn send(ws: &mut Ws, op: u8, d: Value) -> Result<(), tokio_websockets::Error> {
    ws.send(Message::text(json!({ "op": op, "d": d }).to_string()))
        .await
}

/// Snowflakes arrive as strings (songbird's `json_safe_u64`) or numbers.
fn snowflake(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str()?.parse().ok())
}

struct Conn {
    server: Arc<VoiceServer>,
    /// The guild this connection identified (or resumed) for.
    guild: Option<u64>,
    connection: u64,
    close_tx: mpsc::UnboundedSender<u16>,
}

impl Conn {
    async fn handle(&mut self, text: &str, ws: &mut Ws) -> Next {
        let Ok(payload) = serde_json::from_str::<Value>(text) else {
            return Next::Close(4002, "Failed to decode payload.");
        };
        let d = &payload["d"];
        match payload["op"].as_u64() {
            Some(0) => self.identify(d, ws).await,
            Some(1) => self.select_protocol(d, ws).await,
            Some(3) => {
                // v8 heartbeats are `{"t": nonce, "seq_ack": n}`; songbird sends the bare nonce.
                let ack = match d.get("t") {
                    Some(t) => json!({ "t": t }),
                    None => d.clone(),
                };
                let _ = send(ws, 6, ack).await;
                Next::Continue
            }
            Some(5) => {
                let Some(guild) = self.guild else {
                    return Next::Close(4003, "Not authenticated.");
                };
                let speaking = d["speaking"].as_u64().unwrap_or(0);
                self.server.with_state(|s| {
                    if let Some(session) = s.sessions.get_mut(&guild) {
                        session.speaking = speaking;
                        session.spoke |= speaking;
                    }
                });
                Next::Continue
            }
            Some(7) => self.resume(d, ws).await,
            // DAVE opcodes: not offered (dave_protocol_version 0), ignored.
            Some(21..=31) => Next::Continue,
            _ => Next::Close(4001, "Unknown opcode."),
        }
    }

    async fn identify(&mut self, d: &Value, ws: &mut Ws) -> Next {
        if self.guild.is_some() {
            return Next::Close(4005, "Already authenticated.");
        }
        let Some(guild) = snowflake(&d["server_id"]) else {
            return Next::Close(4020, "Bad request.");
        };
        let user = snowflake(&d["user_id"]);
        let session_id = d["session_id"].as_str();
        let token = d["token"].as_str();
        let (ssrc, replaced) = {
            let mut s = crate::lock(&self.server.state);
            let Some(grant) = s.grants.get(&guild).cloned() else {
                s.refused.push(format!(
                    "IDENTIFY for guild {guild}: no voice server was assigned"
                ));
                return Next::Close(4011, "Server not found.");
            };
            if token != Some(grant.token.as_str())
                || user != Some(grant.user)
                || session_id != Some(grant.session_id.as_str())
            {
                s.refused.push(format!(
                    "IDENTIFY for guild {guild}: token, user_id or session_id differ from \
                     the VOICE_STATE_UPDATE/VOICE_SERVER_UPDATE handed out"
                ));
                return Next::Close(4004, "Authentication failed.");
            }
            s.identifies += 1;
            let ssrc = s.next_ssrc;
            s.next_ssrc = s.next_ssrc.wrapping_add(1);
            let old = s.sessions.insert(
                guild,
                Session {
                    grant,
                    ssrc,
                    key: None,
                    cipher: None,
                    udp_peer: None,
                    selected: None,
                    speaking: 0,
                    spoke: 0,
                    resumes: 0,
                    close: Some(self.close_tx.clone()),
                    connection: self.connection,
                },
            );
            let replaced = old.and_then(|old| {
                s.by_ssrc.remove(&old.ssrc);
                old.close
            });
            s.by_ssrc.insert(ssrc, guild);
            (ssrc, replaced)
        };
        self.server.changed();
        if let Some(old) = replaced {
            // A second IDENTIFY for the same guild takes the session over.
            let _ = old.send(4006);
        }
        self.guild = Some(guild);
        let ready = json!({
            "ssrc": ssrc,
            "ip": self.server.udp_addr.ip().to_string(),
            "port": self.server.udp_addr.port(),
            "modes": [MODE],
            "heartbeat_interval": self.server.heartbeat_interval.as_millis() as u64,
        });
        let _ = send(ws, 2, ready).await;
        Next::Continue
    }

    async fn select_protocol(&mut self, d: &Value, ws: &mut Ws) -> Next {
        let Some(guild) = self.guild else {
            return Next::Close(4003, "Not authenticated.");
        };
        if d["protocol"].as_str() != Some("udp") {
            return Next::Close(4012, "Unknown protocol.");
        }
        let data = &d["data"];
        let mode = data["mode"].as_str().unwrap_or_default().to_owned();
        if mode != MODE {
            return Next::Close(4016, "Unknown encryption mode.");
        }
        let address = data["address"]
            .as_str()
            .and_then(|a| a.parse::<std::net::IpAddr>().ok());
        let port = data["port"].as_u64().and_then(|p| u16::try_from(p).ok());
        let (Some(address), Some(port)) = (address, port) else {
            return Next::Close(4020, "Bad request.");
        };
        let Ok(key) = super::random_key() else {
            return Next::Close(4015, "Voice server crashed.");
        };
        let wrong = crate::lock(&self.server.state).wrong_key;
        let decrypt_key = if wrong {
            let mut other = key;
            other[0] ^= 0xff;
            other
        } else {
            key
        };
        self.server.with_state(|s| {
            if let Some(session) = s.sessions.get_mut(&guild) {
                session.key = Some(key);
                session.cipher = Some(rtp::cipher(&decrypt_key));
                session.selected = Some((SocketAddr::new(address, port), mode.clone()));
            }
        });
        let description = json!({
            "mode": mode,
            "secret_key": key.to_vec(),
            "dave_protocol_version": 0,
            "audio_codec": "opus",
            "media_session_id": format!("sim-media-{guild}"),
        });
        let _ = send(ws, 4, description).await;
        Next::Continue
    }

    async fn resume(&mut self, d: &Value, ws: &mut Ws) -> Next {
        if self.guild.is_some() {
            return Next::Close(4005, "Already authenticated.");
        }
        let Some(guild) = snowflake(&d["server_id"]) else {
            return Next::Close(4020, "Bad request.");
        };
        let resumed = self.server.with_state(|s| {
            let session = s.sessions.get_mut(&guild)?;
            if d["token"].as_str() != Some(session.grant.token.as_str())
                || d["session_id"].as_str() != Some(session.grant.session_id.as_str())
            {
                return None;
            }
            session.resumes += 1;
            session.connection = self.connection;
            Some(session.close.replace(self.close_tx.clone()))
        });
        match resumed {
            // A connection still attached to the session is replaced by this one.
            Some(Some(old)) => {
                let _ = old.send(4006);
            }
            Some(None) => {}
            None => {
                let known = crate::lock(&self.server.state)
                    .sessions
                    .contains_key(&guild);
                if !known {
                    return Next::Close(4006, "Session no longer valid.");
                }
                return Next::Close(4004, "Authentication failed.");
            }
        }
        self.guild = Some(guild);
        let _ = send(ws, 9, Value::Null).await;
        Next::Continue
    }

    /// The connection ended: the session stays (it may be resumed) but has no socket.
    fn detach(&self) {
        let Some(guild) = self.guild else { return };
        self.server.with_state(|s| {
            if let Some(session) = s.sessions.get_mut(&guild) {
                if session.connection == self.connection {
                    session.close = None;
                }
            }
        });
    }
}
