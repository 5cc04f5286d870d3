//! Threads beyond the plain `CreateThread`, for the suggestions module: a public thread started
//! on a message (`POST /channels/{id}/messages/{id}/threads`), so a suggestion's discussion hangs
//! from the suggestion itself; and archiving (locking) a thread, or opening it again, when a
//! suggestion is decided (`PATCH /channels/{id}`).

use arsenal_plugin_api::{abi::AbiError, protocol::DiscordRequest};
use twilight_http::Client;

use super::{model, unsupported};

/// Runs one of the thread requests; any other request is refused as unsupported.
pub(super) async fn execute(http: &Client, request: DiscordRequest) -> Result<String, AbiError> {
    match request {
        DiscordRequest::CreateThreadFromMessage { target, name } => {
            model(
                http.create_thread_from_message(target.channel_id, target.message_id, &name)
                    .await,
            )
            .await
        }
        DiscordRequest::SetThreadArchived {
            thread_id,
            archived,
            locked,
        } => {
            model(
                http.update_thread(thread_id)
                    .archived(archived)
                    .locked(locked)
                    .await,
            )
            .await
        }
        other => Err(unsupported(&other)),
    }
}
