//! One gateway WebSocket connection: HELLO, IDENTIFY/RESUME, heartbeats, dispatch delivery from
//! the session log, and the faults a test injects.

use super::hub::Control;
use crate::Shared;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_websockets::{CloseCode, Message, ServerBuilder, WebSocketStream};

struct Attached {
    session_id: String,
    shard: u32,
    latest: watch::Receiver<u64>,
    cursor: u64,
}

enum Next {
    Continue,
    Close(u16, &'static str),
    Hangup,
}

pub(crate) async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    // A test may hold new connections back (to inject events "while disconnected").
    let mut hold = shared.gateway_hold.subscribe();
    while *hold.borrow_and_update() {
        if hold.changed().await.is_err() {
            return;
        }
    }
    let Ok((_request, mut ws)) = ServerBuilder::new().accept(stream).await else {
        return;
    };
    let conn_id = shared.hub.new_conn_id();
    let (control_tx, mut control_rx) = mpsc::unbounded_channel();
    let mut attached: Option<Attached> = None;
    let mut shutdown = shared.shutdown.subscribe();
    let interval = u64::try_from(shared.heartbeat_interval.as_millis()).unwrap_or(u64::MAX);
    let hello = json!({ "op": 10, "s": null, "t": null, "d": { "heartbeat_interval": interval } });
    if ws.send(Message::text(hello.to_string())).await.is_err() {
        return;
    }
    loop {
        let next = tokio::select! {
            frame = ws.next() => match frame {
                Some(Ok(msg)) if msg.is_close() => {
                    // As on Discord: a client closing with 1000 or 1001 ends its session; any
                    // other code (twilight's RESUME close, 4000) leaves it resumable.
                    let code = msg.as_close().map(|(code, _)| u16::from(code));
                    if let (Some(1000 | 1001), Some(a)) = (code, &attached) {
                        shared.hub.invalidate(&a.session_id);
                    }
                    Next::Hangup
                }
                Some(Ok(msg)) => match msg.as_text() {
                    Some(text) => handle_op(text, &shared, &mut ws, &mut attached, conn_id, &control_tx).await,
                    None => Next::Continue,
                },
                _ => Next::Hangup,
            },
            changed = async {
                match attached.as_mut() {
                    Some(a) => a.latest.changed().await.is_ok(),
                    None => std::future::pending().await,
                }
            } => if changed { Next::Continue } else { Next::Hangup },
            control = control_rx.recv() => match control {
                Some(Control::Drop) | None => break,
                Some(Control::Close(code)) => {
                    if let Some(a) = &attached {
                        // Discord forgets the session on these codes; the client must IDENTIFY.
                        if matches!(code, 1000 | 1001 | 4007 | 4009) || code >= 4010 || code == 4004 {
                            shared.hub.invalidate(&a.session_id);
                        }
                    }
                    Next::Close(code, "closed by discord-sim fault")
                }
                Some(Control::Reconnect) => {
                    send_op(&mut ws, 7, Value::Null).await;
                    Next::Continue
                }
                Some(Control::InvalidSession(resumable)) => {
                    if let (false, Some(a)) = (resumable, &attached) {
                        shared.hub.invalidate(&a.session_id);
                    }
                    send_op(&mut ws, 9, json!(resumable)).await;
                    Next::Continue
                }
            },
            _ = shutdown.changed() => Next::Close(1001, "discord-sim shutting down"),
        };
        match next {
            Next::Continue => {}
            Next::Hangup => break,
            Next::Close(code, reason) => {
                if let Ok(code) = CloseCode::try_from(code) {
                    let _ = ws.send(Message::close(Some(code), reason)).await;
                }
                let _ = ws.flush().await;
                break;
            }
        }
        if let Some(a) = attached.as_mut() {
            // Mark seen before reading, so a push in between wakes us again instead of being missed.
            a.latest.borrow_and_update();
            let frames = shared.hub.frames_after(&a.session_id, a.cursor);
            let n = frames.len();
            let mut failed = false;
            for frame in frames {
                if ws.feed(Message::text(frame)).await.is_err() {
                    failed = true;
                    break;
                }
            }
            if failed || ws.flush().await.is_err() {
                break;
            }
            a.cursor += n as u64;
            shared.hub.count_sent(a.shard, n);
        }
    }
    if let Some(a) = attached {
        shared.hub.detach(a.shard, conn_id);
    }
}

async fn send_op(ws: &mut WebSocketStream<TcpStream>, op: u8, d: Value) {
    let frame = json!({ "op": op, "s": null, "t": null, "d": d });
    let _ = ws.send(Message::text(frame.to_string())).await;
}

fn token_ok(shared: &Shared, token: Option<&str>) -> bool {
    let Some(token) = token else { return false };
    token.strip_prefix("Bot ").unwrap_or(token) == shared.token
}

async fn handle_op(
    text: &str,
    shared: &Arc<Shared>,
    ws: &mut WebSocketStream<TcpStream>,
    attached: &mut Option<Attached>,
    conn_id: u64,
    control: &mpsc::UnboundedSender<Control>,
) -> Next {
    let Ok(payload) = serde_json::from_str::<Value>(text) else {
        return Next::Close(4002, "Error while decoding payload.");
    };
    let d = &payload["d"];
    match payload["op"].as_u64() {
        Some(1) => {
            if let Some(a) = attached {
                shared.hub.heartbeat(a.shard);
            }
            send_op(ws, 11, Value::Null).await;
            Next::Continue
        }
        Some(2) => {
            if attached.is_some() {
                return Next::Close(4005, "Already authenticated.");
            }
            if !token_ok(shared, d["token"].as_str()) {
                return Next::Close(4004, "Authentication failed.");
            }
            let shard = d["shard"][0].as_u64().unwrap_or(0) as u32;
            let total = d["shard"][1].as_u64().unwrap_or(1) as u32;
            if total == 0 || shard >= total {
                return Next::Close(4010, "Invalid shard.");
            }
            let Some(intents) = d["intents"].as_u64() else {
                return Next::Close(4013, "Invalid intent(s).");
            };
            let (session_id, latest) = {
                let world = crate::lock(&shared.world);
                shared
                    .hub
                    .identify(&world, shard, total, intents, &shared.gateway_url)
            };
            shared.hub.attach(shard, conn_id, control.clone());
            *attached = Some(Attached {
                session_id,
                shard,
                latest,
                cursor: 0,
            });
            Next::Continue
        }
        Some(6) => {
            if attached.is_some() {
                return Next::Close(4005, "Already authenticated.");
            }
            if !token_ok(shared, d["token"].as_str()) {
                return Next::Close(4004, "Authentication failed.");
            }
            let session_id = d["session_id"].as_str().unwrap_or_default();
            let seq = d["seq"].as_u64().unwrap_or(0);
            match shared.hub.resume(session_id, seq) {
                Some((shard, latest)) => {
                    shared.hub.attach(shard, conn_id, control.clone());
                    *attached = Some(Attached {
                        session_id: session_id.to_owned(),
                        shard,
                        latest,
                        cursor: seq,
                    });
                }
                None => send_op(ws, 9, json!(false)).await,
            }
            Next::Continue
        }
        // Presence updates are accepted and ignored.
        Some(3) if attached.is_some() => Next::Continue,
        Some(4) if attached.is_some() => {
            if let Some(a) = attached {
                let total = shared.hub.total_of(&a.session_id).unwrap_or(1);
                crate::voice::grants::voice_state_update(shared, d, a.shard, total);
            }
            Next::Continue
        }
        Some(8) if attached.is_some() => {
            request_members(shared, d);
            Next::Continue
        }
        Some(3 | 4 | 8) => Next::Close(4003, "Not authenticated."),
        _ => Next::Close(4001, "Unknown opcode."),
    }
}

/// Op 8 REQUEST_GUILD_MEMBERS: answers with one GUILD_MEMBERS_CHUNK holding every member (or
/// the requested `user_ids`).
fn request_members(shared: &Shared, d: &Value) {
    let Some(guild) = d["guild_id"].as_str().and_then(|g| g.parse::<u64>().ok()) else {
        return;
    };
    let wanted: Vec<u64> = d["user_ids"]
        .as_array()
        .map(|ids| {
            ids.iter()
                .filter_map(|i| i.as_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let nonce = d["nonce"].clone();
    shared.with_world(|w| {
        let Some(g) = w.guilds.get(&guild) else {
            return;
        };
        let members: Vec<Value> = g
            .members
            .values()
            .filter(|m| wanted.is_empty() || wanted.contains(&m.user_id))
            .map(|m| w.member_json(m, true))
            .collect();
        let mut data = json!({
            "guild_id": guild.to_string(),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        });
        if !nonce.is_null() {
            data["nonce"] = nonce;
        }
        w.emit(Some(guild), "GUILD_MEMBERS_CHUNK", data, 0);
    });
}
