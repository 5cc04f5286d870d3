//! Cross-site request forgery: every form of a session carries the session's token (a hidden
//! `csrf` field), and every `POST` is refused unless the token it brings is that session's.
//!
//! The session cookie is `SameSite=Strict` as well, so another site's page can neither send it
//! nor read a token; the token also refuses a form left open from an older session (after a
//! logout or a host restart), whose action the operator may no longer mean.

use axum::http::StatusCode;
use maud::{html, Markup};

use super::{auth::Authed, page};

/// The hidden field every form carries.
#[must_use]
pub fn field(authed: &Authed) -> Markup {
    html! { input type="hidden" name="csrf" value=(authed.csrf); }
}

/// Accepts `token` if it is the session's.
///
/// # Errors
///
/// The page to answer with (403): the form is stale or forged; `action` says what was refused.
pub fn check(authed: &Authed, token: &str, action: &str) -> Result<(), page::Refusal> {
    if super::auth::constant_time_eq(token.as_bytes(), authed.csrf.as_bytes()) {
        return Ok(());
    }
    tracing::warn!(
        action,
        "dashboard: a form with a stale or forged CSRF token was refused"
    );
    Err(page::Refusal {
        status: StatusCode::FORBIDDEN,
        text: format!(
            "Refused to {action}: this form is out of date (its security token is not this session's, e.g. it was opened before a logout or a restart of the host). Nothing was changed. Open the page again and repeat the action."
        ),
    })
}
