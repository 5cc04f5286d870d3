//! `arsenal store copy --from <dir or URL> --to <dir or URL>`: move a store between backends
//! (or between two folders, two databases), then read both sides back and verify every key.
//!
//! Each namespace is written as one transaction, so a copy that stops half-way leaves whole
//! namespaces. Versions are not copied: the target hands out its own (they only need to be
//! unique and increasing within one store). The target must be empty unless `force` is given;
//! then it ends up holding exactly the source (keys it had that the source lacks are deleted).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{StoreError, StoreErrorType};
use crate::handle::Store;
use crate::location::StoreLocation;
use crate::store::StoreOptions;
use crate::types::{CommitOutcome, Transaction};

/// What [`copy`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    pub namespaces: usize,
    pub keys: usize,
    /// Keys the target had that the source does not (deleted; only with `force`).
    pub removed: usize,
}

impl std::fmt::Display for CopyReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "copied {} keys in {} namespaces, and read every one back from the target: identical",
            self.keys, self.namespaces
        )?;
        if self.removed > 0 {
            write!(
                f,
                " ({} keys the target had and the source lacks were removed)",
                self.removed
            )?;
        }
        Ok(())
    }
}

/// Everything in one store: namespace → key → value.
type Contents = BTreeMap<String, BTreeMap<String, Value>>;

fn contents(store: &Store) -> Result<Contents, StoreError> {
    let mut all = Contents::new();
    for ns in store.try_namespaces()? {
        let entries = store
            .list(&ns, "")?
            .into_iter()
            .map(|(k, v)| (k, v.value))
            .collect();
        all.insert(ns, entries);
    }
    Ok(all)
}

/// Copy every namespace and key of `from` into `to`, then verify the target holds exactly the
/// source. Both stores are opened here (a JSON folder is locked meanwhile, so the bot must be
/// stopped).
///
/// # Errors
/// `SourceMissing` for a source folder that does not exist; either store cannot be opened;
/// `TargetNotEmpty` without `force`; a write fails;
/// `CopyMismatch` naming the first key that differs after the copy.
pub fn copy(
    from: &StoreLocation,
    to: &StoreLocation,
    force: bool,
) -> Result<CopyReport, StoreError> {
    if let StoreLocation::Dir(dir) = from {
        // Opening would create it: a mistyped path must not copy "nothing" successfully.
        if !dir.is_dir() {
            return Err(StoreError::new(StoreErrorType::SourceMissing {
                dir: dir.clone(),
            }));
        }
    }
    let source = Store::open_location(from, StoreOptions::default())?;
    let target = Store::open_location(to, StoreOptions::default())?;
    let result = copy_between(&source, &target, &to.to_string(), force);
    let closed = target.close();
    let _ = source.close();
    let report = result?;
    closed?;
    Ok(report)
}

/// [`copy`] between open stores.
///
/// # Errors
/// As [`copy`].
pub fn copy_between(
    source: &Store,
    target: &Store,
    target_name: &str,
    force: bool,
) -> Result<CopyReport, StoreError> {
    let data = contents(source)?;
    let before = contents(target)?;
    if !before.is_empty() && !force {
        return Err(StoreError::new(StoreErrorType::TargetNotEmpty {
            target: target_name.to_owned(),
            namespaces: before.len(),
        }));
    }
    let mut report = CopyReport::default();
    for (ns, entries) in &data {
        let mut txn = Transaction::new();
        for (key, value) in entries {
            txn = txn.set(key.clone(), value.clone());
        }
        if let Some(old) = before.get(ns) {
            for key in old.keys().filter(|k| !entries.contains_key(*k)) {
                txn = txn.delete(key.clone());
                report.removed += 1;
            }
        }
        // No checks: cannot conflict.
        if let CommitOutcome::Conflict { key, .. } = target.commit(ns, txn)? {
            return Err(StoreError::new(StoreErrorType::CopyMismatch {
                namespace: ns.clone(),
                key,
            }));
        }
        report.namespaces += 1;
        report.keys += entries.len();
    }
    for (ns, old) in before.iter().filter(|(ns, _)| !data.contains_key(*ns)) {
        let mut txn = Transaction::new();
        for key in old.keys() {
            txn = txn.delete(key.clone());
            report.removed += 1;
        }
        target.commit(ns, txn)?;
    }
    verify(&data, &contents(target)?)?;
    Ok(report)
}

/// The first difference between what was copied and what the target holds.
fn verify(expected: &Contents, found: &Contents) -> Result<(), StoreError> {
    let mismatch = |namespace: &str, key: &str| {
        Err(StoreError::new(StoreErrorType::CopyMismatch {
            namespace: namespace.to_owned(),
            key: key.to_owned(),
        }))
    };
    for (ns, entries) in expected {
        let got = found.get(ns);
        for (key, value) in entries {
            if got.and_then(|g| g.get(key)) != Some(value) {
                return mismatch(ns, key);
            }
        }
    }
    for (ns, entries) in found {
        for key in entries.keys() {
            if expected.get(ns).is_none_or(|e| !e.contains_key(key)) {
                return mismatch(ns, key);
            }
        }
    }
    Ok(())
}
