//! Typing a slash command as a line: `/name sub option:value …` checked against the
//! registered definitions, with names (`@bob`, `#general`) resolved in the demo world.

use discord_sim::World;
use serde_json::{json, Value};
use twilight_model::id::marker::GuildMarker;
use twilight_model::id::Id;

/// Names the console accepts for users, channels and roles (lower-cased).
#[derive(Default)]
pub(super) struct Names {
    pub(super) users: Vec<(String, u64)>,
    pub(super) channels: Vec<(String, u64)>,
    pub(super) roles: Vec<(String, u64)>,
}

impl Names {
    pub(super) fn from_world(w: &World, guild: Id<GuildMarker>) -> Self {
        let mut n = Names::default();
        for m in w.members(guild) {
            let names = [Some(m.user.name), m.user.global_name, m.nick];
            n.users.extend(
                names
                    .into_iter()
                    .flatten()
                    .map(|s| (s.to_lowercase(), m.user.id.get())),
            );
        }
        n.channels = w
            .channels(guild)
            .into_iter()
            .filter_map(|c| Some((c.name?.to_lowercase(), c.id.get())))
            .collect();
        n.roles = w
            .roles(guild)
            .into_iter()
            .map(|r| (r.name.to_lowercase(), r.id.get()))
            .collect();
        n
    }

    /// `<@id>`, `<@!id>`, a raw id, `@name` or `name`.
    pub(super) fn user(&self, raw: &str) -> Option<u64> {
        let s = raw
            .trim_start_matches("<@")
            .trim_start_matches('!')
            .trim_end_matches('>');
        Self::find(&self.users, s.trim_start_matches('@'))
    }

    pub(super) fn channel(&self, raw: &str) -> Option<u64> {
        let s = raw.trim_start_matches("<#").trim_end_matches('>');
        Self::find(&self.channels, s.trim_start_matches('#'))
    }

    pub(super) fn role(&self, raw: &str) -> Option<u64> {
        let s = raw.trim_start_matches("<@&").trim_end_matches('>');
        Self::find(
            &self.roles,
            s.trim_start_matches("@&").trim_start_matches('@'),
        )
    }

    pub(super) fn find(list: &[(String, u64)], s: &str) -> Option<u64> {
        if let Ok(id) = s.parse::<u64>() {
            return list.iter().any(|(_, i)| *i == id).then_some(id);
        }
        let s = s.to_lowercase();
        list.iter().find(|(n, _)| *n == s).map(|(_, id)| *id)
    }
}

/// Splits on whitespace, keeping "double quoted" parts (anywhere in a word) together.
pub(super) fn split_words(s: &str) -> Result<Vec<String>, String> {
    let (mut words, mut cur, mut quoted, mut started) = (Vec::new(), String::new(), false, false);
    for ch in s.chars() {
        match ch {
            '"' => (quoted, started) = (!quoted, true),
            c if c.is_whitespace() && !quoted => {
                if started {
                    words.push(std::mem::take(&mut cur));
                }
                started = false;
            }
            c => (cur.push(c), started = true).1,
        }
    }
    if quoted {
        return Err("a \" quote is not closed".into());
    }
    if started {
        words.push(cur);
    }
    Ok(words)
}

pub(super) fn names_of(defs: &[&Value]) -> String {
    defs.iter()
        .filter_map(|d| d["name"].as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// `/name [group] [sub] opt:value ...` → (command name, Discord options array). Bare words
/// fill options in declared order, or extend the previous text option (`reason:too much spam`).
pub(super) fn parse_slash(
    line: &str,
    commands: &[Value],
    names: &Names,
) -> Result<(String, Value), String> {
    let words = split_words(line.trim_start_matches('/'))?;
    let Some(name) = words.first().map(|w| w.to_lowercase()) else {
        return Err("Type a command after /, e.g. /help".into());
    };
    let Some(command) = commands
        .iter()
        .find(|c| c["name"].as_str() == Some(name.as_str()))
    else {
        let all: Vec<&Value> = commands.iter().collect();
        return Err(if all.is_empty() {
            format!("Unknown command /{name}: no slash commands are registered yet (modules register theirs when they load; try !module list)")
        } else {
            format!(
                "Unknown command /{name}. Registered: /{}",
                names_of(&all).replace(" | ", ", /")
            )
        });
    };
    let mut defs: Vec<&Value> = command["options"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let mut path = vec![name.clone()];
    let mut rest = words.iter().skip(1).peekable();
    while defs
        .iter()
        .any(|d| matches!(d["type"].as_u64(), Some(1 | 2)))
    {
        let subs: Vec<&Value> = defs
            .iter()
            .copied()
            .filter(|d| matches!(d["type"].as_u64(), Some(1 | 2)))
            .collect();
        let word = rest.next().map(|w| w.to_lowercase());
        let Some(sub) = subs.iter().find(|d| {
            word.as_deref()
                .is_some_and(|w| d["name"].as_str() == Some(w))
        }) else {
            return Err(format!(
                "/{} needs one of: {}",
                path.join(" "),
                names_of(&subs)
            ));
        };
        path.push(sub["name"].as_str().unwrap_or("").to_owned());
        defs = sub["options"].as_array().into_iter().flatten().collect();
    }
    let mut given: Vec<(&Value, String)> = Vec::new();
    for word in rest {
        let named = word.split_once(':').and_then(|(k, v)| {
            Some((
                defs.iter()
                    .find(|d| d["name"].as_str() == Some(&k.to_lowercase()))?,
                v,
            ))
        });
        if let Some((def, value)) = named {
            if given.iter().any(|(d, _)| d["name"] == def["name"]) {
                return Err(format!(
                    "option {} is given twice",
                    def["name"].as_str().unwrap_or("")
                ));
            }
            given.push((def, value.to_owned()));
        } else if let Some((_, value)) = given
            .last_mut()
            .filter(|(d, _)| d["type"].as_u64() == Some(3))
        {
            value.push(' ');
            value.push_str(word);
        } else if let Some(def) = defs
            .iter()
            .find(|d| !given.iter().any(|(g, _)| g["name"] == d["name"]))
        {
            given.push((def, word.clone()));
        } else {
            return Err(format!(
                "/{} has no option for {word:?}; its options: {}",
                path.join(" "),
                names_of(&defs)
            ));
        }
    }
    let missing: Vec<&Value> = defs
        .iter()
        .copied()
        .filter(|d| {
            d["required"].as_bool() == Some(true)
                && !given.iter().any(|(g, _)| g["name"] == d["name"])
        })
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "/{} needs {} (write name:value)",
            path.join(" "),
            names_of(&missing)
        ));
    }
    let mut options = given.iter().map(|(d, raw)| Ok(json!({ "name": d["name"], "type": d["type"], "value": option_value(d, raw, names)? }))).collect::<Result<Vec<_>, String>>()?;
    // Wrap the leaf options in their subcommand (and group), innermost first.
    let subs: Vec<&str> = path.iter().skip(1).map(String::as_str).collect();
    for (i, sub) in subs.iter().enumerate().rev() {
        let kind = if i + 1 < subs.len() { 2 } else { 1 };
        options = vec![json!({ "name": sub, "type": kind, "options": options })];
    }
    Ok((name, Value::Array(options)))
}

/// Converts a typed word into the option's JSON value, checking choices and types.
pub(super) fn option_value(def: &Value, raw: &str, names: &Names) -> Result<Value, String> {
    let name = def["name"].as_str().unwrap_or("");
    if let Some(choices) = def["choices"].as_array().filter(|c| !c.is_empty()) {
        let matches = |c: &&Value| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(raw))
                || c["value"].to_string().trim_matches('"') == raw
        };
        return choices
            .iter()
            .find(matches)
            .map(|c| c["value"].clone())
            .ok_or_else(|| {
                let list: Vec<&str> = choices.iter().filter_map(|c| c["name"].as_str()).collect();
                format!("{name} must be one of: {}", list.join(" | "))
            });
    }
    let bad = |what: &str| format!("{name} needs {what}, got {raw:?}");
    let id = |found: Option<u64>, what: &str| {
        found
            .map(|id| json!(id.to_string()))
            .ok_or_else(|| bad(what))
    };
    match def["type"].as_u64().unwrap_or(3) {
        4 => raw
            .parse::<i64>()
            .map(|n| json!(n))
            .map_err(|_| bad("a whole number")),
        10 => raw
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|n| json!(n))
            .ok_or_else(|| bad("a number")),
        5 => match raw.to_lowercase().as_str() {
            "true" | "yes" | "y" | "on" | "1" => Ok(json!(true)),
            "false" | "no" | "n" | "off" | "0" => Ok(json!(false)),
            _ => Err(bad("true or false")),
        },
        6 => id(names.user(raw), "a member (@name, see :users)"),
        7 => id(names.channel(raw), "a channel (#name, see :channels)"),
        8 => id(names.role(raw), "a role (@&Name)"),
        9 => id(
            names.user(raw).or_else(|| names.role(raw)),
            "a member or a role",
        ),
        11 => Err(format!(
            "{name} is a file upload, which the console cannot send"
        )),
        _ => Ok(json!(raw)),
    }
}
