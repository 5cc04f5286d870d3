//! What the module reads from Discord, as small typed views of Discord's JSON (only the fields
//! it uses, so a field Discord adds or the host leaves out never breaks a read).

use arsenal_plugin_api::{
    model::id::{
        marker::{ChannelMarker, GuildMarker, MessageMarker, RoleMarker, UserMarker},
        Id,
    },
    protocol::{discord_code, DiscordRequest},
    Context, Error, Result,
};
use serde::Deserialize;

/// Discord's "Unknown Member" / "Unknown User" / "Unknown Ban" codes.
const UNKNOWN_CODES: [u64; 3] = [
    discord_code::UNKNOWN_MEMBER,
    discord_code::UNKNOWN_USER,
    discord_code::UNKNOWN_BAN,
];

#[derive(Debug, Clone, Deserialize)]
pub struct UserView {
    pub id: Id<UserMarker>,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub global_name: Option<String>,
}

impl UserView {
    /// The name people see.
    #[must_use]
    pub fn display(&self) -> &str {
        self.global_name.as_deref().unwrap_or(&self.username)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct MemberView {
    pub user: UserView,
    #[serde(default)]
    pub roles: Vec<Id<RoleMarker>>,
    #[serde(default)]
    pub communication_disabled_until: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RoleView {
    pub id: Id<RoleMarker>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub position: i64,
    /// Permission bits as Discord's decimal string.
    #[serde(default)]
    pub permissions: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GuildView {
    pub id: Id<GuildMarker>,
    #[serde(default)]
    pub name: String,
    pub owner_id: Id<UserMarker>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MessageView {
    pub id: Id<MessageMarker>,
    pub author: UserView,
    #[serde(default)]
    pub pinned: bool,
}

/// Runs one Discord action.
///
/// # Errors
///
/// Discord's refusal, readable.
pub fn run<T: serde::de::DeserializeOwned>(ctx: &Context, request: &DiscordRequest) -> Result<T> {
    ctx.discord().execute(request)
}

/// Runs an action whose answer does not matter.
///
/// # Errors
///
/// Discord's refusal, readable.
pub fn act(ctx: &Context, request: &DiscordRequest) -> Result<()> {
    run::<serde_json::Value>(ctx, request).map(drop)
}

/// Whether Discord answered "unknown member/user/ban".
#[must_use]
pub fn is_unknown(error: &Error) -> bool {
    error.is_discord_code(&UNKNOWN_CODES)
}

/// The member, or `None` when they are not in the guild.
///
/// # Errors
///
/// Any other refusal.
pub fn member(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
) -> Result<Option<MemberView>> {
    match run(
        ctx,
        &DiscordRequest::GetMember {
            guild_id: guild,
            user_id: user,
        },
    ) {
        Ok(member) => Ok(Some(member)),
        Err(e) if is_unknown(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The guild (name, owner).
///
/// # Errors
///
/// Discord's refusal.
pub fn guild(ctx: &Context, guild: Id<GuildMarker>) -> Result<GuildView> {
    run(ctx, &DiscordRequest::GetGuild { guild_id: guild })
}

/// The guild's roles.
///
/// # Errors
///
/// Discord's refusal.
pub fn roles(ctx: &Context, guild: Id<GuildMarker>) -> Result<Vec<RoleView>> {
    run(ctx, &DiscordRequest::GetRoles { guild_id: guild })
}

/// The bot's own user id.
///
/// # Errors
///
/// Discord's refusal.
pub fn bot_id(ctx: &Context) -> Result<Id<UserMarker>> {
    run::<UserView>(ctx, &DiscordRequest::GetBotUser).map(|u| u.id)
}

/// Up to `limit` of the channel's newest messages.
///
/// # Errors
///
/// Discord's refusal.
pub fn messages(ctx: &Context, channel: Id<ChannelMarker>, limit: u16) -> Result<Vec<MessageView>> {
    run(
        ctx,
        &DiscordRequest::GetMessages {
            channel_id: channel,
            limit,
            before: None,
        },
    )
}

/// When a message was created, from its snowflake (ms since the Unix epoch).
#[must_use]
pub fn snowflake_ms(id: u64) -> u64 {
    (id >> 22) + 1_420_070_400_000
}
