//! One command, slash or prefix alike: who owns it, whether the invoker may run it, and the
//! built-in commands the host answers itself.

use std::sync::Arc;

use arsenal_plugin_api::{
    abi::ErrorCode,
    protocol::{kind, CommandInvocation, Invoker, Response},
    CommandSpec,
};
use twilight_model::{
    guild::Permissions,
    id::{marker::GuildMarker, Id},
};

use arsenal_plugin_api::{i18n::Tr, tr};

use crate::builtin::{
    modules, persistence,
    texts::{host_tr, permission_names},
};
use crate::discord::{
    guild_scope, prefix,
    registry::{Audience, CommandOwner},
    shared::{sync_commands, Shared},
};

/// Checks that the invoker may run `spec` (Discord enforces default permissions for slash
/// commands only; the host enforces them for both, and the bot-wide rules for built-ins).
///
/// `subcommand` is the path invoked: a subcommand or group may need more than its command
/// (`CommandSpec::subcommand_permissions`), which Discord cannot check, so the host does, for
/// slash and prefix alike. `control_guild` is the server whose administrators count as bot
/// admins (`control_guild` in arsenal.toml); without one, only owners are.
pub(super) fn permitted(
    spec: &CommandSpec,
    subcommand: &[String],
    audience: Audience,
    invoker: &Invoker,
    control_guild: Option<Id<GuildMarker>>,
) -> Result<(), String> {
    let tr = host_tr(invoker);
    match audience {
        Audience::Owners if !invoker.is_owner => {
            return Err(tr!(tr, "host-owners-only", command = spec.name.as_str()));
        }
        // Bot-wide commands act on every server the bot is in (and show every module's
        // errors), so one server's administrators are not enough: only the control server's.
        Audience::BotAdmins if !invoker.is_owner => {
            let control_admin = control_guild.is_some()
                && invoker.guild_id == control_guild
                && invoker.permissions.contains(Permissions::ADMINISTRATOR);
            if !control_admin {
                let key = match control_guild {
                    Some(_) => "host-bot-admins-control",
                    None => "host-bot-admins-owners",
                };
                return Err(tr!(tr, key, command = spec.name.as_str()));
            }
        }
        _ => {}
    }
    let required = spec.required_permissions(subcommand);
    let has = invoker.permissions;
    if invoker.is_owner || has.contains(Permissions::ADMINISTRATOR) || has.contains(required) {
        Ok(())
    } else {
        let used = std::iter::once(spec.name.as_str())
            .chain(subcommand.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        Err(tr!(
            tr,
            "host-missing-permission",
            permissions = permission_names(tr, required - has),
            command = used,
        ))
    }
}

/// What answering a command produced.
pub(super) enum Outcome {
    Respond(Option<String>, Response),
    ReloadAll,
    Refused(String),
}

/// Routes a command to its owner and returns the answer (or that it is a `/reload all`).
pub(super) async fn run_command(shared: &Arc<Shared>, invocation: &CommandInvocation) -> Outcome {
    let registered = shared
        .registry
        .read()
        .ok()
        .and_then(|r| r.get(&invocation.name).cloned());
    let tr = host_tr(&invocation.invoker);
    let Some(registered) = registered else {
        return Outcome::Refused(tr!(
            tr,
            "host-command-unavailable",
            command = invocation.name.as_str()
        ));
    };
    let control_guild = shared.settings.control_guild;
    if let Err(message) = permitted(
        &registered.spec,
        &invocation.subcommand,
        registered.audience,
        &invocation.invoker,
        control_guild,
    ) {
        return Outcome::Refused(message);
    }
    if let Err(message) =
        guild_scope::check_arguments(&shared.cache, &shared.http, invocation).await
    {
        return Outcome::Refused(message);
    }
    match registered.owner {
        CommandOwner::Builtin => builtin(shared, invocation).await,
        CommandOwner::Unloaded(plugin) => Outcome::Refused(tr!(
            tr,
            "host-module-not-loaded",
            command = invocation.name.as_str(),
            module = plugin,
        )),
        CommandOwner::Plugin(plugin) => {
            let guild = invocation.invoker.guild_id;
            match call_plugin(shared, &plugin, kind::COMMAND, invocation, guild, tr).await {
                Ok(response) => Outcome::Respond(Some(plugin), response),
                Err(message) => Outcome::Refused(message),
            }
        }
    }
}

async fn builtin(shared: &Arc<Shared>, invocation: &CommandInvocation) -> Outcome {
    let manager = &shared.manager;
    let tr = host_tr(&invocation.invoker);
    let sub = invocation
        .subcommand
        .first()
        .map(String::as_str)
        .unwrap_or_default();
    let module = invocation.str_arg("module").unwrap_or_default();
    let text = match (invocation.name.as_str(), sub) {
        ("reload", "all") | ("module", "reload_all") => return Outcome::ReloadAll,
        ("reload", "module") | ("module", "reload" | "load") => {
            let text = match invocation.str_arg("canary") {
                Some(server) => {
                    let known = |guild| shared.cache.guild(guild).is_some();
                    modules::canary(manager, module, server, known, tr).await
                }
                None => modules::reload(manager, module, tr).await,
            };
            sync_commands(shared).await;
            text
        }
        ("reload" | "module", "promote") => {
            let text = modules::promote(manager, module, tr).await;
            sync_commands(shared).await;
            text
        }
        ("reload" | "module", "rollback") => modules::rollback(manager, module, tr).await,
        ("module", "unload") => {
            let text = modules::unload(manager, module, tr).await;
            sync_commands(shared).await;
            text
        }
        ("reload", "status") | ("module", "status" | "arsenal") => {
            let mut text = modules::status(manager);
            if let Some(fleet) = manager.services().fleet.get() {
                text.push_str(&fleet.status_text().await);
            }
            text
        }
        ("module", "list") => modules::list(manager),
        ("module", "reexec") => match manager.services().reexec.get() {
            Some(trigger) => {
                trigger.request(crate::reexec::ReexecReason::Command);
                tr!(tr, "host-reexec-started")
            }
            None => tr!(tr, "host-reexec-unavailable"),
        },
        ("module", "logs") => modules::logs(manager, invocation.int_arg("limit")),
        ("help" | "simple_help", _) => {
            return Outcome::Respond(None, super::help::command(shared, invocation))
        }
        ("prefix", _) => set_prefix(shared, invocation, tr).await,
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
        _ => tr!(
            tr,
            "host-unknown-subcommand",
            usage = usage_of(shared, invocation)
        ),
    };
    Outcome::Respond(None, Response::ephemeral(text))
}

/// `/prefix`, `!prefix`: the guild's prefix, kept in the store (`arsenal.guilds/<guild>`).
async fn set_prefix(shared: &Shared, invocation: &CommandInvocation, tr: Tr<'_>) -> String {
    let Some(guild) = invocation.invoker.guild_id else {
        return tr.t("host-prefix-guild-only");
    };
    let typed = invocation.str_arg("prefix").unwrap_or_default().trim();
    if typed.is_empty() || typed.chars().count() > 10 || typed.contains('`') {
        return tr.t("host-prefix-invalid");
    }
    // A word prefix ("arsenal") is followed by a space, like "arsenal module list".
    let prefix = if typed.chars().last().is_some_and(char::is_alphanumeric) {
        format!("{typed} ")
    } else {
        typed.to_owned()
    };
    match shared.set_guild_prefix(guild, &prefix).await {
        Ok(()) => tr!(tr, "host-prefix-set", prefix = prefix),
        Err(e) => tr!(tr, "host-prefix-not-saved", error = e.to_string()),
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

/// Calls `plugin` on behalf of a member in `guild` (its Discord actions stay in that server)
/// and decodes its [`Response`]; errors become a message for the user.
pub(super) async fn call_plugin<T: serde::Serialize>(
    shared: &Shared,
    plugin: &str,
    call: &str,
    payload: &T,
    guild: Option<Id<GuildMarker>>,
    tr: Tr<'_>,
) -> Result<Response, String> {
    let payload = serde_json::to_string(payload).map_err(|e| e.to_string())?;
    match shared.manager.call_for(plugin, call, &payload, guild).await {
        Ok(answer) => serde_json::from_str(&answer).map_err(|e| {
            tr!(
                tr,
                "host-module-unreadable",
                module = plugin,
                error = e.to_string()
            )
        }),
        // A refusal meant for the member is shown as the module wrote it.
        Err(error) if error.kind() == ErrorCode::Forbidden => Err(error.message.to_string()),
        Err(error) => Err(tr!(
            tr,
            "host-module-failed",
            module = plugin,
            error = error.message.to_string()
        )),
    }
}
