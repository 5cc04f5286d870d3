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
//!
//! At start a shard whose session was saved (`saved_session`) RESUMEs it; Discord answering
//! INVALID_SESSION makes twilight identify instead. Each loop saves its session every
//! `SAVE_EVERY`. How a loop ends decides what happens to the session: replaced (closed 1000,
//! its successor saves its own), stopped (closed 1000, forgotten), or handed over to the next
//! process (closed 4000, which Discord keeps resumable; every frame received until the close
//! is handled, then the exact sequence and the guild snapshot are saved).

use std::{
    sync::{atomic::Ordering, Arc},
    task::Poll,
    time::Duration,
};

use futures_util::StreamExt;
use tokio::sync::watch;
use twilight_gateway::{CloseFrame, ConfigBuilder, Intents, Message, Shard, ShardId, ShardState};

use super::{
    gateway::handle_frame,
    identify_queue::IdentifyQueue,
    saved_session::{self, Resumable, SessionSaver, SAVE_EVERY},
    shared::Shared,
};
use crate::plugins::PluginManager;

/// How a shard loop must end; it serves while `Serving`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    Serving,
    /// A successor session is ready: close this one for good.
    Replaced,
    /// The host stops: close the session for good and forget it.
    Stopped,
    /// The host re-executes itself: close resumably and save the session for the next process.
    HandedOver,
}

/// One shard's loop, and the signal that ends it.
struct RunningShard {
    task: tokio::task::JoinHandle<()>,
    retire: Arc<watch::Sender<Ending>>,
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
    /// Starts this process's shards (`shared.shard_range`): those with a session in `resume`
    /// (by position in the range) resume it, the others identify with `intents`, each waiting
    /// for its turn in `queue`.
    pub(crate) fn start(
        shared: &Arc<Shared>,
        intents: Intents,
        queue: IdentifyQueue,
        resume: Vec<Option<Resumable>>,
    ) -> Self {
        let mut shards = Self {
            running: Vec::new(),
            retiring: Vec::new(),
            queue,
            closed: false,
        };
        shards.replace(shared, intents, resume);
        shards
    }

    /// Identifies a new session per shard with `intents` (or resumes the one `resume` holds at
    /// its position); each old shard keeps serving until its successor is ready.
    fn replace(
        &mut self,
        shared: &Arc<Shared>,
        intents: Intents,
        mut resume: Vec<Option<Resumable>>,
    ) {
        self.retiring.retain(|s| !s.task.is_finished());
        let old = std::mem::take(&mut self.running);
        let token = shared
            .settings
            .token
            .as_ref()
            .map(|t| t.expose().to_owned())
            .unwrap_or_default();
        for (position, index) in shared.shard_range.clone().enumerate() {
            let saved = resume.get_mut(position).and_then(Option::take);
            let mut config =
                ConfigBuilder::new(token.clone(), saved.as_ref().map_or(intents, |s| s.intents))
                    .queue(self.queue.clone());
            if let Some(url) = &shared.settings.gateway {
                config = config.proxy_url(url.clone());
            }
            if let Some(saved) = saved {
                config = config.session(saved.session).resume_url(saved.resume_url);
            }
            let shard =
                Shard::with_config(ShardId::new(index, shared.total_shards), config.build());
            let retire = Arc::new(watch::channel(Ending::Serving).0);
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

    /// Stops handling events; no replacement starts after this. With `hand_over`, every
    /// serving shard closes resumably and saves its session for the next process; otherwise
    /// each closes its session for good and forgets it.
    pub(crate) async fn close(&mut self, hand_over: bool) {
        self.closed = true;
        let ending = if hand_over {
            Ending::HandedOver
        } else {
            Ending::Stopped
        };
        for shard in &self.running {
            shard.retire.send_replace(ending);
        }
        for shard in &self.retiring {
            shard.retire.send_replace(Ending::Replaced);
        }
        let shards: Vec<RunningShard> = self
            .running
            .drain(..)
            .chain(self.retiring.drain(..))
            .collect();
        // A hand-over also writes the session durably: give it time (an aborted one leaves the
        // last periodic save, so the next process replays a little more).
        let limit = CLOSE_TIMEOUT * if hand_over { 10 } else { 2 };
        for shard in shards {
            let abort = shard.task.abort_handle();
            if tokio::time::timeout(limit, shard.task).await.is_err() {
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
    shards.replace(shared, intents, Vec::new());
}

/// How long a retiring shard waits for its close frame to go out.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

async fn run_shard(
    shared: Arc<Shared>,
    mut shard: Shard<IdentifyQueue>,
    mut retire: watch::Receiver<Ending>,
    mut predecessor: Option<Arc<watch::Sender<Ending>>>,
) {
    let id = shard.id();
    let mut was_ready = false;
    let mut metrics = crate::metrics::gateway::ShardMetrics::new(id.number());
    let mut saver = SessionSaver::new(id.number());
    let mut save_tick = tokio::time::interval(SAVE_EVERY);
    save_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let item = tokio::select! {
            // Checked before every frame: nothing is handled once a successor took over.
            biased;
            ending = async {
                retire.wait_for(|e| *e != Ending::Serving).await.map_or(Ending::Replaced, |e| *e)
            } => {
                match ending {
                    Ending::HandedOver => {
                        hand_over(&shared, &mut shard, &mut metrics).await;
                        let session = saved_session::record(&shard);
                        saver.finish(&shared, session).await;
                    }
                    Ending::Stopped => {
                        close_without_reconnecting(&mut shard).await;
                        saver.forget(&shared).await;
                    }
                    Ending::Replaced | Ending::Serving => {
                        close_without_reconnecting(&mut shard).await;
                    }
                }
                return;
            }
            _ = save_tick.tick() => {
                saver.tick(&shared, &shard);
                continue;
            }
            item = shard.next() => item,
        };
        let Some(item) = item else { break };
        match item {
            Ok(Message::Text(frame)) => {
                metrics.latency(shard.latency());
                if handle_frame(&shared, &frame, &mut metrics) {
                    if let Ok(mut senders) = shared.shard_senders.write() {
                        senders.insert(id.number(), shard.sender());
                    }
                    if !was_ready {
                        was_ready = true;
                        shared.shard_ready();
                    }
                    if let Some(old) = predecessor.take() {
                        old.send_replace(Ending::Replaced);
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

/// Closes resumably (4000) and stops as soon as the close is on its way, handling the frames
/// twilight returned until then: its session's sequence counts exactly the frames it returned,
/// all handed to the modules, and Discord replays the rest to the next process (so stopping
/// early loses nothing, and a gateway that keeps sending cannot delay the hand-over). Polled
/// past the close, the shard would reconnect and resume here.
async fn hand_over(
    shared: &Arc<Shared>,
    shard: &mut Shard<IdentifyQueue>,
    metrics: &mut crate::metrics::gateway::ShardMetrics,
) {
    shard.close(CloseFrame::RESUME);
    let started = std::time::Instant::now();
    let mut frames = 0_u32;
    let drained = std::future::poll_fn(|cx| loop {
        match shard.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(Message::Text(frame)))) => {
                frames += 1;
                handle_frame(shared, &frame, metrics);
                if matches!(shard.state(), ShardState::Disconnected { .. }) {
                    return Poll::Ready("closed".to_owned());
                }
            }
            Poll::Ready(other) => return Poll::Ready(format!("{other:?}")),
            Poll::Pending if matches!(shard.state(), ShardState::Disconnected { .. }) => {
                return Poll::Ready("pending, disconnected".to_owned())
            }
            Poll::Pending => return Poll::Pending,
        }
    });
    let ended = tokio::time::timeout(CLOSE_TIMEOUT, drained).await;
    tracing::debug!(
        shard = shard.id().number(),
        frames,
        ?ended,
        elapsed = ?started.elapsed(),
        "closed resumably; frames received meanwhile were handled"
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
