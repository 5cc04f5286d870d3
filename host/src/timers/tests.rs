//! Unit tests of the timer service: scheduling, delivery order, restarts, back-off, limits.

use std::error::Error as _;
use std::path::{Path, PathBuf};

use arsenal_store::{FaultInjector, StoreOptions};
use serde_json::json;
use tokio::sync::mpsc;

use super::*;

/// A fired timer as the test's `deliver` saw it, with the wall time it was seen at.
type Seen = (String, TimerFired, u64);

fn temp_dir() -> tempfile::TempDir {
    // CARGO_TARGET_TMPDIR is only set for integration tests; unit tests fall back.
    let base = option_env!("CARGO_TARGET_TMPDIR").map_or_else(std::env::temp_dir, PathBuf::from);
    std::fs::create_dir_all(&base).unwrap();
    tempfile::Builder::new()
        .prefix("timers-")
        .tempdir_in(base)
        .unwrap()
}

fn open(dir: &Path) -> (Store, TimerService) {
    let store = Store::open(dir, StoreOptions::default()).unwrap();
    let timers = TimerService::new(store.clone()).unwrap();
    (store, timers)
}

/// Start the loop with a `deliver` that reports every call and answers `ready`.
fn start(
    timers: &TimerService,
    ready: Arc<AtomicBool>,
) -> (JoinHandle<()>, mpsc::UnboundedReceiver<Seen>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let handle = timers.start(move |plugin, fired| {
        let (tx, ready) = (tx.clone(), ready.clone());
        async move {
            let _ = tx.send((plugin, fired, now_unix_ms()));
            if ready.load(Ordering::SeqCst) {
                Delivery::Handled
            } else {
                Delivery::NotReady
            }
        }
    });
    (handle, rx)
}

fn ready() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(true))
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Seen>) -> Seen {
    tokio::time::timeout(Duration::from_secs(3), rx.recv())
        .await
        .expect("a timer should have fired")
        .unwrap()
}

async fn nothing_more(rx: &mut mpsc::UnboundedReceiver<Seen>, wait_ms: u64) {
    tokio::time::sleep(Duration::from_millis(wait_ms)).await;
    assert!(rx.try_recv().is_err(), "a timer fired that should not have");
}

/// Wait until the handled timer's delete has reached the store.
async fn settle(timers: &TimerService) {
    for _ in 0..100 {
        if timers.pending(None).is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("timers still pending: {:?}", timers.pending(None));
}

#[tokio::test]
async fn fires_once_at_its_time_and_not_before() {
    let dir = temp_dir();
    let (store, timers) = open(dir.path());
    let at = now_unix_ms() + 60;
    timers
        .schedule("mod", "unmute:1", at, json!({"user": 1}))
        .unwrap();
    let record = store.get(NAMESPACE, "mod/unmute:1").unwrap().unwrap().value;
    assert_eq!(
        record,
        json!({"plugin": "mod", "key": "unmute:1", "at_unix_ms": at, "payload": {"user": 1}})
    );

    let (handle, mut rx) = start(&timers, ready());
    let (plugin, fired, seen_at) = next(&mut rx).await;
    assert_eq!((plugin.as_str(), fired.key.as_str()), ("mod", "unmute:1"));
    assert_eq!((fired.at_unix_ms, fired.payload), (at, json!({"user": 1})));
    assert!(seen_at >= at, "fired {} ms early", at - seen_at);
    assert!(seen_at < at + 500, "fired {} ms late", seen_at - at);
    settle(&timers).await;
    assert_eq!(store.get(NAMESPACE, "mod/unmute:1").unwrap(), None);
    nothing_more(&mut rx, 80).await;
    handle.abort();
}

#[tokio::test]
async fn several_timers_fire_in_time_order() {
    let dir = temp_dir();
    let (_store, timers) = open(dir.path());
    let base = now_unix_ms() + 40;
    for (key, offset) in [("c", 30), ("a", 0), ("d", 30), ("b", 15)] {
        timers
            .schedule("p", key, base + offset, Value::Null)
            .unwrap();
    }
    let pending: Vec<String> = timers.pending(None).into_iter().map(|t| t.key).collect();
    assert_eq!(pending, ["a", "b", "c", "d"]);
    let (handle, mut rx) = start(&timers, ready());
    let mut order = Vec::new();
    for _ in 0..4 {
        order.push(next(&mut rx).await.1.key);
    }
    assert_eq!(order, ["a", "b", "c", "d"]);
    handle.abort();
}

#[tokio::test]
async fn reschedule_replaces_and_cancel_removes() {
    let dir = temp_dir();
    let (store, timers) = open(dir.path());
    let now = now_unix_ms();
    timers
        .schedule("p", "remind", now + 10_000, json!(1))
        .unwrap();
    timers.schedule("p", "remind", now + 50, json!(2)).unwrap();
    timers.schedule("p", "gone", now + 30, json!(3)).unwrap();
    assert_eq!(timers.pending(Some("p")).len(), 2);
    assert!(timers.cancel("p", "gone").unwrap());
    assert!(!timers.cancel("p", "gone").unwrap());
    assert_eq!(store.get(NAMESPACE, "p/gone").unwrap(), None);

    let (handle, mut rx) = start(&timers, ready());
    let (_, fired, _) = next(&mut rx).await;
    assert_eq!(
        (fired.key.as_str(), fired.at_unix_ms, fired.payload),
        ("remind", now + 50, json!(2))
    );
    nothing_more(&mut rx, 80).await;
    handle.abort();
}

#[tokio::test]
async fn plugins_are_namespaced() {
    let dir = temp_dir();
    let (_store, timers) = open(dir.path());
    let at = now_unix_ms() + 40;
    timers.schedule("alpha", "k", at, json!("a")).unwrap();
    timers.schedule("beta", "k", at, json!("b")).unwrap();
    assert!(!timers.cancel("gamma", "k").unwrap());
    assert!(timers.cancel("beta", "k").unwrap());
    assert_eq!(timers.pending(Some("alpha")).len(), 1);
    assert!(timers.pending(Some("beta")).is_empty());

    let (handle, mut rx) = start(&timers, ready());
    let (plugin, fired, _) = next(&mut rx).await;
    assert_eq!((plugin.as_str(), fired.payload), ("alpha", json!("a")));
    nothing_more(&mut rx, 60).await;
    handle.abort();
}

#[tokio::test]
async fn survives_a_restart_and_fires_once() {
    let dir = temp_dir();
    let at = now_unix_ms() + 60;
    {
        let (store, timers) = open(dir.path());
        timers
            .schedule("giveaway", "end:9", at, json!({"id": 9}))
            .unwrap();
        drop(timers);
        store.close().unwrap();
    }
    let (_store, timers) = open(dir.path());
    assert_eq!(timers.pending(None).len(), 1);
    let (handle, mut rx) = start(&timers, ready());
    let (plugin, fired, seen_at) = next(&mut rx).await;
    assert_eq!((plugin.as_str(), fired.at_unix_ms), ("giveaway", at));
    assert!(seen_at >= at);
    settle(&timers).await;
    nothing_more(&mut rx, 60).await;
    handle.abort();
}

#[tokio::test]
async fn timer_due_during_downtime_fires_at_start_with_its_original_time() {
    let dir = temp_dir();
    let at = now_unix_ms() + 10;
    {
        let (store, timers) = open(dir.path());
        timers
            .schedule("mod", "tempban:5", at, Value::Null)
            .unwrap();
        drop(timers);
        store.close().unwrap();
    }
    tokio::time::sleep(Duration::from_millis(40)).await;
    let (_store, timers) = open(dir.path());
    let started = now_unix_ms();
    let (handle, mut rx) = start(&timers, ready());
    let (_, fired, seen_at) = next(&mut rx).await;
    assert_eq!(fired.at_unix_ms, at);
    assert!(
        seen_at < started + 200,
        "an overdue timer must fire right after start"
    );
    handle.abort();
}

#[tokio::test]
async fn not_ready_keeps_the_timer_and_retry_now_delivers_it() {
    let dir = temp_dir();
    let (store, timers) = open(dir.path());
    timers
        .schedule("tickets", "close:3", now_unix_ms(), Value::Null)
        .unwrap();
    let is_ready = Arc::new(AtomicBool::new(false));
    let (handle, mut rx) = start(&timers, is_ready.clone());
    assert_eq!(next(&mut rx).await.1.key, "close:3");
    // Not retried before the back-off, and still durable.
    nothing_more(&mut rx, 100).await;
    assert_eq!(timers.pending(Some("tickets")).len(), 1);
    assert!(store.get(NAMESPACE, "tickets/close:3").unwrap().is_some());

    is_ready.store(true, Ordering::SeqCst);
    timers.retry_now();
    assert_eq!(next(&mut rx).await.1.key, "close:3");
    settle(&timers).await;
    assert_eq!(store.get(NAMESPACE, "tickets/close:3").unwrap(), None);
    handle.abort();
}

#[tokio::test]
async fn a_sooner_timer_wakes_the_sleeping_loop() {
    let dir = temp_dir();
    let (_store, timers) = open(dir.path());
    timers
        .schedule("p", "later", now_unix_ms() + 60_000, Value::Null)
        .unwrap();
    let (handle, mut rx) = start(&timers, ready());
    tokio::time::sleep(Duration::from_millis(30)).await; // the loop is asleep now
    let at = now_unix_ms() + 40;
    timers.schedule("p", "sooner", at, Value::Null).unwrap();
    let (_, fired, seen_at) = next(&mut rx).await;
    assert_eq!(fired.key, "sooner");
    // Well under the loop's longest sleep: it was woken, not polling.
    assert!(seen_at < at + 500, "fired {} ms late", seen_at - at);
    handle.abort();
}

#[tokio::test]
async fn a_slow_module_does_not_delay_another() {
    let dir = temp_dir();
    let (_store, timers) = open(dir.path());
    let at = now_unix_ms() + 20;
    timers.schedule("slow", "a", at, Value::Null).unwrap();
    timers.schedule("slow", "b", at, Value::Null).unwrap();
    timers.schedule("fast", "c", at + 5, Value::Null).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = timers.start(move |plugin, fired: TimerFired| {
        let tx = tx.clone();
        async move {
            if plugin == "slow" {
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            let _ = tx.send((plugin, fired, now_unix_ms()));
            Delivery::Handled
        }
    });
    let (plugin, _, seen_at) = next(&mut rx).await;
    assert_eq!(plugin, "fast");
    assert!(seen_at < at + 200, "waited for another module");
    let order: Vec<String> = [next(&mut rx).await, next(&mut rx).await]
        .into_iter()
        .map(|(_, f, _)| f.key)
        .collect();
    assert_eq!(order, ["a", "b"]);
    handle.abort();
}

#[tokio::test]
async fn handler_rescheduling_its_own_key_keeps_the_new_timer() {
    let dir = temp_dir();
    let (_store, timers) = open(dir.path());
    let first = now_unix_ms() + 20;
    timers.schedule("remind", "daily", first, json!(1)).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let again = timers.clone();
    let handle = timers.start(move |plugin, fired: TimerFired| {
        let (tx, again) = (tx.clone(), again.clone());
        async move {
            if fired.payload == json!(1) {
                again
                    .schedule(&plugin, &fired.key, fired.at_unix_ms + 30, json!(2))
                    .unwrap();
            }
            let _ = tx.send((plugin, fired, now_unix_ms()));
            Delivery::Handled
        }
    });
    assert_eq!(next(&mut rx).await.1.payload, json!(1));
    let (_, fired, _) = next(&mut rx).await;
    assert_eq!((fired.payload, fired.at_unix_ms), (json!(2), first + 30));
    settle(&timers).await;
    handle.abort();
}

#[tokio::test]
async fn invalid_keys_and_the_per_plugin_cap_are_refused() {
    let dir = temp_dir();
    let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
    let timers = TimerService::with_options(store, 2, RetryPolicy::default()).unwrap();
    for key in ["", "a/b", &"x".repeat(101)] {
        let err = timers.schedule("p", key, 0, Value::Null).unwrap_err();
        assert!(
            matches!(err.kind(), TimerErrorType::InvalidKey { .. }),
            "{err}"
        );
    }
    timers
        .schedule("p", &"é".repeat(100), 0, Value::Null)
        .unwrap();
    timers.schedule("p", "b", 0, Value::Null).unwrap();
    timers.schedule("p", "b", 5, Value::Null).unwrap(); // replacing does not count
    let err = timers.schedule("p", "c", 0, Value::Null).unwrap_err();
    assert!(matches!(
        err.kind(),
        TimerErrorType::TooManyTimers { limit: 2, .. }
    ));
    assert!(err.to_string().contains("cancel timers"), "{err}");
    timers.schedule("other", "c", 0, Value::Null).unwrap();
    let big = Value::String("x".repeat(MAX_PAYLOAD_BYTES));
    let err = timers.schedule("other", "d", 0, big).unwrap_err();
    assert!(matches!(err.kind(), TimerErrorType::PayloadTooLarge { .. }));
}

#[tokio::test]
async fn a_damaged_record_is_skipped_not_fatal() {
    let dir = temp_dir();
    let (store, timers) = open(dir.path());
    timers.schedule("p", "good", 0, Value::Null).unwrap();
    store
        .set(NAMESPACE, "p/bad", json!({"plugin": "p"}))
        .unwrap();
    store
        .set(
            NAMESPACE,
            "p/elsewhere",
            json!({"plugin": "q", "key": "elsewhere", "at_unix_ms": 0}),
        )
        .unwrap();
    drop(timers);
    let timers = TimerService::new(store.clone()).unwrap();
    let keys: Vec<String> = timers.pending(None).into_iter().map(|t| t.key).collect();
    assert_eq!(keys, ["good"]);
    assert!(
        store.get(NAMESPACE, "p/bad").unwrap().is_some(),
        "left for a human to fix"
    );

    // A hand edit the store took in reaches the service through reload_from_store.
    let record = json!({"plugin": "p", "key": "added", "at_unix_ms": 5, "payload": null});
    store.set(NAMESPACE, "p/added", record).unwrap();
    timers.reload_from_store().unwrap();
    let keys: Vec<String> = timers.pending(None).into_iter().map(|t| t.key).collect();
    assert_eq!(keys, ["good", "added"]);
}

#[tokio::test]
async fn a_failed_store_write_is_an_error_and_changes_nothing() {
    let dir = temp_dir();
    let faults = FaultInjector::new();
    let options = StoreOptions {
        fault_injector: faults.clone(),
        ..StoreOptions::default()
    };
    let store = Store::open(dir.path(), options).unwrap();
    let timers = TimerService::new(store.clone()).unwrap();
    timers.schedule("p", "kept", 1_000, Value::Null).unwrap();

    faults.fail_sync(1, libc::EIO, false);
    let err = timers
        .schedule("p", "lost", 2_000, Value::Null)
        .unwrap_err();
    assert!(matches!(err.kind(), TimerErrorType::Store), "{err}");
    assert!(err.to_string().contains("not saved"), "{err}");
    assert!(err.source().is_some());
    let keys: Vec<String> = timers.pending(None).into_iter().map(|t| t.key).collect();
    assert_eq!(keys, ["kept"]);
    assert_eq!(store.get(NAMESPACE, "p/lost").unwrap(), None);

    faults.fail_sync(1, libc::EIO, false);
    let err = timers.cancel("p", "kept").unwrap_err();
    assert!(matches!(err.kind(), TimerErrorType::Store), "{err}");
    assert_eq!(
        timers.pending(None).len(),
        1,
        "a failed cancel keeps the timer"
    );
    assert!(store.get(NAMESPACE, "p/kept").unwrap().is_some());

    // The store recovers from a one-off failure and so does the service.
    timers.schedule("p", "later", 3_000, Value::Null).unwrap();
    assert!(timers.cancel("p", "kept").unwrap());
}

fn open_retrying(dir: &Path, first_ms: u64, max_ms: u64) -> (Store, TimerService) {
    let store = Store::open(dir, StoreOptions::default()).unwrap();
    let policy = RetryPolicy {
        first: Duration::from_millis(first_ms),
        max: Duration::from_millis(max_ms),
    };
    let timers = TimerService::with_options(store.clone(), MAX_PENDING_PER_PLUGIN, policy).unwrap();
    (store, timers)
}

#[tokio::test]
async fn a_failed_delivery_is_kept_and_retried_with_growing_waits_until_handled() {
    let dir = temp_dir();
    let (store, timers) = open_retrying(dir.path(), 40, 100);
    timers
        .schedule("mod", "unban:1", now_unix_ms(), json!({"user": 1}))
        .unwrap();
    timers
        .schedule("mod", "unmute:2", now_unix_ms() + 20, Value::Null)
        .unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let attempts = Arc::new(AtomicU64::new(0));
    let counted = attempts.clone();
    let handle = timers.start(move |plugin, fired: TimerFired| {
        let (tx, attempts) = (tx.clone(), counted.clone());
        async move {
            let failing = fired.key == "unban:1" && attempts.fetch_add(1, Ordering::SeqCst) < 4;
            let _ = tx.send((plugin, fired, now_unix_ms()));
            if failing {
                Delivery::Failed("Discord said no".to_owned())
            } else {
                Delivery::Handled
            }
        }
    });

    let mut seen = Vec::new();
    let mut other_seen = false;
    while seen.len() < 5 {
        let (_, fired, at) = next(&mut rx).await;
        if fired.key == "unmute:2" {
            other_seen = true;
            continue;
        }
        assert_eq!(
            fired.payload,
            json!({"user": 1}),
            "the original timer each time"
        );
        seen.push(at);
        if seen.len() == 2 {
            // Kept, durable, and its failures visible while it waits.
            let pending = timers.pending(Some("mod"));
            let flaky = pending.iter().find(|t| t.key == "unban:1").unwrap();
            assert_eq!(flaky.failures, 2);
            assert_eq!(flaky.last_error.as_deref(), Some("Discord said no"));
            assert!(store.get(NAMESPACE, "mod/unban:1").unwrap().is_some());
        }
    }
    assert!(
        other_seen,
        "the module's next timer did not wait for the failing one"
    );
    // Waits of 40, 80, then the 100 ms cap; never sooner than the back-off.
    let gaps: Vec<u64> = seen.windows(2).map(|w| w[1] - w[0]).collect();
    for (gap, least) in gaps.iter().zip([40, 80, 100, 100]) {
        assert!(
            *gap >= least,
            "retried after {gap} ms, before {least} ms: {gaps:?}"
        );
    }
    settle(&timers).await;
    assert_eq!(store.get(NAMESPACE, "mod/unban:1").unwrap(), None);
    nothing_more(&mut rx, 150).await;
    handle.abort();
}

#[tokio::test]
async fn a_handler_that_reschedules_and_fails_keeps_its_new_time_without_back_off() {
    let dir = temp_dir();
    let (_store, timers) = open_retrying(dir.path(), 60_000, 60_000);
    timers
        .schedule("mod", "unban:1", now_unix_ms(), json!(0))
        .unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let again = timers.clone();
    let handle = timers.start(move |plugin, fired: TimerFired| {
        let (tx, again) = (tx.clone(), again.clone());
        async move {
            let _ = tx.send((plugin.clone(), fired.clone(), now_unix_ms()));
            if fired.payload == json!(0) {
                let later = now_unix_ms() + 30;
                again
                    .schedule(&plugin, &fired.key, later, json!(1))
                    .unwrap();
                return Delivery::Failed("retrying myself".to_owned());
            }
            Delivery::Handled
        }
    });
    assert_eq!(next(&mut rx).await.1.payload, json!(0));
    // A minute of back-off would miss this: the module's own schedule is what counts.
    assert_eq!(next(&mut rx).await.1.payload, json!(1));
    settle(&timers).await;
    handle.abort();
}

#[tokio::test]
async fn nothing_is_delivered_before_the_bot_is_ready() {
    let dir = temp_dir();
    let (store, timers) = open(dir.path());
    timers
        .schedule("mod", "unban:1", now_unix_ms() - 1_000, Value::Null)
        .unwrap();
    let (ready_tx, ready_rx) = tokio::sync::watch::channel(false);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = timers.start_when(ready_rx, move |plugin, fired| {
        let tx = tx.clone();
        async move {
            let _ = tx.send((plugin, fired, now_unix_ms()));
            Delivery::Handled
        }
    });
    nothing_more(&mut rx, 150).await;
    assert!(store.get(NAMESPACE, "mod/unban:1").unwrap().is_some());
    ready_tx.send_replace(true);
    assert_eq!(next(&mut rx).await.1.key, "unban:1");
    settle(&timers).await;
    handle.abort();
}

#[tokio::test]
async fn retry_now_retries_a_failed_timer_before_its_back_off_ends() {
    let dir = temp_dir();
    let (store, timers) = open_retrying(dir.path(), 60_000, 60_000);
    timers
        .schedule("tickets", "close:3", now_unix_ms(), Value::Null)
        .unwrap();
    let fixed = Arc::new(AtomicBool::new(false));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let is_fixed = fixed.clone();
    let handle = timers.start(move |plugin, fired| {
        let (tx, is_fixed) = (tx.clone(), is_fixed.clone());
        async move {
            let _ = tx.send((plugin, fired, now_unix_ms()));
            if is_fixed.load(Ordering::SeqCst) {
                Delivery::Handled
            } else {
                Delivery::Failed("bug".to_owned())
            }
        }
    });
    assert_eq!(next(&mut rx).await.1.key, "close:3");
    nothing_more(&mut rx, 100).await;
    assert_eq!(timers.pending(None)[0].failures, 1);

    // A fixed version of the module is loaded: no need to wait a minute.
    fixed.store(true, Ordering::SeqCst);
    timers.retry_now();
    assert_eq!(next(&mut rx).await.1.key, "close:3");
    settle(&timers).await;
    assert_eq!(store.get(NAMESPACE, "tickets/close:3").unwrap(), None);
    handle.abort();
}
