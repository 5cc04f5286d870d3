//! The host's own commands (administrators and owners only). Each renders plain text that the
//! Discord layer sends as an ephemeral reply and the sandbox console prints.

pub mod help;
pub mod modules;
pub mod persistence;
pub mod texts;

use std::time::SystemTime;

/// "12s ago", "3m ago", … or "never".
pub(crate) fn ago(time: Option<SystemTime>) -> String {
    let Some(time) = time else {
        return "never".to_owned();
    };
    let seconds = SystemTime::now()
        .duration_since(time)
        .map_or(0, |d| d.as_secs());
    match seconds {
        0..=59 => format!("{seconds}s ago"),
        60..=3599 => format!("{}m ago", seconds / 60),
        3600..=86_399 => format!("{}h ago", seconds / 3600),
        _ => format!("{}d ago", seconds / 86_400),
    }
}
