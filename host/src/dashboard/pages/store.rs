//! `/store`: the namespaces and their health, a namespace's keys with search and paging, and a
//! key's JSON, editable in a module's namespace (`plugin.<name>`). An edit is one store
//! transaction checked against the version the page showed, exactly like a module's
//! `update`: if the key changed meanwhile nothing is written and the page shows both values.
//! The host's own namespaces (timers, reload history) are shown read-only: the host keeps
//! copies of them in memory that an edit would not reach.

use std::fmt::Write as _;

use arsenal_store::{CommitOutcome, Health, Transaction};
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    Form,
};
use maud::{html, Markup};
use serde::Deserialize;

use super::utc_of;
use crate::dashboard::{
    auth::{Authed, Flash},
    csrf,
    page::{self, Nav},
    Dashboard,
};

/// Keys per page.
const PAGE: usize = 50;
/// Characters of a value shown in the key list.
const PREVIEW: usize = 80;

/// Whether the dashboard may edit `namespace`: a module's data, not the host's.
fn editable(namespace: &str) -> bool {
    namespace.starts_with("plugin.")
}

/// `text` for a query string (RFC 3986 unreserved characters kept, the rest `%XX`).
fn query_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn key_link(namespace: &str, key: &str) -> String {
    format!(
        "/store/key?ns={}&key={}",
        query_escape(namespace),
        query_escape(key)
    )
}

/// `GET /store`.
pub async fn namespaces(State(state): State<Dashboard>, authed: Authed) -> Response {
    let flash = state.sessions.take_flash(&authed.session);
    let body = match state.store.try_status() {
        Err(error) => {
            html! { p.flash.error { "The store could not be read: " (error.to_string()) } }
        }
        Ok(statuses) => html! {
            p.hint { "Store: " (state.store.describe()) }
            table #namespaces {
                thead { tr {
                    th { "Namespace" } th { "Health" } th { "Keys" } th { "File size" }
                    th { "Last write" } th { "Journal records not yet compacted" }
                } }
                tbody {
                    @for ns in &statuses {
                        tr {
                            td { a href={ "/store/keys?ns=" (query_escape(&ns.namespace)) } { code { (ns.namespace) } } }
                            @match ns.health {
                                Health::Ok => td.state-running { "ok" },
                                Health::ChangedOnDisk => td.state-bad { "changed on disk: the store will not overwrite it; `!load_all` takes the edit in" },
                                _ => td.state-bad { "unknown" },
                            }
                            td.num { (ns.keys) }
                            td.num { (ns.file_size) " B" }
                            td { (utc_of(ns.last_write)) }
                            td.num { (ns.journal_records_pending) }
                        }
                    }
                }
            }
        },
    };
    page::full(Nav::Store, &authed, flash, body)
}

/// `?ns=&q=&page=`.
#[derive(Deserialize)]
pub struct KeysQuery {
    ns: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: usize,
}

/// `GET /store/keys`.
pub async fn keys(
    State(state): State<Dashboard>,
    authed: Authed,
    Query(query): Query<KeysQuery>,
) -> Response {
    let entries = match state.store.list(&query.ns, "") {
        Ok(entries) => entries,
        Err(error) => {
            return page::error(
                StatusCode::NOT_FOUND,
                &format!("Namespace {:?} cannot be listed: {error}.", query.ns),
            )
        }
    };
    let search = query.q.trim();
    let matching: Vec<_> = entries
        .iter()
        .filter(|(key, _)| key.contains(search))
        .collect();
    let pages = matching.len().div_ceil(PAGE).max(1);
    let page_no = query.page.min(pages - 1);
    let link = |page: usize| {
        format!(
            "/store/keys?ns={}&q={}&page={page}",
            query_escape(&query.ns),
            query_escape(search)
        )
    };
    let flash = state.sessions.take_flash(&authed.session);
    let body = html! {
        h2 { code { (query.ns) } }
        form #search method="get" action="/store/keys" {
            input type="hidden" name="ns" value=(query.ns);
            label { "Keys containing " input type="search" name="q" value=(search); }
            " " button type="submit" { "Search" }
        }
        p.hint { (matching.len()) " of " (entries.len()) " keys; page " (page_no + 1) " of " (pages) }
        nav.pages {
            @if page_no > 0 { a #previous href=(link(page_no - 1)) { "← previous" } }
            @if page_no + 1 < pages { a #next href=(link(page_no + 1)) { "next →" } }
        }
        table #keys {
            thead { tr { th { "Key" } th { "Version" } th { "Value" } } }
            tbody {
                @for (key, value) in matching.iter().skip(page_no * PAGE).take(PAGE) {
                    tr {
                        td { a href=(key_link(&query.ns, key)) { code { (key) } } }
                        td.num { (value.version) }
                        td { code { (preview(&value.value)) } }
                    }
                }
            }
        }
    };
    page::full(Nav::Store, &authed, flash, body)
}

fn preview(value: &serde_json::Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(PREVIEW) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// `?ns=&key=`.
#[derive(Deserialize)]
pub struct KeyQuery {
    ns: String,
    key: String,
}

/// `GET /store/key`.
pub async fn key(
    State(state): State<Dashboard>,
    authed: Authed,
    Query(query): Query<KeyQuery>,
) -> Response {
    let flash = state.sessions.take_flash(&authed.session);
    match key_page(&state, &authed, &query.ns, &query.key, None) {
        Ok(body) => page::full(Nav::Store, &authed, flash, body),
        Err(refused) => refused.into_response(),
    }
}

/// The key's page; `typed`: the text an edit brought that was not saved (shown in the editor
/// instead of the stored value).
fn key_page(
    state: &Dashboard,
    authed: &Authed,
    namespace: &str,
    key: &str,
    typed: Option<&str>,
) -> Result<Markup, page::Refusal> {
    let found = state
        .store
        .get(namespace, key)
        .map_err(|error| page::Refusal {
            status: StatusCode::NOT_FOUND,
            text: format!("{namespace}/{key} cannot be read: {error}."),
        })?;
    let Some(stored) = found else {
        if let Some(typed) = typed {
            return Ok(html! {
                h2 { code { (namespace) } " / " code #key-name { (key) } }
                p { "This key was deleted since the page showed it; nothing was written." }
                h3 { "Your text (not saved)" }
                pre #typed { (typed) }
            });
        }
        return Err(page::Refusal {
            status: StatusCode::NOT_FOUND,
            text: format!(
                "There is no key {key:?} in namespace {namespace:?} (deleted, or never written)."
            ),
        });
    };
    let pretty = serde_json::to_string_pretty(&stored.value).unwrap_or_default();
    Ok(html! {
        h2 { code { (namespace) } " / " code #key-name { (key) } }
        p { "Version " span #version { (stored.version) } }
        @if let Some(typed) = typed {
            h3 { "Stored now" }
            pre #stored { (pretty) }
            h3 { "Your text (not saved)" }
            (editor(authed, namespace, key, stored.version, typed))
        } @else if editable(namespace) {
            (editor(authed, namespace, key, stored.version, &pretty))
        } @else {
            pre #stored { (pretty) }
            p.hint { "The host's own data is read-only here: the host keeps it in memory too, and an edit would not reach that copy." }
        }
        p { a href={ "/store/keys?ns=" (query_escape(namespace)) } { "← all keys of " (namespace) } }
    })
}

fn editor(authed: &Authed, namespace: &str, key: &str, version: u64, text: &str) -> Markup {
    html! {
        form #edit method="post" action="/store/key" {
            (csrf::field(authed))
            input type="hidden" name="ns" value=(namespace);
            input type="hidden" name="key" value=(key);
            input type="hidden" name="version" value=(version);
            textarea #value name="value" rows="12" spellcheck="false" { (text) }
            p { button #save type="submit" { "Save" }
                span.hint { " Saved only if the key is still at version " (version) ". The module reads it at its next store read; a module keeping a copy in memory sees it after a reload." } }
        }
    }
}

/// The editor's fields.
#[derive(Deserialize)]
pub struct EditForm {
    csrf: String,
    ns: String,
    key: String,
    version: u64,
    value: String,
}

/// `POST /store/key`: the version-checked write.
pub async fn edit(
    State(state): State<Dashboard>,
    authed: Authed,
    Form(form): Form<EditForm>,
) -> Response {
    if let Err(refused) = csrf::check(
        &authed,
        &form.csrf,
        &format!("edit {}/{}", form.ns, form.key),
    ) {
        return refused.into_response();
    }
    let unsaved = |state: &Dashboard, status: StatusCode, text: String| {
        let flash = Flash { ok: false, text };
        match key_page(state, &authed, &form.ns, &form.key, Some(&form.value)) {
            Ok(body) => {
                (status, page::full(Nav::Store, &authed, Some(flash), body)).into_response()
            }
            Err(refused) => refused.into_response(),
        }
    };
    if !editable(&form.ns) {
        return unsaved(&state, StatusCode::FORBIDDEN, format!("Not saved: {} is the host's own namespace, read-only here. Only modules' data (plugin.<module>) can be edited.", form.ns));
    }
    let value: serde_json::Value = match serde_json::from_str(&form.value) {
        Ok(value) => value,
        Err(error) => {
            return unsaved(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Not saved: the text is not JSON ({error}). Fix it and save again."),
            );
        }
    };
    let transaction = Transaction::new()
        .check(form.key.clone(), Some(form.version))
        .set(form.key.clone(), value);
    match state.store.commit(&form.ns, transaction) {
        Ok(CommitOutcome::Committed { version }) => {
            tracing::info!(namespace = %form.ns, key = %form.key, from_version = form.version, to_version = version, "dashboard: store key edited");
            state.sessions.set_flash(
                &authed.session,
                Flash {
                    ok: true,
                    text: format!(
                        "Saved {}/{}: version {} → {version}.",
                        form.ns, form.key, form.version
                    ),
                },
            );
            Redirect::to(&key_link(&form.ns, &form.key)).into_response()
        }
        Ok(CommitOutcome::Conflict { actual, .. }) => {
            tracing::info!(namespace = %form.ns, key = %form.key, expected = form.version, ?actual, "dashboard: store edit refused, the key changed meanwhile");
            let now = actual.map_or_else(|| "deleted".to_owned(), |v| format!("at version {v}"));
            unsaved(&state, StatusCode::CONFLICT, format!(
                "Not saved: {}/{} changed since this page showed it (version {}, now {now}), and saving would overwrite that newer value. Compare your text with the value stored now and save again.",
                form.ns, form.key, form.version
            ))
        }
        Err(error) => unsaved(
            &state,
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Not saved: the store refused the write ({error})."),
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_escaped() {
        assert_eq!(
            super::query_escape("plugin.a b&c=d/é"),
            "plugin.a%20b%26c%3Dd%2F%C3%A9"
        );
    }
}
