//! One server's command never reaches into another server: the channels and roles a command
//! receives, and the channels and servers a module's Discord actions target while it answers
//! that command, must belong to the server the command was used in.
//!
//! Ids are resolved against the host's guild cache (every channel and role of every server the
//! bot is in arrives with GUILD_CREATE and stays current through the gateway); a channel the
//! cache does not know yet (created a moment ago, before its CHANNEL_CREATE arrived) is looked
//! up once over REST.
//!
//! Users are global on Discord, so user ids are not checked: banning someone by id before they
//! join is legitimate, and every member action (roles, timeouts, kicks, bans) names its server
//! in its route, which is checked. Messages are always addressed through their channel, which
//! is checked; a message id alone reaches nothing.

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    protocol::{ArgValue, CommandInvocation, DiscordRequest},
};
use twilight_cache_inmemory::DefaultInMemoryCache;
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, RoleMarker},
    Id,
};

use super::actions::describe_http_error;

/// Checks that every channel and role argument of `invocation` belongs to the server it was
/// used in. The error is the refusal for the user, naming the option.
///
/// # Errors
///
/// The first argument from another server (or, in a direct message, from any server).
pub fn check_arguments(
    cache: &DefaultInMemoryCache,
    invocation: &CommandInvocation,
) -> Result<(), String> {
    let here = invocation.invoker.guild_id;
    let elsewhere = |option: &str, what: &str| match here {
        Some(_) => Err(format!(
            "`{option}`: that {what} is not in this server. Pick one of this server's {what}s."
        )),
        None => Err(format!(
            "`{option}`: a {what} can only be given in its own server; use this command there."
        )),
    };
    for arg in &invocation.args {
        match &arg.value {
            ArgValue::Channel(channel) => {
                if cached_channel_guild(cache, *channel).flatten() != here || here.is_none() {
                    return elsewhere(&arg.name, "channel");
                }
            }
            ArgValue::Role(role) => {
                if role_guild(cache, *role) != here || here.is_none() {
                    return elsewhere(&arg.name, "role");
                }
            }
            // A mentionable is a user (global) or a role (checked).
            ArgValue::Mentionable(id) => {
                if let Some(role) = Id::<RoleMarker>::new_checked(*id) {
                    let guild = role_guild(cache, role);
                    if guild.is_some() && (guild != here || here.is_none()) {
                        return elsewhere(&arg.name, "role");
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Checks that `request`, made by module `plugin` while it answers a command, button or form
/// used in server `guild`, stays in that server.
///
/// # Errors
///
/// An [`ErrorCode::Forbidden`] error the module gets back (and can show), naming what is
/// outside the server; a channel that cannot be found at all is an [`ErrorCode::Discord`] one.
pub async fn check_request(
    cache: &DefaultInMemoryCache,
    http: &twilight_http::Client,
    guild: Id<GuildMarker>,
    request: &DiscordRequest,
) -> Result<(), AbiError> {
    let (guilds, channels) = targets(request);
    for target in guilds {
        if target != guild {
            return Err(forbidden(&format!("server {target}"), guild));
        }
    }
    for channel in channels {
        let owner = match cached_channel_guild(cache, channel) {
            Some(owner) => owner,
            None => {
                let found = http
                    .channel(channel)
                    .await
                    .map_err(|e| {
                        AbiError::new(
                            ErrorCode::Discord,
                            format!(
                                "channel {channel} could not be found: {}",
                                describe_http_error(&e)
                            ),
                        )
                    })?
                    .model()
                    .await
                    .map_err(|e| {
                        AbiError::new(
                            ErrorCode::Failed,
                            format!("reading channel {channel} failed: {e}"),
                        )
                    })?;
                found.guild_id
            }
        };
        if owner != Some(guild) {
            return Err(forbidden(&format!("channel {channel}"), guild));
        }
    }
    Ok(())
}

fn forbidden(what: &str, guild: Id<GuildMarker>) -> AbiError {
    AbiError::new(
        ErrorCode::Forbidden,
        format!(
            "{what} is not in the server this was used in ({guild}): while answering a member, a module may only act in that member's server"
        ),
    )
}

/// The servers and channels `request` acts on (users are global: see the module docs).
fn targets(request: &DiscordRequest) -> (Vec<Id<GuildMarker>>, Vec<Id<ChannelMarker>>) {
    use DiscordRequest as R;
    match request {
        R::SendMessage { channel_id, .. }
        | R::GetChannel { channel_id }
        | R::GetMessages { channel_id, .. }
        | R::DeleteMessages { channel_id, .. }
        | R::SendFile { channel_id, .. }
        | R::SetPermissionOverwrite { channel_id, .. }
        | R::DeletePermissionOverwrite { channel_id, .. }
        | R::DeleteChannel { channel_id, .. }
        | R::CreateThread { channel_id, .. }
        | R::AddThreadMember { channel_id, .. } => (Vec::new(), vec![*channel_id]),
        R::UpdateChannel {
            channel_id,
            parent_id,
            ..
        } => (
            Vec::new(),
            std::iter::once(*channel_id).chain(*parent_id).collect(),
        ),
        R::EditMessage { target, .. }
        | R::DeleteMessage { target }
        | R::AddReaction { target, .. } => (Vec::new(), vec![target.channel_id]),
        R::CreateChannel {
            guild_id,
            parent_id,
            ..
        } => (vec![*guild_id], parent_id.iter().copied().collect()),
        R::AddRole { guild_id, .. }
        | R::RemoveRole { guild_id, .. }
        | R::GetMember { guild_id, .. }
        | R::GetGuild { guild_id }
        | R::GetRoles { guild_id }
        | R::TimeoutMember { guild_id, .. }
        | R::KickMember { guild_id, .. }
        | R::BanMember { guild_id, .. }
        | R::UnbanMember { guild_id, .. } => (vec![*guild_id], Vec::new()),
        // Direct messages go to a user (global); the bot user is no server's. Requests this
        // host does not know are refused by `actions::execute` anyway.
        _ => (Vec::new(), Vec::new()),
    }
}

/// `Some(guild)` (`Some(None)` for a DM channel) when the cache knows `channel`.
fn cached_channel_guild(
    cache: &DefaultInMemoryCache,
    channel: Id<ChannelMarker>,
) -> Option<Option<Id<GuildMarker>>> {
    cache.channel(channel).map(|c| c.guild_id)
}

fn role_guild(cache: &DefaultInMemoryCache, role: Id<RoleMarker>) -> Option<Id<GuildMarker>> {
    cache.role(role).map(|r| r.guild_id())
}
