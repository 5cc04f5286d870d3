//! Data migrations across module versions, run by the worker as part of a swap.
//!
//! A module's data version lives in its own namespace under [`DATA_VERSION_KEY`], so the
//! migrated data and the new version number are written in one store transaction (one durable
//! journal record): a crash leaves either the old data with the old number or the new data with
//! the new one. Before a version is instantiated the worker compares the stored number with the
//! manifest's `data_version` ([`prepare`]):
//!
//! * no record: data already there counts as version 1 (written before the module versioned
//!   its data); an empty namespace counts as the new version's own;
//! * stored newer than declared: refused, old code never runs on newer data;
//! * stored older: the instance is created with a host handle that also answers the SDK's
//!   `migration.pending` (with the snapshot) and `migration.apply` (which commits). The SDK runs
//!   the module's `migrate` on the snapshot before its constructor; a failure or panic there
//!   writes nothing, so the old version keeps serving on untouched data. If the constructor
//!   fails after the commit, [`Plan::undo`] writes the snapshot and the old number back in one
//!   transaction.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, PoisonError},
};

use abi_stable::{
    sabi_trait::TD_Opaque,
    std_types::{RStr, RString},
};
use arsenal_plugin_api::{
    abi::{AbiError, AbiResult, ErrorCode, HostApi, HostApi_TO, HostBox},
    manifest::Manifest,
    protocol::{op, MigratedData, PendingMigration},
};
use arsenal_store::{CommitOutcome, Store, Transaction};
use serde_json::Value;

/// The key, in each module's namespace, holding the version of the data stored there.
pub const DATA_VERSION_KEY: &str = "arsenal:data_version";

/// What a swap must do about the data before the new version starts.
pub(crate) enum Prepared {
    /// Nothing (the module does not version its data, or the data is at its version).
    Nothing,
    /// A fresh record was written for an empty namespace: remove it if the version fails.
    FreshRecord,
    /// The data is older: migrate it while instantiating.
    Migrate(Arc<Plan>),
}

/// A pending migration, shared between the worker and the host handle the SDK asks.
pub(crate) struct Plan {
    store: Store,
    ns: String,
    pub(crate) from: u32,
    pub(crate) to: u32,
    had_record: bool,
    snapshot: BTreeMap<String, Value>,
    state: Mutex<Progress>,
}

#[derive(Default, Clone, Copy)]
pub(crate) struct Progress {
    /// The SDK asked for the data.
    pub(crate) asked: bool,
    /// The migrated data was committed.
    pub(crate) applied: bool,
}

/// Compares the stored data version of namespace `ns` with `manifest`'s.
///
/// # Errors
///
/// A readable refusal: the data is newer than the version, or the store failed.
pub(crate) fn prepare(store: &Store, ns: &str, manifest: &Manifest) -> Result<Prepared, String> {
    let (name, version, declared) = (&manifest.name, &manifest.version, manifest.data_version);
    let stored = stored_version(store, ns)?;
    if let Some(stored) = stored {
        if stored > declared.max(1) {
            return Err(format!(
                "{name} {version} reads data version {declared} but its data is at version {stored}, written by a newer version; old code must not run on newer data, so it was not loaded: load a version declaring data version {stored} or higher, or restore a backup taken before the upgrade"
            ));
        }
    }
    if declared == 0 || stored.is_some_and(|stored| stored >= declared) {
        // Unversioned, or already at this version: no snapshot needed (every reload of a
        // versioned module takes this path).
        return Ok(Prepared::Nothing);
    }
    let snapshot = match store.export_namespace(ns) {
        Ok(Value::Object(map)) => map,
        Ok(_) => serde_json::Map::new(),
        Err(e) => return Err(format!("reading the data of {name} failed: {e}")),
    };
    let mut snapshot: BTreeMap<String, Value> = snapshot.into_iter().collect();
    snapshot.remove(DATA_VERSION_KEY);
    let from = match stored {
        Some(stored) => stored,
        None if snapshot.is_empty() => {
            write_record(store, ns, declared)
                .map_err(|e| format!("recording the data version of {name} failed: {e}"))?;
            return Ok(Prepared::FreshRecord);
        }
        None => 1,
    };
    if from >= declared {
        // Unrecorded data counted as version 1, and this version reads version 1.
        write_record(store, ns, declared)
            .map_err(|e| format!("recording the data version of {name} failed: {e}"))?;
        return Ok(Prepared::Nothing);
    }
    Ok(Prepared::Migrate(Arc::new(Plan {
        store: store.clone(),
        ns: ns.to_owned(),
        from,
        to: declared,
        had_record: stored.is_some(),
        snapshot,
        state: Mutex::new(Progress::default()),
    })))
}

/// Removes a record [`prepare`] wrote for an empty namespace, if the namespace is still empty
/// but for it (the version that failed to start wrote nothing).
pub(crate) fn undo_fresh_record(store: &Store, ns: &str) {
    let only_record = store
        .list(ns, "")
        .is_ok_and(|entries| entries.iter().all(|(k, _)| k == DATA_VERSION_KEY));
    if only_record {
        if let Err(e) = store.delete(ns, DATA_VERSION_KEY) {
            tracing::warn!(
                namespace = ns,
                "removing the data version record failed: {e}"
            );
        }
    }
}

pub(super) fn stored_version(store: &Store, ns: &str) -> Result<Option<u32>, String> {
    let found = store
        .get(ns, DATA_VERSION_KEY)
        .map_err(|e| format!("reading the data version in {ns} failed: {e}"))?;
    found
        .map(|v| {
            v.value
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    format!(
                        "the data version record {DATA_VERSION_KEY:?} in {ns} is not a number ({}); fix or delete it",
                        v.value
                    )
                })
        })
        .transpose()
}

fn write_record(store: &Store, ns: &str, version: u32) -> Result<(), String> {
    store
        .set(ns, DATA_VERSION_KEY, Value::from(version))
        .map(drop)
        .map_err(|e| e.to_string())
}

impl Plan {
    /// What happened so far.
    pub(crate) fn progress(&self) -> Progress {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The host handle for the new instance: `host`, plus the two migration operations.
    pub(crate) fn handle(self: &Arc<Self>, host: HostBox) -> HostBox {
        HostApi_TO::from_value(
            MigratingHost {
                inner: host,
                plan: Arc::clone(self),
            },
            TD_Opaque,
        )
    }

    fn pending(&self) -> Result<String, AbiError> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.asked {
            // Asked once per swap: the constructor of the same instance sees `None`.
            return Ok("null".to_owned());
        }
        state.asked = true;
        serde_json::to_string(&PendingMigration {
            from: self.from,
            to: self.to,
            data: self.snapshot.clone(),
        })
        .map_err(|e| AbiError::new(ErrorCode::Failed, e.to_string()))
    }

    fn apply(&self, payload: &str) -> Result<String, AbiError> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if !state.asked || state.applied {
            return Err(AbiError::new(
                ErrorCode::Invalid,
                "no data migration is pending for this module",
            ));
        }
        let migrated: MigratedData = serde_json::from_str(payload).map_err(|e| {
            AbiError::new(
                ErrorCode::Invalid,
                format!("the migrated data did not parse: {e}"),
            )
        })?;
        let mut data = migrated.data;
        data.remove(DATA_VERSION_KEY);
        self.replace(&data, Some(self.to)).map_err(|e| {
            AbiError::new(
                ErrorCode::Failed,
                format!("writing the migrated data failed: {e}"),
            )
        })?;
        state.applied = true;
        Ok("null".to_owned())
    }

    /// Writes the snapshot and the old version back (the new version failed after its
    /// migration was committed).
    pub(crate) fn undo(&self) {
        let old = self.had_record.then_some(self.from);
        match self.replace(&self.snapshot, old) {
            Ok(()) => tracing::info!(
                namespace = self.ns,
                "the new version failed to start after its data migration; the data of version {} was restored",
                self.from
            ),
            Err(e) => tracing::error!(
                namespace = self.ns,
                "the new version failed after migrating its data to version {} and restoring version {} failed: {e}; restore the newest backup by hand",
                self.to,
                self.from
            ),
        }
    }

    /// Makes the namespace hold exactly `data` and `version`, in one transaction.
    fn replace(&self, data: &BTreeMap<String, Value>, version: Option<u32>) -> Result<(), String> {
        let current = self
            .store
            .export_namespace(&self.ns)
            .map_err(|e| e.to_string())?;
        let mut txn = Transaction::new();
        if let Value::Object(current) = &current {
            for (key, value) in current {
                if key == DATA_VERSION_KEY {
                    continue;
                }
                match data.get(key) {
                    None => txn = txn.delete(key.clone()),
                    Some(new) if new != value => txn = txn.set(key.clone(), new.clone()),
                    Some(_) => {}
                }
            }
            for (key, value) in data {
                if !current.contains_key(key) {
                    txn = txn.set(key.clone(), value.clone());
                }
            }
        }
        txn = match version {
            Some(version) => txn.set(DATA_VERSION_KEY, Value::from(version)),
            None => txn.delete(DATA_VERSION_KEY),
        };
        match self
            .store
            .commit(&self.ns, txn)
            .map_err(|e| e.to_string())?
        {
            CommitOutcome::Committed { .. } => Ok(()),
            CommitOutcome::Conflict { key, .. } => Err(format!("key {key:?} changed meanwhile")),
        }
    }
}

/// The host handle of an instance created while a migration is pending.
struct MigratingHost {
    inner: HostBox,
    plan: Arc<Plan>,
}

impl HostApi for MigratingHost {
    fn request(&self, operation: RStr<'_>, payload: RStr<'_>) -> AbiResult {
        let answer = match operation.as_str() {
            op::MIGRATION_PENDING => self.plan.pending(),
            op::MIGRATION_APPLY => self.plan.apply(payload.as_str()),
            _ => return self.inner.request(operation, payload),
        };
        answer.map(RString::from).into()
    }

    fn log(&self, level: u8, target: RStr<'_>, message: RStr<'_>) {
        self.inner.log(level, target, message);
    }
}
