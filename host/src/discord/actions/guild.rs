//! Guild reads beyond the plain `GetGuild`: the guild with its approximate member and presence
//! counts (`GET /guilds/{id}?with_counts=true`), which a greeting's `{count}` needs.

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    protocol::DiscordRequest,
};
use twilight_http::Client;

/// Runs one of this file's guild actions.
///
/// # Errors
///
/// As [`super::execute`].
pub(super) async fn execute(http: &Client, request: DiscordRequest) -> Result<String, AbiError> {
    match request {
        DiscordRequest::GetGuildWithCounts { guild_id } => {
            super::model(http.guild(guild_id).with_counts(true).await).await
        }
        other => Err(AbiError::new(
            ErrorCode::Unsupported,
            format!("not a guild read: {other:?}"),
        )),
    }
}
