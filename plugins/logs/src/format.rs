//! Small formatting pieces shared by the log entries: truncation to Discord's limits, times,
//! names, colours.

use arsenal_plugin_api::{model::user::User, prelude::*};

/// Discord's epoch (2015-01-01) in Unix milliseconds: snowflakes count from it.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
/// An embed field's value holds at most this many characters.
pub const FIELD_MAX: usize = 1024;
/// An embed's description holds at most this many characters (4096; room kept for the rest).
pub const DESCRIPTION_MAX: usize = 4000;

/// Entry colours per kind of change.
pub mod color {
    /// Deleted, left, banned.
    pub const REMOVED: u32 = 0x00E7_4C3C;
    /// Edited, changed.
    pub const CHANGED: u32 = 0x00F1_C40F;
    /// Joined, created, unbanned.
    pub const ADDED: u32 = 0x002E_CC71;
    /// Moderation (timeouts).
    pub const MODERATION: u32 = 0x0099_2D22;
    /// Voice.
    pub const VOICE: u32 = 0x001A_BC9C;
}

/// `text` cut to `max` characters, with an ellipsis when cut.
#[must_use]
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A member's shown name: their global name, else their username.
#[must_use]
pub fn display_name(user: &User) -> String {
    user.global_name
        .clone()
        .unwrap_or_else(|| user.name.clone())
}

/// When a snowflake (user, message) was created, Unix milliseconds.
#[must_use]
pub fn created_ms(id: u64) -> u64 {
    (id >> 22).saturating_add(DISCORD_EPOCH_MS)
}

/// A Discord timestamp shown relative to now (`3 days ago`) in each reader's own time zone.
#[must_use]
pub fn relative(unix_secs: i64) -> String {
    format!("<t:{unix_secs}:R>")
}

/// A Discord timestamp shown as date and time.
#[must_use]
pub fn date_time(unix_secs: i64) -> String {
    format!("<t:{unix_secs}:f>")
}

/// `unix_ms` as `2026-12-06 07:31:02 UTC` (for text files, which Discord does not render).
pub use arsenal_plugin_api::time::utc;

/// A link to a message.
#[must_use]
pub fn message_link(
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
    message: Id<MessageMarker>,
) -> String {
    format!("https://discord.com/channels/{guild}/{channel}/{message}")
}

/// Permission names, `MANAGE_MESSAGES, KICK_MEMBERS`.
#[must_use]
pub fn permission_names(bits: u64) -> String {
    Permissions::from_bits_truncate(bits)
        .iter_names()
        .map(|(name, _)| name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_796_542_262_000), "2026-12-06 07:31:02 UTC");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn long_texts_are_cut_with_an_ellipsis() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("ééééé", 4).chars().count(), 4);
    }

    #[test]
    fn a_snowflake_tells_when_it_was_made() {
        // Discord's documented example: 175928847299117063 is 2016-04-30 11:18:25.796 UTC.
        assert_eq!(created_ms(175_928_847_299_117_063), 1_462_015_105_796);
    }
}
