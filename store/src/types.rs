//! The plain data types of the public API: values with versions, transactions and their
//! outcomes, and the reports of the admin functions.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A stored value and its version. A version is the journal sequence number of the write that
/// produced the value: unique and increasing across the whole store, so a key that is deleted
/// and recreated never comes back with an old version (no ABA in optimistic checks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versioned {
    /// 0 in a hand-written file means "not given"; the store assigns one.
    #[serde(default)]
    pub version: u64,
    pub value: Value,
}

/// An atomic, all-or-nothing change to one namespace with optimistic concurrency checks.
///
/// ```
/// # use arsenal_store::Transaction;
/// # use serde_json::json;
/// let transfer = Transaction::new()
///     .check("bal:alice", Some(7))      // alice's balance must still be at version 7
///     .check("bal:bob", None)           // bob must have no balance yet
///     .set("bal:alice", json!(90))
///     .set("bal:bob", json!(10));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transaction {
    /// `(key, Some(v))`: the key must be at version `v`; `(key, None)`: it must be absent.
    pub checks: Vec<(String, Option<u64>)>,
    /// `(key, Some(value))` sets, `(key, None)` deletes. If a key appears twice the last wins.
    pub writes: Vec<(String, Option<Value>)>,
}

impl Transaction {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn check(mut self, key: impl Into<String>, version: Option<u64>) -> Self {
        self.checks.push((key.into(), version));
        self
    }
    pub fn set(mut self, key: impl Into<String>, value: Value) -> Self {
        self.writes.push((key.into(), Some(value)));
        self
    }
    pub fn delete(mut self, key: impl Into<String>) -> Self {
        self.writes.push((key.into(), None));
        self
    }
}

/// Result of [`crate::Store::commit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitOutcome {
    /// All writes are durable; every written key now has this version.
    Committed { version: u64 },
    /// A check failed; nothing was written. Re-read and retry.
    Conflict {
        key: String,
        expected: Option<u64>,
        actual: Option<u64>,
    },
}

/// Health of one namespace, as reported by [`crate::Store::status`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Health {
    Ok,
    /// The namespace file was edited (or deleted) by someone else. The store will not overwrite
    /// it; run `!load_all` ([`crate::Store::reload_from_disk`]) to take the edit in.
    ChangedOnDisk,
}

/// One line of `!status`.
#[derive(Debug, Clone)]
pub struct NamespaceStatus {
    pub namespace: String,
    /// Size of `<namespace>.json` (0 if it does not exist yet).
    pub file_size: u64,
    pub keys: usize,
    pub last_write: Option<SystemTime>,
    pub last_compaction: Option<SystemTime>,
    /// Journal records for this namespace not yet folded into its file.
    pub journal_records_pending: u64,
    /// Size of the whole journal (all segments), shared by all namespaces.
    pub journal_bytes: u64,
    pub health: Health,
}

/// What [`crate::Store::compact_all`] (or an automatic compaction) did.
#[derive(Debug, Clone, Default)]
pub struct CompactReport {
    /// Namespace files rewritten.
    pub written: Vec<String>,
    /// Namespaces whose file changed on disk and was left alone.
    pub skipped_changed_on_disk: Vec<String>,
    /// Journal records folded into files.
    pub records_folded: u64,
    /// Journal segments deleted (none while any namespace is changed on disk).
    pub segments_removed: usize,
}

/// Per-namespace result of [`crate::Store::reload_from_disk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceReload {
    pub namespace: String,
    pub keys: usize,
    /// Keys whose value differs from what the store held (added or changed).
    pub changed: usize,
    pub removed: usize,
}

/// What [`crate::Store::reload_from_disk`] did.
#[derive(Debug, Clone, Default)]
pub struct ReloadReport {
    pub namespaces: Vec<NamespaceReload>,
}

/// Result of [`crate::Store::claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimOutcome {
    /// The caller holds the key until the lease ends.
    Claimed,
    /// Another process holds it, for about `for_ms` more milliseconds.
    Held { owner: String, for_ms: u64 },
    /// The key no longer holds the version claimed (deleted or changed): nothing to do.
    Gone,
}
