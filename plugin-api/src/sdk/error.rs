//! The SDK's error type: what a plugin handler returns and what host calls fail with.

use std::{error::Error as StdError, fmt};

use crate::abi::{AbiError, ErrorCode};

/// An error in a plugin handler or from a host call.
///
/// The host shows its message to the user who triggered the call (ephemeral) and logs it, so
/// write messages a person can act on.
#[derive(Debug)]
pub struct Error {
    kind: ErrorType,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorType {
    /// A handler failed.
    Failed,
    /// Bad input: a malformed payload or a value that does not fit.
    Invalid,
    /// The host does not support the request (host older than the plugin).
    Unsupported,
    /// Not allowed.
    Forbidden,
    /// Discord refused the action (its message says why).
    Discord,
    /// A store transaction kept losing races and gave up.
    Conflict,
    /// Plugin code panicked.
    Panicked,
}

impl Error {
    /// A handler failure with a message.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(ErrorType::Failed, message)
    }

    /// Bad input with a message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorType::Invalid, message)
    }

    /// An error of `kind` with a message.
    pub fn new(kind: ErrorType, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying cause.
    #[must_use]
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The kind.
    #[must_use]
    pub const fn kind(&self) -> ErrorType {
        self.kind
    }

    /// The message.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Splits into kind, message and source.
    #[must_use]
    pub fn into_parts(self) -> (ErrorType, String, Option<Box<dyn StdError + Send + Sync>>) {
        (self.kind, self.message, self.source)
    }

    pub(crate) fn into_abi(self) -> AbiError {
        let code = match self.kind {
            ErrorType::Failed => ErrorCode::Failed,
            ErrorType::Invalid => ErrorCode::Invalid,
            ErrorType::Unsupported => ErrorCode::Unsupported,
            ErrorType::Forbidden => ErrorCode::Forbidden,
            ErrorType::Discord => ErrorCode::Discord,
            ErrorType::Conflict => ErrorCode::Conflict,
            ErrorType::Panicked => ErrorCode::Panicked,
        };
        let message = match &self.source {
            Some(source) => format!("{}: {source}", self.message),
            None => self.message,
        };
        AbiError::new(code, message)
    }

    pub(crate) fn from_abi(error: &AbiError) -> Self {
        let kind = match error.kind() {
            ErrorCode::Invalid => ErrorType::Invalid,
            ErrorCode::Unsupported => ErrorType::Unsupported,
            ErrorCode::Forbidden => ErrorType::Forbidden,
            ErrorCode::Discord => ErrorType::Discord,
            ErrorCode::Conflict => ErrorType::Conflict,
            ErrorCode::Panicked => ErrorType::Panicked,
            _ => ErrorType::Failed,
        };
        Self::new(kind, error.message.as_str())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|source| &**source as &(dyn StdError + 'static))
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Self {
        Self::new(ErrorType::Invalid, "malformed JSON").with_source(error)
    }
}

/// The result of a plugin handler or host call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
