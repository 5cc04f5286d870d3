//! Executes plugins' Discord actions with twilight-http: the one place that builds REST requests
//! for plugins. Discord's refusals come back as readable errors (missing permission, role
//! hierarchy, closed DMs) that the plugin can show to its user.

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    protocol::{DiscordRequest, Reply},
};
use serde::Serialize;
use twilight_http::{error::ErrorType, request::AuditLogReason, Client};

use super::respond::namespace_components;

/// Runs `request` for plugin `plugin` and returns Discord's answer as JSON.
///
/// # Errors
///
/// Discord's refusal or a transport failure, as an [`ErrorCode::Discord`] error.
pub async fn execute(
    http: &Client,
    plugin: &str,
    request: DiscordRequest,
) -> Result<String, AbiError> {
    match request {
        DiscordRequest::SendMessage {
            channel_id,
            message,
        } => {
            let message = prepare(plugin, message);
            let mut builder = http
                .create_message(channel_id)
                .embeds(&message.embeds)
                .components(&message.components);
            if let Some(content) = message.content.as_deref() {
                builder = builder.content(content);
            }
            model(builder.await).await
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
            let message = prepare(plugin, message);
            let mut builder = http
                .create_message(channel.id)
                .embeds(&message.embeds)
                .components(&message.components);
            if let Some(content) = message.content.as_deref() {
                builder = builder.content(content);
            }
            model(builder.await).await
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
        other => Err(AbiError::new(
            ErrorCode::Unsupported,
            format!("this host cannot perform {other:?} yet"),
        )),
    }
}

fn prepare(plugin: &str, mut message: Reply) -> Reply {
    namespace_components(plugin, &mut message.components);
    message
}

async fn model<T: serde::de::DeserializeOwned + Serialize + Unpin>(
    result: Result<twilight_http::Response<T>, twilight_http::Error>,
) -> Result<String, AbiError> {
    let response = result.map_err(error)?;
    let value = response.model().await.map_err(|e| failed(&e))?;
    serde_json::to_string(&value).map_err(|e| failed(&e))
}

fn empty<T>(
    result: Result<twilight_http::Response<T>, twilight_http::Error>,
) -> Result<String, AbiError> {
    result.map(|_| "null".to_owned()).map_err(error)
}

fn failed(error: &dyn std::fmt::Display) -> AbiError {
    AbiError::new(
        ErrorCode::Failed,
        format!("reading Discord's answer failed: {error}"),
    )
}

fn error(error: twilight_http::Error) -> AbiError {
    AbiError::new(ErrorCode::Discord, describe_http_error(&error))
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
