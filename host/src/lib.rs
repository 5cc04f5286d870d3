//! The Arsenal host: owns the store, the plugin workers, timers and the Discord connection.
//!
//! See ARCHITECTURE.md at the repository root for the parts and their invariants.

pub mod app;
pub mod builtin;
pub mod config;
pub mod dashboard;
pub mod discord;
pub mod fleet;
pub mod metrics;
pub mod paths;
pub mod plugins;
pub mod reexec;
pub mod sandbox;
pub mod timers;
pub mod voice;
