//! Registered application commands (global and per guild) and counters of every write, so tests
//! can assert that a restart or reload did not re-sync (Discord allows 200 creates per day).

use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub(crate) struct CommandRecord {
    pub id: u64,
    pub guild_id: Option<u64>,
    pub version: u64,
    /// The create body as the bot sent it.
    pub body: Value,
}

/// How often the bot wrote commands in one scope (global or one guild).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CommandStats {
    /// `POST` create calls.
    pub creates: u32,
    /// `PUT` bulk overwrite calls.
    pub overwrites: u32,
    /// `PATCH` edit calls.
    pub edits: u32,
    /// `DELETE` calls.
    pub deletes: u32,
    /// Commands that did not exist before (by name and type): what Discord's daily create limit
    /// counts, through either create or overwrite.
    pub new_commands: u32,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct CommandRegistry {
    /// `None` = global.
    pub by_scope: BTreeMap<Option<u64>, Vec<CommandRecord>>,
    pub stats: BTreeMap<Option<u64>, CommandStats>,
}

fn same_command(a: &Value, b: &Value) -> bool {
    a.get("name") == b.get("name")
        && a.get("type").and_then(Value::as_u64).unwrap_or(1)
            == b.get("type").and_then(Value::as_u64).unwrap_or(1)
}

impl CommandRegistry {
    pub(crate) fn list(&self, scope: Option<u64>) -> &[CommandRecord] {
        self.by_scope.get(&scope).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn find(&self, scope: Option<u64>, id: u64) -> Option<&CommandRecord> {
        self.list(scope).iter().find(|c| c.id == id)
    }

    /// `POST`: creates, or updates the command with the same name and type (Discord upserts).
    pub(crate) fn create(&mut self, scope: Option<u64>, body: Value, new_id: u64) -> CommandRecord {
        let stats = self.stats.entry(scope).or_default();
        stats.creates += 1;
        let list = self.by_scope.entry(scope).or_default();
        if let Some(existing) = list.iter_mut().find(|c| same_command(&c.body, &body)) {
            existing.body = body;
            existing.version = new_id;
            return existing.clone();
        }
        stats.new_commands += 1;
        let record = CommandRecord {
            id: new_id,
            guild_id: scope,
            version: new_id,
            body,
        };
        list.push(record.clone());
        record
    }

    /// `PUT`: replaces the scope's commands; commands keep their id when name and type match.
    pub(crate) fn overwrite(
        &mut self,
        scope: Option<u64>,
        bodies: Vec<Value>,
        mut next_id: impl FnMut() -> u64,
    ) -> Vec<CommandRecord> {
        let stats = self.stats.entry(scope).or_default();
        stats.overwrites += 1;
        let old = self.by_scope.remove(&scope).unwrap_or_default();
        let mut new = Vec::with_capacity(bodies.len());
        for body in bodies {
            let record = match old.iter().find(|c| same_command(&c.body, &body)) {
                Some(c) if c.body == body => c.clone(),
                Some(c) => CommandRecord {
                    body,
                    version: next_id(),
                    ..c.clone()
                },
                None => {
                    stats.new_commands += 1;
                    let id = next_id();
                    CommandRecord {
                        id,
                        guild_id: scope,
                        version: id,
                        body,
                    }
                }
            };
            new.push(record);
        }
        self.by_scope.insert(scope, new.clone());
        new
    }

    pub(crate) fn edit(
        &mut self,
        scope: Option<u64>,
        id: u64,
        patch: &Value,
        version: u64,
    ) -> Option<CommandRecord> {
        self.stats.entry(scope).or_default().edits += 1;
        let record = self
            .by_scope
            .get_mut(&scope)?
            .iter_mut()
            .find(|c| c.id == id)?;
        if let (Some(body), Some(patch)) = (record.body.as_object_mut(), patch.as_object()) {
            for (k, v) in patch {
                body.insert(k.clone(), v.clone());
            }
        }
        record.version = version;
        Some(record.clone())
    }

    pub(crate) fn delete(&mut self, scope: Option<u64>, id: u64) -> bool {
        self.stats.entry(scope).or_default().deletes += 1;
        let Some(list) = self.by_scope.get_mut(&scope) else {
            return false;
        };
        let before = list.len();
        list.retain(|c| c.id != id);
        list.len() != before
    }

    /// Finds a command usable in `guild` by name: guild commands shadow global ones.
    pub(crate) fn by_name(
        &self,
        guild: Option<u64>,
        name: &str,
        kind: u64,
    ) -> Option<&CommandRecord> {
        let matches = |c: &&CommandRecord| {
            c.body.get("name").and_then(Value::as_str) == Some(name)
                && c.body.get("type").and_then(Value::as_u64).unwrap_or(1) == kind
        };
        guild
            .and_then(|g| self.list(Some(g)).iter().find(matches))
            .or_else(|| self.list(None).iter().find(matches))
    }
}

/// The command object Discord returns.
pub(crate) fn command_json(c: &CommandRecord, application_id: u64) -> Value {
    let b = &c.body;
    let field = |k: &str, default: Value| b.get(k).cloned().unwrap_or(default);
    let mut v = json!({
        "id": c.id.to_string(),
        "application_id": application_id.to_string(),
        "version": c.version.to_string(),
        "type": field("type", json!(1)),
        "name": field("name", json!("")),
        "name_localizations": field("name_localizations", Value::Null),
        "description": field("description", json!("")),
        "description_localizations": field("description_localizations", Value::Null),
        "default_member_permissions": field("default_member_permissions", Value::Null),
        "dm_permission": field("dm_permission", json!(true)),
        "nsfw": field("nsfw", json!(false)),
        "integration_types": field("integration_types", json!([0])),
        "contexts": field("contexts", Value::Null),
    });
    if let Some(options) = b.get("options").filter(|o| !o.is_null()) {
        v["options"] = options.clone();
    }
    if let Some(g) = c.guild_id {
        v["guild_id"] = json!(g.to_string());
    }
    v
}

impl super::World {
    /// Deletes every command of one scope (`None` = global) without counting it as a bot
    /// write: what someone deleting the commands in the developer portal looks like to the bot.
    pub fn clear_commands(
        &mut self,
        guild: Option<twilight_model::id::Id<twilight_model::id::marker::GuildMarker>>,
    ) {
        self.commands
            .by_scope
            .remove(&guild.map(twilight_model::id::Id::get));
    }
}
