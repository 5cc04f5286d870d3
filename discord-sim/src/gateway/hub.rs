//! Gateway sessions and their dispatch logs: where world events are routed to shards.
//!
//! Every session keeps the full log of dispatches it was sent (sequence = index + 1). A live
//! connection only holds a cursor into that log, so delivery after a RESUME is a plain replay
//! from the client's last sequence: in order, nothing lost, nothing twice. Events produced while
//! a shard is disconnected simply wait in the log.

use crate::lock;
use crate::world::{intent, PendingEvent, World};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;
use tokio::sync::{broadcast, mpsc, watch};

/// A fault a test asks a live shard connection to perform.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Control {
    /// Drop the TCP connection without a close frame.
    Drop,
    /// Send a close frame with this code and disconnect.
    Close(u16),
    /// Send op 7 RECONNECT.
    Reconnect,
    /// Send op 9 INVALID SESSION with `d` = resumable.
    InvalidSession(bool),
}

/// Per-shard gateway counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShardStats {
    /// WebSocket connections accepted (that got as far as IDENTIFY or RESUME).
    pub connections: u32,
    /// Successful IDENTIFYs (new sessions).
    pub identifies: u32,
    /// Successful RESUMEs.
    pub resumes: u32,
    /// Dispatches delivered, replays included.
    pub dispatches_sent: u64,
    /// Whether a connection is currently attached to the shard's session.
    pub connected: bool,
    /// The intents of the latest IDENTIFY (bits of Discord's intents).
    pub intents: u64,
}

pub(crate) struct Session {
    pub shard: u32,
    pub total: u32,
    pub intents: u64,
    /// Serialized dispatch frames; frame `i` has sequence `i + 1`.
    pub log: Vec<String>,
    pub latest: watch::Sender<u64>,
    /// Cleared when the session can no longer be resumed (op 9 false, new IDENTIFY, 4007/4009).
    pub resumable: bool,
}

struct Conn {
    id: u64,
    control: mpsc::UnboundedSender<Control>,
}

#[derive(Default)]
struct HubInner {
    sessions: HashMap<String, Session>,
    /// shard id → its current session id.
    current: HashMap<u32, String>,
    conns: HashMap<u32, Conn>,
    stats: HashMap<u32, ShardStats>,
    /// shard id → arrival time of each heartbeat.
    heartbeats: HashMap<u32, Vec<Instant>>,
    next_session: u64,
    next_conn: u64,
}

/// A dispatch as the world produced it, before shard routing and intent filtering: what an
/// observer (the sandbox console, a benchmark) sees of everything that happens.
#[derive(Clone, Debug)]
pub struct ObservedEvent {
    /// Gateway event name (`MESSAGE_CREATE`, `GUILD_MEMBER_UPDATE`, ...).
    pub name: &'static str,
    /// The event's `d` payload.
    pub data: Value,
}

pub(crate) struct Hub {
    inner: Mutex<HubInner>,
    observers: broadcast::Sender<ObservedEvent>,
    /// Bumped whenever a shard attaches or detaches, for `wait_gateway_ready`.
    pub changes: watch::Sender<u64>,
}

impl Hub {
    pub(crate) fn new() -> Self {
        Self {
            inner: Mutex::new(HubInner::default()),
            observers: broadcast::channel(1024).0,
            changes: watch::channel(0).0,
        }
    }

    pub(crate) fn observe(&self) -> broadcast::Receiver<ObservedEvent> {
        self.observers.subscribe()
    }

    pub(crate) fn new_conn_id(&self) -> u64 {
        let mut inner = lock(&self.inner);
        inner.next_conn += 1;
        inner.next_conn
    }

    /// Routes world events to every current session whose shard owns the guild and whose
    /// intents ask for the event.
    pub(crate) fn publish(&self, events: Vec<PendingEvent>) {
        let mut inner = lock(&self.inner);
        let inner = &mut *inner;
        for event in events {
            if self.observers.receiver_count() > 0 {
                let _ = self.observers.send(ObservedEvent {
                    name: event.name,
                    data: event.data.clone(),
                });
            }
            for session_id in inner.current.values() {
                let Some(session) = inner.sessions.get_mut(session_id) else {
                    continue;
                };
                let shard = event
                    .guild_id
                    .map_or(0, |g| ((g >> 22) % u64::from(session.total.max(1))) as u32);
                if shard != session.shard
                    || (event.intent != 0 && session.intents & event.intent == 0)
                {
                    continue;
                }
                let data = if event.content_gated && session.intents & intent::MESSAGE_CONTENT == 0
                {
                    strip_content(event.data.clone())
                } else {
                    event.data.clone()
                };
                push(session, event.name, data);
            }
        }
    }

    /// Starts a session for an IDENTIFY: READY, then GUILD_CREATE for each guild of the shard.
    pub(crate) fn identify(
        &self,
        world: &World,
        shard: u32,
        total: u32,
        intents: u64,
        resume_url: &str,
    ) -> (String, watch::Receiver<u64>) {
        let mut inner = lock(&self.inner);
        inner.next_session += 1;
        let session_id = format!("sim-session-{shard}-{}", inner.next_session);
        let guilds: Vec<_> = world
            .guilds
            .values()
            .filter(|g| ((g.id >> 22) % u64::from(total.max(1))) as u32 == shard)
            .collect();
        let (latest, rx) = watch::channel(0);
        let mut session = Session {
            shard,
            total,
            intents,
            log: Vec::new(),
            latest,
            resumable: true,
        };
        let bot = world.user_json(world.bot_user_id);
        let ready = json!({
            "v": 10,
            "user": {
                "id": bot["id"], "username": bot["username"], "discriminator": "0",
                "global_name": null, "avatar": null, "bot": true, "mfa_enabled": true,
                "verified": true, "flags": 0, "email": null,
            },
            "application": { "id": world.app.id.to_string(), "flags": 0 },
            "guilds": guilds.iter().map(|g| json!({ "id": g.id.to_string(), "unavailable": true })).collect::<Vec<_>>(),
            "session_id": session_id,
            "session_type": "normal",
            "resume_gateway_url": resume_url,
            "shard": [shard, total],
            "private_channels": [],
            "presences": [],
            "relationships": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["local"],
            "user_settings": {},
            "auth": {},
        });
        push(&mut session, "READY", ready);
        if intents & intent::GUILDS != 0 {
            for g in guilds {
                let voice = intents & intent::GUILD_VOICE_STATES != 0;
                push(
                    &mut session,
                    "GUILD_CREATE",
                    world.guild_json(g, true, voice),
                );
            }
        }
        if let Some(old) = inner.current.insert(shard, session_id.clone()) {
            if let Some(s) = inner.sessions.get_mut(&old) {
                s.resumable = false;
            }
        }
        inner.sessions.insert(session_id.clone(), session);
        let stats = inner.stats.entry(shard).or_default();
        stats.identifies += 1;
        stats.intents = intents;
        (session_id, rx)
    }

    /// Re-attaches a connection to a session for RESUME and queues RESUMED after the replay.
    /// Returns the shard and a receiver of the latest sequence, or `None` if the session cannot
    /// be resumed (the caller answers op 9 false).
    pub(crate) fn resume(&self, session_id: &str, seq: u64) -> Option<(u32, watch::Receiver<u64>)> {
        let mut inner = lock(&self.inner);
        let session = inner.sessions.get_mut(session_id)?;
        if !session.resumable || seq > session.log.len() as u64 {
            return None;
        }
        push(session, "RESUMED", Value::Null);
        let shard = session.shard;
        let rx = session.latest.subscribe();
        inner.stats.entry(shard).or_default().resumes += 1;
        Some((shard, rx))
    }

    /// Frames after `cursor` (exclusive) for a session.
    pub(crate) fn frames_after(&self, session_id: &str, cursor: u64) -> Vec<String> {
        let inner = lock(&self.inner);
        inner
            .sessions
            .get(session_id)
            .map(|s| s.log.get(cursor as usize..).unwrap_or_default().to_vec())
            .unwrap_or_default()
    }

    /// How many shards the session's IDENTIFY said the bot runs.
    pub(crate) fn total_of(&self, session_id: &str) -> Option<u32> {
        lock(&self.inner).sessions.get(session_id).map(|s| s.total)
    }

    pub(crate) fn heartbeat(&self, shard: u32) {
        lock(&self.inner)
            .heartbeats
            .entry(shard)
            .or_default()
            .push(Instant::now());
    }

    pub(crate) fn heartbeats(&self, shard: u32) -> Vec<Instant> {
        lock(&self.inner)
            .heartbeats
            .get(&shard)
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn count_sent(&self, shard: u32, n: usize) {
        lock(&self.inner)
            .stats
            .entry(shard)
            .or_default()
            .dispatches_sent += n as u64;
    }

    pub(crate) fn invalidate(&self, session_id: &str) {
        if let Some(s) = lock(&self.inner).sessions.get_mut(session_id) {
            s.resumable = false;
        }
    }

    /// Registers the live connection of a shard so faults can reach it.
    pub(crate) fn attach(&self, shard: u32, conn_id: u64, control: mpsc::UnboundedSender<Control>) {
        {
            let mut inner = lock(&self.inner);
            inner.conns.insert(
                shard,
                Conn {
                    id: conn_id,
                    control,
                },
            );
            let stats = inner.stats.entry(shard).or_default();
            stats.connections += 1;
            stats.connected = true;
        }
        self.changes.send_modify(|n| *n += 1);
    }

    pub(crate) fn detach(&self, shard: u32, conn_id: u64) {
        {
            let mut inner = lock(&self.inner);
            if inner.conns.get(&shard).is_some_and(|c| c.id == conn_id) {
                inner.conns.remove(&shard);
                inner.stats.entry(shard).or_default().connected = false;
            }
        }
        self.changes.send_modify(|n| *n += 1);
    }

    /// Sends a fault to the shard's live connection; returns its connection id if there is one.
    pub(crate) fn control(&self, shard: u32, control: Control) -> Option<u64> {
        let inner = lock(&self.inner);
        let conn = inner.conns.get(&shard)?;
        conn.control.send(control).ok()?;
        Some(conn.id)
    }

    pub(crate) fn live_conn(&self, shard: u32) -> Option<u64> {
        lock(&self.inner).conns.get(&shard).map(|c| c.id)
    }

    pub(crate) fn stats(&self, shard: u32) -> ShardStats {
        lock(&self.inner)
            .stats
            .get(&shard)
            .copied()
            .unwrap_or_default()
    }

    /// Whether every shard `0..total` has a connection attached to a session.
    pub(crate) fn all_connected(&self, total: u32) -> bool {
        let inner = lock(&self.inner);
        (0..total).all(|s| inner.conns.contains_key(&s) && inner.current.contains_key(&s))
    }
}

fn push(session: &mut Session, name: &str, data: Value) {
    let seq = session.log.len() as u64 + 1;
    let frame = json!({ "op": 0, "s": seq, "t": name, "d": data }).to_string();
    session.log.push(frame);
    session.latest.send_replace(seq);
}

/// What a bot without the MESSAGE_CONTENT intent sees of someone else's guild message.
fn strip_content(mut data: Value) -> Value {
    if let Some(obj) = data.as_object_mut() {
        obj.insert("content".to_owned(), json!(""));
        obj.insert("embeds".to_owned(), json!([]));
        obj.insert("attachments".to_owned(), json!([]));
        obj.insert("components".to_owned(), json!([]));
    }
    data
}
