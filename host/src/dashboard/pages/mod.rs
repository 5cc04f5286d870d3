//! One file per page: what it reads, how it shows it, and its action if it has one.

pub mod history;
pub mod modules;
pub mod runtime;
pub mod store;

use std::time::{Duration, SystemTime};

/// A Unix time in milliseconds as `YYYY-MM-DD HH:MM:SS UTC`.
pub use arsenal_plugin_api::time::utc;

/// `time` as [`utc`], or "never".
#[must_use]
pub fn utc_of(time: Option<SystemTime>) -> String {
    time.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or_else(
            || "never".to_owned(),
            |d| utc(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        )
}

/// Milliseconds with one decimal.
#[must_use]
pub fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_times_read_as_utc() {
        assert_eq!(super::utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(super::utc(1_798_761_599_000), "2026-12-31 23:59:59 UTC");
        assert_eq!(super::utc(951_782_400_000), "2000-02-29 00:00:00 UTC");
    }
}
