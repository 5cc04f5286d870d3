//! Store operations. Keys are plain strings inside the calling plugin's namespace; the host adds
//! the namespace, so a plugin can never name, read or write another plugin's data.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A request naming one key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyRequest {
    /// The key.
    pub key: String,
}

/// Sets a key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetRequest {
    /// The key.
    pub key: String,
    /// Its new value.
    pub value: Value,
}

/// Lists keys starting with a prefix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListRequest {
    /// The prefix (empty lists everything).
    #[serde(default)]
    pub prefix: String,
}

/// A value with the version it was written at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionedValue {
    /// The value.
    pub value: Value,
    /// Increases at every write of the key; transactions check it.
    pub version: u64,
}

/// One entry of a listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The key.
    pub key: String,
    /// The value.
    pub value: Value,
    /// Its version.
    pub version: u64,
}

/// An all-or-nothing multi-key write, applied only if every check still holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommitRequest {
    /// Versions the keys must still have (`None`: the key must be absent).
    #[serde(default)]
    pub checks: Vec<VersionCheck>,
    /// Writes (`None` value: delete).
    #[serde(default)]
    pub writes: Vec<Write>,
}

/// A version a key must have for a commit to apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionCheck {
    /// The key.
    pub key: String,
    /// Its expected version, or `None` for "absent".
    pub version: Option<u64>,
}

/// One write of a commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Write {
    /// The key.
    pub key: String,
    /// The new value, or `None` to delete.
    pub value: Option<Value>,
}

/// The outcome of a commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CommitOutcome {
    /// Applied and durable.
    Committed,
    /// A check failed; nothing was written.
    Conflict {
        /// The first key whose version differed.
        key: String,
    },
}
