//! Voice actions, for the voice hub: creating and changing voice channels (member limit, name,
//! overwrites), moving or disconnecting a member (`PATCH /guilds/{g}/members/{u}` with
//! `channel_id`), and reading who is connected where from the gateway cache (Discord has no REST
//! route for a guild's voice states; the cache holds them from GUILD_CREATE and
//! VOICE_STATE_UPDATE).

use arsenal_plugin_api::{
    abi::AbiError,
    protocol::{DiscordRequest, VoiceConnection},
};
use twilight_cache_inmemory::DefaultInMemoryCache;
use twilight_http::Client;
use twilight_model::{
    channel::ChannelType,
    id::{marker::GuildMarker, Id},
};

use super::{failed, model, unsupported};

/// Runs one of the voice REST actions; any other request is refused as unsupported.
pub(super) async fn execute(http: &Client, request: DiscordRequest) -> Result<String, AbiError> {
    match request {
        DiscordRequest::CreateVoiceChannel {
            guild_id,
            name,
            parent_id,
            user_limit,
            permission_overwrites,
        } => {
            let mut builder = http
                .create_guild_channel(guild_id, &name)
                .kind(ChannelType::GuildVoice)
                .permission_overwrites(&permission_overwrites);
            if user_limit > 0 {
                builder = builder.user_limit(user_limit);
            }
            if let Some(parent) = parent_id {
                builder = builder.parent_id(parent);
            }
            model(builder.await).await
        }
        DiscordRequest::UpdateVoiceChannel {
            channel_id,
            name,
            user_limit,
            permission_overwrites,
        } => {
            let mut builder = http.update_channel(channel_id);
            if let Some(name) = name.as_deref() {
                builder = builder.name(name);
            }
            if let Some(limit) = user_limit {
                builder = builder.user_limit(limit);
            }
            if let Some(overwrites) = permission_overwrites.as_deref() {
                builder = builder.permission_overwrites(overwrites);
            }
            model(builder.await).await
        }
        DiscordRequest::MoveMember {
            guild_id,
            user_id,
            channel_id,
        } => {
            model(
                http.update_guild_member(guild_id, user_id)
                    .channel_id(channel_id)
                    .await,
            )
            .await
        }
        other => Err(unsupported(&other)),
    }
}

/// The answer to [`DiscordRequest::GetVoiceStates`]: `null` while the cache has not received
/// the guild (before its GUILD_CREATE: the module must not take "nobody" for an answer then),
/// else every member connected to one of its voice channels.
///
/// # Errors
///
/// Only if the answer cannot be written as JSON.
pub fn voice_states(
    cache: &DefaultInMemoryCache,
    guild: Id<GuildMarker>,
) -> Result<String, AbiError> {
    let connected: Option<Vec<VoiceConnection>> = cache.guild(guild).map(|_| {
        let users: Vec<_> = cache
            .guild_voice_states(guild)
            .map(|users| users.value().iter().copied().collect())
            .unwrap_or_default();
        users
            .into_iter()
            .filter_map(|user| {
                let state = cache.voice_state(user, guild)?;
                Some(VoiceConnection {
                    user_id: user,
                    channel_id: state.channel_id(),
                    bot: cache.user(user).is_some_and(|u| u.bot),
                })
            })
            .collect()
    });
    serde_json::to_string(&connected).map_err(|e| failed(&e))
}
