//! Registering slash commands with Discord, per scope, only when Discord's copy is not already
//! the declared set.
//!
//! Discord allows 200 command creations a day; syncing on every reload would burn them, and a
//! failed sync would make commands vanish. So each scope's set is fingerprinted and the
//! fingerprint of its last successful sync is kept in the store (namespace `arsenal.commands`,
//! key `global` or `guild:<id>`): a reload syncs only a scope whose set changed.
//!
//! At start that fingerprint is not trusted: Discord's copy may differ from what this data folder
//! last sent (a new sandbox simulator, the bot moved to another application, commands deleted in
//! the developer portal). So the host reads what Discord has (one GET per scope), compares what
//! matters (names, descriptions, options, permissions; Discord adds ids, versions and defaults,
//! so both sides are normalised first) and sends the set only when they differ. A scope synced
//! before but no longer used (the scope or `control_guild` changed) is emptied at start.

use std::collections::{BTreeMap, HashMap};

use arsenal_store::Store;
use serde_json::{json, Value};
use twilight_model::{
    application::command::Command,
    id::{
        marker::{ApplicationMarker, CommandMarker, GuildMarker},
        Id,
    },
};

use super::registry::{Audience, CommandRegistry};
use crate::config::CommandScope;

const NAMESPACE: &str = "arsenal.commands";

/// How a scope decides whether Discord needs the set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Compare with the fingerprint of the last successful sync (reloads: no request at all
    /// when nothing changed).
    Fingerprint,
    /// Ask Discord what it has and compare with that (start-up).
    Discord,
}

/// What a sync did in one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// Discord already has the declared set: nothing was sent.
    Unchanged,
    /// The set was sent to Discord.
    Synced {
        /// Commands registered.
        count: usize,
    },
}

/// The slash commands of each scope, as Discord's bulk-overwrite bodies.
///
/// Without `control_guild` every slash command goes to `scope`. With it, the bot-wide ones
/// (`Audience::BotAdmins`, i.e. `/reload`) go to the control guild only, so other servers never
/// see them; the rest stay in `scope` (one scope when `scope` is the control guild itself).
#[must_use]
pub fn plan(
    registry: &CommandRegistry,
    scope: CommandScope,
    control_guild: Option<Id<GuildMarker>>,
) -> Vec<(CommandScope, Vec<Value>)> {
    let Some(control) = control_guild.map(CommandScope::Guild) else {
        return vec![(scope, registry.slash_payload())];
    };
    if control == scope {
        return vec![(scope, registry.slash_payload())];
    }
    let bot_wide = |audience: Audience| audience == Audience::BotAdmins;
    vec![
        (scope, registry.slash_payload_where(|a| !bot_wide(a))),
        (control, registry.slash_payload_where(bot_wide)),
    ]
}

/// The store key of a scope.
fn key_of(scope: CommandScope) -> String {
    match scope {
        CommandScope::Global => "global".to_owned(),
        CommandScope::Guild(guild) => format!("guild:{guild}"),
    }
}

fn scope_of(key: &str) -> Option<CommandScope> {
    match key {
        "global" => Some(CommandScope::Global),
        _ => key
            .strip_prefix("guild:")?
            .parse::<u64>()
            .ok()
            .and_then(Id::new_checked)
            .map(CommandScope::Guild),
    }
}

fn fingerprint(payload: &[Value]) -> String {
    let bytes = serde_json::to_vec(payload).unwrap_or_default();
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes))
}

/// Syncs every scope of `plan`; at start (`Check::Discord`) also empties scopes synced before
/// that the plan no longer uses. Returns each scope's outcome; `ids` receives the id of every
/// command Discord was seen to have (its answer to a sync, or the start-up read).
pub async fn sync_all(
    http: &twilight_http::Client,
    application_id: Id<ApplicationMarker>,
    plan: Vec<(CommandScope, Vec<Value>)>,
    store: &Store,
    check: Check,
    ids: &mut HashMap<String, Id<CommandMarker>>,
) -> Vec<(CommandScope, anyhow::Result<SyncOutcome>)> {
    let mut outcomes = Vec::new();
    if check == Check::Discord {
        let stale: Vec<CommandScope> = store
            .list(NAMESPACE, "")
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(key, _)| scope_of(&key))
            .filter(|old| plan.iter().all(|(scope, _)| scope != old))
            .collect();
        for scope in stale {
            let result = sync(http, application_id, scope, &[], store, check, ids).await;
            if result.is_ok() {
                // Withdrawn: nothing of ours is left there to keep track of.
                let _ = store.delete(NAMESPACE, &key_of(scope));
            }
            outcomes.push((scope, result));
        }
    }
    for (scope, payload) in plan {
        let result = sync(http, application_id, scope, &payload, store, check, ids).await;
        outcomes.push((scope, result));
    }
    outcomes
}

/// Registers `payload` in `scope` unless Discord already has it (by `check`).
///
/// # Errors
///
/// Discord refused the set (its message says which command is wrong) or could not be asked,
/// or the store failed.
async fn sync(
    http: &twilight_http::Client,
    application_id: Id<ApplicationMarker>,
    scope: CommandScope,
    payload: &[Value],
    store: &Store,
    check: Check,
    ids: &mut HashMap<String, Id<CommandMarker>>,
) -> anyhow::Result<SyncOutcome> {
    let key = key_of(scope);
    let fingerprint = fingerprint(payload);
    let stored = store.get(NAMESPACE, &key)?;
    let stored = stored
        .as_ref()
        .and_then(|v| v.value["fingerprint"].as_str());
    let commands: Vec<Command> = payload
        .iter()
        .cloned()
        .map(serde_json::from_value)
        .collect::<Result<_, _>>()?;
    let interaction = http.interaction(application_id);
    let unchanged = match check {
        Check::Fingerprint => stored == Some(fingerprint.as_str()),
        Check::Discord => {
            let current = match scope {
                CommandScope::Global => {
                    interaction.global_commands().with_localizations(true).await
                }
                CommandScope::Guild(guild) => {
                    interaction
                        .guild_commands(guild)
                        .with_localizations(true)
                        .await
                }
            }
            .map_err(|e| {
                anyhow::anyhow!(
                    "reading the slash commands Discord has: {}",
                    super::actions::describe_http_error(&e)
                )
            })?
            .models()
            .await?;
            remember_ids(ids, &current);
            normalised(&current) == normalised(&commands)
        }
    };
    if unchanged {
        if stored != Some(fingerprint.as_str()) {
            // Discord has the set already (e.g. a data folder restored from a backup): remember
            // it so reloads compare against the truth.
            remember(store, &key, &fingerprint, commands.len())?;
        }
        return Ok(SyncOutcome::Unchanged);
    }
    let result = match scope {
        CommandScope::Global => interaction.set_global_commands(&commands).await,
        CommandScope::Guild(guild) => interaction.set_guild_commands(guild, &commands).await,
    };
    let answer = result.map_err(|e| {
        anyhow::anyhow!(
            "Discord refused the slash commands: {}",
            super::actions::describe_http_error(&e)
        )
    })?;
    // The set is registered either way; without the ids the help shows `/name` instead.
    match answer.models().await {
        Ok(registered) => remember_ids(ids, &registered),
        Err(e) => tracing::warn!("reading the ids of the registered commands: {e}"),
    }
    remember(store, &key, &fingerprint, commands.len())?;
    Ok(SyncOutcome::Synced {
        count: commands.len(),
    })
}

/// Reads the ids of the commands Discord has in each of `scopes`, changing nothing: a process
/// of a fleet that leaves registering to another still mentions commands as `</name:id>`.
pub async fn read_ids(
    http: &twilight_http::Client,
    application_id: Id<ApplicationMarker>,
    scopes: impl Iterator<Item = CommandScope>,
    ids: &mut HashMap<String, Id<CommandMarker>>,
) -> anyhow::Result<()> {
    let interaction = http.interaction(application_id);
    for scope in scopes {
        let current = match scope {
            CommandScope::Global => interaction.global_commands().await,
            CommandScope::Guild(guild) => interaction.guild_commands(guild).await,
        }
        .map_err(|e| {
            anyhow::anyhow!(
                "reading the slash commands Discord has: {}",
                super::actions::describe_http_error(&e)
            )
        })?
        .models()
        .await?;
        remember_ids(ids, &current);
    }
    Ok(())
}

/// Keeps the id Discord gave each of `commands`.
fn remember_ids(ids: &mut HashMap<String, Id<CommandMarker>>, commands: &[Command]) {
    for command in commands {
        if let Some(id) = command.id {
            ids.insert(command.name.clone(), id);
        }
    }
}

fn remember(store: &Store, key: &str, fingerprint: &str, count: usize) -> anyhow::Result<()> {
    store.set(
        NAMESPACE,
        key,
        json!({"fingerprint": fingerprint, "count": count, "synced_at_unix_ms": crate::plugins::history::now_ms()}),
    )?;
    Ok(())
}

/// Fields Discord adds to what the bot declared, or that the bot never sets.
const ADDED_BY_DISCORD: &[&str] = &[
    "id",
    "application_id",
    "guild_id",
    "version",
    "dm_permission",
    "nsfw",
    "contexts",
    "integration_types",
    "name_localized",
    "description_localized",
];

/// What matters of a command set, sorted by name: both sides through twilight's model, then
/// Discord's additions and defaults (null, false, empty lists) dropped and numbers compared as
/// numbers (`1` and `1.0` are the same bound).
fn normalised(commands: &[Command]) -> BTreeMap<String, Value> {
    commands
        .iter()
        .filter_map(|c| serde_json::to_value(c).ok())
        .map(|v| {
            let name = v["name"].as_str().unwrap_or_default().to_owned();
            (name, essence(v))
        })
        .collect()
}

fn essence(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, v)| !ADDED_BY_DISCORD.contains(&k.as_str()) && !is_default(v))
                .map(|(k, v)| (k, essence(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(essence).collect()),
        Value::Number(n) => n.as_f64().map_or(Value::Number(n), |f| json!(f)),
        other => other,
    }
}

fn is_default(value: &Value) -> bool {
    value.is_null() || *value == Value::Bool(false) || value.as_array().is_some_and(Vec::is_empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(body: Value) -> Command {
        serde_json::from_value(body).expect("a command")
    }

    #[test]
    fn discord_additions_do_not_count_as_a_change_but_a_description_does() {
        let declared = command(
            json!({"version": "1", "type": 1, "name": "count", "description": "Count",
            "options": [{"type": 4, "name": "by", "description": "Step", "min_value": 1}]}),
        );
        let returned = command(
            json!({"id": "9", "application_id": "3", "guild_id": "5", "version": "77",
            "type": 1, "name": "count", "description": "Count", "name_localizations": null,
            "default_member_permissions": null, "dm_permission": true, "nsfw": false,
            "integration_types": [0], "contexts": null,
            "options": [{"type": 4, "name": "by", "description": "Step", "min_value": 1.0, "required": false, "autocomplete": false}]}),
        );
        assert_eq!(
            normalised(std::slice::from_ref(&declared)),
            normalised(&[returned])
        );
        let mut edited = declared.clone();
        edited.description = "Count things".to_owned();
        assert_ne!(
            normalised(std::slice::from_ref(&declared)),
            normalised(&[edited])
        );
        // A translation is part of the command: a new French description is a change.
        let mut french = declared.clone();
        french.description_localizations = Some(
            [("fr".to_owned(), "Compter".to_owned())]
                .into_iter()
                .collect(),
        );
        assert_ne!(
            normalised(std::slice::from_ref(&declared)),
            normalised(&[french])
        );
        let mut admin_only = declared.clone();
        admin_only.default_member_permissions =
            Some(twilight_model::guild::Permissions::ADMINISTRATOR);
        assert_ne!(normalised(&[declared]), normalised(&[admin_only]));
    }

    #[test]
    fn reload_goes_to_the_control_guild_only() {
        let registry = CommandRegistry::builtins();
        let names = |payload: &[Value]| -> Vec<String> {
            payload
                .iter()
                .map(|c| c["name"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        let main = CommandScope::Guild(Id::new(1));
        let control = Id::new(2);
        let single = plan(&registry, main, None);
        assert_eq!(single.len(), 1);
        assert_eq!(
            names(&single[0].1),
            ["help", "prefix", "reload", "simple_help"]
        );
        let split = plan(&registry, main, Some(control));
        assert_eq!(split[0].0, main);
        assert_eq!(names(&split[0].1), ["help", "prefix", "simple_help"]);
        assert_eq!(split[1].0, CommandScope::Guild(control));
        assert_eq!(names(&split[1].1), ["reload"]);
        let same = plan(&registry, CommandScope::Guild(control), Some(control));
        assert_eq!(same.len(), 1);
        assert_eq!(
            names(&same[0].1),
            ["help", "prefix", "reload", "simple_help"]
        );
        for (scope, _) in split {
            assert_eq!(scope_of(&key_of(scope)), Some(scope));
        }
    }
}
