//! Discord REST series: the latency of each request a module makes, by request kind (the
//! `action` of its [`DiscordRequest`](arsenal_plugin_api::protocol::DiscordRequest), never the
//! path with ids) and outcome, and the 429 answers.
//!
//! twilight-http retries a 429 by itself after Retry-After and only logs it (`rate limited;
//! retrying`, target `twilight_http`), so the request that got it still ends `ok`. To count
//! those too, [`RateLimitLayer`] (installed with the log subscriber in `main`) watches for that
//! log line and counts it against the request the same thread is running: a module's request
//! runs on its worker thread from start to end ([`Measure`] marks it there).

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

/// One module request being measured: from [`Measure::start`] (on the thread that runs it)
/// to [`Measure::finish`]; any 429 twilight meets in between is counted for its route.
pub struct Measure {
    started: Instant,
    rate_limited: Option<IntCounter>,
    previous: Option<IntCounter>,
    histograms: Option<&'static prometheus::HistogramVec>,
    /// The request's `action` (its kind).
    route_label: Box<str>,
}

impl Measure {
    /// Starts measuring the request whose JSON is `payload`.
    #[must_use]
    pub fn start(payload: &str) -> Self {
        let route =
            serde_json::from_str::<Action<'_>>(payload).map_or("unknown", |probe| probe.action);
        let metrics = metrics();
        let rate_limited = metrics.and_then(|m| {
            m.rest_rate_limited
                .get_metric_with_label_values(&[route])
                .ok()
        });
        let previous = RATE_LIMITED.with(|slot| slot.replace(rate_limited.clone()));
        Self {
            started: Instant::now(),
            rate_limited,
            previous,
            histograms: metrics.map(|m| &m.rest_latency),
            route_label: Box::from(route),
        }
    }

    /// Records the request's latency and outcome.
    pub fn finish(self, result: &Result<String, AbiError>) {
        let elapsed = self.started.elapsed();
        let outcome = match result {
            Ok(_) => "ok",
            Err(error) if error.kind() == ErrorCode::Discord => {
                if DiscordError::from_wire(&error.message).status == 429 {
                    // Retries exhausted: twilight gave the 429 back.
                    if let Some(counter) = &self.rate_limited {
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
        if let Some(histogram) = self.histograms.and_then(|vec| {
            vec.get_metric_with_label_values(&[&self.route_label, outcome])
                .ok()
        }) {
            histogram.observe(elapsed.as_secs_f64());
        }
    }
}

impl Drop for Measure {
    fn drop(&mut self) {
        let previous = self.previous.take();
        RATE_LIMITED.with(|slot| *slot.borrow_mut() = previous);
    }
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
