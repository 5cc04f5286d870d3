//! The fleet registry: one row of `arsenal_fleet` per running process (id, host, pid, shards,
//! start, heartbeat, and its modules: name → version, file hash, state). A process writes its
//! row at start and on every heartbeat and module change, and deletes it on a clean shutdown;
//! a row whose heartbeat is older than [`GONE_AFTER`] is a process that died.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio_postgres::Client;

use super::error::FleetError;
use crate::plugins::PluginManager;

/// A process whose heartbeat is older than this counts as gone.
pub const GONE_AFTER: Duration = Duration::from_secs(15);

/// One module as a process serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleVersion {
    /// The manifest's version.
    pub version: Option<String>,
    /// The loaded file's content hash.
    pub hash: Option<String>,
    /// `serving`, or `quarantined`.
    pub state: String,
}

/// One live process of the fleet.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessInfo {
    pub process_id: String,
    pub host: String,
    pub pid: i32,
    pub shards: String,
    /// Milliseconds since its last heartbeat.
    pub heartbeat_age_ms: u64,
    pub modules: BTreeMap<String, ModuleVersion>,
}

/// What this process serves now, as its registry row says.
pub(crate) fn modules_of(manager: &PluginManager) -> BTreeMap<String, ModuleVersion> {
    manager
        .status()
        .into_iter()
        .map(|s| {
            let state = if s.state.quarantined.is_some() {
                "quarantined"
            } else {
                "serving"
            };
            let module = ModuleVersion {
                version: s.state.manifest.as_ref().map(|m| m.version.clone()),
                hash: s.state.file_hash.clone(),
                state: state.to_owned(),
            };
            (s.name, module)
        })
        .collect()
}

/// Writes this process's row (insert or refresh) with a fresh heartbeat.
pub(crate) async fn beat(
    client: &Client,
    process_id: &str,
    shards: &str,
    modules: &BTreeMap<String, ModuleVersion>,
) -> Result<(), FleetError> {
    let modules = serde_json::to_value(modules).unwrap_or_default();
    let host = host_name();
    let pid = i32::try_from(std::process::id()).unwrap_or(i32::MAX);
    client
        .execute(
            "INSERT INTO arsenal_fleet (process_id, host, pid, shards, modules) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (process_id) DO UPDATE SET heartbeat_at = now(), shards = excluded.shards, \
                 modules = excluded.modules",
            &[&process_id, &host, &pid, &shards, &modules],
        )
        .await
        .map_err(|e| FleetError::db("write this process's heartbeat", e))?;
    Ok(())
}

/// Deletes this process's row (clean shutdown).
pub(crate) async fn leave(client: &Client, process_id: &str) -> Result<(), FleetError> {
    client
        .execute(
            "DELETE FROM arsenal_fleet WHERE process_id = $1",
            &[&process_id],
        )
        .await
        .map_err(|e| FleetError::db("remove this process from the fleet", e))?;
    Ok(())
}

/// Every live process, by id.
pub(crate) async fn live(client: &Client) -> Result<Vec<ProcessInfo>, FleetError> {
    let gone_ms = i64::try_from(GONE_AFTER.as_millis()).unwrap_or(i64::MAX);
    let rows = client
        .query(
            "SELECT process_id, host, pid, shards, \
                    greatest(0, extract(epoch FROM now() - heartbeat_at) * 1000)::bigint, modules \
             FROM arsenal_fleet \
             WHERE heartbeat_at > now() - $1::bigint * interval '1 millisecond' \
             ORDER BY process_id",
            &[&gone_ms],
        )
        .await
        .map_err(|e| FleetError::db("list the fleet's processes", e))?;
    let read = |e| FleetError::db("read the fleet's processes", e);
    rows.iter()
        .map(|row| {
            let age: i64 = row.try_get(4).map_err(read)?;
            let modules: serde_json::Value = row.try_get(5).map_err(read)?;
            Ok(ProcessInfo {
                process_id: row.try_get(0).map_err(read)?,
                host: row.try_get(1).map_err(read)?,
                pid: row.try_get(2).map_err(read)?,
                shards: row.try_get(3).map_err(read)?,
                heartbeat_age_ms: u64::try_from(age).unwrap_or(0),
                // A row edited by hand into something else shows no modules rather than failing.
                modules: serde_json::from_value(modules).unwrap_or_default(),
            })
        })
        .collect()
}

/// This machine's name, for people reading the status.
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".to_owned())
}
