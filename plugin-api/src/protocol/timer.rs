//! Durable timers: a payload the host hands back to the plugin once, at a time, across restarts
//! and reloads (unmute, tempban end, giveaway end, ticket autoclose, reminders).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Schedules (or reschedules) the timer `key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleTimer {
    /// Unique within the plugin; scheduling an existing key replaces it.
    pub key: String,
    /// When to fire, in milliseconds since the Unix epoch.
    pub at_unix_ms: u64,
    /// Handed back in [`TimerFired`].
    #[serde(default)]
    pub payload: Value,
}

/// Cancels the timer `key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CancelTimer {
    /// The key given at scheduling.
    pub key: String,
}

/// A timer that came due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimerFired {
    /// The key given at scheduling.
    pub key: String,
    /// When it was due (it may fire later, after a restart).
    pub at_unix_ms: u64,
    /// The payload given at scheduling.
    #[serde(default)]
    pub payload: Value,
}
