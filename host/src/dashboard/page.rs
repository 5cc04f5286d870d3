//! The frame of every page: head, style, navigation, the logout button and the message left
//! by the last action. maud escapes every value put into the markup.

use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{
    auth::{Authed, Flash},
    csrf,
};

/// The style sheet, inline: the dashboard serves no files.
const STYLE: &str = "
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center}
header a{color:#c9d3ff;text-decoration:none}header a.current{color:#fff;font-weight:600}
header form{margin-left:auto}main{padding:1em 1.2em}
table{border-collapse:collapse;background:#fff;width:100%}
th,td{border:1px solid #dde;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eceff5}td.num{text-align:right}code{font-size:12px}
.flash{padding:.5em .8em;border-radius:4px}.ok{background:#dff5e1}.error{background:#fde2e1}
.state-running{color:#17752b}.state-bad{color:#b3261e}.hint{color:#667}
form.inline{display:inline}textarea{width:100%;font-family:monospace}
button{cursor:pointer}nav.pages a{margin-right:.6em}label{margin-right:.4em}
";

/// The pages, for the navigation bar.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Modules,
    History,
    Store,
    Runtime,
}

const PAGES: [(Nav, &str, &str); 4] = [
    (Nav::Modules, "/modules", "Modules"),
    (Nav::History, "/history", "Reload history"),
    (Nav::Store, "/store", "Store"),
    (Nav::Runtime, "/runtime", "Timers & shards"),
];

fn head(title: &str) -> Markup {
    html! {
        (DOCTYPE)
        meta charset="utf-8";
        meta name="viewport" content="width=device-width";
        title { (title) " — Arsenal" }
        style { (PreEscaped(STYLE)) }
    }
}

/// A page of a logged-in session.
pub fn full(current: Nav, authed: &Authed, flash: Option<Flash>, body: Markup) -> Response {
    let title = PAGES
        .iter()
        .find(|(nav, _, _)| *nav == current)
        .map_or("Dashboard", |(_, _, title)| *title);
    Html(
        html! {
            (head(title))
            header {
                strong { "Arsenal" }
                @for (nav, href, label) in PAGES {
                    a href=(href) class=[(nav == current).then_some("current")] { (label) }
                }
                form method="post" action="/logout" {
                    (csrf::field(authed))
                    button #logout type="submit" { "Log out" }
                }
            }
            main {
                h1 { (title) }
                @if let Some(flash) = flash {
                    p #flash .flash .ok[flash.ok] .error[!flash.ok] role="status" { (flash.text) }
                }
                (body)
            }
        }
        .into_string(),
    )
    .into_response()
}

/// A page outside a session (the login page).
pub fn bare(title: &str, body: Markup) -> Html<String> {
    Html(
        html! {
            (head(title))
            main { (body) }
        }
        .into_string(),
    )
}

/// What went wrong, answered as [`error`]'s page.
pub struct Refusal {
    /// The HTTP status.
    pub status: StatusCode,
    /// What to tell.
    pub text: String,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        error(self.status, &self.text)
    }
}

/// A page saying what went wrong, with a way back.
pub fn error(status: StatusCode, text: &str) -> Response {
    let body = html! {
        h1 { "Not done" }
        p #flash .flash .error role="alert" { (text) }
        p { a href="/modules" { "Back to the dashboard" } }
    };
    (status, bare("Not done", body)).into_response()
}
