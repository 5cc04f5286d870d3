//! `/suggest` and `/suggestion` as types: `#[derive(Command)]` gives both the declaration Discord
//! sees and the typed parse of an invocation. Who may decide (staff roles or Manage Server) and
//! configure (Manage Server) is checked by the module, with a sentence that says why.

use arsenal_plugin_api::prelude::*;

/// Suggest something to the server
#[derive(Debug, Command)]
#[command(name = "suggest", prefix)]
pub struct Suggest {
    /// Your suggestion
    // 2000: an embed description holds 4096 characters.
    #[option(min_length = 5, max_length = 2000)]
    pub suggestion: String,
    /// Hide your name on the suggestion (staff can still see it)
    pub anonymous: Option<bool>,
}

/// Suggestions: decide on them (staff) and configure them (Manage Server)
#[derive(Debug, Command)]
#[command(name = "suggestion", prefix)]
pub enum SuggestionCommand {
    /// Approve a suggestion (staff)
    Approve(Decision),
    /// Deny a suggestion (staff)
    Deny(Decision),
    /// Mark a suggestion as under consideration (staff)
    Consider(Decision),
    /// Mark a suggestion as implemented (staff)
    Implement(Decision),
    /// Show a suggestion, its votes and its author, even when anonymous (staff)
    Show(SuggestionId),
    /// Show or change the settings (Manage Server)
    Config(Config),
    /// Add or remove a staff role that may decide (Manage Server)
    Staff(Staff),
}

/// `/suggestion approve|deny|consider|implement`.
#[derive(Debug, Command)]
pub struct Decision {
    /// The suggestion's number (#12: 12)
    #[option(min_value = 1)]
    pub id: i64,
    /// Why (shown on the suggestion and sent to its author)
    // 1000: an embed field holds 1024 characters.
    #[option(max_length = 1000)]
    pub reason: Option<String>,
}

/// `/suggestion show`.
#[derive(Debug, Command)]
pub struct SuggestionId {
    /// The suggestion's number (#12: 12)
    #[option(min_value = 1)]
    pub id: i64,
}

/// `/suggestion config`: every option optional; what is given is changed.
#[derive(Debug, Command)]
pub struct Config {
    /// Where suggestions are posted
    #[option(channel_types = [GuildText])]
    pub channel: Option<Id<ChannelMarker>>,
    /// Where decided suggestions are copied
    #[option(channel_types = [GuildText])]
    pub log_channel: Option<Id<ChannelMarker>>,
    /// Time between two suggestions of a member: 10m, 1h, or off
    #[option(max_length = 20)]
    pub cooldown: Option<String>,
    /// Allow anonymous suggestions
    pub anonymous: Option<bool>,
    /// Open a discussion thread on each suggestion
    pub threads: Option<bool>,
}

/// `/suggestion staff`.
#[derive(Debug, Command)]
pub struct Staff {
    /// The role (again to remove it)
    pub role: Id<RoleMarker>,
}
