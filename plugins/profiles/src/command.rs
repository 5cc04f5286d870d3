//! `/profile` (and `!profile`): the command's declaration and its parsed form. Every member manages their own
//! profile; only `announce` (where achievements are announced) needs Manage Server.

use arsenal_plugin_api::prelude::*;

use crate::{model::Field, style::WritingStyle, theme::Theme};

/// Member profiles: bio, writing style, theme, statistics and achievements
#[derive(Debug, Command)]
#[command(name = "profile", prefix)]
pub enum ProfileCommand {
    /// Set your bio, writing style, theme, or what others may see
    Config(Config),
    /// Show a member's profile card
    View(View),
    /// Preview a writing style on some text
    TestStyle(TestStyle),
    /// Erase your bio, style, theme and privacy choices (statistics stay)
    Reset,
    /// Where achievements are announced (Manage Server)
    #[command(permissions = "MANAGE_GUILD")]
    Announce(Announce),
}

#[derive(Debug, Command)]
pub struct Config {
    /// A few words about you (up to 300 characters; "-" erases it)
    #[option(max_length = 300)]
    pub bio: Option<String>,
    /// How your bio is written out
    pub style: Option<WritingStyle>,
    /// Your card's colours
    pub theme: Option<Theme>,
    /// Hide a part of your profile from other members
    pub hide: Option<Field>,
    /// Show a hidden part again
    pub show: Option<Field>,
}

#[derive(Debug, Command)]
pub struct View {
    /// Whose profile (yours if empty)
    pub member: Option<ResolvedUser>,
}

#[derive(Debug, Command)]
pub struct TestStyle {
    /// The style to try
    pub style: WritingStyle,
    /// The text to write in it (your bio, or a sample, if empty)
    #[option(max_length = 200)]
    pub text: Option<String>,
}

#[derive(Debug, Command)]
pub struct Announce {
    /// Announce achievements in this channel (where they happen if empty)
    #[option(channel_types = [GuildText, GuildAnnouncement])]
    pub channel: Option<Id<ChannelMarker>>,
    /// Announce achievements at all (on by default)
    pub enabled: Option<bool>,
}
