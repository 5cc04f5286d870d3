//! What the REST API received: every request, and the ones Discord would have rejected.

use serde_json::Value;
use std::time::Instant;

/// One REST request as the simulator received it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    /// Path below `/api/v10`, without the query (`/channels/1/messages`).
    pub path: String,
    /// The OpenAPI route template (`/channels/{channel_id}/messages`), if the path matched one.
    pub route: Option<String>,
    /// Raw query string (without `?`).
    pub query: String,
    /// JSON body (for multipart: the `payload_json` part); `None` when empty.
    pub body: Option<Value>,
    /// Names of uploaded files (multipart).
    pub files: Vec<String>,
    /// Response status the simulator answered with.
    pub status: u16,
    pub at: Instant,
}

impl RecordedRequest {
    /// `"POST /channels/{channel_id}/messages"`, or the raw path for unknown routes.
    pub fn route_key(&self) -> String {
        format!(
            "{} {}",
            self.method,
            self.route.as_deref().unwrap_or(&self.path)
        )
    }
}

/// A request Discord would reject: unknown route, bad parameters or body, protocol misuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub method: String,
    pub path: String,
    pub reason: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.method, self.path, self.reason)
    }
}
