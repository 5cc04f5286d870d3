//! The PostgreSQL backend: one row per key (`jsonb`), one transaction per group commit.
//!
//! Same guarantees as the JSON store: durable when acknowledged (after `COMMIT`), per-key
//! versions that are unique and increasing across the store, atomic multi-key transactions with
//! the same optimistic checks, namespaces validated the same way. Reads go to the database, so
//! they see exactly what is committed. See [`committer`] for the write path and [`schema`] for
//! the tables.

mod check;
mod claims;
mod committer;
mod conn;
mod locks;
mod schema;
mod test_schema;
mod worker;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::SystemTime;

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;
use tokio_postgres::Row;

pub use check::{check_postgres, PgCheckReport};
pub use locks::IdentifyTurns;
pub use test_schema::TestSchema;

use self::committer::WriteRequest;
use self::conn::{db_error, Conn, ReadPool};
use self::worker::Worker;
use crate::error::{StoreError, StoreErrorType};
use crate::location::redact;
use crate::namespace_file::validate_namespace;
use crate::observer::CommitObserver;
use crate::types::{CommitOutcome, Health, NamespaceStatus, Versioned};

/// Connections reads take in turn (each pipelines any number of concurrent reads).
const READ_CONNECTIONS: usize = 2;

/// A handle on a PostgreSQL store. Cheap to clone; all clones share the connections.
#[derive(Debug, Clone)]
pub(crate) struct PgStore {
    inner: Arc<PgInner>,
}

#[derive(Debug)]
struct PgInner {
    url: String,
    reads: Arc<ReadPool>,
    writes: Mutex<Option<UnboundedSender<WriteRequest>>>,
    closed: AtomicBool,
    last_write: Arc<Mutex<HashMap<String, SystemTime>>>,
    /// Last field: dropped last, which stops the connections' tasks.
    worker: Worker,
}

/// How long connecting may take when the URL does not say (`connect_timeout=` in seconds).
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

pub(crate) fn parse_config(url: &str) -> Result<tokio_postgres::Config, StoreError> {
    let mut config = url.parse::<tokio_postgres::Config>().map_err(|e| {
        StoreError::with_source(
            StoreErrorType::Database {
                action: "read the store URL (expected postgres://user@host:port/database)",
            },
            e,
        )
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    Ok(config)
}

impl PgStore {
    /// Connect, create or upgrade the schema, and start the group-commit task.
    pub(crate) fn open(url: &str, observer: Option<CommitObserver>) -> Result<PgStore, StoreError> {
        let config = parse_config(url)?;
        let worker = Worker::start()?;
        let cfg = config.clone();
        let write_conn = worker.run(async move {
            let (mut client, connection) = cfg
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(|e| db_error("connect to the server", e))?;
            let driver = tokio::spawn(connection);
            schema::migrate(&mut client).await?;
            drop(client);
            let _ = driver.await;
            Conn::connect(&cfg).await
        })?;
        let last_write = Arc::new(Mutex::new(HashMap::new()));
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let Some(handle) = worker.handle() else {
            return Err(StoreError::new(StoreErrorType::Closed));
        };
        handle.spawn(committer::run(
            config.clone(),
            Some(write_conn),
            rx,
            last_write.clone(),
            observer,
        ));
        tracing::info!(store = %redact(url), "PostgreSQL store open");
        Ok(PgStore {
            inner: Arc::new(PgInner {
                url: url.to_owned(),
                reads: Arc::new(ReadPool::new(config, READ_CONNECTIONS)),
                writes: Mutex::new(Some(tx)),
                closed: AtomicBool::new(false),
                last_write,
                worker,
            }),
        })
    }

    pub(crate) fn url(&self) -> &str {
        &self.inner.url
    }

    fn check_open(&self) -> Result<(), StoreError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(StoreError::new(StoreErrorType::Closed));
        }
        Ok(())
    }

    /// Runs a read on one of the read connections.
    fn read<T: Send + 'static, F>(
        &self,
        f: impl FnOnce(Arc<Conn>) -> F + Send + 'static,
    ) -> Result<T, StoreError>
    where
        F: std::future::Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        self.check_open()?;
        let reads = self.inner.reads.clone();
        self.inner.worker.run(async move {
            let conn = reads.get().await?;
            f(conn).await
        })
    }

    pub(crate) fn get(&self, ns: &str, key: &str) -> Result<Option<Versioned>, StoreError> {
        validate_namespace(ns)?;
        let (ns, key) = (ns.to_owned(), key.to_owned());
        self.read(move |c| async move {
            let row = c
                .client
                .query_opt(&c.get, &[&ns, &key])
                .await
                .map_err(|e| db_error("read a key", e))?;
            row.map(|row| versioned(&row, 0, 1)).transpose()
        })
    }

    pub(crate) fn list(
        &self,
        ns: &str,
        prefix: &str,
    ) -> Result<Vec<(String, Versioned)>, StoreError> {
        validate_namespace(ns)?;
        let (ns, prefix) = (ns.to_owned(), prefix.to_owned());
        self.read(move |c| async move {
            let rows = match prefix_upper_bound(&prefix) {
                Some(below) => c.client.query(&c.list_range, &[&ns, &prefix, &below]).await,
                None => c.client.query(&c.list_from, &[&ns, &prefix]).await,
            }
            .map_err(|e| db_error("list keys", e))?;
            rows.iter()
                .map(|row| {
                    let key: String = row.try_get(0).map_err(|e| db_error("read a key", e))?;
                    Ok((key, versioned(row, 1, 2)?))
                })
                .collect()
        })
    }

    /// Queue a transaction for the next group commit and wait until it is committed.
    pub(crate) fn commit(
        &self,
        ns: &str,
        checks: Vec<(String, Option<u64>)>,
        writes: Vec<(String, Option<Value>)>,
    ) -> Result<(CommitOutcome, bool), StoreError> {
        validate_namespace(ns)?;
        self.check_open()?;
        let (reply, answer) = mpsc::sync_channel(1);
        let request = WriteRequest {
            ns: ns.to_owned(),
            checks,
            writes,
            reply,
        };
        let sent = self
            .inner
            .writes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|tx| tx.send(request).is_ok());
        if sent != Some(true) {
            return Err(StoreError::new(StoreErrorType::Closed));
        }
        answer.recv().unwrap_or_else(|_| {
            Err(StoreError::with_source(
                StoreErrorType::Database { action: "commit" },
                "the store's commit task stopped before answering; the change may not be saved",
            ))
        })
    }

    pub(crate) fn namespaces(&self) -> Result<Vec<String>, StoreError> {
        self.read(|c| async move {
            let rows = c
                .client
                .query(
                    "SELECT DISTINCT namespace FROM arsenal_kv ORDER BY namespace",
                    &[],
                )
                .await
                .map_err(|e| db_error("list the namespaces", e))?;
            rows.iter()
                .map(|r| r.try_get(0).map_err(|e| db_error("list the namespaces", e)))
                .collect()
        })
    }

    pub(crate) fn status(&self) -> Result<Vec<NamespaceStatus>, StoreError> {
        let rows: Vec<(String, i64, i64)> = self.read(|c| async move {
            let rows = c
                .client
                .query(
                    "SELECT namespace, count(*), coalesce(sum(pg_column_size(value)), 0)::bigint \
                     FROM arsenal_kv GROUP BY namespace ORDER BY namespace",
                    &[],
                )
                .await
                .map_err(|e| db_error("read the store's status", e))?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get(0).map_err(|e| db_error("read the status", e))?,
                        r.try_get(1).map_err(|e| db_error("read the status", e))?,
                        r.try_get(2).map_err(|e| db_error("read the status", e))?,
                    ))
                })
                .collect()
        })?;
        let times = self
            .inner
            .last_write
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        Ok(rows
            .into_iter()
            .map(|(namespace, keys, bytes)| NamespaceStatus {
                last_write: times.get(&namespace).copied(),
                namespace,
                file_size: u64::try_from(bytes).unwrap_or(0),
                keys: usize::try_from(keys).unwrap_or(0),
                last_compaction: None,
                journal_records_pending: 0,
                journal_bytes: 0,
                health: Health::Ok,
            })
            .collect())
    }

    /// Refuse further work; queued transactions are still committed.
    pub(crate) fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.inner
            .writes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        self.inner.reads.close();
    }
}

fn versioned(row: &Row, value: usize, version: usize) -> Result<Versioned, StoreError> {
    let v: Value = row
        .try_get(value)
        .map_err(|e| db_error("read a value", e))?;
    let n: i64 = row
        .try_get(version)
        .map_err(|e| db_error("read a version", e))?;
    Ok(Versioned {
        value: v,
        version: u64::try_from(n).unwrap_or(0),
    })
}

/// The smallest string greater than every string that starts with `prefix` (in byte order,
/// which is code-point order in UTF-8 and the keys' `COLLATE "C"`), or `None` if there is none
/// (empty prefix, or only `char::MAX`s).
fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last {
            '\u{D7FF}' => Some('\u{E000}'),
            c => char::from_u32(c as u32 + 1),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::prefix_upper_bound;

    #[test]
    fn prefix_bounds_cover_exactly_the_prefixed_keys() {
        assert_eq!(prefix_upper_bound(""), None);
        assert_eq!(prefix_upper_bound("bal:").as_deref(), Some("bal;"));
        assert_eq!(
            prefix_upper_bound("a\u{D7FF}").as_deref(),
            Some("a\u{E000}")
        );
        assert_eq!(prefix_upper_bound("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_upper_bound("\u{10FFFF}"), None);
        let below = prefix_upper_bound("k1").unwrap_or_default();
        for key in ["k1", "k1\u{10FFFF}", "k1zzz", "k10"] {
            assert!(key < below.as_str(), "{key}");
        }
        assert!("k2" >= below.as_str());
    }
}
