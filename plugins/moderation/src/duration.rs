//! Durations as moderators type them: `30s`, `10m`, `2h`, `7d`, `1w`, and combinations (`1h30m`).

/// Longest duration accepted anywhere (a year): a typo like `1000w` is refused, not obeyed.
pub const MAX_SECS: u64 = 366 * 24 * 3600;

/// Parses `10m`, `2h`, `7d`, `1w`, `1h30m` (case and spaces ignored) into seconds.
///
/// # Errors
///
/// A sentence saying what is wrong, to show the moderator.
pub fn parse(text: &str) -> Result<u64, String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let bad = || {
        format!(
            "`{}` is not a duration: use a number and a unit, like `30s`, `10m`, `2h`, `7d` or `1w`.",
            echo(text)
        )
    };
    if compact.is_empty() {
        return Err(bad());
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
            _ => return Err(bad()),
        };
        let amount: u64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        total = amount
            .checked_mul(scale)
            .and_then(|secs| total.checked_add(secs))
            .ok_or_else(too_long)?;
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    if total == 0 {
        return Err("The duration must be longer than zero.".to_owned());
    }
    if total > MAX_SECS {
        return Err(too_long());
    }
    Ok(total)
}

fn too_long() -> String {
    "That is longer than a year; use a shorter duration (or a permanent action).".to_owned()
}

/// Whether `text` means "no time limit".
#[must_use]
pub fn is_never(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "never" | "off" | "none" | "permanent" | "perm" | "forever"
    )
}

/// `1w 2d 3h`: the two largest non-zero units.
#[must_use]
pub fn format(secs: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (604_800, "w"),
        (86_400, "d"),
        (3600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    let mut rest = secs;
    let mut parts = Vec::new();
    for (size, name) in UNITS {
        if rest >= size {
            parts.push(format!("{}{name}", rest / size));
            rest %= size;
        }
    }
    if parts.is_empty() {
        return "0s".to_owned();
    }
    parts.truncate(2);
    parts.join(" ")
}

/// A short, backtick-free echo of user input for error messages.
#[must_use]
pub fn echo(text: &str) -> String {
    text.chars().filter(|c| *c != '`').take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_combinations_parse() {
        assert_eq!(parse("30s"), Ok(30));
        assert_eq!(parse("10m"), Ok(600));
        assert_eq!(parse("2h"), Ok(7200));
        assert_eq!(parse("7d"), Ok(604_800));
        assert_eq!(parse("1w"), Ok(604_800));
        assert_eq!(parse("1h30m"), Ok(5400));
        assert_eq!(parse(" 2 Hours "), Ok(7200));
        assert_eq!(parse("28d"), Ok(28 * 86_400));
    }

    #[test]
    fn nonsense_is_refused_with_a_hint() {
        for bad in ["", "10", "m", "10x", "ten minutes", "1h30", "-5m", "1.5h"] {
            let error = parse(bad).unwrap_err();
            assert!(
                error.contains("not a duration") || error.contains("zero"),
                "{bad:?}: {error}"
            );
        }
        assert!(parse("0m").unwrap_err().contains("longer than zero"));
        assert!(parse("53w").unwrap_err().contains("longer than a year"));
        assert!(parse("99999999999999999999w").is_err());
        assert!(parse("18446744073709551615w").unwrap_err().contains("year"));
    }

    #[test]
    fn formatting_keeps_the_two_largest_units() {
        assert_eq!(format(90), "1m 30s");
        assert_eq!(format(604_800 + 2 * 86_400 + 3600), "1w 2d");
        assert_eq!(format(3600), "1h");
        assert_eq!(format(0), "0s");
        assert!(is_never("Never") && is_never("off") && !is_never("1d"));
    }
}
