//! The identify queue of this process's shards: Discord lets `max_concurrency` shards identify
//! per 5 s (one per bucket `shard % max_concurrency`) for the whole bot, so processes sharing a
//! PostgreSQL store take turns through it ([`arsenal_store::IdentifyTurns`]); a process alone
//! (the JSON store) uses twilight's in-memory queue; against a local server (the simulator) no
//! one waits.

use std::time::Duration;

use arsenal_store::IdentifyTurns;
use tokio::sync::oneshot;
use twilight_gateway::queue::{InMemoryQueue, Queue};

/// How long Discord counts an identify against its bucket.
const WINDOW: Duration = Duration::from_secs(5);

/// Where this process's shards wait before identifying.
#[derive(Debug, Clone)]
pub(crate) enum IdentifyQueue {
    /// One process: twilight's queue (which also follows the daily session-start limit).
    Local(InMemoryQueue),
    /// A fleet: turns kept in the shared PostgreSQL store.
    Fleet {
        turns: IdentifyTurns,
        max_concurrency: u16,
    },
}

impl IdentifyQueue {
    /// No waiting at all (a local test server has no identify limit).
    pub(crate) fn unlimited() -> Self {
        Self::Local(InMemoryQueue::new(0, 0, Duration::ZERO, 0))
    }
}

impl Queue for IdentifyQueue {
    fn enqueue(&self, shard: u32) -> oneshot::Receiver<()> {
        match self {
            Self::Local(queue) => queue.enqueue(shard),
            Self::Fleet {
                turns,
                max_concurrency,
            } => {
                let (tx, rx) = oneshot::channel();
                let bucket = shard % u32::from((*max_concurrency).max(1));
                let turns = turns.clone();
                tokio::spawn(async move {
                    if let Err(error) = turns.wait_turn(bucket, WINDOW).await {
                        // Without the server, wait a whole window: never identify too early.
                        tracing::warn!(
                            shard,
                            "the shared identify queue is unreachable ({error}); waiting {WINDOW:?} before identifying"
                        );
                        tokio::time::sleep(WINDOW).await;
                    }
                    let _ = tx.send(());
                });
                rx
            }
        }
    }
}
