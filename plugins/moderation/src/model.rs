//! The module's stored records and their keys, all in the plugin's own store namespace.
//!
//! | key | record |
//! |---|---|
//! | `config:<guild>` | [`GuildConfig`] |
//! | `counter:<guild>` | [`CaseCounter`], the last case number given |
//! | `case:<guild>:<number, 10 digits>` | [`Case`] |
//! | `member:<guild>:<user>` | [`MemberRecord`]: warnings and the member's case numbers |
//! | `mute:<guild>:<user>` | [`ActiveMute`] |
//! | `tempban:<guild>:<user>` | [`TempBan`] |
//!
//! Every record carries `v` (its schema version); fields are only ever added with defaults, and a
//! record from a newer version is refused rather than misread.

use arsenal_plugin_api::{
    model::id::{
        marker::{ChannelMarker, GuildMarker, RoleMarker, UserMarker},
        Id,
    },
    Error, Result, Store,
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// The schema version this code writes and reads.
pub const VERSION: u32 = 1;
/// Warnings expire after this long unless a guild chose otherwise.
pub const DEFAULT_WARN_EXPIRY_SECS: u64 = 30 * 86_400;

fn v1() -> u32 {
    VERSION
}

fn yes() -> bool {
    true
}

fn default_expiry() -> Option<u64> {
    Some(DEFAULT_WARN_EXPIRY_SECS)
}

/// A record with a schema version.
pub trait Versioned {
    /// The version it was written with.
    fn version(&self) -> u32;
}

macro_rules! versioned {
    ($($ty:ty),*) => {$(impl Versioned for $ty {
        fn version(&self) -> u32 { self.v }
    })*};
}

/// One guild's moderation settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuildConfig {
    #[serde(default = "v1")]
    pub v: u32,
    /// Where every case is posted.
    #[serde(default)]
    pub modlog: Option<Id<ChannelMarker>>,
    /// How long a warning counts toward thresholds; `None`: forever.
    #[serde(default = "default_expiry")]
    pub warn_expiry_secs: Option<u64>,
    /// Active-point thresholds and what reaching them does, sorted by points.
    #[serde(default)]
    pub thresholds: Vec<Threshold>,
    /// The role used for mutes longer than Discord's 28-day timeout, or always if `always_mute_role`.
    #[serde(default)]
    pub mute_role: Option<Id<RoleMarker>>,
    #[serde(default)]
    pub always_mute_role: bool,
    /// Tell members by DM what happened to them.
    #[serde(default = "yes")]
    pub dm_members: bool,
}

impl Default for GuildConfig {
    fn default() -> Self {
        Self {
            v: VERSION,
            modlog: None,
            warn_expiry_secs: default_expiry(),
            thresholds: Vec::new(),
            mute_role: None,
            always_mute_role: false,
            dm_members: true,
        }
    }
}

/// Reaching `points` active warning points triggers `action`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    pub points: u32,
    pub action: AutoAction,
}

/// What a threshold does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AutoAction {
    /// A mute of this length (a timeout, or the mute role when configured or longer than 28 days).
    Timeout {
        secs: u64,
    },
    Kick,
    /// A ban, temporary when `secs` is set.
    Ban {
        #[serde(default)]
        secs: Option<u64>,
    },
}

/// The last case number given in a guild.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseCounter {
    #[serde(default = "v1")]
    pub v: u32,
    pub last: u64,
}

/// What a case records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Warn,
    Mute,
    Unmute,
    Kick,
    Ban,
    TempBan,
    Unban,
    Purge,
}

impl CaseKind {
    /// The text key of how the action reads in a sentence ("was warned").
    #[must_use]
    pub const fn past_key(self) -> &'static str {
        match self {
            Self::Warn => "moderation-past-warn",
            Self::Mute => "moderation-past-mute",
            Self::Unmute => "moderation-past-unmute",
            Self::Kick => "moderation-past-kick",
            Self::Ban => "moderation-past-ban",
            Self::TempBan => "moderation-past-tempban",
            Self::Unban => "moderation-past-unban",
            Self::Purge => "moderation-past-purge",
        }
    }

    /// The text key of the title of its mod-log entry.
    #[must_use]
    pub const fn title_key(self) -> &'static str {
        match self {
            Self::Warn => "moderation-kind-warn",
            Self::Mute => "moderation-kind-mute",
            Self::Unmute => "moderation-kind-unmute",
            Self::Kick => "moderation-kind-kick",
            Self::Ban => "moderation-kind-ban",
            Self::TempBan => "moderation-kind-tempban",
            Self::Unban => "moderation-kind-unban",
            Self::Purge => "moderation-kind-purge",
        }
    }

    /// Embed colour of its mod-log entry.
    #[must_use]
    pub const fn colour(self) -> u32 {
        match self {
            Self::Warn => 0x00F1_C40F,
            Self::Mute => 0x00E6_7E22,
            Self::Unmute | Self::Unban => 0x002E_CC71,
            Self::Kick => 0x00E6_7E22,
            Self::Ban | Self::TempBan => 0x00E7_4C3C,
            Self::Purge => 0x0034_98DB,
        }
    }
}

/// One numbered moderation action in a guild.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    #[serde(default = "v1")]
    pub v: u32,
    pub number: u64,
    pub kind: CaseKind,
    /// The member acted on (none for a purge of everyone's messages).
    #[serde(default)]
    pub user: Option<Id<UserMarker>>,
    /// Who acted (the bot for automatic actions).
    pub moderator: Id<UserMarker>,
    #[serde(default)]
    pub reason: Option<String>,
    pub created_ms: u64,
    #[serde(default)]
    pub duration_secs: Option<u64>,
    /// Warning points.
    #[serde(default)]
    pub points: Option<u32>,
    /// Messages deleted (purge).
    #[serde(default)]
    pub count: Option<u32>,
    /// Done by the module itself: a threshold, an expiry or a rejoin.
    #[serde(default)]
    pub automatic: bool,
}

/// One member's warnings and the numbers of every case about them (their sanctions history).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MemberRecord {
    #[serde(default = "v1")]
    pub v: u32,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    #[serde(default)]
    pub cases: Vec<u64>,
}

/// A warning; it counts toward thresholds until it expires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub case: u64,
    pub points: u32,
    pub reason: String,
    pub moderator: Id<UserMarker>,
    pub created_ms: u64,
    #[serde(default)]
    pub expires_ms: Option<u64>,
}

impl Warning {
    /// Whether it still counts at `now_ms`.
    #[must_use]
    pub fn active(&self, now_ms: u64) -> bool {
        self.expires_ms.is_none_or(|end| now_ms < end)
    }
}

impl MemberRecord {
    /// Points of the warnings still active at `now_ms`.
    #[must_use]
    pub fn active_points(&self, now_ms: u64) -> u32 {
        self.warnings
            .iter()
            .filter(|w| w.active(now_ms))
            .map(|w| w.points)
            .fold(0, u32::saturating_add)
    }
}

/// How a mute is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MuteMethod {
    /// Discord's timeout (`communication_disabled_until`).
    Timeout,
    /// The guild's mute role.
    Role { role: Id<RoleMarker> },
}

/// A mute in force; re-applied when the member rejoins, lifted by the `unmute:` timer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActiveMute {
    #[serde(default = "v1")]
    pub v: u32,
    pub case: u64,
    /// `None`: until a moderator unmutes (mute role only).
    #[serde(default)]
    pub until_ms: Option<u64>,
    pub method: MuteMethod,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A temporary ban, lifted by the `unban:` timer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TempBan {
    #[serde(default = "v1")]
    pub v: u32,
    pub case: u64,
    pub until_ms: u64,
}

/// What a durable timer does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimerAction {
    Unmute,
    Unban,
}

/// The payload of the module's timers: enough to act without any other state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimerPayload {
    #[serde(default = "v1")]
    pub v: u32,
    pub action: TimerAction,
    pub guild: Id<GuildMarker>,
    pub user: Id<UserMarker>,
    /// The case that started the sanction; a timer whose case no longer matches is stale.
    pub case: u64,
    /// Earlier deliveries that failed (Discord refused); retried with a growing delay.
    #[serde(default)]
    pub attempt: u32,
}

versioned!(
    GuildConfig,
    CaseCounter,
    Case,
    MemberRecord,
    ActiveMute,
    TempBan,
    TimerPayload
);

pub fn config_key(guild: Id<GuildMarker>) -> String {
    format!("config:{guild}")
}

pub fn counter_key(guild: Id<GuildMarker>) -> String {
    format!("counter:{guild}")
}

pub fn case_key(guild: Id<GuildMarker>, number: u64) -> String {
    format!("case:{guild}:{number:010}")
}

pub fn member_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("member:{guild}:{user}")
}

pub fn mute_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("mute:{guild}:{user}")
}

pub fn tempban_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("tempban:{guild}:{user}")
}

/// The timer key of `action` for a member: one pending timer per member and action.
pub fn timer_key(action: TimerAction, guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    match action {
        TimerAction::Unmute => format!("unmute:{guild}:{user}"),
        TimerAction::Unban => format!("unban:{guild}:{user}"),
    }
}

/// Refuses a record written by a newer version of the module instead of misreading it.
///
/// # Errors
///
/// When `record` is newer than this code.
pub fn check<T: Versioned>(key: &str, record: T) -> Result<T> {
    if record.version() > VERSION {
        return Err(Error::invalid(format!(
            "stored record {key:?} has version {} but this moderation module reads up to {VERSION}; update the module",
            record.version()
        )));
    }
    Ok(record)
}

/// Reads a versioned record.
///
/// # Errors
///
/// A store failure, a malformed record, or one from a newer version.
pub fn load<T: DeserializeOwned + Versioned>(store: &Store, key: &str) -> Result<Option<T>> {
    store.get::<T>(key)?.map(|r| check(key, r)).transpose()
}

/// The guild's settings (defaults when never configured).
///
/// # Errors
///
/// As [`load`].
pub fn config(store: &Store, guild: Id<GuildMarker>) -> Result<GuildConfig> {
    Ok(load(store, &config_key(guild))?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_and_points() {
        let warning = |points, expires_ms| Warning {
            case: 1,
            points,
            reason: "r".into(),
            moderator: Id::new(1),
            created_ms: 0,
            expires_ms,
        };
        let record = MemberRecord {
            warnings: vec![
                warning(1, Some(100)),
                warning(2, None),
                warning(3, Some(200)),
            ],
            ..MemberRecord::default()
        };
        assert_eq!(record.active_points(50), 6);
        assert_eq!(record.active_points(100), 5, "expiry is exclusive");
        assert_eq!(record.active_points(10_000), 2, "no expiry: forever");
    }

    #[test]
    fn records_from_a_newer_version_are_refused() {
        let newer = Case {
            v: VERSION + 1,
            number: 1,
            kind: CaseKind::Warn,
            user: None,
            moderator: Id::new(1),
            reason: None,
            created_ms: 0,
            duration_secs: None,
            points: None,
            count: None,
            automatic: false,
        };
        let error = check("case:1:0000000001", newer).unwrap_err();
        assert!(error.message().contains("update the module"));
        let old: GuildConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(old, GuildConfig::default(), "missing fields take defaults");
        assert_eq!(case_key(Id::new(5), 42), "case:5:0000000042");
    }
}
