//! `/runtime`: the timers waiting to fire, soonest first (with their failed deliveries), and
//! the gateway shards this process has run with their latest heartbeat latency.

use axum::{extract::State, response::Response};
use maud::html;

use super::{ms, utc};
use crate::{
    dashboard::{
        auth::Authed,
        page::{self, Nav},
        Dashboard,
    },
    metrics::gateway::shard_summaries,
    plugins::history::now_ms,
};

/// Timers shown at most.
const SHOWN: usize = 200;

/// `GET /runtime`.
pub async fn show(State(state): State<Dashboard>, authed: Authed) -> Response {
    let timers = state.timers.pending(None);
    let shards = shard_summaries();
    let now = now_ms();
    let flash = state.sessions.take_flash(&authed.session);
    let body = html! {
        h2 { "Timers due" }
        p.hint { (timers.len()) " waiting" @if timers.len() > SHOWN { " (the soonest " (SHOWN) " shown)" } }
        table #timers {
            thead { tr {
                th { "Module" } th { "Key" } th { "Due" } th { "In" } th { "Failed deliveries" }
            } }
            tbody {
                @for timer in timers.iter().take(SHOWN) {
                    tr {
                        td { code { (timer.plugin) } }
                        td { code { (timer.key) } }
                        td { (utc(timer.at_unix_ms)) }
                        td.num { @if timer.at_unix_ms > now {
                            (ms(std::time::Duration::from_millis(timer.at_unix_ms - now)))
                        } @else { "due now" } }
                        td { (timer.failures)
                            @if let Some(error) = &timer.last_error { br; span.hint { "last: " (error) } } }
                    }
                }
            }
        }
        h2 { "Shards" }
        @if shards.is_empty() {
            p.hint { "No shard has received an event in this process yet (not connected to Discord, or still identifying)." }
        }
        table #shards {
            thead { tr { th { "Shard" } th { "Heartbeat latency" } th { "Events received" } } }
            tbody {
                @for shard in &shards {
                    tr {
                        td { (shard.shard) }
                        td.num { (shard.latency.map_or_else(|| "no heartbeat acknowledged yet".to_owned(), ms)) }
                        td.num { (shard.events) }
                    }
                }
            }
        }
    };
    page::full(Nav::Runtime, &authed, flash, body)
}
