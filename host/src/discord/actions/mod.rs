//! Executes plugins' Discord actions with twilight-http: the one place that builds REST requests
//! for plugins. Discord's refusals come back as [`DiscordError`]s (status, Discord's numeric code
//! and message, and a readable line: missing permission, role hierarchy, closed DMs) that the
//! plugin matches on and can show to its user.

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    protocol::{DiscordError, DiscordRequest, Reply},
};
use twilight_http::{error::ErrorType, request::AuditLogReason, Client};
use twilight_model::{channel::ChannelType, util::Timestamp};

use super::respond::namespace_components;

mod automod;

pub(crate) use automod::targets as automod_targets;
mod guild;
mod reactions;
mod threads;
mod voice;
mod webhooks;

pub use voice::voice_states;

/// Runs `request` for plugin `plugin` and returns Discord's answer as JSON.
///
/// # Errors
///
/// Discord's refusal as an [`ErrorCode::Discord`] error holding a [`DiscordError`] as JSON; a
/// transport failure (no answer from Discord) as an [`ErrorCode::Failed`] one.
pub async fn execute(
    http: &Client,
    plugin: &str,
    request: DiscordRequest,
) -> Result<String, AbiError> {
    match request {
        DiscordRequest::SendMessage {
            channel_id,
            mut message,
        } => {
            let files =
                crate::discord::respond::attachments(std::mem::take(&mut message.attachments));
            send(http, plugin, channel_id, message, &files).await
        }
        DiscordRequest::EditMessage { target, message } => {
            let message = prepare(plugin, message);
            let builder = http
                .update_message(target.channel_id, target.message_id)
                .content(message.content.as_deref())
                .embeds(Some(&message.embeds))
                .components(Some(&message.components));
            model(builder.await).await
        }
        DiscordRequest::DeleteMessage { target } => empty(
            http.delete_message(target.channel_id, target.message_id)
                .await,
        ),
        DiscordRequest::SendDirectMessage { user_id, message } => {
            let channel = http.create_private_channel(user_id).await.map_err(error)?;
            let channel = channel.model().await.map_err(|e| failed(&e))?;
            send(http, plugin, channel.id, message, &[]).await
        }
        DiscordRequest::AddRole {
            guild_id,
            user_id,
            role_id,
            reason,
        } => {
            let mut builder = http.add_guild_member_role(guild_id, user_id, role_id);
            if let Some(reason) = reason.as_deref() {
                builder = builder.reason(reason);
            }
            empty(builder.await)
        }
        DiscordRequest::RemoveRole {
            guild_id,
            user_id,
            role_id,
            reason,
        } => {
            let mut builder = http.remove_guild_member_role(guild_id, user_id, role_id);
            if let Some(reason) = reason.as_deref() {
                builder = builder.reason(reason);
            }
            empty(builder.await)
        }
        DiscordRequest::GetMember { guild_id, user_id } => {
            model(http.guild_member(guild_id, user_id).await).await
        }
        DiscordRequest::GetBotUser => model(http.current_user().await).await,
        DiscordRequest::GetGuild { guild_id } => model(http.guild(guild_id).await).await,
        DiscordRequest::GetRoles { guild_id } => model(http.roles(guild_id).await).await,
        DiscordRequest::GetChannel { channel_id } => model(http.channel(channel_id).await).await,
        DiscordRequest::GetMessages {
            channel_id,
            limit,
            before,
        } => {
            let limit = limit.clamp(1, 100);
            match before {
                Some(before) => {
                    model(
                        http.channel_messages(channel_id)
                            .before(before)
                            .limit(limit)
                            .await,
                    )
                    .await
                }
                None => model(http.channel_messages(channel_id).limit(limit).await).await,
            }
        }
        DiscordRequest::DeleteMessages {
            channel_id,
            message_ids,
        } => match message_ids.as_slice() {
            [] => Ok("null".to_owned()),
            [one] => empty(http.delete_message(channel_id, *one).await),
            many => empty(http.delete_messages(channel_id, many).await),
        },
        DiscordRequest::SendFile {
            channel_id,
            message,
            file_name,
            content,
        } => {
            let file = twilight_model::http::attachment::Attachment::from_bytes(
                file_name,
                content.into_bytes(),
                0,
            );
            send(http, plugin, channel_id, message, &[file]).await
        }
        request @ (DiscordRequest::AddReaction { .. }
        | DiscordRequest::RemoveReaction { .. }
        | DiscordRequest::GetMessage { .. }) => reactions::execute(http, request).await,
        DiscordRequest::CreateChannel {
            guild_id,
            name,
            kind,
            parent_id,
            topic,
            permission_overwrites,
        } => {
            let mut builder = http
                .create_guild_channel(guild_id, &name)
                .kind(ChannelType::from(kind))
                .permission_overwrites(&permission_overwrites);
            if let Some(parent) = parent_id {
                builder = builder.parent_id(parent);
            }
            if let Some(topic) = topic.as_deref() {
                builder = builder.topic(topic);
            }
            model(builder.await).await
        }
        DiscordRequest::UpdateChannel {
            channel_id,
            name,
            topic,
            parent_id,
            permission_overwrites,
        } => {
            let mut builder = http.update_channel(channel_id);
            if let Some(name) = name.as_deref() {
                builder = builder.name(name);
            }
            if let Some(topic) = topic.as_deref() {
                builder = builder.topic(topic);
            }
            if let Some(parent) = parent_id {
                builder = builder.parent_id(Some(parent));
            }
            if let Some(overwrites) = permission_overwrites.as_deref() {
                builder = builder.permission_overwrites(overwrites);
            }
            model(builder.await).await
        }
        DiscordRequest::SetPermissionOverwrite {
            channel_id,
            overwrite,
        } => {
            // The single-overwrite route takes the request shape of an overwrite.
            let overwrite = twilight_model::http::permission_overwrite::PermissionOverwrite {
                allow: Some(overwrite.allow),
                deny: Some(overwrite.deny),
                id: overwrite.id,
                kind: match overwrite.kind {
                    twilight_model::channel::permission_overwrite::PermissionOverwriteType::Role => {
                        twilight_model::http::permission_overwrite::PermissionOverwriteType::Role
                    }
                    _ => twilight_model::http::permission_overwrite::PermissionOverwriteType::Member,
                },
            };
            empty(http.update_channel_permission(channel_id, &overwrite).await)
        }
        DiscordRequest::DeletePermissionOverwrite {
            channel_id,
            target_id,
        } => {
            let target = twilight_model::id::Id::new_checked(target_id)
                .ok_or_else(|| invalid("target id 0"))?;
            empty(
                http.delete_channel_permission(channel_id)
                    .member(target)
                    .await,
            )
        }
        DiscordRequest::DeleteChannel { channel_id, reason } => {
            let mut builder = http.delete_channel(channel_id);
            if let Some(reason) = reason.as_deref() {
                builder = builder.reason(reason);
            }
            model(builder.await).await
        }
        DiscordRequest::CreateThread {
            channel_id,
            name,
            private,
        } => {
            let kind = if private {
                ChannelType::PrivateThread
            } else {
                ChannelType::PublicThread
            };
            model(http.create_thread(channel_id, &name, kind).await).await
        }
        DiscordRequest::AddThreadMember {
            channel_id,
            user_id,
        } => empty(http.add_thread_member(channel_id, user_id).await),
        DiscordRequest::TimeoutMember {
            guild_id,
            user_id,
            until_unix_secs,
            reason,
        } => {
            let until = until_unix_secs
                .map(Timestamp::from_secs)
                .transpose()
                .map_err(|e| invalid(&format!("bad timeout end: {e}")))?;
            let mut builder = http
                .update_guild_member(guild_id, user_id)
                .communication_disabled_until(until);
            if let Some(reason) = reason.as_deref() {
                builder = builder.reason(reason);
            }
            model(builder.await).await
        }
        DiscordRequest::KickMember {
            guild_id,
            user_id,
            reason,
        } => {
            let mut builder = http.remove_guild_member(guild_id, user_id);
            if let Some(reason) = reason.as_deref() {
                builder = builder.reason(reason);
            }
            empty(builder.await)
        }
        DiscordRequest::BanMember {
            guild_id,
            user_id,
            delete_message_seconds,
            reason,
        } => {
            let mut builder = http
                .create_ban(guild_id, user_id)
                .delete_message_seconds(delete_message_seconds.min(604_800));
            if let Some(reason) = reason.as_deref() {
                builder = builder.reason(reason);
            }
            empty(builder.await)
        }
        DiscordRequest::UnbanMember {
            guild_id,
            user_id,
            reason,
        } => {
            let mut builder = http.delete_ban(guild_id, user_id);
            if let Some(reason) = reason.as_deref() {
                builder = builder.reason(reason);
            }
            empty(builder.await)
        }
        request
        @ (DiscordRequest::CreateWebhook { .. } | DiscordRequest::ExecuteWebhook { .. }) => {
            webhooks::execute(http, request).await
        }
        request @ (DiscordRequest::ListAutoModRules { .. }
        | DiscordRequest::CreateAutoModRule { .. }
        | DiscordRequest::UpdateAutoModRule { .. }
        | DiscordRequest::DeleteAutoModRule { .. }
        | DiscordRequest::SetIncidentActions { .. }
        | DiscordRequest::SetVerificationLevel { .. }) => automod::execute(http, request).await,
        // welcome
        request @ DiscordRequest::GetGuildWithCounts { .. } => guild::execute(http, request).await,
        // suggestions
        request @ (DiscordRequest::CreateThreadFromMessage { .. }
        | DiscordRequest::SetThreadArchived { .. }) => threads::execute(http, request).await,
        // voice hub (`GetVoiceStates` is answered from the cache by `voice_states`)
        request @ (DiscordRequest::CreateVoiceChannel { .. }
        | DiscordRequest::UpdateVoiceChannel { .. }
        | DiscordRequest::MoveMember { .. }) => voice::execute(http, request).await,
        other => Err(unsupported(&other)),
    }
}

/// The refusal of an action this host does not know.
fn unsupported(request: &DiscordRequest) -> AbiError {
    AbiError::new(
        ErrorCode::Unsupported,
        format!("this host cannot perform {request:?} yet"),
    )
}

/// Posts `message` from `plugin` in `channel` with `files`: the one place plugin messages are built.
async fn send(
    http: &Client,
    plugin: &str,
    channel: twilight_model::id::Id<twilight_model::id::marker::ChannelMarker>,
    message: Reply,
    files: &[twilight_model::http::attachment::Attachment],
) -> Result<String, AbiError> {
    let message = prepare(plugin, message);
    let mut builder = http
        .create_message(channel)
        .embeds(&message.embeds)
        .components(&message.components)
        .attachments(files);
    if let Some(content) = message.content.as_deref() {
        builder = builder.content(content);
    }
    if let Some(mentions) = message.allowed_mentions.as_deref() {
        builder = builder.allowed_mentions(Some(mentions));
    }
    model(builder.await).await
}

fn prepare(plugin: &str, mut message: Reply) -> Reply {
    namespace_components(plugin, &mut message.components);
    message
}

/// Discord's answer body, passed through as it came (it is already Discord's JSON).
async fn model<T>(
    result: Result<twilight_http::Response<T>, twilight_http::Error>,
) -> Result<String, AbiError> {
    let response = result.map_err(error)?;
    response.text().await.map_err(|e| failed(&e))
}

fn empty<T>(
    result: Result<twilight_http::Response<T>, twilight_http::Error>,
) -> Result<String, AbiError> {
    result.map(|_| "null".to_owned()).map_err(error)
}

fn invalid(message: &str) -> AbiError {
    AbiError::new(ErrorCode::Invalid, message.to_owned())
}

fn failed(error: &dyn std::fmt::Display) -> AbiError {
    AbiError::new(
        ErrorCode::Failed,
        format!("reading Discord's answer failed: {error}"),
    )
}

fn error(error: twilight_http::Error) -> AbiError {
    match discord_error(&error) {
        Some(refusal) => AbiError::new(ErrorCode::Discord, refusal.to_wire()),
        None => AbiError::new(ErrorCode::Failed, describe_http_error(&error)),
    }
}

/// Discord's answer to a refused request: the status, and `code`/`message` read from Discord's
/// JSON body (the body as text when it is not Discord's error JSON). `None` when Discord never
/// answered (transport failure, request refused before sending).
fn discord_error(error: &twilight_http::Error) -> Option<DiscordError> {
    let status = match error.kind() {
        ErrorType::Response { status, .. } => status.get(),
        ErrorType::Unauthorized => 401,
        _ => return None,
    };
    let (code, message) = match error.kind() {
        ErrorType::Response { body, .. } => discord_body(body),
        _ => (None, "401: Unauthorized".to_owned()),
    };
    Some(DiscordError::new(status, code, message).with_text(describe_http_error(error)))
}

/// Discord's error JSON `{"code": 50013, "message": "Missing Permissions", …}`, read leniently.
fn discord_body(body: &[u8]) -> (Option<u64>, String) {
    #[derive(serde::Deserialize)]
    struct Body {
        code: Option<u64>,
        message: Option<String>,
    }
    match serde_json::from_slice::<Body>(body) {
        Ok(Body { code, message }) => (code, message.unwrap_or_default()),
        Err(_) => (
            None,
            String::from_utf8_lossy(body).chars().take(200).collect(),
        ),
    }
}

/// One readable line for a REST failure: Discord's own message and code, plus what to do for
/// the common ones. Never includes the token (twilight-http never puts it in errors).
#[must_use]
pub fn describe_http_error(error: &twilight_http::Error) -> String {
    match error.kind() {
        ErrorType::Unauthorized => {
            "Discord rejected the bot token (401): check DISCORD_TOKEN".to_owned()
        }
        ErrorType::Response { status, .. } if status.get() == 401 => {
            "Discord rejected the bot token (401): check DISCORD_TOKEN".to_owned()
        }
        ErrorType::Response { error, status, .. } => {
            let text = error.to_string();
            let hint = if text.contains("50013") {
                " — the bot lacks a permission here, or its highest role is not above the member's or role's"
            } else if text.contains("50007") {
                " — the member does not accept direct messages"
            } else if text.contains("50001") {
                " — the bot cannot see that channel"
            } else {
                ""
            };
            format!("Discord refused ({status}): {text}{hint}")
        }
        _ => format!("request to Discord failed: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::discord_body;

    #[test]
    fn discords_error_body_gives_its_code_and_message() {
        let body = br#"{"message": "Missing Permissions", "code": 50013}"#;
        assert_eq!(
            discord_body(body),
            (Some(50013), "Missing Permissions".to_owned())
        );
        // Form errors carry more fields; the code and message are still read.
        let body = br#"{"code": 50035, "errors": {"content": {}}, "message": "Invalid Form Body"}"#;
        assert_eq!(
            discord_body(body),
            (Some(50035), "Invalid Form Body".to_owned())
        );
    }

    #[test]
    fn a_body_that_is_not_discords_json_is_kept_as_text() {
        assert_eq!(
            discord_body(b"<html>502 Bad Gateway</html>"),
            (None, "<html>502 Bad Gateway</html>".to_owned())
        );
    }
}
