//! The reload history: every load, reload and unload with its outcome, kept durably in the store
//! (namespace `arsenal.reload_history`) so `!module logs` still shows it after a restart.
//!
//! Appending never blocks the caller (an async task): records are numbered and queued in order,
//! and the history's own thread commits whatever has queued in one transaction (one fsync for
//! a burst of failed reloads). Queued records are already visible to [`ReloadHistory::recent`];
//! [`ReloadHistory::flush`] waits until they are durable (the manager's shutdown calls it).

use std::{
    collections::{BTreeMap, VecDeque},
    sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak},
    thread,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use arsenal_store::{Store, Transaction};
use serde::{Deserialize, Serialize};

const NAMESPACE: &str = "arsenal.reload_history";
/// Records kept; older ones are deleted as new ones arrive.
const KEEP: u64 = 1000;

/// What started a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// Host start.
    Startup,
    /// The plugins-folder watcher saw a new file.
    Watcher,
    /// A command (`/reload`, `!module`).
    Command,
    /// The host reverted a reload whose new version kept failing (or quarantined it instead).
    Revert,
    /// Another process of the fleet reloaded it (see `crate::fleet`).
    Fleet,
    /// A button of the web dashboard (see `crate::dashboard`).
    Dashboard,
}

/// One entry of the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReloadRecord {
    /// Milliseconds since the Unix epoch.
    pub at_unix_ms: u64,
    /// Module name.
    pub plugin: String,
    /// What started it.
    pub trigger: Trigger,
    /// `loaded`, `reloaded`, `failed`, `unloaded`, `canary`, `promoted`, `rolled back`.
    pub outcome: String,
    /// Version serving before.
    #[serde(default)]
    pub old_version: Option<String>,
    /// Version offered (and serving, on success).
    #[serde(default)]
    pub new_version: Option<String>,
    /// File hash before.
    #[serde(default)]
    pub old_hash: Option<String>,
    /// File hash offered.
    #[serde(default)]
    pub new_hash: Option<String>,
    /// Time from request to the new version serving (or to the failure), in microseconds.
    pub duration_us: u64,
    /// Why it failed.
    #[serde(default)]
    pub error: Option<String>,
    /// The server of a canary (outcomes `canary`, `promoted`, `rolled back`).
    #[serde(default)]
    pub guild: Option<twilight_model::id::Id<twilight_model::id::marker::GuildMarker>>,
}

/// Appends to and reads the history. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ReloadHistory {
    store: Store,
    writer: Arc<Writer>,
    /// Every appended record, for whoever listens (the fleet).
    events: tokio::sync::broadcast::Sender<ReloadRecord>,
}

/// Records waiting for the history thread, and the ones it is writing.
#[derive(Debug)]
struct Writer {
    store: Store,
    queue: Mutex<Queue>,
    /// Records were queued.
    queued: Condvar,
    /// A batch was written.
    written: Condvar,
}

#[derive(Debug, Default)]
struct Queue {
    /// The sequence number of the newest record.
    last: u64,
    waiting: VecDeque<(u64, ReloadRecord)>,
    writing: Vec<(u64, ReloadRecord)>,
}

impl Writer {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes what is waiting (left visible as `writing`); waits up to `idle` for something.
    fn take(&self, idle: Duration) -> Vec<(u64, ReloadRecord)> {
        let mut queue = self.lock();
        if queue.waiting.is_empty() {
            queue = self
                .queued
                .wait_timeout(queue, idle)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        let batch: Vec<_> = queue.waiting.drain(..).collect();
        queue.writing.clone_from(&batch);
        batch
    }

    /// Commits a batch and its pruning of the oldest records as one transaction. Each record
    /// must take a free number: several processes of a fleet share one history, and a number
    /// another process took meanwhile makes the batch renumber after the newest and try again.
    fn write(&self, batch: &[(u64, ReloadRecord)]) {
        let mut batch = batch.to_vec();
        for _ in 0..5 {
            let mut txn = Transaction::new();
            for (sequence, record) in &batch {
                match serde_json::to_value(record) {
                    Ok(value) => txn = txn.check(key(*sequence), None).set(key(*sequence), value),
                    Err(e) => tracing::error!("could not record reload history: {e}"),
                }
                if *sequence > KEEP {
                    txn = txn.delete(key(sequence - KEEP));
                }
            }
            match self.store.commit(NAMESPACE, txn) {
                Ok(arsenal_store::CommitOutcome::Conflict { .. }) => {
                    let newest = newest_sequence(&self.store);
                    let mut queue = self.lock();
                    let mut next = newest.max(queue.last);
                    for (sequence, _) in &mut batch {
                        next += 1;
                        *sequence = next;
                    }
                    queue.last = next;
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::error!("could not record reload history: {e}"),
            }
            break;
        }
        self.lock().writing.clear();
        self.written.notify_all();
    }
}

/// The newest record number in the store (0 when there is none or it cannot be read).
fn newest_sequence(store: &Store) -> u64 {
    store
        .list(NAMESPACE, "")
        .ok()
        .and_then(|entries| entries.last().and_then(|(k, _)| k.parse().ok()))
        .unwrap_or(0)
}

/// The history thread: writes batches until the last [`ReloadHistory`] is gone.
fn write_records(writer: &Weak<Writer>) {
    while let Some(writer) = writer.upgrade() {
        let batch = writer.take(Duration::from_millis(500));
        if !batch.is_empty() {
            writer.write(&batch);
        }
    }
}

impl ReloadHistory {
    /// The history kept in `store`, written by a new history thread.
    ///
    /// # Errors
    ///
    /// When the thread cannot be started.
    pub fn new(store: Store) -> std::io::Result<Self> {
        let last = newest_sequence(&store);
        let writer = Arc::new(Writer {
            store: store.clone(),
            queue: Mutex::new(Queue {
                last,
                ..Queue::default()
            }),
            queued: Condvar::new(),
            written: Condvar::new(),
        });
        let weak = Arc::downgrade(&writer);
        thread::Builder::new()
            .name("history-writer".to_owned())
            .spawn(move || write_records(&weak))?;
        Ok(Self {
            store,
            writer,
            events: tokio::sync::broadcast::channel(64).0,
        })
    }

    /// Queues a record for the history thread, without blocking. A failed write is logged,
    /// never fatal: the reload itself happened. At most [`KEEP`] records wait: an older one
    /// would be deleted by the time it is written anyway.
    pub fn append(&self, mut record: ReloadRecord) {
        if record.at_unix_ms == 0 {
            record.at_unix_ms = now_ms();
        }
        crate::metrics::reload_recorded(
            &record.plugin,
            &record.outcome,
            Duration::from_micros(record.duration_us),
        );
        // No receiver is fine: nobody listens without a fleet.
        let _ = self.events.send(record.clone());
        let mut queue = self.writer.lock();
        queue.last += 1;
        let sequence = queue.last;
        queue.waiting.push_back((sequence, record));
        if queue.waiting.len() as u64 > KEEP {
            queue.waiting.pop_front();
        }
        drop(queue);
        self.writer.queued.notify_one();
    }

    /// Every record appended from now on.
    #[must_use]
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<ReloadRecord> {
        self.events.subscribe()
    }

    /// Waits until every record appended so far is written (blocking: call it off the runtime).
    pub fn flush(&self) {
        let mut queue = self.writer.lock();
        while !queue.waiting.is_empty() || !queue.writing.is_empty() {
            queue = self
                .writer
                .written
                .wait_timeout(queue, Duration::from_millis(100))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// The newest `limit` records, oldest first (including those not written yet).
    #[must_use]
    pub fn recent(&self, limit: usize) -> Vec<ReloadRecord> {
        let queued: Vec<(u64, ReloadRecord)> = {
            let queue = self.writer.lock();
            queue
                .writing
                .iter()
                .chain(queue.waiting.iter())
                .cloned()
                .collect()
        };
        let mut records: BTreeMap<u64, ReloadRecord> = self
            .store
            .list(NAMESPACE, "")
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(k, v)| Some((k.parse().ok()?, serde_json::from_value(v.value).ok()?)))
            .collect();
        records.extend(queued);
        let skip = records.len().saturating_sub(limit);
        records.into_values().skip(skip).collect()
    }
}

fn key(sequence: u64) -> String {
    format!("{sequence:012}")
}

/// Milliseconds since the Unix epoch.
#[must_use]
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
