//! Copies of a plugin's data taken before every swap, so a bad new version can be undone by hand.
//!
//! The snapshot is taken inside the plugin's queue, right before the swap, so it is exactly the
//! data the old version left. Writing it (pretty JSON, durably, through the store's single
//! disk-writing helper) happens on the host's backup thread, off the reload's critical path; a
//! failed write is logged as an error. Layout: `<backups>/<plugin>/<unix-ms>-<old-version>.json`,
//! the newest `keep` kept.
//!
//! The queue to the backup thread is bounded ([`QUEUE`] snapshots). When it is full, the swap
//! that takes a snapshot waits for room, on its plugin's worker thread (never on the async
//! runtime): a burst of reloads is slowed down to the disk's pace, and no snapshot, least of all
//! the newest, is ever dropped.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::mpsc,
    thread,
    time::{SystemTime, UNIX_EPOCH},
};

use arsenal_store::{write_file_durably, Store};

/// Snapshots waiting for the backup thread at most.
pub const QUEUE: usize = 16;

enum Job {
    Write {
        dir: PathBuf,
        path: PathBuf,
        data: serde_json::Value,
    },
    Flush(mpsc::Sender<()>),
}

/// Where backups go and how many are kept per plugin.
#[derive(Debug, Clone)]
pub struct Backups {
    dir: PathBuf,
    jobs: mpsc::SyncSender<Job>,
}

impl Backups {
    /// Backups under `dir`, keeping the newest `keep` per plugin, written by a new backup thread.
    ///
    /// # Errors
    ///
    /// When the thread cannot be started.
    pub fn new(dir: PathBuf, keep: usize) -> std::io::Result<Self> {
        let (jobs, receiver) = mpsc::sync_channel(QUEUE);
        let keep = keep.max(1);
        thread::Builder::new()
            .name("backup-writer".to_owned())
            .spawn(move || write_jobs(&receiver, keep))?;
        Ok(Self { dir, jobs })
    }

    /// Snapshots namespace `ns` (plugin `plugin`, currently at `version`) and queues it for
    /// writing; returns the file it will be written to, or `None` when the plugin has no data.
    /// Blocks while [`QUEUE`] snapshots wait to be written: call it off the async runtime.
    ///
    /// # Errors
    ///
    /// When the data cannot be read from the store or the backup thread is gone.
    pub fn save(
        &self,
        store: &Store,
        ns: &str,
        plugin: &str,
        version: &str,
    ) -> anyhow::Result<Option<PathBuf>> {
        let data = store.export_namespace(ns)?;
        if data.as_object().is_some_and(serde_json::Map::is_empty) || data.is_null() {
            return Ok(None);
        }
        let dir = self.dir.join(plugin);
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let safe_version: String = version
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!("{millis:015}-{safe_version}.json"));
        self.jobs
            .send(Job::Write {
                dir,
                path: path.clone(),
                data,
            })
            .map_err(|_| anyhow::anyhow!("the backup thread has stopped"))?;
        Ok(Some(path))
    }

    /// Waits until every queued backup is on disk (blocking: call it off the async runtime).
    pub fn flush(&self) {
        let (done, wait) = mpsc::channel();
        if self.jobs.send(Job::Flush(done)).is_ok() {
            let _ = wait.recv();
        }
    }

    /// The backup files of `plugin`, oldest first.
    #[must_use]
    pub fn list(&self, plugin: &str) -> Vec<PathBuf> {
        list_json(&self.dir.join(plugin))
    }
}

fn write_jobs(receiver: &mpsc::Receiver<Job>, keep: usize) {
    while let Ok(job) = receiver.recv() {
        match job {
            Job::Write { dir, path, data } => {
                let written = fs::create_dir_all(&dir)
                    .map_err(anyhow::Error::from)
                    .and_then(|()| Ok(serde_json::to_vec_pretty(&data)?))
                    .and_then(|bytes| Ok(write_file_durably(&path, &bytes)?));
                match written {
                    Ok(()) => prune(&dir, keep),
                    Err(e) => {
                        tracing::error!("writing the data backup {} failed: {e:#}", path.display())
                    }
                }
            }
            Job::Flush(done) => {
                let _ = done.send(());
            }
        }
    }
}

fn prune(dir: &Path, keep: usize) {
    let files = list_json(dir);
    let excess = files.len().saturating_sub(keep);
    for old in files.into_iter().take(excess) {
        if let Err(e) = fs::remove_file(&old) {
            tracing::warn!("could not remove old backup {}: {e}", old.display());
        }
    }
}

fn list_json(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}
