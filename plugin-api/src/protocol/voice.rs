//! The answer of [`DiscordRequest::GetVoiceStates`](super::DiscordRequest::GetVoiceStates): who
//! is connected where in a guild, read from the host's gateway cache (Discord has no REST route
//! listing a guild's voice states).

use serde::{Deserialize, Serialize};
use twilight_model::id::{
    marker::{ChannelMarker, UserMarker},
    Id,
};

/// One member connected to a voice channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceConnection {
    /// The member.
    pub user_id: Id<UserMarker>,
    /// The voice channel they are in.
    pub channel_id: Id<ChannelMarker>,
}
