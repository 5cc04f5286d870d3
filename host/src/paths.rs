//! Where the host keeps its files. Defaults are relative to the working directory:
//!
//! ```text
//! data/                 --data-dir / ARSENAL_DATA_DIR
//!   store/              namespaces (JSON) and the journal
//!   backups/<plugin>/   plugin data saved before each hot reload
//!   plugins/            --plugins-dir / ARSENAL_PLUGINS_DIR: the <module>.so files
//! ```

use std::path::PathBuf;

/// The resolved folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Root of all runtime data.
    pub data_dir: PathBuf,
    /// The `<module>.so` files.
    pub plugins_dir: PathBuf,
}

impl Paths {
    /// Resolves the folders; `plugins_dir` defaults to `<data_dir>/plugins`.
    #[must_use]
    pub fn new(data_dir: PathBuf, plugins_dir: Option<PathBuf>) -> Self {
        let plugins_dir = plugins_dir.unwrap_or_else(|| data_dir.join("plugins"));
        Self {
            data_dir,
            plugins_dir,
        }
    }

    /// The store's folder.
    #[must_use]
    pub fn store_dir(&self) -> PathBuf {
        self.data_dir.join("store")
    }

    /// The backups folder.
    #[must_use]
    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }
}
