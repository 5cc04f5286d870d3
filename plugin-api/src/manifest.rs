//! What a plugin declares about itself: identity, commands, events and intents.
//!
//! The host reads the manifest before any plugin code runs and refuses a library whose manifest is
//! invalid or does not match its file name. Command declarations drive Discord registration
//! (synced only when the declared set changes) and prefix-command parsing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use twilight_model::{
    application::command::{CommandOption, CommandOptionType},
    guild::Permissions,
};

use crate::abi::API_VERSION;

/// A plugin's description of itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Module name: `[a-z0-9_]`, 1 to 32 characters. The library file must be `<name>.so`.
    pub name: String,
    /// The plugin's own version (semver text), shown in status and reload history.
    pub version: String,
    /// The JSON protocol version the plugin was built with ([`API_VERSION`]).
    pub api_version: u32,
    /// One line for `/help` and `!module list`.
    #[serde(default)]
    pub description: String,
    /// Slash and prefix commands this plugin handles.
    #[serde(default)]
    pub commands: Vec<CommandSpec>,
    /// Gateway event names this plugin wants (`MESSAGE_CREATE`, …); the SDK fills it from the
    /// handlers registered in [`Plugin::events`](crate::Plugin::events).
    #[serde(default)]
    pub events: Vec<String>,
    /// Gateway intents the plugin needs, as Discord's bit values (`twilight_model::gateway::Intents`).
    #[serde(default)]
    pub intents: u64,
    /// The schema version of the data this version writes (see `Plugin::DATA_VERSION`); `0`
    /// (what a manifest without the field reads as) means the module does not version its data
    /// and the host never migrates it.
    #[serde(default)]
    pub data_version: u32,
    /// The methods other modules may ask this one (`"case.create"`), answered by
    /// [`Plugin::on_request`](crate::Plugin::on_request). The host refuses any other method
    /// before the module is called, and tools list them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    /// The commands' names and descriptions in the module's other languages, as the SDK found
    /// them in its `cmd-…` texts. The host applies them to [`Self::commands`] (Discord's
    /// `name_localizations` …) only when it registers commands, not at each load: see
    /// [`crate::i18n::commands`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command_texts: Vec<LanguageTexts>,
}

/// One language's command texts: `[id, name, description]` per `cmd-…` message, sorted by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageTexts {
    /// The language tag the module ships (`fr`).
    pub tag: String,
    /// `(cmd-… id, value, .description)`.
    pub texts: Vec<(String, Option<String>, Option<String>)>,
}

/// A command the plugin handles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandSpec {
    /// Top-level name (`economy`, `ticket`, `warn`).
    pub name: String,
    /// Shown by Discord and by `/help`.
    pub description: String,
    /// The name in other languages (Discord locale → name): filled by the SDK from the module's
    /// `cmd-…` texts (see [`crate::i18n::commands`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_localizations: Option<BTreeMap<String, String>>,
    /// The description in other languages, as `name_localizations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_localizations: Option<BTreeMap<String, String>>,
    /// Options, subcommands and groups, exactly as Discord describes them.
    #[serde(default)]
    pub options: Vec<CommandOption>,
    /// Permissions a member needs to see and use the command (Discord permission bits as a
    /// decimal string, like Discord's `default_member_permissions`); checked by the host too.
    #[serde(default)]
    pub default_member_permissions: Option<String>,
    /// Permissions required on top of `default_member_permissions` by a subcommand or a
    /// subcommand group, keyed by its path (`"config"`, `"shop add"`; bits as a decimal string).
    /// A group's requirement covers every subcommand in it. Discord only knows the top level, so
    /// the host is the one to enforce these, for slash and prefix alike
    /// ([`CommandSpec::required_permissions`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub subcommand_permissions: BTreeMap<String, String>,
    /// Register as a slash command.
    #[serde(default = "yes")]
    pub slash: bool,
    /// Also answer `<prefix><name> …` messages.
    #[serde(default)]
    pub prefix: bool,
}

fn yes() -> bool {
    true
}

impl Manifest {
    /// A manifest for `name` at `version`, built with this SDK's [`API_VERSION`].
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            version: version.into(),
            api_version: API_VERSION,
            description: String::new(),
            commands: Vec::new(),
            events: Vec::new(),
            intents: 0,
            data_version: 0,
            answers: Vec::new(),
            command_texts: Vec::new(),
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// Adds a command.
    #[must_use]
    pub fn command(mut self, command: CommandSpec) -> Self {
        self.commands.push(command);
        self
    }

    /// Declares a method other modules may ask this one (see
    /// [`Plugin::on_request`](crate::Plugin::on_request)): 1 to 64 characters of a-z, 0-9, `.`,
    /// `_` and `-`, by convention `noun.verb` (`case.create`, `raid.status`).
    #[must_use]
    pub fn answers(mut self, method: impl Into<String>) -> Self {
        self.answers.push(method.into());
        self
    }

    /// Requests gateway intents (bits of `twilight_model::gateway::Intents`).
    #[must_use]
    pub fn intents(mut self, intents: twilight_model::gateway::Intents) -> Self {
        self.intents |= intents.bits();
        self
    }

    /// Checks the manifest, returning every problem found as one readable sentence each.
    ///
    /// # Errors
    ///
    /// Returns the list of problems when the manifest is not valid.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if !is_module_name(&self.name) {
            problems.push(format!(
                "name {:?} must be 1 to 32 characters of a-z, 0-9 and _",
                self.name
            ));
        }
        if self.version.trim().is_empty() {
            problems.push("version is empty".to_owned());
        }
        if self.api_version != API_VERSION {
            problems.push(format!(
                "built for plugin API version {} but this host speaks version {API_VERSION}; rebuild the plugin against this host's plugin-api",
                self.api_version
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for command in &self.commands {
            if !is_command_name(&command.name) {
                problems.push(format!(
                    "command name {:?} must be 1 to 32 characters of a-z, 0-9, - and _",
                    command.name
                ));
            }
            if command.description.is_empty() || command.description.chars().count() > 100 {
                problems.push(format!(
                    "command {:?} needs a description of 1 to 100 characters",
                    command.name
                ));
            }
            if !seen.insert(command.name.as_str()) {
                problems.push(format!("command {:?} is declared twice", command.name));
            }
        }
        for event in &self.events {
            if event.is_empty() || !event.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
                problems.push(format!(
                    "event {event:?} is not a gateway event name (like MESSAGE_CREATE)"
                ));
            }
        }
        let mut methods = std::collections::BTreeSet::new();
        for method in &self.answers {
            if !is_method_name(method) {
                problems.push(format!(
                    "answered method {method:?} must be 1 to 64 characters of a-z, 0-9, ., _ and -"
                ));
            }
            if !methods.insert(method.as_str()) {
                problems.push(format!("answered method {method:?} is declared twice"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

impl CommandSpec {
    /// A slash command with a name and description.
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: description.into(),
            name_localizations: None,
            description_localizations: None,
            options: Vec::new(),
            default_member_permissions: None,
            subcommand_permissions: BTreeMap::new(),
            slash: true,
            prefix: false,
        }
    }

    /// Adds an option (or a subcommand, which Discord models as an option).
    #[must_use]
    pub fn option(mut self, option: CommandOption) -> Self {
        self.options.push(option);
        self
    }

    /// Also answers as a prefix command (`!name …`).
    #[must_use]
    pub fn with_prefix(mut self) -> Self {
        self.prefix = true;
        self
    }

    /// Only as a prefix command, never registered with Discord.
    #[must_use]
    pub fn prefix_only(mut self) -> Self {
        self.prefix = true;
        self.slash = false;
        self
    }

    /// Requires these member permissions (enforced by Discord for slash and by the host for both).
    #[must_use]
    pub fn permissions(mut self, permissions: Permissions) -> Self {
        self.default_member_permissions = Some(permissions.bits().to_string());
        self
    }

    /// Everything a member needs to run `subcommand` (a path, outermost first): the command's
    /// own permissions and those of every group and subcommand on the path.
    #[must_use]
    pub fn required_permissions(&self, subcommand: &[String]) -> Permissions {
        let bits = |text: &str| {
            text.parse::<u64>()
                .map_or(Permissions::empty(), Permissions::from_bits_truncate)
        };
        let mut required = self
            .default_member_permissions
            .as_deref()
            .map_or(Permissions::empty(), bits);
        for depth in 1..=subcommand.len() {
            if let Some(text) = self
                .subcommand_permissions
                .get(&subcommand[..depth].join(" "))
            {
                required |= bits(text);
            }
        }
        required
    }
}

/// A command option of `kind` (string, integer, user, …), for [`CommandSpec::option`].
#[must_use]
pub fn option(
    kind: CommandOptionType,
    name: &str,
    description: &str,
    required: bool,
) -> CommandOption {
    CommandOption {
        autocomplete: None,
        channel_types: None,
        choices: None,
        description: description.to_owned(),
        description_localizations: None,
        file_types: None,
        kind,
        max_length: None,
        max_value: None,
        min_length: None,
        min_value: None,
        name: name.to_owned(),
        name_localizations: None,
        options: None,
        required: Some(required),
    }
}

/// A subcommand with its options, for [`CommandSpec::option`].
#[must_use]
pub fn subcommand(name: &str, description: &str, options: Vec<CommandOption>) -> CommandOption {
    CommandOption {
        options: Some(options),
        required: None,
        ..option(CommandOptionType::SubCommand, name, description, false)
    }
}

/// Whether `name` is a valid module name: 1 to 32 of `[a-z0-9_]`.
///
/// This is also what keeps user-supplied module names from ever being paths.
#[must_use]
pub fn is_module_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn is_method_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

fn is_command_name(name: &str) -> bool {
    (1..=32).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_manifest_is_valid_and_round_trips() {
        let manifest = Manifest::new("economy", "1.2.0")
            .command(CommandSpec::new("economy", "Money and levels").with_prefix());
        assert_eq!(manifest.validate(), Ok(()));
        let json = serde_json::to_string(&manifest).unwrap();
        let back: Manifest = serde_json::from_str(&json).unwrap();
        assert_eq!(back, manifest);
    }

    #[test]
    fn invalid_manifests_list_every_problem() {
        let mut manifest = Manifest::new("../evil", "")
            .command(CommandSpec::new("Bad Name", ""))
            .command(CommandSpec::new("dup", "x"))
            .command(CommandSpec::new("dup", "x"));
        manifest.events.push("message_create".to_owned());
        manifest.api_version = API_VERSION + 1;
        manifest = manifest
            .answers("case.create")
            .answers("case.create")
            .answers("Case Create");
        let problems = manifest.validate().unwrap_err();
        assert_eq!(problems.len(), 9, "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("rebuild the plugin")));
    }

    #[test]
    fn module_names_are_never_paths() {
        for bad in [
            "",
            "../x",
            "/etc/passwd",
            "a/b",
            "a.so",
            "UPPER",
            &"x".repeat(33),
        ] {
            assert!(!is_module_name(bad), "{bad:?}");
        }
        assert!(is_module_name("ticket_system"));
    }
}
