//! `/welcome` and `!welcome`: the command's declaration and its parsed form. English names and
//! descriptions are the doc comments; other languages are `cmd-welcome-…` texts in `locales/`.

use arsenal_plugin_api::prelude::*;

/// The longest template, so a rendered greeting with long names stays under Discord's 2000.
pub const MAX_TEXT: usize = 1500;
/// Templates per kind (welcome, goodbye) one is picked from at random.
pub const MAX_TEMPLATES: usize = 10;
/// Roles given on join.
pub const MAX_ROLES: usize = 5;
/// The longest "delete the greeting if the member leaves within" window: a week.
pub const MAX_DELETE_WINDOW_SECS: u64 = 7 * 24 * 3600;

/// `/welcome …`.
#[derive(Debug, Command)]
#[command(
    name = "welcome",
    desc = "Configure welcome and goodbye messages",
    permissions = "MANAGE_GUILD",
    prefix
)]
pub enum WelcomeCommand {
    /// Where the messages go
    Channel(ChannelOption),
    /// The welcome message
    Message(TextOption),
    /// The goodbye message (none until set)
    Goodbye(TextOption),
    /// Post the welcome message for yourself
    Test,
    /// Show the settings
    Show,
    /// Stop posting messages
    Disable,
    /// Add another message; one is picked at random
    Add(AddTemplate),
    /// Remove a message by its number in /welcome show
    Remove(RemoveTemplate),
    /// Post the messages as plain text or as an embed
    Style(StyleOption),
    /// A direct message sent to each new member (none: off)
    Dm(DmOption),
    /// Give a role on join (after the rules screening when the server uses it)
    #[command(name = "role-add")]
    RoleAdd(RoleOption),
    /// Stop giving a role on join
    #[command(name = "role-remove")]
    RoleRemove(RoleOption),
    /// Warn about accounts younger than some days (0: off)
    #[command(name = "new-accounts")]
    NewAccounts(NewAccountsOption),
    /// Delete the greeting when the member leaves this soon (none: never)
    #[command(name = "delete-on-leave")]
    DeleteOnLeave(DeleteOnLeaveOption),
}

#[derive(Debug, Command)]
pub struct ChannelOption {
    /// A text channel
    #[option(channel_types = [GuildText, GuildAnnouncement])]
    pub channel: Id<ChannelMarker>,
}

#[derive(Debug, Command)]
pub struct TextOption {
    /// The message; {user} becomes a mention, {name} the member's name
    pub text: String,
}

#[derive(Debug, Command)]
pub struct AddTemplate {
    /// Which messages
    pub kind: TemplateKind,
    /// The message; {user}, {name}, {username}, {server}, {count} are filled in
    pub text: String,
}

#[derive(Debug, Command)]
pub struct RemoveTemplate {
    /// Which messages
    pub kind: TemplateKind,
    /// Its number in /welcome show
    #[option(min_value = 1, max_value = 10)]
    pub number: i64,
}

#[derive(Debug, Command)]
pub struct StyleOption {
    /// Plain text or an embed
    pub style: Style,
}

#[derive(Debug, Command)]
pub struct DmOption {
    /// The direct message (leave out to stop sending one)
    pub text: Option<String>,
}

#[derive(Debug, Command)]
pub struct RoleOption {
    /// The role
    pub role: Id<RoleMarker>,
}

#[derive(Debug, Command)]
pub struct NewAccountsOption {
    /// Accounts younger than this many days get a notice (0: off)
    #[option(min_value = 0, max_value = 365)]
    pub days: i64,
    /// Where the notice goes (the welcome channel by default)
    #[option(channel_types = [GuildText, GuildAnnouncement])]
    pub channel: Option<Id<ChannelMarker>>,
}

#[derive(Debug, Command)]
pub struct DeleteOnLeaveOption {
    /// How soon, e.g. 10m or 1h (leave out: never delete)
    pub within: Option<Duration>,
}

/// Welcome or goodbye templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, CommandChoice)]
pub enum TemplateKind {
    #[choice(name = "welcome")]
    Welcome,
    #[choice(name = "goodbye")]
    Goodbye,
}

/// How greetings are posted.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, CommandChoice,
)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    #[default]
    #[choice(name = "text")]
    Text,
    #[choice(name = "embed")]
    Embed,
}
