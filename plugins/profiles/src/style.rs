//! Writing styles: a member's bio written out with Unicode's styled letters (𝐛𝐨𝐥𝐝, 𝓼𝓬𝓻𝓲𝓹𝓽,
//! ｗｉｄｅ…), as the original bot's profiles offered. Letters without a styled form (accents,
//! emoji, other scripts) are kept as they are, so French text stays readable.

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

/// How a member's text is written out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, CommandChoice)]
#[serde(rename_all = "snake_case")]
pub enum WritingStyle {
    /// As typed.
    #[default]
    #[choice(name = "normal")]
    Normal,
    /// 𝐁𝐨𝐥𝐝.
    #[choice(name = "bold")]
    Bold,
    /// 𝐼𝑡𝑎𝑙𝑖𝑐.
    #[choice(name = "italic")]
    Italic,
    /// 𝓢𝓬𝓻𝓲𝓹𝓽.
    #[choice(name = "script")]
    Script,
    /// 𝕲𝖔𝖙𝖍𝖎𝖈.
    #[choice(name = "gothic")]
    Gothic,
    /// 𝙼𝚘𝚗𝚘𝚜𝚙𝚊𝚌𝚎.
    #[choice(name = "monospace")]
    Monospace,
    /// 𝔻𝕠𝕦𝕓𝕝𝕖.
    #[choice(name = "double_struck")]
    DoubleStruck,
    /// Sᴍᴀʟʟ ᴄᴀᴘs.
    #[choice(name = "small_caps")]
    SmallCaps,
    /// Ｗｉｄｅ.
    #[choice(name = "wide")]
    Wide,
}

/// Small capitals for a..z (q and x have none in Unicode: ǫ and x are the usual stand-ins).
const SMALL_CAPS: [char; 26] = [
    'ᴀ', 'ʙ', 'ᴄ', 'ᴅ', 'ᴇ', 'ꜰ', 'ɢ', 'ʜ', 'ɪ', 'ᴊ', 'ᴋ', 'ʟ', 'ᴍ', 'ɴ', 'ᴏ', 'ᴘ', 'ǫ', 'ʀ', 'ꜱ',
    'ᴛ', 'ᴜ', 'ᴠ', 'ᴡ', 'x', 'ʏ', 'ᴢ',
];

impl WritingStyle {
    /// Every style, in the order `/profile test_style` lists them.
    pub const ALL: [Self; 9] = [
        Self::Normal,
        Self::Bold,
        Self::Italic,
        Self::Script,
        Self::Gothic,
        Self::Monospace,
        Self::DoubleStruck,
        Self::SmallCaps,
        Self::Wide,
    ];

    /// The text id of its name.
    #[must_use]
    pub const fn text_id(self) -> &'static str {
        match self {
            Self::Normal => "style-normal",
            Self::Bold => "style-bold",
            Self::Italic => "style-italic",
            Self::Script => "style-script",
            Self::Gothic => "style-gothic",
            Self::Monospace => "style-monospace",
            Self::DoubleStruck => "style-double-struck",
            Self::SmallCaps => "style-small-caps",
            Self::Wide => "style-wide",
        }
    }

    /// `text` written in this style.
    #[must_use]
    pub fn apply(self, text: &str) -> String {
        text.chars().map(|c| self.letter(c)).collect()
    }

    fn letter(self, c: char) -> char {
        // (capital A, small a, digit 0) of the Mathematical Alphanumeric Symbols block.
        let (upper, lower, digit) = match self {
            Self::Normal => return c,
            Self::SmallCaps => {
                return match c {
                    'a'..='z' => SMALL_CAPS[(c as usize) - ('a' as usize)],
                    _ => c,
                }
            }
            Self::Wide => {
                return match c {
                    ' ' => '\u{3000}',
                    '!'..='~' => shift(c, '!', 0xFF01),
                    _ => c,
                }
            }
            Self::Bold => (0x1D400, 0x1D41A, Some(0x1D7CE)),
            Self::Italic => (0x1D434, 0x1D44E, None),
            Self::Script => (0x1D4D0, 0x1D4EA, None),
            Self::Gothic => (0x1D56C, 0x1D586, None),
            Self::Monospace => (0x1D670, 0x1D68A, Some(0x1D7F6)),
            Self::DoubleStruck => (0x1D538, 0x1D552, Some(0x1D7D8)),
        };
        // The letters Unicode had encoded before the block (ℎ, ℂ, ℍ…) are holes in it.
        let hole = match (self, c) {
            (Self::Italic, 'h') => Some('ℎ'),
            (Self::DoubleStruck, 'C') => Some('ℂ'),
            (Self::DoubleStruck, 'H') => Some('ℍ'),
            (Self::DoubleStruck, 'N') => Some('ℕ'),
            (Self::DoubleStruck, 'P') => Some('ℙ'),
            (Self::DoubleStruck, 'Q') => Some('ℚ'),
            (Self::DoubleStruck, 'R') => Some('ℝ'),
            (Self::DoubleStruck, 'Z') => Some('ℤ'),
            _ => None,
        };
        if let Some(hole) = hole {
            return hole;
        }
        match c {
            'A'..='Z' => shift(c, 'A', upper),
            'a'..='z' => shift(c, 'a', lower),
            '0'..='9' => digit.map_or(c, |digit| shift(c, '0', digit)),
            _ => c,
        }
    }
}

/// `c`'s offset from `first`, moved to start at code point `to`.
fn shift(c: char, first: char, to: u32) -> char {
    char::from_u32(to + (u32::from(c) - u32::from(first))).unwrap_or(c)
}
