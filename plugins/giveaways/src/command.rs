//! `/giveaway` and `!giveaway`: the command's declaration and its parsed form (Manage Server for
//! all of it; members take part with the giveaway's button).

use arsenal_plugin_api::prelude::*;

/// Giveaways: prizes drawn among the members who enter, verifiably
#[derive(Debug, Command)]
#[command(name = "giveaway", permissions = "MANAGE_GUILD", prefix)]
pub enum GiveawayCommand {
    /// Start a giveaway (without a prize: fill a form)
    Start(Start),
    /// End a giveaway now and draw its winners
    End(Target),
    /// Draw new winners for an ended giveaway (earlier winners are left out)
    Reroll(Reroll),
    /// This server's giveaways
    List,
    /// Delete a giveaway and its message
    Delete(Target),
}

#[derive(Debug, Command)]
pub struct Start {
    /// What is given away
    #[option(max_length = 200)]
    pub prize: Option<String>,
    /// How long it runs: 30m, 2h, 3d
    pub duration: Option<Duration>,
    /// How many winners (1 by default)
    #[option(min_value = 1, max_value = 50)]
    pub winners: Option<u32>,
    /// Where to post it (this channel by default)
    #[option(channel_types = [GuildText, GuildAnnouncement])]
    pub channel: Option<Id<ChannelMarker>>,
    /// Entrants need this role
    pub required_role: Option<Id<RoleMarker>>,
    /// Entrants' Discord accounts must be at least this old: 7d, 30d
    pub min_account_age: Option<Duration>,
    /// Entrants need this economy level (needs the economy module)
    #[option(min_value = 1, max_value = 10000)]
    pub min_level: Option<u32>,
    /// Extra entries by role: @Booster 2 @VIP 1
    #[option(max_length = 500)]
    pub bonus: Option<String>,
    /// Text under the prize
    #[option(max_length = 1000)]
    pub description: Option<String>,
}

#[derive(Debug, Command)]
pub struct Target {
    /// The giveaway's message id (see /giveaway list)
    #[option(autocomplete, max_length = 100)]
    pub giveaway: String,
}

#[derive(Debug, Command)]
pub struct Reroll {
    /// The giveaway's message id (see /giveaway list)
    #[option(autocomplete, max_length = 100)]
    pub giveaway: String,
    /// How many new winners (1 by default)
    #[option(min_value = 1, max_value = 50)]
    pub winners: Option<u32>,
}
