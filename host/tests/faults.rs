//! Fault isolation: a panicking plugin never takes the host or other plugins down, is
//! quarantined after repeated panics, and a stalled handler is reported without blocking others.

mod common;

use std::time::{Duration, Instant};

use arsenal_host::plugins::Trigger;
use arsenal_plugin_api::abi::ErrorCode;
use common::{answer_text, command, fixture, install, message_create, TestHost};

async fn both_loaded(host: &TestHost) {
    install(&host.plugins_dir(), "counter", &fixture("counter-v1"));
    install(&host.plugins_dir(), "misbehaving", &fixture("misbehaving"));
    let results = host.manager.load_all(Trigger::Startup).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

#[tokio::test]
async fn a_panic_is_an_error_and_repeated_panics_quarantine() {
    let host = TestHost::new();
    both_loaded(&host).await;

    let error = host
        .manager
        .call("misbehaving", "command", &command("boom"))
        .await
        .expect_err("panics");
    assert_eq!(error.kind(), ErrorCode::Panicked);
    assert!(
        error.message.contains("boom command exploded"),
        "{}",
        error.message
    );
    assert!(
        error.message.contains("lib.rs"),
        "location given: {}",
        error.message
    );

    // The other plugin and the panicking one keep working.
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "count=0");
    let answer = host
        .manager
        .call("misbehaving", "command", &command("ok"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "ok");

    // Three panics in a row (here in event handlers) quarantine it.
    for id in 0..3 {
        host.manager
            .dispatch_event("MESSAGE_CREATE", &message_create(id + 1, "panic"));
    }
    let error = host
        .manager
        .call("misbehaving", "command", &command("ok"))
        .await
        .expect_err("quarantined");
    assert!(
        error.message.contains("quarantined after 3 panics"),
        "{}",
        error.message
    );
    assert!(
        error.message.contains("/reload module misbehaving"),
        "{}",
        error.message
    );
    let status = host.manager.status();
    let misbehaving = status.iter().find(|s| s.name == "misbehaving").unwrap();
    assert!(misbehaving.state.quarantined.is_some());
    assert!(misbehaving
        .state
        .last_error
        .as_deref()
        .unwrap()
        .contains("event handler exploded"));

    // Events to a quarantined plugin are skipped, not handled.
    host.manager
        .dispatch_event("MESSAGE_CREATE", &message_create(9, "hello"));
    let _ = host
        .manager
        .call("misbehaving", "command", &command("ok"))
        .await;
    let misbehaving = host
        .manager
        .status()
        .into_iter()
        .find(|s| s.name == "misbehaving")
        .unwrap();
    assert_eq!(misbehaving.events_skipped, 1);

    // A reload lifts the quarantine.
    host.manager
        .reload("misbehaving", Trigger::Command)
        .await
        .unwrap();
    let answer = host
        .manager
        .call("misbehaving", "command", &command("ok"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_handler_is_reported_and_blocks_no_other_plugin() {
    let host = TestHost::with_stall(Duration::from_millis(150));
    both_loaded(&host).await;
    let stall = serde_json::json!({
        "name": "stall",
        "args": [{"name": "ms", "value": {"type": "integer", "value": 1200}}],
        "invoker": {"user_id": "10", "user_name": "alice", "channel_id": "2"},
        "source": {"type": "slash"}
    })
    .to_string();
    let manager = host.manager.clone();
    let stalled = tokio::spawn(async move { manager.call("misbehaving", "command", &stall).await });
    tokio::time::sleep(Duration::from_millis(400)).await;

    let started = Instant::now();
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "count=0");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "counter was not blocked"
    );

    let status = host.manager.status();
    let (call, running) = status
        .iter()
        .find(|s| s.name == "misbehaving")
        .unwrap()
        .stalled
        .clone()
        .expect("reported stalled");
    assert_eq!(call, "command");
    assert!(running >= Duration::from_millis(150));
    assert!(status
        .iter()
        .find(|s| s.name == "counter")
        .unwrap()
        .stalled
        .is_none());

    assert_eq!(answer_text(&stalled.await.unwrap().unwrap()), "woke up");
    assert!(host.manager.status().iter().all(|s| s.stalled.is_none()));
}
