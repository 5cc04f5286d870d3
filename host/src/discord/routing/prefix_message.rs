//! Prefix commands: a chat message parsed into a command, the invoker's permissions, and the
//! answer as a reply.

use std::sync::Arc;

use arsenal_plugin_api::{
    protocol::{
        CommandAttachment, CommandInvocation, CommandSource, Invoker, ResolvedUser, Response,
    },
    CommandSpec,
};
use twilight_model::{channel::Message, guild::Permissions};

use super::command::{run_command, Outcome};
use crate::builtin::{modules, texts::host_tr};
use crate::discord::{
    actions::describe_http_error,
    permissions,
    prefix::{self, PrefixError},
    respond,
    shared::{sync_commands, Shared},
};

/// Handles a message that may carry a prefix command.
pub async fn prefix_message(shared: Arc<Shared>, message: Message) {
    let prefix = shared.guild_prefix(message.guild_id);
    let specs: Vec<CommandSpec> = shared
        .registry
        .read()
        .map(|r| r.prefix_specs().into_iter().cloned().collect())
        .unwrap_or_default();
    let spec_refs: Vec<&CommandSpec> = specs.iter().collect();
    let parsed = match prefix::parse(&message.content, &prefix, &spec_refs) {
        Ok(parsed) => parsed,
        Err(PrefixError::NotACommand) => return,
        // Other bots share prefixes: stay quiet unless the name was close to one of ours.
        Err(PrefixError::UnknownCommand { suggestions, .. }) if suggestions.is_empty() => return,
        Err(error) => {
            reply(&shared, &message, &error.to_string()).await;
            return;
        }
    };
    let invoker = message_invoker(&shared, &message);
    let invocation = CommandInvocation {
        name: parsed.name,
        subcommand: parsed.subcommand,
        args: parsed.args,
        invoker,
        source: CommandSource::Prefix {
            message_id: message.id,
        },
        users: message
            .mentions
            .iter()
            .map(|m| ResolvedUser {
                id: m.id,
                name: m.name.clone(),
                bot: m.bot,
            })
            .collect(),
        attachments: message
            .attachments
            .iter()
            .map(CommandAttachment::from)
            .collect(),
    };
    let tr = host_tr(&invocation.invoker);
    match run_command(&shared, &invocation).await {
        Outcome::Respond(plugin, Response::Message(answer) | Response::Update(answer)) => {
            send_reply(&shared, &message, plugin.as_deref(), answer).await;
        }
        Outcome::Respond(_, Response::Modal(_)) => {
            reply(&shared, &message, &tr.t("host-slash-only")).await;
        }
        Outcome::Respond(_, Response::Nothing) => {}
        Outcome::Refused(text) => reply(&shared, &message, &text).await,
        Outcome::ReloadAll => {
            let progress = shared
                .http
                .create_message(message.channel_id)
                .reply(message.id)
                .content(&tr.t("host-reloading"))
                .await;
            let posted = match progress {
                Ok(response) => response.model().await.ok(),
                Err(e) => {
                    tracing::warn!(
                        "posting /reload all progress failed: {}",
                        describe_http_error(&e)
                    );
                    None
                }
            };
            let summary = modules::reload_all(&shared.manager, tr, |_| {}).await;
            if let Some(posted) = posted {
                let content = respond::fit_content(&summary);
                if let Err(e) = shared
                    .http
                    .update_message(posted.channel_id, posted.id)
                    .content(Some(&content))
                    .await
                {
                    tracing::warn!(
                        "editing reload progress failed: {}",
                        describe_http_error(&e)
                    );
                }
            }
            sync_commands(&shared).await;
        }
    }
}

/// The invoker of a prefix command, with their permissions in the message's channel as
/// Discord computes them (roles, server owner, ADMINISTRATOR and the channel's overwrites), the
/// same permissions a slash command carries.
fn message_invoker(shared: &Shared, message: &Message) -> Invoker {
    let roles = message
        .member
        .as_ref()
        .map(|m| m.roles.clone())
        .unwrap_or_default();
    let permissions = message.guild_id.map_or(Permissions::empty(), |guild| {
        permissions::from_cache(
            &shared.cache,
            guild,
            message.author.id,
            &roles,
            message.channel_id,
        )
    });
    Invoker {
        user_id: message.author.id,
        user_name: message
            .author
            .global_name
            .clone()
            .unwrap_or_else(|| message.author.name.clone()),
        guild_id: message.guild_id,
        channel_id: message.channel_id,
        roles,
        permissions,
        is_owner: shared.owners.contains(&message.author.id),
        // A message carries no locale of its author's: the server's language is the best guess.
        locale: None,
        guild_locale: message
            .guild_id
            .and_then(|guild| shared.guild_locale(guild)),
    }
}

async fn reply(shared: &Shared, message: &Message, text: &str) {
    send_reply(shared, message, None, arsenal_plugin_api::Reply::text(text)).await;
}

async fn send_reply(
    shared: &Shared,
    message: &Message,
    plugin: Option<&str>,
    mut answer: arsenal_plugin_api::Reply,
) {
    if let Some(plugin) = plugin {
        respond::namespace_components(plugin, &mut answer.components);
    }
    let content = answer.content.as_deref().map(respond::fit_content);
    let files = respond::attachments(std::mem::take(&mut answer.attachments));
    let mut builder = shared
        .http
        .create_message(message.channel_id)
        .reply(message.id)
        .embeds(&answer.embeds)
        .components(&answer.components)
        .attachments(&files);
    if let Some(content) = content.as_deref() {
        builder = builder.content(content);
    }
    if let Some(mentions) = answer.allowed_mentions.as_deref() {
        builder = builder.allowed_mentions(Some(mentions));
    }
    if let Err(e) = builder.await {
        tracing::warn!(
            "replying to a prefix command failed: {}",
            describe_http_error(&e)
        );
    }
}
