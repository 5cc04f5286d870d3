//! Emojis and the `roles` text of `/rr create`: `🎮 @Gamer 🎨 @Artist` (commas optional, the
//! emoji optional on button and menu panels). An emoji is stored as Discord's reaction routes
//! name it: the Unicode text, or `name:id` (`a:name:id` when animated) for a custom one.

use arsenal_plugin_api::{model::channel::message::EmojiReactionType, prelude::*};

/// One `emoji @role` pair as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub emoji: Option<String>,
    pub role: Id<RoleMarker>,
}

/// Why the `roles` text does not read, with the word at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecError {
    /// No role mention at all.
    Empty,
    /// A word that is neither an emoji nor a role mention.
    UnknownWord(String),
    /// Two emojis in a row, or one at the end: the first has no role.
    EmojiWithoutRole(String),
}

/// Reads `🎮 @Gamer, <:blob:12> @Blob, @Plain`.
///
/// # Errors
///
/// The first word that does not read, or no role at all.
pub fn parse_pairs(text: &str) -> Result<Vec<Pair>, SpecError> {
    // `🎮<@&1>` written without a space still reads: every mention or custom emoji starts a word.
    let spaced = text.replace('<', " <").replace('>', "> ");
    let mut pairs = Vec::new();
    let mut pending: Option<String> = None;
    for word in spaced
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
    {
        if let Some(role) = role_mention(word) {
            pairs.push(Pair {
                emoji: pending.take(),
                role,
            });
        } else if let Some(emoji) = emoji_word(word) {
            if let Some(previous) = pending.replace(emoji) {
                return Err(SpecError::EmojiWithoutRole(display(&previous)));
            }
        } else {
            return Err(SpecError::UnknownWord(word.to_owned()));
        }
    }
    if let Some(emoji) = pending {
        return Err(SpecError::EmojiWithoutRole(display(&emoji)));
    }
    if pairs.is_empty() {
        return Err(SpecError::Empty);
    }
    Ok(pairs)
}

/// `<@&123>` → the role.
fn role_mention(word: &str) -> Option<Id<RoleMarker>> {
    let id = word.strip_prefix("<@&")?.strip_suffix('>')?;
    Id::new_checked(id.parse().ok()?)
}

/// An emoji as typed: `<:name:id>`, `<a:name:id>` or Unicode text (no letters, digits or
/// markup), stored form.
pub fn emoji_word(word: &str) -> Option<String> {
    if let Some(inner) = word.strip_prefix('<').and_then(|w| w.strip_suffix('>')) {
        let (animated, rest) = match inner.strip_prefix("a:") {
            Some(rest) => (true, rest),
            None => (false, inner.strip_prefix(':')?),
        };
        let (name, id) = rest.split_once(':')?;
        let valid_name =
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name || id.parse::<u64>().ok().filter(|id| *id > 0).is_none() {
            return None;
        }
        return Some(if animated {
            format!("a:{name}:{id}")
        } else {
            format!("{name}:{id}")
        });
    }
    let plausible = !word.is_empty()
        && word.chars().count() <= 16
        && word
            .chars()
            .all(|c| !c.is_ascii() || matches!(c, '#' | '*' | '0'..='9'))
        && !word.is_ascii();
    plausible.then(|| word.to_owned())
}

/// How to show a stored emoji in a message: `<:name:id>` for a custom one.
pub fn display(stored: &str) -> String {
    if custom_id(stored).is_some() {
        format!("<{}>", with_colon_prefix(stored))
    } else {
        stored.to_owned()
    }
}

fn with_colon_prefix(stored: &str) -> String {
    if stored.starts_with("a:") {
        stored.to_owned()
    } else {
        format!(":{stored}")
    }
}

/// The id of a stored custom emoji.
fn custom_id(stored: &str) -> Option<u64> {
    let rest = stored.strip_prefix("a:").unwrap_or(stored);
    let (_, id) = rest.split_once(':')?;
    id.parse().ok()
}

/// Whether a stored emoji is a Unicode one (buttons can only show those).
pub fn is_unicode(stored: &str) -> bool {
    custom_id(stored).is_none()
}

/// Whether a reaction in an event is the stored emoji: custom ones by id (a renamed emoji still
/// matches), Unicode ones by text, ignoring the variation selector (`❤` and `❤️`).
pub fn matches(stored: &str, reaction: &EmojiReactionType) -> bool {
    match reaction {
        EmojiReactionType::Custom { id, .. } => custom_id(stored) == Some(id.get()),
        EmojiReactionType::Unicode { name } => {
            custom_id(stored).is_none() && same_unicode(stored, name)
        }
    }
}

/// Whether two stored emojis are the same (custom by id, Unicode by text).
pub fn same(a: &str, b: &str) -> bool {
    match (custom_id(a), custom_id(b)) {
        (Some(x), Some(y)) => x == y,
        (None, None) => same_unicode(a, b),
        _ => false,
    }
}

fn same_unicode(a: &str, b: &str) -> bool {
    let plain = |s: &str| s.chars().filter(|c| *c != '\u{fe0f}').collect::<String>();
    plain(a) == plain(b)
}
