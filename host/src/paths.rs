//! Where the host keeps its files. Defaults are relative to the working directory:
//!
//! ```text
//! data/                 --data-dir / ARSENAL_DATA_DIR
//!   arsenal.toml        the config file (optional)
//!   store/              namespaces (JSON) and the journal (unless the store is PostgreSQL)
//!   backups/<plugin>/   plugin data saved before each hot reload
//!   plugins/            --plugins-dir / ARSENAL_PLUGINS_DIR: the <module>.so files
//!   sandbox/            the local sandbox's own data: store/, backups/, arsenal.log
//! ```
//!
//! The sandbox never uses the bot's store: its timers could otherwise fire at a real server once
//! the real bot starts, and a real bot's data would show up in the simulated one. It shares only
//! the plugins folder, where `cargo xtask build-plugins` installs the modules both run.

use std::path::PathBuf;

/// The resolved folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Root of all runtime data.
    pub data_dir: PathBuf,
    /// The `<module>.so` files.
    pub plugins_dir: PathBuf,
    /// A `postgres://` URL when the store is PostgreSQL (`None`: the JSON store in
    /// [`Paths::store_dir`]).
    pub store_url: Option<String>,
}

impl Paths {
    /// Resolves the folders; `plugins_dir` defaults to `<data_dir>/plugins`.
    #[must_use]
    pub fn new(data_dir: PathBuf, plugins_dir: Option<PathBuf>) -> Self {
        let plugins_dir = plugins_dir.unwrap_or_else(|| data_dir.join("plugins"));
        Self {
            data_dir,
            plugins_dir,
            store_url: None,
        }
    }

    /// The same folders with the store in PostgreSQL at `url` (`None`: the JSON store).
    #[must_use]
    pub fn with_store_url(mut self, url: Option<String>) -> Self {
        self.store_url = url;
        self
    }

    /// Where the store is: the PostgreSQL URL, or the JSON store's folder.
    #[must_use]
    pub fn store_location(&self) -> arsenal_store::StoreLocation {
        match &self.store_url {
            Some(url) => arsenal_store::StoreLocation::Postgres(url.clone()),
            None => arsenal_store::StoreLocation::Dir(self.store_dir()),
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

    /// The folders of the local sandbox: its own data under `<data_dir>/sandbox/` (store,
    /// backups, log), the same plugins folder. The sandbox's store is always the JSON one in its
    /// folder, even when the bot's is PostgreSQL.
    #[must_use]
    pub fn sandbox(&self) -> Self {
        Self {
            data_dir: self.data_dir.join("sandbox"),
            plugins_dir: self.plugins_dir.clone(),
            store_url: None,
        }
    }

    /// The log file of a run whose console owns the terminal (the sandbox).
    #[must_use]
    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("arsenal.log")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_keeps_its_data_apart_and_shares_the_plugins() {
        let bot = Paths::new(PathBuf::from("data"), None);
        let sandbox = bot.sandbox();
        assert_eq!(sandbox.store_dir(), PathBuf::from("data/sandbox/store"));
        assert_eq!(sandbox.backups_dir(), PathBuf::from("data/sandbox/backups"));
        assert_eq!(
            sandbox.log_file(),
            PathBuf::from("data/sandbox/arsenal.log")
        );
        assert_eq!(sandbox.plugins_dir, PathBuf::from("data/plugins"));
        assert!(!sandbox.store_dir().starts_with(bot.store_dir()));
        assert!(!bot.store_dir().starts_with(sandbox.store_dir()));

        let custom = Paths::new(PathBuf::from("d"), Some(PathBuf::from("/opt/mods")));
        assert_eq!(custom.sandbox().plugins_dir, PathBuf::from("/opt/mods"));
    }
}
