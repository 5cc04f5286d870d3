//! The rules that read one message alone: invites, links, mentions, caps, emoji, attachments,
//! zalgo. Each returns what it found, for the member's notice and for `simulate`.

use std::sync::OnceLock;

use regex::Regex;

use crate::normalize;

fn pattern(cell: &'static OnceLock<Option<Regex>>, source: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(source).ok()).as_ref()
}

/// A Discord invite in the plain text (spaces around the dots and slash too: `discord . gg / x`).
#[must_use]
pub fn invite(plain: &str) -> Option<String> {
    static INVITE: OnceLock<Option<Regex>> = OnceLock::new();
    let regex = pattern(
        &INVITE,
        r"(?:discord(?:app)?\s*\.\s*com\s*/\s*invite|discord\s*\.\s*(?:gg|io|me|li)|dsc\s*\.\s*gg|invite\s*\.\s*gg)\s*/\s*[a-z0-9-]+",
    )?;
    regex.find(plain).map(|m| m.as_str().to_owned())
}

/// The first link to a site that is not on `allowed` (a domain allows its subdomains too).
/// Invites are the invite rule's business and are not counted here.
#[must_use]
pub fn foreign_link(plain: &str, allowed: &[String]) -> Option<String> {
    static LINK: OnceLock<Option<Regex>> = OnceLock::new();
    let regex = pattern(&LINK, r"(?:https?://|www\.)([^\s/?#<>|]+)")?;
    for found in regex.captures_iter(plain) {
        let Some(host) = found.get(1) else { continue };
        // Drop a user part and a port: `user@host:8080`.
        let host = host.as_str();
        let host = host.rsplit('@').next().unwrap_or(host);
        let host = host.split(':').next().unwrap_or(host).trim_end_matches('.');
        let host = host.strip_prefix("www.").unwrap_or(host);
        if host.is_empty() || invite(found.get(0).map_or("", |m| m.as_str())).is_some() {
            continue;
        }
        if is_discord_invite_host(host) {
            continue;
        }
        let ok = allowed.iter().any(|domain| {
            let domain = domain.trim_start_matches("www.");
            host == domain
                || host
                    .strip_suffix(domain)
                    .is_some_and(|rest| rest.ends_with('.'))
        });
        if !ok {
            return Some(host.to_owned());
        }
    }
    None
}

fn is_discord_invite_host(host: &str) -> bool {
    matches!(host, "discord.gg" | "dsc.gg" | "invite.gg")
}

/// Normalises a domain an administrator allows (`https://www.Example.com/x` → `example.com`).
#[must_use]
pub fn normalise_domain(input: &str) -> Option<String> {
    let text = normalize::plain(input.trim());
    let text = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .unwrap_or(&text);
    let host = text.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host).trim_matches('.');
    let valid = host.contains('.')
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    valid.then(|| host.to_owned())
}

/// Percent of capitals among the letters outside mentions and custom emoji, when there are
/// at least `MIN_LETTERS` letters (a shouted "OK" is fine).
#[must_use]
pub fn caps_percent(content: &str) -> Option<u32> {
    const MIN_LETTERS: u32 = 10;
    let (mut letters, mut upper, mut depth) = (0u32, 0u32, 0u32);
    for c in content.chars() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphabetic() => {
                letters += 1;
                if c.is_uppercase() {
                    upper += 1;
                }
            }
            _ => {}
        }
    }
    (letters >= MIN_LETTERS).then(|| upper * 100 / letters)
}

/// Emoji in `content`: custom ones (`<:name:id>`, `<a:name:id>`) and Unicode pictographs
/// (each pictograph of a sequence counts).
#[must_use]
pub fn emoji_count(content: &str) -> usize {
    static CUSTOM: OnceLock<Option<Regex>> = OnceLock::new();
    let custom = pattern(&CUSTOM, r"<a?:[A-Za-z0-9_~]{1,32}:[0-9]{1,20}>")
        .map_or(0, |r| r.find_iter(content).count());
    let unicode = content
        .chars()
        .filter(|c| {
            matches!(u32::from(*c),
                0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B05..=0x2B07 | 0x2B1B..=0x2B1C
                | 0x2B50 | 0x2B55 | 0x3030 | 0x303D | 0x3297 | 0x3299)
        })
        .count();
    custom + unicode
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invites_are_found_even_spaced_out() {
        assert_eq!(
            invite("join discord.gg/abc now").as_deref(),
            Some("discord.gg/abc")
        );
        assert!(invite("discord . gg / abc").is_some());
        assert!(invite("https://discord.com/invite/xyz").is_some());
        assert!(invite("discord is great").is_none());
    }

    #[test]
    fn links_outside_the_allow_list_are_found() {
        let allowed = vec!["youtube.com".to_owned()];
        assert_eq!(
            foreign_link("see https://youtube.com/watch?v=1", &allowed),
            None
        );
        assert_eq!(foreign_link("see https://m.youtube.com/x", &allowed), None);
        assert_eq!(
            foreign_link("see https://youtube.com.evil.io/x", &allowed).as_deref(),
            Some("youtube.com.evil.io")
        );
        assert_eq!(
            foreign_link("www.scam.example/free", &allowed).as_deref(),
            Some("scam.example")
        );
        assert_eq!(foreign_link("a discord.gg/abc invite", &allowed), None);
        assert_eq!(foreign_link("no links here", &allowed), None);
    }

    #[test]
    fn domains_are_normalised_or_refused() {
        assert_eq!(
            normalise_domain("https://www.YouTube.com/watch").as_deref(),
            Some("youtube.com")
        );
        assert_eq!(normalise_domain("not a domain"), None);
        assert_eq!(normalise_domain("localhost"), None);
    }

    #[test]
    fn caps_and_emoji_are_counted() {
        assert_eq!(caps_percent("OK"), None);
        assert_eq!(caps_percent("THIS IS SHOUTING"), Some(100));
        assert_eq!(caps_percent("This is fine, really"), Some(6));
        assert_eq!(caps_percent("<@123> <:KEKW:456> hello there you"), Some(0));
        assert_eq!(emoji_count("hi 😀😀 <:pepe:123> <a:dance:456>"), 4);
        assert_eq!(emoji_count("no emoji"), 0);
    }
}
