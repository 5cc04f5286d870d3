//! Retrying a timer whose handler failed: the back-off between attempts, and what the service
//! remembers about the failures of one timer.
//!
//! The failure count lives in memory beside the timer, not in its store record: the record is
//! kept untouched until a delivery is handled, so a restart still has it and simply retries it
//! at once (with the count starting over). Writing the count would cost an fsync per failure and
//! would change the record's version, which is how a handler's own reschedule is recognised.

use std::time::Duration;

use tokio::time::Instant;

/// First wait after a failed delivery.
pub const RETRY_FIRST: Duration = Duration::from_secs(5);
/// Longest wait between two attempts: a timer failing for ever is retried this often.
pub const RETRY_MAX: Duration = Duration::from_secs(5 * 60);

/// How long to wait after each failed delivery of one timer: `first`, doubling, at most `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Wait after the first failure.
    pub first: Duration,
    /// Cap of the wait.
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first: RETRY_FIRST,
            max: RETRY_MAX,
        }
    }
}

impl RetryPolicy {
    /// The wait after the `failures`-th failure in a row (1 for the first).
    #[must_use]
    pub fn delay(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(30);
        self.first
            .checked_mul(1 << doublings)
            .map_or(self.max, |d| d.min(self.max))
    }
}

/// The failed deliveries of one timer since it was (re)scheduled.
#[derive(Debug, Clone)]
pub(super) struct Failures {
    /// Failed deliveries in a row.
    pub(super) count: u32,
    /// Not delivered again before this.
    pub(super) retry_at: Instant,
    /// What the last attempt answered, for the log and [`super::PendingTimer`].
    pub(super) last_error: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let secs: Vec<u64> = (1..=9).map(|n| policy.delay(n).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(policy.delay(u32::MAX), RETRY_MAX);
    }
}
