//! Data migrations across module versions (issue 13 item 6), with real `dlopen` of the wallet
//! fixtures: v1 stores `{coins}` per member, v2 `{wallet, bank}`. A reload v1 → v2 migrates
//! every member durably while events keep flowing; a v2 whose migration panics is refused with
//! v1 serving on unchanged data; a restart with v2 on disk migrates v1's data at load; v1 is
//! refused on v2's data.

mod common;

use std::time::{Duration, Instant};

use arsenal_host::plugins::{worker::DATA_VERSION_KEY, Trigger};
use common::{fixture, install, message_create, EventProducer, TestHost};
use serde_json::{json, Value};

const NS: &str = "plugin.wallet";

/// Queues `count` `seq:N` events starting at `first`.
fn send(host: &TestHost, first: u64, count: u64) {
    for seq in first..first + count {
        let queued = host.manager.dispatch_event(
            "MESSAGE_CREATE",
            &message_create(seq + 1, &format!("seq:{seq}")),
        );
        assert_eq!(queued, 1, "the wallet module takes MESSAGE_CREATE");
    }
}

/// Waits until the module has recorded `count` events.
async fn handled(host: &TestHost, count: u64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let done: u64 = host
            .store
            .get(NS, "handled")
            .expect("store read")
            .and_then(|v| v.value.as_u64())
            .unwrap_or(0);
        if done >= count {
            assert_eq!(done, count, "no event handled twice");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "only {done} of {count} events handled"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The `(seq, version)` of every handled event, in handling order.
fn events(host: &TestHost) -> Vec<(u64, String)> {
    host.store
        .list(NS, "e:")
        .expect("store read")
        .into_iter()
        .map(|(_, v)| serde_json::from_value(v.value).expect("(seq, version)"))
        .collect()
}

/// The member records `m:*`.
fn members(host: &TestHost) -> Vec<Value> {
    host.store
        .list(NS, "m:")
        .expect("store read")
        .into_iter()
        .map(|(_, v)| v.value)
        .collect()
}

fn data_version(host: &TestHost) -> Option<u64> {
    host.store
        .get(NS, DATA_VERSION_KEY)
        .expect("store read")
        .and_then(|v| v.value.as_u64())
}

/// Asserts every member is in v2's shape and the wallets hold `total` coins.
fn assert_v2_members(host: &TestHost, total: u64) {
    let members = members(host);
    assert_eq!(members.len(), 7, "seq % 7 members");
    let mut sum = 0;
    for member in &members {
        assert!(member.get("coins").is_none(), "v1 record left: {member}");
        sum += member["wallet"].as_u64().expect("wallet") + member["bank"].as_u64().expect("bank");
    }
    assert_eq!(sum, total, "every coin carried over: {members:?}");
}

async fn serving_v1(events: u64) -> TestHost {
    let host = TestHost::new();
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v1"));
    host.manager
        .reload("wallet", Trigger::Startup)
        .await
        .expect("wallet v1 loads");
    assert_eq!(
        data_version(&host),
        Some(1),
        "a fresh module records its data version"
    );
    send(&host, 0, events);
    handled(&host, events).await;
    host
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_v1_to_v2_migrates_every_member_durably_while_events_flow() {
    let host = serving_v1(50).await;
    let producer = EventProducer::start(&host.manager, 50, 200);
    tokio::time::sleep(Duration::from_millis(20)).await;
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v2"));
    let report = host
        .manager
        .reload("wallet", Trigger::Command)
        .await
        .expect("v2 loads and migrates");
    assert_eq!(report.old_version.as_deref(), Some("1.0.0"));
    assert_eq!(report.new_version, "2.0.0");
    tokio::time::sleep(Duration::from_millis(30)).await;
    let total = producer.finish().await;
    handled(&host, total).await;

    // Every event exactly once, in order, v1's strictly before v2's: v1 never wrote into
    // migrated data (its credit would fail on `{wallet, bank}`) and v2 never saw `{coins}`.
    let events = events(&host);
    let seqs: Vec<u64> = events.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(seqs, (0..total).collect::<Vec<_>>());
    let switch = events
        .iter()
        .position(|(_, v)| v == "2.0.0")
        .expect("v2 handled events");
    assert!(switch > 50, "v1 handled the events queued before the swap");
    assert!(events[..switch].iter().all(|(_, v)| v == "1.0.0"));
    assert!(events[switch..].iter().all(|(_, v)| v == "2.0.0"));
    assert_v2_members(&host, total);
    assert_eq!(data_version(&host), Some(2));

    // Durable: the same data after a restart, and v2 loads on it without migrating again.
    let host = host.restart().await;
    assert_eq!(data_version(&host), Some(2));
    assert_v2_members(&host, total);
    host.manager
        .reload("wallet", Trigger::Startup)
        .await
        .expect("v2 loads on v2 data");
    send(&host, total, 7);
    handled(&host, total + 7).await;
    assert_v2_members(&host, total + 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_migration_is_refused_and_v1_keeps_serving_on_unchanged_data() {
    let host = serving_v1(30).await;
    let before = host.store.export_namespace(NS).expect("export");
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v2-panics"));
    let error = host
        .manager
        .reload("wallet", Trigger::Command)
        .await
        .expect_err("a panicking migration refuses the version");
    let message = error.to_string();
    assert!(
        message.contains("migrating its data from version 1 to 2 failed")
            && message.contains("migration bug")
            && message.contains("old version keeps serving"),
        "{message}"
    );
    assert_eq!(
        host.store.export_namespace(NS).expect("export"),
        before,
        "the data is untouched"
    );
    // v1 still serves, on its own schema.
    send(&host, 30, 14);
    handled(&host, 44).await;
    assert!(events(&host).iter().all(|(_, v)| v == "1.0.0"));
    let coins: u64 = members(&host)
        .iter()
        .map(|m| m["coins"].as_u64().expect("v1 record"))
        .sum();
    assert_eq!(coins, 44);
    assert_eq!(data_version(&host), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_with_v2_on_disk_migrates_v1_data_at_load() {
    let host = serving_v1(21).await;
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v2"));
    let host = host.restart().await;
    assert_eq!(
        data_version(&host),
        Some(1),
        "nothing migrates before the module loads"
    );
    let report = host
        .manager
        .reload("wallet", Trigger::Startup)
        .await
        .expect("v2 loads and migrates at startup");
    assert_eq!(report.new_version, "2.0.0");
    assert_eq!(data_version(&host), Some(2));
    assert_v2_members(&host, 21);
    assert_eq!(members(&host)[0], json!({"wallet": 3, "bank": 0}));
    send(&host, 21, 7);
    handled(&host, 28).await;
    assert_v2_members(&host, 28);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1_is_refused_on_data_written_by_v2() {
    let host = TestHost::new();
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v2"));
    host.manager
        .reload("wallet", Trigger::Startup)
        .await
        .expect("v2 loads");
    assert_eq!(data_version(&host), Some(2));
    send(&host, 0, 7);
    handled(&host, 7).await;
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v1"));
    let error = host
        .manager
        .reload("wallet", Trigger::Command)
        .await
        .expect_err("old code must not run on newer data");
    assert!(
        error
            .to_string()
            .contains("old code must not run on newer data"),
        "{error}"
    );
    // v2 keeps serving.
    send(&host, 7, 7);
    handled(&host, 14).await;
    assert!(events(&host).iter().all(|(_, v)| v == "2.0.0"));
    assert_v2_members(&host, 14);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_constructor_failing_after_the_migration_puts_the_old_data_back() {
    let host = serving_v1(14).await;
    host.store
        .set(NS, "refuse_start", json!(true))
        .expect("store write");
    let before = host.store.export_namespace(NS).expect("export");
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v2"));
    let error = host
        .manager
        .reload("wallet", Trigger::Command)
        .await
        .expect_err("v2's constructor refuses");
    assert!(error.to_string().contains("refuse_start is set"), "{error}");
    assert_eq!(
        host.store.export_namespace(NS).expect("export"),
        before,
        "the migrated data was replaced by the snapshot, with version 1"
    );
    send(&host, 14, 7);
    handled(&host, 21).await;
    assert!(events(&host).iter().all(|(_, v)| v == "1.0.0"));
}
