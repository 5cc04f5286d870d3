//! Answering an interaction: at once, deferred when the module is slow, or edited in later.

use arsenal_plugin_api::protocol::Response;
use twilight_model::{
    application::interaction::Interaction,
    channel::message::MessageFlags,
    http::interaction::{InteractionResponse, InteractionResponseData, InteractionResponseType},
};

use super::{command::Outcome, DEFER_AFTER};
use crate::{
    builtin::texts::host_tr_for,
    discord::{actions::describe_http_error, respond, shared::Shared},
};

/// Answers a component or modal interaction with `work`'s result. A module that takes longer
/// than Discord's window gets the interaction acknowledged first (a deferred update on its
/// message, or a deferred ephemeral reply), and its answer is applied when it comes.
pub(super) async fn answer_in_time(
    shared: &Shared,
    interaction: &Interaction,
    plugin: &str,
    on_message: bool,
    work: impl std::future::Future<Output = Result<Response, String>>,
) {
    tokio::pin!(work);
    let late = tokio::select! {
        result = &mut work => {
            let response = match result {
                Ok(response) => respond::interaction_response(Some(plugin), response, on_message),
                Err(message) => respond::ephemeral(&message),
            };
            answer(shared, interaction, &response).await;
            return;
        }
        () = tokio::time::sleep(DEFER_AFTER) => on_message,
    };
    let acknowledgement = if late {
        InteractionResponse {
            kind: InteractionResponseType::DeferredUpdateMessage,
            data: None,
        }
    } else {
        deferred(true)
    };
    answer(shared, interaction, &acknowledgement).await;
    let client = shared.http.interaction(shared.application_id);
    let reply = match work.await {
        Ok(Response::Update(reply)) if on_message => {
            let data = respond::message_data(Some(plugin), reply);
            let embeds = data.embeds.unwrap_or_default();
            let components = data.components.unwrap_or_default();
            let files = data.attachments.unwrap_or_default();
            if let Err(e) = client
                .update_response(&interaction.token)
                .content(data.content.as_deref())
                .embeds(Some(&embeds))
                .components(Some(&components))
                .attachments(&files)
                .await
            {
                tracing::warn!("applying a late update failed: {}", describe_http_error(&e));
            }
            return;
        }
        Ok(Response::Message(reply) | Response::Update(reply)) => reply,
        Ok(Response::Modal(_)) => arsenal_plugin_api::Reply::text(
            host_tr_for(
                interaction.locale.as_deref(),
                interaction.guild_locale.as_deref(),
            )
            .t("host-form-too-slow"),
        )
        .ephemeral(),
        Ok(Response::Nothing) => return,
        Err(message) => arsenal_plugin_api::Reply::text(message).ephemeral(),
    };
    let data = respond::message_data(Some(plugin), reply);
    let embeds = data.embeds.unwrap_or_default();
    let components = data.components.unwrap_or_default();
    let files = data.attachments.unwrap_or_default();
    let mut followup = client
        .create_followup(&interaction.token)
        .embeds(&embeds)
        .components(&components)
        .attachments(&files);
    if let Some(content) = data.content.as_deref() {
        followup = followup.content(content);
    }
    if let Some(flags) = data.flags {
        followup = followup.flags(flags);
    }
    if let Some(mentions) = data.allowed_mentions.as_ref() {
        followup = followup.allowed_mentions(Some(mentions));
    }
    if let Err(e) = followup.await {
        tracing::warn!("sending a late answer failed: {}", describe_http_error(&e));
    }
}

pub(super) fn deferred(ephemeral: bool) -> InteractionResponse {
    InteractionResponse {
        kind: InteractionResponseType::DeferredChannelMessageWithSource,
        data: ephemeral.then(|| InteractionResponseData {
            flags: Some(MessageFlags::EPHEMERAL),
            ..InteractionResponseData::default()
        }),
    }
}

pub(super) async fn edit_original(shared: &Shared, interaction: &Interaction, outcome: Outcome) {
    let tr = host_tr_for(
        interaction.locale.as_deref(),
        interaction.guild_locale.as_deref(),
    );
    let (plugin, reply) = match outcome {
        Outcome::Respond(plugin, Response::Message(reply) | Response::Update(reply)) => {
            (plugin, reply)
        }
        Outcome::Respond(_, _) => (None, arsenal_plugin_api::Reply::text(tr.t("host-done"))),
        Outcome::Refused(message) => (None, arsenal_plugin_api::Reply::text(message)),
        Outcome::ReloadAll => (
            None,
            arsenal_plugin_api::Reply::text(tr.t("host-reload-again")),
        ),
    };
    let data = respond::message_data(plugin.as_deref(), reply);
    let client = shared.http.interaction(shared.application_id);
    let embeds = data.embeds.unwrap_or_default();
    let components = data.components.unwrap_or_default();
    let files = data.attachments.unwrap_or_default();
    let result = client
        .update_response(&interaction.token)
        .content(data.content.as_deref())
        .embeds(Some(&embeds))
        .components(Some(&components))
        .attachments(&files)
        .await;
    if let Err(e) = result {
        tracing::warn!(
            "editing a deferred answer failed: {}",
            describe_http_error(&e)
        );
    }
}

pub(super) async fn answer(
    shared: &Shared,
    interaction: &Interaction,
    response: &InteractionResponse,
) {
    let client = shared.http.interaction(shared.application_id);
    if let Err(e) = client
        .create_response(interaction.id, &interaction.token, response)
        .await
    {
        tracing::warn!(
            "answering an interaction failed: {}",
            describe_http_error(&e)
        );
    }
}
