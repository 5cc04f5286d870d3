//! Turns shared by every process of a fleet through the PostgreSQL server: the gateway's
//! identify windows (Discord lets `max_concurrency` shards identify per 5 s, one per bucket
//! `shard % max_concurrency`, counted across the whole bot, not per process).
//!
//! A turn is a transaction holding `pg_advisory_xact_lock(IDENTIFY_LOCKS, bucket)`: it reads
//! when the bucket last identified (`arsenal_identify`, server clock), sleeps out the rest of
//! the window, records the new time and commits. The next process waiting on the lock then
//! sees that time. A process that dies mid-turn loses its connection, which ends its
//! transaction and frees the lock; nothing is left to clean up.

use std::time::Duration;

use tokio_postgres::NoTls;

use super::conn::db_error;
use super::parse_config;
use crate::error::StoreError;

/// The first key of the advisory locks of identify turns (the second is the bucket); the
/// table is created under the bucket `-1`.
const IDENTIFY_LOCKS: i32 = 0x4152_5349; // "ARSI"

/// Identify turns on one PostgreSQL server, shared by every process using the same store.
#[derive(Debug, Clone)]
pub struct IdentifyTurns {
    config: tokio_postgres::Config,
}

impl IdentifyTurns {
    /// Turns kept in the store at `url` (its `search_path` chooses the schema, as for the store).
    ///
    /// # Errors
    /// A malformed URL.
    pub fn new(url: &str) -> Result<Self, StoreError> {
        Ok(Self {
            config: parse_config(url)?,
        })
    }

    /// Waits until `bucket` may identify: no other process's (or this one's) identify in the
    /// same bucket within `window`, then records this one. Run it on a Tokio runtime.
    ///
    /// # Errors
    /// The server cannot be reached or refused a statement (the caller decides whether to
    /// wait a whole window on its own instead).
    pub async fn wait_turn(&self, bucket: u32, window: Duration) -> Result<(), StoreError> {
        let (mut client, connection) = self
            .config
            .connect(NoTls)
            .await
            .map_err(|e| db_error("connect to the server for an identify turn", e))?;
        let driver = tokio::spawn(connection);
        let result = async {
            let bucket = i32::try_from(bucket).unwrap_or(i32::MAX);
            let setup = client
                .transaction()
                .await
                .map_err(|e| db_error("begin an identify turn", e))?;
            setup
                .execute("SELECT pg_advisory_xact_lock($1, -1)", &[&IDENTIFY_LOCKS])
                .await
                .map_err(|e| db_error("lock the identify table", e))?;
            setup
                .batch_execute(
                    "CREATE TABLE IF NOT EXISTS arsenal_identify (bucket integer PRIMARY KEY, at timestamptz NOT NULL)",
                )
                .await
                .map_err(|e| db_error("create the identify table", e))?;
            setup
                .commit()
                .await
                .map_err(|e| db_error("create the identify table", e))?;

            let turn = client
                .transaction()
                .await
                .map_err(|e| db_error("begin an identify turn", e))?;
            turn.execute(
                "SELECT pg_advisory_xact_lock($1, $2)",
                &[&IDENTIFY_LOCKS, &bucket],
            )
            .await
            .map_err(|e| db_error("wait for the identify lock", e))?;
            let row = turn
                .query_opt(
                    "SELECT EXTRACT(EPOCH FROM (at + make_interval(secs => $2) - clock_timestamp()))::float8 \
                     FROM arsenal_identify WHERE bucket = $1",
                    &[&bucket, &window.as_secs_f64()],
                )
                .await
                .map_err(|e| db_error("read the last identify", e))?;
            let left: f64 = row.map_or(0.0, |row| row.get(0));
            if left > 0.0 {
                tokio::time::sleep(Duration::from_secs_f64(left.min(window.as_secs_f64()))).await;
            }
            turn.execute(
                "INSERT INTO arsenal_identify (bucket, at) VALUES ($1, clock_timestamp()) \
                 ON CONFLICT (bucket) DO UPDATE SET at = EXCLUDED.at",
                &[&bucket],
            )
            .await
            .map_err(|e| db_error("record the identify", e))?;
            turn.commit()
                .await
                .map_err(|e| db_error("record the identify", e))
        }
        .await;
        drop(client);
        let _ = driver.await;
        result
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::TestSchema;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn processes_take_turns_per_bucket_across_connections() {
        let schema = TestSchema::create_or_explain();
        let window = Duration::from_millis(600);
        // Two handles: two processes of a fleet, each with its own connections.
        let (a, b) = (
            IdentifyTurns::new(schema.url()).unwrap(),
            IdentifyTurns::new(schema.url()).unwrap(),
        );
        let start = Instant::now();
        a.wait_turn(0, window).await.unwrap();
        assert!(
            start.elapsed() < window,
            "the first identify waits for nothing"
        );
        // Another bucket is not held up by bucket 0.
        b.wait_turn(1, window).await.unwrap();
        assert!(
            start.elapsed() < window,
            "bucket 1 does not wait for bucket 0"
        );
        // The other process's next identify in bucket 0 waits out the window.
        b.wait_turn(0, window).await.unwrap();
        let second = start.elapsed();
        assert!(
            second >= window,
            "bucket 0 identified again after {second:?}"
        );
        // Two waiting at once: one goes a window after the other, never together.
        let (x, y) = tokio::join!(
            async {
                a.wait_turn(0, window).await.unwrap();
                start.elapsed()
            },
            async {
                b.wait_turn(0, window).await.unwrap();
                start.elapsed()
            }
        );
        let (first, last) = (x.min(y), x.max(y));
        // Each turn is recorded just before its caller sees it: allow for that moment.
        let slack = Duration::from_millis(50);
        assert!(first + slack >= second + window, "{first:?} vs {second:?}");
        assert!(last + slack >= first + window, "{first:?} then {last:?}");
    }
}
