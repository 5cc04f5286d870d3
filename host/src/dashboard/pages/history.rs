//! `/history`: the reload history (the records `!module logs` shows), newest first, filtered
//! by module, outcome and trigger.

use axum::{
    extract::{Query, State},
    response::Response,
};
use maud::html;
use serde::Deserialize;

use super::{ms, utc};
use crate::{
    dashboard::{
        auth::Authed,
        page::{self, Nav},
        Dashboard,
    },
    plugins::ReloadRecord,
};

/// Records looked at (the history keeps 1000).
const LOOKED_AT: usize = 1000;
/// Records shown at most.
const SHOWN: usize = 200;
const OUTCOMES: [&str; 7] = [
    "loaded",
    "reloaded",
    "failed",
    "unloaded",
    "abandoned",
    "reverted",
    "quarantined",
];
const TRIGGERS: [&str; 6] = [
    "startup",
    "watcher",
    "command",
    "dashboard",
    "revert",
    "fleet",
];

/// The filters; empty is any.
#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    module: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    trigger: String,
}

fn trigger_name(record: &ReloadRecord) -> String {
    serde_json::to_value(record.trigger)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Filter {
    fn keeps(&self, record: &ReloadRecord) -> bool {
        let module = self.module.trim();
        (module.is_empty() || record.plugin.contains(module))
            && (self.outcome.is_empty() || record.outcome == self.outcome)
            && (self.trigger.is_empty() || trigger_name(record) == self.trigger)
    }
}

/// `GET /history`.
pub async fn show(
    State(state): State<Dashboard>,
    authed: Authed,
    Query(filter): Query<Filter>,
) -> Response {
    let records = state.manager.history().recent(LOOKED_AT);
    let matching: Vec<&ReloadRecord> = records.iter().rev().filter(|r| filter.keeps(r)).collect();
    let flash = state.sessions.take_flash(&authed.session);
    let body = html! {
        form #filter method="get" action="/history" {
            label { "Module " input type="search" name="module" value=(filter.module); } " "
            label { "Outcome "
                select name="outcome" {
                    option value="" { "any" }
                    @for outcome in OUTCOMES {
                        option value=(outcome) selected[filter.outcome == outcome] { (outcome) }
                    }
                }
            } " "
            label { "Trigger "
                select name="trigger" {
                    option value="" { "any" }
                    @for trigger in TRIGGERS {
                        option value=(trigger) selected[filter.trigger == trigger] { (trigger) }
                    }
                }
            } " "
            button type="submit" { "Filter" }
        }
        p.hint { (matching.len()) " of the last " (records.len()) " records"
            @if matching.len() > SHOWN { " (the newest " (SHOWN) " shown)" } }
        table #history {
            thead { tr {
                th { "When" } th { "Module" } th { "Outcome" } th { "Versions" }
                th { "Trigger" } th { "Took" } th { "File hash" } th { "Error" }
            } }
            tbody {
                @for record in matching.iter().take(SHOWN) {
                    tr {
                        td { (utc(record.at_unix_ms)) }
                        td { code { (record.plugin) } }
                        td.outcome { (record.outcome) }
                        td.versions { (versions(record)) }
                        td.trigger { (trigger_name(record)) }
                        td.num { (ms(std::time::Duration::from_micros(record.duration_us))) }
                        td { @if let Some(hash) = record.new_hash.as_deref().or(record.old_hash.as_deref()) {
                            code title=(hash) { (hash.get(..12).unwrap_or(hash)) } } }
                        td { (record.error.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    page::full(Nav::History, &authed, flash, body)
}

fn versions(record: &ReloadRecord) -> String {
    match (&record.old_version, &record.new_version) {
        (Some(old), Some(new)) => format!("{old} → {new}"),
        (None, Some(new)) => new.clone(),
        (Some(old), None) => old.clone(),
        (None, None) => "?".to_owned(),
    }
}
