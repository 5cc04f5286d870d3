//! `/voice` (and `!voice`) as a type: `#[derive(Command)]` gives both the declaration Discord
//! sees and the typed parse of an invocation. Hub set-up needs Manage Channels (checked by the
//! host, per subcommand); the room controls are checked by the module (the room's owner, or
//! Manage Channels), the same way as the panel's buttons.

use arsenal_plugin_api::prelude::*;

/// Temporary voice channels: hubs and your room's controls
#[derive(Debug, Command)]
#[command(name = "voice", prefix)]
pub enum VoiceCommand {
    /// Make a voice channel a join-to-create hub, or change it (Manage Channels)
    #[command(permissions = "MANAGE_CHANNELS")]
    Hub(HubSettings),
    /// Stop a channel being a hub (Manage Channels)
    #[command(name = "hub-remove", permissions = "MANAGE_CHANNELS")]
    HubRemove(HubChannel),
    /// List the hubs (Manage Channels)
    #[command(permissions = "MANAGE_CHANNELS")]
    Hubs,
    /// Show your room's control panel
    Panel,
    /// Only you and permitted members may join your room
    Lock,
    /// Everyone may join your room again
    Unlock,
    /// Hide your room from everyone but you and permitted members
    Hide,
    /// Show your room to everyone again
    Show,
    /// Set your room's member limit (0: none)
    Limit(Limit),
    /// Rename your room
    Rename(Rename),
    /// Disconnect a member from your room and keep them out
    Kick(Member),
    /// Let a member join your room, even locked or hidden
    Permit(Member),
    /// Give your room to a member in it
    Transfer(Member),
    /// Take the room you are in when its owner has left
    Claim,
}

/// `/voice hub`.
#[derive(Debug, Command)]
pub struct HubSettings {
    /// The voice channel members join to get a room
    #[option(channel_types = [GuildVoice])]
    pub channel: Id<ChannelMarker>,
    /// Category for the rooms (default: the hub's)
    #[option(channel_types = [GuildCategory])]
    pub category: Option<Id<ChannelMarker>>,
    /// Room name; {user} is the member's name
    #[option(max_length = 100)]
    pub name: Option<String>,
    /// Member limit of new rooms (0: none)
    #[option(min_value = 0, max_value = 99)]
    pub limit: Option<i64>,
    /// Seconds an empty room waits before it is deleted (1-3600)
    #[option(min_value = 1, max_value = 3600)]
    pub delay: Option<i64>,
}

/// `/voice hub-remove`.
#[derive(Debug, Command)]
pub struct HubChannel {
    /// The hub
    #[option(channel_types = [GuildVoice])]
    pub channel: Id<ChannelMarker>,
}

/// `/voice limit`.
#[derive(Debug, Command)]
pub struct Limit {
    /// Most members at once, 0 to 99 (0: no limit)
    #[option(min_value = 0, max_value = 99)]
    pub limit: i64,
}

/// `/voice rename`.
#[derive(Debug, Command)]
pub struct Rename {
    /// The new name
    #[option(max_length = 100)]
    pub name: String,
}

/// `/voice kick`, `permit`, `transfer`.
#[derive(Debug, Command)]
pub struct Member {
    /// The member
    pub member: Id<UserMarker>,
}
