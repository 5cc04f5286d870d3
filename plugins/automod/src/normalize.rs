//! Text normalisation before bot-side matching, so that disguised words are still caught:
//! "ｆｒｅｅ n1tro", "frее nitro" with a Cyrillic `е`, "fr\u{200b}ee", "f̸r̸e̸e̸".
//!
//! Two forms, both computed once per message:
//! - [`Normalized::plain`]: NFKC (full-width and styled letters become plain ones), without
//!   zero-width and other invisible format characters nor combining marks, lower-cased. Links
//!   and invites are read from it (a confusable letter in a link makes it a different site).
//! - [`Normalized::skeleton`]: `plain` mapped to Unicode's confusables skeleton (TR39, the
//!   `unicode-security` crate: Cyrillic `е` → `e`, `ı` → `i`, …), then folded for the look-alikes
//!   spammers type on purpose (`1`, `l`, `|` → `i`; `0` → `o`; `3` → `e`; `4`, `@` → `a`;
//!   `5`, `$` → `s`; `7` → `t`). Words and regexes match it; words are normalised the same way
//!   when they are added, so "nitro" in the list catches "n1tro" and "NІTRO".
//!
//! ASCII letters are only folded, never replaced by their TR39 skeleton (which turns `m` into
//! `rn`), so a simulated text's skeleton stays readable.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// A message's text in the two forms rules match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub plain: String,
    pub skeleton: String,
}

impl Normalized {
    /// Normalises `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let plain = plain(text);
        let skeleton = skeleton_of_plain(&plain);
        Self { plain, skeleton }
    }
}

/// Invisible characters used to split words: zero-width space/joiners, word joiner, BOM, soft
/// hyphen, Mongolian vowel separator, combining grapheme joiner, bidi controls, tags.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{E0000}'..='\u{E007F}')
}

/// NFKC, without invisible characters and combining marks, lower-cased.
#[must_use]
pub fn plain(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    // NFD first, so accents become combining marks that can be dropped; NFKC then recomposes
    // compatibility forms (full-width, mathematical letters) into plain ones.
    let stripped: String = text
        .nfkd()
        .filter(|c| !is_invisible(*c) && !is_combining_mark(*c))
        .collect();
    stripped.nfkc().flat_map(char::to_lowercase).collect()
}

/// The matching form of a text already in [`plain`] form. ASCII is only folded (the TR39
/// skeleton would also turn `m` into `rn`); other characters take their skeleton, per
/// character, so that a text's form does not depend on whether it holds any non-ASCII.
#[must_use]
pub fn skeleton_of_plain(plain: &str) -> String {
    let mut out = String::with_capacity(plain.len());
    let mut buf = [0u8; 4];
    for c in plain.chars() {
        if c.is_ascii() {
            out.push(fold(c.to_ascii_lowercase()));
            continue;
        }
        for s in unicode_security::confusable_detection::skeleton(c.encode_utf8(&mut buf)) {
            if is_combining_mark(s) || is_invisible(s) {
                continue;
            }
            out.extend(s.to_lowercase().map(fold));
        }
    }
    out
}

/// The matching form of any text (a word being added, a simulated message).
#[must_use]
pub fn skeleton(text: &str) -> String {
    skeleton_of_plain(&plain(text))
}

/// Look-alikes typed on purpose, folded to one letter.
fn fold(c: char) -> char {
    match c {
        '1' | 'l' | '|' => 'i',
        '0' => 'o',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        other => other,
    }
}

/// The most combining marks stacked on one character of `text` (zalgo text stacks dozens).
#[must_use]
pub fn max_stacked_marks(text: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in text.chars() {
        if is_combining_mark(c) {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disguised_words_have_the_same_skeleton() {
        let target = skeleton("free nitro");
        for disguised in [
            "ｆｒｅｅ n1tro",
            "FREE NITRO",
            "fr\u{0435}\u{0435} nitro", // Cyrillic е
            "fr\u{200b}ee ni\u{200d}tro",
            "f\u{0338}r\u{0338}e\u{0338}e\u{0338} nitro",
            "𝐟𝐫𝐞𝐞 𝐧𝐢𝐭𝐫𝐨",
            "fr33 n|tr0",
            "frée nítro",
        ] {
            assert_eq!(skeleton(disguised), target, "{disguised:?}");
        }
        assert_ne!(skeleton("tree nitro"), target);
    }

    #[test]
    fn plain_keeps_links_readable() {
        assert_eq!(
            plain("Join DISCORD.GG/abc\u{200b}"),
            "join discord.gg/abc".to_owned()
        );
        assert_eq!(plain("ｄｉｓｃｏｒｄ.ｇｇ/x"), "discord.gg/x");
    }

    #[test]
    fn stacked_marks_are_counted() {
        assert_eq!(max_stacked_marks("hello"), 0);
        assert_eq!(max_stacked_marks("café"), 0); // precomposed
        assert_eq!(max_stacked_marks("e\u{301}"), 1);
        assert_eq!(
            max_stacked_marks("h\u{300}\u{301}\u{302}\u{303}i\u{304}"),
            4
        );
    }
}
