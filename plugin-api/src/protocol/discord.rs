//! Discord actions a plugin asks the host to perform. The host executes each with twilight-http
//! on its own runtime (one place builds HTTP requests), namespaces `custom_id`s, and returns
//! Discord's answer as JSON or a readable error (missing permission, role hierarchy, …).

use serde::{Deserialize, Serialize};
use twilight_model::{
    channel::permission_overwrite::PermissionOverwrite,
    id::{
        marker::{
            AutoModerationRuleMarker, ChannelMarker, GuildMarker, MessageMarker, RoleMarker,
            UserMarker, WebhookMarker,
        },
        Id,
    },
};

use super::{AutoModRule, Reply};

/// A message identified by channel and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRef {
    /// Its channel.
    pub channel_id: Id<ChannelMarker>,
    /// Its id.
    pub message_id: Id<MessageMarker>,
}

/// A text file sent with a message (a log of deleted messages, a transcript).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextFile {
    /// File name, e.g. `deleted-messages.txt`.
    pub name: String,
    /// File content.
    pub content: String,
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
    /// Reads the bot's own user → `CurrentUser` (its id, to find its member and top role).
    GetBotUser,
    /// Reads a guild → `Guild` (owner, roles, …).
    GetGuild {
        /// Guild.
        guild_id: Id<GuildMarker>,
    },
    /// Reads a guild's roles → `Vec<Role>` (positions, for hierarchy checks).
    GetRoles {
        /// Guild.
        guild_id: Id<GuildMarker>,
    },
    /// Reads a channel → `Channel`.
    GetChannel {
        /// Channel.
        channel_id: Id<ChannelMarker>,
    },
    /// Reads up to 100 messages, newest first → `Vec<Message>`.
    GetMessages {
        /// Channel.
        channel_id: Id<ChannelMarker>,
        /// 1 to 100.
        limit: u16,
        /// Only messages before this one (to page backwards).
        #[serde(default)]
        before: Option<Id<MessageMarker>>,
    },
    /// Deletes messages (bulk: younger than 14 days, 2 to 100; one is deleted singly) → `null`.
    DeleteMessages {
        /// Channel.
        channel_id: Id<ChannelMarker>,
        /// Messages.
        message_ids: Vec<Id<MessageMarker>>,
    },
    /// Posts a message with one text file attached (a ticket transcript) → `Message`.
    SendFile {
        /// Where.
        channel_id: Id<ChannelMarker>,
        /// The message (`ephemeral` is ignored).
        message: Reply,
        /// File name, e.g. `ticket-42.txt`.
        file_name: String,
        /// File content.
        content: String,
    },
    /// Adds a reaction by the bot (a unicode emoji, or `name:id` for a custom one) → `null`.
    AddReaction {
        /// The message.
        target: MessageRef,
        /// The emoji.
        emoji: String,
    },
    /// Creates a guild channel → `Channel`. `kind`: 0 text, 2 voice, 4 category.
    CreateChannel {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// Name.
        name: String,
        /// Discord channel type.
        #[serde(default)]
        kind: u8,
        /// Category to put it in.
        #[serde(default)]
        parent_id: Option<Id<ChannelMarker>>,
        /// Topic.
        #[serde(default)]
        topic: Option<String>,
        /// Who may see and do what.
        #[serde(default)]
        permission_overwrites: Vec<PermissionOverwrite>,
    },
    /// Changes a channel → `Channel`.
    UpdateChannel {
        /// Channel.
        channel_id: Id<ChannelMarker>,
        /// New name.
        #[serde(default)]
        name: Option<String>,
        /// New topic.
        #[serde(default)]
        topic: Option<String>,
        /// New category.
        #[serde(default)]
        parent_id: Option<Id<ChannelMarker>>,
        /// Replaces every overwrite.
        #[serde(default)]
        permission_overwrites: Option<Vec<PermissionOverwrite>>,
    },
    /// Sets one permission overwrite on a channel (add a member to a ticket) → `null`.
    SetPermissionOverwrite {
        /// Channel.
        channel_id: Id<ChannelMarker>,
        /// The overwrite.
        overwrite: PermissionOverwrite,
    },
    /// Removes the overwrite of a member or role → `null`.
    DeletePermissionOverwrite {
        /// Channel.
        channel_id: Id<ChannelMarker>,
        /// Member or role id.
        target_id: u64,
    },
    /// Deletes a channel or thread → `Channel`.
    DeleteChannel {
        /// Channel.
        channel_id: Id<ChannelMarker>,
        /// Shown in the audit log.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Starts a thread in a channel → `Channel`; private threads only admit invited members.
    CreateThread {
        /// Parent channel.
        channel_id: Id<ChannelMarker>,
        /// Name.
        name: String,
        /// Private thread.
        #[serde(default)]
        private: bool,
    },
    /// Adds a member to a thread → `null`.
    AddThreadMember {
        /// Thread.
        channel_id: Id<ChannelMarker>,
        /// Member.
        user_id: Id<UserMarker>,
    },
    /// Times a member out until a moment (Discord allows up to 28 days), or lifts it → `Member`.
    TimeoutMember {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// Member.
        user_id: Id<UserMarker>,
        /// End of the timeout in Unix seconds; `None` lifts it.
        until_unix_secs: Option<i64>,
        /// Shown in the audit log.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Kicks a member → `null`.
    KickMember {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// Member.
        user_id: Id<UserMarker>,
        /// Shown in the audit log.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Bans a user, deleting their recent messages → `null`.
    BanMember {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// User.
        user_id: Id<UserMarker>,
        /// Seconds of messages to delete, 0 to 604800 (7 days).
        #[serde(default)]
        delete_message_seconds: u32,
        /// Shown in the audit log.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Lifts a ban → `null`.
    UnbanMember {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// User.
        user_id: Id<UserMarker>,
        /// Shown in the audit log.
        #[serde(default)]
        reason: Option<String>,
    },
    // --- Native AutoMod and raid protection (automod) ---
    /// Lists a server's AutoMod rules → `Vec<AutoModerationRule>` (needs Manage Server).
    ListAutoModRules {
        /// Guild.
        guild_id: Id<GuildMarker>,
    },
    /// Creates an AutoMod rule → `AutoModerationRule` (needs Manage Server; Discord allows 6
    /// keyword rules and one of each other kind per server).
    CreateAutoModRule {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// The rule.
        rule: AutoModRule,
    },
    /// Replaces an AutoMod rule's settings (its trigger kind stays) → `AutoModerationRule`.
    UpdateAutoModRule {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// Which rule.
        rule_id: Id<AutoModerationRuleMarker>,
        /// Its new settings.
        rule: AutoModRule,
    },
    /// Deletes an AutoMod rule → `null`.
    DeleteAutoModRule {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// Which rule.
        rule_id: Id<AutoModerationRuleMarker>,
    },
    /// Pauses invites and/or direct messages between members until a moment (Discord's
    /// incident actions, at most 24 hours ahead), or lifts a pause with `None` → `{
    /// "invites_disabled_until", "dms_disabled_until" }`.
    SetIncidentActions {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// End of the invite pause, Unix seconds; `None` lifts it.
        invites_disabled_until_unix_secs: Option<i64>,
        /// End of the DM pause, Unix seconds; `None` lifts it.
        #[serde(default)]
        dms_disabled_until_unix_secs: Option<i64>,
    },
    /// Sets a server's verification level (0 none … 4 very high) → `Guild`.
    SetVerificationLevel {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// 0 to 4.
        level: u8,
        /// Shown in the audit log.
        #[serde(default)]
        reason: Option<String>,
    },
    // Reaction roles (`host/src/discord/actions/reactions.rs`).
    /// Reads one message → `Message`; its `reactions` tell which ones the bot added (`me`).
    GetMessage {
        /// Which.
        target: MessageRef,
    },
    /// Removes a member's reaction (Manage Messages), as [`DiscordRequest::AddReaction`] names
    /// the emoji → `null`.
    RemoveReaction {
        /// The message.
        target: MessageRef,
        /// The emoji.
        emoji: String,
        /// Whose reaction.
        user_id: Id<UserMarker>,
    },
    // --- webhooks (logs) ---
    /// Creates a webhook in a channel (needs Manage Webhooks) → `Webhook` (with its `token`).
    CreateWebhook {
        /// Channel.
        channel_id: Id<ChannelMarker>,
        /// The webhook's name (1 to 80 characters), shown as the author of its messages.
        name: String,
    },
    /// Posts a message through a webhook, waiting for it → `Message`. Components are not
    /// allowed (Discord accepts them only on application-owned webhooks).
    ExecuteWebhook {
        /// The webhook.
        webhook_id: Id<WebhookMarker>,
        /// Its token (from `CreateWebhook`).
        token: String,
        /// What (`ephemeral` and components are ignored).
        message: Reply,
        /// A text file to attach.
        #[serde(default)]
        file: Option<TextFile>,
    },
    // --- voice hub (`host/src/discord/actions/voice.rs`) ---
    /// Creates a voice channel → `Channel`.
    CreateVoiceChannel {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// Name (1 to 100 characters).
        name: String,
        /// Category to put it in.
        #[serde(default)]
        parent_id: Option<Id<ChannelMarker>>,
        /// Most members connected at once, 0 to 99 (0: no limit).
        #[serde(default)]
        user_limit: u16,
        /// Who may see and join it.
        #[serde(default)]
        permission_overwrites: Vec<PermissionOverwrite>,
    },
    /// Changes a voice channel → `Channel`. Discord allows two name changes per channel every
    /// ten minutes; a third answers 429.
    UpdateVoiceChannel {
        /// Channel.
        channel_id: Id<ChannelMarker>,
        /// New name.
        #[serde(default)]
        name: Option<String>,
        /// New member limit, 0 to 99 (0: no limit).
        #[serde(default)]
        user_limit: Option<u16>,
        /// Replaces every overwrite.
        #[serde(default)]
        permission_overwrites: Option<Vec<PermissionOverwrite>>,
    },
    /// Moves a member connected to voice into another voice channel of the guild, or
    /// disconnects them with `None` (needs Move Members) → `Member`. Discord answers 400 with
    /// code 40032 when the member is not connected.
    MoveMember {
        /// Guild.
        guild_id: Id<GuildMarker>,
        /// Member.
        user_id: Id<UserMarker>,
        /// Where to; `None` disconnects.
        channel_id: Option<Id<ChannelMarker>>,
    },
    /// Who is connected to which voice channel of a guild, as the host's gateway cache knows
    /// it now → `null` while the guild is not available yet (before its GUILD_CREATE), else
    /// `[{ "user_id", "channel_id" }]`.
    GetVoiceStates {
        /// Guild.
        guild_id: Id<GuildMarker>,
    },
    // welcome
    /// Reads a guild with its approximate member count → `Guild` with
    /// `approximate_member_count` (a greeting's `{count}`).
    GetGuildWithCounts {
        /// Guild.
        guild_id: Id<GuildMarker>,
    },
    // suggestions
    /// Starts a public thread on a message (its discussion thread, with the message's id) →
    /// `Channel`. Discord refuses a second thread on the same message (160004).
    CreateThreadFromMessage {
        /// The message the thread hangs from.
        target: MessageRef,
        /// Name (1 to 100 characters).
        name: String,
    },
    /// Archives a thread (and locks it, so only moderators can open it again), or opens it
    /// again → `Channel`. The bot needs Manage Threads unless it started the thread, and always
    /// to lock or unlock.
    SetThreadArchived {
        /// The thread.
        thread_id: Id<ChannelMarker>,
        /// Archived (`true`) or open again.
        archived: bool,
        /// Locked: members cannot unarchive it by writing.
        #[serde(default)]
        locked: bool,
    },
}
