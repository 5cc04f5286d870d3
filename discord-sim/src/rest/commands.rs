//! Application commands, global (`/applications/{id}/commands`) and per guild
//! (`/applications/{id}/guilds/{guild_id}/commands`).

use super::context::{no_content, ok, Ctx, Reply};
use crate::world::{command_json, World};
use crate::ApiError;
use serde_json::{json, Value};

pub(crate) fn route(ctx: &Ctx<'_>) -> Option<Reply> {
    let template = ctx.matched.template;
    let by_id = template.ends_with("/commands/{command_id}");
    if !template.ends_with("/commands") && !by_id {
        return None; // command permissions need an OAuth2 Bearer token; not simulated
    }
    let reply = scope(ctx).and_then(|scope| match (ctx.method, by_id) {
        ("GET", false) => list(ctx, scope),
        ("PUT", false) => overwrite(ctx, scope),
        ("POST", false) => create(ctx, scope),
        ("GET", true) => get(ctx, scope),
        ("PATCH", true) => edit(ctx, scope),
        ("DELETE", true) => delete(ctx, scope),
        _ => Err(ApiError::not_found()),
    });
    Some(reply)
}

/// The command scope (`None` = global) after checking the application id and guild access.
fn scope(ctx: &Ctx<'_>) -> Result<Option<u64>, ApiError> {
    let app = ctx.id("application_id")?;
    let world = crate::lock(&ctx.shared.world);
    if app != world.app.id {
        return Err(ApiError::new(403, 50001, "Missing Access"));
    }
    match ctx.matched.param("guild_id") {
        None => Ok(None),
        Some(g) => {
            let g = g.parse::<u64>().map_err(|_| ApiError::unknown_guild())?;
            if !world.guild(g)?.members.contains_key(&world.bot_user_id) {
                return Err(ApiError::missing_access());
            }
            Ok(Some(g))
        }
    }
}

/// Rules the schema cannot express: lowercase chat-input names, unique names, required options
/// first.
fn check_command(body: &Value, field: &str) -> Result<(), ApiError> {
    let kind = body.get("type").and_then(Value::as_u64).unwrap_or(1);
    let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
    if kind == 1 && (name.chars().any(|c| c.is_uppercase() || c.is_whitespace()) || name.is_empty())
    {
        return Err(ApiError::invalid_field(
            &format!("{field}name"),
            "APPLICATION_COMMAND_INVALID_NAME",
            "Command name is invalid",
        ));
    }
    if kind == 1
        && body
            .get("description")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
    {
        return Err(ApiError::invalid_field(
            &format!("{field}description"),
            "BASE_TYPE_REQUIRED",
            "This field is required",
        ));
    }
    check_options(body.get("options"), &format!("{field}options"))
}

fn check_options(options: Option<&Value>, field: &str) -> Result<(), ApiError> {
    let Some(options) = options.and_then(Value::as_array) else {
        return Ok(());
    };
    let mut seen_optional = false;
    let mut names = Vec::new();
    for (i, o) in options.iter().enumerate() {
        let name = o.get("name").and_then(Value::as_str).unwrap_or_default();
        if names.contains(&name) {
            return Err(ApiError::invalid_field(
                &format!("{field}.{i}.name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            ));
        }
        names.push(name);
        if name.chars().any(char::is_uppercase) {
            return Err(ApiError::invalid_field(
                &format!("{field}.{i}.name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                "Option name is invalid",
            ));
        }
        let kind = o.get("type").and_then(Value::as_u64).unwrap_or(0);
        if kind == 1 || kind == 2 {
            check_options(o.get("options"), &format!("{field}.{i}.options"))?;
            continue;
        }
        let required = o.get("required").and_then(Value::as_bool).unwrap_or(false);
        if required && seen_optional {
            return Err(ApiError::invalid_field(
                &format!("{field}.{i}.required"),
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            ));
        }
        seen_optional |= !required;
    }
    Ok(())
}

/// Discord sends the localisation dictionaries only when asked (`with_localizations=true`);
/// otherwise commands and options come without them.
fn list(ctx: &Ctx<'_>, scope: Option<u64>) -> Reply {
    let world = crate::lock(&ctx.shared.world);
    let app = world.app.id;
    let with_localizations = ctx.query_flag("with_localizations");
    ok(json!(world
        .commands
        .list(scope)
        .iter()
        .map(|c| {
            let mut command = command_json(c, app);
            if !with_localizations {
                drop_localizations(&mut command);
            }
            command
        })
        .collect::<Vec<_>>()))
}

fn drop_localizations(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("name_localizations");
            map.remove("description_localizations");
            map.values_mut().for_each(drop_localizations);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_localizations),
        _ => {}
    }
}

fn overwrite(ctx: &Ctx<'_>, scope: Option<u64>) -> Reply {
    let bodies = ctx.body.as_array().cloned().unwrap_or_default();
    let mut names = Vec::new();
    for (i, b) in bodies.iter().enumerate() {
        check_command(b, &format!("{i}."))?;
        let key = (
            b.get("name").cloned(),
            b.get("type").and_then(Value::as_u64).unwrap_or(1),
        );
        if names.contains(&key) {
            return Err(ApiError::invalid_field(
                &format!("{i}.name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            ));
        }
        names.push(key);
    }
    ctx.shared.with_world(|w: &mut World| {
        let mut ids = w.ids.clone();
        let records = w.commands.overwrite(scope, bodies, || ids.next());
        w.ids = ids;
        let app = w.app.id;
        ok(json!(records
            .iter()
            .map(|c| command_json(c, app))
            .collect::<Vec<_>>()))
    })
}

fn create(ctx: &Ctx<'_>, scope: Option<u64>) -> Reply {
    check_command(&ctx.body, "")?;
    ctx.shared.with_world(|w| {
        let id = w.next_id();
        let before = w.commands.list(scope).len();
        let record = w.commands.create(scope, ctx.body.clone(), id);
        let status = if w.commands.list(scope).len() > before {
            201
        } else {
            200
        };
        Ok((status, Some(command_json(&record, w.app.id))))
    })
}

fn get(ctx: &Ctx<'_>, scope: Option<u64>) -> Reply {
    let id = ctx.id("command_id")?;
    let world = crate::lock(&ctx.shared.world);
    let c = world
        .commands
        .find(scope, id)
        .ok_or_else(ApiError::unknown_command)?;
    ok(command_json(c, world.app.id))
}

fn edit(ctx: &Ctx<'_>, scope: Option<u64>) -> Reply {
    let id = ctx.id("command_id")?;
    check_options(ctx.body.get("options"), "options")?;
    ctx.shared.with_world(|w| {
        let version = w.next_id();
        let c = w
            .commands
            .edit(scope, id, &ctx.body, version)
            .ok_or_else(ApiError::unknown_command)?;
        ok(command_json(&c, w.app.id))
    })
}

fn delete(ctx: &Ctx<'_>, scope: Option<u64>) -> Reply {
    let id = ctx.id("command_id")?;
    ctx.shared.with_world(|w| {
        if w.commands.delete(scope, id) {
            no_content()
        } else {
            Err(ApiError::unknown_command())
        }
    })
}
