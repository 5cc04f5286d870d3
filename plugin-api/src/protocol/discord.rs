//! Discord actions a plugin asks the host to perform. The host executes each with twilight-http
//! on its own runtime (one place builds HTTP requests), namespaces `custom_id`s, and returns
//! Discord's answer as JSON or a readable error (missing permission, role hierarchy, …).

use serde::{Deserialize, Serialize};
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, MessageMarker, RoleMarker, UserMarker},
    Id,
};

use super::Reply;

/// A message identified by channel and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRef {
    /// Its channel.
    pub channel_id: Id<ChannelMarker>,
    /// Its id.
    pub message_id: Id<MessageMarker>,
}

/// One Discord action. New actions are added as new variants; older plugins never send them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DiscordRequest {
    /// Posts a message in a channel → `Message`.
    SendMessage {
        /// Where.
        channel_id: Id<ChannelMarker>,
        /// What (`ephemeral` is ignored).
        message: Reply,
    },
    /// Edits a message the bot sent → `Message`.
    EditMessage {
        /// Which.
        target: MessageRef,
        /// New content.
        message: Reply,
    },
    /// Deletes a message → `null`.
    DeleteMessage {
        /// Which.
        target: MessageRef,
    },
    /// Sends a direct message to a user → `Message` (fails if the user closed their DMs).
    SendDirectMessage {
        /// To whom.
        user_id: Id<UserMarker>,
        /// What.
        message: Reply,
    },
    /// Gives a member a role → `null`.
    AddRole {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// Member.
        user_id: Id<UserMarker>,
        /// Role.
        role_id: Id<RoleMarker>,
        /// Shown in the audit log.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Takes a role from a member → `null`.
    RemoveRole {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// Member.
        user_id: Id<UserMarker>,
        /// Role.
        role_id: Id<RoleMarker>,
        /// Shown in the audit log.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Reads a member → `Member`.
    GetMember {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// Member.
        user_id: Id<UserMarker>,
    },
}
