//! The reload history: every load, reload and unload with its outcome, kept durably in the store
//! (namespace `arsenal.reload_history`) so `!module logs` still shows it after a restart.

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{SystemTime, UNIX_EPOCH},
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
    /// `loaded`, `reloaded`, `failed`, `unloaded`.
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
}

/// Appends to and reads the history.
#[derive(Debug, Clone)]
pub struct ReloadHistory {
    store: Store,
    last: Arc<AtomicU64>,
}

impl ReloadHistory {
    /// The history kept in `store`.
    #[must_use]
    pub fn new(store: Store) -> Self {
        let last = store
            .list(NAMESPACE, "")
            .ok()
            .and_then(|entries| entries.last().and_then(|(k, _)| k.parse().ok()))
            .unwrap_or(0);
        Self {
            store,
            last: Arc::new(AtomicU64::new(last)),
        }
    }

    /// Appends a record durably. A failure is logged, never fatal: the reload itself happened.
    pub fn append(&self, mut record: ReloadRecord) {
        if record.at_unix_ms == 0 {
            record.at_unix_ms = now_ms();
        }
        let next = self.last.fetch_add(1, Ordering::AcqRel) + 1;
        // The new record and the removal of the oldest go out as one commit: one fsync.
        let result = serde_json::to_value(&record)
            .map_err(anyhow::Error::from)
            .and_then(|value| {
                let mut txn = Transaction::new().set(key(next), value);
                if next > KEEP {
                    txn = txn.delete(key(next - KEEP));
                }
                Ok(self.store.commit(NAMESPACE, txn)?)
            });
        if let Err(e) = result {
            tracing::error!("could not record reload history: {e}");
        }
    }

    /// The newest `limit` records, oldest first.
    #[must_use]
    pub fn recent(&self, limit: usize) -> Vec<ReloadRecord> {
        let entries = self.store.list(NAMESPACE, "").unwrap_or_default();
        let skip = entries.len().saturating_sub(limit);
        entries
            .into_iter()
            .skip(skip)
            .filter_map(|(_, v)| serde_json::from_value(v.value).ok())
            .collect()
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
