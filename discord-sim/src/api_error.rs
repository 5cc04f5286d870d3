//! The error a Discord API call answers with, shared by the world (which enforces rules) and the
//! REST layer (which turns it into an HTTP response).

use serde_json::{json, Value};

/// A Discord-style error: HTTP status, JSON error code, message, optional field errors.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub code: u32,
    pub message: String,
    pub errors: Option<Value>,
}

impl ApiError {
    pub(crate) fn new(status: u16, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: None,
        }
    }

    pub(crate) fn missing_permissions() -> Self {
        Self::new(403, 50013, "Missing Permissions")
    }
    pub(crate) fn missing_access() -> Self {
        Self::new(403, 50001, "Missing Access")
    }
    pub(crate) fn unknown_channel() -> Self {
        Self::new(404, 10003, "Unknown Channel")
    }
    pub(crate) fn unknown_guild() -> Self {
        Self::new(404, 10004, "Unknown Guild")
    }
    pub(crate) fn unknown_member() -> Self {
        Self::new(404, 10007, "Unknown Member")
    }
    pub(crate) fn unknown_message() -> Self {
        Self::new(404, 10008, "Unknown Message")
    }
    pub(crate) fn unknown_role() -> Self {
        Self::new(404, 10011, "Unknown Role")
    }
    pub(crate) fn unknown_user() -> Self {
        Self::new(404, 10013, "Unknown User")
    }
    pub(crate) fn unknown_emoji() -> Self {
        Self::new(404, 10014, "Unknown Emoji")
    }
    pub(crate) fn unknown_webhook() -> Self {
        Self::new(404, 10015, "Unknown Webhook")
    }
    pub(crate) fn unknown_ban() -> Self {
        Self::new(404, 10026, "Unknown Ban")
    }
    pub(crate) fn unknown_interaction() -> Self {
        Self::new(404, 10062, "Unknown interaction")
    }
    pub(crate) fn unknown_command() -> Self {
        Self::new(404, 10063, "Unknown application command")
    }
    pub(crate) fn not_found() -> Self {
        Self::new(404, 0, "404: Not Found")
    }

    /// `50035 Invalid Form Body` with one field error, the shape Discord uses for validation.
    pub(crate) fn invalid_field(field: &str, code: &str, message: &str) -> Self {
        let mut errors = json!({ "_errors": [{ "code": code, "message": message }] });
        for part in field.rsplit('.').filter(|p| !p.is_empty()) {
            errors = json!({ part: errors });
        }
        Self {
            status: 400,
            code: 50035,
            message: "Invalid Form Body".to_owned(),
            errors: Some(errors),
        }
    }

    /// Whether Discord would reject the request as malformed (a client bug) rather than because
    /// of the current state of the world (missing permission, unknown entity).
    pub(crate) fn is_malformed(&self) -> bool {
        self.status == 400
    }

    pub(crate) fn body(&self) -> Value {
        let mut body = json!({ "code": self.code, "message": self.message });
        if let Some(errors) = &self.errors {
            body["errors"] = errors.clone();
        }
        body
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} (code {})", self.status, self.message, self.code)?;
        if let Some(errors) = &self.errors {
            write!(f, ": {errors}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
