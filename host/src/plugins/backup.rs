//! Copies of a plugin's data taken before every swap, so a bad new version can be undone by hand.
//!
//! Layout: `<backups>/<plugin>/<unix-ms>-<old-version>.json`, pretty JSON of the whole namespace,
//! written durably through the store's single disk-writing helper; the newest `keep` are kept.

use std::{
    fs,
    path::{Path, PathBuf},
    time::{SystemTime, UNIX_EPOCH},
};

use arsenal_store::{write_file_durably, Store};

/// Where backups go and how many are kept per plugin.
#[derive(Debug, Clone)]
pub struct Backups {
    dir: PathBuf,
    keep: usize,
}

impl Backups {
    /// Backups under `dir`, keeping the newest `keep` per plugin.
    #[must_use]
    pub fn new(dir: PathBuf, keep: usize) -> Self {
        Self {
            dir,
            keep: keep.max(1),
        }
    }

    /// Saves namespace `ns` (plugin `plugin`, currently at `version`); returns the file written,
    /// or `None` when the plugin has no data yet.
    ///
    /// # Errors
    ///
    /// When the data cannot be read or the file cannot be written durably.
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
        fs::create_dir_all(&dir)?;
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
        write_file_durably(&path, serde_json::to_string_pretty(&data)?.as_bytes())?;
        self.prune(&dir);
        Ok(Some(path))
    }

    /// The backup files of `plugin`, oldest first.
    #[must_use]
    pub fn list(&self, plugin: &str) -> Vec<PathBuf> {
        list_json(&self.dir.join(plugin))
    }

    fn prune(&self, dir: &Path) {
        let files = list_json(dir);
        let excess = files.len().saturating_sub(self.keep);
        for old in files.into_iter().take(excess) {
            if let Err(e) = fs::remove_file(&old) {
                tracing::warn!("could not remove old backup {}: {e}", old.display());
            }
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
