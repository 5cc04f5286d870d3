//! `/rr` and `!rr`: the command's declaration and its parsed form (Manage Roles for all of it).

use arsenal_plugin_api::prelude::*;

use crate::model::{Mode, Style};

/// Reaction roles: panels of buttons, menus or reactions that give roles
#[derive(Debug, Command)]
#[command(name = "rr", permissions = "MANAGE_ROLES", prefix)]
pub enum Rr {
    /// Post a new panel
    Create(Create),
    /// Add a role to a panel
    Add(Add),
    /// Take a role off a panel
    Remove(Remove),
    /// Change a panel's mode, maximum, required or forbidden roles
    Settings(Settings),
    /// Re-add missing reactions and refresh a panel's message
    Fix(PanelRef),
    /// Delete a panel and its message
    Delete(PanelRef),
    /// This server's panels
    List,
}

#[derive(Debug, Command)]
pub struct Create {
    /// Where to post the panel
    #[option(channel_types = [GuildText, GuildAnnouncement])]
    pub channel: Id<ChannelMarker>,
    /// The roles, each after its emoji: 🎮 @Gamer 🎨 @Artist
    #[option(max_length = 1500)]
    pub roles: String,
    /// Buttons, a menu or reactions (buttons by default)
    pub style: Option<Style>,
    /// What picking a role does (normal by default)
    pub mode: Option<Mode>,
    /// The panel's title
    #[option(max_length = 256)]
    pub title: Option<String>,
    /// Text above the roles
    #[option(max_length = 1000)]
    pub description: Option<String>,
    /// At most this many of the panel's roles per member
    #[option(min_value = 1, max_value = 25)]
    pub max: Option<u8>,
}

#[derive(Debug, Command)]
pub struct Add {
    /// The panel's message id (see /rr list)
    #[option(autocomplete, max_length = 20)]
    pub panel: String,
    /// The role to add
    pub role: Id<RoleMarker>,
    /// Its emoji (needed on a reaction panel)
    #[option(max_length = 64)]
    pub emoji: Option<String>,
}

#[derive(Debug, Command)]
pub struct Remove {
    /// The panel's message id (see /rr list)
    #[option(autocomplete, max_length = 20)]
    pub panel: String,
    /// The role to take off
    pub role: Id<RoleMarker>,
}

#[derive(Debug, Command)]
pub struct Settings {
    /// The panel's message id (see /rr list)
    #[option(autocomplete, max_length = 20)]
    pub panel: String,
    /// What picking a role does
    pub mode: Option<Mode>,
    /// At most this many of its roles per member (0: no maximum)
    #[option(min_value = 0, max_value = 25)]
    pub max: Option<u8>,
    /// Members need this role (or another required one); given again, it is no longer required
    pub require: Option<Id<RoleMarker>>,
    /// Members with this role may not use the panel; given again, it is allowed again
    pub forbid: Option<Id<RoleMarker>>,
}

#[derive(Debug, Command)]
pub struct PanelRef {
    /// The panel's message id (see /rr list)
    #[option(autocomplete, max_length = 20)]
    pub panel: String,
}
