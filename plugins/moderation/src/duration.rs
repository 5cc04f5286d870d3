//! Durations as moderators type them: `30s`, `10m`, `2h`, `7d`, `1w`, and combinations (`1h30m`),
//! read by the SDK's [`Duration`]; this adds the words that mean "no time limit".

use arsenal_plugin_api::{i18n::Tr, tr, Duration};

/// Parses `10m`, `2h`, `7d`, `1w`, `1h30m` (case and spaces ignored) into seconds, with the
/// SDK's parser (the one every module and every `Duration` option uses).
///
/// # Errors
///
/// A sentence saying what is wrong, to show the moderator (in `tr`'s language).
pub fn parse(tr: Tr<'_>, text: &str) -> Result<u64, String> {
    Duration::parse(text)
        .map(Duration::as_secs)
        // The SDK does not export `DurationErrorType` (nor words its message in the member's
        // language), so its kind is read by name; an unknown kind keeps the SDK's sentence.
        .map_err(|error| match format!("{:?}", error.kind()).as_str() {
            "Malformed" => tr!(tr, "moderation-duration-malformed", text = echo(text)),
            "Zero" => tr.t("moderation-duration-zero"),
            "TooLong" => tr.t("moderation-duration-too-long"),
            _ => error.message().to_owned(),
        })
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
    Duration::from_secs(secs).to_string()
}

/// A short, backtick-free echo of user input for error messages.
#[must_use]
pub fn echo(text: &str) -> String {
    text.chars().filter(|c| *c != '`').take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<u64, String> {
        super::parse(crate::testing::english(), text)
    }

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
