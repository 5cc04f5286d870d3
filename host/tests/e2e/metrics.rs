//! The Prometheus `/metrics` endpoint end to end: the real host against the simulator with
//! metrics bound to a free port, events, a command, a module's REST request met by a 429, a
//! reload, then a scrape over real HTTP parsed by a Prometheus text parser. And with the setting
//! off (the default), nothing is served; once the host stops, nothing listens any more.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use arsenal_host::config::DiscordSettings;
use prometheus_parse::{Sample, Scrape, Value};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::common::{
    bot::{Bot, WAIT},
    fixture,
};

/// A bot whose simulator sends heartbeats every 200 ms (so twilight measures a latency), with
/// the counter module, booted with metrics on `127.0.0.1:0`.
async fn bot_with_metrics() -> Bot {
    Bot::start_counter_with(|settings| DiscordSettings {
        metrics: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
        ..settings
    })
    .await
}

/// `GET /metrics` over HTTP: the status line, the headers and the body.
async fn get_metrics(addr: SocketAddr) -> (String, String) {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("the metrics endpoint accepts connections");
    stream
        .write_all(b"GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .await
        .expect("request sent");
    let mut response = String::new();
    tokio::time::timeout(WAIT, stream.read_to_string(&mut response))
        .await
        .expect("answered in time")
        .expect("response read");
    let (head, body) = response
        .split_once("\r\n\r\n")
        .expect("headers, then a body");
    (head.to_owned(), body.to_owned())
}

async fn scrape(addr: SocketAddr) -> Scrape {
    let (head, body) = get_metrics(addr).await;
    assert!(head.starts_with("HTTP/1.0 200"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/plain; version=0.0.4"),
        "Prometheus' text format: {head}"
    );
    Scrape::parse(body.lines().map(|line| Ok(line.to_owned()))).expect("Prometheus text")
}

/// The samples of `metric` whose labels include every one of `labels`.
fn samples<'a>(scrape: &'a Scrape, metric: &str, labels: &[(&str, &str)]) -> Vec<&'a Sample> {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == metric)
        .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .collect()
}

/// The value of the one sample of counter or gauge `metric` with `labels`.
fn value(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> f64 {
    match samples(scrape, metric, labels).as_slice() {
        [one] => match one.value {
            Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => v,
            ref other => panic!("{metric} is not a number: {other:?}"),
        },
        found => panic!(
            "{metric}{labels:?}: {} samples; present: {:?}",
            found.len(),
            scrape
                .samples
                .iter()
                .map(|s| format!("{}{}", s.metric, s.labels))
                .collect::<Vec<_>>()
        ),
    }
}

/// Observations in histogram `metric` with `labels` (its `+Inf` bucket).
fn observations(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> f64 {
    samples(scrape, metric, labels)
        .iter()
        .map(|s| match &s.value {
            Value::Histogram(buckets) => buckets
                .iter()
                .find(|b| b.less_than.is_infinite())
                .map_or(0.0, |b| b.count),
            other => panic!("{metric} is not a histogram: {other:?}"),
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_served_and_parse_as_prometheus_text() {
    // twilight reports its 429 retries only as a log line: the layer counts it (main installs
    // it with the log subscriber; this binary has none, so the test installs it).
    {
        use tracing_subscriber::prelude::*;
        let _ = tracing::subscriber::set_global_default(
            tracing_subscriber::registry().with(arsenal_host::metrics::rest::RateLimitLayer),
        );
    }
    let bot = bot_with_metrics().await;
    let ids = bot.ids;
    let addr = bot
        .app()
        .metrics
        .as_ref()
        .expect("metrics are served")
        .local_addr();
    assert_ne!(addr.port(), 0, "the real port");

    for seq in 0..3 {
        bot.sim
            .send_message(ids.bob, ids.general, &format!("seq:{seq}"))
            .await;
    }
    assert_eq!(
        bot.slash(ids.bob, "count", json!([])).await,
        ("count=3".to_owned(), false)
    );
    // The module's own REST request (the reminder's message) is refused once with a 429.
    bot.sim.faults().rate_limit(
        1,
        Some("POST /channels/{channel_id}/messages"),
        Duration::from_millis(100),
    );
    let (text, _) = bot
        .slash(ids.bob, "remind", json!([{"name": "ms", "value": 50}]))
        .await;
    assert_eq!(text, "reminder set");
    bot.sim
        .wait_for(WAIT, |w| {
            w.messages(ids.bot_commands)
                .into_iter()
                .find(|m| m.content.starts_with("reminder fired"))
        })
        .await
        .expect("the reminder was posted after the 429");
    bot.app()
        .manager
        .reload("counter", arsenal_host::plugins::Trigger::Command)
        .await
        .expect("reloaded");

    // The gateway latency appears once a heartbeat was acknowledged (every 200 ms here).
    let deadline = Instant::now() + WAIT;
    let scrape = loop {
        let scrape = scrape(addr).await;
        let latency = samples(
            &scrape,
            "arsenal_gateway_latency_seconds",
            &[("shard", "0")],
        );
        if latency
            .iter()
            .any(|s| matches!(s.value, Value::Gauge(v) if v > 0.0))
            && observations(
                &scrape,
                "arsenal_rest_request_duration_seconds",
                &[("route", "send_message")],
            ) > 0.0
        {
            break scrape;
        }
        assert!(
            Instant::now() < deadline,
            "no heartbeat latency or REST request recorded"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };

    // Gateway events by type and shard (the registry is the process's: other tests add to it).
    let created = value(
        &scrape,
        "arsenal_gateway_events_total",
        &[("shard", "0"), ("event", "MESSAGE_CREATE")],
    );
    assert!(created >= 3.0, "three messages at least: {created}");
    assert!(
        value(
            &scrape,
            "arsenal_gateway_events_total",
            &[("shard", "0"), ("event", "INTERACTION_CREATE")]
        ) >= 2.0
    );
    let latency = value(
        &scrape,
        "arsenal_gateway_latency_seconds",
        &[("shard", "0")],
    );
    assert!(
        latency > 0.0 && latency < 5.0,
        "a local heartbeat round trip: {latency}"
    );

    // The module's handler latency: three events, two commands, one timer at least.
    let module = ("module", "counter");
    assert!(
        observations(
            &scrape,
            "arsenal_module_handler_duration_seconds",
            &[module, ("kind", "event")]
        ) >= 3.0
    );
    assert!(
        observations(
            &scrape,
            "arsenal_module_handler_duration_seconds",
            &[module, ("kind", "command")]
        ) >= 2.0
    );
    assert!(
        observations(
            &scrape,
            "arsenal_module_handler_duration_seconds",
            &[module, ("kind", "timer")]
        ) >= 1.0
    );
    // Read from this host's manager (the three messages, and the guild's events).
    assert!(value(&scrape, "arsenal_module_events_handled_total", &[module]) >= 3.0);
    assert_eq!(value(&scrape, "arsenal_module_queue_depth", &[module]), 0.0);
    assert_eq!(
        value(&scrape, "arsenal_module_events_dropped_total", &[module]),
        0.0
    );

    // Loads and reloads by outcome.
    assert!(
        value(
            &scrape,
            "arsenal_reloads_total",
            &[module, ("outcome", "loaded")]
        ) >= 1.0
    );
    assert!(
        value(
            &scrape,
            "arsenal_reloads_total",
            &[module, ("outcome", "reloaded")]
        ) >= 1.0
    );
    assert!(
        observations(
            &scrape,
            "arsenal_reload_duration_seconds",
            &[("outcome", "reloaded")]
        ) >= 1.0
    );

    // The module's REST request, by kind, and the 429 twilight retried.
    assert!(
        observations(
            &scrape,
            "arsenal_rest_request_duration_seconds",
            &[("route", "send_message"), ("outcome", "ok")]
        ) >= 1.0
    );
    assert!(
        value(
            &scrape,
            "arsenal_rest_rate_limited_total",
            &[("route", "send_message")]
        ) >= 1.0
    );

    // The store's group commits (the count, the reminder's timer): how long, how many writes.
    let json = [("backend", "json")];
    assert!(observations(&scrape, "arsenal_store_commit_duration_seconds", &json) >= 1.0);
    assert!(observations(&scrape, "arsenal_store_commit_writes", &json) >= 1.0);

    // Memory: the process, and the counter library mapped (twice: loaded, then reloaded).
    assert!(value(&scrape, "arsenal_process_resident_memory_bytes", &[]) > 1_000_000.0);
    let library = std::fs::metadata(fixture("counter-v1")).unwrap().len() as f64;
    let mapped = value(&scrape, "arsenal_plugin_code_mapped_bytes", &[module]);
    assert!(
        mapped >= library.min(4096.0),
        "counter's code is mapped: {mapped} bytes (file {library})"
    );

    // Only /metrics is served.
    let (head, _) = {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET /other HTTP/1.0\r\n\r\n")
            .await
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        (head.to_owned(), body.to_owned())
    };
    assert!(head.starts_with("HTTP/1.0 404"), "{head}");

    bot.stop().await;
    // Stopped with the host: nothing listens on that port any more.
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "the endpoint closed with the host"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_setting_no_metrics_are_served() {
    let mut bot = Bot::start_with(&[("counter", fixture("counter-v1"))]).await;
    // The settings as read from a data folder without `metrics` (and no ARSENAL_METRICS).
    let read = DiscordSettings::load(bot.dir.path()).expect("settings");
    assert_eq!(read.metrics, None, "off by default");
    let settings = DiscordSettings {
        metrics: read.metrics,
        ..bot.settings()
    };
    bot.app
        .take()
        .expect("running")
        .shutdown()
        .await
        .expect("stopped");
    bot.app = Some(bot.boot_with(settings).await);
    assert!(bot.app().metrics.is_none(), "no endpoint started");
    bot.stop().await;
}
