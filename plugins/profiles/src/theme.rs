//! Colour themes of the profile card (and the embed's colour beside it).

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

/// A card's colour theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, CommandChoice)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Discord's blurple on charcoal.
    #[default]
    #[choice(name = "classic")]
    Classic,
    /// Turquoise on deep blue.
    #[choice(name = "ocean")]
    Ocean,
    /// Leaf green on dark moss.
    #[choice(name = "forest")]
    Forest,
    /// Orange on plum.
    #[choice(name = "sunset")]
    Sunset,
    /// Violet on near-black.
    #[choice(name = "midnight")]
    Midnight,
    /// Pink on cream.
    #[choice(name = "sakura")]
    Sakura,
    /// Gold on black.
    #[choice(name = "gold")]
    Gold,
}

/// An opaque colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// As Discord's embed colour (0xRRGGBB).
    #[must_use]
    pub fn packed(self) -> u32 {
        (u32::from(self.0) << 16) | (u32::from(self.1) << 8) | u32::from(self.2)
    }
}

/// The colours a theme paints with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The card's background.
    pub background: Rgb,
    /// The panels (stat boxes, bio box) over the background.
    pub panel: Rgb,
    /// The band, the avatar ring, the bars.
    pub accent: Rgb,
    /// The name and values.
    pub text: Rgb,
    /// Labels.
    pub muted: Rgb,
}

impl Theme {
    /// Every theme.
    pub const ALL: [Self; 7] = [
        Self::Classic,
        Self::Ocean,
        Self::Forest,
        Self::Sunset,
        Self::Midnight,
        Self::Sakura,
        Self::Gold,
    ];

    /// The text id of its name.
    #[must_use]
    pub const fn text_id(self) -> &'static str {
        match self {
            Self::Classic => "theme-classic",
            Self::Ocean => "theme-ocean",
            Self::Forest => "theme-forest",
            Self::Sunset => "theme-sunset",
            Self::Midnight => "theme-midnight",
            Self::Sakura => "theme-sakura",
            Self::Gold => "theme-gold",
        }
    }

    /// Its colours.
    #[must_use]
    pub const fn palette(self) -> Palette {
        let (background, panel, accent, text, muted) = match self {
            Self::Classic => (
                Rgb(0x2B, 0x2D, 0x31),
                Rgb(0x38, 0x3A, 0x40),
                Rgb(0x58, 0x65, 0xF2),
                Rgb(0xF2, 0xF3, 0xF5),
                Rgb(0xB5, 0xBA, 0xC1),
            ),
            Self::Ocean => (
                Rgb(0x0B, 0x25, 0x45),
                Rgb(0x13, 0x31, 0x5C),
                Rgb(0x1F, 0xC8, 0xC8),
                Rgb(0xE8, 0xF7, 0xFF),
                Rgb(0x9F, 0xC3, 0xD9),
            ),
            Self::Forest => (
                Rgb(0x1B, 0x2A, 0x1E),
                Rgb(0x26, 0x3A, 0x2A),
                Rgb(0x6A, 0xBF, 0x4B),
                Rgb(0xEE, 0xF5, 0xE6),
                Rgb(0xA9, 0xC2, 0xA0),
            ),
            Self::Sunset => (
                Rgb(0x3A, 0x1C, 0x32),
                Rgb(0x4E, 0x26, 0x43),
                Rgb(0xFF, 0x8C, 0x42),
                Rgb(0xFF, 0xF1, 0xE6),
                Rgb(0xE0, 0xB4, 0xC4),
            ),
            Self::Midnight => (
                Rgb(0x0E, 0x0E, 0x16),
                Rgb(0x1A, 0x1A, 0x28),
                Rgb(0x9B, 0x5D, 0xE5),
                Rgb(0xEC, 0xE8, 0xF5),
                Rgb(0xA0, 0x9A, 0xB8),
            ),
            Self::Sakura => (
                Rgb(0xFF, 0xF4, 0xF1),
                Rgb(0xFB, 0xE0, 0xE6),
                Rgb(0xE0, 0x5A, 0x86),
                Rgb(0x3B, 0x22, 0x2C),
                Rgb(0x8A, 0x5C, 0x6C),
            ),
            Self::Gold => (
                Rgb(0x12, 0x10, 0x0C),
                Rgb(0x22, 0x1E, 0x16),
                Rgb(0xE8, 0xB9, 0x3A),
                Rgb(0xFA, 0xF3, 0xE0),
                Rgb(0xC4, 0xB2, 0x8A),
            ),
        };
        Palette {
            background,
            panel,
            accent,
            text,
            muted,
        }
    }
}
