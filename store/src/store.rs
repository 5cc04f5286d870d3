//! The store handle: in-memory state (the source of truth for reads), optimistic transactions,
//! and the write path (apply in memory, append to the group-commit journal, wait until durable).
//!
//! **Invariant:** memory never keeps a change whose journal record failed: the undo log holds
//! the previous values of every record not yet durable, and after a journal failure memory is
//! rolled back to the last durable record before anyone reads it or writes again.
//! **Invariant:** reads return only durable data: a read that sees a namespace with records in
//! flight waits for them (at most one group commit).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::SystemTime;

use serde_json::Value;

use crate::durable::{remove_temp_files, sync_data};
use crate::error::{StoreError, StoreErrorType};
use crate::fault::FaultInjector;
use crate::group_commit::{JournalSettings, JournalWriter};
use crate::journal::{encode_record, Op};
use crate::lock::DirLock;
use crate::namespace_file::{validate_namespace, FileIdentity};
use crate::observer::CommitObserver;
use crate::recovery::{inspect, Problem, Recovered};
use crate::types::{CommitOutcome, Transaction, Versioned};

/// Tuning and test hooks for [`Store::open`].
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Compact automatically when the active journal segment grows past this many bytes.
    pub compact_threshold_bytes: u64,
    /// Run compactions in a background thread when the threshold is crossed.
    pub auto_compact: bool,
    /// Injects I/O failures (tests). The default injects nothing.
    pub fault_injector: FaultInjector,
    /// Sees every group commit (writes carried, time to durable), for metrics. Both backends.
    pub commit_observer: Option<CommitObserver>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            compact_threshold_bytes: 64 << 20,
            auto_compact: true,
            fault_injector: FaultInjector::default(),
            commit_observer: None,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Namespace {
    pub entries: BTreeMap<String, Versioned>,
    /// Highest record sequence number applied to this namespace (reads wait for it).
    pub last_seq: u64,
    pub last_write: Option<SystemTime>,
    pub pending_records: u64,
}

#[derive(Debug)]
struct Undo {
    seq: u64,
    ns: String,
    old: Vec<(String, Option<Versioned>)>,
}

#[derive(Debug)]
pub(crate) struct State {
    pub namespaces: HashMap<String, Namespace>,
    pub next_seq: u64,
    undo: VecDeque<Undo>,
}

impl State {
    fn rollback_to(&mut self, durable: u64) {
        while self.undo.back().is_some_and(|u| u.seq > durable) {
            let Some(undo) = self.undo.pop_back() else {
                break;
            };
            if let Some(ns) = self.namespaces.get_mut(&undo.ns) {
                ns.pending_records = ns.pending_records.saturating_sub(1);
                ns.last_seq = ns.last_seq.min(durable);
                for (key, old) in undo.old.into_iter().rev() {
                    match old {
                        Some(v) => ns.entries.insert(key, v),
                        None => ns.entries.remove(&key),
                    };
                }
            }
        }
        self.undo.clear();
    }

    fn trim_undo(&mut self, durable: u64) {
        while self.undo.front().is_some_and(|u| u.seq <= durable) {
            self.undo.pop_front();
        }
    }
}

/// What the store knows about each namespace file.
#[derive(Debug, Default, Clone)]
pub(crate) struct FileMeta {
    pub identity: Option<FileIdentity>,
    /// The file holds every record up to this sequence number.
    pub folded_seq: u64,
    pub last_compaction: Option<SystemTime>,
    pub changed_on_disk: bool,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub dir: PathBuf,
    pub options: StoreOptions,
    pub state: Mutex<State>,
    pub journal: JournalWriter,
    pub files: Mutex<BTreeMap<String, FileMeta>>,
    /// One compaction or reload at a time. Lock order: `compaction`, then `state`, then `files`.
    pub compaction: Mutex<()>,
    compact_requested: AtomicBool,
    trigger: Mutex<Option<mpsc::Sender<()>>>,
    compactor: Mutex<Option<JoinHandle<()>>>,
    closed: AtomicBool,
    /// Released by `close` so the folder can be reopened while other clones still exist.
    lock: Mutex<Option<DirLock>>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section leaves its data consistent before anything that can panic; a
    // panicking caller thread must not take the whole store down with it.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Stops the background compactor when the last [`Store`] handle goes away.
#[derive(Debug)]
struct HandleGuard(Arc<Inner>);

impl Drop for HandleGuard {
    fn drop(&mut self) {
        self.0.stop_compactor();
    }
}

/// The JSON backend: a durable, journaled store in a folder. Cheap to clone; all clones share
/// one store. Wrapped by the public [`crate::Store`].
#[derive(Debug, Clone)]
pub(crate) struct JsonStore {
    pub(crate) inner: Arc<Inner>,
    _guard: Arc<HandleGuard>,
}

impl JsonStore {
    /// Open (or create) the store in `dir`: take the folder lock, remove leftover temporary
    /// files, verify and load the namespace files and the journal.
    ///
    /// # Errors
    /// `Locked` if another process uses `dir`; `Corrupt` (naming file and byte offset) if a
    /// file is damaged other than by a crash mid-write; `Io` if the folder cannot be read.
    pub fn open(dir: &Path, options: StoreOptions) -> Result<JsonStore, StoreError> {
        fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, "create the store folder", e))?;
        let lock = DirLock::acquire(dir)?;
        remove_temp_files(dir).map_err(|e| StoreError::io(dir, "clean temporary files in", e))?;
        let recovered = inspect(dir)?;
        if let Some(err) = recovered.first_fatal() {
            return Err(err);
        }
        let fault = options.fault_injector.clone();
        for problem in &recovered.problems {
            if let Problem::TornTail {
                path,
                offset,
                len,
                reason,
            } = problem
            {
                tracing::warn!(journal = %path.display(), offset, bytes = len, reason = %reason,
                    "dropping an incomplete last journal record (the process stopped mid-write; it was never acknowledged)");
                let file = fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| StoreError::io(path, "open", e))?;
                file.set_len(*offset)
                    .and_then(|()| sync_data(&file, &fault))
                    .map_err(|e| StoreError::io(path, "truncate the torn tail of", e))?;
            }
        }
        let Recovered {
            namespaces,
            segments,
            max_seq,
            ..
        } = recovered;
        let (path, start, len) = match segments.last() {
            Some(s) => (s.path.clone(), s.start_seq, s.valid_len),
            None => (
                JournalWriter::create_segment(dir, max_seq + 1, &fault)?,
                max_seq + 1,
                0,
            ),
        };
        // Auto-compaction rotates the segment at the threshold: no use preallocating past it.
        let prealloc_limit = if options.auto_compact {
            options.compact_threshold_bytes
        } else {
            u64::MAX
        };
        let settings = JournalSettings {
            fault,
            observer: options.commit_observer.clone(),
            prealloc_limit,
        };
        let journal = JournalWriter::open(dir, path, start, len, max_seq, settings)?;

        let mut files = BTreeMap::new();
        let mut state = State {
            namespaces: HashMap::new(),
            next_seq: max_seq + 1,
            undo: VecDeque::new(),
        };
        for (name, ns) in namespaces {
            files.insert(
                name.clone(),
                FileMeta {
                    identity: ns.identity,
                    folded_seq: ns.file_seq,
                    last_compaction: ns.file_mtime,
                    changed_on_disk: false,
                },
            );
            state.namespaces.insert(
                name,
                Namespace {
                    entries: ns.entries,
                    last_seq: 0,
                    last_write: None,
                    pending_records: ns.pending_records,
                },
            );
        }
        let inner = Arc::new(Inner {
            dir: dir.to_path_buf(),
            options,
            state: Mutex::new(state),
            journal,
            files: Mutex::new(files),
            compaction: Mutex::new(()),
            compact_requested: AtomicBool::new(false),
            trigger: Mutex::new(None),
            compactor: Mutex::new(None),
            closed: AtomicBool::new(false),
            lock: Mutex::new(Some(lock)),
        });
        if inner.options.auto_compact {
            inner.start_compactor();
        }
        inner.maybe_request_compaction();
        Ok(JsonStore {
            _guard: Arc::new(HandleGuard(inner.clone())),
            inner,
        })
    }

    /// The folder this store lives in.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// Read one key.
    pub fn get(&self, ns: &str, key: &str) -> Result<Option<Versioned>, StoreError> {
        validate_namespace(ns)?;
        self.inner
            .read(ns, |n| n.and_then(|n| n.entries.get(key).cloned()))
    }

    /// All keys starting with `prefix`, sorted by key.
    pub fn list(&self, ns: &str, prefix: &str) -> Result<Vec<(String, Versioned)>, StoreError> {
        validate_namespace(ns)?;
        self.inner.read(ns, |n| match n {
            Some(n) => n
                .entries
                .range::<str, _>((
                    std::ops::Bound::Included(prefix),
                    std::ops::Bound::Unbounded,
                ))
                .take_while(|(k, _)| k.starts_with(prefix))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            None => Vec::new(),
        })
    }

    /// Set a key; returns its new version. Durable when this returns `Ok`.
    pub fn set(&self, ns: &str, key: &str, value: Value) -> Result<u64, StoreError> {
        let (outcome, _) =
            self.inner
                .commit(ns, Vec::new(), vec![(key.to_owned(), Some(value))])?;
        match outcome {
            CommitOutcome::Committed { version } => Ok(version),
            // No checks were given, so there is nothing to conflict with.
            CommitOutcome::Conflict { .. } => Err(StoreError::new(StoreErrorType::Encode)),
        }
    }

    /// Delete a key; returns whether it existed. Durable when this returns `Ok`.
    pub fn delete(&self, ns: &str, key: &str) -> Result<bool, StoreError> {
        let (_, existed) = self
            .inner
            .commit(ns, Vec::new(), vec![(key.to_owned(), None)])?;
        Ok(existed)
    }

    /// Apply a transaction atomically: all checks pass and all writes become durable in one
    /// journal record, or nothing happens.
    pub fn commit(&self, ns: &str, txn: Transaction) -> Result<CommitOutcome, StoreError> {
        self.inner
            .commit(ns, txn.checks, txn.writes)
            .map(|(o, _)| o)
    }

    /// Names of all namespaces, sorted.
    pub fn namespaces(&self) -> Vec<String> {
        let mut names: Vec<String> = lock(&self.inner.state).namespaces.keys().cloned().collect();
        names.sort();
        names
    }

    /// Flush, run a final compaction and release the folder (once the last clone is dropped).
    pub fn close(self) -> Result<(), StoreError> {
        self.inner.stop_compactor();
        let result = self.compact_all().map(|_| ());
        self.inner.closed.store(true, Ordering::SeqCst);
        // Every clone now refuses work, so the folder can be handed to a new `Store`.
        drop(lock(&self.inner.lock).take());
        result
    }
}

impl Inner {
    /// Lock the state, first rolling memory back if journal records failed.
    pub(crate) fn lock_state(&self) -> MutexGuard<'_, State> {
        let mut st = lock(&self.state);
        if self.journal.needs_rollback() {
            st.rollback_to(self.journal.durable_seq());
            self.journal.rollback_done();
        }
        st.trim_undo(self.journal.durable_seq());
        st
    }

    fn check_open(&self) -> Result<(), StoreError> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(StoreError::new(StoreErrorType::Closed));
        }
        Ok(())
    }

    /// Run `f` on a namespace once everything it shows is durable.
    pub(crate) fn read<T>(
        &self,
        ns: &str,
        f: impl Fn(Option<&Namespace>) -> T,
    ) -> Result<T, StoreError> {
        loop {
            let st = self.lock_state();
            let n = st.namespaces.get(ns);
            let need = n.map_or(0, |n| n.last_seq);
            if need <= self.journal.durable_seq() {
                return Ok(f(n));
            }
            drop(st);
            // On failure the next lock_state() rolls back; read again either way.
            let _ = self.journal.wait_durable(need);
        }
    }

    /// Wait until everything written so far is durable.
    pub(crate) fn wait_all_durable(&self, st: &State) -> Result<(), StoreError> {
        self.journal.wait_durable(st.next_seq - 1)
    }

    pub(crate) fn commit(
        &self,
        ns: &str,
        checks: Vec<(String, Option<u64>)>,
        writes: Vec<(String, Option<Value>)>,
    ) -> Result<(CommitOutcome, bool), StoreError> {
        validate_namespace(ns)?;
        self.check_open()?;
        // Last write per key wins; keep first-seen order so records read naturally.
        let mut ops: Vec<Op> = Vec::with_capacity(writes.len());
        let mut index: HashMap<String, usize> = HashMap::new();
        for (key, value) in writes {
            let op = match value {
                Some(v) => Op::set(key.clone(), v),
                None => Op::delete(key.clone()),
            };
            match index.get(&key) {
                Some(&i) => ops[i] = op,
                None => {
                    index.insert(key, ops.len());
                    ops.push(op);
                }
            }
        }
        // Encoding outside the lock keeps the critical section short under many writers.
        let ops_json = serde_json::to_vec(&ops)
            .map_err(|e| StoreError::with_source(StoreErrorType::Encode, e))?;

        let mut st = self.lock_state();
        for (key, expected) in checks {
            let actual = st
                .namespaces
                .get(ns)
                .and_then(|n| n.entries.get(&key))
                .map(|v| v.version);
            if actual != expected {
                return Ok((
                    CommitOutcome::Conflict {
                        key,
                        expected,
                        actual,
                    },
                    false,
                ));
            }
        }
        // A delete of an absent key (or an empty write set) changes nothing: no record.
        let namespace = st.namespaces.get(ns);
        let noop = ops.iter().all(|op| {
            op.del
                .as_ref()
                .is_some_and(|k| namespace.is_none_or(|n| !n.entries.contains_key(k)))
        });
        if noop {
            let last = st.next_seq - 1;
            drop(st);
            self.journal.wait_durable(last)?;
            return Ok((CommitOutcome::Committed { version: last }, false));
        }

        let seq = st.next_seq;
        st.next_seq += 1;
        let mut line = Vec::with_capacity(ops_json.len() + ns.len() + 48);
        encode_record(&mut line, seq, ns, &ops_json);
        let n = st.namespaces.entry(ns.to_owned()).or_default();
        let mut old = Vec::with_capacity(ops.len());
        let mut existed = false;
        for op in ops {
            let Some((key, value)) = op.parts() else {
                continue;
            };
            let prev = match value {
                Some(value) => n.entries.insert(
                    key.clone(),
                    Versioned {
                        value,
                        version: seq,
                    },
                ),
                None => n.entries.remove(&key),
            };
            existed |= prev.is_some();
            old.push((key, prev));
        }
        n.last_seq = seq;
        n.last_write = Some(SystemTime::now());
        n.pending_records += 1;
        st.undo.push_back(Undo {
            seq,
            ns: ns.to_owned(),
            old,
        });
        if let Err(e) = self.journal.append(seq, &line) {
            st.rollback_to(self.journal.durable_seq());
            self.journal.rollback_done();
            return Err(e);
        }
        drop(st);
        if let Err(e) = self.journal.wait_durable(seq) {
            drop(self.lock_state());
            return Err(e);
        }
        self.maybe_request_compaction();
        Ok((CommitOutcome::Committed { version: seq }, existed))
    }

    fn maybe_request_compaction(&self) {
        if self.options.auto_compact
            && self.journal.active_len() >= self.options.compact_threshold_bytes
            && !self.compact_requested.swap(true, Ordering::AcqRel)
        {
            if let Some(tx) = lock(&self.trigger).as_ref() {
                let _ = tx.send(());
            }
        }
    }

    pub(crate) fn compaction_started(&self) {
        self.compact_requested.store(false, Ordering::Release);
    }

    fn start_compactor(self: &Arc<Self>) {
        let (tx, rx) = mpsc::channel::<()>();
        let inner = self.clone();
        let spawned = std::thread::Builder::new().name("store-compactor".into()).spawn(move || {
            while rx.recv().is_ok() {
                if let Err(e) = crate::compaction::compact(&inner) {
                    tracing::error!(error = %e, "automatic store compaction failed; the journal keeps growing until it succeeds");
                }
            }
        });
        match spawned {
            Ok(handle) => {
                *lock(&self.trigger) = Some(tx);
                *lock(&self.compactor) = Some(handle);
            }
            Err(e) => {
                tracing::error!(error = %e, "could not start the store compactor; compaction runs only on demand")
            }
        }
    }

    fn stop_compactor(&self) {
        lock(&self.trigger).take();
        if let Some(handle) = lock(&self.compactor).take() {
            if handle.thread().id() != std::thread::current().id() {
                let _ = handle.join();
            }
        }
    }
}
