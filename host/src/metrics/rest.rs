//! Discord REST series: the latency of each request a module makes, by request kind (the
//! `action` of its [`DiscordRequest`](arsenal_plugin_api::protocol::DiscordRequest), never the
//! path with ids) and outcome, and the 429 answers.
//!
//! twilight-http retries a 429 by itself after Retry-After and only logs it (`rate limited;
//! retrying`, target `twilight_http`), so the request that got it still ends `ok`. To count
//! those too, [`RateLimitLayer`] (installed with the log subscriber in `main`) watches for that
//! log line and counts it against the request the same thread is running: a module's request
//! runs on its worker thread from start to end ([`measure`] marks it there).

use std::{cell::RefCell, time::Instant};

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    protocol::DiscordError,
};
use prometheus::IntCounter;
use serde::Deserialize;
use tracing::{field::Field, Event, Subscriber};
use tracing_subscriber::{layer::Context, Layer};

use super::metrics;

thread_local! {
    /// The 429 counter of the request this thread is running, if any.
    static RATE_LIMITED: RefCell<Option<IntCounter>> = const { RefCell::new(None) };
}

#[derive(Deserialize)]
struct Action<'a> {
    #[serde(borrow)]
    action: &'a str,
}

/// Runs `request` (a module's Discord request, `payload` its JSON) on this thread and records
/// its latency and outcome, and any 429 met on the way.
pub fn measure(
    payload: &str,
    request: impl FnOnce() -> Result<String, AbiError>,
) -> Result<String, AbiError> {
    let Some(metrics) = metrics() else {
        return request();
    };
    let route = serde_json::from_str::<Action<'_>>(payload).map_or("unknown", |probe| probe.action);
    let rate_limited = metrics
        .rest_rate_limited
        .get_metric_with_label_values(&[route])
        .ok();
    let previous = RATE_LIMITED.with(|slot| slot.replace(rate_limited.clone()));
    let started = Instant::now();
    let result = request();
    let elapsed = started.elapsed();
    RATE_LIMITED.with(|slot| *slot.borrow_mut() = previous);
    let outcome = match &result {
        Ok(_) => "ok",
        Err(error) if error.kind() == ErrorCode::Discord => {
            if DiscordError::from_wire(&error.message).status == 429 {
                // Retries exhausted: twilight gave the 429 back.
                if let Some(counter) = &rate_limited {
                    counter.inc();
                }
                "rate_limited"
            } else {
                "refused"
            }
        }
        // Outside the server of the member's call: refused by the host, never sent.
        Err(error) if error.kind() == ErrorCode::Forbidden => "out_of_scope",
        Err(_) => "failed",
    };
    if let Ok(histogram) = metrics
        .rest_latency
        .get_metric_with_label_values(&[route, outcome])
    {
        histogram.observe(elapsed.as_secs_f64());
    }
    result
}

/// Counts twilight-http's `rate limited; retrying` against the request this thread runs.
#[derive(Debug, Default, Clone, Copy)]
pub struct RateLimitLayer;

impl<S: Subscriber> Layer<S> for RateLimitLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if !event.metadata().target().starts_with("twilight_http") {
            return;
        }
        let mut visitor = IsRetry(false);
        event.record(&mut visitor);
        if visitor.0 {
            RATE_LIMITED.with(|slot| {
                if let Some(counter) = &*slot.borrow() {
                    counter.inc();
                }
            });
        }
    }
}

/// Whether an event's message is twilight's 429 retry.
struct IsRetry(bool);

impl tracing::field::Visit for IsRetry {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}").starts_with("rate limited");
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0 = value.starts_with("rate limited");
        }
    }
}
