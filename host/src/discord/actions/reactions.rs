//! Reactions and the message they sit on, for reaction roles: the bot's own reaction, a
//! member's reaction taken away, and a message read back with its reactions (whether the bot
//! added each one: `me`). Emojis are named as plugins write them: a Unicode emoji, or
//! `name:id` for a custom one (`a:name:id` for an animated one).

use arsenal_plugin_api::{abi::AbiError, protocol::DiscordRequest};
use twilight_http::{request::channel::reaction::RequestReactionType, Client};
use twilight_model::id::Id;

use super::{empty, model, unsupported};

/// Runs one of the reaction actions; any other request is refused as unsupported.
pub(super) async fn execute(http: &Client, request: DiscordRequest) -> Result<String, AbiError> {
    match request {
        DiscordRequest::AddReaction { target, emoji } => empty(
            http.create_reaction(target.channel_id, target.message_id, &reaction(&emoji))
                .await,
        ),
        DiscordRequest::RemoveReaction {
            target,
            emoji,
            user_id,
        } => empty(
            http.delete_reaction(
                target.channel_id,
                target.message_id,
                &reaction(&emoji),
                user_id,
            )
            .await,
        ),
        DiscordRequest::GetMessage { target } => {
            model(http.message(target.channel_id, target.message_id).await).await
        }
        other => Err(unsupported(&other)),
    }
}

/// `👍` → a Unicode reaction; `name:id` or `a:name:id` → a custom emoji (twilight writes
/// `name:id` in the route either way).
fn reaction(emoji: &str) -> RequestReactionType<'_> {
    let custom = emoji
        .strip_prefix("a:")
        .unwrap_or(emoji)
        .split_once(':')
        .and_then(|(name, id)| Some((name, Id::new_checked(id.parse::<u64>().ok()?)?)));
    match custom {
        Some((name, id)) => RequestReactionType::Custom {
            id,
            name: Some(name),
        },
        None => RequestReactionType::Unicode { name: emoji },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emojis_are_read_as_plugins_write_them() {
        assert!(matches!(
            reaction("🎮"),
            RequestReactionType::Unicode { name: "🎮" }
        ));
        for written in ["blob:42", "a:blob:42"] {
            match reaction(written) {
                RequestReactionType::Custom { id, name } => {
                    assert_eq!((id.get(), name), (42, Some("blob")), "{written}");
                }
                other => panic!("{written} read as {other:?}"),
            }
        }
        // A colon without a valid id is no custom emoji: Discord gets the text and refuses it.
        assert!(matches!(
            reaction("a:b:0"),
            RequestReactionType::Unicode { .. }
        ));
    }
}
