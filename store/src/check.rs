//! `arsenal store check` and `arsenal store repair`: explain what is wrong with a store folder
//! in words, and fix it while keeping a copy of everything removed under `<dir>/repair-<time>/`.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::durable::{remove_temp_files, sync_dir, write_file_durably};
use crate::error::StoreError;
use crate::fault::FaultInjector;
use crate::lock::DirLock;
use crate::recovery::{inspect, Problem};

/// One thing `check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// A namespace file is not valid; the store refuses to open.
    NamespaceFileDamaged {
        path: PathBuf,
        offset: u64,
        reason: String,
    },
    /// The journal is damaged in the middle; the store refuses to open.
    JournalDamaged {
        path: PathBuf,
        offset: u64,
        reason: String,
    },
    /// A journal segment after a damaged one (its records cannot be replayed safely).
    SegmentNotReplayed { path: PathBuf },
    /// The last journal record is incomplete (a crash mid-write). Harmless: `open` drops it.
    TornTail {
        path: PathBuf,
        offset: u64,
        bytes: u64,
    },
}

impl Finding {
    /// Whether this stops the store from opening.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, Finding::TornTail { .. })
    }
}

impl From<&Problem> for Finding {
    fn from(p: &Problem) -> Self {
        match p.clone() {
            Problem::BadNamespaceFile {
                path,
                offset,
                reason,
            } => Finding::NamespaceFileDamaged {
                path,
                offset,
                reason,
            },
            Problem::CorruptJournal {
                path,
                offset,
                reason,
            } => Finding::JournalDamaged {
                path,
                offset,
                reason,
            },
            Problem::SkippedSegment { path } => Finding::SegmentNotReplayed { path },
            Problem::TornTail {
                path, offset, len, ..
            } => Finding::TornTail {
                path,
                offset,
                bytes: len,
            },
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::NamespaceFileDamaged { path, offset, reason } => write!(
                f,
                "{} is not a valid namespace file (byte {offset}: {reason}). Fix it by hand, or `repair` moves it aside and the namespace keeps only what the journal still holds.",
                path.display()
            ),
            Finding::JournalDamaged { path, offset, reason } => write!(
                f,
                "journal {} is damaged at byte {offset} ({reason}) with valid data after it: this is disk damage, not a crash. `repair` keeps everything before byte {offset} and moves the rest aside.",
                path.display()
            ),
            Finding::SegmentNotReplayed { path } => write!(
                f,
                "journal {} comes after the damage, so its changes cannot be applied in order. `repair` moves it aside.",
                path.display()
            ),
            Finding::TornTail { path, offset, bytes } => write!(
                f,
                "journal {} ends with an incomplete write of {bytes} bytes at byte {offset} (the process stopped mid-write; that write was never acknowledged). Opening the store drops it.",
                path.display()
            ),
        }
    }
}

/// What [`check`] found. `Display` explains it for a human.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub dir: PathBuf,
    pub namespaces: usize,
    pub keys: usize,
    pub segments: usize,
    /// Journal records replayed (not yet folded into namespace files, or already folded).
    pub journal_records: u64,
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// True when the store opens without losing anything acknowledged.
    pub fn is_healthy(&self) -> bool {
        !self.findings.iter().any(Finding::is_fatal)
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "store {}: {} namespaces, {} keys, {} journal segments ({} records)",
            self.dir.display(),
            self.namespaces,
            self.keys,
            self.segments,
            self.journal_records
        )?;
        if self.findings.is_empty() {
            return writeln!(f, "everything is consistent.");
        }
        for finding in &self.findings {
            writeln!(f, "- {finding}")?;
        }
        if self.is_healthy() {
            writeln!(f, "The store opens normally.")
        } else {
            writeln!(
                f,
                "The store will not open until this is fixed: run `arsenal store repair` (it keeps a copy of everything it removes)."
            )
        }
    }
}

/// Verify every file in a store folder without changing anything. Safe while the store runs
/// (a write in progress may show up as an incomplete last record).
///
/// # Errors
/// Only if the folder or a file cannot be read at all.
pub fn check(dir: &Path) -> Result<CheckReport, StoreError> {
    let recovered = inspect(dir)?;
    Ok(CheckReport {
        dir: dir.to_path_buf(),
        namespaces: recovered.namespaces.len(),
        keys: recovered.namespaces.values().map(|n| n.entries.len()).sum(),
        segments: recovered.segments.len(),
        journal_records: recovered.segments.iter().map(|s| s.records).sum(),
        findings: recovered.problems.iter().map(Finding::from).collect(),
    })
}

/// What [`repair`] did.
#[derive(Debug, Clone, Default)]
pub struct RepairReport {
    /// Where the removed data was copied (`None` if nothing needed removing).
    pub backup_dir: Option<PathBuf>,
    pub actions: Vec<String>,
}

impl fmt::Display for RepairReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.actions.is_empty() {
            return writeln!(f, "nothing to repair.");
        }
        for a in &self.actions {
            writeln!(f, "- {a}")?;
        }
        if let Some(dir) = &self.backup_dir {
            writeln!(f, "Everything removed was copied to {}.", dir.display())?;
        }
        Ok(())
    }
}

fn backup_dir(dir: &Path) -> Result<PathBuf, StoreError> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for n in 0.. {
        let candidate = dir.join(if n == 0 {
            format!("repair-{secs}")
        } else {
            format!("repair-{secs}-{n}")
        });
        match fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(StoreError::io(&candidate, "create", e)),
        }
    }
    unreachable!("an unbounded range always yields another candidate")
}

fn file_name(path: &Path) -> PathBuf {
    PathBuf::from(path.file_name().unwrap_or_default())
}

/// Make a damaged store folder openable again. The store must not be running (the folder lock
/// is taken). Damaged data is moved or copied to `<dir>/repair-<unix time>/` before anything is
/// cut, so nothing is ever thrown away.
///
/// # Errors
/// `Locked` if the store is running; I/O errors (the folder is then left as it was, or with
/// the backup copy made but the fix not yet applied).
pub fn repair(dir: &Path) -> Result<RepairReport, StoreError> {
    let _lock = DirLock::acquire(dir)?;
    let mut report = RepairReport::default();
    for name in
        remove_temp_files(dir).map_err(|e| StoreError::io(dir, "clean temporary files in", e))?
    {
        report
            .actions
            .push(format!("removed leftover temporary file {name}"));
    }
    let recovered = inspect(dir)?;
    let no_fault = FaultInjector::default();
    let mut backup: Option<PathBuf> = None;
    for problem in &recovered.problems {
        let bdir = match &backup {
            Some(b) => b.clone(),
            None => backup.insert(backup_dir(dir)?).clone(),
        };
        match problem {
            Problem::BadNamespaceFile { path, offset, .. } => {
                let to = bdir.join(file_name(path));
                fs::rename(path, &to).map_err(|e| StoreError::io(path, "move aside", e))?;
                report.actions.push(format!(
                    "moved damaged namespace file {} (bad at byte {offset}) to {}",
                    path.display(),
                    to.display()
                ));
            }
            Problem::CorruptJournal { path, offset, .. }
            | Problem::TornTail { path, offset, .. } => {
                let bytes = fs::read(path).map_err(|e| StoreError::io(path, "read", e))?;
                let keep = bytes.get(..*offset as usize).unwrap_or(&bytes);
                let to = bdir.join(file_name(path));
                fs::write(&to, &bytes)
                    .map_err(|e| StoreError::io(&to, "write the backup copy", e))?;
                fs::File::open(&to)
                    .and_then(|f| f.sync_all())
                    .map_err(|e| StoreError::io(&to, "sync", e))?;
                write_file_durably(path, keep).map_err(|e| StoreError::io(path, "rewrite", e))?;
                report.actions.push(format!(
                    "cut journal {} at byte {offset} (removed {} bytes; full original copied to {})",
                    path.display(),
                    bytes.len() - keep.len(),
                    to.display()
                ));
            }
            Problem::SkippedSegment { path } => {
                let to = bdir.join(file_name(path));
                fs::rename(path, &to).map_err(|e| StoreError::io(path, "move aside", e))?;
                report.actions.push(format!(
                    "moved journal {} (after the damage) to {}",
                    path.display(),
                    to.display()
                ));
            }
        }
    }
    if let Some(b) = &backup {
        sync_dir(b, &no_fault).map_err(|e| StoreError::io(b, "sync", e))?;
        sync_dir(dir, &no_fault).map_err(|e| StoreError::io(dir, "sync", e))?;
    }
    report.backup_dir = backup;
    Ok(report)
}
