//! Automatic revert after a bad reload (issue 18 item 1), with real `dlopen` of the fixtures:
//! `counter-v2-panics` panics from its third event on, so the host swaps `counter-v1` back in
//! inside the queue; a wallet v2 that migrated its data is quarantined instead of reverted; a
//! version whose panics come after the window, or a host with reverting off, stays (and is
//! quarantined by the ordinary rule).

use std::time::{Duration, Instant};

use arsenal_host::plugins::{ReloadRecord, Trigger};
use arsenal_plugin_api::abi::ErrorCode;
use serde_json::Value;

use super::common::{answer_text, command, fixture, install, message_create, TestHost};

const COUNTER: &str = "plugin.counter";

/// Queues `seq:<n>` for n in `range`; the module named takes each.
fn send(host: &TestHost, range: std::ops::Range<u64>) {
    for seq in range {
        let queued = host.manager.dispatch_event(
            "MESSAGE_CREATE",
            &message_create(seq + 1, &format!("seq:{seq}")),
        );
        assert_eq!(queued, 1, "one module takes MESSAGE_CREATE");
    }
}

/// The `(seq, version)` records of the events module namespace `ns` handled, in order.
fn events(host: &TestHost, ns: &str) -> Vec<(u64, String)> {
    host.store
        .list(ns, "e:")
        .expect("store read")
        .into_iter()
        .map(|(_, v)| serde_json::from_value(v.value).expect("(seq, version)"))
        .collect()
}

fn stored_u64(host: &TestHost, ns: &str, key: &str) -> Option<u64> {
    host.store
        .get(ns, key)
        .expect("store read")
        .and_then(|v| v.value.as_u64())
}

/// Waits (bounded) for the history record the host writes after reverting `plugin`.
async fn revert_record(host: &TestHost, plugin: &str) -> ReloadRecord {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(record) = revert_records(host, plugin).pop() {
            return record;
        }
        assert!(Instant::now() < deadline, "no revert recorded for {plugin}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn revert_records(host: &TestHost, plugin: &str) -> Vec<ReloadRecord> {
    host.manager
        .history()
        .recent(100)
        .into_iter()
        .filter(|r| r.plugin == plugin && r.trigger == Trigger::Revert)
        .collect()
}

fn status_of(host: &TestHost, name: &str) -> arsenal_host::plugins::PluginStatus {
    host.manager
        .status()
        .into_iter()
        .find(|s| s.name == name)
        .expect("loaded")
}

fn version(status: &arsenal_host::plugins::PluginStatus) -> String {
    status
        .state
        .manifest
        .as_ref()
        .expect("serving")
        .version
        .clone()
}

async fn reload_to_v2_panics(host: &TestHost) {
    install(
        &host.plugins_dir(),
        "counter",
        &fixture("counter-v2-panics"),
    );
    let report = host
        .manager
        .reload("counter", Trigger::Command)
        .await
        .expect("v2.1 starts fine");
    assert_eq!(report.new_version, "2.1.0");
}

#[tokio::test]
async fn a_new_version_panicking_soon_after_a_reload_is_reverted_in_the_queue() {
    let host = TestHost::serving_counter_v1().await;
    send(&host, 0..5);
    reload_to_v2_panics(&host).await;
    // v2.1 handles seq 5 and 6, panics on 7, 8 and 9; the host swaps v1 back in right after
    // the third panic, so v1 handles 10 to 14 and the command queued after them.
    send(&host, 5..15);
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .expect("v1 serves again");
    assert_eq!(
        answer_text(&answer),
        "count=12",
        "v1's answer, after every event"
    );

    let handled = events(&host, COUNTER);
    let expected: Vec<(u64, String)> = (0..5)
        .map(|seq| (seq, "1.0.0".to_owned()))
        .chain((5..7).map(|seq| (seq, "2.1.0".to_owned())))
        .chain((10..15).map(|seq| (seq, "1.0.0".to_owned())))
        .collect();
    assert_eq!(
        handled, expected,
        "in order; only the three events v2.1 panicked on are missing"
    );
    assert_eq!(
        stored_u64(&host, COUNTER, "loads"),
        Some(3),
        "v1's constructor ran again (v1, v2.1, v1)"
    );

    let status = status_of(&host, "counter");
    assert_eq!(version(&status), "1.0.0");
    assert!(
        status.state.quarantined.is_none(),
        "{:?}",
        status.state.quarantined
    );
    let reverted = status
        .state
        .reverted
        .clone()
        .expect("status says it was reverted");
    assert!(
        reverted.contains("reverted from 2.1.0 to 1.0.0"),
        "{reverted}"
    );
    assert!(
        reverted.contains("3 panics within 60 s after the reload to 2.1.0"),
        "{reverted}"
    );
    assert!(
        reverted.contains("bug on its event 3 (seq:7)"),
        "first panic: {reverted}"
    );
    let text = arsenal_host::builtin::modules::status(&host.manager);
    assert!(text.contains("↩ reverted from 2.1.0 to 1.0.0"), "{text}");

    let record = revert_record(&host, "counter").await;
    assert_eq!(record.outcome, "reverted");
    assert_eq!(record.old_version.as_deref(), Some("2.1.0"));
    assert_eq!(record.new_version.as_deref(), Some("1.0.0"));
    let reason = record.error.clone().unwrap_or_default();
    assert!(
        reason.starts_with("3 panics within 60 s after the reload to 2.1.0: "),
        "{reason}"
    );
    let history = host.manager.history().recent(100);
    let reloaded = history
        .iter()
        .position(|r| r.outcome == "reloaded" && r.new_version.as_deref() == Some("2.1.0"))
        .expect("the reload is recorded");
    let revert = history.iter().position(|r| r == &record).expect("recorded");
    assert!(
        reloaded < revert,
        "the revert is recorded after the reload it reverts"
    );
    let logs = arsenal_host::builtin::modules::logs(&host.manager, None);
    assert!(logs.contains("reverted 2.1.0 → 1.0.0 (Revert"), "{logs}");

    // v1 keeps serving: nothing more is lost, and a later panic-free stream is all handled.
    send(&host, 15..20);
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .expect("v1 serves");
    assert_eq!(answer_text(&answer), "count=17");
    assert_eq!(revert_records(&host, "counter").len(), 1, "reverted once");
}

#[tokio::test]
async fn a_new_version_that_migrated_the_data_is_quarantined_not_reverted() {
    const WALLET: &str = "plugin.wallet";
    let host = TestHost::new();
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v1"));
    host.manager
        .reload("wallet", Trigger::Startup)
        .await
        .expect("wallet v1 loads");
    send(&host, 0..10);
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v2"));
    host.manager
        .reload("wallet", Trigger::Command)
        .await
        .expect("v2 loads and migrates");
    assert_eq!(stored_u64(&host, WALLET, "arsenal:data_version"), Some(2));
    for id in 0..3 {
        host.manager
            .dispatch_event("MESSAGE_CREATE", &message_create(100 + id, "panic"));
    }

    let record = revert_record(&host, "wallet").await;
    assert_eq!(record.outcome, "quarantined");
    assert_eq!(record.old_version.as_deref(), Some("2.0.0"));
    assert_eq!(record.new_version, None, "nothing was swapped in");
    let reason = record.error.clone().unwrap_or_default();
    assert!(
        reason.contains("not reverted to 1.0.0: 2.0.0 had migrated its data to version 2 and 1.0.0 reads version 1"),
        "{reason}"
    );
    assert!(reason.contains("3 panics within 60 s"), "{reason}");

    let status = status_of(&host, "wallet");
    assert_eq!(
        version(&status),
        "2.0.0",
        "old code never ran on the new data"
    );
    assert!(status.state.reverted.is_none());
    let quarantined = status.state.quarantined.clone().expect("quarantined");
    assert!(quarantined.contains("was not reverted"), "{quarantined}");
    let error = host
        .manager
        .call("wallet", "command", &command("anything"))
        .await
        .expect_err("quarantined");
    assert!(
        error
            .message
            .contains("old code must not run on newer data"),
        "{}",
        error.message
    );

    // The migrated data stays as v2 wrote it.
    assert_eq!(stored_u64(&host, WALLET, "arsenal:data_version"), Some(2));
    let members: Vec<Value> = host
        .store
        .list(WALLET, "m:")
        .expect("store read")
        .into_iter()
        .map(|(_, v)| v.value)
        .collect();
    assert!(!members.is_empty());
    assert!(
        members.iter().all(|m| m.get("wallet").is_some()),
        "{members:?}"
    );
    assert_eq!(events(&host, WALLET).len(), 10);
}

#[tokio::test]
async fn panics_after_the_window_are_not_reverted() {
    let host = TestHost::with_config(|c| c.revert.window = Duration::from_millis(200));
    install(&host.plugins_dir(), "counter", &fixture("counter-v1"));
    host.manager
        .reload("counter", Trigger::Startup)
        .await
        .expect("v1 loads");
    reload_to_v2_panics(&host).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_stays_quarantined(&host).await;
}

#[tokio::test]
async fn a_setting_of_zero_turns_reverting_off() {
    let host = TestHost::with_config(|c| c.revert.after_failures = 0);
    install(&host.plugins_dir(), "counter", &fixture("counter-v1"));
    host.manager
        .reload("counter", Trigger::Startup)
        .await
        .expect("v1 loads");
    reload_to_v2_panics(&host).await;
    assert_stays_quarantined(&host).await;
}

/// v2.1 gets five events (panicking on the last three): it is not reverted, so the ordinary
/// rule quarantines it after three panics in a row.
async fn assert_stays_quarantined(host: &TestHost) {
    send(host, 0..5);
    let error = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .expect_err("v2.1 quarantined, not v1 answering");
    assert_eq!(error.kind(), ErrorCode::Failed);
    assert!(
        error
            .message
            .contains("quarantined after 3 panics in a row"),
        "{}",
        error.message
    );
    let status = status_of(host, "counter");
    assert_eq!(version(&status), "2.1.0");
    assert!(status.state.reverted.is_none());
    let handled = events(host, COUNTER);
    assert_eq!(handled, [(0, "2.1.0".to_owned()), (1, "2.1.0".to_owned())]);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(revert_records(host, "counter").is_empty());
}
