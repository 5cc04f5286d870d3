//! The plugin subsystem: loading libraries, one serial worker per plugin, hot reload with
//! rollback, backups, reload history, and the plugins-folder watcher.

pub mod backup;
pub mod code_budget;
mod elf_check;
pub mod history;
pub mod host_api;
pub mod loader;
pub mod manager;
pub mod shared_libraries;
pub mod watcher;
pub mod worker;

pub use history::{ReloadHistory, ReloadRecord, Trigger};
pub use manager::{
    CanaryChange, CanaryStatus, ManagerConfig, PluginManager, PluginStatus, ReloadError,
    ReloadErrorType, ReloadReport, DEFAULT_CALL_TIMEOUT, DEFAULT_QUEUE_CAPACITY,
};
pub use worker::RevertPolicy;
