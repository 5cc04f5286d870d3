//! Gateway event handlers, one file per category of log entries.

pub mod members;
pub mod messages;
pub mod server;
pub mod voice;
