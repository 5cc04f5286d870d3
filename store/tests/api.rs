//! The basic API: get/set/delete/list/commit, versions, persistence across reopen, export.

// Test helpers unwrap freely: a failure there is a test failure (clippy.toml covers only #[test] fns).
#![allow(clippy::unwrap_used)]

use arsenal_store::{CommitOutcome, Store, StoreErrorType, StoreOptions, Transaction};
use serde_json::json;

fn open(dir: &std::path::Path) -> Store {
    Store::open(dir, StoreOptions::default()).unwrap()
}

#[test]
fn set_get_delete_list_and_reopen() {
    let tmp = tempfile::tempdir().unwrap();
    let store = open(tmp.path());
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

    // Journal replay (no compaction happened).
    let store = open(tmp.path());
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

    // After close the data is in the pretty JSON file and the journal is empty.
    let text = std::fs::read_to_string(tmp.path().join("economy.json")).unwrap();
    assert!(text.contains("\"bal:alice\": {"), "{text}");
    let store = open(tmp.path());
    assert_eq!(
        store.export_namespace("economy").unwrap(),
        json!({"bal:alice": 100, "bal:bob": 1, "cfg": {"currency": "coins"}})
    );
    assert_eq!(store.namespaces(), ["economy"]);
}

#[test]
fn transactions_check_versions_and_absence() {
    let tmp = tempfile::tempdir().unwrap();
    let store = open(tmp.path());
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
    // Delete and recreate never reuses a version (no ABA).
    store.delete("eco", "b").unwrap();
    let again = store.set("eco", "b", json!(6)).unwrap();
    assert!(again > version);
}

#[test]
fn namespaces_are_validated() {
    let tmp = tempfile::tempdir().unwrap();
    let store = open(tmp.path());
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
    }
    store.set("ok_name-1.2", "k", json!(1)).unwrap();
}

#[test]
fn concurrent_transfers_conserve_money() {
    let tmp = tempfile::tempdir().unwrap();
    let store = open(tmp.path());
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
    assert_eq!(total(&open(tmp.path())), 4000);
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
