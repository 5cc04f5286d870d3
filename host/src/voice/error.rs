//! Why a voice request failed, worded for the member the module shows it to.

use std::fmt;

use arsenal_plugin_api::abi::{AbiError, ErrorCode};

/// What kind of failure a [`VoiceError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoiceErrorKind {
    /// The bot is not in a voice channel of that server (or nothing plays).
    NotConnected,
    /// Another module owns the server's connection, or the call is scoped to another server.
    Forbidden,
    /// A malformed request: a bad path, a volume out of range, an unknown channel.
    Invalid,
    /// The source could not be opened: a missing file, yt-dlp missing, a site refusing.
    Source,
    /// Discord did not let the bot join in time (no Connect permission, channel full).
    Timeout,
    /// The host is not connected to Discord, or is stopping.
    Unavailable,
}

/// A failed voice request.
#[derive(Debug, Clone)]
pub struct VoiceError {
    kind: VoiceErrorKind,
    message: String,
}

impl VoiceError {
    /// A failure of `kind` explained by `message`.
    pub fn new(kind: VoiceErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// What kind of failure this is.
    #[must_use]
    pub fn kind(&self) -> VoiceErrorKind {
        self.kind
    }

    /// The readable explanation.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn not_connected() -> Self {
        Self::new(
            VoiceErrorKind::NotConnected,
            "the bot is not in a voice channel of this server: join one first",
        )
    }

    pub(crate) fn nothing_playing() -> Self {
        Self::new(
            VoiceErrorKind::NotConnected,
            "nothing is playing in this server",
        )
    }
}

impl fmt::Display for VoiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for VoiceError {}

impl From<VoiceError> for AbiError {
    fn from(error: VoiceError) -> Self {
        let code = match error.kind {
            VoiceErrorKind::Forbidden => ErrorCode::Forbidden,
            VoiceErrorKind::Invalid => ErrorCode::Invalid,
            VoiceErrorKind::Unavailable => ErrorCode::Unsupported,
            VoiceErrorKind::NotConnected | VoiceErrorKind::Source | VoiceErrorKind::Timeout => {
                ErrorCode::Failed
            }
        };
        AbiError::new(code, error.message)
    }
}
