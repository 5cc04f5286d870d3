//! Durations as people type them: `30s`, `10m`, `2h`, `7d`, `1w`, and combinations (`1h30m`).
//! The one parser every module uses, as an option type and on its own.

use std::{error::Error as StdError, fmt};

use twilight_model::application::command::CommandOptionType;

use super::{options::OptionMeta, parse::Word, OptionValue, ParseError, ParseErrorType};
use crate::protocol::{ArgValue, CommandInvocation};

/// A positive length of time, at most [`Duration::MAX_SECS`], typed like `10m`, `2d` or `1h30m`.
///
/// As an option it is a text option; a value that does not parse is refused naming the option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    secs: u64,
}

/// Why a text is not a [`Duration`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError {
    kind: DurationErrorType,
    message: String,
}

/// What kind of [`DurationError`] it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DurationErrorType {
    /// Not a number and a unit.
    Malformed,
    /// Zero.
    Zero,
    /// Longer than [`Duration::MAX_SECS`].
    TooLong,
}

impl Duration {
    /// The longest duration accepted (a year): a typo like `1000w` is refused, not obeyed.
    pub const MAX_SECS: u64 = 366 * 24 * 3600;

    /// Parses `10m`, `2h`, `7d`, `1w`, `1h30m`, `2 hours` (case and spaces ignored).
    ///
    /// # Errors
    ///
    /// A [`DurationError`] whose message tells the user what to type.
    #[inline(never)]
    pub fn parse(text: &str) -> Result<Self, DurationError> {
        let compact = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let malformed = || {
            let echo: String = text.chars().filter(|c| *c != '`').take(40).collect();
            DurationError {
                kind: DurationErrorType::Malformed,
                message: format!(
                    "`{echo}` is not a duration: use a number and a unit, like `30s`, `10m`, `2h`, `7d` or `1w`."
                ),
            }
        };
        if compact.is_empty() {
            return Err(malformed());
        }
        let mut total: u64 = 0;
        let mut digits = String::new();
        let mut chars = compact.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let mut unit = String::from(c);
            while let Some(next) = chars.peek().filter(|n| n.is_ascii_alphabetic()) {
                unit.push(*next);
                chars.next();
            }
            let scale: u64 = match unit.as_str() {
                "s" | "sec" | "secs" | "second" | "seconds" => 1,
                "m" | "min" | "mins" | "minute" | "minutes" => 60,
                "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
                "d" | "day" | "days" => 86_400,
                "w" | "wk" | "week" | "weeks" => 604_800,
                _ => return Err(malformed()),
            };
            let amount: u64 = digits.parse().map_err(|_| malformed())?;
            digits.clear();
            total = amount
                .checked_mul(scale)
                .and_then(|secs| total.checked_add(secs))
                .ok_or_else(too_long)?;
        }
        if !digits.is_empty() {
            return Err(malformed());
        }
        if total == 0 {
            return Err(DurationError {
                kind: DurationErrorType::Zero,
                message: "The duration must be longer than zero.".to_owned(),
            });
        }
        if total > Self::MAX_SECS {
            return Err(too_long());
        }
        Ok(Self { secs: total })
    }

    /// A duration of `secs` seconds (not bounded: for values the module computes itself).
    #[must_use]
    pub const fn from_secs(secs: u64) -> Self {
        Self { secs }
    }

    /// Whole seconds.
    #[must_use]
    pub const fn as_secs(self) -> u64 {
        self.secs
    }

    /// Milliseconds, for timers and stored times.
    #[must_use]
    pub const fn as_millis(self) -> u64 {
        self.secs.saturating_mul(1000)
    }

    /// As a standard library duration.
    #[must_use]
    pub const fn to_std(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.secs)
    }
}

fn too_long() -> DurationError {
    DurationError {
        kind: DurationErrorType::TooLong,
        message: "That is longer than a year; use a shorter duration.".to_owned(),
    }
}

impl fmt::Display for Duration {
    /// `1w 2d`: the two largest non-zero units.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(u64, &str); 5] = [
            (604_800, "w"),
            (86_400, "d"),
            (3600, "h"),
            (60, "m"),
            (1, "s"),
        ];
        let mut rest = self.secs;
        let mut parts = Vec::new();
        for (size, name) in UNITS {
            if rest >= size {
                parts.push(format!("{}{name}", rest / size));
                rest %= size;
            }
        }
        if parts.is_empty() {
            return f.write_str("0s");
        }
        parts.truncate(2);
        f.write_str(&parts.join(" "))
    }
}

impl std::str::FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl DurationError {
    /// The kind.
    #[must_use]
    pub const fn kind(&self) -> DurationErrorType {
        self.kind
    }

    /// The sentence shown to the user.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for DurationError {}

impl OptionValue for Duration {
    const KIND: CommandOptionType = CommandOptionType::String;

    fn from_arg(
        value: &ArgValue,
        meta: &OptionMeta,
        _: &CommandInvocation,
    ) -> Result<Self, ParseError> {
        duration_arg(value, meta)
    }
}

#[inline(never)]
fn duration_arg(value: &ArgValue, meta: &OptionMeta) -> Result<Duration, ParseError> {
    let ArgValue::String(text) = value else {
        return Err(ParseError::wrong(meta.name, "sdk-expect-duration"));
    };
    Duration::parse(text).map_err(|error| {
        let mut args = vec![("option", Word::Plain(meta.name.to_owned()))];
        let key = match error.kind {
            DurationErrorType::Zero => "sdk-option-duration-zero",
            DurationErrorType::TooLong => "sdk-option-duration-too-long",
            DurationErrorType::Malformed => {
                let echo: String = text.chars().filter(|c| *c != '`').take(40).collect();
                args.push(("given", Word::Plain(echo)));
                "sdk-option-duration-malformed"
            }
        };
        ParseError::sdk(ParseErrorType::Invalid, meta.name, key, args)
    })
}
