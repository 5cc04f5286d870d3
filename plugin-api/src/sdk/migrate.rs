//! Data migrations across module versions.
//!
//! A module that versions its data declares [`Plugin::DATA_VERSION`] (`1` for its first
//! schema) and, from version 2 on, a [`Plugin::migrate`] that rewrites older data. When a new
//! version finds older data (on a reload or at startup), the SDK asks the host for it before
//! the constructor runs, hands it to `migrate` as a [`Data`] map, and returns the result to the
//! host, which writes it together with the new data version in one store transaction. The
//! migration sees a snapshot, never the live store: if it fails or panics nothing is written
//! and, on a reload, the old version keeps serving.

use std::collections::BTreeMap;

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use crate::{
    protocol::{op, MigratedData, PendingMigration},
    sdk::{Context, Error, ErrorType, Plugin, Result},
};

/// A module's whole namespace during a migration: every key and its JSON value. What it holds
/// when `migrate` returns replaces the stored data (keys removed here are deleted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    entries: BTreeMap<String, Value>,
}

impl Data {
    /// The data `entries` holds (for tests; the host builds it otherwise).
    #[must_use]
    pub fn new(entries: BTreeMap<String, Value>) -> Self {
        Self { entries }
    }

    /// The keys starting with `prefix`, sorted.
    #[must_use]
    pub fn keys(&self, prefix: &str) -> Vec<String> {
        self.entries
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// Reads `key` as `T`.
    ///
    /// # Errors
    ///
    /// When the stored value does not deserialize into `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        self.get_json(key)
            .map(|value| decode(key, value))
            .transpose()
    }

    /// The raw JSON of `key`.
    #[must_use]
    pub fn get_json(&self, key: &str) -> Option<Value> {
        self.entries.get(key).cloned()
    }

    /// Sets `key` to `value`.
    ///
    /// # Errors
    ///
    /// When `value` does not serialize.
    pub fn set<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        self.set_json(key, serde_json::to_value(value)?);
        Ok(())
    }

    /// Sets `key` to a JSON value.
    pub fn set_json(&mut self, key: &str, value: Value) {
        self.entries.insert(key.to_owned(), value);
    }

    /// Removes `key`; returns whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        self.entries.remove(key).is_some()
    }

    /// Every key and value.
    #[must_use]
    pub fn into_entries(self) -> BTreeMap<String, Value> {
        self.entries
    }
}

fn decode<T: DeserializeOwned>(key: &str, value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| {
        Error::invalid(format!(
            "the stored value of {key:?} is not what this migration expects"
        ))
        .with_source(e)
    })
}

/// Runs the migration the host asks for, if any, before `P::new`.
pub(crate) fn run_pending<P: Plugin>(ctx: &Context) -> Result<()> {
    // Unversioned data is never migrated (the host refuses such a version on newer data
    // itself): no need to ask, which keeps the request off every reload of such a module.
    if P::DATA_VERSION == 0 {
        return Ok(());
    }
    let Some(pending) = pending(ctx)? else {
        return Ok(());
    };
    let (from, to) = (pending.from, pending.to);
    let mut data = Data::new(pending.data);
    P::migrate(from, &mut data)
        .map_err(|e| e.context(format!("migrating the data from version {from} to {to}")))?;
    apply(ctx, data)
}

/// Asks the host whether the stored data is older than this version's.
#[inline(never)]
fn pending(ctx: &Context) -> Result<Option<PendingMigration>> {
    match ctx.request(op::MIGRATION_PENDING, &()) {
        Err(e) if *e.kind() == ErrorType::Unsupported => Ok(None),
        other => other,
    }
}

#[inline(never)]
fn apply(ctx: &Context, data: Data) -> Result<()> {
    ctx.request::<_, ()>(
        op::MIGRATION_APPLY,
        &MigratedData {
            data: data.into_entries(),
        },
    )
}
