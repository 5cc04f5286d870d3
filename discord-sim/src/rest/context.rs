//! What a REST handler gets: the matched route, parameters, body and the shared state.

use crate::openapi::Matched;
use crate::world::{MessageInput, NewAttachment};
use crate::{ApiError, Shared};
use serde_json::Value;

/// Handler result: status and JSON body (`None` for 204).
pub(crate) type Reply = Result<(u16, Option<Value>), ApiError>;

pub(crate) struct Ctx<'a> {
    pub shared: &'a Shared,
    pub method: &'a str,
    pub matched: &'a Matched<'a>,
    pub query: &'a [(String, String)],
    /// JSON body (`Null` when empty).
    pub body: Value,
    pub files: Vec<NewAttachment>,
    /// `X-Audit-Log-Reason`, decoded.
    pub reason: Option<String>,
}

impl Ctx<'_> {
    /// A snowflake path parameter. The validator has checked the format already; a bad one
    /// still answers 404 rather than panicking.
    pub(crate) fn id(&self, name: &str) -> Result<u64, ApiError> {
        self.matched
            .param(name)
            .and_then(|v| v.parse().ok())
            .ok_or_else(ApiError::not_found)
    }

    pub(crate) fn param(&self, name: &str) -> &str {
        self.matched.param(name).unwrap_or_default()
    }

    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn query_flag(&self, name: &str) -> bool {
        self.query(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
    }

    pub(crate) fn str_field(&self, name: &str) -> Option<&str> {
        self.body.get(name).and_then(Value::as_str)
    }

    /// A snowflake body field (Discord accepts strings or numbers).
    pub(crate) fn id_field(&self, name: &str) -> Option<u64> {
        id_of(self.body.get(name)?)
    }

    pub(crate) fn message_input(&self) -> MessageInput {
        MessageInput::from_body(&self.body, self.files.clone())
    }

    pub(crate) fn bot(&self) -> u64 {
        crate::lock(&self.shared.world).bot_user_id
    }
}

pub(crate) fn id_of(v: &Value) -> Option<u64> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64())
}

pub(crate) fn ok(v: Value) -> Reply {
    Ok((200, Some(v)))
}

pub(crate) fn no_content() -> Reply {
    Ok((204, None))
}
