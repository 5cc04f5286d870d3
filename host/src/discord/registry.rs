//! Which command belongs to whom (the host's built-ins or a loaded plugin), and the slash
//! commands as Discord's bodies (registering them: `command_sync`).

use std::collections::BTreeMap;

use arsenal_plugin_api::{i18n::commands::localize, CommandSpec};
use serde_json::{json, Value};
use twilight_model::guild::Permissions;

use crate::plugins::PluginManager;

/// Who answers a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandOwner {
    /// The host itself.
    Builtin,
    /// A loaded plugin, by module name.
    Plugin(String),
    /// A module unloaded by an administrator: its prefix commands answer that it is not loaded
    /// (its slash commands are withdrawn from Discord).
    Unloaded(String),
}

/// Who may run a built-in command, beyond its Discord permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone with the command's `default_member_permissions`.
    Members,
    /// Whoever may act on the whole bot: the owners, and administrators of the configured
    /// control server (`control_guild`). Reload, load, unload and the status views.
    BotAdmins,
    /// Only the bot's owners (the application owner or team, plus configured ids).
    Owners,
}

/// A registered command.
#[derive(Debug, Clone)]
pub struct Registered {
    /// Its owner.
    pub owner: CommandOwner,
    /// Its declaration.
    pub spec: CommandSpec,
    /// Owner-only?
    pub audience: Audience,
}

/// Every command the host answers right now.
#[derive(Debug, Clone, Default)]
pub struct CommandRegistry {
    commands: BTreeMap<String, Registered>,
    /// Commands declared twice (the first owner keeps it), for status and logs.
    pub conflicts: Vec<String>,
}

/// The host's own commands.
#[must_use]
pub fn builtin_specs() -> Vec<(CommandSpec, Audience)> {
    let admin = Permissions::ADMINISTRATOR;
    let module_arg = |description: &str, autocomplete: bool| json!({"type": 3, "name": "module", "description": description, "required": true, "autocomplete": autocomplete});
    let canary_arg = || json!({"type": 3, "name": "canary", "description": "Only this server (its id) tries the new version, <module>.canary.so", "required": false, "min_length": 1, "max_length": 40});
    let sub = |name: &str, description: &str, options: Vec<Value>| json!({"type": 1, "name": name, "description": description, "options": options});
    let specs = json!([
        {"name": "reload", "description": "Hot-reload Arsenal modules (administrators)", "slash": true, "prefix": false,
         "options": [
            sub("module", "Reload one module; its data is kept", vec![module_arg("The module to reload", true), canary_arg()]),
            sub("all", "Reload every module, one by one", vec![]),
            sub("status", "State of every module", vec![]),
            sub("promote", "Make a module's canary serve every server", vec![module_arg("The module", true)]),
            sub("rollback", "Retire a module's canary", vec![module_arg("The module", true)]),
         ]},
        {"name": "module", "description": "Manage Arsenal modules (administrators)", "slash": false, "prefix": true,
         "options": [
            sub("reload", "Reload one module", vec![module_arg("The module", false), canary_arg()]),
            sub("promote", "Make a module's canary serve every server", vec![module_arg("The module", false)]),
            sub("rollback", "Retire a module's canary", vec![module_arg("The module", false)]),
            sub("reload_all", "Reload every module", vec![]),
            sub("arsenal", "Arsenal modules and their state", vec![]),
            sub("list", "Loaded, available and failed modules", vec![]),
            sub("status", "Full status of every module", vec![]),
            sub("logs", "Recent reloads", vec![json!({"type": 4, "name": "limit", "description": "How many (1-50)", "min_value": 1, "max_value": 50})]),
            sub("load", "Load a module from the plugins folder", vec![module_arg("The module", false)]),
            sub("unload", "Unload a module (its data stays)", vec![module_arg("The module", false)]),
            sub("reexec", "Restart the host in place, keeping the gateway sessions", vec![]),
         ]},
        {"name": "prefix", "description": "Set this server's prefix for prefix commands (administrators)", "slash": true, "prefix": true,
         "options": [{"type": 3, "name": "prefix", "description": "1 to 10 characters, e.g. ? or arsenal (a word gets a space after it)", "required": true, "min_length": 1, "max_length": 10}]},
        {"name": "persistent_status", "description": "State of every saved namespace", "slash": false, "prefix": true},
        {"name": "save_all", "description": "Write every namespace file now (owners)", "slash": false, "prefix": true},
        {"name": "load_all", "description": "Re-read namespace files edited by hand (owners)", "slash": false, "prefix": true},
        {"name": "help", "description": "The commands you can use here, by module", "slash": true, "prefix": true},
        {"name": "simple_help", "description": "Every command you can use here, on one screen", "slash": true, "prefix": true},
    ]);
    let mut parsed: Vec<CommandSpec> = serde_json::from_value(specs).unwrap_or_default();
    arsenal_plugin_api::i18n::commands::localize_from(
        &mut parsed,
        crate::builtin::texts::HOST_LOCALES,
    );
    parsed
        .into_iter()
        .map(|spec| {
            let audience = match spec.name.as_str() {
                "save_all" | "load_all" => Audience::Owners,
                "reload" | "module" | "persistent_status" => Audience::BotAdmins,
                _ => Audience::Members,
            };
            // The help is for everyone: it shows each member what they may run.
            let open = matches!(spec.name.as_str(), "help" | "simple_help");
            (if open { spec } else { spec.permissions(admin) }, audience)
        })
        .collect()
}

impl CommandRegistry {
    /// The built-ins only.
    #[must_use]
    pub fn builtins() -> Self {
        let mut registry = Self::default();
        for (spec, audience) in builtin_specs() {
            registry.insert(CommandOwner::Builtin, spec, audience);
        }
        registry
    }

    /// The built-ins plus every loaded plugin's commands.
    #[must_use]
    pub fn build(manager: &PluginManager) -> Self {
        let mut registry = Self::builtins();
        for status in manager.status() {
            if let Some(manifest) = status.state.manifest {
                let mut commands = manifest.commands;
                localize(&mut commands, &manifest.command_texts);
                for spec in commands {
                    registry.insert(
                        CommandOwner::Plugin(status.name.clone()),
                        spec,
                        Audience::Members,
                    );
                }
            }
        }
        for (name, manifest) in manager.retired() {
            let mut commands = manifest.commands;
            localize(&mut commands, &manifest.command_texts);
            for mut spec in commands {
                if registry.commands.contains_key(&spec.name) {
                    continue;
                }
                spec.slash = false;
                registry.insert(
                    CommandOwner::Unloaded(name.clone()),
                    spec,
                    Audience::Members,
                );
            }
        }
        registry
    }

    pub(crate) fn insert(&mut self, owner: CommandOwner, spec: CommandSpec, audience: Audience) {
        if let Some(existing) = self.commands.get(&spec.name) {
            self.conflicts.push(format!(
                "command `{}` is declared by {:?} and {:?}; {:?} keeps it",
                spec.name, existing.owner, owner, existing.owner
            ));
            return;
        }
        self.commands.insert(
            spec.name.clone(),
            Registered {
                owner,
                spec,
                audience,
            },
        );
    }

    /// The command named `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Registered> {
        self.commands.get(name)
    }

    /// Every command, in name order.
    pub fn iter(&self) -> impl Iterator<Item = &Registered> {
        self.commands.values()
    }

    /// Commands usable with the prefix.
    #[must_use]
    pub fn prefix_specs(&self) -> Vec<&CommandSpec> {
        self.commands
            .values()
            .filter(|r| r.spec.prefix)
            .map(|r| &r.spec)
            .collect()
    }

    /// The slash commands as Discord's bulk-overwrite body, sorted by name.
    #[must_use]
    pub fn slash_payload(&self) -> Vec<Value> {
        self.slash_payload_where(|_| true)
    }

    /// The slash commands whose audience passes `keep`, as in [`Self::slash_payload`].
    #[must_use]
    pub fn slash_payload_where(&self, keep: impl Fn(Audience) -> bool) -> Vec<Value> {
        self.commands
            .values()
            .filter(|r| r.spec.slash && keep(r.audience))
            .map(|r| {
                // `version` is Discord's, required by twilight's model, ignored in the request.
                let mut command = json!({
                    "version": "1",
                    "type": 1,
                    "name": r.spec.name,
                    "description": r.spec.description,
                    "options": r.spec.options,
                });
                if let Some(names) = &r.spec.name_localizations {
                    command["name_localizations"] = json!(names);
                }
                if let Some(descriptions) = &r.spec.description_localizations {
                    command["description_localizations"] = json!(descriptions);
                }
                if let Some(permissions) = &r.spec.default_member_permissions {
                    command["default_member_permissions"] = json!(permissions);
                }
                command
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use twilight_model::application::command::Command;

    use super::*;

    #[test]
    fn builtins_parse_and_are_admin_only() {
        let specs = builtin_specs();
        let names: Vec<&str> = specs.iter().map(|(s, _)| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "reload",
                "module",
                "prefix",
                "persistent_status",
                "save_all",
                "load_all",
                "help",
                "simple_help"
            ]
        );
        let admin = Permissions::ADMINISTRATOR.bits().to_string();
        let (help, admin_only): (Vec<_>, Vec<_>) =
            specs.iter().partition(|(s, _)| s.name.contains("help"));
        assert!(admin_only
            .iter()
            .all(|(s, _)| s.default_member_permissions.as_deref() == Some(admin.as_str())));
        assert!(help
            .iter()
            .all(|(s, a)| s.default_member_permissions.is_none() && *a == Audience::Members));
        let payload = CommandRegistry::builtins().slash_payload();
        assert_eq!(
            payload.len(),
            4,
            "/reload, /prefix, /help and /simple_help are slash commands"
        );
        for command in payload {
            serde_json::from_value::<Command>(command).expect("a valid Discord command");
        }
        let owners: Vec<&str> = specs
            .iter()
            .filter(|(_, a)| *a == Audience::Owners)
            .map(|(s, _)| s.name.as_str())
            .collect();
        assert_eq!(owners, ["save_all", "load_all"]);
    }
}
