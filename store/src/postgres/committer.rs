//! Group commit for PostgreSQL: one task owns the write connection; every transaction that
//! arrives while one batch commits goes into the next batch, and each batch is one PostgreSQL
//! transaction with one `COMMIT` (one WAL flush), however many writers it carries.
//!
//! A batch is two round trips, each a pipeline of statements sent without waiting:
//! 1. `BEGIN`; reserve one sequence number per transaction (`UPDATE arsenal_meta … RETURNING`,
//!    which also takes the row lock that orders writers of every process sharing the database);
//!    read the current versions of the keys the batch checks or deletes.
//! 2. apply every final value (upserts and deletes in one statement); `COMMIT`.
//!
//! A batch of plain sets (no checks, no deletes: nothing to decide from the database) is one
//! round trip: `BEGIN`, reserve, upsert with versions computed from the reserved range, `COMMIT`,
//! all pipelined.
//!
//! Between the two, the transactions are decided in order in memory, exactly as the JSON store
//! decides them: a transaction whose check fails is a `Conflict` and writes nothing; the ones
//! after it see the writes of the ones before. Versions are the reserved sequence numbers, so a
//! key's version is unique and increasing across the store, as in the JSON store.
//!
//! **Invariant:** a writer is answered `Ok` only after `COMMIT` returned without error
//! (`synchronous_commit` is the server's default, on: the commit is flushed to its WAL).
//! If a batch fails, each of its transactions is retried alone, so one value the server refuses
//! fails only its own writer.

use std::collections::{HashMap, HashSet};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Instant, SystemTime};

use serde_json::Value;
use tokio::sync::mpsc::UnboundedReceiver;

use super::conn::{db_error, Conn};
use crate::error::{StoreError, StoreErrorType};
use crate::handle::BackendKind;
use crate::observer::{CommitBatch, CommitObserver};
use crate::types::CommitOutcome;

/// At most this many transactions per batch (bounds the statement's arrays).
const MAX_BATCH: usize = 512;

pub(crate) type Reply = Result<(CommitOutcome, bool), StoreError>;

/// One transaction waiting for its batch.
#[derive(Debug)]
pub(crate) struct WriteRequest {
    pub ns: String,
    pub checks: Vec<(String, Option<u64>)>,
    pub writes: Vec<(String, Option<Value>)>,
    pub reply: mpsc::SyncSender<Reply>,
}

/// The committer task: batches requests until every sender is gone.
pub(crate) async fn run(
    config: tokio_postgres::Config,
    mut conn: Option<Conn>,
    mut rx: UnboundedReceiver<WriteRequest>,
    last_write: Arc<Mutex<HashMap<String, SystemTime>>>,
    observer: Option<CommitObserver>,
) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        if conn.as_ref().is_none_or(|c| c.client.is_closed()) {
            match Conn::connect(&config).await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    conn = None;
                    for r in batch {
                        let _ = r.reply.send(Err(duplicate(&e)));
                    }
                    continue;
                }
            }
        }
        let Some(c) = conn.as_ref() else { continue };
        let started = Instant::now();
        match commit_batch(c, &batch).await {
            Ok(results) => {
                if let Some(observer) = &observer {
                    observer.observe(&CommitBatch {
                        backend: BackendKind::Postgres,
                        writes: batch.len(),
                        duration: started.elapsed(),
                    });
                }
                answer(batch, results, &last_write)
            }
            Err(e) if batch.len() > 1 && !c.client.is_closed() => {
                tracing::debug!(error = %e, size = batch.len(), "a PostgreSQL batch failed; retrying its transactions one by one");
                for r in batch {
                    let single = std::slice::from_ref(&r);
                    match commit_batch(c, single).await {
                        Ok(results) => answer(vec![r], results, &last_write),
                        Err(e) => {
                            let _ = r.reply.send(Err(e));
                        }
                    }
                }
            }
            Err(e) => {
                for r in batch {
                    let _ = r.reply.send(Err(duplicate(&e)));
                }
            }
        }
    }
}

fn answer(
    batch: Vec<WriteRequest>,
    results: Vec<(CommitOutcome, bool)>,
    last_write: &Mutex<HashMap<String, SystemTime>>,
) {
    let now = SystemTime::now();
    let mut times = last_write.lock().unwrap_or_else(|p| p.into_inner());
    for (r, result) in batch.into_iter().zip(results) {
        if matches!(result.0, CommitOutcome::Committed { .. }) && !r.writes.is_empty() {
            times.insert(r.ns.clone(), now);
        }
        let _ = r.reply.send(Ok(result));
    }
}

/// The same failure for each writer of a failed batch.
pub(crate) fn duplicate(e: &StoreError) -> StoreError {
    let action = match e.kind() {
        StoreErrorType::Database { action } => action,
        _ => "commit",
    };
    let cause = std::error::Error::source(e).map_or_else(|| e.to_string(), ToString::to_string);
    StoreError::with_source(StoreErrorType::Database { action }, cause)
}

type Key = (String, String);

async fn commit_batch(
    c: &Conn,
    batch: &[WriteRequest],
) -> Result<Vec<(CommitOutcome, bool)>, StoreError> {
    let plain_sets = batch
        .iter()
        .all(|r| r.checks.is_empty() && r.writes.iter().all(|(_, v)| v.is_some()));
    if plain_sets {
        return commit_plain_sets(c, batch).await;
    }
    let n = i64::try_from(batch.len()).unwrap_or(i64::MAX);
    // Keys whose current version matters: the checked ones and the deleted ones.
    let mut wanted: HashSet<Key> = HashSet::new();
    for r in batch {
        let checked = r.checks.iter().map(|(k, _)| k);
        let deleted = r.writes.iter().filter(|(_, v)| v.is_none()).map(|(k, _)| k);
        for key in checked.chain(deleted) {
            wanted.insert((r.ns.clone(), key.clone()));
        }
    }
    let (lk_ns, lk_key): (Vec<String>, Vec<String>) = wanted.iter().cloned().unzip();

    let reserve_params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&n];
    let begin = c.client.batch_execute("BEGIN");
    let reserve = c.client.query_one(&c.reserve, &reserve_params);
    let lookup = async {
        if lk_ns.is_empty() {
            Ok(Vec::new())
        } else {
            c.client.query(&c.lookup, &[&lk_ns, &lk_key]).await
        }
    };
    let (begun, reserved, looked) = tokio::join!(begin, reserve, lookup);
    let phase1 = (|| {
        begun.map_err(|e| db_error("begin a transaction", e))?;
        let last: i64 = reserved
            .and_then(|row| row.try_get(0))
            .map_err(|e| db_error("reserve version numbers", e))?;
        let mut current: HashMap<Key, i64> = HashMap::new();
        for row in looked.map_err(|e| db_error("read the current versions", e))? {
            let ns: String = row.try_get(0).map_err(|e| db_error("read a version", e))?;
            let key: String = row.try_get(1).map_err(|e| db_error("read a version", e))?;
            let version: i64 = row.try_get(2).map_err(|e| db_error("read a version", e))?;
            current.insert((ns, key), version);
        }
        Ok::<_, StoreError>((last - n, current))
    })();
    let (base, current) = match phase1 {
        Ok(v) => v,
        Err(e) => {
            let _ = c.client.batch_execute("ROLLBACK").await;
            return Err(e);
        }
    };

    // Decide every transaction in order, as the JSON store would.
    let mut overlay: HashMap<Key, Option<i64>> = HashMap::new();
    let mut finals: HashMap<Key, Option<(Value, i64)>> = HashMap::new();
    let mut results = Vec::with_capacity(batch.len());
    for (i, r) in batch.iter().enumerate() {
        let seq = base + 1 + i64::try_from(i).unwrap_or(0);
        let version_of = |overlay: &HashMap<Key, Option<i64>>, key: &str| {
            let k = (r.ns.clone(), key.to_owned());
            match overlay.get(&k) {
                Some(v) => *v,
                None => current.get(&k).copied(),
            }
        };
        let conflict = r.checks.iter().find_map(|(key, expected)| {
            let actual = version_of(&overlay, key).map(|v| v as u64);
            (actual != *expected).then(|| CommitOutcome::Conflict {
                key: key.clone(),
                expected: *expected,
                actual,
            })
        });
        if let Some(conflict) = conflict {
            results.push((conflict, false));
            continue;
        }
        let mut existed = false;
        for (key, value) in &r.writes {
            if value.is_none() {
                existed |= version_of(&overlay, key).is_some();
            }
            let k = (r.ns.clone(), key.clone());
            overlay.insert(k.clone(), value.as_ref().map(|_| seq));
            finals.insert(k, value.clone().map(|v| (v, seq)));
        }
        results.push((
            CommitOutcome::Committed {
                version: seq as u64,
            },
            existed,
        ));
    }

    let mut up = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut del = (Vec::new(), Vec::new());
    for ((ns, key), value) in finals {
        match value {
            Some((v, version)) => {
                up.0.push(ns);
                up.1.push(key);
                up.2.push(v);
                up.3.push(version);
            }
            None => {
                del.0.push(ns);
                del.1.push(key);
            }
        }
    }
    let has_writes = !up.0.is_empty() || !del.0.is_empty();
    let apply = async {
        if has_writes {
            c.client
                .execute(&c.apply, &[&up.0, &up.1, &up.2, &up.3, &del.0, &del.1])
                .await
                .map(|_| ())
        } else {
            Ok(())
        }
    };
    // If `apply` fails, the server turns this COMMIT into a rollback: the transaction is over.
    let commit = c.client.batch_execute("COMMIT");
    let (applied, committed) = tokio::join!(apply, commit);
    applied.map_err(|e| db_error("write the changes", e))?;
    committed.map_err(|e| db_error("commit", e))?;
    Ok(results)
}

/// A batch of sets only: every transaction commits, whatever the database holds, so the whole
/// batch is sent at once. Version of transaction `i` = the reserved range's start + `i` + 1,
/// computed by the server from `arsenal_meta` inside the transaction.
async fn commit_plain_sets(
    c: &Conn,
    batch: &[WriteRequest],
) -> Result<Vec<(CommitOutcome, bool)>, StoreError> {
    let n = i64::try_from(batch.len()).unwrap_or(i64::MAX);
    // The last write of each key wins: later transactions overwrite earlier ones.
    let mut finals: HashMap<Key, (Value, i64)> = HashMap::new();
    for (i, r) in batch.iter().enumerate() {
        let offset = 1 + i64::try_from(i).unwrap_or(0);
        for (key, value) in &r.writes {
            if let Some(value) = value {
                finals.insert((r.ns.clone(), key.clone()), (value.clone(), offset));
            }
        }
    }
    let mut up = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for ((ns, key), (value, offset)) in finals {
        up.0.push(ns);
        up.1.push(key);
        up.2.push(value);
        up.3.push(offset);
    }
    let reserve_params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&n];
    let begin = c.client.batch_execute("BEGIN");
    let reserve = c.client.query_one(&c.reserve, &reserve_params);
    let apply = async {
        if up.0.is_empty() {
            Ok(0)
        } else {
            c.client
                .execute(&c.apply_reserved, &[&up.0, &up.1, &up.2, &up.3, &n])
                .await
        }
    };
    // If anything before fails, the server turns this COMMIT into a rollback.
    let commit = c.client.batch_execute("COMMIT");
    let (begun, reserved, applied, committed) = tokio::join!(begin, reserve, apply, commit);
    let outcome = (|| {
        begun.map_err(|e| db_error("begin a transaction", e))?;
        let last: i64 = reserved
            .and_then(|row| row.try_get(0))
            .map_err(|e| db_error("reserve version numbers", e))?;
        applied.map_err(|e| db_error("write the changes", e))?;
        committed.map_err(|e| db_error("commit", e))?;
        Ok::<_, StoreError>(last - n)
    })();
    let base = match outcome {
        Ok(base) => base,
        Err(e) => {
            // Whatever failed, end any transaction still open before the connection's next use.
            let _ = c.client.batch_execute("ROLLBACK").await;
            return Err(e);
        }
    };
    Ok((1..=n)
        .map(|i| {
            (
                CommitOutcome::Committed {
                    version: u64::try_from(base + i).unwrap_or(0),
                },
                false,
            )
        })
        .collect())
}
