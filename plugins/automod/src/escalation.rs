//! Escalation: every violation is a strike kept in the store (`strikes:<guild>:<user>`, one
//! durable write per violation, not per message); `count` strikes within `minutes` apply that
//! step's sanction. When several steps are reached, the one with the highest count wins (so
//! "3 in 10 min → timeout" then "5 in 60 min → kick" escalates).

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::{self, Sanction, Step, VERSION};

fn v1() -> u32 {
    VERSION
}

/// Strikes remembered per member.
const MAX_STRIKES: usize = 100;
/// Strikes are kept at least this long (a day), longer when a step looks further back.
const MIN_KEEP_MS: u64 = 24 * 3600 * 1000;

/// A member's recent violations (Unix milliseconds).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strikes {
    #[serde(default = "v1")]
    pub v: u32,
    #[serde(default)]
    pub times: Vec<u64>,
}

/// The step `times` reaches at `now`, if any.
#[must_use]
pub fn reached(steps: &[Step], times: &[u64], now: u64) -> Option<Step> {
    steps
        .iter()
        .filter(|step| {
            let window = u64::from(step.minutes) * 60_000;
            let recent = times
                .iter()
                .filter(|t| now.saturating_sub(**t) <= window)
                .count();
            recent >= step.count as usize
        })
        .max_by_key(|step| (step.count, severity(step.sanction)))
        .copied()
}

fn severity(sanction: Sanction) -> u8 {
    match sanction {
        Sanction::Delete | Sanction::Remove => 0,
        Sanction::Warn => 1,
        Sanction::Timeout => 2,
        Sanction::Kick => 3,
        Sanction::Ban => 4,
    }
}

/// Records a strike for `user` at `now`; returns the strikes within the last hour and the
/// step reached.
///
/// # Errors
///
/// A store failure.
pub fn strike(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
    now: u64,
    steps: &[Step],
) -> Result<(usize, Option<Step>)> {
    let keep = steps
        .iter()
        .map(|s| u64::from(s.minutes) * 60_000)
        .max()
        .unwrap_or(0)
        .max(MIN_KEEP_MS);
    let strikes = ctx
        .store()
        .update(&config::strikes_key(guild, user), |old: Option<Strikes>| {
            let mut strikes = old.unwrap_or_default();
            strikes.v = VERSION;
            strikes.times.retain(|t| now.saturating_sub(*t) <= keep);
            strikes.times.push(now);
            if strikes.times.len() > MAX_STRIKES {
                let extra = strikes.times.len() - MAX_STRIKES;
                strikes.times.drain(..extra);
            }
            Ok(Some(strikes))
        })?
        .unwrap_or_default();
    let last_hour = strikes
        .times
        .iter()
        .filter(|t| now.saturating_sub(**t) <= 3_600_000)
        .count();
    Ok((last_hour, reached(steps, &strikes.times, now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(count: u32, minutes: u32, sanction: Sanction) -> Step {
        Step {
            count,
            minutes,
            sanction,
            timeout_secs: None,
        }
    }

    #[test]
    fn the_highest_step_reached_wins_within_its_window() {
        let steps = [step(3, 10, Sanction::Timeout), step(5, 60, Sanction::Kick)];
        let min = 60_000;
        assert_eq!(reached(&steps, &[0, min], 2 * min), None);
        assert_eq!(
            reached(&steps, &[0, min, 2 * min], 2 * min).map(|s| s.sanction),
            Some(Sanction::Timeout)
        );
        // Three strikes, but spread over 30 minutes: no longer within 10.
        assert_eq!(reached(&steps, &[0, 15 * min, 30 * min], 30 * min), None);
        let five = [0, min, 2 * min, 3 * min, 4 * min];
        assert_eq!(
            reached(&steps, &five, 4 * min).map(|s| s.sanction),
            Some(Sanction::Kick)
        );
    }
}
