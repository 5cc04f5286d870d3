//! The word list and regexes, compiled once per change and matched against normalised text.
//!
//! Words use Discord's keyword syntax, so the same list works in Discord's native rule:
//! `word` matches a whole word, `*word*` anywhere, `word*` at a word's start, `*word` at its end.
//! All words go into one Aho-Corasick automaton (one pass over the text whatever the list's
//! size); a hit is kept when its boundaries fit its syntax. Regexes run in one `RegexSet` on
//! both the skeleton and the plain text; the `regex` crate runs in linear time (no
//! backtracking, so no ReDoS) and every pattern is compiled with size limits.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::normalize::{self, Normalized};

/// Compiled program size allowed per regex (and for the set), and its lazy DFA cache.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
pub const REGEX_DFA_LIMIT: usize = 2 << 20;

/// Where a word may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Anchors {
    /// Must start at a word's start.
    start: bool,
    /// Must end at a word's end.
    end: bool,
}

/// Why a word or regex was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// Nothing left once the `*` and spaces are removed.
    Empty,
    /// A regex that does not compile, or is too big; the engine's explanation.
    Regex(String),
}

/// The parsed form of a word in keyword syntax: its normalised text and anchors.
fn parse_word(word: &str) -> Result<(String, Anchors), PatternError> {
    let trimmed = word.trim();
    let start = !trimmed.starts_with('*');
    let end = !trimmed.ends_with('*');
    let core = trimmed.trim_matches('*');
    let normalised = normalize::skeleton(core);
    if normalised.trim().is_empty() {
        return Err(PatternError::Empty);
    }
    Ok((normalised, Anchors { start, end }))
}

/// Checks a word before it is added; returns its matching form.
///
/// # Errors
///
/// A word that is empty once normalised.
pub fn check_word(word: &str) -> Result<String, PatternError> {
    parse_word(word).map(|(w, _)| w)
}

/// Compiles one regex with the size limits.
///
/// # Errors
///
/// The engine's explanation when it does not compile or is too big.
pub fn compile_regex(pattern: &str) -> Result<Regex, PatternError> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_LIMIT)
        .build()
        .map_err(|e| PatternError::Regex(first_line(&e.to_string())))
}

fn first_line(text: &str) -> String {
    // The engine's error draws the pattern with a caret over several lines; keep it short.
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines
        .iter()
        .rev()
        .find(|l| l.starts_with("error:"))
        .map_or_else(|| lines.join(" "), |l| (*l).to_owned())
}

/// What matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordHit {
    /// A word of the list (as it was added).
    Word(String),
    /// A regex of the list (as it was added).
    Regex(String),
}

/// A server's compiled word list.
#[derive(Debug, Clone)]
pub struct WordMatcher {
    automaton: Option<AhoCorasick>,
    /// Per automaton pattern: the word as added, and its anchors.
    words: Vec<(String, Anchors)>,
    set: Option<RegexSet>,
    regexes: Vec<String>,
}

impl WordMatcher {
    /// An empty matcher.
    #[must_use]
    pub fn empty() -> Self {
        Self {
            automaton: None,
            words: Vec::new(),
            set: None,
            regexes: Vec::new(),
        }
    }

    /// Compiles `words` and `regexes`; entries that do not compile are skipped and returned
    /// (they were checked when added, so only a hand-edited store has any).
    #[must_use]
    pub fn new(words: &[String], regexes: &[String]) -> (Self, Vec<String>) {
        let mut skipped = Vec::new();
        let mut patterns = Vec::new();
        let mut parsed = Vec::new();
        for word in words {
            match parse_word(word) {
                Ok((pattern, anchors)) => {
                    patterns.push(pattern);
                    parsed.push((word.clone(), anchors));
                }
                Err(_) => skipped.push(word.clone()),
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            match AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
            {
                Ok(automaton) => Some(automaton),
                Err(_) => {
                    skipped.append(&mut parsed.drain(..).map(|(w, _)| w).collect());
                    None
                }
            }
        };
        let mut good = Vec::new();
        for regex in regexes {
            if compile_regex(regex).is_ok() {
                good.push(regex.clone());
            } else {
                skipped.push(regex.clone());
            }
        }
        let set = if good.is_empty() {
            None
        } else {
            match RegexSetBuilder::new(&good)
                .size_limit(REGEX_SIZE_LIMIT * MAX_SET_FACTOR)
                .dfa_size_limit(REGEX_DFA_LIMIT)
                .build()
            {
                Ok(set) => Some(set),
                Err(_) => {
                    skipped.append(&mut good);
                    None
                }
            }
        };
        (
            Self {
                automaton,
                words: parsed,
                set,
                regexes: good,
            },
            skipped,
        )
    }

    /// The first word or regex `text` matches.
    #[must_use]
    pub fn find(&self, text: &Normalized) -> Option<WordHit> {
        if let Some(automaton) = &self.automaton {
            let haystack = text.skeleton.as_str();
            for hit in automaton.find_overlapping_iter(haystack) {
                let Some((word, anchors)) = self.words.get(hit.pattern().as_usize()) else {
                    continue;
                };
                if (!anchors.start || at_boundary(haystack, hit.start()))
                    && (!anchors.end || at_boundary(haystack, hit.end()))
                {
                    return Some(WordHit::Word(word.clone()));
                }
            }
        }
        let set = self.set.as_ref()?;
        let found = set
            .matches(&text.skeleton)
            .into_iter()
            .next()
            .or_else(|| set.matches(&text.plain).into_iter().next())?;
        self.regexes.get(found).cloned().map(WordHit::Regex)
    }

    /// How many words and regexes are compiled.
    #[must_use]
    pub fn len(&self) -> (usize, usize) {
        (self.words.len(), self.regexes.len())
    }
}

/// The set of 10 regexes may be up to this many times one regex's size limit.
const MAX_SET_FACTOR: usize = 10;

/// Whether byte offset `at` of `text` is at a word boundary (its neighbours are not both
/// letters or digits).
fn at_boundary(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(words: &[&str], regexes: &[&str]) -> WordMatcher {
        let (m, skipped) = WordMatcher::new(
            &words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>(),
            &regexes.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>(),
        );
        assert!(skipped.is_empty(), "{skipped:?}");
        m
    }

    fn hit(m: &WordMatcher, text: &str) -> Option<WordHit> {
        m.find(&Normalized::new(text))
    }

    #[test]
    fn keyword_syntax_decides_where_a_word_matches() {
        let m = matcher(&["cat", "*dog*", "bird*", "*fish"], &[]);
        assert_eq!(hit(&m, "a cat!"), Some(WordHit::Word("cat".into())));
        assert_eq!(hit(&m, "concatenate"), None);
        assert_eq!(hit(&m, "hotdogs"), Some(WordHit::Word("*dog*".into())));
        assert_eq!(hit(&m, "birdsong"), Some(WordHit::Word("bird*".into())));
        assert_eq!(hit(&m, "songbird"), None);
        assert_eq!(hit(&m, "swordfish"), Some(WordHit::Word("*fish".into())));
        assert_eq!(hit(&m, "fisherman"), None);
    }

    #[test]
    fn disguised_words_are_caught() {
        let m = matcher(&["free nitro"], &[]);
        for text in [
            "get ｆｒｅｅ n1tro now",
            "FR\u{0415}E NITRO",
            "fr\u{200b}ee nitro",
        ] {
            assert_eq!(
                hit(&m, text),
                Some(WordHit::Word("free nitro".into())),
                "{text}"
            );
        }
        assert_eq!(hit(&m, "freedom nitro"), None);
    }

    #[test]
    fn regexes_match_the_skeleton_or_the_plain_text() {
        let m = matcher(&[], &[r"n[i1]tro\s*gift", r"\bbuy\s+followers\b"]);
        assert_eq!(
            hit(&m, "NITRO GIFT here"),
            Some(WordHit::Regex(r"n[i1]tro\s*gift".into()))
        );
        assert_eq!(
            hit(&m, "buy   followers"),
            Some(WordHit::Regex(r"\bbuy\s+followers\b".into()))
        );
        assert_eq!(hit(&m, "hello"), None);
    }

    #[test]
    fn a_regex_too_big_or_broken_is_refused_with_the_reason() {
        assert!(matches!(
            compile_regex("(unclosed"),
            Err(PatternError::Regex(_))
        ));
        // Linear-time engine: no backreferences or look-around at all.
        assert!(matches!(
            compile_regex(r"(a)\1"),
            Err(PatternError::Regex(_))
        ));
        // Exponential blow-up of a counted repetition hits the size limit.
        assert!(matches!(
            compile_regex(r"(\w{100}){100}"),
            Err(PatternError::Regex(_))
        ));
        assert_eq!(check_word("***"), Err(PatternError::Empty));
    }

    #[test]
    fn a_classic_redos_pattern_runs_in_linear_time() {
        let m = matcher(&[], &[r"^(a+)+$"]);
        let text = format!("{}!", "a".repeat(50_000));
        let started = std::time::Instant::now();
        assert_eq!(hit(&m, &text), None);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
