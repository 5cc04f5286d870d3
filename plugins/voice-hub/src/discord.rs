//! Thin typed wrappers over the host's Discord actions, and the permission overwrites a room's
//! state stands for.

use arsenal_plugin_api::{
    model::{
        channel::permission_overwrite::{PermissionOverwrite, PermissionOverwriteType},
        guild::Permissions,
        id::{
            marker::{ChannelMarker, GuildMarker, MessageMarker, UserMarker},
            Id,
        },
    },
    protocol::{discord_code, DiscordRequest, VoiceConnection},
    Context, Error, Reply, Result,
};
use serde::{de::DeserializeOwned, Deserialize};

use crate::model::{Room, BOT_KEY};

/// Discord's code for "Target user is not connected to voice".
pub const NOT_CONNECTED: u64 = 40032;

/// The id of something Discord created or read (a channel, a message, the bot user).
#[derive(Debug, Deserialize)]
#[serde(bound = "")]
pub struct Created<M> {
    pub id: Id<M>,
}

/// A channel as far as the module reads one.
#[derive(Debug, Deserialize)]
pub struct ChannelInfo {
    #[serde(default)]
    pub parent_id: Option<Id<ChannelMarker>>,
}

/// Runs `request`; a failure says `what` was attempted and Discord's reason.
///
/// # Errors
///
/// Discord's refusal, prefixed with `what`.
pub fn run<T: DeserializeOwned>(ctx: &Context, request: &DiscordRequest, what: &str) -> Result<T> {
    ctx.discord().execute(request).map_err(|e| e.context(what))
}

/// Runs a request whose answer is not needed.
///
/// # Errors
///
/// As [`run`].
pub fn act(ctx: &Context, request: &DiscordRequest, what: &str) -> Result<()> {
    run::<serde_json::Value>(ctx, request, what).map(drop)
}

/// Whether Discord said the channel does not exist (any more).
#[must_use]
pub fn is_gone(error: &Error) -> bool {
    error.is_discord_code(&[discord_code::UNKNOWN_CHANNEL])
}

/// Whether Discord refused a move because the member left voice meanwhile.
#[must_use]
pub fn not_connected(error: &Error) -> bool {
    error.is_discord_code(&[NOT_CONNECTED])
}

/// The bot's user id, read once and kept in the store.
///
/// # Errors
///
/// The store or the host failed.
pub fn bot_id(ctx: &Context) -> Result<Id<UserMarker>> {
    if let Some(id) = ctx.store().get::<Id<UserMarker>>(BOT_KEY)? {
        return Ok(id);
    }
    let user: Created<UserMarker> = run(ctx, &DiscordRequest::GetBotUser, "reading the bot user")?;
    ctx.store().set(BOT_KEY, &user.id)?;
    Ok(user.id)
}

/// Who is connected where in `guild`, or `None` while the host has not received the guild.
///
/// # Errors
///
/// The host could not answer (not connected to Discord yet).
pub fn voice_states(ctx: &Context, guild: Id<GuildMarker>) -> Result<Option<Vec<VoiceConnection>>> {
    run(
        ctx,
        &DiscordRequest::GetVoiceStates { guild_id: guild },
        "reading the voice states",
    )
}

/// Moves `user` to `channel`, or disconnects them with `None`.
///
/// # Errors
///
/// Discord's refusal (40032 when they are not in voice, 50013 without Move Members).
pub fn move_member(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
    channel: Option<Id<ChannelMarker>>,
    what: &str,
) -> Result<()> {
    act(
        ctx,
        &DiscordRequest::MoveMember {
            guild_id: guild,
            user_id: user,
            channel_id: channel,
        },
        what,
    )
}

/// Posts `message` in `channel` (a voice channel's text chat too) and returns its id.
///
/// # Errors
///
/// As [`run`].
pub fn send(
    ctx: &Context,
    channel: Id<ChannelMarker>,
    message: Reply,
    what: &str,
) -> Result<Id<MessageMarker>> {
    let created: Created<MessageMarker> = run(
        ctx,
        &DiscordRequest::SendMessage {
            channel_id: channel,
            message,
        },
        what,
    )?;
    Ok(created.id)
}

/// What the owner and permitted members may do in a private room.
const MEMBER_ALLOW: Permissions = Permissions::VIEW_CHANNEL.union(Permissions::CONNECT);
/// What the bot keeps in a private room, so it can still move members and delete it.
const BOT_ALLOW: Permissions = MEMBER_ALLOW
    .union(Permissions::MANAGE_CHANNELS)
    .union(Permissions::MOVE_MEMBERS);

fn overwrite(
    id: u64,
    kind: PermissionOverwriteType,
    allow: Permissions,
    deny: Permissions,
) -> Option<PermissionOverwrite> {
    Some(PermissionOverwrite {
        allow,
        deny,
        id: Id::new_checked(id)?,
        kind,
    })
}

/// The overwrites `room` stands for: a locked room denies @everyone Connect, a hidden one
/// View Channel; then the owner, permitted members and the bot are let in; kicked members are
/// denied Connect. A public room without kicks has none (it follows its category).
#[must_use]
pub fn overwrites(room: &Room, bot: Id<UserMarker>) -> Vec<PermissionOverwrite> {
    let mut everyone_deny = Permissions::empty();
    if room.locked {
        everyone_deny |= Permissions::CONNECT;
    }
    if room.hidden {
        everyone_deny |= Permissions::VIEW_CHANNEL;
    }
    let member = PermissionOverwriteType::Member;
    let mut list = Vec::new();
    if !everyone_deny.is_empty() {
        list.extend(overwrite(
            room.guild_id.get(),
            PermissionOverwriteType::Role,
            Permissions::empty(),
            everyone_deny,
        ));
        list.extend(overwrite(
            bot.get(),
            member,
            BOT_ALLOW,
            Permissions::empty(),
        ));
        list.extend(overwrite(
            room.owner.get(),
            member,
            MEMBER_ALLOW,
            Permissions::empty(),
        ));
        for user in room
            .permitted
            .iter()
            .filter(|u| **u != room.owner && **u != bot)
        {
            list.extend(overwrite(
                user.get(),
                member,
                MEMBER_ALLOW,
                Permissions::empty(),
            ));
        }
    }
    for user in room
        .kicked
        .iter()
        .filter(|u| **u != room.owner && **u != bot)
    {
        list.extend(overwrite(
            user.get(),
            member,
            Permissions::empty(),
            Permissions::CONNECT,
        ));
    }
    list
}

/// Writes `room`'s overwrites to its channel.
///
/// # Errors
///
/// Discord's refusal (the bot needs Manage Roles, and the permissions it grants).
pub fn apply_overwrites(ctx: &Context, room: &Room, what: &str) -> Result<()> {
    let bot = bot_id(ctx)?;
    act(
        ctx,
        &DiscordRequest::UpdateVoiceChannel {
            channel_id: room.channel_id,
            name: None,
            user_limit: None,
            permission_overwrites: Some(overwrites(room, bot)),
        },
        what,
    )
}
