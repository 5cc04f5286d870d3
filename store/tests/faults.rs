//! Injected write and fsync failures on real files: the error reaches the caller, nothing that
//! failed is acknowledged or visible, no file is damaged, and the store keeps working after.

// Test helpers unwrap freely: a failure there is a test failure (clippy.toml covers only #[test] fns).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use arsenal_store::{FaultInjector, Store, StoreErrorType, StoreOptions};
use serde_json::json;

fn open(dir: &Path, fault: &FaultInjector) -> Store {
    Store::open(
        dir,
        StoreOptions {
            auto_compact: false,
            fault_injector: fault.clone(),
            ..Default::default()
        },
    )
    .unwrap()
}

fn file_snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file() && e.file_name() != "LOCK")
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn short_write_enospc_is_reported_rolled_back_and_cut_from_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let fault = FaultInjector::new();
    let store = open(dir.path(), &fault);
    store.set("eco", "a", json!(1)).unwrap();
    let before = file_snapshot(dir.path());

    fault.fail_write(1, libc::ENOSPC, 25, false);
    let err = store.set("eco", "a", json!(2)).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ENOSPC), "{err}");
    assert!(matches!(err.kind(), StoreErrorType::Io { .. }));
    assert!(err.to_string().contains("not saved"), "{err}");
    // Not visible, and the 25 bytes that did reach the file were cut off again.
    assert_eq!(store.get("eco", "a").unwrap().unwrap().value, json!(1));
    assert_eq!(file_snapshot(dir.path()), before);

    // The disk has room again: writing continues and survives a restart.
    store.set("eco", "b", json!(3)).unwrap();
    drop(store);
    let store = open(dir.path(), &FaultInjector::new());
    assert_eq!(store.get("eco", "a").unwrap().unwrap().value, json!(1));
    assert_eq!(store.get("eco", "b").unwrap().unwrap().value, json!(3));
}

#[test]
fn fsync_eio_is_reported_and_nothing_is_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let fault = FaultInjector::new();
    let store = open(dir.path(), &fault);
    let v = store.set("eco", "a", json!(1)).unwrap();
    fault.fail_sync(1, libc::EIO, false);
    let txn = arsenal_store::Transaction::new()
        .check("a", Some(v))
        .set("a", json!(0))
        .set("b", json!(1));
    let err = store.commit("eco", txn).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EIO), "{err}");
    assert_eq!(
        store.get("eco", "a").unwrap().unwrap().version,
        v,
        "failed transaction left a trace"
    );
    assert_eq!(store.get("eco", "b").unwrap(), None);
    drop(store);
    let store = open(dir.path(), &FaultInjector::new());
    assert_eq!(store.get("eco", "a").unwrap().unwrap().value, json!(1));
    assert_eq!(store.get("eco", "b").unwrap(), None);
}

#[test]
fn a_disk_that_stays_broken_poisons_the_store_and_a_reopen_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let fault = FaultInjector::new();
    let store = open(dir.path(), &fault);
    store.set("eco", "a", json!(1)).unwrap();
    // Every fsync fails from now on, including the one after cutting the journal back.
    fault.fail_sync(1, libc::EIO, true);
    assert!(store.set("eco", "a", json!(2)).is_err());
    let err = store.set("eco", "a", json!(3)).unwrap_err();
    assert!(
        matches!(err.kind(), StoreErrorType::Poisoned { .. }),
        "{err}"
    );
    assert_eq!(store.get("eco", "a").unwrap().unwrap().value, json!(1));
    drop(store);
    let store = open(dir.path(), &FaultInjector::new());
    assert_eq!(store.get("eco", "a").unwrap().unwrap().value, json!(1));
}

#[test]
fn concurrent_writers_with_a_failure_lose_only_the_failed_writes() {
    let dir = tempfile::tempdir().unwrap();
    let fault = FaultInjector::new();
    let store = open(dir.path(), &fault);
    fault.fail_sync(40, libc::EIO, false);
    let acked: Vec<Vec<(String, i64)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let store = store.clone();
                s.spawn(move || {
                    let mut acked = Vec::new();
                    for i in 0..40 {
                        let key = format!("t{t}:{}", i % 5);
                        if store.set("eco", &key, json!(i)).is_ok() {
                            acked.retain(|(k, _): &(String, i64)| *k != key);
                            acked.push((key, i));
                        }
                    }
                    acked
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let check = |store: &Store| {
        for (key, value) in acked.iter().flatten() {
            assert_eq!(
                store.get("eco", key).unwrap().unwrap().value,
                json!(value),
                "{key}"
            );
        }
    };
    check(&store);
    drop(store);
    check(&open(dir.path(), &FaultInjector::new()));
}

#[test]
fn failed_compaction_leaves_the_namespace_file_and_the_data_intact() {
    let dir = tempfile::tempdir().unwrap();
    let fault = FaultInjector::new();
    let store = open(dir.path(), &fault);
    store.set("eco", "a", json!(1)).unwrap();
    store.compact_all().unwrap();
    let file = dir.path().join("eco.json");
    let before = fs::read(&file).unwrap();
    // Syncs of a compaction: 1 rotation (directory), 2 temp file, 3 directory after the rename.
    for (i, (op, n)) in [("write", 1), ("sync", 1), ("sync", 2), ("sync", 3)]
        .into_iter()
        .enumerate()
    {
        store.set("eco", "a", json!(i)).unwrap();
        match op {
            "write" => fault.fail_write(n, libc::ENOSPC, 10, false),
            _ => fault.fail_sync(n, libc::EIO, false),
        }
        let err = store.compact_all().unwrap_err();
        assert!(
            matches!(err.kind(), StoreErrorType::Io { .. }),
            "{op} {n}: {err}"
        );
        let errno = if op == "write" {
            libc::ENOSPC
        } else {
            libc::EIO
        };
        assert_eq!(err.raw_os_error(), Some(errno), "{op} {n}: {err}");
        fault.clear();
        let now = fs::read(&file).unwrap();
        // The file is either the old one or the complete new one, never partial.
        assert!(
            now == before || serde_json::from_slice::<serde_json::Value>(&now).is_ok(),
            "{op} {n}"
        );
        assert_eq!(store.get("eco", "a").unwrap().unwrap().value, json!(i));
    }
    store.set("eco", "a", json!(2)).unwrap();
    // A failure is not mistaken for a hand edit, and the next compaction succeeds.
    assert!(store
        .compact_all()
        .unwrap()
        .skipped_changed_on_disk
        .is_empty());
    drop(store);
    let store = open(dir.path(), &FaultInjector::new());
    assert_eq!(store.get("eco", "a").unwrap().unwrap().value, json!(2));
    // No temporary file is left behind either.
    assert!(fs::read_dir(dir.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".tmp")));
}
