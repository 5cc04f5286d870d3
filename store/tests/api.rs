//! The basic API: get/set/delete/list/commit, versions, persistence across reopen, export.
//! Every test of the API runs on both backends (`both_backends!`: a `json` and a `postgres`
//! test each); the ones about the JSON store's files are at the end.

// Test helpers unwrap freely: a failure there is a test failure (clippy.toml covers only #[test] fns).
#![allow(clippy::unwrap_used)]

#[macro_use]
mod common;

use std::collections::BTreeMap;

use arsenal_store::{
    BackendKind, CommitObserver, CommitOutcome, Store, StoreErrorType, StoreOptions, Transaction,
};
use common::Backend;
use serde_json::json;

fn open(dir: &std::path::Path) -> Store {
    Store::open(dir, StoreOptions::default()).unwrap()
}

both_backends!(
    set_get_delete_list_and_reopen,
    transactions_check_versions_and_absence,
    namespaces_are_validated,
    concurrent_transfers_conserve_money,
    one_of_many_concurrent_creators_wins,
    lists_are_in_byte_order_and_prefixes_exact,
    a_transaction_applies_its_last_write_per_key,
    a_closed_store_refuses_work,
    the_commit_observer_sees_every_durable_write_once,
);

/// The metrics hook: every group commit reported with its backend and size, the sizes adding
/// up to the writes made (16 writers at once, so some commits carry several).
fn the_commit_observer_sees_every_durable_write_once(b: &Backend) {
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(Vec::new()));
    let observer = {
        let seen = seen.clone();
        CommitObserver::new(move |batch| seen.lock().unwrap().push(*batch))
    };
    let store = b.open_with(StoreOptions {
        commit_observer: Some(observer),
        ..StoreOptions::default()
    });
    let expected = if b.schema.is_some() {
        BackendKind::Postgres
    } else {
        BackendKind::Json
    };
    std::thread::scope(|s| {
        for t in 0..16 {
            let store = store.clone();
            s.spawn(move || {
                for i in 0..10 {
                    store.set("obs", &format!("{t}:{i}"), json!(i)).unwrap();
                }
            });
        }
    });
    assert!(!store.delete("obs", "absent").unwrap());
    let seen = seen.lock().unwrap().clone();
    assert!(seen.iter().all(|c| c.backend == expected && c.writes > 0));
    // The JSON store writes no record for a delete that changes nothing; PostgreSQL commits
    // it (the database decides whether the key is there).
    let noop = usize::from(expected == BackendKind::Postgres);
    assert_eq!(
        seen.iter().map(|c| c.writes).sum::<usize>(),
        160 + noop,
        "{seen:?}"
    );
    assert!(seen.len() <= 160);
}

fn set_get_delete_list_and_reopen(b: &Backend) {
    let store = b.open();
    let v1 = store.set("economy", "bal:alice", json!(100)).unwrap();
    let v2 = store.set("economy", "bal:bob", json!(5)).unwrap();
    assert!(v2 > v1);
    store
        .set("economy", "cfg", json!({"currency": "coins"}))
        .unwrap();
    assert_eq!(
        store.get("economy", "bal:alice").unwrap().unwrap().value,
        json!(100)
    );
    assert_eq!(
        store.get("economy", "bal:alice").unwrap().unwrap().version,
        v1
    );
    let listed: Vec<String> = store
        .list("economy", "bal:")
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(listed, ["bal:alice", "bal:bob"]);
    assert!(store.delete("economy", "bal:bob").unwrap());
    assert!(!store.delete("economy", "bal:bob").unwrap());
    assert_eq!(store.get("economy", "bal:bob").unwrap(), None);
    assert_eq!(store.get("other", "x").unwrap(), None);
    drop(store);

    // A restart (JSON: journal replay, no compaction happened).
    let store = b.open();
    assert_eq!(
        store.get("economy", "bal:alice").unwrap().unwrap().version,
        v1
    );
    assert_eq!(store.get("economy", "bal:bob").unwrap(), None);
    assert_eq!(
        store.export_namespace("economy").unwrap(),
        json!({"bal:alice": 100, "cfg": {"currency": "coins"}})
    );
    // Versions keep increasing after a restart.
    assert!(store.set("economy", "bal:bob", json!(1)).unwrap() > v2);
    store.close().unwrap();

    let store = b.open();
    assert_eq!(
        store.export_namespace("economy").unwrap(),
        json!({"bal:alice": 100, "bal:bob": 1, "cfg": {"currency": "coins"}})
    );
    assert_eq!(store.namespaces(), ["economy"]);
}

fn transactions_check_versions_and_absence(b: &Backend) {
    let store = b.open();
    let va = store.set("eco", "a", json!(10)).unwrap();
    let txn = Transaction::new()
        .check("a", Some(va))
        .check("b", None)
        .set("a", json!(4))
        .set("b", json!(6));
    let CommitOutcome::Committed { version } = store.commit("eco", txn.clone()).unwrap() else {
        panic!()
    };
    assert_eq!(store.get("eco", "a").unwrap().unwrap().version, version);
    assert_eq!(store.get("eco", "b").unwrap().unwrap().version, version);
    // Replaying the same transaction conflicts and writes nothing.
    match store.commit("eco", txn).unwrap() {
        CommitOutcome::Conflict {
            key,
            expected,
            actual,
        } => {
            assert_eq!(
                (key.as_str(), expected, actual),
                ("a", Some(va), Some(version))
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(store.get("eco", "a").unwrap().unwrap().value, json!(4));
    // A failed check on absence names the key and its actual version.
    let absent = Transaction::new().check("b", None).set("c", json!(1));
    assert_eq!(
        store.commit("eco", absent).unwrap(),
        CommitOutcome::Conflict {
            key: "b".into(),
            expected: None,
            actual: Some(version)
        }
    );
    assert_eq!(store.get("eco", "c").unwrap(), None);
    // Delete and recreate never reuses a version (no ABA).
    store.delete("eco", "b").unwrap();
    let again = store.set("eco", "b", json!(6)).unwrap();
    assert!(again > version);
    // A check in another namespace does not see this namespace's keys.
    let other = Transaction::new().check("a", None).set("a", json!(1));
    assert!(matches!(
        store.commit("other", other).unwrap(),
        CommitOutcome::Committed { .. }
    ));
}

fn namespaces_are_validated(b: &Backend) {
    let store = b.open();
    for bad in [
        "",
        "../x",
        "a/b",
        "UPPER",
        ".hidden",
        "x y",
        &"a".repeat(65),
    ] {
        let err = store.set(bad, "k", json!(1)).unwrap_err();
        assert!(
            matches!(err.kind(), StoreErrorType::InvalidNamespace { .. }),
            "{bad}: {err}"
        );
        let err = store.get(bad, "k").unwrap_err();
        assert!(matches!(
            err.kind(),
            StoreErrorType::InvalidNamespace { .. }
        ));
    }
    store.set("ok_name-1.2", "k", json!(1)).unwrap();
}

fn concurrent_transfers_conserve_money(b: &Backend) {
    let store = b.open();
    for i in 0..4 {
        store
            .set("bank", &format!("acct:{i}"), json!(1000))
            .unwrap();
    }
    std::thread::scope(|s| {
        for t in 0..8 {
            let store = store.clone();
            s.spawn(move || {
                for n in 0..50 {
                    let (from, to) = (
                        format!("acct:{}", (t + n) % 4),
                        format!("acct:{}", (t + n + 1) % 4),
                    );
                    loop {
                        let a = store.get("bank", &from).unwrap().unwrap();
                        let b = store.get("bank", &to).unwrap().unwrap();
                        let txn = Transaction::new()
                            .check(&from, Some(a.version))
                            .check(&to, Some(b.version))
                            .set(&from, json!(a.value.as_i64().unwrap() - 7))
                            .set(&to, json!(b.value.as_i64().unwrap() + 7));
                        if let CommitOutcome::Committed { .. } = store.commit("bank", txn).unwrap()
                        {
                            break;
                        }
                    }
                }
            });
        }
    });
    let total = |store: &Store| -> i64 {
        store
            .list("bank", "acct:")
            .unwrap()
            .iter()
            .map(|(_, v)| v.value.as_i64().unwrap())
            .sum()
    };
    assert_eq!(total(&store), 4000);
    drop(store);
    assert_eq!(total(&b.open()), 4000);
}

/// Many writers race to create the same key (check absent, set): whatever group commits they
/// share, exactly one wins and every other one is told it conflicted.
fn one_of_many_concurrent_creators_wins(b: &Backend) {
    let store = b.open();
    for round in 0..10 {
        let key = format!("claim:{round}");
        let winners: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..16)
                .map(|t| {
                    let (store, key) = (store.clone(), key.clone());
                    s.spawn(move || {
                        let txn = Transaction::new()
                            .check(&key, None)
                            .set(&key, json!(t))
                            .set(format!("by:{t}:{round}"), json!(true));
                        match store.commit("locks", txn).unwrap() {
                            CommitOutcome::Committed { .. } => 1,
                            CommitOutcome::Conflict { actual, .. } => {
                                assert!(actual.is_some());
                                0
                            }
                        }
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(winners, 1, "round {round}");
        let winner = store.get("locks", &key).unwrap().unwrap().value;
        // Only the winner's other write landed.
        let landed = store.list("locks", "by:").unwrap();
        let this_round: Vec<_> = landed
            .iter()
            .filter(|(k, _)| k.ends_with(&format!(":{round}")))
            .collect();
        assert_eq!(this_round.len(), 1);
        assert_eq!(this_round[0].0, format!("by:{winner}:{round}"));
    }
}

fn lists_are_in_byte_order_and_prefixes_exact(b: &Backend) {
    let store = b.open();
    let keys = [
        "a",
        "a b",
        "a:1",
        "a:10",
        "a:2",
        "aa",
        "Z",
        "b",
        "é",
        "a\u{10FFFF}",
        "a:é",
        "_x",
    ];
    for (i, k) in keys.iter().enumerate() {
        store.set("order", k, json!(i)).unwrap();
    }
    let expected: BTreeMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    for prefix in ["", "a", "a:", "a:1", "é", "zz"] {
        let got: Vec<(String, serde_json::Value)> = store
            .list("order", prefix)
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k, v.value))
            .collect();
        let want: Vec<(String, serde_json::Value)> = expected
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, i)| ((*k).to_owned(), json!(i)))
            .collect();
        assert_eq!(got, want, "prefix {prefix:?}");
    }
}

fn a_transaction_applies_its_last_write_per_key(b: &Backend) {
    let store = b.open();
    store.set("t", "gone", json!(1)).unwrap();
    let txn = Transaction::new()
        .set("k", json!(1))
        .delete("k")
        .set("k", json!(3))
        .set("j", json!(1))
        .delete("j")
        .delete("gone");
    let CommitOutcome::Committed { version } = store.commit("t", txn).unwrap() else {
        panic!()
    };
    assert_eq!(store.get("t", "k").unwrap().unwrap().value, json!(3));
    assert_eq!(store.get("t", "k").unwrap().unwrap().version, version);
    assert_eq!(store.get("t", "j").unwrap(), None);
    assert_eq!(store.get("t", "gone").unwrap(), None);
    assert_eq!(store.export_namespace("t").unwrap(), json!({"k": 3}));
    assert_eq!(store.export_namespace("empty").unwrap(), json!({}));
}

fn a_closed_store_refuses_work(b: &Backend) {
    let store = b.open();
    store.set("c", "k", json!(1)).unwrap();
    let clone = store.clone();
    store.close().unwrap();
    let err = clone.set("c", "k", json!(2)).unwrap_err();
    assert!(matches!(err.kind(), StoreErrorType::Closed), "{err}");
    drop(clone);
    // And the data is there for the next one.
    assert_eq!(b.open().get("c", "k").unwrap().unwrap().value, json!(1));
}

/// JSON only: `close` folds the journal into pretty, hand-editable namespace files.
#[test]
fn close_leaves_pretty_namespace_files() {
    let tmp = tempfile::tempdir().unwrap();
    let store = open(tmp.path());
    store.set("economy", "bal:alice", json!(100)).unwrap();
    store.close().unwrap();
    let text = std::fs::read_to_string(tmp.path().join("economy.json")).unwrap();
    assert!(text.contains("\"bal:alice\": {"), "{text}");
    let store = open(tmp.path());
    assert_eq!(
        store.export_namespace("economy").unwrap(),
        json!({"bal:alice": 100})
    );
}

#[test]
fn write_file_durably_replaces_and_leaves_no_temp() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("host.toml");
    arsenal_store::write_file_durably(&path, b"one").unwrap();
    arsenal_store::write_file_durably(&path, b"two").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"two");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn leftover_temp_files_are_removed_at_open() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(".economy.json.123.0.tmp"), b"half").unwrap();
    let _store = open(tmp.path());
    assert!(!tmp.path().join(".economy.json.123.0.tmp").exists());
}

#[test]
fn auto_compaction_folds_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(
        tmp.path(),
        StoreOptions {
            compact_threshold_bytes: 4096,
            ..Default::default()
        },
    )
    .unwrap();
    for i in 0..400 {
        store.set("eco", &format!("k{}", i % 50), json!(i)).unwrap();
    }
    // The compactor runs in the background; wait for it to have written the file.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !tmp.path().join("eco.json").exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "no automatic compaction happened"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let segments_bytes: u64 = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().starts_with("journal-"))
        .map(|e| e.metadata().unwrap().len())
        .sum();
    assert!(
        segments_bytes < 40_000,
        "journal was not trimmed: {segments_bytes} bytes"
    );
    drop(store);
    let store = open(tmp.path());
    for i in 350..400 {
        assert_eq!(
            store
                .get("eco", &format!("k{}", i % 50))
                .unwrap()
                .unwrap()
                .value,
            json!(i)
        );
    }
}

/// Each store has a flusher thread that `drop` stops and joins; dropping right after `open`
/// (before that thread even started waiting) must not hang. A watchdog fails instead.
#[test]
fn dropping_a_store_right_after_open_never_hangs() {
    let tmp = tempfile::tempdir().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // Several at once, so the flusher threads start late on a busy CPU.
    for t in 0..4 {
        let (tx, dir) = (tx.clone(), tmp.path().join(format!("s{t}")));
        std::thread::spawn(move || {
            for _ in 0..300 {
                drop(open(&dir));
            }
            let _ = tx.send(());
        });
    }
    for _ in 0..4 {
        rx.recv_timeout(std::time::Duration::from_secs(60))
            .expect("a store drop hung (its flusher thread never stopped)");
    }
}
