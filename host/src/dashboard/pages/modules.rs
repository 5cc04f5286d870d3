//! `/modules`: every module loaded or on disk, its state, version, file hash (and whether the
//! file on disk is another build than the one serving: a reload would change the code), events
//! and errors, and a reload/load/unload button whose result is shown on the page it leads back to.
//! The buttons call the manager as `!module reload|load|unload` do, so the reload history
//! records them (trigger `dashboard`) and a refused reload leaves the serving version in place.

use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
    Form,
};
use std::collections::BTreeMap;

use maud::{html, Markup};
use serde::Deserialize;

use super::{ms, utc_of};
use crate::{
    dashboard::{
        auth::{Authed, Flash},
        csrf,
        page::{self, Nav},
        Dashboard,
    },
    plugins::{loader::hash_bytes, PluginStatus, Trigger},
};

/// `GET /modules`.
pub async fn show(State(state): State<Dashboard>, authed: Authed) -> Response {
    let statuses = state.manager.status();
    let loaded: Vec<&str> = statuses.iter().map(|s| s.name.as_str()).collect();
    let on_disk: Vec<String> = state
        .manager
        .available()
        .into_iter()
        .filter(|name| !loaded.contains(&name.as_str()))
        .collect();
    let retired = state.manager.retired();
    let disk = disk_hashes(&state, &statuses).await;
    let flash = state.sessions.take_flash(&authed.session);
    let body = html! {
        table #modules {
            thead { tr {
                th { "Module" } th { "State" } th { "Version" } th { "File hash" }
                th { "Serving since" } th { "Events" } th { "Errors" } th { "Action" }
            } }
            tbody {
                @for status in &statuses {
                    (loaded_row(status, disk.get(&status.name).map(String::as_str), &authed))
                }
                @for name in &on_disk {
                    tr data-module=(name) {
                        td { code { (name) } }
                        td.state-bad { "not loaded" }
                        td.version {
                            @if let Some((_, manifest)) = retired.iter().find(|(n, _)| n == name) {
                                (manifest.version) " (last served)"
                            } @else { "—" }
                        }
                        td { "—" } td { "—" } td { "—" } td { "—" }
                        td { (button(&authed, name, "load", "Load")) }
                    }
                }
            }
        }
        @if statuses.is_empty() && on_disk.is_empty() {
            p.hint { "No module is loaded and the plugins folder has none: build and install them with `cargo xtask build-plugins`." }
        }
        p.hint {
            "Reload reads the module's file again from "
            code { (state.manager.plugins_dir().display()) }
            "; if the new version fails to load, the old one keeps serving. Every action is recorded in the "
            a href="/history" { "reload history" } "."
        }
    };
    page::full(Nav::Modules, &authed, flash, body)
}

/// The content hash of each loaded module's file in the plugins folder (those that can be
/// read), off the async runtime: a few hundred KiB each.
async fn disk_hashes(state: &Dashboard, statuses: &[PluginStatus]) -> BTreeMap<String, String> {
    let dir = state.manager.plugins_dir().to_path_buf();
    let names: Vec<String> = statuses.iter().map(|s| s.name.clone()).collect();
    tokio::task::spawn_blocking(move || {
        names
            .into_iter()
            .filter_map(|name| {
                let bytes = std::fs::read(dir.join(format!("{name}.so"))).ok()?;
                Some((name, hash_bytes(&bytes)))
            })
            .collect()
    })
    .await
    .unwrap_or_default()
}

/// `disk`: the hash of the module's file in the plugins folder, if it could be read.
fn loaded_row(status: &PluginStatus, disk: Option<&str>, authed: &Authed) -> Markup {
    let state = &status.state;
    let (health, good) = if let Some(reason) = &state.quarantined {
        (format!("quarantined: {reason}"), false)
    } else if let Some((call, running)) = &status.stalled {
        (format!("stalled in {call} for {}", ms(*running)), false)
    } else {
        ("running".to_owned(), true)
    };
    let hash = state.file_hash.as_deref().unwrap_or("?");
    let subscribed = state
        .manifest
        .as_ref()
        .map(|m| m.events.join(", "))
        .unwrap_or_default();
    html! {
        tr data-module=(status.name) {
            td { code { (status.name) } }
            td.state-running[good] .state-bad[!good] { (health)
                @if state.file_deleted { br; "its file was deleted: running from memory" }
                @if let Some(reverted) = &state.reverted { br; "reverted: " (reverted) }
            }
            td.version { (state.manifest.as_ref().map_or("?", |m| m.version.as_str())) }
            td.hash {
                code title=(hash) { (hash.get(..12).unwrap_or(hash)) }
                @if let Some(disk) = disk.filter(|d| *d != hash) {
                    br;
                    span.disk-differs title=(disk) {
                        "the file on disk is another build (" (disk.get(..12).unwrap_or(disk))
                        "): Reload serves it"
                    }
                }
            }
            td { (utc_of(state.loaded_since)) }
            td {
                (status.events_handled) " handled"
                @if status.events_dropped > 0 { br; (status.events_dropped) " dropped (queue full)" }
                @if status.events_skipped > 0 { br; (status.events_skipped) " skipped (quarantined)" }
                @if !subscribed.is_empty() { br; span.hint { "subscribed: " (subscribed) } }
            }
            td {
                (status.calls_failed) " failed calls"
                @if let Some(error) = &state.last_error { br; span.hint { "last: " (error) } }
            }
            td {
                (button(authed, &status.name, "reload", "Reload")) " "
                (button(authed, &status.name, "unload", "Unload"))
            }
        }
    }
}

fn button(authed: &Authed, module: &str, action: &str, label: &str) -> Markup {
    html! {
        form.inline method="post" action="/modules" {
            (csrf::field(authed))
            input type="hidden" name="module" value=(module);
            input type="hidden" name="action" value=(action);
            button type="submit" name="do" value=(action) data-module=(module) { (label) }
        }
    }
}

/// A button's fields.
#[derive(Deserialize)]
pub struct ActionForm {
    csrf: String,
    module: String,
    action: String,
}

/// `POST /modules`: reload, load or unload, then back to the page with the result.
pub async fn act(
    State(state): State<Dashboard>,
    authed: Authed,
    Form(form): Form<ActionForm>,
) -> Response {
    let what = format!("{} module {}", form.action, form.module);
    if let Err(refused) = csrf::check(&authed, &form.csrf, &what) {
        return refused.into_response();
    }
    let manager = &state.manager;
    let name = form.module.as_str();
    let known =
        manager.available().iter().any(|n| n == name) || manager.loaded().iter().any(|n| n == name);
    let flash = if !known {
        Flash {
            ok: false,
            text: format!("There is no module {name:?}: neither loaded nor in the plugins folder."),
        }
    } else {
        match form.action.as_str() {
            "reload" | "load" => match manager.reload(name, Trigger::Dashboard).await {
                Ok(report) => Flash {
                    ok: true,
                    text: match report.old_version {
                        Some(old) => format!(
                            "{name} reloaded: {old} → {} in {}.",
                            report.new_version,
                            ms(report.duration)
                        ),
                        None => format!(
                            "{name} {} loaded in {}.",
                            report.new_version,
                            ms(report.duration)
                        ),
                    },
                },
                Err(error) => Flash {
                    ok: false,
                    text: match manager
                        .status()
                        .into_iter()
                        .find(|s| s.name == name)
                        .and_then(|s| s.state.manifest)
                    {
                        Some(serving) => format!(
                            "{name} was not reloaded: {error}. Version {} keeps serving.",
                            serving.version
                        ),
                        None => format!("{name} could not be loaded: {error}."),
                    },
                },
            },
            "unload" => match manager.unload_by(name, Trigger::Dashboard).await {
                Ok(()) => Flash {
                    ok: true,
                    text: format!(
                        "{name} unloaded. Its data stays in the store; Load brings it back."
                    ),
                },
                Err(error) => Flash {
                    ok: false,
                    text: format!("{name} was not unloaded: {error}."),
                },
            },
            other => Flash {
                ok: false,
                text: format!("Unknown action {other:?}: the buttons are reload, load and unload."),
            },
        }
    };
    tracing::info!(module = name, action = %form.action, ok = flash.ok, result = %flash.text, "dashboard: module action");
    state.sessions.set_flash(&authed.session, flash);
    Redirect::to("/modules").into_response()
}
