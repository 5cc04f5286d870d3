//! Host settings: the config file `<data-dir>/arsenal.toml` (optional) and the environment.
//!
//! Public interface (keep these names): `DISCORD_TOKEN`, `ARSENAL_DISCORD_API` (host:port of a
//! plain-HTTP REST server, e.g. the simulator), `ARSENAL_DISCORD_GATEWAY` (a `ws://` URL). The
//! environment wins over the file. The token is wrapped so it can never be printed.

use std::{fmt, path::Path};

use anyhow::{bail, Context as _};
use serde::Deserialize;
use twilight_model::id::{
    marker::{GuildMarker, UserMarker},
    Id,
};

/// The bot token. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token, trimming whitespace and a leading `Bot `.
    #[must_use]
    pub fn new(raw: &str) -> Self {
        let raw = raw.trim();
        Self(raw.strip_prefix("Bot ").unwrap_or(raw).to_owned())
    }

    /// The secret itself, for the clients that need it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted token>")
    }
}

/// Where slash commands are registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandScope {
    /// Everywhere (production; Discord may take a while to show changes).
    Global,
    /// One guild (development: changes show at once).
    Guild(Id<GuildMarker>),
}

/// Everything the Discord layer needs.
#[derive(Debug, Clone)]
pub struct DiscordSettings {
    /// The bot token; `None` means sandbox mode.
    pub token: Option<Token>,
    /// REST server `host:port` over plain HTTP instead of Discord.
    pub api: Option<String>,
    /// Gateway `ws://` URL instead of Discord's.
    pub gateway: Option<String>,
    /// Extra owner ids (the application's owner or team members always are owners).
    pub owners: Vec<Id<UserMarker>>,
    /// Slash command registration scope.
    pub commands: CommandScope,
    /// Shard count; `None` uses Discord's recommendation.
    pub shards: Option<u32>,
    /// Prefix for prefix commands in guilds that did not set their own.
    pub default_prefix: String,
    /// The one server whose administrators may run the bot-wide commands (reload, load,
    /// unload, status, logs) besides the owners; `/reload` is registered only there.
    pub control_guild: Option<Id<GuildMarker>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    token: Option<String>,
    #[serde(default)]
    owners: Vec<String>,
    prefix: Option<String>,
    shards: Option<u32>,
    control_guild: Option<String>,
    #[serde(default)]
    commands: CommandsSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommandsSection {
    scope: Option<String>,
    guild_id: Option<String>,
}

impl DiscordSettings {
    /// Reads `<data_dir>/arsenal.toml` if present, then the environment.
    ///
    /// # Errors
    ///
    /// A malformed file or value, with the file name and what to fix.
    pub fn load(data_dir: &Path) -> anyhow::Result<Self> {
        let path = data_dir.join("arsenal.toml");
        let file: File = match std::fs::read_to_string(&path) {
            Ok(text) => {
                toml::from_str(&text).with_context(|| format!("reading {}", path.display()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => File::default(),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let token = env("DISCORD_TOKEN").or(file.token).map(|t| Token::new(&t));
        let owners = file
            .owners
            .iter()
            .map(|id| {
                parse_id(id).with_context(|| {
                    format!("owners in {}: {id:?} is not a user id", path.display())
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let commands = match (
            file.commands.scope.as_deref(),
            file.commands.guild_id.as_deref(),
        ) {
            (None | Some("global"), None) => CommandScope::Global,
            (None | Some("guild"), Some(id)) => {
                CommandScope::Guild(parse_id(id).with_context(|| {
                    format!(
                        "commands.guild_id in {}: {id:?} is not a guild id",
                        path.display()
                    )
                })?)
            }
            (Some("guild"), None) => bail!(
                "{}: commands.scope = \"guild\" needs commands.guild_id",
                path.display()
            ),
            (Some(other), _) => bail!(
                "{}: commands.scope must be \"global\" or \"guild\", not {other:?}",
                path.display()
            ),
        };
        let control_guild = file
            .control_guild
            .as_deref()
            .map(|id| {
                parse_id(id).with_context(|| {
                    format!(
                        "control_guild in {}: {id:?} is not a server id",
                        path.display()
                    )
                })
            })
            .transpose()?;
        Ok(Self {
            token,
            api: env("ARSENAL_DISCORD_API"),
            gateway: env("ARSENAL_DISCORD_GATEWAY").map(|url| url.trim_end_matches('/').to_owned()),
            owners,
            commands,
            shards: file.shards,
            default_prefix: file.prefix.unwrap_or_else(|| "!".to_owned()),
            control_guild,
        })
    }
}

fn parse_id<T>(text: &str) -> anyhow::Result<Id<T>> {
    let value: u64 = text.trim().parse().context("expected a number")?;
    Id::new_checked(value).context("ids are never 0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_prints() {
        let token = Token::new("Bot abc.def.ghi ");
        assert_eq!(token.expose(), "abc.def.ghi");
        assert!(!format!("{token:?} {token}").contains("abc"));
    }

    #[test]
    fn file_settings_are_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("arsenal.toml"),
            "owners = [\"42\"]\nprefix = \"?\"\ncontrol_guild = \"9\"\n[commands]\nscope = \"guild\"\nguild_id = \"7\"\n",
        )
        .unwrap();
        let settings = DiscordSettings::load(dir.path()).unwrap();
        assert_eq!(settings.owners, [Id::new(42)]);
        assert_eq!(settings.default_prefix, "?");
        assert_eq!(settings.commands, CommandScope::Guild(Id::new(7)));
        assert_eq!(settings.control_guild, Some(Id::new(9)));

        std::fs::write(
            dir.path().join("arsenal.toml"),
            "[commands]\nscope = \"guild\"\n",
        )
        .unwrap();
        let error = DiscordSettings::load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("needs commands.guild_id"), "{error}");
        std::fs::write(dir.path().join("arsenal.toml"), "tokn = \"x\"\n").unwrap();
        let error = format!("{:#}", DiscordSettings::load(dir.path()).unwrap_err());
        assert!(error.contains("unknown field"), "{error}");
    }
}
