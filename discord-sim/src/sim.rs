//! The [`Simulator`]: starts the gateway and REST servers on the current tokio runtime and
//! gives tests access to the world, the request log, violations and faults.

use crate::faults::{FaultQueue, Faults};
use crate::gateway::{self, hub::Hub, ShardStats};
use crate::openapi::Spec;
use crate::record::{RecordedRequest, Violation};
use crate::world::World;
use crate::{lock, rest};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How to start a simulator.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// The bot token clients must present (without the `Bot ` prefix).
    pub token: String,
    pub world: World,
    /// Recommended shard count (`GET /gateway/bot`); clients may identify with any count.
    pub shards: u32,
    /// The heartbeat interval HELLO announces (Discord's is 41.25 s; a test of heartbeat
    /// cadence announces a short one).
    pub heartbeat_interval: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            token: "sim-token".to_owned(),
            world: World::demo(),
            shards: 1,
            heartbeat_interval: Duration::from_millis(41_250),
        }
    }
}

/// State shared by the servers and the test-facing handles.
pub(crate) struct Shared {
    pub token: String,
    pub shards: u32,
    pub heartbeat_interval: Duration,
    pub world: Mutex<World>,
    pub hub: Hub,
    /// Bumped after every world change, to wake waiters.
    pub changes: watch::Sender<u64>,
    pub requests: Mutex<Vec<RecordedRequest>>,
    pub violations: Mutex<Vec<Violation>>,
    pub faults: Mutex<FaultQueue>,
    pub gateway_hold: watch::Sender<bool>,
    pub gateway_url: String,
    pub rest_addr: SocketAddr,
    pub shutdown: watch::Sender<bool>,
    pub spec: &'static Spec,
    /// The voice gateway and UDP server VOICE_SERVER_UPDATE points at.
    pub voice: Arc<crate::voice::VoiceServer>,
}

impl Shared {
    /// Runs `change` on the world, then routes the events it produced to the gateway while
    /// still holding the world lock (event order = change order), then wakes waiters.
    pub(crate) fn with_world<R>(&self, change: impl FnOnce(&mut World) -> R) -> R {
        let result = {
            let mut world = lock(&self.world);
            let result = change(&mut world);
            let events = world.take_outbox();
            if !events.is_empty() {
                self.hub.publish(events);
            }
            result
        };
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
        result
    }

    pub(crate) fn violation(&self, method: &str, path: &str, reason: String) {
        tracing::warn!(%method, %path, %reason, "discord-sim: request Discord would reject");
        lock(&self.violations).push(Violation {
            method: method.to_owned(),
            path: path.to_owned(),
            reason,
        });
    }

    /// Waits until `check` returns `Some` (checked after every world change) or `timeout`.
    pub(crate) async fn wait_for<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut(&World) -> Option<T>,
    ) -> Option<T> {
        let mut changes = self.changes.subscribe();
        let wait = async {
            loop {
                changes.borrow_and_update();
                if let Some(found) = check(&lock(&self.world)) {
                    return Some(found);
                }
                if changes.changed().await.is_err() {
                    return None;
                }
            }
        };
        tokio::time::timeout(timeout, wait).await.ok().flatten()
    }
}

/// An in-process fake Discord: a gateway and a REST API over one shared [`World`].
pub struct Simulator {
    pub(crate) shared: Arc<Shared>,
}

impl Simulator {
    /// Binds the gateway, REST and voice servers on `127.0.0.1` (random ports) and starts
    /// serving on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// Fails if a listener cannot be bound.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        let gateway_listener = TcpListener::bind("127.0.0.1:0").await?;
        let rest_listener = TcpListener::bind("127.0.0.1:0").await?;
        let rest_addr = rest_listener.local_addr()?;
        let gateway_url = format!("ws://{}", gateway_listener.local_addr()?);
        let shutdown = watch::channel(false).0;
        let voice = crate::voice::VoiceServer::start(shutdown.subscribe()).await?;
        let mut world = config.world;
        world.cdn_base = format!("http://{rest_addr}");
        let shared = Arc::new(Shared {
            token: config
                .token
                .strip_prefix("Bot ")
                .unwrap_or(&config.token)
                .to_owned(),
            shards: config.shards.max(1),
            heartbeat_interval: config.heartbeat_interval,
            world: Mutex::new(world),
            hub: Hub::new(),
            changes: watch::channel(0).0,
            requests: Mutex::new(Vec::new()),
            violations: Mutex::new(Vec::new()),
            faults: Mutex::new(FaultQueue::default()),
            gateway_hold: watch::channel(false).0,
            gateway_url,
            rest_addr,
            shutdown,
            spec: Spec::get(),
            voice,
        });
        tokio::spawn(gateway::run(gateway_listener, Arc::clone(&shared)));
        tokio::spawn(rest::run(rest_listener, Arc::clone(&shared)));
        Ok(Simulator { shared })
    }

    /// `127.0.0.1:PORT` of the REST API, for `twilight_http::Client::builder().proxy(.., true)`.
    pub fn rest_addr(&self) -> SocketAddr {
        self.shared.rest_addr
    }

    /// `ws://127.0.0.1:PORT` (no trailing slash), for twilight-gateway's `proxy_url`.
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url.clone()
    }

    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// A snapshot of the world (a clone: cheap for test-sized worlds, never holds a lock).
    pub fn world(&self) -> World {
        lock(&self.shared.world).clone()
    }

    /// Reads the world without cloning it. Do not call simulator methods inside `read`.
    pub fn with_world<R>(&self, read: impl FnOnce(&World) -> R) -> R {
        read(&lock(&self.shared.world))
    }

    /// Changes the world directly (dispatching the events the change queues). For setup that
    /// has no scripted action; `World`'s builder methods do not emit events.
    pub fn modify_world<R>(&self, change: impl FnOnce(&mut World) -> R) -> R {
        self.shared.with_world(change)
    }

    /// Waits until `check` finds something in the world (re-checked after every change).
    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        check: impl FnMut(&World) -> Option<T>,
    ) -> Option<T> {
        self.shared.wait_for(timeout, check).await
    }

    /// Waits until shards `0..shards` each have a live, identified connection. Events produced
    /// before a shard identifies are not delivered to it (as on Discord).
    pub async fn wait_gateway_ready(&self, shards: u32, timeout: Duration) -> bool {
        let mut changes = self.shared.hub.changes.subscribe();
        let wait = async {
            while !self.shared.hub.all_connected(shards) {
                if changes.changed().await.is_err() {
                    return false;
                }
            }
            true
        };
        tokio::time::timeout(timeout, wait).await.unwrap_or(false)
    }

    /// Every dispatch the world produces from now on (bot actions and scripted users alike),
    /// regardless of shards and intents. Lagging receivers lose the oldest events (capacity
    /// 1024). Ephemeral interaction responses are not dispatched; use [`crate::InteractionHandle`].
    pub fn observe(&self) -> tokio::sync::broadcast::Receiver<crate::ObservedEvent> {
        self.shared.hub.observe()
    }

    /// Gateway counters for one shard (connections, identifies, resumes, ...).
    pub fn shard_stats(&self, shard: u32) -> ShardStats {
        self.shared.hub.stats(shard)
    }

    /// When each heartbeat (op 1) of the shard's connections arrived, oldest first.
    pub fn heartbeats(&self, shard: u32) -> Vec<std::time::Instant> {
        self.shared.hub.heartbeats(shard)
    }

    /// Every REST request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Requests whose `"METHOD /route/{template}"` contains `filter`.
    pub fn requests_matching(&self, filter: &str) -> Vec<RecordedRequest> {
        lock(&self.shared.requests)
            .iter()
            .filter(|r| r.route_key().contains(filter))
            .cloned()
            .collect()
    }

    /// Requests Discord would have rejected.
    pub fn violations(&self) -> Vec<Violation> {
        lock(&self.shared.violations).clone()
    }

    /// Panics listing every violation, if there is any. Call at the end of each test.
    ///
    /// # Panics
    ///
    /// If any request was invalid according to Discord's OpenAPI description or rules.
    pub fn assert_no_violations(&self) {
        let violations = self.violations();
        if !violations.is_empty() {
            let list: Vec<String> = violations.iter().map(|v| format!("  - {v}")).collect();
            panic!(
                "discord-sim: {} request(s) Discord would reject:\n{}",
                violations.len(),
                list.join("\n")
            );
        }
    }

    /// Forgets recorded requests and violations (e.g. after a setup phase).
    pub fn clear_log(&self) {
        lock(&self.shared.requests).clear();
        lock(&self.shared.violations).clear();
    }

    /// The voice server: the CA to trust, what each guild's bot sent, voice faults.
    pub fn voice(&self) -> crate::voice::VoiceHandle {
        crate::voice::VoiceHandle {
            server: Arc::clone(&self.shared.voice),
        }
    }

    pub fn faults(&self) -> Faults {
        Faults {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Stops the servers and closes live gateway and voice connections (close code 1001).
    pub async fn shutdown(self) {
        self.shared.shutdown.send_replace(true);
        tokio::task::yield_now().await;
    }
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("rest_addr", &self.shared.rest_addr)
            .field("gateway_url", &self.shared.gateway_url)
            .finish_non_exhaustive()
    }
}
