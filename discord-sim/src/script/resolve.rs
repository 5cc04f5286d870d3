//! Turning what a script says ("option `target` = bob", "click `ticket:open`") into the exact
//! shapes Discord sends: typed options, `resolved` data, components found in nested layouts.

use super::ScriptError;
use crate::world::World;
use serde_json::{json, Map, Value};

/// Looks for a component by `custom_id` in a message's (possibly nested) components.
pub(super) fn find_component<'a>(components: &'a [Value], custom_id: &str) -> Option<&'a Value> {
    for c in components {
        if c.get("custom_id").and_then(Value::as_str) == Some(custom_id) {
            return Some(c);
        }
        let nested = c
            .get("components")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let accessory = c.get("accessory").into_iter().cloned().collect::<Vec<_>>();
        if let Some(found) = find_component(nested, custom_id) {
            return Some(found);
        }
        if accessory
            .first()
            .and_then(|a| a.get("custom_id"))
            .and_then(Value::as_str)
            == Some(custom_id)
        {
            return c.get("accessory");
        }
    }
    None
}

/// Completes a Discord options array: fills `type` from the command definition, turns ids
/// into strings, and collects `resolved` users/members/roles/channels.
pub(super) fn fill_options(
    w: &World,
    guild: Option<u64>,
    given: &Value,
    defs: Option<&Value>,
    resolved: &mut Map<String, Value>,
) -> Result<Value, ScriptError> {
    let Some(given) = given.as_array() else {
        return Ok(json!([]));
    };
    let defs: Vec<&Value> = defs
        .and_then(Value::as_array)
        .map(|d| d.iter().collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for opt in given {
        let name = opt
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| ScriptError("option without a name".into()))?;
        let def = defs
            .iter()
            .find(|d| d.get("name").and_then(Value::as_str) == Some(name));
        let kind = opt
            .get("type")
            .and_then(Value::as_u64)
            .or_else(|| def.and_then(|d| d.get("type")).and_then(Value::as_u64))
            .ok_or_else(|| {
                ScriptError(format!(
                    "option {name:?} is not defined by the command; give its \"type\""
                ))
            })?;
        let mut o = json!({ "name": name, "type": kind });
        if kind == 1 || kind == 2 {
            o["options"] = fill_options(
                w,
                guild,
                opt.get("options").unwrap_or(&json!([])),
                def.and_then(|d| d.get("options")),
                resolved,
            )?;
        } else {
            let value = opt.get("value").cloned().unwrap_or(Value::Null);
            let value = match (kind, &value) {
                (6..=9, Value::Number(n)) => json!(n.to_string()),
                _ => value,
            };
            if (6..=9).contains(&kind) {
                if let Some(id) = value.as_str().and_then(|s| s.parse::<u64>().ok()) {
                    resolve_id(w, guild, id, kind, resolved);
                }
            }
            o["value"] = value;
            if let Some(f) = opt.get("focused") {
                o["focused"] = f.clone();
            }
        }
        out.push(o);
    }
    Ok(Value::Array(out))
}

/// Adds an id to `resolved`. `kind` is an option type (6 user, 7 channel, 8 role,
/// 9 mentionable) or a select component type (5 user, 6 role, 7 mentionable, 8 channel);
/// the id itself decides what it is when ambiguous.
pub(super) fn resolve_id(
    w: &World,
    guild: Option<u64>,
    id: u64,
    _kind: u64,
    resolved: &mut Map<String, Value>,
) {
    let mut put = |section: &str, value: Value| {
        if let Value::Object(map) = resolved
            .entry(section.to_owned())
            .or_insert_with(|| json!({}))
        {
            map.insert(id.to_string(), value);
        }
    };
    if w.users.contains_key(&id) {
        put("users", w.user_json(id));
        if let Some(m) = guild
            .and_then(|g| w.guilds.get(&g))
            .and_then(|g| g.members.get(&id))
        {
            let mut member = w.member_json(m, false);
            if let Some(c) = guild {
                member["permissions"] = json!(w
                    .guilds
                    .get(&c)
                    .map_or(0, |g| w.guild_permissions(g, id))
                    .to_string());
            }
            put("members", member);
        }
    } else if let Some(r) = guild
        .and_then(|g| w.guilds.get(&g))
        .and_then(|g| g.roles.get(&id))
    {
        put("roles", crate::world::json::role(r));
    } else if let Some(c) = w.channels.get(&id) {
        let mut v = json!({
            "id": id.to_string(),
            "name": c.name,
            "type": c.kind,
            "permissions": w.channel_permissions(id, w.bot_user_id).to_string(),
        });
        if let Some(p) = c.parent_id {
            v["parent_id"] = json!(p.to_string());
        }
        put("channels", v);
    }
}
