//! Reading a store folder back: namespace files first, then the journal segments in order,
//! replaying every record newer than its namespace file. Damage is collected as [`Problem`]s
//! rather than returned at once, so the same pass serves `Store::open` (refuses on any fatal
//! problem), `check` (reports them all) and `repair` (fixes them).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::StoreError;
use crate::journal::{parse_segment_name, scan_segment, Record, SegmentEnd};
use crate::namespace_file::{self, namespace_of, validate_namespace, FileIdentity};
use crate::Versioned;

/// Something wrong found on disk.
#[derive(Debug, Clone)]
pub(crate) enum Problem {
    /// A namespace file that does not parse. Fatal.
    BadNamespaceFile {
        path: PathBuf,
        offset: u64,
        reason: String,
    },
    /// Journal damage that a crash does not explain. Fatal; replay stopped here.
    CorruptJournal {
        path: PathBuf,
        offset: u64,
        reason: String,
    },
    /// An incomplete last frame of the last segment: an interrupted, unacknowledged write.
    TornTail {
        path: PathBuf,
        offset: u64,
        len: u64,
        reason: String,
    },
    /// A segment after a corrupt one; not replayed (only a clean prefix of the journal is).
    SkippedSegment { path: PathBuf },
}

impl Problem {
    pub fn is_fatal(&self) -> bool {
        !matches!(self, Problem::TornTail { .. })
    }

    pub fn to_error(&self) -> Option<StoreError> {
        match self {
            Problem::BadNamespaceFile {
                path,
                offset,
                reason,
            }
            | Problem::CorruptJournal {
                path,
                offset,
                reason,
            } => Some(StoreError::corrupt(path, *offset, reason.clone())),
            Problem::SkippedSegment { path } => Some(StoreError::corrupt(
                path,
                0,
                "follows a damaged journal segment",
            )),
            Problem::TornTail { .. } => None,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct RecoveredNamespace {
    pub entries: BTreeMap<String, Versioned>,
    /// `last_seq` of the namespace file (0 without one).
    pub file_seq: u64,
    pub identity: Option<FileIdentity>,
    pub file_mtime: Option<std::time::SystemTime>,
    /// Journal records replayed on top of the file.
    pub pending_records: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct SegmentInfo {
    pub path: PathBuf,
    pub start_seq: u64,
    pub valid_len: u64,
    pub records: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Recovered {
    pub namespaces: BTreeMap<String, RecoveredNamespace>,
    pub segments: Vec<SegmentInfo>,
    pub max_seq: u64,
    pub problems: Vec<Problem>,
}

impl Recovered {
    pub fn first_fatal(&self) -> Option<StoreError> {
        self.problems
            .iter()
            .filter(|p| p.is_fatal())
            .find_map(Problem::to_error)
    }
}

/// Names of the namespace files and the journal segments (sorted by start) in `dir`.
/// Namespace names, and journal segments as (start seq, path).
type DirListing = (Vec<String>, Vec<(u64, PathBuf)>);

pub(crate) fn list_dir(dir: &Path) -> Result<DirListing, StoreError> {
    let mut namespaces = Vec::new();
    let mut segments = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| StoreError::io(dir, "list", e))?;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io(dir, "list", e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(ns) = namespace_of(&name) {
            namespaces.push(ns.to_owned());
        } else if let Some(start) = parse_segment_name(&name) {
            segments.push((start, entry.path()));
        }
    }
    namespaces.sort();
    segments.sort();
    Ok((namespaces, segments))
}

/// Apply one journal record to `namespaces`, unless its namespace file already holds it.
pub(crate) fn apply_record(
    namespaces: &mut BTreeMap<String, RecoveredNamespace>,
    record: Record,
) -> Result<(), String> {
    validate_namespace(&record.ns)
        .map_err(|_| format!("record {} has an invalid namespace", record.seq))?;
    let ns = namespaces.entry(record.ns).or_default();
    if record.seq <= ns.file_seq {
        return Ok(());
    }
    ns.pending_records += 1;
    for op in record.ops {
        match op.parts() {
            Some((key, Some(value))) => {
                ns.entries.insert(
                    key,
                    Versioned {
                        value,
                        version: record.seq,
                    },
                );
            }
            Some((key, None)) => {
                ns.entries.remove(&key);
            }
            None => {
                return Err(format!(
                    "record {} has an operation that is neither set nor del",
                    record.seq
                ))
            }
        }
    }
    Ok(())
}

/// Read everything in `dir`. Only I/O errors (unreadable folder or file) fail; damage is
/// reported in `problems`, and the returned state is what the valid data gives.
pub(crate) fn inspect(dir: &Path) -> Result<Recovered, StoreError> {
    let (names, segment_paths) = list_dir(dir)?;
    let mut out = Recovered::default();

    for ns in names {
        let path = dir.join(format!("{ns}{}", namespace_file::EXTENSION));
        match namespace_file::read(dir, &ns) {
            Ok(Some(file)) => {
                out.max_seq = out.max_seq.max(file.last_seq);
                let file_mtime = file.identity.mtime;
                out.namespaces.insert(
                    ns,
                    RecoveredNamespace {
                        entries: file.entries,
                        file_seq: file.last_seq,
                        identity: Some(file.identity),
                        file_mtime,
                        pending_records: 0,
                    },
                );
            }
            Ok(None) => {}
            Err(e) => match e.into_parts() {
                (crate::StoreErrorType::Corrupt { offset, reason, .. }, _) => {
                    out.problems.push(Problem::BadNamespaceFile {
                        path,
                        offset,
                        reason,
                    });
                }
                (kind, source) => return Err(StoreError { kind, source }),
            },
        }
    }

    let count = segment_paths.len();
    let mut stopped = false;
    let mut last_seq = 0u64;
    for (i, (start_seq, path)) in segment_paths.into_iter().enumerate() {
        out.max_seq = out.max_seq.max(start_seq.saturating_sub(1));
        if stopped {
            out.problems.push(Problem::SkippedSegment { path });
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| StoreError::io(&path, "read", e))?;
        let namespaces = &mut out.namespaces;
        let scan = scan_segment(&bytes, |record| {
            if record.seq <= last_seq || record.seq < start_seq {
                return Err(format!("sequence number {} is out of order", record.seq));
            }
            last_seq = record.seq;
            apply_record(namespaces, record)
        });
        out.max_seq = out.max_seq.max(last_seq);
        let file_len = bytes.len() as u64;
        match scan.end {
            SegmentEnd::Clean => {}
            SegmentEnd::Torn { offset, reason } if i + 1 == count => {
                out.problems.push(Problem::TornTail {
                    path: path.clone(),
                    offset,
                    len: file_len - offset,
                    reason,
                });
            }
            SegmentEnd::Torn { offset, reason } | SegmentEnd::Corrupt { offset, reason } => {
                out.problems.push(Problem::CorruptJournal {
                    path: path.clone(),
                    offset,
                    reason,
                });
                stopped = true;
            }
        }
        out.segments.push(SegmentInfo {
            path,
            start_seq,
            valid_len: scan.valid_len,
            records: scan.records,
        });
    }
    Ok(out)
}
