//! Canary reloads by server (issue 18 item 2), with real `dlopen` of the `counter` fixtures and
//! a real store: `counter.canary.so` serves server 1 while server 2 stays on `counter.so`;
//! promote, roll back, a restart in between, a canary panicking (rolled back automatically),
//! and a canary that would migrate the data (refused).

use std::time::{Duration, Instant};

use arsenal_host::plugins::{
    manager::CANARY_NAMESPACE, PluginStatus, ReloadErrorType, ReloadRecord, Trigger,
};
use twilight_model::id::{marker::GuildMarker, Id};

use super::common::{answer_text, fixture, install, message_create_in, TestHost};

const COUNTER: &str = "plugin.counter";
const A: u64 = 1;
const B: u64 = 2;

fn guild(id: u64) -> Id<GuildMarker> {
    Id::new(id)
}

/// A `MESSAGE_CREATE` `seq:<seq>` in server `guild`.
fn message_in(guild: u64, seq: u64) -> std::sync::Arc<str> {
    message_create_in(guild, seq + 1, &format!("seq:{seq}"))
}

/// Queues `seq:<n>` for n in `range`, in server `guild_of(n)`.
fn send(host: &TestHost, range: std::ops::Range<u64>, guild_of: impl Fn(u64) -> u64) {
    for seq in range {
        let queued = host
            .manager
            .dispatch_event("MESSAGE_CREATE", &message_in(guild_of(seq), seq));
        assert_eq!(queued, 1, "one version of counter takes each event");
    }
}

/// `count` by an administrator of server `guild`: the answer of the version serving it.
async fn count_in(host: &TestHost, guild: u64) -> String {
    let payload = serde_json::json!({
        "name": "count",
        "args": [],
        "invoker": {"user_id": "10", "user_name": "alice", "guild_id": guild.to_string(), "channel_id": (guild * 100).to_string(), "permissions": "8"},
        "source": {"type": "slash"}
    })
    .to_string();
    let answer = host
        .manager
        .call_for("counter", "command", &payload, Some(Id::new(guild)))
        .await
        .expect("counter answers");
    answer_text(&answer)
}

/// The `(seq, version)` records, in the order the store committed them.
fn handled(host: &TestHost) -> Vec<(u64, String)> {
    host.store
        .list(COUNTER, "e:")
        .expect("store read")
        .into_iter()
        .map(|(_, v)| serde_json::from_value(v.value).expect("(seq, version)"))
        .collect()
}

fn status(host: &TestHost) -> PluginStatus {
    host.manager
        .status()
        .into_iter()
        .find(|s| s.name == "counter")
        .expect("counter loaded")
}

fn version_of(status: &PluginStatus) -> String {
    status
        .state
        .manifest
        .as_ref()
        .expect("serving")
        .version
        .clone()
}

fn records(host: &TestHost, outcome: &str) -> Vec<ReloadRecord> {
    host.manager
        .history()
        .recent(100)
        .into_iter()
        .filter(|r| r.plugin == "counter" && r.outcome == outcome)
        .collect()
}

fn install_canary(host: &TestHost, fixture_name: &str) {
    install(
        &host.plugins_dir(),
        "counter.canary",
        &fixture(fixture_name),
    );
}

async fn start_canary(host: &TestHost, fixture_name: &str) {
    install_canary(host, fixture_name);
    let report = host
        .manager
        .start_canary("counter", guild(A), Trigger::Command)
        .await
        .expect("the canary starts");
    assert_eq!(report.old_version.as_deref(), Some("1.0.0"));
}

fn saved_canary(host: &TestHost) -> Option<serde_json::Value> {
    host.store
        .get(CANARY_NAMESPACE, "counter")
        .expect("store read")
        .map(|v| v.value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_canary_serves_its_server_in_order_while_the_others_stay_and_promote_moves_them_all() {
    let host = TestHost::serving_counter_v1().await;
    install_canary(&host, "counter-v2");
    // Events alternate between the two servers before, during and after the canary starts.
    let manager = host.manager.clone();
    let producing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let producer = {
        let producing = std::sync::Arc::clone(&producing);
        tokio::task::spawn_blocking(move || {
            let mut seq = 0;
            while producing.load(std::sync::atomic::Ordering::Relaxed) || seq < 200 {
                let guild = if seq % 2 == 0 { A } else { B };
                assert_eq!(
                    manager.dispatch_event("MESSAGE_CREATE", &message_in(guild, seq)),
                    1
                );
                seq += 1;
                std::thread::sleep(Duration::from_micros(300));
            }
            seq
        })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let report = host
        .manager
        .start_canary("counter", guild(A), Trigger::Command)
        .await
        .expect("the canary starts");
    assert_eq!(report.new_version, "2.0.0");
    assert_eq!(report.old_version.as_deref(), Some("1.0.0"));
    tokio::time::sleep(Duration::from_millis(30)).await;
    producing.store(false, std::sync::atomic::Ordering::Relaxed);
    let sent = producer.await.expect("producer");

    // Each server's answer comes from its version, after every event queued before it (the
    // first two drain both queues, which run side by side).
    count_in(&host, A).await;
    count_in(&host, B).await;
    let (in_a, in_b) = (count_in(&host, A).await, count_in(&host, B).await);
    assert_eq!(in_a, format!("count={sent} (v2)"), "server 1: the canary");
    assert_eq!(
        in_b,
        format!("count={sent}"),
        "server 2: the stable version"
    );

    let log = handled(&host);
    let mut seqs: Vec<u64> = log.iter().map(|(seq, _)| *seq).collect();
    seqs.sort_unstable();
    assert_eq!(
        seqs,
        (0..sent).collect::<Vec<_>>(),
        "every event exactly once"
    );
    for server in [A, B] {
        let mine: Vec<&(u64, String)> = log
            .iter()
            .filter(|(seq, _)| {
                if server == A {
                    seq % 2 == 0
                } else {
                    seq % 2 == 1
                }
            })
            .collect();
        assert!(
            mine.windows(2).all(|w| w[0].0 < w[1].0),
            "server {server}'s events in order"
        );
        let switch = mine.iter().position(|(_, v)| v == "2.0.0");
        if server == A {
            let switch = switch.expect("the canary handled server 1's later events");
            assert!(switch > 0, "v1 handled server 1's first events");
            assert!(
                mine[switch..].iter().all(|(_, v)| v == "2.0.0"),
                "never back to v1"
            );
        } else {
            assert_eq!(switch, None, "server 2 never saw the canary");
        }
    }

    let canary = status(&host).canary.expect("status shows the canary");
    assert_eq!(canary.guild, guild(A));
    assert_eq!(version_of(&canary.status), "2.0.0");
    assert_eq!(version_of(&status(&host)), "1.0.0");
    let text = arsenal_host::builtin::modules::status(&host.manager);
    assert!(text.contains("🐤 canary in server 1"), "{text}");
    assert!(text.contains("every other server runs 1.0.0"), "{text}");
    let started = records(&host, "canary");
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].guild, Some(guild(A)));
    assert_eq!(started[0].new_version.as_deref(), Some("2.0.0"));
    assert!(saved_canary(&host).is_some(), "kept for a restart");

    // Promote: both servers on v2, its file is the module's file now.
    let change = host.manager.promote("counter").await.expect("promoted");
    assert_eq!(change.canary_version, "2.0.0");
    assert_eq!(change.stable_version.as_deref(), Some("1.0.0"));
    assert_eq!(change.warning, None);
    send(
        &host,
        sent..sent + 4,
        |seq| if seq % 2 == 0 { A } else { B },
    );
    let total = sent + 4;
    assert_eq!(count_in(&host, A).await, format!("count={total} (v2)"));
    assert_eq!(count_in(&host, B).await, format!("count={total} (v2)"));
    let plugins = host.plugins_dir();
    assert!(!plugins.join("counter.canary.so").exists());
    assert_eq!(
        std::fs::read(plugins.join("counter.so")).expect("counter.so"),
        std::fs::read(fixture("counter-v2")).expect("fixture"),
        "the canary's build is the module's file"
    );
    let now = status(&host);
    assert_eq!(version_of(&now), "2.0.0");
    assert!(now.canary.is_none());
    assert_eq!(records(&host, "promoted").len(), 1);
    assert!(saved_canary(&host).is_none());
    let log = handled(&host);
    assert!(
        log.iter().rev().take(4).all(|(_, v)| v == "2.0.0"),
        "{log:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_canary_waits_until_the_stable_version_served_what_it_had_queued_for_its_server() {
    let host = TestHost::serving_counter_v1().await;
    install_canary(&host, "counter-v2");
    // A backlog of server 1's events on the stable worker (each is a durable transaction) when
    // the canary takes server 1 over.
    send(&host, 0..1000, |_| A);
    host.manager
        .start_canary("counter", guild(A), Trigger::Command)
        .await
        .expect("the canary starts");
    let backlog = status(&host).queued;
    send(&host, 1000..1010, |_| A);
    assert_eq!(count_in(&host, A).await, "count=1010 (v2)");
    assert!(
        backlog > 1,
        "the stable version still had server 1's events queued when the canary started ({backlog})"
    );

    let log = handled(&host);
    assert!(
        log.windows(2).all(|w| w[0].0 < w[1].0),
        "server 1's events in order across the two versions"
    );
    let switch = log
        .iter()
        .position(|(_, v)| v == "2.0.0")
        .expect("the canary handled some");
    assert!(log[..switch].iter().all(|(_, v)| v == "1.0.0"));
    assert!(log[switch..].iter().all(|(_, v)| v == "2.0.0"));
    assert_eq!(log.len(), 1010);
}

#[tokio::test]
async fn rollback_gives_the_server_back_to_the_stable_version() {
    let host = TestHost::serving_counter_v1().await;
    start_canary(&host, "counter-v2").await;
    send(&host, 0..4, |seq| if seq < 2 { A } else { B });
    // Server 2's answer first: both versions run side by side.
    count_in(&host, B).await;
    assert_eq!(count_in(&host, A).await, "count=4 (v2)");

    let change = host.manager.rollback("counter").await.expect("rolled back");
    assert_eq!(change.canary_version, "2.0.0");
    assert_eq!(change.stable_version.as_deref(), Some("1.0.0"));
    send(&host, 4..6, |_| A);
    assert_eq!(count_in(&host, A).await, "count=6");
    assert_eq!(count_in(&host, B).await, "count=6");
    let mut log = handled(&host);
    log.sort();
    let versions: Vec<String> = log.into_iter().map(|(_, v)| v).collect();
    assert_eq!(
        versions,
        ["2.0.0", "2.0.0", "1.0.0", "1.0.0", "1.0.0", "1.0.0"]
    );
    assert!(status(&host).canary.is_none());
    assert!(
        host.plugins_dir().join("counter.canary.so").exists(),
        "its file is left"
    );
    assert_eq!(records(&host, "rolled back").len(), 1);
    assert!(saved_canary(&host).is_none());

    let again = host
        .manager
        .rollback("counter")
        .await
        .expect_err("no canary now");
    assert_eq!(again.kind(), ReloadErrorType::NoCanary);
    assert!(again.message.contains("has no canary"), "{again}");
}

#[tokio::test]
async fn a_restart_keeps_the_canary_and_its_server() {
    let host = TestHost::serving_counter_v1().await;
    start_canary(&host, "counter-v2").await;
    let host = host.restart().await;
    let results = host.manager.load_all(Trigger::Startup).await;
    assert_eq!(results.len(), 2, "the module, then its canary: {results:?}");
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(count_in(&host, A).await, "count=0 (v2)");
    assert_eq!(count_in(&host, B).await, "count=0");
    let canary = status(&host).canary.expect("still a canary");
    assert_eq!(canary.guild, guild(A));
    assert_eq!(
        records(&host, "canary")
            .iter()
            .filter(|r| r.trigger == Trigger::Startup)
            .count(),
        1
    );

    // Rolled back, it stays rolled back across the next restart.
    host.manager.rollback("counter").await.expect("rolled back");
    let host = host.restart().await;
    let results = host.manager.load_all(Trigger::Startup).await;
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(count_in(&host, A).await, "count=0");
    assert!(status(&host).canary.is_none());
}

#[tokio::test]
async fn a_canary_that_keeps_panicking_is_rolled_back_in_its_queue() {
    let host = TestHost::serving_counter_v1().await;
    start_canary(&host, "counter-v2-panics").await;
    // v2.1 handles seq 0 and 1, panics on 2, 3 and 4: rolled back at the third panic, so the
    // stable version handles 5 to 9, in order, and the command queued after them.
    send(&host, 0..10, |_| A);
    send(&host, 10..12, |_| B);
    assert_eq!(count_in(&host, A).await, "count=9");

    let log = handled(&host);
    let expected: Vec<(u64, String)> = (0..2)
        .map(|seq| (seq, "2.1.0".to_owned()))
        .chain((5..12).map(|seq| (seq, "1.0.0".to_owned())))
        .collect();
    let mut in_a: Vec<(u64, String)> = log.iter().filter(|(s, _)| *s < 10).cloned().collect();
    in_a.extend(log.iter().filter(|(s, _)| *s >= 10).cloned());
    assert_eq!(
        in_a, expected,
        "only the three events the canary panicked on are missing"
    );

    let record = {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(record) = records(&host, "rolled back").pop() {
                break record;
            }
            assert!(Instant::now() < deadline, "no rollback recorded");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    assert_eq!(record.trigger, Trigger::Revert);
    assert_eq!(record.guild, Some(guild(A)));
    assert_eq!(record.old_version.as_deref(), Some("2.1.0"));
    assert_eq!(record.new_version.as_deref(), Some("1.0.0"));
    let reason = record.error.unwrap_or_default();
    assert!(
        reason.starts_with("3 panics since it started: "),
        "{reason}"
    );
    assert!(reason.contains("bug on its event 3 (seq:2)"), "{reason}");
    assert!(status(&host).canary.is_none());
    assert_eq!(version_of(&status(&host)), "1.0.0");
    assert!(
        saved_canary(&host).is_none(),
        "a restart will not start it again"
    );
}

#[tokio::test]
async fn a_canary_is_refused_when_it_cannot_run_beside_the_stable_version() {
    let host = TestHost::new();
    // No module loaded, no canary file.
    let missing = host
        .manager
        .start_canary("counter", guild(A), Trigger::Command)
        .await
        .expect_err("no file");
    assert_eq!(missing.kind(), ReloadErrorType::NoFile);
    assert!(missing.message.contains("counter.canary.so"), "{missing}");
    install_canary(&host, "counter-v2");
    // The watcher and the module list never take the canary's file for a module of its own.
    let canary_file = host.plugins_dir().join("counter.canary.so");
    assert_eq!(
        arsenal_host::plugins::manager::module_name_of(&canary_file),
        None
    );
    assert!(host.manager.available().is_empty());
    let not_loaded = host
        .manager
        .start_canary("counter", guild(A), Trigger::Command)
        .await
        .expect_err("nothing to run beside");
    assert_eq!(not_loaded.kind(), ReloadErrorType::NotLoaded);

    // A canary must not migrate the data the stable version reads.
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v1"));
    host.manager
        .reload("wallet", Trigger::Startup)
        .await
        .expect("wallet v1 loads");
    install(&host.plugins_dir(), "wallet.canary", &fixture("wallet-v2"));
    let migrating = host
        .manager
        .start_canary("wallet", guild(A), Trigger::Command)
        .await
        .expect_err("would migrate");
    assert_eq!(migrating.kind(), ReloadErrorType::Refused);
    assert!(
        migrating.message.contains("must not migrate"),
        "{migrating}"
    );
    assert!(host.manager.canary_guild("wallet").is_none());
    assert_eq!(
        host.store
            .get("plugin.wallet", "arsenal:data_version")
            .expect("store read")
            .and_then(|v| v.value.as_u64()),
        Some(1),
        "the data was not migrated"
    );

    // One canary at a time.
    install(&host.plugins_dir(), "counter", &fixture("counter-v1"));
    host.manager
        .reload("counter", Trigger::Startup)
        .await
        .expect("counter loads");
    host.manager
        .start_canary("counter", guild(A), Trigger::Command)
        .await
        .expect("canary");
    let second = host
        .manager
        .start_canary("counter", guild(B), Trigger::Command)
        .await
        .expect_err("one at a time");
    assert_eq!(second.kind(), ReloadErrorType::CanaryRunning);
    assert!(second.message.contains("in server 1"), "{second}");

    // Nor may the stable version migrate the data under a canary reading the older version.
    host.manager
        .start_canary("wallet", guild(A), Trigger::Command)
        .await
        .map(drop)
        .expect_err("still refused");
    install(&host.plugins_dir(), "wallet.canary", &fixture("wallet-v1"));
    host.manager
        .start_canary("wallet", guild(B), Trigger::Command)
        .await
        .expect("a canary of the same data version");
    install(&host.plugins_dir(), "wallet", &fixture("wallet-v2"));
    let under_canary = host
        .manager
        .reload("wallet", Trigger::Command)
        .await
        .expect_err("would migrate under the canary");
    assert!(
        under_canary
            .message
            .contains("promote or roll back the canary first"),
        "{under_canary}"
    );

    // Unloading the module retires its canary for good.
    host.manager.unload("counter").await.expect("unloaded");
    assert!(host.manager.canary_guild("counter").is_none());
    assert!(
        saved_canary(&host).is_none(),
        "a restart will not start it again"
    );
    assert_eq!(
        host.manager
            .dispatch_event("MESSAGE_CREATE", &message_in(A, 0)),
        1,
        "only wallet takes server 1's messages now"
    );
}
