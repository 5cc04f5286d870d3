//! A server's automod settings, the rules and the levels that switch them on, and the store keys.
//!
//! | key | record |
//! |---|---|
//! | `config:<guild>` | [`GuildConfig`] |
//! | `words:<guild>` | [`WordList`]: the words and regexes (bot-side and Discord's keyword rule) |
//! | `native:<guild>` | [`crate::native::NativeState`]: the ids of the Discord rules this module keeps |
//! | `strikes:<guild>:<user>` | [`crate::escalation::Strikes`]: recent violations |
//! | `raid:<guild>` | [`crate::raid::RaidState`], while raid mode is on |
//! | `carry` | [`crate::windows::Windows`] left by the previous instance (reload or shutdown) |
//!
//! Every record carries `v` (its schema version); fields are only added with defaults.

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

/// The schema version this code writes.
pub const VERSION: u32 = 1;
/// Discord's caps on one keyword rule, which the word list keeps to (so it always fits).
pub const MAX_WORDS: usize = 1000;
pub const MAX_WORD_CHARS: usize = 60;
pub const MAX_REGEXES: usize = 10;
pub const MAX_REGEX_CHARS: usize = 260;
/// Discord's caps on a rule's exemptions.
pub const MAX_EXEMPT_ROLES: usize = 20;
pub const MAX_EXEMPT_CHANNELS: usize = 50;
/// Discord's cap on an allow list (link allow list kept to the same).
pub const MAX_ALLOWED_LINKS: usize = 100;
/// At most this many escalation steps.
pub const MAX_STEPS: usize = 5;

fn v1() -> u32 {
    VERSION
}

/// How strict the server is. Each level switches a documented set of rules on (see
/// [`RuleKind::min_level`]); each rule can also be switched on or off by itself.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    CommandChoice,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    #[default]
    #[choice(name = "off")]
    Off,
    #[choice(name = "low")]
    Low,
    #[choice(name = "medium")]
    Medium,
    #[choice(name = "high")]
    High,
}

impl Level {
    /// Its name, as in commands.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
        }
    }
}

/// Every rule: bot-side rules check each message here; native ones are Discord AutoMod rules
/// this module keeps in step with the settings.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, CommandChoice,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The word list and regexes, on normalised text.
    #[choice(name = "words")]
    Words,
    /// Discord invites.
    #[choice(name = "invites")]
    Invites,
    /// Links to sites not on the allow list.
    #[choice(name = "links")]
    Links,
    /// Many mentions in one message.
    #[choice(name = "mentions")]
    Mentions,
    /// Mostly capital letters.
    #[choice(name = "caps")]
    Caps,
    /// Many emoji in one message.
    #[choice(name = "emoji")]
    Emoji,
    /// Many attachments in one message.
    #[choice(name = "attachments")]
    Attachments,
    /// Stacked combining marks.
    #[choice(name = "zalgo")]
    Zalgo,
    /// Too many messages by one member in a short time.
    #[choice(name = "rate")]
    Rate,
    /// The same message repeated.
    #[choice(name = "duplicates")]
    Duplicates,
    /// Discord's keyword rule with the word list and regexes.
    #[choice(name = "native_keywords")]
    NativeKeywords,
    /// Discord's keyword presets (slurs, sexual content; profanity at high).
    #[choice(name = "native_presets")]
    NativePresets,
    /// Discord's mention-spam rule.
    #[choice(name = "native_mentions")]
    NativeMentions,
}

/// What a rule's `limit` and `seconds` mean, and their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleDefaults {
    pub limit: u32,
    pub seconds: u32,
}

impl RuleKind {
    /// Every rule, in the order `status` shows them.
    pub const ALL: [RuleKind; 13] = [
        RuleKind::Words,
        RuleKind::Invites,
        RuleKind::Links,
        RuleKind::Mentions,
        RuleKind::Caps,
        RuleKind::Emoji,
        RuleKind::Attachments,
        RuleKind::Zalgo,
        RuleKind::Rate,
        RuleKind::Duplicates,
        RuleKind::NativeKeywords,
        RuleKind::NativePresets,
        RuleKind::NativeMentions,
    ];

    /// Its name, as in commands and texts.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Words => "words",
            RuleKind::Invites => "invites",
            RuleKind::Links => "links",
            RuleKind::Mentions => "mentions",
            RuleKind::Caps => "caps",
            RuleKind::Emoji => "emoji",
            RuleKind::Attachments => "attachments",
            RuleKind::Zalgo => "zalgo",
            RuleKind::Rate => "rate",
            RuleKind::Duplicates => "duplicates",
            RuleKind::NativeKeywords => "native_keywords",
            RuleKind::NativePresets => "native_presets",
            RuleKind::NativeMentions => "native_mentions",
        }
    }

    /// The lowest level that switches this rule on.
    ///
    /// | level | rules |
    /// |---|---|
    /// | low | words, invites, mentions, zalgo, native keywords, native mention spam |
    /// | medium | + rate, duplicates, emoji, attachments, native presets (slurs, sexual content) |
    /// | high | + caps, links (allow list), the profanity preset, stricter limits |
    #[must_use]
    pub fn min_level(self) -> Level {
        match self {
            RuleKind::Words
            | RuleKind::Invites
            | RuleKind::Mentions
            | RuleKind::Zalgo
            | RuleKind::NativeKeywords
            | RuleKind::NativeMentions => Level::Low,
            RuleKind::Rate
            | RuleKind::Duplicates
            | RuleKind::Emoji
            | RuleKind::Attachments
            | RuleKind::NativePresets => Level::Medium,
            RuleKind::Caps | RuleKind::Links => Level::High,
        }
    }

    /// Whether Discord runs it (a native AutoMod rule) rather than this module.
    #[must_use]
    pub fn is_native(self) -> bool {
        matches!(
            self,
            RuleKind::NativeKeywords | RuleKind::NativePresets | RuleKind::NativeMentions
        )
    }

    /// Default `limit` and `seconds` at `level` (`seconds` is 0 where time plays no part).
    /// `limit`: mentions / emoji / attachments per message, percent of capitals, combining
    /// marks on one letter, messages (rate) or repeats (duplicates) within `seconds`.
    #[must_use]
    pub fn defaults(self, level: Level) -> RuleDefaults {
        let high = level == Level::High;
        let (limit, seconds) = match self {
            RuleKind::Mentions => (if high { 4 } else { 6 }, 0),
            RuleKind::Caps => (70, 0),
            RuleKind::Emoji => (if high { 8 } else { 12 }, 0),
            RuleKind::Attachments => (if high { 3 } else { 5 }, 0),
            RuleKind::Zalgo => (3, 0),
            RuleKind::Rate => (if high { 5 } else { 7 }, 5),
            RuleKind::Duplicates => (3, 60),
            RuleKind::NativeMentions => (if high { 10 } else { 20 }, 0),
            RuleKind::Words
            | RuleKind::Invites
            | RuleKind::Links
            | RuleKind::NativeKeywords
            | RuleKind::NativePresets => (0, 0),
        };
        RuleDefaults { limit, seconds }
    }

    /// Whether `limit` / `seconds` mean anything for this rule.
    #[must_use]
    pub fn has_limit(self) -> bool {
        self.defaults(Level::Medium).limit > 0
    }

    /// Whether `seconds` means anything for this rule.
    #[must_use]
    pub fn has_window(self) -> bool {
        self.defaults(Level::Medium).seconds > 0
    }

    /// The largest `limit` that makes sense.
    #[must_use]
    pub fn max_limit(self) -> u32 {
        match self {
            RuleKind::Caps => 100,
            RuleKind::NativeMentions => 50,
            RuleKind::Attachments => 10,
            _ => 1000,
        }
    }
}

/// One rule's own settings, each overriding what the level says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSetting {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u32>,
}

/// What an escalation step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, CommandChoice)]
#[serde(rename_all = "snake_case")]
pub enum Sanction {
    /// Only the message is deleted (what every violation does anyway).
    #[choice(name = "delete")]
    Delete,
    /// A warning in the channel, recorded as a warning case.
    #[choice(name = "warn")]
    Warn,
    /// A Discord timeout.
    #[choice(name = "timeout")]
    Timeout,
    /// A kick.
    #[choice(name = "kick")]
    Kick,
    /// A ban.
    #[choice(name = "ban")]
    Ban,
    /// Removes the step with this count.
    #[choice(name = "remove")]
    Remove,
}

impl Sanction {
    /// Its name, as in commands.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Sanction::Delete => "delete",
            Sanction::Warn => "warn",
            Sanction::Timeout => "timeout",
            Sanction::Kick => "kick",
            Sanction::Ban => "ban",
            Sanction::Remove => "remove",
        }
    }
}

/// `count` violations within `minutes` → `sanction` (`timeout_secs` for a timeout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub count: u32,
    pub minutes: u32,
    pub sanction: Sanction,
    #[serde(default)]
    pub timeout_secs: Option<u64>,
}

/// The default escalation: three violations in ten minutes → a ten-minute timeout.
#[must_use]
pub fn default_steps() -> Vec<Step> {
    vec![Step {
        count: 3,
        minutes: 10,
        sanction: Sanction::Timeout,
        timeout_secs: Some(600),
    }]
}

/// What raid mode does to the server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, CommandChoice)]
#[serde(rename_all = "snake_case")]
pub enum RaidAction {
    /// Pause invites (Discord's incident actions, for 24 hours or until ended).
    #[default]
    #[choice(name = "pause_invites")]
    PauseInvites,
    /// Raise the verification level to the highest (restored when raid mode ends).
    #[choice(name = "verification")]
    Verification,
    /// Both.
    #[choice(name = "both")]
    Both,
    /// Alert the moderators only.
    #[choice(name = "alert")]
    Alert,
}

/// Raid detection: `joins` members within `seconds` starts raid mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaidConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    pub joins: u32,
    pub seconds: u32,
    #[serde(default)]
    pub action: RaidAction,
}

fn yes() -> bool {
    true
}

impl Default for RaidConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            joins: 10,
            seconds: 30,
            action: RaidAction::PauseInvites,
        }
    }
}

/// One server's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuildConfig {
    #[serde(default = "v1")]
    pub v: u32,
    #[serde(default)]
    pub level: Level,
    /// The level `toggle` turns back on.
    #[serde(default)]
    pub last_level: Option<Level>,
    #[serde(default)]
    pub rules: std::collections::BTreeMap<RuleKind, RuleSetting>,
    #[serde(default)]
    pub exempt_roles: Vec<Id<RoleMarker>>,
    #[serde(default)]
    pub exempt_channels: Vec<Id<ChannelMarker>>,
    /// Domains links may point to (their subdomains too).
    #[serde(default)]
    pub allowed_links: Vec<String>,
    #[serde(default = "default_steps")]
    pub steps: Vec<Step>,
    /// Where violations and raid alerts are posted.
    #[serde(default)]
    pub log_channel: Option<Id<ChannelMarker>>,
    #[serde(default)]
    pub raid: RaidConfig,
    /// The word list's revision ([`WordList::revision`]), changed in the same transaction, so
    /// a message reads only this small record to know whether its compiled list is current.
    #[serde(default)]
    pub words_revision: u64,
}

impl Default for GuildConfig {
    fn default() -> Self {
        Self {
            v: VERSION,
            level: Level::Off,
            last_level: None,
            rules: std::collections::BTreeMap::new(),
            exempt_roles: Vec::new(),
            exempt_channels: Vec::new(),
            allowed_links: Vec::new(),
            steps: default_steps(),
            log_channel: None,
            raid: RaidConfig::default(),
            words_revision: 0,
        }
    }
}

/// A rule's effective settings: on or off, and its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effective {
    pub enabled: bool,
    pub limit: u32,
    pub seconds: u32,
    /// Whether `enabled` comes from the rule's own setting rather than the level.
    pub overridden: bool,
}

impl GuildConfig {
    /// What `rule` does in this server.
    #[must_use]
    pub fn effective(&self, rule: RuleKind) -> Effective {
        let own = self.rules.get(&rule).copied().unwrap_or_default();
        let defaults = rule.defaults(self.level);
        let by_level = self.level != Level::Off && self.level >= rule.min_level();
        Effective {
            enabled: own.enabled.unwrap_or(by_level),
            limit: own.limit.unwrap_or(defaults.limit),
            seconds: own.seconds.unwrap_or(defaults.seconds),
            overridden: own.enabled.is_some(),
        }
    }

    /// Whether any bot-side rule or raid protection is on (else messages are not even read).
    #[must_use]
    pub fn any_bot_side(&self) -> bool {
        RuleKind::ALL
            .iter()
            .any(|r| !r.is_native() && self.effective(*r).enabled)
    }

    /// Whether raid detection runs.
    #[must_use]
    pub fn raid_watch(&self) -> bool {
        self.raid.enabled && self.level != Level::Off
    }
}

/// The word list and regexes of a server, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordList {
    #[serde(default = "v1")]
    pub v: u32,
    /// Discord's keyword syntax: `word` (a whole word), `*word*` (anywhere), `word*`, `*word`.
    #[serde(default)]
    pub words: Vec<String>,
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Raised on every change, so cached compiled lists are rebuilt.
    #[serde(default)]
    pub revision: u64,
}

#[must_use]
pub fn config_key(guild: Id<GuildMarker>) -> String {
    format!("config:{guild}")
}

#[must_use]
pub fn words_key(guild: Id<GuildMarker>) -> String {
    format!("words:{guild}")
}

#[must_use]
pub fn native_key(guild: Id<GuildMarker>) -> String {
    format!("native:{guild}")
}

#[must_use]
pub fn strikes_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("strikes:{guild}:{user}")
}

#[must_use]
pub fn raid_key(guild: Id<GuildMarker>) -> String {
    format!("raid:{guild}")
}

/// Where the previous instance left its in-memory windows.
pub const CARRY_KEY: &str = "carry";

/// Reads `guild`'s settings (defaults when none are stored).
///
/// # Errors
///
/// A store failure, or a record written by a newer version.
pub fn load(ctx: &Context, guild: Id<GuildMarker>) -> Result<GuildConfig> {
    let config: GuildConfig = ctx.store().get(&config_key(guild))?.unwrap_or_default();
    if config.v > VERSION {
        return Err(Error::failed(format!(
            "the automod settings of server {guild} were written by a newer version (v{}); reload the newer module",
            config.v
        )));
    }
    Ok(config)
}

/// Changes `guild`'s settings atomically and returns them.
///
/// # Errors
///
/// A store failure, or `change`'s error (nothing is written then).
pub fn update(
    ctx: &Context,
    guild: Id<GuildMarker>,
    mut change: impl FnMut(&mut GuildConfig) -> Result<()>,
) -> Result<GuildConfig> {
    let updated = ctx
        .store()
        .update(&config_key(guild), |config: Option<GuildConfig>| {
            let mut config = config.unwrap_or_default();
            change(&mut config)?;
            config.v = VERSION;
            Ok(Some(config))
        })?;
    Ok(updated.unwrap_or_default())
}

/// Reads `guild`'s word list.
///
/// # Errors
///
/// A store failure.
pub fn load_words(ctx: &Context, guild: Id<GuildMarker>) -> Result<WordList> {
    Ok(ctx.store().get(&words_key(guild))?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_switch_rules_on_and_a_rules_own_setting_wins() {
        let mut config = GuildConfig::default();
        assert!(!config.effective(RuleKind::Words).enabled);
        config.level = Level::Low;
        assert!(config.effective(RuleKind::Words).enabled);
        assert!(!config.effective(RuleKind::Rate).enabled);
        config.level = Level::Medium;
        assert!(config.effective(RuleKind::Rate).enabled);
        assert!(!config.effective(RuleKind::Caps).enabled);
        config.level = Level::High;
        assert!(config.effective(RuleKind::Caps).enabled);
        assert_eq!(config.effective(RuleKind::Mentions).limit, 4);
        config.rules.insert(
            RuleKind::Caps,
            RuleSetting {
                enabled: Some(false),
                limit: Some(90),
                seconds: None,
            },
        );
        let caps = config.effective(RuleKind::Caps);
        assert!(!caps.enabled && caps.overridden && caps.limit == 90);
        config.level = Level::Off;
        config.rules.insert(
            RuleKind::Rate,
            RuleSetting {
                enabled: Some(true),
                ..RuleSetting::default()
            },
        );
        assert!(config.effective(RuleKind::Rate).enabled);
        assert!(config.any_bot_side());
    }
}
