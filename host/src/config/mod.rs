//! Host settings: the config file `<data-dir>/arsenal.toml` (optional) and the environment.
//!
//! Public interface (keep these names): `DISCORD_TOKEN`, `ARSENAL_DISCORD_API` (host:port of a
//! plain-HTTP REST server, e.g. the simulator), `ARSENAL_DISCORD_GATEWAY` (a `ws://` URL),
//! `ARSENAL_ALLOW_PLAIN_HTTP`, `ARSENAL_STORE_URL` (the store in PostgreSQL; `store = "…"` in the
//! file, see [`store_url`]), `ARSENAL_METRICS`, `ARSENAL_DASHBOARD` and
//! `ARSENAL_DASHBOARD_ALLOW_REMOTE` (the dashboard listens on loopback unless allowed). The environment wins over the file.
//!
//! **The token stays secret.** It is wrapped so it can never be printed (`Debug`, `Display`); a
//! mistake in the config file is reported by key and line, never by quoting the line (which may
//! be the token's); `DISCORD_TOKEN` is removed from the environment once read, so plugins (which
//! run in-process) cannot read it there; and it is never sent over plain HTTP or `ws://` to
//! another machine unless `ARSENAL_ALLOW_PLAIN_HTTP=1` says so.

use std::{fmt, net::IpAddr, path::Path, time::Duration};

use anyhow::{anyhow, bail, Context as _};
use serde::{Deserialize, Deserializer};
use twilight_model::id::{
    marker::{GuildMarker, UserMarker},
    Id,
};

pub use crate::discord::shard_range::ShardSpec;

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

impl<'de> Deserialize<'de> for Token {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|raw| Self::new(&raw))
    }
}

/// The environment variable holding the token.
pub const TOKEN_VAR: &str = "DISCORD_TOKEN";
/// Set to `1` to allow sending the token over plain HTTP / `ws://` to another machine.
pub const ALLOW_PLAIN_HTTP_VAR: &str = "ARSENAL_ALLOW_PLAIN_HTTP";

/// Reads `DISCORD_TOKEN` and removes it from the process environment, so code running later in
/// this process (plugins are in-process) cannot find it there. Blank counts as unset.
///
/// Call it while the process has a single thread: changing the environment while another thread
/// reads it is a data race in the C library.
#[must_use]
pub fn take_env_token() -> Option<Token> {
    let raw = std::env::var(TOKEN_VAR).ok();
    std::env::remove_var(TOKEN_VAR);
    raw.filter(|v| !v.trim().is_empty()).map(|v| Token::new(&v))
}

/// Where slash commands are registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandScope {
    /// Everywhere (production; Discord may take a while to show changes).
    Global,
    /// One guild (development: changes show at once).
    Guild(Id<GuildMarker>),
}

/// How long modules may take and how much may wait for them (`[modules]` in arsenal.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleLimits {
    /// The longest a member waits for a module's answer before being told it did not answer.
    pub call_timeout: Duration,
    /// A call running this long counts as stuck: a reload or unload abandons its thread.
    pub stall_after: Duration,
    /// Events and calls that may wait in one module's queue; past it, events are dropped for
    /// that module (counted) and calls refused as overloaded.
    pub queue_capacity: usize,
    /// When a reload is reverted: its new version panicked this many times within this long
    /// (`revert_after_failures`, `revert_window_ms`; either 0 disables reverting).
    pub revert: crate::plugins::RevertPolicy,
    /// Whether a file dropped into the plugins folder is loaded at once (`watch`, default
    /// true); off, modules change only by command or from the dashboard.
    pub watch: bool,
    /// Plugin code left mapped by replaced versions (abi_stable never unloads a library) past
    /// which the host re-executes itself in place to give it back
    /// (`modules.retired_code_budget_mib`, default 256; 0: never).
    pub retired_code_budget: u64,
}

/// The default [`ModuleLimits::retired_code_budget`]: 256 MiB.
pub const DEFAULT_RETIRED_CODE_BUDGET: u64 = 256 << 20;

impl Default for ModuleLimits {
    fn default() -> Self {
        Self {
            call_timeout: crate::plugins::DEFAULT_CALL_TIMEOUT,
            stall_after: Duration::from_secs(5),
            queue_capacity: crate::plugins::DEFAULT_QUEUE_CAPACITY,
            revert: crate::plugins::RevertPolicy::default(),
            watch: true,
            retired_code_budget: DEFAULT_RETIRED_CODE_BUDGET,
        }
    }
}

/// Everything the Discord layer needs, and the module limits read from the same file.
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
    /// Total shard count; `None` uses Discord's recommendation.
    pub shards: Option<u32>,
    /// The shards this process runs (`shards = "0..2"`, `--shards 0..2`); `None`: all of them.
    /// Always within `0..shards` (checked when read).
    pub shard_range: Option<std::ops::Range<u32>>,
    /// Prefix for prefix commands in guilds that did not set their own.
    pub default_prefix: String,
    /// The one server whose administrators may run the bot-wide commands (reload, load,
    /// unload, status, logs) besides the owners; `/reload` is registered only there.
    pub control_guild: Option<Id<GuildMarker>>,
    /// Time limits and queue sizes of the module workers.
    pub modules: ModuleLimits,
    /// Where to serve Prometheus metrics (`/metrics`); `None`: nowhere (the default).
    pub metrics: Option<std::net::SocketAddr>,
    /// Where to serve the web dashboard; `None`: nowhere (the default). A loopback address
    /// unless `dashboard_allow_remote` said otherwise (checked when read).
    pub dashboard: Option<std::net::SocketAddr>,
    /// Where voice sources come from: the music folder and the yt-dlp program.
    pub voice: crate::voice::VoiceSettings,
}

// `Debug` shows the token as `Token(<redacted>)`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    token: Option<Token>,
    #[serde(default)]
    owners: Vec<String>,
    prefix: Option<String>,
    /// A count (`4`) or this process's range (`"0..2"`, with `total_shards`).
    shards: Option<ShardsValue>,
    total_shards: Option<u32>,
    control_guild: Option<String>,
    /// `host:port` to serve Prometheus metrics on (`ARSENAL_METRICS` wins); unset: off.
    metrics: Option<String>,
    /// `host:port` to serve the web dashboard on (`ARSENAL_DASHBOARD` wins); unset: off.
    dashboard: Option<String>,
    /// Allows the dashboard on an address other machines can reach (plain HTTP).
    #[serde(default)]
    dashboard_allow_remote: bool,
    #[serde(default)]
    commands: CommandsSection,
    #[serde(default)]
    modules: ModulesSection,
    /// Where the store is: a `postgres://` URL (the default is the JSON store in the data folder).
    store: Option<String>,
    /// The folder `AudioSource::Local` paths are relative to (default `<data-dir>/music`).
    music_folder: Option<std::path::PathBuf>,
    /// The yt-dlp program for online sources (default `yt-dlp` on PATH).
    yt_dlp: Option<String>,
}

/// `shards = 4` or `shards = "0..2"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ShardsValue {
    Count(u32),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModulesSection {
    call_timeout_ms: Option<u64>,
    stall_after_ms: Option<u64>,
    queue_capacity: Option<usize>,
    revert_after_failures: Option<u32>,
    revert_window_ms: Option<u64>,
    watch: Option<bool>,
    retired_code_budget_mib: Option<u64>,
}

impl ModulesSection {
    fn limits(&self, path: &Path) -> anyhow::Result<ModuleLimits> {
        let default = ModuleLimits::default();
        let positive = |name: &str, value: Option<u64>, default: Duration| match value {
            Some(0) => bail!("{}: modules.{name} must be at least 1", path.display()),
            Some(ms) => Ok(Duration::from_millis(ms)),
            None => Ok(default),
        };
        Ok(ModuleLimits {
            call_timeout: positive(
                "call_timeout_ms",
                self.call_timeout_ms,
                default.call_timeout,
            )?,
            stall_after: positive("stall_after_ms", self.stall_after_ms, default.stall_after)?,
            queue_capacity: match self.queue_capacity {
                Some(0) => bail!(
                    "{}: modules.queue_capacity must be at least 1",
                    path.display()
                ),
                Some(n) => n,
                None => default.queue_capacity,
            },
            revert: crate::plugins::RevertPolicy {
                after_failures: self
                    .revert_after_failures
                    .unwrap_or(default.revert.after_failures),
                window: self
                    .revert_window_ms
                    .map_or(default.revert.window, Duration::from_millis),
            },
            watch: self.watch.unwrap_or(default.watch),
            retired_code_budget: self
                .retired_code_budget_mib
                .map_or(default.retired_code_budget, |mib| {
                    mib.saturating_mul(1 << 20)
                }),
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommandsSection {
    scope: Option<String>,
    guild_id: Option<String>,
}

impl DiscordSettings {
    /// Applies `--shards` and `--total-shards` (they win over the file; given alone, each
    /// keeps the file's other half).
    ///
    /// # Errors
    ///
    /// A malformed value, or a range that does not fit the total ([`ShardSpec::resolve`]).
    pub fn with_shard_flags(
        mut self,
        shards: Option<&str>,
        total_shards: Option<u32>,
    ) -> anyhow::Result<Self> {
        if shards.is_none() && total_shards.is_none() {
            return Ok(self);
        }
        let spec = match shards {
            Some(text) => Some(ShardSpec::parse(text)?),
            None => match (&self.shard_range, self.shards) {
                (Some(range), _) => Some(ShardSpec::Range(range.clone())),
                // A file count with a new total on the command line: the flag wins.
                _ => None,
            },
        };
        let total = total_shards.or(match &spec {
            Some(ShardSpec::Range(_)) | None => self.shards,
            Some(ShardSpec::Count(_)) => None,
        });
        let (total, range) = ShardSpec::resolve(spec, total).context("--shards/--total-shards")?;
        self.shards = total;
        self.shard_range = range;
        Ok(self)
    }

    /// Reads `<data_dir>/arsenal.toml` if present, then the environment, and removes
    /// `DISCORD_TOKEN` from the environment ([`take_env_token`]: call this before starting
    /// threads).
    ///
    /// # Errors
    ///
    /// A malformed file or value, with the file name and what to fix; a token that would go
    /// over plain HTTP to another machine.
    pub fn load(data_dir: &Path) -> anyhow::Result<Self> {
        let env_token = take_env_token();
        Self::from_sources(data_dir, env_token, |name| std::env::var(name).ok())
    }

    /// [`DiscordSettings::load`] with the environment given: the token already taken from it,
    /// and a lookup for the other variables.
    fn from_sources(
        data_dir: &Path,
        env_token: Option<Token>,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Self> {
        let (path, file) = read_file(data_dir)?;
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let token = env_token.or(file.token);
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
        let metrics = address_setting(
            METRICS_VAR,
            "metrics",
            env(METRICS_VAR),
            file.metrics,
            &path,
        )?;
        let dashboard = address_setting(
            DASHBOARD_VAR,
            "dashboard",
            env(DASHBOARD_VAR),
            file.dashboard,
            &path,
        )?;
        let allow_remote =
            file.dashboard_allow_remote || env(DASHBOARD_ALLOW_REMOTE_VAR).as_deref() == Some("1");
        if let Some(addr) = dashboard.filter(|a| !a.ip().is_loopback() && !allow_remote) {
            bail!(
                "dashboard: {addr} can be reached from other machines, and the dashboard (which reloads modules and edits their data) speaks plain HTTP; bind it to 127.0.0.1:{port} and reach it through an SSH tunnel, or set dashboard_allow_remote = true in arsenal.toml ({DASHBOARD_ALLOW_REMOTE_VAR}=1) if the network between is trusted",
                port = addr.port()
            );
        }
        let api = env("ARSENAL_DISCORD_API");
        let gateway =
            env("ARSENAL_DISCORD_GATEWAY").map(|url| url.trim_end_matches('/').to_owned());
        if token.is_some() && env(ALLOW_PLAIN_HTTP_VAR).as_deref() != Some("1") {
            refuse_plain_text_elsewhere(api.as_deref(), gateway.as_deref())?;
        }
        let shard_spec = match file.shards {
            None => None,
            Some(ShardsValue::Count(count)) => Some(ShardSpec::Count(count)),
            Some(ShardsValue::Text(text)) => Some(ShardSpec::parse(&text)?),
        };
        let (shards, shard_range) = ShardSpec::resolve(shard_spec, file.total_shards)
            .with_context(|| format!("in {}", path.display()))?;
        Ok(Self {
            token,
            api,
            gateway,
            owners,
            commands,
            shards,
            shard_range,
            default_prefix: file.prefix.unwrap_or_else(|| "!".to_owned()),
            control_guild,
            modules: file.modules.limits(&path)?,
            metrics,
            dashboard,
            voice: crate::voice::VoiceSettings {
                music_folder: file.music_folder,
                yt_dlp: file.yt_dlp,
            },
        })
    }
}

/// The environment variable binding the metrics endpoint (`127.0.0.1:9464`); wins over the
/// file's `metrics`.
pub const METRICS_VAR: &str = "ARSENAL_METRICS";

/// The environment variable binding the web dashboard (`127.0.0.1:8480`); wins over the
/// file's `dashboard`.
pub const DASHBOARD_VAR: &str = "ARSENAL_DASHBOARD";
/// Set to `1` to allow the dashboard on a non-loopback address (`dashboard_allow_remote`).
pub const DASHBOARD_ALLOW_REMOTE_VAR: &str = "ARSENAL_DASHBOARD_ALLOW_REMOTE";

/// An address setting (`metrics`, `dashboard`): the environment's `var`, else the file's `key`;
/// blank or unset is off.
fn address_setting(
    var: &str,
    key: &str,
    env: Option<String>,
    file: Option<String>,
    path: &Path,
) -> anyhow::Result<Option<std::net::SocketAddr>> {
    let (value, source) = match env {
        Some(value) => (value, var.to_owned()),
        None => match file.filter(|v| !v.trim().is_empty()) {
            Some(value) => (value, format!("{key} in {}", path.display())),
            None => return Ok(None),
        },
    };
    match value.trim().parse() {
        Ok(address) => Ok(Some(address)),
        Err(_) => bail!(
            "{source}: {value:?} is not an address and port like \"127.0.0.1:9464\" (a name is not accepted: write the IP address to listen on); remove it to serve no {key}"
        ),
    }
}

/// `<data_dir>/arsenal.toml`, or the defaults when there is none.
fn read_file(data_dir: &Path) -> anyhow::Result<(std::path::PathBuf, File)> {
    let path = data_dir.join("arsenal.toml");
    let file: File = match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).map_err(|e| {
            anyhow!(
                "{}: {}; fix it and start again",
                path.display(),
                describe_toml_error(&text, &e)
            )
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => File::default(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    Ok((path, file))
}

/// The environment variable naming the store (`postgres://…`); it wins over the file's `store`.
pub const STORE_URL_VAR: &str = "ARSENAL_STORE_URL";

/// Where the store is: `env_url` (from `ARSENAL_STORE_URL` or `--store-url`), else `store = "…"`
/// in `<data_dir>/arsenal.toml`; `None` is the JSON store in the data folder (the default).
///
/// # Errors
///
/// A malformed config file, or a `store` that is not a `postgres://` URL (a JSON store lives in
/// the data folder: choose that with `--data-dir`).
pub fn store_url(data_dir: &Path, env_url: Option<String>) -> anyhow::Result<Option<String>> {
    let url = match env_url.filter(|v| !v.trim().is_empty()) {
        Some(url) => Some(url),
        None => read_file(data_dir)?.1.store,
    };
    match url {
        Some(url) if arsenal_store::StoreLocation::parse(&url).is_postgres() => Ok(Some(url)),
        Some(_) => bail!(
            "store must be a postgres:// URL (postgres://user@host:5432/database); to use the JSON store, leave it out: it lives in <data-dir>/store"
        ),
        None => Ok(None),
    }
}

/// A TOML error as `line N (key `k`): what`, without the source line toml would quote: that
/// line may hold the token (`tokne = "…"`), and quoted values in the message are left out for
/// the same reason.
fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let mut place = String::new();
    if let Some(span) = error.span() {
        let start = span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_no = text[..start].matches('\n').count() + 1;
        let line = text[line_start..].lines().next().unwrap_or_default();
        place = format!("line {line_no}");
        let key = line.split_once('=').map(|(key, _)| key.trim());
        if let Some(key) = key.filter(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        }) {
            place.push_str(&format!(" (key `{key}`)"));
        }
        place.push_str(": ");
    }
    format!("{place}{}", without_quoted(error.message()))
}

/// `text` with every `"…"` replaced by `"<value>"`: serde quotes a value of the wrong type.
fn without_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut parts = text.split('"');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    for (i, part) in rest.iter().enumerate() {
        // Odd parts are inside quotes, unless the last quote is never closed.
        if i % 2 == 0 && i + 1 < rest.len() {
            out.push_str("\"<value>\"");
        } else if i % 2 == 0 {
            out.push('"');
            out.push_str(part);
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Refuses to send the token in clear text (a plain-HTTP REST server, a `ws://` gateway) to
/// anything but this machine: on the network it could be read by anyone on the path.
fn refuse_plain_text_elsewhere(api: Option<&str>, gateway: Option<&str>) -> anyhow::Result<()> {
    if let Some(api) = api.filter(|api| !is_loopback(host_of(api))) {
        bail!(
            "ARSENAL_DISCORD_API={api} is not on this machine, and the token would be sent to it over plain HTTP, readable on the network; use the simulator on 127.0.0.1, unset it to use Discord, or set {ALLOW_PLAIN_HTTP_VAR}=1 if the network between is trusted"
        );
    }
    if let Some(url) = gateway {
        if let Some(rest) = url.strip_prefix("ws://") {
            let authority = rest.split('/').next().unwrap_or_default();
            if !is_loopback(host_of(authority)) {
                bail!(
                    "ARSENAL_DISCORD_GATEWAY={url} is not on this machine, and the token would be sent to it unencrypted (ws://); use wss://, a gateway on 127.0.0.1, or set {ALLOW_PLAIN_HTTP_VAR}=1 if the network between is trusted"
                );
            }
        }
    }
    Ok(())
}

/// The host of `host:port`, `[v6]:port` or a bare host.
fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    match authority.rsplit_once(':') {
        // One colon: host:port. More: a bare IPv6 address.
        Some((host, _)) if !host.contains(':') => host,
        _ => authority,
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn parse_id<T>(text: &str) -> anyhow::Result<Id<T>> {
    let value: u64 = text.trim().parse().context("expected a number")?;
    Id::new_checked(value).context("ids are never 0")
}

#[cfg(test)]
mod tests;
