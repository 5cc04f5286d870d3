//! One connection with the store's statements prepared on it, and the small set of connections
//! reads share.
//!
//! Why not a pool crate: tokio-postgres pipelines concurrent queries on one connection, so reads
//! need no check-out, only a few connections taken in turn (and replaced when the server closed
//! them); the writes have their own connection, owned by the group-commit task. A pool crate would
//! add its own threads and several crates to every build for none of that.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio_postgres::{Client, NoTls, Statement};

use crate::error::{StoreError, StoreErrorType};

pub(crate) fn db_error(action: &'static str, e: tokio_postgres::Error) -> StoreError {
    StoreError::with_source(StoreErrorType::Database { action }, e)
}

/// The statements every connection prepares once.
#[derive(Debug)]
pub(crate) struct Conn {
    pub client: Client,
    pub get: Statement,
    /// `(namespace, from)`: every key `>= from`, in key order.
    pub list_from: Statement,
    /// `(namespace, from, below)`: every key in `[from, below)`, in key order.
    pub list_range: Statement,
    /// Current versions of `(namespaces[], keys[])`.
    pub lookup: Statement,
    /// Takes the write lock and reserves `$1` sequence numbers; returns the last one.
    pub reserve: Statement,
    /// Upserts `(ns[], key[], value[], version[])` and deletes `(ns[], key[])`.
    pub apply: Statement,
    /// Upserts `(ns[], key[], value[], offset[])` with version `last_seq - $5 + offset`: after
    /// `reserve` reserved `$5` numbers in the same transaction, so it needs no answer from it.
    pub apply_reserved: Statement,
}

impl Conn {
    pub(crate) async fn connect(config: &tokio_postgres::Config) -> Result<Conn, StoreError> {
        let (client, connection) = config
            .connect(NoTls)
            .await
            .map_err(|e| db_error("connect to the server", e))?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, "a PostgreSQL store connection closed");
            }
        });
        let prepare = |sql: &'static str| {
            let client = &client;
            async move {
                client
                    .prepare(sql)
                    .await
                    .map_err(|e| db_error("prepare its statements", e))
            }
        };
        let get =
            prepare("SELECT value, version FROM arsenal_kv WHERE namespace = $1 AND key = $2")
                .await?;
        let list_from = prepare(
            "SELECT key, value, version FROM arsenal_kv WHERE namespace = $1 AND key >= $2 ORDER BY key",
        )
        .await?;
        let list_range = prepare(
            "SELECT key, value, version FROM arsenal_kv WHERE namespace = $1 AND key >= $2 AND key < $3 ORDER BY key",
        )
        .await?;
        let lookup = prepare(
            "SELECT k.namespace, k.key, k.version FROM arsenal_kv k \
             JOIN unnest($1::text[], $2::text[]) AS q(ns, key) ON k.namespace = q.ns AND k.key = q.key",
        )
        .await?;
        let reserve = prepare(
            "UPDATE arsenal_meta SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq",
        )
        .await?;
        let apply = prepare(
            "WITH removed AS (DELETE FROM arsenal_kv k USING unnest($5::text[], $6::text[]) AS d(ns, key) \
                              WHERE k.namespace = d.ns AND k.key = d.key) \
             INSERT INTO arsenal_kv (namespace, key, value, version) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::bigint[]) \
             ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, version = excluded.version",
        )
        .await?;
        let apply_reserved = prepare(
            "INSERT INTO arsenal_kv (namespace, key, value, version) \
             SELECT u.ns, u.key, u.value, m.last_seq - $5 + u.off \
             FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::bigint[]) AS u(ns, key, value, off), \
                  arsenal_meta m WHERE m.id = 1 \
             ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, version = excluded.version",
        )
        .await?;
        Ok(Conn {
            client,
            apply_reserved,
            get,
            list_from,
            list_range,
            lookup,
            reserve,
            apply,
        })
    }
}

/// The read connections, taken in turn; a closed one is replaced on its next use.
#[derive(Debug)]
pub(crate) struct ReadPool {
    config: tokio_postgres::Config,
    slots: Mutex<Vec<Option<Arc<Conn>>>>,
    next: AtomicUsize,
}

impl ReadPool {
    pub(crate) fn new(config: tokio_postgres::Config, size: usize) -> Self {
        Self {
            config,
            slots: Mutex::new(vec![None; size.max(1)]),
            next: AtomicUsize::new(0),
        }
    }

    pub(crate) async fn get(&self) -> Result<Arc<Conn>, StoreError> {
        let slot = {
            let slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            let i = self.next.fetch_add(1, Ordering::Relaxed) % slots.len();
            match &slots[i] {
                Some(conn) if !conn.client.is_closed() => return Ok(conn.clone()),
                _ => i,
            }
        };
        let conn = Arc::new(Conn::connect(&self.config).await?);
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots[slot] = Some(conn.clone());
        Ok(conn)
    }

    pub(crate) fn close(&self) {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.iter_mut().for_each(|s| *s = None);
    }
}
