//! Webhooks a module creates and posts through (the logs module posts its entries this way, so
//! they carry the webhook's name and do not count against the bot's own send rate).

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    protocol::{DiscordRequest, TextFile},
};
use twilight_http::Client;
use twilight_model::http::attachment::Attachment;

use super::model;

/// Runs a webhook action → Discord's answer as JSON.
pub(super) async fn execute(http: &Client, request: DiscordRequest) -> Result<String, AbiError> {
    match request {
        DiscordRequest::CreateWebhook { channel_id, name } => {
            model(http.create_webhook(channel_id, &name).await).await
        }
        DiscordRequest::ExecuteWebhook {
            webhook_id,
            token,
            message,
            file,
        } => {
            // Only application-owned webhooks may carry components: none are sent.
            let files: Vec<Attachment> = file
                .into_iter()
                .map(|TextFile { name, content }| {
                    Attachment::from_bytes(name, content.into_bytes(), 0)
                })
                .collect();
            let mut builder = http
                .execute_webhook(webhook_id, &token)
                .embeds(&message.embeds)
                .attachments(&files);
            if let Some(content) = message.content.as_deref() {
                builder = builder.content(content);
            }
            if let Some(mentions) = message.allowed_mentions.as_deref() {
                builder = builder.allowed_mentions(Some(mentions));
            }
            model(builder.wait().await).await
        }
        other => Err(AbiError::new(
            ErrorCode::Unsupported,
            format!("not a webhook action: {other:?}"),
        )),
    }
}
