//! Prometheus metrics: what the host counts, and the `/metrics` endpoint that serves it (off
//! by default; `metrics = "127.0.0.1:9464"` in arsenal.toml or `ARSENAL_METRICS` binds it).
//!
//! The series live in one process-wide registry ([`registry`]), so the hooks in the gateway,
//! the workers, the reload history and the Discord bridge are one call each and need no handle
//! passed around; they count whether or not the endpoint is bound (a few relaxed atomics). What
//! the host already keeps (queue depths, dropped events, memory) is read when scraped instead
//! of being counted on the hot path ([`endpoint`]).
//!
//! Hot-path costs, per gateway frame: one counter increment through a handle cached per shard
//! and event type ([`gateway::ShardMetrics`], no allocation after an event type's first frame)
//! and one gauge store (the shard's heartbeat latency). Per module call: two `Instant::now()`
//! and a histogram observation found by `(module, kind)` label lookup (a hash of two short
//! strings and a read lock, no allocation; caching the handle in the worker would save that,
//! at the price of a bigger hook there). Per module REST request: the same, plus a scan of the
//! request's JSON for its `action` and one small allocation (the route label).
//!
//! Per store group commit (not per write): one histogram observation each for its duration and
//! its size, through the store's commit observer ([`store`]).

use std::{
    sync::LazyLock,
    time::{Duration, Instant},
};

use prometheus::{GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};

pub mod endpoint;
pub mod gateway;
pub mod process;
pub mod rest;
pub mod store;

pub use endpoint::MetricsServer;

/// Seconds, from 50 µs (a handler that only counts) to 10 s (the call time limit).
const LATENCY_BUCKETS: &[f64] = &[
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 5.0, 10.0,
];

/// Writes per group commit: one alone up to the PostgreSQL batch limit.
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

/// Every series the hooks feed.
pub(crate) struct Metrics {
    registry: Registry,
    /// `arsenal_gateway_events_total{shard, event}`.
    pub(crate) gateway_events: IntCounterVec,
    /// `arsenal_gateway_latency_seconds{shard}`, from twilight's latest heartbeat round trip.
    pub(crate) gateway_latency: GaugeVec,
    /// `arsenal_module_handler_duration_seconds{module, kind}`.
    pub(crate) handler_latency: HistogramVec,
    /// `arsenal_reloads_total{module, outcome}`.
    pub(crate) reloads: IntCounterVec,
    /// `arsenal_reload_duration_seconds{outcome}`.
    pub(crate) reload_latency: HistogramVec,
    /// `arsenal_rest_request_duration_seconds{route, outcome}`.
    pub(crate) rest_latency: HistogramVec,
    /// `arsenal_rest_rate_limited_total{route}`: 429 answers.
    pub(crate) rest_rate_limited: IntCounterVec,
    /// `arsenal_store_commit_duration_seconds{backend}`: write + fsync (or PostgreSQL COMMIT).
    pub(crate) store_commit_latency: HistogramVec,
    /// `arsenal_store_commit_writes{backend}`: writes made durable by one group commit.
    pub(crate) store_commit_writes: HistogramVec,
}

impl Metrics {
    fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let histogram = |name: &str, help: &str, labels: &[&str]| {
            let opts = HistogramOpts::new(name, help).buckets(LATENCY_BUCKETS.to_vec());
            let vec = HistogramVec::new(opts, labels)?;
            registry.register(Box::new(vec.clone()))?;
            Ok::<_, prometheus::Error>(vec)
        };
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let vec = IntCounterVec::new(Opts::new(name, help), labels)?;
            registry.register(Box::new(vec.clone()))?;
            Ok::<_, prometheus::Error>(vec)
        };
        let gateway_latency = GaugeVec::new(
            Opts::new(
                "arsenal_gateway_latency_seconds",
                "Round trip of the shard's latest gateway heartbeat.",
            ),
            &["shard"],
        )?;
        registry.register(Box::new(gateway_latency.clone()))?;
        let store_commit_writes = HistogramVec::new(
            HistogramOpts::new(
                "arsenal_store_commit_writes",
                "Writes made durable together by one group commit of the store, by backend.",
            )
            .buckets(BATCH_BUCKETS.to_vec()),
            &["backend"],
        )?;
        registry.register(Box::new(store_commit_writes.clone()))?;
        Ok(Self {
            gateway_events: counter(
                "arsenal_gateway_events_total",
                "Gateway dispatch events received, by shard and event type.",
                &["shard", "event"],
            )?,
            gateway_latency,
            handler_latency: histogram(
                "arsenal_module_handler_duration_seconds",
                "Time a module's code took for one event or call, by module and call kind.",
                &["module", "kind"],
            )?,
            reloads: counter(
                "arsenal_reloads_total",
                "Loads, reloads and unloads of modules, by outcome (loaded, reloaded, failed, unloaded, abandoned, reverted, quarantined, canary, promoted, rolled back).",
                &["module", "outcome"],
            )?,
            reload_latency: histogram(
                "arsenal_reload_duration_seconds",
                "Time from a load or reload request to the new version serving (or to the failure).",
                &["outcome"],
            )?,
            rest_latency: histogram(
                "arsenal_rest_request_duration_seconds",
                "Discord REST requests made for modules, by request kind and outcome (ok, refused, rate_limited, out_of_scope, failed).",
                &["route", "outcome"],
            )?,
            rest_rate_limited: counter(
                "arsenal_rest_rate_limited_total",
                "Discord REST answers 429 (rate limited), by request kind; the request is retried after Retry-After.",
                &["route"],
            )?,
            store_commit_latency: histogram(
                "arsenal_store_commit_duration_seconds",
                "Time one group commit of the store took to make its writes durable (JSON: pwrite and fdatasync; PostgreSQL: the batch transaction), by backend.",
                &["backend"],
            )?,
            store_commit_writes,
            registry,
        })
    }
}

static METRICS: LazyLock<Option<Metrics>> = LazyLock::new(|| match Metrics::new() {
    Ok(metrics) => Some(metrics),
    Err(error) => {
        // Only a programming mistake (a duplicate or invalid name) gets here.
        tracing::error!("metrics are disabled: {error}");
        None
    }
});

/// The process-wide series, `None` only if they could not be built (logged once).
pub(crate) fn metrics() -> Option<&'static Metrics> {
    METRICS.as_ref()
}

/// The registry holding every counted series (the endpoint adds the ones read when scraped).
#[must_use]
pub fn registry() -> Option<&'static Registry> {
    metrics().map(|m| &m.registry)
}

/// Records one module call: `call` is the call kind (`event:MESSAGE_CREATE`, `command`, …),
/// labelled by what comes before its first `:`.
pub fn handler_finished(module: &str, call: &str, started: Instant) {
    let Some(metrics) = metrics() else { return };
    let kind = call.split(':').next().unwrap_or(call);
    if let Ok(histogram) = metrics
        .handler_latency
        .get_metric_with_label_values(&[module, kind])
    {
        histogram.observe(started.elapsed().as_secs_f64());
    }
}

/// Records one entry of the reload history (every load, reload, failure, unload).
pub fn reload_recorded(module: &str, outcome: &str, duration: Duration) {
    let Some(metrics) = metrics() else { return };
    if let Ok(counter) = metrics
        .reloads
        .get_metric_with_label_values(&[module, outcome])
    {
        counter.inc();
    }
    if let Ok(histogram) = metrics
        .reload_latency
        .get_metric_with_label_values(&[outcome])
    {
        histogram.observe(duration.as_secs_f64());
    }
}
