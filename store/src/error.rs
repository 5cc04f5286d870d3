//! The one public error type of the store, twilight-style: a kind a caller can match on plus
//! the underlying cause, and a Display message that says what failed and what to do about it.

use std::error::Error;
use std::fmt;
use std::path::PathBuf;

/// An error from the store. Match on [`StoreError::kind`]; print it for humans.
#[derive(Debug)]
pub struct StoreError {
    pub(crate) kind: StoreErrorType,
    pub(crate) source: Option<Box<dyn Error + Send + Sync>>,
}

/// What went wrong. New variants may be added.
#[derive(Debug)]
#[non_exhaustive]
pub enum StoreErrorType {
    /// A namespace name is not `[a-z0-9_.-]{1,64}` (or starts with a dot).
    InvalidNamespace { name: String },
    /// Another process (or another `Store` in this one) holds the data folder.
    Locked { dir: PathBuf, pid: Option<u32> },
    /// Reading or writing a file failed (disk full, I/O error, permissions).
    /// Nothing that failed was acknowledged.
    Io { path: PathBuf, action: &'static str },
    /// A file on disk is damaged somewhere other than the tail of the journal.
    Corrupt {
        path: PathBuf,
        offset: u64,
        reason: String,
    },
    /// An earlier write failure could not be cleaned up, so the store refuses further writes
    /// until it is reopened (reopening recovers to the last acknowledged write).
    Poisoned { reason: String },
    /// The store was closed.
    Closed,
    /// A value could not be serialised (should not happen for `serde_json::Value`).
    Encode,
    /// The PostgreSQL server could not be reached, or refused a statement. Nothing that failed
    /// was acknowledged.
    Database { action: &'static str },
    /// The database's schema was created by a newer Arsenal than this one.
    SchemaTooNew { found: i32, known: i32 },
    /// `store copy` was asked to write into a store that already holds data.
    TargetNotEmpty { target: String, namespaces: usize },
    /// `store copy` was given a source folder that does not exist.
    SourceMissing { dir: PathBuf },
    /// `store copy` read back something other than what it wrote.
    CopyMismatch { namespace: String, key: String },
}

impl StoreError {
    pub(crate) fn new(kind: StoreErrorType) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn with_source(
        kind: StoreErrorType,
        source: impl Into<Box<dyn Error + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, action: &'static str, err: std::io::Error) -> Self {
        Self::with_source(
            StoreErrorType::Io {
                path: path.into(),
                action,
            },
            err,
        )
    }

    pub(crate) fn corrupt(
        path: impl Into<PathBuf>,
        offset: u64,
        reason: impl Into<String>,
    ) -> Self {
        Self::new(StoreErrorType::Corrupt {
            path: path.into(),
            offset,
            reason: reason.into(),
        })
    }

    /// The kind of error.
    pub fn kind(&self) -> &StoreErrorType {
        &self.kind
    }

    /// The underlying cause, if any.
    pub fn into_source(self) -> Option<Box<dyn Error + Send + Sync>> {
        self.source
    }

    /// Kind and cause, by value.
    pub fn into_parts(self) -> (StoreErrorType, Option<Box<dyn Error + Send + Sync>>) {
        (self.kind, self.source)
    }

    /// The OS error number behind an I/O failure, if there is one (ENOSPC, EIO, ...).
    pub fn raw_os_error(&self) -> Option<i32> {
        self.source
            .as_ref()
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .and_then(std::io::Error::raw_os_error)
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StoreErrorType::InvalidNamespace { name } => write!(
                f,
                "invalid store namespace {name:?}: use 1 to 64 characters from a-z, 0-9, '_', '.', '-', not starting with '.'"
            ),
            StoreErrorType::Locked { dir, pid } => {
                write!(f, "the data folder {} is already in use", dir.display())?;
                match pid {
                    Some(pid) => write!(f, " by process {pid}")?,
                    None => write!(f, " by another process")?,
                }
                write!(f, "; stop that process or use another folder")
            }
            StoreErrorType::Io { path, action } => {
                write!(f, "could not {action} {}", path.display())?;
                if let Some(source) = &self.source {
                    write!(f, ": {source}")?;
                }
                write!(f, "; the change was not saved (check free disk space and the disk's health)")
            }
            StoreErrorType::Corrupt { path, offset, reason } => write!(
                f,
                "store file {} is damaged at byte offset {offset}: {reason}; run `arsenal store check` to see the damage and `arsenal store repair` to fix it (a copy of anything removed is kept)",
                path.display()
            ),
            StoreErrorType::Poisoned { reason } => write!(
                f,
                "the store stopped accepting writes after a disk failure ({reason}); restart the bot to recover the last saved state"
            ),
            StoreErrorType::Closed => write!(f, "the store is closed"),
            StoreErrorType::Encode => write!(f, "a value could not be encoded as JSON"),
            StoreErrorType::Database { action } => {
                write!(f, "the PostgreSQL store could not {action}")?;
                if let Some(source) = &self.source {
                    write!(f, ": {source}")?;
                }
                write!(f, "; nothing that failed was saved (check that the server is running and reachable: `pg_isready`, and the store URL)")
            }
            StoreErrorType::SchemaTooNew { found, known } => write!(
                f,
                "the database's Arsenal schema is version {found}, newer than this Arsenal knows ({known}); run the newer Arsenal, or copy the data to a fresh database with `arsenal store copy`"
            ),
            StoreErrorType::TargetNotEmpty { target, namespaces } => write!(
                f,
                "the target store {target} already holds {namespaces} namespaces; copy into an empty store, or pass --force to replace what it holds"
            ),
            StoreErrorType::SourceMissing { dir } => write!(
                f,
                "the source store folder {} does not exist; check the path (a JSON store is the folder holding the namespace files and journal, e.g. data/store)",
                dir.display()
            ),
            StoreErrorType::CopyMismatch { namespace, key } => write!(
                f,
                "verification failed: key {key:?} of namespace {namespace:?} differs between the source and the target after the copy; the source is unchanged, run the copy again"
            ),
        }
    }
}

impl Error for StoreError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|s| &**s as &(dyn Error + 'static))
    }
}
