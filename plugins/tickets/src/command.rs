//! `/ticket` (and `!ticket`) as a type: `#[derive(Command)]` gives both the declaration Discord
//! sees and the typed parse of an invocation. Admin subcommands are refused by the module itself
//! (see `ADMIN_SUBCOMMANDS` in the crate root), with a sentence that says why.
//!
//! `autoclose` stays text: besides `48h` or `2d` it takes a bare number of hours and `off`,
//! read by [`parse_duration`](crate::model::parse_duration).

use arsenal_plugin_api::{model::id::marker::RoleMarker, prelude::*};

use crate::model::{CloseAction, TicketMode};

/// Support tickets: panels, opening, closing, staff tools
#[derive(Debug, Command)]
#[command(name = "ticket", prefix)]
pub enum TicketCommand {
    /// Open a ticket
    Open(OpenReason),
    /// Close this ticket (opener or staff)
    Close(CloseReason),
    /// Ask the opener to confirm closing (staff)
    Closerequest(RequestReason),
    /// Take this ticket (staff)
    Claim,
    /// Give this ticket back (staff)
    Unclaim,
    /// Add a member to this ticket
    Add(AddMember),
    /// Remove a member from this ticket
    Remove(RemoveMember),
    /// Rename this ticket (staff)
    Rename(Rename),
    /// Show or change the ticket settings (Manage Server)
    Config(Config),
    /// Add or remove a staff role for every ticket (Manage Server)
    Staff(Staff),
    /// Post a ticket panel (Manage Server)
    Panel(NewPanel),
    /// Add or update a ticket category on a panel (Manage Server)
    #[command(name = "topic-add")]
    TopicAdd(TopicAdd),
    /// Remove a ticket category from a panel (Manage Server)
    #[command(name = "topic-remove")]
    TopicRemove(TopicRemove),
    /// List the ticket panels (Manage Server)
    Panels,
    /// Delete a ticket panel (Manage Server)
    #[command(name = "panel-delete")]
    PanelDelete(PanelNumber),
}

/// `/ticket open`.
#[derive(Debug, Command)]
pub struct OpenReason {
    /// What do you need help with?
    pub reason: Option<String>,
}

/// `/ticket close`.
#[derive(Debug, Command)]
pub struct CloseReason {
    /// Why it is closed
    pub reason: Option<String>,
}

/// `/ticket closerequest`.
#[derive(Debug, Command)]
pub struct RequestReason {
    /// Why it can be closed
    pub reason: Option<String>,
}

/// `/ticket add`.
#[derive(Debug, Command)]
pub struct AddMember {
    /// The member to add
    pub user: Id<UserMarker>,
}

/// `/ticket remove`.
#[derive(Debug, Command)]
pub struct RemoveMember {
    /// The member to remove
    pub user: Id<UserMarker>,
}

/// `/ticket rename`.
#[derive(Debug, Command)]
pub struct Rename {
    /// The new name
    pub name: String,
}

/// `/ticket config`: every option optional; what is given is changed.
#[derive(Debug, Command)]
pub struct Config {
    /// Where transcripts are posted
    #[option(channel_types = [GuildText])]
    pub log_channel: Option<Id<ChannelMarker>>,
    /// Private channels or private threads
    pub mode: Option<TicketMode>,
    /// Delete or archive closed tickets
    pub on_close: Option<CloseAction>,
    /// Category for ticket channels
    #[option(channel_types = [GuildCategory])]
    pub category: Option<Id<ChannelMarker>>,
    /// Category archived tickets move to
    #[option(channel_types = [GuildCategory])]
    pub archive_category: Option<Id<ChannelMarker>>,
    /// Open tickets per member (1-20)
    pub limit: Option<i64>,
    /// Ask for a reason in a form before opening
    pub ask_reason: Option<bool>,
    /// Close after inactivity: 48h, 2d, 30m or off
    pub autoclose: Option<String>,
    /// Seconds between closing and deletion (1-600)
    pub close_delay: Option<i64>,
}

/// `/ticket staff`.
#[derive(Debug, Command)]
pub struct Staff {
    /// The role (again to remove it)
    pub role: Id<RoleMarker>,
}

/// `/ticket panel`.
#[derive(Debug, Command)]
pub struct NewPanel {
    /// Where to post it
    #[option(channel_types = [GuildText])]
    pub channel: Id<ChannelMarker>,
    /// The panel's title
    pub title: Option<String>,
    /// The panel's text
    pub description: Option<String>,
}

/// `/ticket topic-add`.
#[derive(Debug, Command)]
pub struct TopicAdd {
    /// The panel number (see /ticket panels)
    pub panel: i64,
    /// Its name, e.g. Billing
    pub name: String,
    /// One line shown in the menu
    pub description: Option<String>,
    /// A staff role for these tickets
    pub staff: Option<Id<RoleMarker>>,
    /// Category for these ticket channels
    #[option(channel_types = [GuildCategory])]
    pub category: Option<Id<ChannelMarker>>,
}

/// `/ticket topic-remove`.
#[derive(Debug, Command)]
pub struct TopicRemove {
    /// The panel number (see /ticket panels)
    pub panel: i64,
    /// Its name
    pub name: String,
}

/// `/ticket panel-delete`.
#[derive(Debug, Command)]
pub struct PanelNumber {
    /// The panel number (see /ticket panels)
    pub panel: i64,
}
