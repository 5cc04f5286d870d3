//! The running gateway shards, replaceable as a whole: when a module loaded later needs intents
//! the session lacks, the host identifies new shards with the union and retires the old ones.
//!
//! What a replacement guarantees, per shard: the old session's frames are handled until the new
//! session's READY has been handled, and none after (the old loop checks a `retired` flag before
//! each frame, set by the new loop when its READY arrives); then the old connection is closed
//! normally (1000) and its loop ends. Events Discord sends only to the old session before the new
//! one is ready are therefore handled once, by the old one. If the new session never becomes
//! ready (e.g. Discord refuses a privileged intent not enabled in the developer portal), the old
//! one keeps serving and the refusal is logged by the new shard's loop.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use futures_util::StreamExt;
use twilight_gateway::{
    queue::InMemoryQueue, CloseFrame, ConfigBuilder, Intents, Message, MessageSender, Shard,
    ShardId,
};

use super::{gateway::handle_frame, shared::Shared};
use crate::plugins::PluginManager;

/// One shard's connection and its loop.
struct RunningShard {
    sender: MessageSender,
    task: tokio::task::JoinHandle<()>,
    /// Set once a successor session took over: the loop handles nothing more.
    retired: Arc<AtomicBool>,
}

/// What a new shard's loop retires when its own session is ready.
struct Predecessor {
    sender: MessageSender,
    retired: Arc<AtomicBool>,
}

impl Predecessor {
    fn retire(self) {
        self.retired.store(true, Ordering::Release);
        let _ = self.sender.close(CloseFrame::NORMAL);
    }
}

/// Every shard of this process: the serving ones, and old ones still closing.
pub(crate) struct Shards {
    running: Vec<RunningShard>,
    retiring: Vec<RunningShard>,
    /// One identify queue for every shard and every reconnection (Discord limits identifies per
    /// bucket, not per shard object).
    queue: InMemoryQueue,
    closed: bool,
}

impl Shards {
    /// Starts `shared.shard_count` shards identifying with `intents`.
    pub(crate) fn start(shared: &Arc<Shared>, intents: Intents) -> Self {
        let queue = if shared.settings.gateway.is_some() {
            // A local server: no identify rate limit to respect.
            InMemoryQueue::new(0, 0, Duration::ZERO, 0)
        } else {
            InMemoryQueue::default()
        };
        let mut shards = Self {
            running: Vec::new(),
            retiring: Vec::new(),
            queue,
            closed: false,
        };
        shards.replace(shared, intents);
        shards
    }

    /// Identifies a new session per shard with `intents`; each old shard keeps serving until
    /// its successor is ready.
    fn replace(&mut self, shared: &Arc<Shared>, intents: Intents) {
        self.retiring.retain(|s| !s.task.is_finished());
        let old = std::mem::take(&mut self.running);
        let token = shared
            .settings
            .token
            .as_ref()
            .map(|t| t.expose().to_owned())
            .unwrap_or_default();
        for index in 0..shared.shard_count {
            let mut config = ConfigBuilder::new(token.clone(), intents).queue(self.queue.clone());
            if let Some(url) = &shared.settings.gateway {
                config = config.proxy_url(url.clone());
            }
            let shard = Shard::with_config(ShardId::new(index, shared.shard_count), config.build());
            let retired = Arc::new(AtomicBool::new(false));
            let predecessor = old.get(index as usize).map(|s| Predecessor {
                sender: s.sender.clone(),
                retired: Arc::clone(&s.retired),
            });
            self.running.push(RunningShard {
                sender: shard.sender(),
                task: tokio::spawn(run_shard(
                    Arc::clone(shared),
                    shard,
                    Arc::clone(&retired),
                    predecessor,
                )),
                retired,
            });
        }
        self.retiring.extend(old);
        // An old shard whose successor never gets ready keeps serving; one whose close never
        // completes must not linger for ever.
        let stuck: Vec<_> = self.retiring.iter().map(|s| s.task.abort_handle()).collect();
        let retired: Vec<_> = self
            .retiring
            .iter()
            .map(|s| Arc::clone(&s.retired))
            .collect();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(30)).await;
            for (task, retired) in stuck.iter().zip(retired) {
                if retired.load(Ordering::Acquire) {
                    task.abort();
                }
            }
        });
    }

    /// Closes every shard normally and stops handling events; no replacement starts after this.
    pub(crate) async fn close(&mut self) {
        self.closed = true;
        for shard in self.running.iter().chain(&self.retiring) {
            let _ = shard.sender.close(CloseFrame::NORMAL);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        for shard in self.running.drain(..).chain(self.retiring.drain(..)) {
            shard.task.abort();
        }
    }
}

/// The intents the host and every loaded module need.
pub(crate) fn wanted_intents(host: Intents, manager: &PluginManager) -> Intents {
    manager
        .status()
        .iter()
        .filter_map(|s| s.state.manifest.as_ref())
        .fold(host, |all, m| all | Intents::from_bits_truncate(m.intents))
}

/// Reconnects the shards with more intents when a loaded module needs some the session lacks.
/// Intents are never dropped (an unloaded module's events simply go nowhere).
pub(crate) async fn follow_intents(
    shared: &Arc<Shared>,
    shards: &tokio::sync::Mutex<Shards>,
    host: Intents,
) {
    let mut shards = shards.lock().await;
    let current = shared.intents();
    let missing = wanted_intents(host, &shared.manager) - current;
    if missing.is_empty() || shards.closed {
        return;
    }
    let intents = current | missing;
    tracing::info!(
        ?missing,
        "a loaded module needs gateway intents this session lacks; identifying again with them"
    );
    shared.intents.store(intents.bits(), Ordering::Release);
    shards.replace(shared, intents);
}

async fn run_shard(
    shared: Arc<Shared>,
    mut shard: Shard,
    retired: Arc<AtomicBool>,
    mut predecessor: Option<Predecessor>,
) {
    let id = shard.id();
    let mut was_ready = false;
    while let Some(item) = shard.next().await {
        if retired.load(Ordering::Acquire) {
            // A successor session serves this shard now; our close frame ends the loop.
            if matches!(item, Ok(Message::Close(_))) {
                return;
            }
            continue;
        }
        match item {
            Ok(Message::Text(frame)) => {
                if handle_frame(&shared, &frame) {
                    if !was_ready {
                        was_ready = true;
                        shared.shard_ready();
                    }
                    if let Some(old) = predecessor.take() {
                        old.retire();
                    }
                }
            }
            Ok(Message::Close(frame)) => {
                tracing::warn!(
                    shard = id.number(),
                    ?frame,
                    "gateway connection closed; reconnecting"
                );
            }
            Err(error) => tracing::warn!(shard = id.number(), "gateway error: {error}"),
        }
    }
    tracing::error!(
        shard = id.number(),
        "the gateway ended this shard's session for good (a rejected token or disallowed intents: check DISCORD_TOKEN and the privileged intents in the developer portal)"
    );
}
