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
        turns: Box<IdentifyTurns>,
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
                let turns = IdentifyTurns::clone(turns);
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

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn fleet_shards_wait_for_their_bucket_across_processes() {
        let schema = arsenal_store::TestSchema::create_or_explain();
        // Two processes of one bot (max_concurrency 2: buckets 0 and 1).
        let process = || IdentifyQueue::Fleet {
            turns: Box::new(IdentifyTurns::new(schema.url()).expect("url")),
            max_concurrency: 2,
        };
        let (a, b) = (process(), process());
        let start = Instant::now();
        a.enqueue(0).await.expect("shard 0 may identify");
        b.enqueue(1).await.expect("shard 1 may identify");
        assert!(
            start.elapsed() < WINDOW / 2,
            "two buckets identify together"
        );
        // Shard 2 is in shard 0's bucket, run by the other process: it waits out the window.
        b.enqueue(2).await.expect("shard 2 may identify");
        let waited = start.elapsed();
        assert!(
            waited + Duration::from_millis(100) >= WINDOW,
            "shard 2 went after {waited:?}"
        );
    }
}
