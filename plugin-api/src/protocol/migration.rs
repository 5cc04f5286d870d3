//! The JSON of a data migration across module versions (`op::MIGRATION_PENDING`,
//! `op::MIGRATION_APPLY`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the host hands a new version whose data is older than its `data_version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingMigration {
    /// The data version the stored data has.
    pub from: u32,
    /// The data version the new module writes (its manifest's `data_version`).
    pub to: u32,
    /// Every key of the module's namespace and its value: the snapshot taken for the backup.
    pub data: BTreeMap<String, Value>,
}

/// The migration's result: the module's whole namespace as it must be at version `to`. Keys
/// missing from it are deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MigratedData {
    /// Every key and its value after the migration.
    pub data: BTreeMap<String, Value>,
}
