//! The records the module keeps in its store namespace, their keys, and small value helpers.
//!
//! Every record carries `v` (its schema version, 1 today) so a later version of the module can
//! migrate what an older one wrote. New fields are added with `#[serde(default)]`.
//!
//! | key | record |
//! |---|---|
//! | `config:<guild>` | [`GuildConfig`] |
//! | `panel:<guild>:<panel>` | [`Panel`] |
//! | `ticket:<channel>` | [`Ticket`] (the channel or thread of the ticket) |
//! | `counter:<guild>` | [`Counters`] (ticket and panel numbers) |
//! | `open:<guild>:<user>` | [`OpenList`] (the user's open tickets, for the limit) |

use arsenal_plugin_api::model::id::{
    marker::{ChannelMarker, GuildMarker, MessageMarker, RoleMarker, UserMarker},
    Id,
};
use arsenal_plugin_api::CommandChoice;
use serde::{Deserialize, Serialize};

/// The schema version written into every record.
pub const RECORD_VERSION: u32 = 1;
/// Default per-user limit of open tickets.
pub const DEFAULT_LIMIT: u32 = 1;
/// Default seconds between "closing" and the transcript + deletion.
pub const DEFAULT_CLOSE_DELAY_SECS: u64 = 5;
/// Most topics (select-menu options) a panel can have: Discord's select-menu limit.
pub const MAX_TOPICS: usize = 25;

fn version() -> u32 {
    RECORD_VERSION
}

fn default_limit() -> u32 {
    DEFAULT_LIMIT
}

fn default_close_delay() -> u64 {
    DEFAULT_CLOSE_DELAY_SECS
}

/// Whether a ticket is a private text channel or a private thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, CommandChoice)]
#[serde(rename_all = "snake_case")]
pub enum TicketMode {
    #[default]
    #[choice(name = "channel")]
    Channel,
    #[choice(name = "thread")]
    Thread,
}

/// What happens to a ticket's channel once its transcript is posted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, CommandChoice)]
#[serde(rename_all = "snake_case")]
pub enum CloseAction {
    #[default]
    #[choice(name = "delete")]
    Delete,
    /// Renamed `closed-NNNN`, opener and added members removed, moved to the archive category.
    #[choice(name = "archive")]
    Archive,
}

/// One guild's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuildConfig {
    #[serde(default = "version")]
    pub v: u32,
    /// Where transcripts go; none: tickets close without a transcript.
    #[serde(default)]
    pub log_channel: Option<Id<ChannelMarker>>,
    #[serde(default)]
    pub mode: TicketMode,
    #[serde(default)]
    pub on_close: CloseAction,
    /// Discord category for ticket channels (a topic's own category wins).
    #[serde(default)]
    pub category: Option<Id<ChannelMarker>>,
    /// Discord category archived tickets move to.
    #[serde(default)]
    pub archive_category: Option<Id<ChannelMarker>>,
    /// Roles that handle every ticket (topics add their own).
    #[serde(default)]
    pub staff_roles: Vec<Id<RoleMarker>>,
    #[serde(default = "default_limit")]
    pub max_open_per_user: u32,
    /// Ask the opener for a reason in a form before opening.
    #[serde(default)]
    pub ask_reason: bool,
    /// Close tickets after this many seconds without a message.
    #[serde(default)]
    pub autoclose_secs: Option<u64>,
    /// Seconds between closing and the transcript + deletion or archiving.
    #[serde(default = "default_close_delay")]
    pub close_delay_secs: u64,
}

impl Default for GuildConfig {
    fn default() -> Self {
        Self {
            v: RECORD_VERSION,
            log_channel: None,
            mode: TicketMode::Channel,
            on_close: CloseAction::Delete,
            category: None,
            archive_category: None,
            staff_roles: Vec::new(),
            max_open_per_user: DEFAULT_LIMIT,
            ask_reason: false,
            autoclose_secs: None,
            close_delay_secs: DEFAULT_CLOSE_DELAY_SECS,
        }
    }
}

/// A ticket category offered in a panel's select menu.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// Stable id used in `custom_id`s and select values (a slug of the first name).
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub staff_roles: Vec<Id<RoleMarker>>,
    /// Discord category for this topic's ticket channels.
    #[serde(default)]
    pub category: Option<Id<ChannelMarker>>,
}

/// A message with an "Open ticket" button, or a select menu of topics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    #[serde(default = "version")]
    pub v: u32,
    pub id: u32,
    pub guild_id: Id<GuildMarker>,
    pub channel_id: Id<ChannelMarker>,
    #[serde(default)]
    pub message_id: Option<Id<MessageMarker>>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub topics: Vec<Topic>,
}

/// Where a ticket is in its life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TicketStatus {
    Open,
    /// Closing was asked; the `close:` timer posts the transcript and removes the channel.
    Closing {
        /// `None`: closed by the module itself (autoclose).
        #[serde(default)]
        by: Option<Id<UserMarker>>,
        by_name: String,
        #[serde(default)]
        reason: Option<String>,
    },
    /// Archived (the channel stays).
    Closed {
        #[serde(default)]
        by: Option<Id<UserMarker>>,
        by_name: String,
        #[serde(default)]
        reason: Option<String>,
        at_ms: u64,
    },
}

/// A staff member's request that the opener confirm closing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloseRequest {
    pub by: Id<UserMarker>,
    pub by_name: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// One ticket, keyed by its channel (or thread).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    #[serde(default = "version")]
    pub v: u32,
    pub guild_id: Id<GuildMarker>,
    pub channel_id: Id<ChannelMarker>,
    pub number: u64,
    pub opener: Id<UserMarker>,
    pub opener_name: String,
    #[serde(default)]
    pub panel: Option<u32>,
    /// The topic's name, if opened from a select menu.
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub thread: bool,
    /// Config staff plus the topic's, as they were when the ticket opened.
    #[serde(default)]
    pub staff_roles: Vec<Id<RoleMarker>>,
    /// Members added by `/ticket add`.
    #[serde(default)]
    pub members: Vec<Id<UserMarker>>,
    #[serde(default)]
    pub claimed_by: Option<Id<UserMarker>>,
    pub opened_at_ms: u64,
    pub last_activity_ms: u64,
    pub status: TicketStatus,
    #[serde(default)]
    pub close_request: Option<CloseRequest>,
}

impl Ticket {
    /// `ticket-0042`.
    #[must_use]
    pub fn name(&self) -> String {
        ticket_name(self.number)
    }

    #[must_use]
    pub fn is_open(&self) -> bool {
        self.status == TicketStatus::Open
    }
}

/// Per-guild numbering.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    #[serde(default = "version")]
    pub v: u32,
    #[serde(default)]
    pub tickets: u64,
    #[serde(default)]
    pub panels: u32,
}

/// A user's open tickets in one guild.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OpenList {
    #[serde(default = "version")]
    pub v: u32,
    #[serde(default)]
    pub channels: Vec<Id<ChannelMarker>>,
}

pub fn config_key(guild: Id<GuildMarker>) -> String {
    format!("config:{guild}")
}

pub fn panel_key(guild: Id<GuildMarker>, panel: u32) -> String {
    format!("panel:{guild}:{panel}")
}

pub fn panel_prefix(guild: Id<GuildMarker>) -> String {
    format!("panel:{guild}:")
}

pub fn ticket_key(channel: Id<ChannelMarker>) -> String {
    format!("ticket:{channel}")
}

pub fn counter_key(guild: Id<GuildMarker>) -> String {
    format!("counter:{guild}")
}

pub fn open_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("open:{guild}:{user}")
}

/// Timer that closes a ticket for inactivity.
pub fn autoclose_timer(channel: Id<ChannelMarker>) -> String {
    format!("autoclose:{channel}")
}

/// Timer that finishes a close: transcript, then delete or archive.
pub fn close_timer(channel: Id<ChannelMarker>) -> String {
    format!("close:{channel}")
}

/// `ticket-0042`: zero-padded to four digits, longer numbers are kept whole.
#[must_use]
pub fn ticket_name(number: u64) -> String {
    format!("ticket-{number:04}")
}

/// Parses `90s`, `30m`, `48h`, `2d`, `1h30m` into seconds; `off`/`0` is `Some(None)`.
#[must_use]
pub fn parse_duration(text: &str) -> Option<Option<u64>> {
    let text = text.trim().to_ascii_lowercase();
    if matches!(text.as_str(), "off" | "none" | "0" | "never") {
        return Some(None);
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return None,
        };
        let value: u64 = number.parse().ok()?;
        total = total.checked_add(value.checked_mul(unit)?)?;
        number.clear();
    }
    if !number.is_empty() {
        // A bare number means hours, the unit admins think in for tickets.
        let value: u64 = number.parse().ok()?;
        total = total.checked_add(value.checked_mul(3600)?)?;
    }
    (total > 0).then_some(Some(total))
}

/// `2d 3h`, `45m`, `10s`: the largest units, in English (messages use
/// [`describe_duration_in`]).
#[cfg(test)]
#[must_use]
pub fn describe_duration(secs: u64) -> String {
    duration_text(secs, ["d", "h", "m", "s"])
}

/// [`describe_duration`] with the unit letters of `tr`'s language (`2j 3h` in French).
#[must_use]
pub fn describe_duration_in(tr: arsenal_plugin_api::i18n::Tr<'_>, secs: u64) -> String {
    let units = [
        tr.t("tickets-unit-day"),
        tr.t("tickets-unit-hour"),
        tr.t("tickets-unit-minute"),
        tr.t("tickets-unit-second"),
    ];
    duration_text(secs, units.each_ref().map(String::as_str))
}

fn duration_text(secs: u64, [day, hour, minute, second]: [&str; 4]) -> String {
    let parts = [
        (secs / 86_400, day),
        (secs % 86_400 / 3600, hour),
        (secs % 3600 / 60, minute),
        (secs % 60, second),
    ];
    let text: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if text.is_empty() {
        format!("0{second}")
    } else {
        text.join(" ")
    }
}

/// A select-value-safe key from a topic name: lowercase letters, digits and `-`, ≤ 32 chars.
#[must_use]
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(32).collect();
    if out.is_empty() {
        "topic".to_owned()
    } else {
        out
    }
}

/// Cuts `text` to at most `max` characters, marking the cut.
#[must_use]
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
