//! The bot-side rule engine: one server's settings and compiled word list, applied to a message.
//! Pure (no host calls): the module feeds it messages and the clock, `simulate` and the
//! benchmark call it the same way.

pub mod content;
pub mod words;

use crate::{
    config::{GuildConfig, RuleKind, WordList},
    normalize::{self, Normalized},
    windows::{self, Windows},
};

pub use words::{WordHit, WordMatcher};

/// What the rules read of a message.
#[derive(Debug, Clone, Copy, Default)]
pub struct MessageFacts<'a> {
    pub content: &'a str,
    /// Distinct users and roles mentioned, plus one for @everyone/@here.
    pub mentions: usize,
    /// Attachments and stickers.
    pub attachments: usize,
}

/// Why a rule fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    Word(String),
    Regex(String),
    Invite(String),
    Link(String),
    /// `count` reached `limit` (mentions, emoji, attachments, stacked marks).
    Count {
        count: usize,
        limit: u32,
    },
    /// `percent` capitals, `limit` allowed.
    Caps {
        percent: u32,
        limit: u32,
    },
    /// `count` messages (or repeats) within `seconds`.
    Window {
        count: usize,
        seconds: u32,
    },
}

/// A rule that fired on a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: RuleKind,
    pub detail: Detail,
}

/// One server's rules, ready to run.
#[derive(Debug, Clone)]
pub struct Engine {
    pub config: GuildConfig,
    words: WordMatcher,
    /// The word list's revision this was compiled from.
    pub revision: u64,
    /// Entries of the stored list that did not compile (hand-edited store).
    pub skipped: Vec<String>,
}

impl Engine {
    /// Compiles `list` for `config`.
    #[must_use]
    pub fn new(config: GuildConfig, list: &WordList) -> Self {
        let (words, skipped) = WordMatcher::new(&list.words, &list.regexes);
        Self {
            config,
            words,
            revision: list.revision,
            skipped,
        }
    }

    /// The rules that read the message alone, in order; the first that fires.
    #[must_use]
    pub fn content_hit(&self, facts: &MessageFacts<'_>, text: &Normalized) -> Option<Hit> {
        let config = &self.config;
        let on = |rule: RuleKind| {
            let effective = config.effective(rule);
            effective.enabled.then_some(effective.limit)
        };
        let hit = |rule, detail| Some(Hit { rule, detail });
        if on(RuleKind::Words).is_some() {
            match self.words.find(text) {
                Some(WordHit::Word(w)) => return hit(RuleKind::Words, Detail::Word(w)),
                Some(WordHit::Regex(r)) => return hit(RuleKind::Words, Detail::Regex(r)),
                None => {}
            }
        }
        if on(RuleKind::Invites).is_some() {
            if let Some(invite) = content::invite(&text.plain) {
                return hit(RuleKind::Invites, Detail::Invite(invite));
            }
        }
        if on(RuleKind::Links).is_some() {
            if let Some(host) = content::foreign_link(&text.plain, &config.allowed_links) {
                return hit(RuleKind::Links, Detail::Link(host));
            }
        }
        let counted = [
            (RuleKind::Mentions, facts.mentions),
            (RuleKind::Attachments, facts.attachments),
        ];
        for (rule, count) in counted {
            if let Some(limit) = on(rule) {
                if count >= limit as usize && limit > 0 {
                    return hit(rule, Detail::Count { count, limit });
                }
            }
        }
        if let Some(limit) = on(RuleKind::Emoji) {
            let count = content::emoji_count(facts.content);
            if count >= limit as usize && limit > 0 {
                return hit(RuleKind::Emoji, Detail::Count { count, limit });
            }
        }
        if let Some(limit) = on(RuleKind::Zalgo) {
            let count = normalize::max_stacked_marks(facts.content);
            if count >= limit as usize && limit > 0 {
                return hit(RuleKind::Zalgo, Detail::Count { count, limit });
            }
        }
        if let Some(limit) = on(RuleKind::Caps) {
            if let Some(percent) = content::caps_percent(facts.content) {
                if percent >= limit {
                    return hit(RuleKind::Caps, Detail::Caps { percent, limit });
                }
            }
        }
        None
    }

    /// Records the message in the member's windows and checks rate and duplicates.
    #[must_use]
    pub fn window_hit(
        &self,
        windows: &mut Windows,
        guild: u64,
        member: u64,
        now: u64,
        text: &Normalized,
    ) -> Option<Hit> {
        let rate = self.config.effective(RuleKind::Rate);
        let dup = self.config.effective(RuleKind::Duplicates);
        if !rate.enabled && !dup.enabled {
            return None;
        }
        let ms = |seconds: u32| u64::from(seconds) * 1000;
        let counts = windows.record_message(
            guild,
            member,
            now,
            windows::hash(&text.skeleton),
            if rate.enabled { ms(rate.seconds) } else { 0 },
            if dup.enabled { ms(dup.seconds) } else { 0 },
        );
        if rate.enabled && rate.limit > 0 && counts.recent >= rate.limit as usize {
            return Some(Hit {
                rule: RuleKind::Rate,
                detail: Detail::Window {
                    count: counts.recent,
                    seconds: rate.seconds,
                },
            });
        }
        // An empty message (an image alone) is no duplicate text.
        if dup.enabled
            && dup.limit > 0
            && !text.skeleton.trim().is_empty()
            && counts.same >= dup.limit as usize
        {
            return Some(Hit {
                rule: RuleKind::Duplicates,
                detail: Detail::Window {
                    count: counts.same,
                    seconds: dup.seconds,
                },
            });
        }
        None
    }

    /// Every rule on one message: the content rules, then the windows (always recorded).
    #[must_use]
    pub fn check(
        &self,
        windows: &mut Windows,
        guild: u64,
        member: u64,
        now: u64,
        facts: &MessageFacts<'_>,
    ) -> Option<Hit> {
        let text = Normalized::new(facts.content);
        let content = self.content_hit(facts, &text);
        let window = self.window_hit(windows, guild, member, now, &text);
        content.or(window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Level, RuleSetting};

    fn engine(level: Level, words: &[&str]) -> Engine {
        let config = GuildConfig {
            level,
            allowed_links: vec!["example.com".into()],
            ..GuildConfig::default()
        };
        let list = WordList {
            words: words.iter().map(|w| (*w).to_owned()).collect(),
            ..WordList::default()
        };
        Engine::new(config, &list)
    }

    fn facts(content: &str) -> MessageFacts<'_> {
        MessageFacts {
            content,
            ..MessageFacts::default()
        }
    }

    fn rule(engine: &Engine, content: &str) -> Option<RuleKind> {
        engine
            .check(&mut Windows::default(), 1, 2, 0, &facts(content))
            .map(|h| h.rule)
    }

    #[test]
    fn each_level_catches_what_it_documents() {
        let low = engine(Level::Low, &["badword"]);
        assert_eq!(rule(&low, "a B4DW0RD here"), Some(RuleKind::Words));
        assert_eq!(rule(&low, "discord.gg/raid"), Some(RuleKind::Invites));
        assert_eq!(rule(&low, "THIS IS ALL SHOUTING HERE"), None);
        assert_eq!(rule(&low, "https://elsewhere.io"), None);
        let high = engine(Level::High, &[]);
        assert_eq!(
            rule(&high, "THIS IS ALL SHOUTING HERE"),
            Some(RuleKind::Caps)
        );
        assert_eq!(rule(&high, "https://elsewhere.io"), Some(RuleKind::Links));
        assert_eq!(rule(&high, "https://docs.example.com/x"), None);
        assert_eq!(rule(&engine(Level::Off, &["badword"]), "badword"), None);
    }

    #[test]
    fn counts_fire_at_their_limits() {
        let e = engine(Level::Medium, &[]);
        let mut w = Windows::default();
        let many = MessageFacts {
            content: "hi",
            mentions: 6,
            attachments: 0,
        };
        let hit = e.check(&mut w, 1, 2, 0, &many).unwrap();
        assert_eq!(
            hit,
            Hit {
                rule: RuleKind::Mentions,
                detail: Detail::Count { count: 6, limit: 6 }
            }
        );
        let zalgo = "z\u{300}\u{301}\u{302}algo";
        assert_eq!(rule(&e, zalgo), Some(RuleKind::Zalgo));
        assert_eq!(rule(&e, &"😀".repeat(12)), Some(RuleKind::Emoji));
    }

    #[test]
    fn rate_and_duplicates_use_the_clock() {
        let mut e = engine(Level::Medium, &[]);
        e.config.rules.insert(
            RuleKind::Rate,
            RuleSetting {
                limit: Some(3),
                seconds: Some(5),
                enabled: None,
            },
        );
        let mut w = Windows::default();
        let at = |w: &mut Windows, ms: u64, text: &str| {
            e.check(w, 1, 2, ms, &facts(text)).map(|h| h.rule)
        };
        assert_eq!(at(&mut w, 0, "one"), None);
        assert_eq!(at(&mut w, 1000, "two"), None);
        assert_eq!(at(&mut w, 2000, "three"), Some(RuleKind::Rate));
        // Later: the rate window emptied; the same text thrice is a duplicate.
        assert_eq!(at(&mut w, 20_000, "buy now"), None);
        assert_eq!(at(&mut w, 30_000, "BUY NOW"), None);
        assert_eq!(at(&mut w, 40_000, "buy n0w"), Some(RuleKind::Duplicates));
    }
}
