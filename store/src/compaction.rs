//! Compaction folds the journal into the namespace files without blocking writers for long:
//! rotate to a new segment (writers wait for one directory fsync), then, off every lock, read
//! the old segments and the current files back from disk, write the new files durably, and
//! delete the old segments. Working from the disk rather than from memory means nothing is
//! frozen while a large namespace is serialised, and every compaction re-verifies the journal.
//!
//! A namespace file that changed under the store (a hand edit) is never overwritten: it is
//! skipped, flagged [`Health::ChangedOnDisk`](crate::Health), and the old segments are kept (they
//! hold its changes) until `reload_from_disk` takes the edit in.

use std::collections::BTreeMap;
use std::fs;
use std::time::SystemTime;

use crate::crc::crc32;
use crate::durable::{sync_dir, write_file_durably_with};
use crate::error::StoreError;
use crate::journal::{scan_segment, SegmentEnd};
use crate::namespace_file::{self, changed_on_disk, FileIdentity, EXTENSION};
use crate::recovery::{apply_record, list_dir, RecoveredNamespace};
use crate::store::{lock, Inner};
use crate::types::CompactReport;

/// Read `<ns>.json` if it is exactly what the store last wrote or read. `Ok(None)`: it changed.
fn load_unchanged(
    inner: &Inner,
    ns: &str,
    known: Option<&FileIdentity>,
) -> Result<Option<RecoveredNamespace>, StoreError> {
    let path = inner.dir.join(format!("{ns}{EXTENSION}"));
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(if known.is_none() {
                Some(RecoveredNamespace::default())
            } else {
                None
            });
        }
        Err(e) => return Err(StoreError::io(&path, "read", e)),
    };
    // Compare the bytes themselves, not a stat taken earlier: no window between check and read.
    match known {
        Some(k) if k.size == bytes.len() as u64 && k.crc == crc32(&bytes) => {}
        _ => return Ok(None),
    }
    let meta = fs::metadata(&path).map_err(|e| StoreError::io(&path, "read the metadata of", e))?;
    let file = namespace_file::parse(&path, ns, &bytes, &meta)?;
    Ok(Some(RecoveredNamespace {
        entries: file.entries,
        file_seq: file.last_seq,
        identity: Some(file.identity),
        file_mtime: file.identity.mtime,
        pending_records: 0,
    }))
}

/// Fold every journal segment older than the active one into the namespace files.
pub(crate) fn compact(inner: &Inner) -> Result<CompactReport, StoreError> {
    let _one_at_a_time = lock(&inner.compaction);
    inner.compaction_started();
    let fault = &inner.options.fault_injector;
    let new_start = inner.journal.rotate()?;
    let fold_upto = new_start - 1;
    let (_, segments) = list_dir(&inner.dir)?;
    let old: Vec<_> = segments
        .into_iter()
        .filter(|(start, _)| *start < new_start)
        .collect();

    let files: BTreeMap<String, crate::store::FileMeta> = lock(&inner.files).clone();
    let mut work: BTreeMap<String, RecoveredNamespace> = BTreeMap::new();
    let mut changed: Vec<String> = Vec::new();
    let mut report = CompactReport::default();

    for (_, path) in &old {
        let bytes = fs::read(path).map_err(|e| StoreError::io(path, "read", e))?;
        let mut load_error: Option<StoreError> = None;
        let scan = scan_segment(&bytes, |record| {
            let meta = files.get(&record.ns);
            if record.seq <= meta.map_or(0, |m| m.folded_seq) || changed.contains(&record.ns) {
                return Ok(());
            }
            if !work.contains_key(&record.ns) {
                match load_unchanged(inner, &record.ns, meta.and_then(|m| m.identity.as_ref())) {
                    Ok(Some(ns)) => {
                        work.insert(record.ns.clone(), ns);
                    }
                    Ok(None) => {
                        changed.push(record.ns);
                        return Ok(());
                    }
                    Err(e) => {
                        load_error = Some(e);
                        return Err("could not load its namespace file".to_owned());
                    }
                }
            }
            report.records_folded += 1;
            apply_record(&mut work, record)
        });
        if let Some(e) = load_error {
            return Err(e);
        }
        match scan.end {
            SegmentEnd::Clean => {}
            SegmentEnd::Torn { offset, reason } | SegmentEnd::Corrupt { offset, reason } => {
                return Err(StoreError::corrupt(
                    path,
                    offset,
                    format!("found while compacting: {reason}"),
                ));
            }
        }
    }

    for (ns, state) in &work {
        let path = inner.dir.join(format!("{ns}{EXTENSION}"));
        let bytes = namespace_file::encode(ns, fold_upto, &state.entries)?;
        let written = write_file_durably_with(&path, &bytes, fault);
        let meta =
            fs::metadata(&path).map_err(|e| StoreError::io(&path, "read the metadata of", e));
        if let Err(e) = written {
            // If only the directory fsync failed, the rename happened: the file is ours, and
            // must not later be mistaken for a hand edit.
            if let (Ok(meta), Ok(now)) = (&meta, fs::read(&path)) {
                if now == bytes {
                    let mut files = lock(&inner.files);
                    let m = files.entry(ns.clone()).or_default();
                    m.identity = Some(FileIdentity::of(&bytes, meta));
                    m.folded_seq = fold_upto;
                }
            }
            return Err(StoreError::io(&path, "write", e));
        }
        let meta = meta?;
        let mut files = lock(&inner.files);
        let m = files.entry(ns.clone()).or_default();
        m.identity = Some(FileIdentity::of(&bytes, &meta));
        m.folded_seq = fold_upto;
        m.last_compaction = Some(SystemTime::now());
        m.changed_on_disk = false;
        report.written.push(ns.clone());
    }
    {
        let mut st = inner.lock_state();
        for (ns, state) in &work {
            if let Some(n) = st.namespaces.get_mut(ns) {
                n.pending_records = n.pending_records.saturating_sub(state.pending_records);
            }
        }
    }

    // Notice hand edits of namespaces that had nothing to fold, too (for status and the report).
    let mut files = lock(&inner.files);
    for ns in changed {
        files.entry(ns).or_default().changed_on_disk = true;
    }
    for (ns, m) in files.iter_mut() {
        if !m.changed_on_disk && !work.contains_key(ns) {
            let path = inner.dir.join(format!("{ns}{EXTENSION}"));
            m.changed_on_disk = changed_on_disk(&path, m.identity.as_ref())?;
        }
    }
    report.skipped_changed_on_disk = files
        .iter()
        .filter(|(_, m)| m.changed_on_disk)
        .map(|(n, _)| n.clone())
        .collect();
    drop(files);

    // Old segments still hold the changes of a namespace whose file we could not write.
    if report.skipped_changed_on_disk.is_empty() && !old.is_empty() {
        for (_, path) in &old {
            fs::remove_file(path)
                .map_err(|e| StoreError::io(path, "delete the compacted journal segment", e))?;
        }
        sync_dir(&inner.dir, fault)
            .map_err(|e| StoreError::io(&inner.dir, "sync the store folder", e))?;
        report.segments_removed = old.len();
    } else if !report.skipped_changed_on_disk.is_empty() {
        tracing::warn!(namespaces = ?report.skipped_changed_on_disk,
            "namespace files changed on disk were not overwritten; run !load_all to take the edits in");
    }
    Ok(report)
}
