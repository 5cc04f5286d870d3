//! One server's command never reaches into another server: the channels and roles a command
//! receives, and the channels and servers a module's Discord actions target while it answers
//! that command, must belong to the server the command was used in.
//!
//! Ids are resolved against the host's guild cache (every channel and role of every server the
//! bot is in arrives with GUILD_CREATE and stays current through the gateway); a channel or
//! role the cache does not know yet (created a moment ago, before its event arrived) is looked
//! up once over REST.
//!
//! Users are global on Discord, so user ids are not checked: banning someone by id before they
//! join is legitimate, and every member action (roles, timeouts, kicks, bans) names its server
//! in its route, which is checked. Messages are always addressed through their channel, which
//! is checked; a message id alone reaches nothing. A webhook is checked by the channel it
//! posts in, read from Discord with its token.

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    protocol::{ArgValue, CommandInvocation, DiscordRequest},
};
use twilight_cache_inmemory::DefaultInMemoryCache;
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, RoleMarker, WebhookMarker},
    Id,
};

use super::actions::describe_http_error;

/// Checks that every channel and role argument of `invocation` belongs to the server it was
/// used in. The error is the refusal for the user, naming the option.
///
/// # Errors
///
/// The first argument from another server (or, in a direct message, from any server), or one
/// Discord does not know.
pub async fn check_arguments(
    cache: &DefaultInMemoryCache,
    http: &twilight_http::Client,
    invocation: &CommandInvocation,
) -> Result<(), String> {
    let here = invocation.invoker.guild_id;
    let tr = crate::builtin::texts::host_tr(&invocation.invoker);
    // `what`: `channel` or `role`.
    let refuse = |option: &str, what: &str| {
        let key = match (here, what) {
            (Some(_), "role") => "host-scope-role-elsewhere",
            (Some(_), _) => "host-scope-channel-elsewhere",
            (None, "role") => "host-scope-role-dm",
            (None, _) => "host-scope-channel-dm",
        };
        Err(arsenal_plugin_api::tr!(tr, key, option = option))
    };
    for arg in &invocation.args {
        match &arg.value {
            ArgValue::Channel(channel) => {
                let owner = match cached_channel_guild(cache, *channel) {
                    Some(owner) => owner,
                    None => fetch_channel_guild(http, *channel).await.ok().flatten(),
                };
                if here.is_none() || owner != here {
                    return refuse(&arg.name, "channel");
                }
            }
            ArgValue::Role(role) if !role_is_in(cache, http, *role, here).await => {
                return refuse(&arg.name, "role");
            }
            // A mentionable is a user (global) or a role: only a role the cache places in
            // another server is refused (a user id is no role anywhere).
            ArgValue::Mentionable(id) => {
                let Some(role) = Id::<RoleMarker>::new_checked(*id) else {
                    continue;
                };
                if let Some(guild) = role_guild(cache, role) {
                    if here != Some(guild) {
                        return refuse(&arg.name, "role");
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `role` is one of `guild`'s: from the cache, or for a role the cache does not know
/// yet (created a moment ago), from the server's role list.
async fn role_is_in(
    cache: &DefaultInMemoryCache,
    http: &twilight_http::Client,
    role: Id<RoleMarker>,
    guild: Option<Id<GuildMarker>>,
) -> bool {
    let Some(guild) = guild else {
        return false;
    };
    if let Some(owner) = role_guild(cache, role) {
        return owner == guild;
    }
    match http.roles(guild).await {
        Ok(response) => response
            .models()
            .await
            .is_ok_and(|roles| roles.iter().any(|r| r.id == role)),
        Err(e) => {
            tracing::warn!(
                "listing the roles of server {guild} failed: {}",
                describe_http_error(&e)
            );
            false
        }
    }
}

/// The server of a channel the cache does not know, over REST (`None` for a DM channel).
async fn fetch_channel_guild(
    http: &twilight_http::Client,
    channel: Id<ChannelMarker>,
) -> Result<Option<Id<GuildMarker>>, AbiError> {
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
    Ok(found.guild_id)
}

/// Checks that `request`, made by a module while it answers a command, button or form used in
/// server `guild`, stays in that server; `guild` is `None` for one used in a direct message,
/// whose actions may reach no server (only direct-message channels).
///
/// # Errors
///
/// An [`ErrorCode::Forbidden`] error the module gets back (and can show), naming what is
/// outside the server; a channel that cannot be found at all is an [`ErrorCode::Discord`] one.
pub async fn check_request(
    cache: &DefaultInMemoryCache,
    http: &twilight_http::Client,
    guild: Option<Id<GuildMarker>>,
    request: &DiscordRequest,
) -> Result<(), AbiError> {
    let (guilds, mut channels) = targets(request);
    if let DiscordRequest::ExecuteWebhook {
        webhook_id, token, ..
    } = request
    {
        channels.push(webhook_channel(http, *webhook_id, token).await?);
    }
    for target in guilds {
        if Some(target) != guild {
            return Err(forbidden(&format!("server {target}"), guild));
        }
    }
    for channel in channels {
        let owner = match cached_channel_guild(cache, channel) {
            Some(owner) => owner,
            None => fetch_channel_guild(http, channel).await?,
        };
        if owner != guild {
            return Err(forbidden(&format!("channel {channel}"), guild));
        }
    }
    Ok(())
}

fn forbidden(what: &str, guild: Option<Id<GuildMarker>>) -> AbiError {
    let message = match guild {
        Some(guild) => format!(
            "{what} is not in the server this was used in ({guild}): while answering a member, a module may only act in that member's server"
        ),
        None => format!(
            "{what} is in a server, and this was used in a direct message: while answering a direct message, a module may act in no server"
        ),
    };
    AbiError::new(ErrorCode::Forbidden, message)
}

/// The servers and channels `request` acts on (users are global: see the module docs).
fn targets(request: &DiscordRequest) -> (Vec<Id<GuildMarker>>, Vec<Id<ChannelMarker>>) {
    use DiscordRequest as R;
    if let Some((guild, channels)) = super::actions::automod_targets(request) {
        return (vec![guild], channels);
    }
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
        | R::AddThreadMember { channel_id, .. }
        | R::CreateWebhook { channel_id, .. } => (Vec::new(), vec![*channel_id]),
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
        | R::AddReaction { target, .. }
        | R::RemoveReaction { target, .. }
        | R::GetMessage { target } => (Vec::new(), vec![target.channel_id]),
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
        // welcome
        R::GetGuildWithCounts { guild_id } => (vec![*guild_id], Vec::new()),
        // suggestions
        R::CreateThreadFromMessage { target, .. } => (Vec::new(), vec![target.channel_id]),
        R::SetThreadArchived { thread_id, .. } => (Vec::new(), vec![*thread_id]),
        // voice hub
        R::CreateVoiceChannel {
            guild_id,
            parent_id,
            ..
        } => (vec![*guild_id], parent_id.iter().copied().collect()),
        R::UpdateVoiceChannel { channel_id, .. } => (Vec::new(), vec![*channel_id]),
        R::MoveMember {
            guild_id,
            channel_id,
            ..
        } => (vec![*guild_id], channel_id.iter().copied().collect()),
        R::GetVoiceStates { guild_id } => (vec![*guild_id], Vec::new()),
        // Direct messages go to a user (global); the bot user is no server's. Requests this
        // host does not know are refused by `actions::execute` anyway.
        _ => (Vec::new(), Vec::new()),
    }
}

/// The channel a webhook posts in, read with its token (a webhook id alone says nothing of
/// where it posts).
async fn webhook_channel(
    http: &twilight_http::Client,
    webhook: Id<WebhookMarker>,
    token: &str,
) -> Result<Id<ChannelMarker>, AbiError> {
    let found = http
        .webhook(webhook)
        .token(token)
        .await
        .map_err(|e| {
            AbiError::new(
                ErrorCode::Discord,
                format!(
                    "webhook {webhook} could not be found: {}",
                    describe_http_error(&e)
                ),
            )
        })?
        .model()
        .await
        .map_err(|e| {
            AbiError::new(
                ErrorCode::Failed,
                format!("reading webhook {webhook} failed: {e}"),
            )
        })?;
    found.channel_id.ok_or_else(|| {
        AbiError::new(
            ErrorCode::Forbidden,
            format!("webhook {webhook} posts in no channel"),
        )
    })
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

#[cfg(test)]
mod reaction_targets {
    use arsenal_plugin_api::protocol::MessageRef;

    use super::*;

    #[test]
    fn reading_a_message_and_removing_a_reaction_act_in_the_messages_channel() {
        let target = MessageRef {
            channel_id: Id::new(7),
            message_id: Id::new(8),
        };
        for request in [
            DiscordRequest::GetMessage { target },
            DiscordRequest::RemoveReaction {
                target,
                emoji: "🎮".to_owned(),
                user_id: Id::new(9),
            },
        ] {
            assert_eq!(
                targets(&request),
                (Vec::new(), vec![Id::new(7)]),
                "{request:?}"
            );
        }
    }
}
