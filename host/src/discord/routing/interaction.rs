//! Interactions: slash commands, autocomplete, buttons, select menus and modals, each turned
//! into the invocation its owner receives, and the slash command's answer sent back.

use std::sync::Arc;

use arsenal_plugin_api::protocol::{
    kind, Arg, ArgValue, AutocompleteInvocation, CommandAttachment, CommandInvocation,
    CommandSource, ComponentInvocation, Invoker, ModalField, ModalInvocation, ResolvedUser,
};
use tokio::sync::mpsc;
use twilight_model::{
    application::interaction::{
        application_command::{CommandDataOption, CommandOptionValue},
        modal::ModalInteractionComponent,
        Interaction, InteractionData, InteractionType,
    },
    guild::Permissions,
};

use super::{
    answer::{answer, answer_in_time, deferred, edit_original},
    autocomplete::autocomplete,
    command::{call_plugin, run_command, Outcome},
    unhandled::unhandled,
    DEFER_AFTER,
};
use crate::builtin::{help, modules, texts::host_tr};
use crate::discord::{
    actions::describe_http_error,
    respond,
    shared::{sync_commands, Shared},
};

/// Handles one interaction.
pub async fn interaction(shared: Arc<Shared>, interaction: Interaction) {
    let invoker = interaction_invoker(&shared, &interaction);
    let Some(invoker) = invoker else {
        let why = "it came without a user or a channel";
        unhandled(
            &shared,
            interaction.id,
            &interaction.token,
            Some(interaction.kind),
            why,
        )
        .await;
        return;
    };
    let data = interaction.data.clone();
    match (interaction.kind, data) {
        (InteractionType::ApplicationCommand, Some(InteractionData::ApplicationCommand(data))) => {
            let (subcommand, args, _) = flatten(&data.options);
            let users = data
                .resolved
                .as_ref()
                .map(|resolved| {
                    resolved
                        .users
                        .values()
                        .map(|u| ResolvedUser {
                            id: u.id,
                            name: u.global_name.clone().unwrap_or_else(|| u.name.clone()),
                            bot: u.bot,
                        })
                        .collect()
                })
                .unwrap_or_default();
            let attachments = data
                .resolved
                .as_ref()
                .map(|resolved| {
                    resolved
                        .attachments
                        .values()
                        .map(CommandAttachment::from)
                        .collect()
                })
                .unwrap_or_default();
            let invocation = CommandInvocation {
                name: data.name.clone(),
                subcommand,
                args,
                invoker,
                source: CommandSource::Slash,
                users,
                attachments,
            };
            slash_command(&shared, &interaction, invocation).await;
        }
        (
            InteractionType::ApplicationCommandAutocomplete,
            Some(InteractionData::ApplicationCommand(data)),
        ) => {
            let (subcommand, _, focused) = flatten(&data.options);
            let (focused, partial) = focused.unwrap_or_default();
            let request = AutocompleteInvocation {
                name: data.name.clone(),
                subcommand,
                focused,
                partial,
                invoker,
            };
            let choices = autocomplete(&shared, request).await;
            answer(&shared, &interaction, &respond::autocomplete(choices)).await;
        }
        (InteractionType::MessageComponent, Some(InteractionData::MessageComponent(data))) => {
            let Some(message) = interaction.message.as_ref() else {
                let why = "it came without the message it belongs to";
                unhandled(
                    &shared,
                    interaction.id,
                    &interaction.token,
                    Some(interaction.kind),
                    why,
                )
                .await;
                return;
            };
            if let Some(owner) = data.custom_id.strip_prefix(help::CUSTOM_ID_PREFIX) {
                super::help::select(&shared, &interaction, owner, &data.values, &invoker).await;
                return;
            }
            let Some((plugin, custom_id)) = respond::split_custom_id(&data.custom_id) else {
                answer(
                    &shared,
                    &interaction,
                    &respond::ephemeral(&host_tr(&invoker).t("host-button-orphan")),
                )
                .await;
                return;
            };
            let call = ComponentInvocation {
                custom_id: custom_id.to_owned(),
                values: data.values.clone(),
                message_id: message.id,
                invoker,
            };
            let guild = call.invoker.guild_id;
            let tr = host_tr(&call.invoker);
            let work = call_plugin(&shared, plugin, kind::COMPONENT, &call, guild, tr);
            answer_in_time(&shared, &interaction, plugin, true, work).await;
        }
        (InteractionType::ModalSubmit, Some(InteractionData::ModalSubmit(data))) => {
            let Some((plugin, custom_id)) = respond::split_custom_id(&data.custom_id) else {
                answer(
                    &shared,
                    &interaction,
                    &respond::ephemeral(&host_tr(&invoker).t("host-form-orphan")),
                )
                .await;
                return;
            };
            let mut fields = Vec::new();
            collect_fields(&data.components, &mut fields);
            let call = ModalInvocation {
                custom_id: custom_id.to_owned(),
                fields,
                invoker,
            };
            let on_message = interaction.message.is_some();
            let guild = call.invoker.guild_id;
            let tr = host_tr(&call.invoker);
            let work = call_plugin(&shared, plugin, kind::MODAL, &call, guild, tr);
            answer_in_time(&shared, &interaction, plugin, on_message, work).await;
        }
        (kind, _) => {
            let why = "this kind of interaction is not one Arsenal handles";
            unhandled(&shared, interaction.id, &interaction.token, Some(kind), why).await;
        }
    }
}

fn interaction_invoker(shared: &Shared, interaction: &Interaction) -> Option<Invoker> {
    let user = interaction
        .member
        .as_ref()
        .and_then(|m| m.user.as_ref())
        .or(interaction.user.as_ref())?;
    let channel_id = interaction.channel.as_ref().map(|c| c.id)?;
    let is_owner = shared.owners.contains(&user.id);
    Some(Invoker {
        user_id: user.id,
        user_name: user
            .global_name
            .clone()
            .unwrap_or_else(|| user.name.clone()),
        guild_id: interaction.guild_id,
        channel_id,
        roles: interaction
            .member
            .as_ref()
            .map(|m| m.roles.clone())
            .unwrap_or_default(),
        permissions: interaction
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .unwrap_or(Permissions::empty()),
        is_owner,
        locale: interaction.locale.clone(),
        guild_locale: interaction.guild_locale.clone(),
    })
}

/// Subcommand path, option values, and the focused option (autocomplete) of a command.
fn flatten(options: &[CommandDataOption]) -> (Vec<String>, Vec<Arg>, Option<(String, String)>) {
    let mut path = Vec::new();
    let mut args = Vec::new();
    let mut focused = None;
    let mut level = options;
    loop {
        let mut next = None;
        for option in level {
            let value = match &option.value {
                CommandOptionValue::SubCommand(inner)
                | CommandOptionValue::SubCommandGroup(inner) => {
                    path.push(option.name.clone());
                    next = Some(inner.as_slice());
                    continue;
                }
                CommandOptionValue::Focused(partial, _) => {
                    focused = Some((option.name.clone(), partial.clone()));
                    continue;
                }
                CommandOptionValue::String(v) => ArgValue::String(v.clone()),
                CommandOptionValue::Integer(v) => ArgValue::Integer(*v),
                CommandOptionValue::Number(v) => ArgValue::Number(*v),
                CommandOptionValue::Boolean(v) => ArgValue::Boolean(*v),
                CommandOptionValue::User(v) => ArgValue::User(*v),
                CommandOptionValue::Channel(v) => ArgValue::Channel(*v),
                CommandOptionValue::Role(v) => ArgValue::Role(*v),
                CommandOptionValue::Mentionable(v) => ArgValue::Mentionable(v.get()),
                CommandOptionValue::Attachment(v) => ArgValue::Attachment(*v),
            };
            args.push(Arg {
                name: option.name.clone(),
                value,
            });
        }
        match next {
            Some(inner) => level = inner,
            None => return (path, args, focused),
        }
    }
}

fn collect_fields(components: &[ModalInteractionComponent], fields: &mut Vec<ModalField>) {
    for component in components {
        match component {
            ModalInteractionComponent::ActionRow(row) => collect_fields(&row.components, fields),
            ModalInteractionComponent::Label(label) => {
                collect_fields(std::slice::from_ref(&*label.component), fields)
            }
            ModalInteractionComponent::TextInput(input) => fields.push(ModalField {
                custom_id: input.custom_id.clone(),
                value: input.value.clone(),
            }),
            _ => {}
        }
    }
}

async fn slash_command(
    shared: &Arc<Shared>,
    interaction: &Interaction,
    invocation: CommandInvocation,
) {
    let work = run_command(shared, &invocation);
    tokio::pin!(work);
    let outcome = tokio::select! {
        outcome = &mut work => outcome,
        () = tokio::time::sleep(DEFER_AFTER) => {
            // Slow module: acknowledge now, edit the answer in when it comes.
            answer(shared, interaction, &deferred(false)).await;
            let outcome = work.await;
            edit_original(shared, interaction, outcome).await;
            return;
        }
    };
    match outcome {
        Outcome::Respond(plugin, response) => {
            answer(
                shared,
                interaction,
                &respond::interaction_response(plugin.as_deref(), response, false),
            )
            .await;
        }
        Outcome::Refused(message) => {
            answer(shared, interaction, &respond::ephemeral(&message)).await
        }
        Outcome::ReloadAll => {
            answer(shared, interaction, &deferred(true)).await;
            let (edits, mut texts) = mpsc::unbounded_channel::<String>();
            let editor = {
                let (shared, token) = (Arc::clone(shared), interaction.token.clone());
                tokio::spawn(async move {
                    while let Some(mut text) = texts.recv().await {
                        while let Ok(newer) = texts.try_recv() {
                            text = newer;
                        }
                        let client = shared.http.interaction(shared.application_id);
                        let content = respond::fit_content(&text);
                        if let Err(e) = client.update_response(&token).content(Some(&content)).await
                        {
                            tracing::warn!(
                                "editing the /reload all progress failed: {}",
                                describe_http_error(&e)
                            );
                        }
                    }
                })
            };
            let tr = host_tr(&invocation.invoker);
            let summary = modules::reload_all(&shared.manager, tr, |text| {
                let _ = edits.send(text.to_owned());
            })
            .await;
            let _ = edits.send(summary);
            drop(edits);
            let _ = editor.await;
            sync_commands(shared).await;
        }
    }
}
