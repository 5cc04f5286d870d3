//! `/automod` as types (`#[derive(Command)]`): the declaration Discord sees and the parse of an
//! invocation, slash and prefix alike. Everything needs Manage Server.

use arsenal_plugin_api::prelude::*;

use crate::config::{Level, RaidAction, RuleKind, Sanction};

/// Automatic moderation: filters, anti-spam, raid protection
#[derive(Debug, Command)]
#[command(name = "automod", permissions = "MANAGE_GUILD", prefix)]
pub enum Automod {
    /// Show the level, every rule, Discord's rules and raid mode
    Status,
    /// Switch automod off or back on, or choose a level
    Toggle(Toggle),
    /// Rules, escalation, links, log channel and raid detection
    Config(Config),
    /// Add a word (word, *word*, word*, *word) or a regex to the filter
    #[command(name = "add_word")]
    AddWord(AddWord),
    /// Remove a word or regex from the filter
    #[command(name = "remove_word")]
    RemoveWord(RemoveWord),
    /// List the filtered words and regexes
    List,
    /// Exempt a role or a channel (again: no longer exempt)
    Exempt(Exempt),
    /// Show which rule a text would set off, and why
    Simulate(Simulate),
    /// Raid mode: see it, start it, end it
    Raid(Raid),
}

#[derive(Debug, Command)]
pub struct Toggle {
    /// The level (without: off, or back to the last level)
    pub level: Option<Level>,
}

#[derive(Debug, Command)]
pub enum Config {
    /// Switch one rule on or off, or change its limit
    Rule(RuleOptions),
    /// Add or replace an escalation step: count violations in minutes, then an action
    Escalation(EscalationOptions),
    /// Allow links to a site, or stop allowing them
    Links(LinksOptions),
    /// Where violations and raid alerts are posted (without: nowhere)
    Log(LogOptions),
    /// Raid detection: how many joins in how many seconds, and what raid mode does
    Raid(RaidOptions),
}

#[derive(Debug, Command)]
pub struct RuleOptions {
    /// The rule
    pub rule: RuleKind,
    /// On or off (without: as the level says)
    pub enabled: Option<bool>,
    /// Its limit (mentions, emoji, attachments, percent of capitals, marks, messages, repeats)
    #[option(min_value = 1, max_value = 1000)]
    pub limit: Option<i64>,
    /// Its window in seconds (rate, duplicates)
    #[option(min_value = 1, max_value = 600)]
    pub seconds: Option<i64>,
}

#[derive(Debug, Command)]
pub struct EscalationOptions {
    /// How many violations
    #[option(min_value = 1, max_value = 50)]
    pub count: i64,
    /// Within how many minutes
    #[option(min_value = 1, max_value = 1440)]
    pub minutes: i64,
    /// What happens then (remove: delete this step)
    pub action: Sanction,
    /// How long a timeout lasts (10m, 1h, up to 28d)
    pub duration: Option<Duration>,
}

#[derive(Debug, Command)]
pub struct LinksOptions {
    /// A site, like youtube.com (its subdomains are allowed too)
    #[option(max_length = 253)]
    pub domain: String,
}

#[derive(Debug, Command)]
pub struct LogOptions {
    /// A text channel
    #[option(channel_types = [GuildText])]
    pub channel: Option<Id<ChannelMarker>>,
}

#[derive(Debug, Command)]
pub struct RaidOptions {
    /// Members joining…
    #[option(min_value = 2, max_value = 500)]
    pub joins: Option<i64>,
    /// …within this many seconds starts raid mode
    #[option(min_value = 5, max_value = 600)]
    pub seconds: Option<i64>,
    /// What raid mode does
    pub action: Option<RaidAction>,
    /// Raid detection on or off
    pub enabled: Option<bool>,
}

#[derive(Debug, Command)]
pub struct AddWord {
    /// The word (Discord's syntax) or the regex
    #[option(max_length = 260)]
    pub word: String,
    /// It is a regex
    pub regex: Option<bool>,
}

#[derive(Debug, Command)]
pub struct RemoveWord {
    /// The word or regex, as listed
    #[option(max_length = 260)]
    pub word: String,
}

#[derive(Debug, Command)]
pub struct Exempt {
    /// A role whose members the rules skip
    pub role: Option<Id<RoleMarker>>,
    /// A channel the rules skip
    pub channel: Option<Id<ChannelMarker>>,
}

#[derive(Debug, Command)]
pub struct Simulate {
    /// The text to test
    #[option(max_length = 2000)]
    pub text: String,
}

#[derive(Debug, Command)]
pub enum Raid {
    /// Is raid mode on, since when, what it did
    Status,
    /// Start raid mode now
    Start,
    /// End raid mode and undo what it did
    End,
}
