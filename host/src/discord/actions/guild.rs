//! Guild reads beyond the plain `GetGuild`, for the welcome module: the guild with its
//! approximate member and presence counts (`GET /guilds/{id}?with_counts=true`), which a
//! greeting's `{count}` needs.

use arsenal_plugin_api::{abi::AbiError, protocol::DiscordRequest};
use twilight_http::Client;

use super::{model, unsupported};

/// Runs one of the guild reads; any other request is refused as unsupported.
pub(super) async fn execute(http: &Client, request: DiscordRequest) -> Result<String, AbiError> {
    match request {
        DiscordRequest::GetGuildWithCounts { guild_id } => {
            model(http.guild(guild_id).with_counts(true).await).await
        }
        other => Err(unsupported(&other)),
    }
}
