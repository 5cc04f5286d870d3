//! Every interaction gets an answer: one the host cannot read or route is told so, in a message
//! only its user sees (autocomplete: no choices), instead of Discord's "This interaction
//! failed" after three seconds of silence.

use std::sync::Arc;

use serde::Deserialize;
use twilight_model::{
    application::interaction::InteractionType,
    id::{marker::InteractionMarker, Id},
};

use crate::discord::{actions::describe_http_error, respond, shared::Shared};

/// The three fields that are enough to answer an interaction.
#[derive(Deserialize)]
struct InteractionProbe {
    id: Id<InteractionMarker>,
    token: String,
    #[serde(rename = "type")]
    kind: u8,
}

/// Answers an interaction whose JSON did not parse as a whole (`raw` is the gateway's `d`).
pub async fn unparsed_interaction(shared: Arc<Shared>, raw: String) {
    match serde_json::from_str::<InteractionProbe>(&raw) {
        Ok(probe) => {
            let why = "Discord sent it in a shape this version of the bot cannot read";
            unhandled(
                &shared,
                probe.id,
                &probe.token,
                interaction_type(probe.kind),
                why,
            )
            .await;
        }
        Err(e) => {
            tracing::warn!("an interaction without a readable id and token cannot be answered: {e}")
        }
    }
}

/// Answers an interaction the host could not route: ephemerally, saying `why`.
pub(super) async fn unhandled(
    shared: &Shared,
    id: Id<InteractionMarker>,
    token: &str,
    kind: Option<InteractionType>,
    why: &str,
) {
    tracing::warn!(
        ?kind,
        "answering an interaction that could not be handled: {why}"
    );
    let response = match kind {
        Some(InteractionType::ApplicationCommandAutocomplete) => respond::autocomplete(Vec::new()),
        kind => {
            let what = match kind {
                Some(InteractionType::ApplicationCommand) => "command",
                Some(InteractionType::MessageComponent) => "button or menu",
                Some(InteractionType::ModalSubmit) => "form",
                _ => "interaction",
            };
            respond::ephemeral(&format!(
                "The bot could not handle this {what}: {why}. Try again; if it keeps happening, tell the bot's owner."
            ))
        }
    };
    let client = shared.http.interaction(shared.application_id);
    if let Err(e) = client.create_response(id, token, &response).await {
        tracing::warn!(
            "answering an unhandled interaction failed: {}",
            describe_http_error(&e)
        );
    }
}

/// The interaction type of a wire value; `None` for one newer than twilight-model knows.
fn interaction_type(value: u8) -> Option<InteractionType> {
    serde_json::from_value(serde_json::Value::from(value)).ok()
}
