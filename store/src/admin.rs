//! The host's admin functions behind the original bot's commands: `!status`, `!save_all`
//! (`compact_all`), `!load_all` (`reload_from_disk`), and the per-plugin backup export.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use serde_json::Value;

use crate::error::StoreError;
use crate::journal::Op;
use crate::namespace_file::{changed_on_disk, validate_namespace, EXTENSION};
use crate::recovery::{inspect, list_dir};
use crate::store::{lock, FileMeta, JsonStore, Namespace};
use crate::types::{
    CompactReport, Health, NamespaceReload, NamespaceStatus, ReloadReport, Versioned,
};

impl JsonStore {
    /// One status line per namespace. Also notices namespace files edited by hand.
    pub fn status(&self) -> Vec<NamespaceStatus> {
        let inner = &self.inner;
        let journal_bytes = list_dir(&inner.dir)
            .map(|(_, segs)| {
                segs.iter()
                    .filter_map(|(_, p)| fs::metadata(p).ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        let mut lines: BTreeMap<String, NamespaceStatus> = BTreeMap::new();
        {
            let st = inner.lock_state();
            for (name, ns) in &st.namespaces {
                lines.insert(
                    name.clone(),
                    NamespaceStatus {
                        namespace: name.clone(),
                        file_size: 0,
                        keys: ns.entries.len(),
                        last_write: ns.last_write,
                        last_compaction: None,
                        journal_records_pending: ns.pending_records,
                        journal_bytes,
                        health: Health::Ok,
                    },
                );
            }
        }
        let mut files = lock(&inner.files);
        for (name, line) in lines.iter_mut() {
            let path = inner.dir.join(format!("{name}{EXTENSION}"));
            line.file_size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let m = files.entry(name.clone()).or_default();
            if !m.changed_on_disk {
                // An unreadable file counts as changed: better to refuse a write than clobber it.
                m.changed_on_disk = changed_on_disk(&path, m.identity.as_ref()).unwrap_or(true);
            }
            line.last_compaction = m.last_compaction;
            if m.changed_on_disk {
                line.health = Health::ChangedOnDisk;
            }
        }
        lines.into_values().collect()
    }

    /// `!save_all`: fold the whole journal into the namespace files now.
    ///
    /// # Errors
    /// I/O failures (nothing already durable is lost), or damage found in the journal.
    pub fn compact_all(&self) -> Result<CompactReport, StoreError> {
        crate::compaction::compact(&self.inner)
    }

    /// `!load_all`: re-read the namespace files (e.g. after an admin edited one by hand) and
    /// replay the journal on top, exactly as a restart would. Keys whose value changed get a new
    /// version, so optimistic checks made against the old values fail instead of overwriting.
    /// Writers wait while this runs.
    ///
    /// # Errors
    /// `Corrupt` if an edited file is not valid (the store keeps its current state), or I/O.
    pub fn reload_from_disk(&self) -> Result<ReloadReport, StoreError> {
        let inner = &self.inner;
        let _no_compaction = lock(&inner.compaction);
        let mut st = inner.lock_state();
        inner.wait_all_durable(&st)?;
        let recovered = inspect(&inner.dir)?;
        if let Some(err) = recovered.first_fatal() {
            return Err(err);
        }

        let mut report = ReloadReport::default();
        let mut new_namespaces = std::collections::HashMap::new();
        let mut bumps: Vec<(String, Vec<(String, Value)>)> = Vec::new();
        let names: BTreeSet<String> = st
            .namespaces
            .keys()
            .chain(recovered.namespaces.keys())
            .cloned()
            .collect();
        let mut recovered_namespaces = recovered.namespaces;
        let mut new_files = BTreeMap::new();
        for name in names {
            let fresh = recovered_namespaces.remove(&name).unwrap_or_default();
            let old = st.namespaces.get(&name);
            let old_entries = old.map(|n| &n.entries);
            let mut changed = Vec::new();
            for (k, v) in &fresh.entries {
                if old_entries.and_then(|e| e.get(k)).map(|o| &o.value) != Some(&v.value) {
                    changed.push((k.clone(), v.value.clone()));
                }
            }
            let removed = old_entries.map_or(0, |e| {
                e.keys().filter(|k| !fresh.entries.contains_key(*k)).count()
            });
            report.namespaces.push(NamespaceReload {
                namespace: name.clone(),
                keys: fresh.entries.len(),
                changed: changed.len(),
                removed,
            });
            new_files.insert(
                name.clone(),
                FileMeta {
                    identity: fresh.identity,
                    folded_seq: fresh.file_seq,
                    last_compaction: lock(&inner.files)
                        .get(&name)
                        .and_then(|m| m.last_compaction),
                    changed_on_disk: false,
                },
            );
            new_namespaces.insert(
                name.clone(),
                Namespace {
                    entries: fresh.entries,
                    last_seq: 0,
                    last_write: old.and_then(|n| n.last_write),
                    pending_records: fresh.pending_records,
                },
            );
            if !changed.is_empty() {
                bumps.push((name, changed));
            }
        }

        // Persist the new versions as ordinary journal records (same values, new versions), so
        // a restart rebuilds exactly this state.
        let mut last = 0;
        for (name, changed) in bumps {
            let seq = st.next_seq;
            st.next_seq += 1;
            let ns = new_namespaces.entry(name.clone()).or_default();
            let ops: Vec<Op> = changed
                .iter()
                .map(|(k, v)| Op::set(k.clone(), v.clone()))
                .collect();
            let ops_json = serde_json::to_vec(&ops)
                .map_err(|e| StoreError::with_source(crate::StoreErrorType::Encode, e))?;
            let mut line = Vec::new();
            crate::journal::encode_record(&mut line, seq, &name, &ops_json);
            inner.journal.append(seq, &line)?;
            for (k, v) in changed {
                ns.entries.insert(
                    k,
                    Versioned {
                        value: v,
                        version: seq,
                    },
                );
            }
            ns.pending_records += 1;
            last = seq;
        }
        if last != 0 {
            // Memory is replaced only after the bumps are durable; on failure it stays as it was.
            inner.journal.wait_durable(last)?;
        }
        st.namespaces = new_namespaces;
        *lock(&inner.files) = new_files;
        Ok(report)
    }

    /// A plain JSON object `{ key: value, ... }` of one namespace (for backups before a reload).
    pub fn export_namespace(&self, ns: &str) -> Result<Value, StoreError> {
        validate_namespace(ns)?;
        self.inner.read(ns, |n| {
            let map = n
                .map(|n| {
                    n.entries
                        .iter()
                        .map(|(k, v)| (k.clone(), v.value.clone()))
                        .collect()
                })
                .unwrap_or_default();
            Value::Object(map)
        })
    }
}
