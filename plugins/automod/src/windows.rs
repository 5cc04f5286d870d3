//! Sliding windows over the last seconds: each member's recent messages (rate and duplicates)
//! and each server's recent joins (raid detection). Times come from `ctx.now()`.
//!
//! Kept in memory (a store write per message would cost a durable journal write for every
//! message of every server). Across a reload the previous instance leaves them in the store
//! (`on_unload`) and the new one takes them back before its first event, so a spammer's count
//! does not start again at zero; after a restart they start empty, which only forgets the last
//! few seconds.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

/// Messages remembered per member (more than any rate limit one would set).
const MAX_PER_MEMBER: usize = 64;
/// Joins remembered per server.
const MAX_JOINS: usize = 1024;
/// Nothing older than this is kept, whatever the settings say.
pub const MAX_WINDOW_MS: u64 = 10 * 60 * 1000;
/// Idle members are swept after this many recorded messages.
const SWEEP_EVERY: u32 = 4096;

/// Each member's remembered messages, by `(guild, member)`.
type MemberWindows = HashMap<(u64, u64), VecDeque<Seen>>;

/// One remembered message: when, and a hash of its normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    at: u64,
    hash: u64,
}

/// How many messages a member sent within the rate window, and how many of them within the
/// duplicate window had the same text (this one included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub recent: usize,
    pub same: usize,
}

/// The windows of every server this instance saw.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Windows {
    #[serde(with = "member_map")]
    members: MemberWindows,
    #[serde(default)]
    joins: HashMap<u64, VecDeque<u64>>,
    #[serde(skip)]
    since_sweep: u32,
}

impl Windows {
    /// Records a message of `member` in `guild` at `now` and counts: messages within
    /// `rate_ms`, and those within `dup_ms` with the same `hash`.
    pub fn record_message(
        &mut self,
        guild: u64,
        member: u64,
        now: u64,
        hash: u64,
        rate_ms: u64,
        dup_ms: u64,
    ) -> Counts {
        self.since_sweep += 1;
        if self.since_sweep >= SWEEP_EVERY {
            self.sweep(now);
        }
        let keep = rate_ms.max(dup_ms).min(MAX_WINDOW_MS);
        let seen = self.members.entry((guild, member)).or_default();
        while seen
            .front()
            .is_some_and(|s| now.saturating_sub(s.at) > keep)
        {
            seen.pop_front();
        }
        if seen.len() >= MAX_PER_MEMBER {
            seen.pop_front();
        }
        seen.push_back(Seen { at: now, hash });
        let within = |window: u64| {
            seen.iter()
                .filter(move |s| now.saturating_sub(s.at) <= window)
        };
        Counts {
            recent: within(rate_ms).count(),
            same: within(dup_ms).filter(|s| s.hash == hash).count(),
        }
    }

    /// Records a join in `guild` and returns how many happened within `window_ms`.
    pub fn record_join(&mut self, guild: u64, now: u64, window_ms: u64) -> usize {
        let joins = self.joins.entry(guild).or_default();
        let keep = window_ms.min(MAX_WINDOW_MS);
        while joins.front().is_some_and(|t| now.saturating_sub(*t) > keep) {
            joins.pop_front();
        }
        if joins.len() >= MAX_JOINS {
            joins.pop_front();
        }
        joins.push_back(now);
        joins.len()
    }

    /// Forgets a server's joins (raid mode started: the count starts again).
    pub fn clear_joins(&mut self, guild: u64) {
        self.joins.remove(&guild);
    }

    /// Drops what is older than [`MAX_WINDOW_MS`], and members with nothing left.
    pub fn sweep(&mut self, now: u64) {
        self.since_sweep = 0;
        self.members.retain(|_, seen| {
            seen.retain(|s| now.saturating_sub(s.at) <= MAX_WINDOW_MS);
            !seen.is_empty()
        });
        self.joins.retain(|_, joins| {
            joins.retain(|t| now.saturating_sub(*t) <= MAX_WINDOW_MS);
            !joins.is_empty()
        });
    }

    /// Takes in what a previous instance left (its entries come first: they are older).
    pub fn absorb(&mut self, older: Windows) {
        for (key, mut seen) in older.members {
            let mine = self.members.entry(key).or_default();
            seen.extend(mine.drain(..));
            while seen.len() > MAX_PER_MEMBER {
                seen.pop_front();
            }
            *mine = seen;
        }
        for (guild, mut joins) in older.joins {
            let mine = self.joins.entry(guild).or_default();
            joins.extend(mine.drain(..));
            *mine = joins;
        }
    }

    /// Whether nothing is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.joins.is_empty()
    }
}

/// A 64-bit FNV-1a hash (stable across builds, unlike std's `DefaultHasher` seeds).
#[must_use]
pub fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// JSON objects need string keys: `(guild, member)` is written `"guild:member"`.
mod member_map {
    use std::collections::{HashMap, VecDeque};

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{MemberWindows, Seen};

    pub fn serialize<S: Serializer>(map: &MemberWindows, serializer: S) -> Result<S::Ok, S::Error> {
        let by_text: HashMap<String, &VecDeque<Seen>> = map
            .iter()
            .map(|((g, m), seen)| (format!("{g}:{m}"), seen))
            .collect();
        by_text.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<MemberWindows, D::Error> {
        let by_text = HashMap::<String, VecDeque<Seen>>::deserialize(deserializer)?;
        Ok(by_text
            .into_iter()
            .filter_map(|(key, seen)| {
                let (g, m) = key.split_once(':')?;
                Some(((g.parse().ok()?, m.parse().ok()?), seen))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_and_duplicates_count_within_their_windows() {
        let mut w = Windows::default();
        let (a, b) = (hash("a"), hash("b"));
        assert_eq!(
            w.record_message(1, 7, 1_000, a, 5_000, 30_000),
            Counts { recent: 1, same: 1 }
        );
        assert_eq!(w.record_message(1, 7, 2_000, b, 5_000, 30_000).recent, 2);
        assert_eq!(
            w.record_message(1, 7, 3_000, a, 5_000, 30_000),
            Counts { recent: 3, same: 2 }
        );
        // Another member, another server: separate windows.
        assert_eq!(w.record_message(1, 8, 3_000, a, 5_000, 30_000).recent, 1);
        assert_eq!(w.record_message(2, 7, 3_000, a, 5_000, 30_000).recent, 1);
        // Ten seconds later the rate window is empty, the duplicate one is not.
        assert_eq!(
            w.record_message(1, 7, 13_000, a, 5_000, 30_000),
            Counts { recent: 1, same: 3 }
        );
    }

    #[test]
    fn windows_survive_a_round_trip_through_json() {
        let mut w = Windows::default();
        w.record_message(1, 7, 1_000, 42, 5_000, 5_000);
        w.record_join(1, 1_000, 10_000);
        let back: Windows = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
        assert_eq!((&back.members, &back.joins), (&w.members, &w.joins));
        let mut fresh = Windows::default();
        fresh.record_message(1, 7, 2_000, 42, 5_000, 5_000);
        fresh.absorb(back);
        assert_eq!(fresh.record_message(1, 7, 2_500, 42, 5_000, 5_000).same, 3);
        assert_eq!(fresh.record_join(1, 3_000, 10_000), 2);
    }
}
