//! Which gateway shards this process runs: all of them (one process), or a range of a fleet's
//! shards (`--shards 0..8 --total-shards 32`, or `shards = "0..8"` and `total_shards = 32` in
//! arsenal.toml). A plain number (`shards = 4`) keeps its old meaning: all shards of that count.

use std::{fmt, ops::Range};

use anyhow::{bail, Context as _};

/// How `shards` was written: a count (all shards of it) or a range (this process's part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShardSpec {
    /// `shards = 4`: every shard of a bot with that many.
    Count(u32),
    /// `shards = "0..2"`: shards 0 and 1 of `total_shards`.
    Range(Range<u32>),
}

impl ShardSpec {
    /// Parses `4` or `0..2` (as given on the command line or in the file).
    ///
    /// # Errors
    ///
    /// Neither a number nor `A..B` with numbers.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let text = text.trim();
        let number = |part: &str| {
            part.trim().parse::<u32>().with_context(|| {
                format!("shards: {part:?} is not a shard number (write a count like 4, or a range like 0..2)")
            })
        };
        match text.split_once("..") {
            Some((start, end)) => Ok(Self::Range(number(start)?..number(end)?)),
            None => Ok(Self::Count(number(text)?)),
        }
    }

    /// The total shard count (`None`: Discord's recommendation) and this process's range
    /// (`None`: all of them), checked: `A < B <= total`.
    ///
    /// # Errors
    ///
    /// An empty range, a range past the total, a range without a total, a zero count, or a
    /// count and a total that disagree.
    pub fn resolve(
        spec: Option<Self>,
        total: Option<u32>,
    ) -> anyhow::Result<(Option<u32>, Option<Range<u32>>)> {
        if total == Some(0) {
            bail!("total_shards must be at least 1");
        }
        match spec {
            None => Ok((total, None)),
            Some(Self::Count(0)) => bail!("shards must be at least 1"),
            Some(Self::Count(count)) => match total {
                Some(total) if total != count => bail!(
                    "shards = {count} and total_shards = {total} disagree: give this process's range instead (shards = \"0..{count}\") or only one of them"
                ),
                _ => Ok((Some(count), None)),
            },
            Some(Self::Range(range)) => {
                let Some(total) = total else {
                    bail!(
                        "shards = \"{}..{}\" needs total_shards (--total-shards N): every process of the bot must use the same total",
                        range.start,
                        range.end
                    );
                };
                if range.start >= range.end {
                    bail!(
                        "shards = \"{}..{}\" is empty: the first shard must be below the end (e.g. 0..2 runs shards 0 and 1)",
                        range.start,
                        range.end
                    );
                }
                if range.end > total {
                    bail!(
                        "shards = \"{}..{}\" goes past total_shards = {total}: shards are numbered 0 to {}",
                        range.start,
                        range.end,
                        total - 1
                    );
                }
                Ok((Some(total), Some(range)))
            }
        }
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Count(count) => write!(f, "{count}"),
            Self::Range(range) => write!(f, "{}..{}", range.start, range.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(
        spec: &str,
        total: Option<u32>,
    ) -> anyhow::Result<(Option<u32>, Option<Range<u32>>)> {
        ShardSpec::resolve(Some(ShardSpec::parse(spec)?), total)
    }

    #[test]
    fn a_plain_number_is_every_shard_of_that_count() {
        assert_eq!(resolve("4", None).ok(), Some((Some(4), None)));
        assert_eq!(resolve("4", Some(4)).ok(), Some((Some(4), None)));
        assert_eq!(ShardSpec::resolve(None, None).ok(), Some((None, None)));
        assert_eq!(
            ShardSpec::resolve(None, Some(8)).ok(),
            Some((Some(8), None))
        );
    }

    #[test]
    fn a_range_is_this_process_part_of_the_total() {
        assert_eq!(resolve("0..2", Some(4)).ok(), Some((Some(4), Some(0..2))));
        assert_eq!(
            resolve(" 2 .. 4 ", Some(4)).ok(),
            Some((Some(4), Some(2..4)))
        );
    }

    #[test]
    fn bad_ranges_are_refused_with_what_to_fix() {
        let error = |spec: &str, total| match resolve(spec, total) {
            Ok(resolved) => panic!("{spec} with {total:?} was accepted: {resolved:?}"),
            Err(e) => format!("{e:#}"),
        };
        assert!(error("2..2", Some(4)).contains("is empty"));
        assert!(error("3..1", Some(4)).contains("is empty"));
        assert!(error("2..5", Some(4)).contains("goes past total_shards = 4"));
        assert!(error("0..2", None).contains("needs total_shards"));
        assert!(error("0", None).contains("at least 1"));
        assert!(error("4", Some(8)).contains("disagree"));
        assert!(error("0..x", Some(4)).contains("not a shard number"));
        assert!(error("0..2", Some(0)).contains("total_shards must be at least 1"));
    }
}
