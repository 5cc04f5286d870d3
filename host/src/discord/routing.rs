//! Routes what users do to whoever answers it, and sends the answer back.
//!
//! Slash commands and autocomplete route by command name; buttons, select menus and modals by
//! the module prefix of their `custom_id`; prefix commands by the guild's prefix. Permissions are
//! checked here, by the host, before any module runs: a module never has to trust its caller.

use std::{sync::Arc, time::Duration};

use arsenal_plugin_api::{
    protocol::{
        kind, Arg, ArgValue, AutocompleteInvocation, Choice, CommandInvocation, CommandSource,
        ComponentInvocation, Invoker, ModalField, ModalInvocation, ResolvedUser, Response,
    },
    CommandSpec,
};
use tokio::sync::mpsc;
use twilight_model::{
    application::interaction::{
        application_command::{CommandDataOption, CommandOptionValue},
        modal::ModalInteractionComponent,
        Interaction, InteractionData, InteractionType,
    },
    channel::{message::MessageFlags, Message},
    guild::Permissions,
    http::interaction::{InteractionResponse, InteractionResponseData, InteractionResponseType},
};

use super::{
    actions::describe_http_error,
    prefix::{self, PrefixError},
    registry::{Audience, CommandOwner},
    respond,
    shared::{sync_commands, Shared},
};
use crate::builtin::{modules, persistence};

/// How long a module may take before a slash command is deferred (Discord allows 3 s).
const DEFER_AFTER: Duration = Duration::from_millis(2500);

/// Handles one interaction.
pub async fn interaction(shared: Arc<Shared>, interaction: Interaction) {
    let invoker = interaction_invoker(&shared, &interaction);
    let Some(invoker) = invoker else {
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
            let invocation = CommandInvocation {
                name: data.name.clone(),
                subcommand,
                args,
                invoker,
                source: CommandSource::Slash,
                users,
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
                return;
            };
            let Some((plugin, custom_id)) = respond::split_custom_id(&data.custom_id) else {
                answer(
                    &shared,
                    &interaction,
                    &respond::ephemeral("This button does not belong to any Arsenal module."),
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
            let work = call_plugin(&shared, plugin, kind::COMPONENT, &call);
            answer_in_time(&shared, &interaction, plugin, true, work).await;
        }
        (InteractionType::ModalSubmit, Some(InteractionData::ModalSubmit(data))) => {
            let Some((plugin, custom_id)) = respond::split_custom_id(&data.custom_id) else {
                answer(
                    &shared,
                    &interaction,
                    &respond::ephemeral("This form does not belong to any Arsenal module."),
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
            let work = call_plugin(&shared, plugin, kind::MODAL, &call);
            answer_in_time(&shared, &interaction, plugin, on_message, work).await;
        }
        _ => {}
    }
}

/// Answers a component or modal interaction with `work`'s result. A module that takes longer
/// than Discord's window gets the interaction acknowledged first (a deferred update on its
/// message, or a deferred ephemeral reply), and its answer is applied when it comes.
async fn answer_in_time(
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
            if let Err(e) = client
                .update_response(&interaction.token)
                .content(data.content.as_deref())
                .embeds(Some(&embeds))
                .components(Some(&components))
                .await
            {
                tracing::warn!("applying a late update failed: {}", describe_http_error(&e));
            }
            return;
        }
        Ok(Response::Message(reply) | Response::Update(reply)) => reply,
        Ok(Response::Modal(_)) => {
            arsenal_plugin_api::Reply::text("The form took too long to open; please try again.")
                .ephemeral()
        }
        Ok(Response::Nothing) => return,
        Err(message) => arsenal_plugin_api::Reply::text(message).ephemeral(),
    };
    let data = respond::message_data(Some(plugin), reply);
    let embeds = data.embeds.unwrap_or_default();
    let components = data.components.unwrap_or_default();
    let mut followup = client
        .create_followup(&interaction.token)
        .embeds(&embeds)
        .components(&components);
    if let Some(content) = data.content.as_deref() {
        followup = followup.content(content);
    }
    if let Some(flags) = data.flags {
        followup = followup.flags(flags);
    }
    if let Err(e) = followup.await {
        tracing::warn!("sending a late answer failed: {}", describe_http_error(&e));
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

/// Checks that the invoker may run `spec` (Discord enforces this for slash commands only; the
/// host enforces it for both, and the owner-only rule for built-ins).
fn permitted(spec: &CommandSpec, audience: Audience, invoker: &Invoker) -> Result<(), String> {
    if audience == Audience::Owners && !invoker.is_owner {
        return Err(format!("`{}` is for the bot's owners only.", spec.name));
    }
    let required = spec
        .default_member_permissions
        .as_deref()
        .and_then(|bits| bits.parse::<u64>().ok())
        .map_or(Permissions::empty(), Permissions::from_bits_truncate);
    let has = invoker.permissions;
    if invoker.is_owner || has.contains(Permissions::ADMINISTRATOR) || has.contains(required) {
        Ok(())
    } else {
        Err(format!(
            "You need the {} permission to use `{}`.",
            permission_names(required - has),
            spec.name
        ))
    }
}

fn permission_names(permissions: Permissions) -> String {
    let names: Vec<String> = permissions
        .iter_names()
        .map(|(name, _)| name.to_lowercase().replace('_', " "))
        .collect();
    if names.is_empty() {
        "required".to_owned()
    } else {
        names.join(", ")
    }
}

/// What answering a command produced.
enum Outcome {
    Respond(Option<String>, Response),
    ReloadAll,
    Refused(String),
}

/// Routes a command to its owner and returns the answer (or that it is a `/reload all`).
async fn run_command(shared: &Arc<Shared>, invocation: &CommandInvocation) -> Outcome {
    let registered = shared
        .registry
        .read()
        .ok()
        .and_then(|r| r.get(&invocation.name).cloned());
    let Some(registered) = registered else {
        return Outcome::Refused(format!(
            "`{}` is not available: the module that provides it is not loaded. An administrator can check `!module list`.",
            invocation.name
        ));
    };
    if let Err(message) = permitted(&registered.spec, registered.audience, &invocation.invoker) {
        return Outcome::Refused(message);
    }
    match registered.owner {
        CommandOwner::Builtin => builtin(shared, invocation).await,
        CommandOwner::Unloaded(plugin) => Outcome::Refused(format!(
            "`{}` belongs to the module `{plugin}`, which is not loaded right now. An administrator can load it with `!module load {plugin}`.",
            invocation.name
        )),
        CommandOwner::Plugin(plugin) => {
            match call_plugin(shared, &plugin, kind::COMMAND, invocation).await {
                Ok(response) => Outcome::Respond(Some(plugin), response),
                Err(message) => Outcome::Refused(message),
            }
        }
    }
}

async fn builtin(shared: &Arc<Shared>, invocation: &CommandInvocation) -> Outcome {
    let manager = &shared.manager;
    let sub = invocation
        .subcommand
        .first()
        .map(String::as_str)
        .unwrap_or_default();
    let module = invocation.str_arg("module").unwrap_or_default();
    let text = match (invocation.name.as_str(), sub) {
        ("reload", "all") | ("module", "reload_all") => return Outcome::ReloadAll,
        ("reload", "module") | ("module", "reload" | "load") => {
            let text = modules::reload(manager, module).await;
            sync_commands(shared).await;
            text
        }
        ("module", "unload") => {
            let text = modules::unload(manager, module).await;
            sync_commands(shared).await;
            text
        }
        ("reload", "status") | ("module", "status" | "arsenal") => modules::status(manager),
        ("module", "list") => modules::list(manager),
        ("module", "logs") => modules::logs(manager, invocation.int_arg("limit")),
        ("prefix", _) => set_prefix(shared, invocation).await,
        ("persistent_status", _) => persistence::persistent_status(&shared.store).await,
        ("save_all", _) => persistence::save_all(&shared.store)
            .await
            .unwrap_or_else(|e| e),
        ("load_all", _) => match persistence::load_all(&shared.store).await {
            Ok(text) => {
                shared.reload_prefixes();
                // Timers live in the store too; a hand edit of them must be seen.
                if let Some(Err(e)) = manager
                    .services()
                    .timers
                    .get()
                    .map(crate::timers::TimerService::reload_from_store)
                {
                    tracing::error!("re-reading timers after !load_all failed: {e}");
                }
                text
            }
            Err(text) => text,
        },
        _ => format!(
            "Unknown subcommand. Usage: {}",
            usage_of(shared, invocation)
        ),
    };
    Outcome::Respond(None, Response::ephemeral(text))
}

/// `/prefix`, `!prefix`: the guild's prefix, kept in the store (`arsenal.guilds/<guild>`).
async fn set_prefix(shared: &Shared, invocation: &CommandInvocation) -> String {
    let Some(guild) = invocation.invoker.guild_id else {
        return "Prefixes are per server; use this in a server.".to_owned();
    };
    let typed = invocation.str_arg("prefix").unwrap_or_default().trim();
    if typed.is_empty() || typed.chars().count() > 10 || typed.contains('`') {
        return "The prefix must be 1 to 10 characters, without backticks.".to_owned();
    }
    // A word prefix ("arsenal") is followed by a space, like "arsenal module list".
    let prefix = if typed.chars().last().is_some_and(char::is_alphanumeric) {
        format!("{typed} ")
    } else {
        typed.to_owned()
    };
    match shared.set_guild_prefix(guild, &prefix).await {
        Ok(()) => format!("Prefix set to `{prefix}`: try `{prefix}module list`."),
        Err(e) => format!("The prefix could not be saved, it is unchanged: {e}"),
    }
}

fn usage_of(shared: &Shared, invocation: &CommandInvocation) -> String {
    shared
        .registry
        .read()
        .ok()
        .and_then(|r| {
            r.get(&invocation.name)
                .map(|reg| prefix::usage(&reg.spec, &[]))
        })
        .unwrap_or_default()
}

/// Calls `plugin` and decodes its [`Response`]; errors become a message for the user.
async fn call_plugin<T: serde::Serialize>(
    shared: &Shared,
    plugin: &str,
    call: &str,
    payload: &T,
) -> Result<Response, String> {
    let payload = serde_json::to_string(payload).map_err(|e| e.to_string())?;
    match shared.manager.call(plugin, call, &payload).await {
        Ok(answer) => serde_json::from_str(&answer)
            .map_err(|e| format!("⚠ Module `{plugin}` answered something the host cannot read ({e}); is it built for this host?")),
        Err(error) => Err(format!("⚠ Module `{plugin}`: {}", error.message)),
    }
}

async fn autocomplete(shared: &Arc<Shared>, request: AutocompleteInvocation) -> Vec<Choice> {
    let registered = shared
        .registry
        .read()
        .ok()
        .and_then(|r| r.get(&request.name).cloned());
    match registered.map(|r| r.owner) {
        Some(CommandOwner::Builtin) => {
            let partial = request.partial.to_lowercase();
            let mut names = shared.manager.available();
            for loaded in shared.manager.loaded() {
                if !names.contains(&loaded) {
                    names.push(loaded);
                }
            }
            names
                .into_iter()
                .filter(|n| n.contains(&partial))
                .map(|n| Choice {
                    name: n.clone(),
                    value: n,
                })
                .collect()
        }
        Some(CommandOwner::Unloaded(_)) => Vec::new(),
        Some(CommandOwner::Plugin(plugin)) => {
            let Ok(payload) = serde_json::to_string(&request) else {
                return Vec::new();
            };
            match shared
                .manager
                .call(&plugin, kind::AUTOCOMPLETE, &payload)
                .await
            {
                Ok(answer) => serde_json::from_str(&answer).unwrap_or_default(),
                Err(_) => Vec::new(),
            }
        }
        None => Vec::new(),
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
            let summary = modules::reload_all(&shared.manager, |text| {
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

fn deferred(ephemeral: bool) -> InteractionResponse {
    InteractionResponse {
        kind: InteractionResponseType::DeferredChannelMessageWithSource,
        data: ephemeral.then(|| InteractionResponseData {
            flags: Some(MessageFlags::EPHEMERAL),
            ..InteractionResponseData::default()
        }),
    }
}

async fn edit_original(shared: &Shared, interaction: &Interaction, outcome: Outcome) {
    let (plugin, reply) = match outcome {
        Outcome::Respond(plugin, Response::Message(reply) | Response::Update(reply)) => {
            (plugin, reply)
        }
        Outcome::Respond(_, _) => (None, arsenal_plugin_api::Reply::text("Done.")),
        Outcome::Refused(message) => (None, arsenal_plugin_api::Reply::text(message)),
        Outcome::ReloadAll => (
            None,
            arsenal_plugin_api::Reply::text("Use `/reload all` again."),
        ),
    };
    let data = respond::message_data(plugin.as_deref(), reply);
    let client = shared.http.interaction(shared.application_id);
    let embeds = data.embeds.unwrap_or_default();
    let components = data.components.unwrap_or_default();
    let result = client
        .update_response(&interaction.token)
        .content(data.content.as_deref())
        .embeds(Some(&embeds))
        .components(Some(&components))
        .await;
    if let Err(e) = result {
        tracing::warn!(
            "editing a deferred answer failed: {}",
            describe_http_error(&e)
        );
    }
}

async fn answer(shared: &Shared, interaction: &Interaction, response: &InteractionResponse) {
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
    };
    match run_command(&shared, &invocation).await {
        Outcome::Respond(plugin, Response::Message(answer) | Response::Update(answer)) => {
            send_reply(&shared, &message, plugin.as_deref(), answer).await;
        }
        Outcome::Respond(_, Response::Modal(_)) => {
            reply(
                &shared,
                &message,
                "This command opens a form: use it as a slash command.",
            )
            .await;
        }
        Outcome::Respond(_, Response::Nothing) => {}
        Outcome::Refused(text) => reply(&shared, &message, &text).await,
        Outcome::ReloadAll => {
            let progress = shared
                .http
                .create_message(message.channel_id)
                .reply(message.id)
                .content("Reloading…")
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
            let summary = modules::reload_all(&shared.manager, |_| {}).await;
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

/// The invoker of a prefix command, with guild-level permissions computed from cached roles
/// (channel overwrites are not applied: built-ins need guild-level permissions anyway).
fn message_invoker(shared: &Shared, message: &Message) -> Invoker {
    let roles = message
        .member
        .as_ref()
        .map(|m| m.roles.clone())
        .unwrap_or_default();
    let mut permissions = Permissions::empty();
    if let Some(guild_id) = message.guild_id {
        let is_guild_owner = shared
            .cache
            .guild(guild_id)
            .is_some_and(|g| g.owner_id() == message.author.id);
        let everyone = shared
            .cache
            .role(guild_id.cast())
            .map(|r| r.resource().permissions)
            .unwrap_or(Permissions::empty());
        permissions = roles
            .iter()
            .filter_map(|id| shared.cache.role(*id).map(|r| r.resource().permissions))
            .fold(everyone, |all, p| all | p);
        if is_guild_owner || permissions.contains(Permissions::ADMINISTRATOR) {
            permissions = Permissions::all();
        }
    }
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
    let mut builder = shared
        .http
        .create_message(message.channel_id)
        .reply(message.id)
        .embeds(&answer.embeds)
        .components(&answer.components);
    if let Some(content) = content.as_deref() {
        builder = builder.content(content);
    }
    if let Err(e) = builder.await {
        tracing::warn!(
            "replying to a prefix command failed: {}",
            describe_http_error(&e)
        );
    }
}
