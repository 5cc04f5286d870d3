//! Thin typed wrappers over the host's Discord actions, each failure saying what was attempted.

use arsenal_plugin_api::{
    i18n::Tr,
    model::id::{
        marker::{ChannelMarker, MessageMarker, UserMarker},
        Id,
    },
    protocol::{discord_code, DiscordRequest, MessageRef},
    tr, Context, Error, Reply, Result,
};
use serde::{de::DeserializeOwned, Deserialize};

/// The id of something Discord created (a message, a channel, the bot user).
#[derive(Debug, Deserialize)]
#[serde(bound = "")]
pub struct Created<M> {
    pub id: Id<M>,
}

/// Runs `request`; on failure says `what` failed and Discord's reason.
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

/// The bot's own user id (for its permission overwrite).
///
/// # Errors
///
/// The host could not read it.
pub fn bot_id(ctx: &Context) -> Result<Id<UserMarker>> {
    let user: Created<UserMarker> = run(
        ctx,
        &DiscordRequest::GetBotUser,
        "reading the bot's user failed",
    )?;
    Ok(user.id)
}

/// Posts `message` in `channel` and returns its id; a failure is worded in `tr`'s language.
///
/// # Errors
///
/// As [`run`].
pub fn send(
    ctx: &Context,
    tr: Tr<'_>,
    channel: Id<ChannelMarker>,
    message: Reply,
) -> Result<Id<MessageMarker>> {
    let created: Created<MessageMarker> = run(
        ctx,
        &DiscordRequest::SendMessage {
            channel_id: channel,
            message,
        },
        &tr!(tr, "tickets-err-post", channel = channel),
    )?;
    Ok(created.id)
}

/// Replaces the content of a message the bot sent; a failure is worded in `tr`'s language.
///
/// # Errors
///
/// As [`run`].
pub fn edit(
    ctx: &Context,
    tr: Tr<'_>,
    channel: Id<ChannelMarker>,
    message: Id<MessageMarker>,
    reply: Reply,
) -> Result<()> {
    act(
        ctx,
        &DiscordRequest::EditMessage {
            target: MessageRef {
                channel_id: channel,
                message_id: message,
            },
            message: reply,
        },
        &tr!(tr, "tickets-err-edit", channel = channel),
    )
}

/// Whether Discord said the channel or message does not exist (any more).
#[must_use]
pub fn is_gone(error: &Error) -> bool {
    error.is_discord_code(&[discord_code::UNKNOWN_CHANNEL, discord_code::UNKNOWN_MESSAGE])
}
