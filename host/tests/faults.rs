//! Fault isolation: a panicking plugin never takes the host or other plugins down, is
//! quarantined after repeated panics, and a stalled handler is reported without blocking others.
//! Requests between modules fail the same way, as errors of their own kinds (`modules_ask`).
//! A reload whose new version keeps panicking is reverted to the previous one (`revert`).

mod common;
#[path = "faults/modules_ask.rs"]
mod modules_ask;
#[path = "faults/revert.rs"]
mod revert;

use std::time::{Duration, Instant};

use arsenal_host::plugins::{ReloadErrorType, Trigger};
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

/// A `hang` command for the `stuck` fixture: never answers, or after `ms` when given.
fn hang(ms: Option<i64>) -> String {
    let args = ms.map_or_else(Vec::new, |ms| {
        vec![serde_json::json!({"name": "ms", "value": {"type": "integer", "value": ms}})]
    });
    serde_json::json!({
        "name": "hang",
        "args": args,
        "invoker": {"user_id": "10", "user_name": "alice", "channel_id": "2"},
        "source": {"type": "slash"}
    })
    .to_string()
}

/// A host with `counter` v1 and `stuck` v1 loaded, a 150 ms stall threshold and `call_timeout`.
async fn stuck_and_counter(call_timeout: Duration, queue_capacity: usize) -> TestHost {
    let host = TestHost::with_config(|config| {
        config.stall_after = Duration::from_millis(150);
        config.call_timeout = call_timeout;
        config.queue_capacity = queue_capacity;
    });
    install(&host.plugins_dir(), "counter", &fixture("counter-v1"));
    install(&host.plugins_dir(), "stuck", &fixture("stuck"));
    let results = host.manager.load_all(Trigger::Startup).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    host
}

/// `future`, or a failure (instead of a hung test) when it takes more than 5 s.
async fn bounded<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(5), future)
        .await
        .expect("returned (the old code waited here for ever)")
}

fn status_of(host: &TestHost, name: &str) -> arsenal_host::plugins::PluginStatus {
    host.manager
        .status()
        .into_iter()
        .find(|s| s.name == name)
        .expect("loaded")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_module_times_out_for_users_and_a_reload_replaces_it_within_a_second() {
    let host = stuck_and_counter(Duration::from_millis(400), 1000).await;

    // A user's call into a handler that never returns gets a clear error within the limit.
    let started = Instant::now();
    let error = bounded(host.manager.call("stuck", "command", &hang(None)))
        .await
        .expect_err("never answers");
    assert!(
        error
            .message
            .contains("module stuck did not answer within 400 ms"),
        "{}",
        error.message
    );
    eprintln!("time-out error after {:?}", started.elapsed());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // Another module still answers, and reloads of it are not held up.
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "count=0");

    // Reloading the stuck module (and another one at the same time) returns, and the new
    // version serves from a fresh worker within a second.
    install(&host.plugins_dir(), "stuck", &fixture("stuck-v2"));
    let started = Instant::now();
    let (stuck, counter) = bounded(async {
        tokio::join!(
            host.manager.reload("stuck", Trigger::Command),
            host.manager.reload("counter", Trigger::Command),
        )
    })
    .await;
    let report = stuck.expect("the stuck module reloads");
    counter.expect("another module reloads");
    assert_eq!(report.new_version, "2.0.0");
    let answer = host
        .manager
        .call("stuck", "command", &command("ok"))
        .await
        .expect("v2 answers");
    assert_eq!(answer_text(&answer), "ok 2.0.0");
    eprintln!(
        "stuck module reloaded and answering after {:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "v2 serving after {:?}",
        started.elapsed()
    );
    let status = status_of(&host, "stuck");
    assert_eq!(status.abandoned_workers, 1);
    assert!(status.stalled.is_none(), "{:?}", status.stalled);
    let history = host.manager.history().recent(20);
    let abandoned = history
        .iter()
        .find(|r| r.outcome == "abandoned")
        .expect("the abandonment is in the history");
    assert_eq!(abandoned.plugin, "stuck");
    assert!(abandoned.error.as_deref().unwrap().contains("`command`"));

    // Unload of a module stuck in an event handler returns within its bound.
    host.manager
        .dispatch_event("MESSAGE_CREATE", &message_create(1, "hang"));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    bounded(host.manager.unload("stuck"))
        .await
        .expect("unloads");
    eprintln!("stuck module unloaded after {:?}", started.elapsed());
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(host.manager.loaded() == ["counter"]);

    // Shutdown with a stuck module returns, and the store closes cleanly: everything written
    // before is there after a restart.
    host.manager
        .reload("stuck", Trigger::Command)
        .await
        .expect("loads again");
    host.manager
        .dispatch_event("MESSAGE_CREATE", &message_create(2, "counted"));
    host.manager
        .dispatch_event("MESSAGE_CREATE", &message_create(3, "hang"));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    let host = bounded(host.restart()).await;
    eprintln!(
        "shutdown and restart with a stuck module took {:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let seen: u64 = serde_json::from_value(
        host.store
            .get("plugin.stuck", "seen")
            .unwrap()
            .expect("the event before the hang was stored")
            .value,
    )
    .unwrap();
    assert_eq!(seen, 1);
    let outcomes: Vec<String> = host
        .manager
        .history()
        .recent(20)
        .into_iter()
        .filter(|r| r.plugin == "stuck")
        .map(|r| r.outcome)
        .collect();
    assert_eq!(
        outcomes,
        [
            "loaded",
            "abandoned",
            "reloaded",
            "abandoned",
            "unloaded",
            "loaded",
            "abandoned"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_call_that_returns_late_answers_once_and_leaves_the_new_version_alone() {
    let host = stuck_and_counter(Duration::from_secs(5), 1000).await;
    let manager = host.manager.clone();
    let late =
        tokio::spawn(async move { manager.call("stuck", "command", &hang(Some(1200))).await });
    tokio::time::sleep(Duration::from_millis(250)).await;

    install(&host.plugins_dir(), "stuck", &fixture("stuck-v2"));
    bounded(host.manager.reload("stuck", Trigger::Command))
        .await
        .expect("reloads past the stalled call");
    host.manager
        .dispatch_event("MESSAGE_CREATE", &message_create(1, "counted"));

    // The old thread's call returns at last: its one answer goes to its caller, and nothing of
    // the new version's state is touched.
    let answer = late.await.unwrap().expect("the late answer");
    assert_eq!(answer_text(&answer), "woke up");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let answer = host
        .manager
        .call("stuck", "command", &command("ok"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "ok 2.0.0");
    let status = status_of(&host, "stuck");
    assert_eq!(status.state.manifest.unwrap().version, "2.0.0");
    assert!(status.stalled.is_none());
    assert_eq!(status.calls_failed, 0);
    assert_eq!(status.events_handled, 1, "v2 handled the one event, once");
    assert!(status.state.last_error.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flooding_a_stuck_module_drops_its_events_and_no_one_elses() {
    const CAPACITY: usize = 20;
    const EVENTS: u64 = 200;
    let host = stuck_and_counter(Duration::from_secs(5), CAPACITY).await;
    host.manager
        .dispatch_event("MESSAGE_CREATE", &message_create(1, "hang"));
    tokio::time::sleep(Duration::from_millis(50)).await;

    // Counter's queue has the same capacity: keep its pace (each event is an fsync).
    let mut queued = 0;
    for seq in 0..EVENTS {
        queued += host.manager.dispatch_event(
            "MESSAGE_CREATE",
            &message_create(seq + 2, &format!("seq:{seq}")),
        );
        while status_of(&host, "counter").queued >= CAPACITY / 2 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    // Counter got every event; the stuck module's queue stopped at its capacity.
    assert_eq!(queued as u64, EVENTS + CAPACITY as u64);
    let status = status_of(&host, "stuck");
    assert_eq!(status.queued, CAPACITY);
    assert_eq!(status.events_dropped, EVENTS - CAPACITY as u64);
    let error = host
        .manager
        .call("stuck", "command", &command("ok"))
        .await
        .expect_err("no room");
    assert!(
        error.message.contains("module stuck is overloaded"),
        "{}",
        error.message
    );

    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), format!("count={EVENTS}"));
    assert_eq!(status_of(&host, "counter").events_dropped, 0);

    // A reload gets through the full queue; the new version handles what waited, in order.
    install(&host.plugins_dir(), "stuck", &fixture("stuck-v2"));
    bounded(host.manager.reload("stuck", Trigger::Command))
        .await
        .expect("a swap is never refused for lack of room");
    let deadline = Instant::now() + Duration::from_secs(5);
    while status_of(&host, "stuck").queued > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let answer = host
        .manager
        .call("stuck", "command", &command("ok"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "ok 2.0.0");
    let seen: u64 = serde_json::from_value(
        host.store
            .get("plugin.stuck", "seen")
            .unwrap()
            .unwrap()
            .value,
    )
    .unwrap();
    assert_eq!(
        seen, CAPACITY as u64,
        "the queued events moved to the fresh worker"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_stuck_while_starting_is_abandoned_and_blocks_no_other_reload() {
    let host = stuck_and_counter(Duration::from_millis(400), 1000).await;
    host.store
        .set("plugin.stuck", "hang_on_start", serde_json::json!(true))
        .unwrap();
    install(&host.plugins_dir(), "stuck", &fixture("stuck-v2"));
    let started = Instant::now();
    let error = bounded(host.manager.reload("stuck", Trigger::Command))
        .await
        .expect_err("its constructor never returns");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.kind(), ReloadErrorType::Stalled);
    assert!(
        error.message.contains("did not finish starting"),
        "{}",
        error.message
    );
    assert!(
        error.message.contains("stuck is stopped"),
        "{}",
        error.message
    );
    assert_eq!(host.manager.loaded(), ["counter"]);

    // The reload lock is free: other modules reload, and the stuck one loads again once fixed.
    host.manager
        .reload("counter", Trigger::Command)
        .await
        .expect("another module reloads");
    host.store
        .set("plugin.stuck", "hang_on_start", serde_json::json!(false))
        .unwrap();
    host.manager
        .reload("stuck", Trigger::Command)
        .await
        .expect("loads once fixed");
    let answer = host
        .manager
        .call("stuck", "command", &command("ok"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "ok 2.0.0");
}
