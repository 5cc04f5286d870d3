//! Snowflake ids and ISO-8601 timestamps, the two time-derived values Discord hands out.
//!
//! Ids embed their creation time like Discord's do, so "older than 14 days" checks (bulk delete)
//! and shard routing (`(guild_id >> 22) % shards`) work on sim ids exactly as on real ones.

use std::time::{SystemTime, UNIX_EPOCH};
use twilight_model::util::Timestamp;

/// Milliseconds between the Unix epoch and Discord's epoch (2015-01-01).
pub(crate) const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Hands out strictly increasing snowflakes.
#[derive(Clone, Debug)]
pub(crate) struct Snowflakes {
    last: u64,
}

impl Snowflakes {
    pub(crate) fn new() -> Self {
        Self { last: 0 }
    }

    /// A fresh id whose timestamp part is "now" (or later, to stay unique and increasing).
    pub(crate) fn next(&mut self) -> u64 {
        let candidate = (now_ms().saturating_sub(DISCORD_EPOCH_MS)) << 22;
        self.last = candidate.max(self.last + 1);
        self.last
    }

    /// A deterministic id for building worlds, so a seeded world has the same ids on every run
    /// (the sandbox's stored data stays valid across restarts). Seeded ids start at 2024-01-01
    /// and are one millisecond apart, so consecutive guilds land on different shards.
    pub(crate) fn seeded(&mut self) -> u64 {
        const BASE: u64 = (1_704_067_200_000 - DISCORD_EPOCH_MS) << 22;
        self.last = if self.last < BASE {
            BASE
        } else {
            self.last + (1 << 22)
        };
        self.last
    }
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Unix milliseconds encoded in a snowflake.
pub(crate) fn snowflake_ms(id: u64) -> u64 {
    (id >> 22) + DISCORD_EPOCH_MS
}

/// `unix_ms` as Discord's ISO-8601 string (`2024-01-01T00:00:00.000000+00:00`).
pub(crate) fn iso(unix_ms: u64) -> String {
    match Timestamp::from_micros((unix_ms as i64).saturating_mul(1000)) {
        Ok(ts) => ts.iso_8601().to_string(),
        Err(_) => "2015-01-01T00:00:00.000000+00:00".to_owned(),
    }
}

pub(crate) fn now_iso() -> String {
    iso(now_ms())
}

/// Parses an ISO-8601 timestamp into Unix milliseconds.
pub(crate) fn parse_iso_ms(value: &str) -> Option<u64> {
    Timestamp::parse(value)
        .ok()
        .map(|ts| (ts.as_micros() / 1000).max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_and_carry_time() {
        let mut ids = Snowflakes::new();
        let a = ids.next();
        let b = ids.next();
        assert!(b > a);
        assert!(now_ms().abs_diff(snowflake_ms(a)) < 5_000);
    }

    #[test]
    fn iso_round_trips() {
        let ms = 1_700_000_000_123;
        assert_eq!(parse_iso_ms(&iso(ms)), Some(ms));
    }
}
