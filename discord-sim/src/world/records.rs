//! The records the world is made of. Plain data keyed by raw snowflakes; behaviour lives in
//! the sibling modules.

use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub(crate) struct AppInfo {
    pub id: u64,
    pub name: String,
    pub owner_id: u64,
    /// Team members (user ids); the first is the team owner. Empty: the app has a single owner.
    pub team: Vec<u64>,
}

#[derive(Clone, Debug)]
pub(crate) struct UserRecord {
    pub id: u64,
    pub username: String,
    pub global_name: Option<String>,
    pub bot: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct RoleRecord {
    pub id: u64,
    pub name: String,
    pub permissions: u64,
    pub position: i64,
    pub color: u32,
    pub hoist: bool,
    pub mentionable: bool,
    /// Managed by an integration (the bot's own role): cannot be assigned or deleted.
    pub bot_id: Option<u64>,
}

#[derive(Clone, Debug)]
pub(crate) struct MemberRecord {
    pub user_id: u64,
    pub nick: Option<String>,
    pub roles: Vec<u64>,
    pub joined_at_ms: u64,
    pub timeout_until_ms: Option<u64>,
    pub deaf: bool,
    pub mute: bool,
    /// Has not yet passed the server's membership screening (accepted its rules).
    pub pending: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct BanRecord {
    pub reason: Option<String>,
    pub delete_message_seconds: u64,
}

#[derive(Clone, Debug)]
pub(crate) struct VoiceRecord {
    pub channel_id: u64,
    pub session_id: String,
}

#[derive(Clone, Debug)]
pub(crate) struct GuildRecord {
    pub id: u64,
    pub name: String,
    pub owner_id: u64,
    pub roles: BTreeMap<u64, RoleRecord>,
    pub members: BTreeMap<u64, MemberRecord>,
    pub bans: BTreeMap<u64, BanRecord>,
    pub voice: BTreeMap<u64, VoiceRecord>,
    /// AutoMod rules, incident actions, verification level.
    pub safety: super::safety::GuildSafety,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Overwrite {
    pub id: u64,
    /// 0 = role, 1 = member.
    pub kind: u8,
    pub allow: u64,
    pub deny: u64,
}

#[derive(Clone, Debug)]
pub(crate) struct ChannelRecord {
    pub id: u64,
    pub guild_id: Option<u64>,
    pub kind: u8,
    pub name: Option<String>,
    pub position: i32,
    pub parent_id: Option<u64>,
    pub topic: Option<String>,
    pub nsfw: bool,
    pub rate_limit_per_user: u16,
    pub overwrites: Vec<Overwrite>,
    /// DM recipients (the non-bot side).
    pub recipients: Vec<u64>,
    /// Thread creator.
    pub owner_id: Option<u64>,
    pub archived: bool,
    pub locked: bool,
    pub auto_archive_duration: u16,
    pub last_message_id: Option<u64>,
    pub user_limit: u32,
    pub bitrate: u32,
}

impl ChannelRecord {
    pub(crate) fn new(id: u64, guild_id: Option<u64>, kind: u8, name: Option<String>) -> Self {
        Self {
            id,
            guild_id,
            kind,
            name,
            position: 0,
            parent_id: None,
            topic: None,
            nsfw: false,
            rate_limit_per_user: 0,
            overwrites: Vec::new(),
            recipients: Vec::new(),
            owner_id: None,
            archived: false,
            locked: false,
            auto_archive_duration: 1440,
            last_message_id: None,
            user_limit: 0,
            bitrate: 64_000,
        }
    }
}

/// A file uploaded with a message (multipart), kept with its bytes so tests can read transcripts.
#[derive(Clone, Debug)]
pub struct AttachmentRecord {
    pub id: u64,
    pub filename: String,
    pub content_type: Option<String>,
    pub description: Option<String>,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EmojiKey {
    pub id: Option<u64>,
    pub name: String,
    pub animated: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct ReactionRecord {
    pub emoji: EmojiKey,
    pub users: Vec<u64>,
}

#[derive(Clone, Debug)]
pub(crate) struct MessageRecord {
    pub id: u64,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
    pub author_id: u64,
    pub content: String,
    pub embeds: Vec<Value>,
    pub components: Vec<Value>,
    pub attachments: Vec<AttachmentRecord>,
    pub flags: u64,
    pub edited_ms: Option<u64>,
    pub kind: u8,
    pub reactions: Vec<ReactionRecord>,
    pub webhook_id: Option<u64>,
    pub interaction_metadata: Option<Value>,
    pub reference: Option<Value>,
    pub tts: bool,
    pub pinned: bool,
    pub mentions: Vec<u64>,
    pub mention_roles: Vec<u64>,
    pub mention_everyone: bool,
    /// Ephemeral interaction responses are seen only by the invoking user: never listed in the
    /// channel and never dispatched to the bot.
    pub ephemeral: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct InteractionRecord {
    pub id: u64,
    pub token: String,
    pub kind: u8,
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    pub user_id: u64,
    /// The message whose component was used (component interactions).
    pub message_id: Option<u64>,
    /// Callback body as the bot sent it (`{"type": .., "data": ..}`), once answered.
    pub callback: Option<Value>,
    pub original_message: Option<u64>,
    pub followups: Vec<u64>,
}
