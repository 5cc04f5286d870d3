//! The structured detail of an error crossing the boundary, carried in [`AbiError`]'s message.
//!
//! [`AbiError`] (frozen) holds a code and a text. For [`ErrorCode::Discord`] errors the host
//! writes a [`DiscordError`] as a JSON object into that text, so a module reads Discord's status
//! and numeric code instead of searching its text:
//!
//! ```json
//! {"status":403,"code":50013,"message":"Missing Permissions",
//!  "text":"Discord refused (403 Forbidden): Missing Permissions (code 50013) — the bot lacks a permission…"}
//! ```
//!
//! Compatibility, both ways:
//! - an older host sends plain text: the SDK reads it as a Discord error with `status` 0 and no
//!   `code`, its text as the message;
//! - an older plugin sees the JSON as its error text: the readable `text` and the numeric code are
//!   in it, so what it showed or searched before is still there.
//!
//! The other direction (a plugin's handler failing) stays plain text, which the host shows to
//! the member: [`ErrorCode::Forbidden`] from a handler means the module *refused* the request
//! (the SDK's `Error::refused`): an answer for the member, not a module failure.
//!
//! [`AbiError`]: crate::abi::AbiError
//! [`ErrorCode::Discord`]: crate::abi::ErrorCode::Discord
//! [`ErrorCode::Forbidden`]: crate::abi::ErrorCode::Forbidden

use serde::{Deserialize, Serialize};

/// Discord's answer to a refused action: the HTTP status and Discord's JSON error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscordError {
    /// The HTTP status (403, 404, …); 0 when unknown (an older host's plain-text error).
    pub status: u16,
    /// Discord's JSON error code (50013 Missing Permissions, 10007 Unknown Member, …), when its
    /// body had one. See [`discord_code`].
    #[serde(default)]
    pub code: Option<u64>,
    /// Discord's own message (`"Missing Permissions"`), or the body as text when it had none.
    #[serde(default)]
    pub message: String,
    /// One readable line for a person: what failed, Discord's reason and what to do.
    #[serde(default)]
    pub text: String,
}

impl DiscordError {
    /// Discord's answer `status` with its JSON `code` and `message`; `text` says it for a person.
    pub fn new(status: u16, code: Option<u64>, message: impl Into<String>) -> Self {
        let message = message.into();
        let text = match code {
            Some(code) => format!("Discord refused ({status}): {message} (code {code})"),
            None => format!("Discord refused ({status}): {message}"),
        };
        Self {
            status,
            code,
            message,
            text,
        }
    }

    /// A refusal known only by its text (an older host's error).
    pub fn text_only(text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            status: 0,
            code: None,
            message: text.clone(),
            text,
        }
    }

    /// Replaces the readable line.
    #[must_use]
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = text.into();
        self
    }

    /// The JSON object the host puts in an `ErrorCode::Discord` error's message.
    #[must_use]
    #[inline(never)]
    pub fn to_wire(&self) -> String {
        // A struct of strings and integers always serializes; keep the text if it ever did not.
        serde_json::to_string(self).unwrap_or_else(|_| self.text.clone())
    }

    /// Reads an `ErrorCode::Discord` error's message: the JSON object, or plain text from an
    /// older host.
    #[must_use]
    #[inline(never)]
    pub fn from_wire(message: &str) -> Self {
        if message.starts_with('{') {
            if let Ok(error) = serde_json::from_str::<Self>(message) {
                return error;
            }
        }
        Self::text_only(message)
    }
}

impl From<String> for DiscordError {
    fn from(text: String) -> Self {
        Self::text_only(text)
    }
}

impl From<&str> for DiscordError {
    fn from(text: &str) -> Self {
        Self::text_only(text)
    }
}

/// Discord's JSON error codes modules act on (the full list:
/// <https://discord.com/developers/docs/topics/opcodes-and-status-codes#json>).
pub mod discord_code {
    /// Unknown Channel.
    pub const UNKNOWN_CHANNEL: u64 = 10003;
    /// Unknown Guild.
    pub const UNKNOWN_GUILD: u64 = 10004;
    /// Unknown Member.
    pub const UNKNOWN_MEMBER: u64 = 10007;
    /// Unknown Message.
    pub const UNKNOWN_MESSAGE: u64 = 10008;
    /// Unknown Role.
    pub const UNKNOWN_ROLE: u64 = 10011;
    /// Unknown User.
    pub const UNKNOWN_USER: u64 = 10013;
    /// Unknown Ban.
    pub const UNKNOWN_BAN: u64 = 10026;
    /// Missing Access (the bot cannot see the channel).
    pub const MISSING_ACCESS: u64 = 50001;
    /// Cannot send messages to this user (closed DMs).
    pub const CANNOT_MESSAGE_USER: u64 = 50007;
    /// Missing Permissions (or the target's highest role is not below the bot's).
    pub const MISSING_PERMISSIONS: u64 = 50013;

    /// Whether `code` is one of Discord's "Unknown …" codes (10001–10999): the thing is gone.
    #[must_use]
    pub const fn is_unknown(code: u64) -> bool {
        code >= 10_001 && code < 11_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_form_round_trips() {
        let error = DiscordError::new(403, Some(50013), "Missing Permissions");
        assert_eq!(DiscordError::from_wire(&error.to_wire()), error);
    }

    #[test]
    fn plain_text_from_an_older_host_is_a_discord_error_without_status() {
        let read = DiscordError::from_wire("Discord refused (403 Forbidden): Missing Permissions");
        assert_eq!((read.status, read.code), (0, None));
        assert_eq!(
            read.text,
            "Discord refused (403 Forbidden): Missing Permissions"
        );
        // Text that merely starts like JSON stays text.
        assert_eq!(DiscordError::from_wire("{oops").text, "{oops");
    }

    #[test]
    fn fields_added_later_default() {
        let read = DiscordError::from_wire(r#"{"status":404}"#);
        assert_eq!(
            (read.status, read.code, read.text.as_str()),
            (404, None, "")
        );
    }

    #[test]
    fn an_older_plugin_still_finds_the_code_in_the_text() {
        let wire = DiscordError::new(404, Some(10007), "Unknown Member").to_wire();
        assert!(
            wire.contains("10007") && wire.contains("Unknown Member"),
            "{wire}"
        );
    }
}
