//! The `/metrics` endpoint: Prometheus' text format over HTTP (axum on the host's runtime),
//! listening only on the configured address.
//!
//! A scrape returns the counted series ([`super::registry`]) and the ones read at that moment:
//! each module's queue depth and dropped events (overflow), events handled and calls failed
//! (from the manager's status), the resident memory and the plugin code still mapped.

use std::net::SocketAddr;

use anyhow::Context as _;
use axum::{extract::State, http::header, http::StatusCode, response::IntoResponse, routing::get};
use prometheus::{Encoder as _, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder};
use tokio::{net::TcpListener, sync::watch, task::JoinHandle};

use crate::plugins::PluginManager;

/// A running `/metrics` endpoint; stops when dropped or [`MetricsServer::stop`]ped.
pub struct MetricsServer {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl MetricsServer {
    /// Listens on `addr` (port 0: any free port) and serves `/metrics` about `manager`'s
    /// modules and this process.
    ///
    /// # Errors
    ///
    /// The address cannot be listened on (in use, not this machine's, no permission).
    pub async fn bind(addr: SocketAddr, manager: PluginManager) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(addr).await.with_context(|| {
            format!("metrics: cannot listen on {addr}; choose another address for `metrics` in arsenal.toml (or ARSENAL_METRICS), or remove it")
        })?;
        let addr = listener
            .local_addr()
            .context("metrics: reading the bound address")?;
        let router = axum::Router::new()
            .route("/metrics", get(serve_metrics))
            .with_state(manager);
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            };
            if let Err(error) = axum::serve(listener, router)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::error!("the metrics endpoint stopped: {error}");
            }
        });
        tracing::info!(%addr, "serving metrics at http://{addr}/metrics");
        Ok(Self { addr, stop, task })
    }

    /// The address listened on (the real port when bound to port 0).
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops listening and waits for the server to end.
    pub async fn stop(self) {
        self.stop.send_replace(true);
        let abort = self.task.abort_handle();
        if tokio::time::timeout(std::time::Duration::from_secs(1), self.task)
            .await
            .is_err()
        {
            abort.abort();
        }
    }
}

async fn serve_metrics(State(manager): State<PluginManager>) -> impl IntoResponse {
    match scrape(&manager) {
        Ok(text) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, prometheus::TEXT_FORMAT)],
            text,
        ),
        Err(error) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("the metrics could not be encoded: {error}\n"),
        ),
    }
}

/// Every series, in Prometheus' text format.
///
/// # Errors
///
/// Only a programming mistake (an invalid or duplicate series).
pub fn scrape(manager: &PluginManager) -> Result<String, prometheus::Error> {
    let mut families = super::registry().map(Registry::gather).unwrap_or_default();
    families.extend(read_now(manager)?.gather());
    families.sort_by(|a, b| a.name().cmp(b.name()));
    let mut text = Vec::new();
    TextEncoder::new().encode(&families, &mut text)?;
    Ok(String::from_utf8_lossy(&text).into_owned())
}

/// The series read at scrape time, in a registry of their own.
fn read_now(manager: &PluginManager) -> Result<Registry, prometheus::Error> {
    let registry = Registry::new();
    let gauge = |name: &str, help: &str, labels: &[&str]| {
        let vec = IntGaugeVec::new(Opts::new(name, help), labels)?;
        registry.register(Box::new(vec.clone()))?;
        Ok::<_, prometheus::Error>(vec)
    };
    let counter = |name: &str, help: &str| {
        let vec = IntCounterVec::new(Opts::new(name, help), &["module"])?;
        registry.register(Box::new(vec.clone()))?;
        Ok::<_, prometheus::Error>(vec)
    };
    let depth = gauge(
        "arsenal_module_queue_depth",
        "Events and calls waiting in the module's queue.",
        &["module"],
    )?;
    let dropped = counter(
        "arsenal_module_events_dropped_total",
        "Gateway events dropped for the module because its queue was full (overflow).",
    )?;
    let handled = counter(
        "arsenal_module_events_handled_total",
        "Gateway events the module handled.",
    )?;
    let failed = counter(
        "arsenal_module_calls_failed_total",
        "Events and calls the module failed (an error or a panic).",
    )?;
    for status in manager.status() {
        let module = [status.name.as_str()];
        depth
            .with_label_values(&module)
            .set(i64::try_from(status.queued).unwrap_or(i64::MAX));
        dropped
            .with_label_values(&module)
            .inc_by(status.events_dropped);
        handled
            .with_label_values(&module)
            .inc_by(status.events_handled);
        failed
            .with_label_values(&module)
            .inc_by(status.calls_failed);
    }
    let mapped = gauge(
        "arsenal_plugin_code_mapped_bytes",
        "Bytes of module libraries mapped in the process, every loaded version (never unmapped).",
        &["module"],
    )?;
    for (module, bytes) in super::process::plugin_code_bytes() {
        mapped
            .with_label_values(&[module.as_str()])
            .set(i64::try_from(bytes).unwrap_or(i64::MAX));
    }
    if let Some(bytes) = super::process::resident_bytes() {
        let rss = IntGauge::new(
            "arsenal_process_resident_memory_bytes",
            "Resident memory of the host process.",
        )?;
        rss.set(i64::try_from(bytes).unwrap_or(i64::MAX));
        registry.register(Box::new(rss))?;
    }
    Ok(registry)
}
