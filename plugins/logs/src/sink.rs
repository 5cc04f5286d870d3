//! Delivering a log entry to its channel: through a webhook the module created there when the
//! bot may create one (Manage Webhooks), else as the bot's own message.
//!
//! The webhook is kept per log channel (`hook:<channel>`). When the bot may not create one, the
//! channel is marked and webhooks are tried again an hour later (a server may grant the
//! permission), or at once after `/logs channel` names the channel again. A webhook deleted by
//! someone is forgotten and the entry is sent as a message; the next one creates a new webhook.

use arsenal_plugin_api::{
    model::channel::message::Embed, model::id::marker::WebhookMarker, prelude::*,
    protocol::TextFile,
};
use serde::{Deserialize, Serialize};

/// The name the module's webhooks carry (the author shown on log entries).
pub const WEBHOOK_NAME: &str = "Arsenal logs";
/// How long after a refused webhook creation the module tries again.
const RETRY_WEBHOOK_MS: u64 = 3600 * 1000;

/// What the module knows of a log channel's webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Hook {
    /// A webhook the module created.
    Ready {
        /// Its id.
        id: Id<WebhookMarker>,
        /// Its token.
        token: String,
    },
    /// The bot may not create one here; try again at `retry_at` (Unix ms).
    Refused {
        /// When to try again.
        retry_at: u64,
    },
}

/// The store key of a log channel's webhook.
#[must_use]
pub fn hook_key(channel: Id<ChannelMarker>) -> String {
    format!("hook:{channel}")
}

/// One log entry: an embed, and a text file for long listings (bulk deletes).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The entry.
    pub embed: Embed,
    /// A file to attach.
    pub file: Option<TextFile>,
}

/// Posts `entry` in `channel`.
///
/// # Errors
///
/// When Discord refuses both the webhook and the message (the log channel is gone, the bot
/// may not post there).
pub fn deliver(ctx: &Context, channel: Id<ChannelMarker>, entry: Entry) -> Result<()> {
    let message = Reply::default().embed(entry.embed).no_mentions();
    if let Some((id, token)) = webhook(ctx, channel)? {
        let request = DiscordRequest::ExecuteWebhook {
            webhook_id: id,
            token,
            message: message.clone(),
            file: entry.file.clone(),
        };
        match ctx.discord().execute::<serde_json::Value>(&request) {
            Ok(_) => return Ok(()),
            Err(e) if e.is_not_found() => {
                ctx.store().delete(&hook_key(channel))?;
            }
            Err(e) => return Err(e.context(format!("the log webhook of <#{channel}> failed"))),
        }
    }
    let request = match entry.file {
        Some(file) => DiscordRequest::SendFile {
            channel_id: channel,
            message,
            file_name: file.name,
            content: file.content,
        },
        None => DiscordRequest::SendMessage {
            channel_id: channel,
            message,
        },
    };
    ctx.discord()
        .execute::<serde_json::Value>(&request)
        .map(drop)
        .map_err(|e| e.context(format!("I could not post a log entry in <#{channel}>")))
}

/// The channel's webhook: the one kept, or a new one when the bot may create it.
fn webhook(
    ctx: &Context,
    channel: Id<ChannelMarker>,
) -> Result<Option<(Id<WebhookMarker>, String)>> {
    let key = hook_key(channel);
    match ctx.store().get::<Hook>(&key)? {
        Some(Hook::Ready { id, token }) => return Ok(Some((id, token))),
        Some(Hook::Refused { retry_at }) if ctx.now() < retry_at => return Ok(None),
        _ => {}
    }
    #[derive(Deserialize)]
    struct Created {
        id: Id<WebhookMarker>,
        token: Option<String>,
    }
    let request = DiscordRequest::CreateWebhook {
        channel_id: channel,
        name: WEBHOOK_NAME.to_owned(),
    };
    match ctx.discord().execute::<Created>(&request) {
        Ok(Created {
            id,
            token: Some(token),
        }) => {
            ctx.store().set(
                &key,
                &Hook::Ready {
                    id,
                    token: token.clone(),
                },
            )?;
            Ok(Some((id, token)))
        }
        Err(e) if e.is_missing_permissions() => {
            let retry_at = ctx.now().saturating_add(RETRY_WEBHOOK_MS);
            ctx.store().set(&key, &Hook::Refused { retry_at })?;
            Ok(None)
        }
        // Anything else: this entry goes as a message, the next one tries again.
        Ok(Created { token: None, .. }) => Ok(None),
        Err(e) => {
            log::warn!("creating a log webhook in <#{channel}> failed: {e}");
            Ok(None)
        }
    }
}

/// Forgets what the module knows of `channel`'s webhook, so the next entry tries again.
///
/// # Errors
///
/// When the store cannot be written.
pub fn reset(ctx: &Context, channel: Id<ChannelMarker>) -> Result<()> {
    let key = hook_key(channel);
    if let Some(Hook::Refused { .. }) = ctx.store().get::<Hook>(&key)? {
        ctx.store().delete(&key)?;
    }
    Ok(())
}
