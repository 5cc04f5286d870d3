//! What a panel is and where it is kept: one store key per panel, `panel:<guild>:<message>`, so a
//! reaction or a button press finds its panel with one read, a server's panels are one prefix,
//! and nothing of one server is ever read while serving another.

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

/// Discord shows at most 25 buttons (5 rows of 5) or 25 menu options on a message.
pub const MAX_COMPONENT_ROLES: usize = 25;
/// Discord allows 20 different reactions on a message.
pub const MAX_REACTION_ROLES: usize = 20;

/// How members pick their roles on a panel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, CommandChoice)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// One button per role.
    #[default]
    #[choice(name = "buttons")]
    Buttons,
    /// One select menu listing the roles.
    #[choice(name = "menu")]
    Menu,
    /// Classic reactions on the message.
    #[choice(name = "reactions")]
    Reactions,
}

/// What picking a role does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, CommandChoice)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Pick to get the role, pick again (or unreact) to lose it.
    #[default]
    #[choice(name = "normal")]
    Normal,
    /// One role of the panel at a time: picking another swaps it.
    #[choice(name = "unique")]
    Unique,
    /// Roles are only given, never taken back (rules, verification).
    #[choice(name = "verify")]
    Verify,
    /// Roles are only taken away.
    #[choice(name = "drop")]
    Drop,
    /// Picking takes the role away; unreacting gives it back.
    #[choice(name = "reversed")]
    Reversed,
    /// One role, chosen once for good.
    #[choice(name = "binding")]
    Binding,
}

impl Mode {
    /// Whether a member holds at most one of the panel's roles.
    pub const fn one_role(self) -> bool {
        matches!(self, Self::Unique | Self::Binding)
    }

    /// The message id of the mode's short name.
    pub const fn name_id(self) -> &'static str {
        match self {
            Self::Normal => "rr-mode-name-normal",
            Self::Unique => "rr-mode-name-unique",
            Self::Verify => "rr-mode-name-verify",
            Self::Drop => "rr-mode-name-drop",
            Self::Reversed => "rr-mode-name-reversed",
            Self::Binding => "rr-mode-name-binding",
        }
    }

    /// The message id of what the mode does, shown on the panel.
    pub const fn text_id(self) -> &'static str {
        match self {
            Self::Normal => "rr-mode-normal",
            Self::Unique => "rr-mode-unique",
            Self::Verify => "rr-mode-verify",
            Self::Drop => "rr-mode-drop",
            Self::Reversed => "rr-mode-reversed",
            Self::Binding => "rr-mode-binding",
        }
    }
}

impl Style {
    /// How many roles a panel of this style can hold.
    pub const fn capacity(self) -> usize {
        match self {
            Self::Reactions => MAX_REACTION_ROLES,
            Self::Buttons | Self::Menu => MAX_COMPONENT_ROLES,
        }
    }

    /// The message id of the style's name.
    pub const fn text_id(self) -> &'static str {
        match self {
            Self::Buttons => "rr-style-buttons",
            Self::Menu => "rr-style-menu",
            Self::Reactions => "rr-style-reactions",
        }
    }
}

/// One role of a panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub role: Id<RoleMarker>,
    /// A Unicode emoji, or `name:id` / `a:name:id` for a custom one; required on reaction panels.
    #[serde(default)]
    pub emoji: Option<String>,
    /// The button or menu label: the role's name when the panel was made or last fixed.
    pub label: String,
}

/// A panel: a message whose buttons, menu or reactions give roles (version 1 of the record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Panel {
    #[serde(default = "version")]
    pub v: u32,
    pub guild: Id<GuildMarker>,
    pub channel: Id<ChannelMarker>,
    pub message: Id<MessageMarker>,
    pub style: Style,
    #[serde(default)]
    pub mode: Mode,
    /// At most this many of the panel's roles per member.
    #[serde(default)]
    pub max: Option<u8>,
    /// A member needs one of these to use the panel (none: everyone may).
    #[serde(default)]
    pub required: Vec<Id<RoleMarker>>,
    /// A member with any of these may not use the panel.
    #[serde(default)]
    pub forbidden: Vec<Id<RoleMarker>>,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub entries: Vec<Entry>,
}

const fn version() -> u32 {
    1
}

impl Panel {
    /// The store key of the panel on `message` in `guild`.
    pub fn key(guild: Id<GuildMarker>, message: Id<MessageMarker>) -> String {
        format!("panel:{guild}:{message}")
    }

    /// The prefix of every panel key of `guild`.
    pub fn guild_prefix(guild: Id<GuildMarker>) -> String {
        format!("panel:{guild}:")
    }

    /// This panel's store key.
    pub fn own_key(&self) -> String {
        Self::key(self.guild, self.message)
    }

    /// The panel's roles, in order.
    pub fn roles(&self) -> impl Iterator<Item = Id<RoleMarker>> + '_ {
        self.entries.iter().map(|entry| entry.role)
    }

    /// The entry giving `role`.
    pub fn entry(&self, role: Id<RoleMarker>) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.role == role)
    }

    /// The most roles a member can pick at once in the menu (Discord's `max_values`).
    pub fn menu_max(&self) -> u8 {
        let count = u8::try_from(self.entries.len()).unwrap_or(u8::MAX).max(1);
        if self.mode.one_role() {
            1
        } else {
            self.max.map_or(count, |max| max.clamp(1, count))
        }
    }
}
