//! The running gateway shards, replaceable as a whole: when a module loaded later needs intents
//! the session lacks, the host identifies new shards with the union and retires the old ones.
//!
//! What a replacement guarantees, per shard: the old session's frames are handled until the new
//! session's READY has been handled, and none after (the new loop signals the old one, which
//! checks for that signal before every frame); the old loop then sends a normal close (1000) and
//! ends without ever reconnecting. Discord stops sending to the old session once it is closed,
//! so an event is handled by the old session or by the new one; only one sent to both in the
//! instant between the new READY and the old loop seeing the signal could be handled twice. If the
//! new session never becomes ready (e.g. Discord refuses a privileged intent not enabled in the
//! developer portal), the old one keeps serving and the new shard's loop logs the refusal.

use std::{
    sync::{atomic::Ordering, Arc},
    task::Poll,
    time::Duration,
};

use futures_util::StreamExt;
use tokio::sync::watch;
use twilight_gateway::{CloseFrame, ConfigBuilder, Intents, Message, Shard, ShardId, ShardState};

use super::{gateway::handle_frame, identify_queue::IdentifyQueue, shared::Shared};
use crate::plugins::PluginManager;

/// One shard's loop, and the signal that ends it.
struct RunningShard {
    task: tokio::task::JoinHandle<()>,
    /// Set to true when the shard must stop: a successor took over, or the host is closing.
    retire: Arc<watch::Sender<bool>>,
}

/// Every shard of this process: the serving ones, and old ones still closing.
pub(crate) struct Shards {
    running: Vec<RunningShard>,
    retiring: Vec<RunningShard>,
    /// One identify queue for every shard and every reconnection (Discord limits identifies per
    /// bucket, not per shard object); shared with the other processes of a fleet.
    queue: IdentifyQueue,
    closed: bool,
}

impl Shards {
    /// Starts this process's shards (`shared.shard_range`) identifying with `intents`, each
    /// waiting for its turn in `queue`.
    pub(crate) fn start(shared: &Arc<Shared>, intents: Intents, queue: IdentifyQueue) -> Self {
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
        for (position, index) in shared.shard_range.clone().enumerate() {
            let mut config = ConfigBuilder::new(token.clone(), intents).queue(self.queue.clone());
            if let Some(url) = &shared.settings.gateway {
                config = config.proxy_url(url.clone());
            }
            let shard =
                Shard::with_config(ShardId::new(index, shared.total_shards), config.build());
            let retire = Arc::new(watch::channel(false).0);
            let predecessor = old.get(position).map(|s| Arc::clone(&s.retire));
            self.running.push(RunningShard {
                task: tokio::spawn(run_shard(
                    Arc::clone(shared),
                    shard,
                    retire.subscribe(),
                    predecessor,
                )),
                retire,
            });
        }
        // Kept until they end, so closing the host also closes one whose successor is not
        // ready yet.
        self.retiring.extend(old);
    }

    /// Closes every shard normally and stops handling events; no replacement starts after this.
    pub(crate) async fn close(&mut self) {
        self.closed = true;
        let shards: Vec<RunningShard> = self
            .running
            .drain(..)
            .chain(self.retiring.drain(..))
            .collect();
        for shard in &shards {
            shard.retire.send_replace(true);
        }
        for shard in shards {
            let abort = shard.task.abort_handle();
            if tokio::time::timeout(CLOSE_TIMEOUT * 2, shard.task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

/// The intents the host and every loaded module need.
pub(crate) fn wanted_intents(host: Intents, manager: &PluginManager) -> Intents {
    manager
        .status()
        .iter()
        .flat_map(|s| {
            // A canary's events need their intents too.
            let canary = s.canary.as_ref().map(|c| &c.status.state);
            std::iter::once(&s.state).chain(canary)
        })
        .filter_map(|state| state.manifest.as_ref())
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

/// How long a retiring shard waits for its close frame to go out.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

async fn run_shard(
    shared: Arc<Shared>,
    mut shard: Shard<IdentifyQueue>,
    mut retire: watch::Receiver<bool>,
    mut predecessor: Option<Arc<watch::Sender<bool>>>,
) {
    let id = shard.id();
    let mut was_ready = false;
    let mut metrics = crate::metrics::gateway::ShardMetrics::new(id.number());
    loop {
        let item = tokio::select! {
            // Checked before every frame: nothing is handled once a successor took over.
            biased;
            () = async { let _ = retire.wait_for(|retired| *retired).await; } => {
                close_without_reconnecting(&mut shard).await;
                return;
            }
            item = shard.next() => item,
        };
        let Some(item) = item else { break };
        match item {
            Ok(Message::Text(frame)) => {
                metrics.latency(shard.latency());
                if handle_frame(&shared, &frame, &mut metrics) {
                    if !was_ready {
                        was_ready = true;
                        shared.shard_ready();
                    }
                    if let Some(old) = predecessor.take() {
                        old.send_replace(true);
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

/// Sends a normal close and drops the shard as soon as the frame is out: polled further, a
/// twilight shard whose connection ended reconnects (a new IDENTIFY) on its own.
async fn close_without_reconnecting(shard: &mut Shard<IdentifyQueue>) {
    shard.close(CloseFrame::NORMAL);
    let sent = std::future::poll_fn(|cx| match shard.poll_next_unpin(cx) {
        Poll::Ready(_) => Poll::Ready(()),
        Poll::Pending if matches!(shard.state(), ShardState::Disconnected { .. }) => {
            Poll::Ready(())
        }
        Poll::Pending => Poll::Pending,
    });
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, sent).await;
}
