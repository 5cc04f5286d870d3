//! The public store handle, over either backend: the JSON store in a folder (the default, needs
//! nothing installed) or PostgreSQL. Every caller (the host, timers, plugins' host calls) uses
//! this one type and never learns which backend holds its data.

use std::path::Path;

use serde_json::Value;

use crate::error::{StoreError, StoreErrorType};
use crate::location::{redact, StoreLocation};
use crate::observer::CommitObserver;
use crate::postgres::PgStore;
use crate::store::{JsonStore, StoreOptions};
use crate::types::{
    ClaimOutcome, CommitOutcome, CompactReport, NamespaceReload, NamespaceStatus, ReloadReport,
    Transaction, Versioned,
};

/// Which backend a [`Store`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BackendKind {
    /// Journaled JSON files in a folder.
    Json,
    /// A PostgreSQL database.
    Postgres,
}

#[derive(Debug, Clone)]
enum Backend {
    Json(JsonStore),
    Postgres(PgStore),
}

/// A durable store (JSON files or PostgreSQL). Cheap to clone; all clones share one store.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
}

impl Store {
    /// Open (or create) the JSON store in `dir`: take the folder lock, remove leftover temporary
    /// files, verify and load the namespace files and the journal.
    ///
    /// # Errors
    /// `Locked` if another process uses `dir`; `Corrupt` (naming file and byte offset) if a
    /// file is damaged other than by a crash mid-write; `Io` if the folder cannot be read.
    pub fn open(dir: &Path, options: StoreOptions) -> Result<Store, StoreError> {
        JsonStore::open(dir, options).map(|s| Store {
            backend: Backend::Json(s),
        })
    }

    /// Open the PostgreSQL store at `url` (`postgres://user[:password]@host[:port]/database`),
    /// creating or upgrading its tables.
    ///
    /// # Errors
    /// `Database` if the server cannot be reached or refuses; `SchemaTooNew` if a newer Arsenal
    /// made the tables.
    pub fn open_postgres(url: &str) -> Result<Store, StoreError> {
        Self::open_postgres_observed(url, None)
    }

    /// [`Store::open_postgres`], with a hook that sees every group commit.
    ///
    /// # Errors
    /// As [`Store::open_postgres`].
    pub fn open_postgres_observed(
        url: &str,
        observer: Option<CommitObserver>,
    ) -> Result<Store, StoreError> {
        PgStore::open(url, observer).map(|s| Store {
            backend: Backend::Postgres(s),
        })
    }

    /// Open the store at `location` (`options` apply to the JSON store, except the commit
    /// observer, which both backends call).
    ///
    /// # Errors
    /// As [`Store::open`] or [`Store::open_postgres`].
    pub fn open_location(
        location: &StoreLocation,
        options: StoreOptions,
    ) -> Result<Store, StoreError> {
        match location {
            StoreLocation::Dir(dir) => Store::open(dir, options),
            StoreLocation::Postgres(url) => {
                Store::open_postgres_observed(url, options.commit_observer)
            }
        }
    }

    /// Which backend this is.
    pub fn backend(&self) -> BackendKind {
        match &self.backend {
            Backend::Json(_) => BackendKind::Json,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Where the store is, for people: the folder, or the URL without its password.
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Json(s) => s.dir().display().to_string(),
            Backend::Postgres(s) => redact(s.url()),
        }
    }

    /// Identify turns shared by every process using this PostgreSQL store (`None` for the
    /// JSON store, which one process owns).
    pub fn identify_turns(&self) -> Option<crate::IdentifyTurns> {
        match &self.backend {
            Backend::Json(_) => None,
            Backend::Postgres(s) => crate::IdentifyTurns::new(s.url()).ok(),
        }
    }

    /// The folder of a JSON store (`None` for PostgreSQL).
    pub fn dir(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Json(s) => Some(s.dir()),
            Backend::Postgres(_) => None,
        }
    }

    /// Read one key.
    pub fn get(&self, ns: &str, key: &str) -> Result<Option<Versioned>, StoreError> {
        match &self.backend {
            Backend::Json(s) => s.get(ns, key),
            Backend::Postgres(s) => s.get(ns, key),
        }
    }

    /// All keys starting with `prefix`, sorted by key (byte order).
    pub fn list(&self, ns: &str, prefix: &str) -> Result<Vec<(String, Versioned)>, StoreError> {
        match &self.backend {
            Backend::Json(s) => s.list(ns, prefix),
            Backend::Postgres(s) => s.list(ns, prefix),
        }
    }

    /// Set a key; returns its new version. Durable when this returns `Ok`.
    pub fn set(&self, ns: &str, key: &str, value: Value) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Json(s) => s.set(ns, key, value),
            Backend::Postgres(s) => {
                match s
                    .commit(ns, Vec::new(), vec![(key.to_owned(), Some(value))])?
                    .0
                {
                    CommitOutcome::Committed { version } => Ok(version),
                    // No checks were given, so there is nothing to conflict with.
                    CommitOutcome::Conflict { .. } => Err(StoreError::new(StoreErrorType::Encode)),
                }
            }
        }
    }

    /// Delete a key; returns whether it existed. Durable when this returns `Ok`.
    pub fn delete(&self, ns: &str, key: &str) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Json(s) => s.delete(ns, key),
            Backend::Postgres(s) => s
                .commit(ns, Vec::new(), vec![(key.to_owned(), None)])
                .map(|(_, existed)| existed),
        }
    }

    /// Apply a transaction atomically: all checks pass and all writes become durable together,
    /// or nothing happens.
    pub fn commit(&self, ns: &str, txn: Transaction) -> Result<CommitOutcome, StoreError> {
        match &self.backend {
            Backend::Json(s) => s.commit(ns, txn),
            Backend::Postgres(s) => s.commit(ns, txn.checks, txn.writes).map(|(o, _)| o),
        }
    }

    /// Names of all namespaces, sorted. (PostgreSQL: the namespaces holding keys; an empty
    /// list, logged, if the server cannot be reached.)
    pub fn namespaces(&self) -> Vec<String> {
        match &self.backend {
            Backend::Json(s) => s.namespaces(),
            Backend::Postgres(s) => s.namespaces().unwrap_or_else(|e| {
                tracing::error!(error = %e, "could not list the store's namespaces");
                Vec::new()
            }),
        }
    }

    /// Names of all namespaces, sorted, or why they could not be read.
    ///
    /// # Errors
    /// PostgreSQL unreachable.
    pub fn try_namespaces(&self) -> Result<Vec<String>, StoreError> {
        match &self.backend {
            Backend::Json(s) => Ok(s.namespaces()),
            Backend::Postgres(s) => s.namespaces(),
        }
    }

    /// One status line per namespace. Also notices namespace files edited by hand (JSON).
    /// An empty list, logged, if PostgreSQL cannot be reached: see [`Store::try_status`].
    pub fn status(&self) -> Vec<NamespaceStatus> {
        self.try_status().unwrap_or_else(|e| {
            tracing::error!(error = %e, "could not read the store's status");
            Vec::new()
        })
    }

    /// [`Store::status`], with the error when PostgreSQL cannot be reached. For PostgreSQL,
    /// `file_size` is the bytes the namespace's values take in the database, and there is no
    /// journal or compaction.
    ///
    /// # Errors
    /// PostgreSQL unreachable.
    pub fn try_status(&self) -> Result<Vec<NamespaceStatus>, StoreError> {
        match &self.backend {
            Backend::Json(s) => Ok(s.status()),
            Backend::Postgres(s) => s.status(),
        }
    }

    /// `!save_all`: fold the JSON journal into the namespace files now. PostgreSQL has nothing
    /// to fold (every acknowledged write is committed in its tables): an empty report.
    ///
    /// # Errors
    /// I/O failures (nothing already durable is lost), or damage found in the journal.
    pub fn compact_all(&self) -> Result<CompactReport, StoreError> {
        match &self.backend {
            Backend::Json(s) => s.compact_all(),
            Backend::Postgres(_) => Ok(CompactReport::default()),
        }
    }

    /// `!load_all`: re-read the JSON namespace files (after a hand edit) and replay the journal
    /// on top, exactly as a restart would; keys whose value changed get a new version. PostgreSQL
    /// has no files: reads always see the tables, so this only reports the namespaces.
    ///
    /// # Errors
    /// `Corrupt` if an edited file is not valid (the store keeps its current state), or I/O.
    pub fn reload_from_disk(&self) -> Result<ReloadReport, StoreError> {
        match &self.backend {
            Backend::Json(s) => s.reload_from_disk(),
            Backend::Postgres(s) => Ok(ReloadReport {
                namespaces: s
                    .status()?
                    .into_iter()
                    .map(|n| NamespaceReload {
                        namespace: n.namespace,
                        keys: n.keys,
                        changed: 0,
                        removed: 0,
                    })
                    .collect(),
            }),
        }
    }

    /// Claim `key` of `ns` for `owner` (a process id) for `lease`, while it still holds
    /// `version`: the one process of a fleet that gets [`ClaimOutcome::Claimed`] does the work
    /// (delivers a due timer). PostgreSQL: a lease in `arsenal_claims`, taken over by another
    /// process once it expired (its holder died); the same owner may claim again. JSON (one
    /// process only): always `Claimed` while the key holds `version`.
    ///
    /// # Errors
    /// PostgreSQL unreachable.
    pub fn claim(
        &self,
        ns: &str,
        key: &str,
        version: u64,
        owner: &str,
        lease: std::time::Duration,
    ) -> Result<ClaimOutcome, StoreError> {
        match &self.backend {
            Backend::Json(s) => Ok(match s.get(ns, key)? {
                Some(v) if v.version == version => ClaimOutcome::Claimed,
                _ => ClaimOutcome::Gone,
            }),
            Backend::Postgres(s) => s.claim(ns, key, version, owner, lease),
        }
    }

    /// End `owner`'s claim on `key` now (the work was not done; another process may take it).
    /// Nothing to do for JSON.
    ///
    /// # Errors
    /// PostgreSQL unreachable.
    pub fn release(&self, ns: &str, key: &str, owner: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Json(_) => Ok(()),
            Backend::Postgres(s) => s.release(ns, key, owner),
        }
    }

    /// A plain JSON object `{ key: value, ... }` of one namespace (for backups before a reload).
    pub fn export_namespace(&self, ns: &str) -> Result<Value, StoreError> {
        match &self.backend {
            Backend::Json(s) => s.export_namespace(ns),
            Backend::Postgres(s) => Ok(Value::Object(
                s.list(ns, "")?
                    .into_iter()
                    .map(|(k, v)| (k, v.value))
                    .collect(),
            )),
        }
    }

    /// JSON: flush, run a final compaction and release the folder. PostgreSQL: commit what is
    /// queued and refuse further work. Every clone is closed.
    pub fn close(self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Json(s) => s.close(),
            Backend::Postgres(s) => {
                s.close();
                Ok(())
            }
        }
    }
}
