//! The SDK's error type: what a plugin handler returns and what host calls fail with.
//!
//! Errors are values a module matches on, never text it searches: [`Error::kind`] says what
//! happened ([`ErrorType::Discord`] carries Discord's HTTP status and numeric JSON code), and the
//! helpers ([`Error::is_not_found`], [`Error::discord_code`], …) answer the usual questions.

use std::{error::Error as StdError, fmt};

use crate::{
    abi::{AbiError, ErrorCode},
    protocol::{discord_code, DiscordError},
};

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
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorType {
    /// A handler failed.
    Failed,
    /// Bad input: a malformed payload or a value that does not fit.
    Invalid,
    /// The host does not support the request (host older than the plugin).
    Unsupported,
    /// The module refused the member's request (not enough coins, not allowed, …): the message
    /// is the answer for the member, shown ephemerally; not a failure of the module.
    Refused,
    /// What the request names does not exist (a module's own record). Discord's "Unknown …"
    /// answers are [`ErrorType::Discord`]; [`Error::is_not_found`] covers both.
    NotFound,
    /// A store transaction kept losing races and gave up; retrying later is safe.
    Conflict,
    /// Discord refused the action.
    Discord {
        /// The HTTP status (403, 404, …); 0 when the host did not say (an older host).
        status: u16,
        /// Discord's JSON error code (see [`discord_code`](crate::protocol::discord_code)).
        code: Option<u64>,
        /// Discord's own message, such as `"Missing Permissions"`.
        message: String,
    },
    /// Plugin code panicked.
    Panicked,
    /// Another module did not answer a request (`ctx.modules().ask`): `failure` says why (not
    /// loaded, unknown method, its handler failed or panicked, timed out, a request cycle, …).
    /// A refusal by that module is [`ErrorType::Refused`] instead, an answer for the member.
    Module {
        /// The module asked.
        module: String,
        /// Why it did not answer.
        failure: crate::protocol::ModuleFailure,
    },
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

    /// A refusal for the member: `message` is the answer shown to them. It reaches the host as
    /// [`ErrorCode::Forbidden`], which marks it as no failure of the module.
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(ErrorType::Refused, message)
    }

    /// Something the request names does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorType::NotFound, message)
    }

    /// An error of `kind` (or of the kind of another error: `Error::new(e.kind(), …)`) with a
    /// message.
    pub fn new(kind: impl Into<ErrorType>, message: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            message: message.into(),
            source: None,
        }
    }

    /// Discord's refusal as the host reported it.
    #[must_use]
    pub fn discord(error: DiscordError) -> Self {
        let message = if error.text.is_empty() {
            DiscordError::new(error.status, error.code, error.message.as_str()).text
        } else {
            error.text
        };
        Self::new(
            ErrorType::Discord {
                status: error.status,
                code: error.code,
                message: error.message,
            },
            message,
        )
    }

    /// Attaches the underlying cause.
    #[must_use]
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Says what was being done, keeping the kind: `"{what}: {message}"`.
    #[must_use]
    pub fn context(mut self, what: impl fmt::Display) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }

    /// The kind.
    #[must_use]
    pub const fn kind(&self) -> &ErrorType {
        &self.kind
    }

    /// The message.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Discord's JSON error code, when Discord refused with one.
    #[must_use]
    pub const fn discord_code(&self) -> Option<u64> {
        match self.kind {
            ErrorType::Discord { code, .. } => code,
            _ => None,
        }
    }

    /// Discord's HTTP status, when Discord refused (0 if the host did not say).
    #[must_use]
    pub const fn discord_status(&self) -> Option<u16> {
        match self.kind {
            ErrorType::Discord { status, .. } => Some(status),
            _ => None,
        }
    }

    /// Whether this is Discord's refusal with one of `codes`.
    #[must_use]
    pub fn is_discord_code(&self, codes: &[u64]) -> bool {
        self.discord_code()
            .is_some_and(|code| codes.contains(&code))
    }

    /// Whether the thing does not exist: [`ErrorType::NotFound`], or Discord answered 404 or an
    /// "Unknown …" code (member, message, channel, ban, …).
    #[must_use]
    pub const fn is_not_found(&self) -> bool {
        match self.kind {
            ErrorType::NotFound => true,
            ErrorType::Discord { status, code, .. } => {
                status == 404 || matches!(code, Some(code) if discord_code::is_unknown(code))
            }
            _ => false,
        }
    }

    /// Whether Discord refused for lack of a permission (403, Missing Permissions or Access).
    #[must_use]
    pub const fn is_missing_permissions(&self) -> bool {
        match self.kind {
            ErrorType::Discord { status, code, .. } => {
                status == 403
                    || matches!(
                        code,
                        Some(discord_code::MISSING_PERMISSIONS | discord_code::MISSING_ACCESS)
                    )
            }
            _ => false,
        }
    }

    /// Whether the module refused the member's request ([`Error::refused`]).
    #[must_use]
    pub const fn is_refused(&self) -> bool {
        matches!(self.kind, ErrorType::Refused)
    }

    /// Why another module did not answer, when this error is a failed request to it.
    #[must_use]
    pub const fn module_failure(&self) -> Option<crate::protocol::ModuleFailure> {
        match self.kind {
            ErrorType::Module { failure, .. } => Some(failure),
            _ => None,
        }
    }

    /// Whether a store transaction gave up after conflicts.
    #[must_use]
    pub const fn is_conflict(&self) -> bool {
        matches!(self.kind, ErrorType::Conflict)
    }

    /// Splits into kind, message and source.
    #[must_use]
    pub fn into_parts(self) -> (ErrorType, String, Option<Box<dyn StdError + Send + Sync>>) {
        (self.kind, self.message, self.source)
    }

    /// The error the host receives: plain text it can show, and the code saying what it is.
    pub(crate) fn into_abi(self) -> AbiError {
        let code = match self.kind {
            // Another module's failure is this handler's failure (never its panic: a module
            // that panicked answering must not get its asker quarantined).
            ErrorType::Failed | ErrorType::NotFound | ErrorType::Module { .. } => ErrorCode::Failed,
            ErrorType::Invalid => ErrorCode::Invalid,
            ErrorType::Unsupported => ErrorCode::Unsupported,
            // The one refusal code the frozen ABI has; from a handler it means "answered no".
            ErrorType::Refused => ErrorCode::Forbidden,
            ErrorType::Discord { .. } => ErrorCode::Discord,
            ErrorType::Conflict => ErrorCode::Conflict,
            ErrorType::Panicked => ErrorCode::Panicked,
        };
        let message = match &self.source {
            Some(source) => format!("{}: {source}", self.message),
            None => self.message,
        };
        AbiError::new(code, message)
    }

    /// The error a host call failed with; Discord's refusals carry their detail as JSON.
    #[inline(never)]
    pub(crate) fn from_abi(error: &AbiError) -> Self {
        let kind = match error.kind() {
            ErrorCode::Discord => {
                return Self::discord(DiscordError::from_wire(error.message.as_str()))
            }
            ErrorCode::Invalid => ErrorType::Invalid,
            ErrorCode::Unsupported => ErrorType::Unsupported,
            ErrorCode::Forbidden => ErrorType::Refused,
            ErrorCode::Conflict => ErrorType::Conflict,
            ErrorCode::Panicked => ErrorType::Panicked,
            _ => ErrorType::Failed,
        };
        Self::new(kind, error.message.as_str())
    }
}

impl From<&ErrorType> for ErrorType {
    fn from(kind: &ErrorType) -> Self {
        kind.clone()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn from_host(code: ErrorCode, message: &str) -> Error {
        Error::from_abi(&AbiError::new(code, message))
    }

    #[test]
    fn discord_refusals_arrive_as_values() {
        let wire = DiscordError::new(403, Some(50013), "Missing Permissions")
            .with_text("Discord refused (403 Forbidden): Missing Permissions — check my role");
        let error = from_host(ErrorCode::Discord, &wire.to_wire());
        assert_eq!(
            error.kind(),
            &ErrorType::Discord {
                status: 403,
                code: Some(50013),
                message: "Missing Permissions".to_owned()
            }
        );
        assert_eq!(
            error.message(),
            "Discord refused (403 Forbidden): Missing Permissions — check my role"
        );
        assert!(error.is_missing_permissions() && !error.is_not_found());
        assert_eq!(
            error.discord_code(),
            Some(discord_code::MISSING_PERMISSIONS)
        );
    }

    #[test]
    fn unknown_codes_and_404_are_not_found() {
        let member = Error::discord(DiscordError::new(404, Some(10007), "Unknown Member"));
        assert!(member.is_not_found() && member.is_discord_code(&[discord_code::UNKNOWN_MEMBER]));
        // Discord sometimes answers "Unknown …" with 400: the code decides.
        assert!(
            Error::discord(DiscordError::new(400, Some(10008), "Unknown Message")).is_not_found()
        );
        assert!(Error::not_found("no ticket here").is_not_found());
        assert!(
            !Error::discord(DiscordError::new(403, Some(50001), "Missing Access")).is_not_found()
        );
    }

    #[test]
    fn an_older_hosts_text_is_still_a_discord_error() {
        let error = from_host(
            ErrorCode::Discord,
            "Discord refused (404 Not Found): Unknown Member",
        );
        assert_eq!(error.discord_status(), Some(0));
        assert_eq!(error.discord_code(), None);
        assert_eq!(
            error.message(),
            "Discord refused (404 Not Found): Unknown Member"
        );
    }

    #[test]
    fn context_keeps_the_kind_and_the_host_gets_readable_text() {
        let error = Error::discord(DiscordError::new(403, Some(50013), "Missing Permissions"))
            .context("I could not ban <@5>");
        assert_eq!(error.discord_code(), Some(50013));
        let abi = error.into_abi();
        assert_eq!(abi.kind(), ErrorCode::Discord);
        assert_eq!(
            abi.message.as_str(),
            "I could not ban <@5>: Discord refused (403): Missing Permissions (code 50013)"
        );
    }

    #[test]
    fn a_refusal_crosses_as_forbidden_and_comes_back_refused() {
        let abi = Error::refused("You need 10 more coins.").into_abi();
        assert_eq!(
            (abi.kind(), abi.message.as_str()),
            (ErrorCode::Forbidden, "You need 10 more coins.")
        );
        assert!(Error::from_abi(&abi).is_refused());
        // Rewrapping with another error's kind keeps Discord's detail.
        let discord = Error::discord(DiscordError::new(404, Some(10007), "Unknown Member"));
        assert_eq!(Error::new(discord.kind(), "x").discord_code(), Some(10007));
    }
}
