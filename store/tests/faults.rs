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

/// Every file's bytes, except that zeros at the end of a file are left out: the journal writer
/// preallocates space with zeros, and a failed write gives that space back.
fn file_snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file() && e.file_name() != "LOCK")
        .map(|e| {
            let mut bytes = fs::read(e.path()).unwrap();
            bytes.truncate(bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1));
            (e.file_name().to_string_lossy().into_owned(), bytes)
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

#[test]
fn a_failed_preallocation_does_not_fail_the_write() {
    let dir = tempfile::tempdir().unwrap();
    let fault = FaultInjector::new();
    let store = open(dir.path(), &fault);
    // The first frame of a new segment is written (write 1), then the space after it is
    // preallocated with zeros (write 2): a full disk there costs only the preallocation.
    fault.fail_write(2, libc::ENOSPC, 0, false);
    store.set("eco", "a", json!(1)).unwrap();
    assert_eq!(fault.counts().0, 2, "the preallocation was attempted");
    store.set("eco", "b", json!(2)).unwrap();
    drop(store);
    let store = open(dir.path(), &FaultInjector::new());
    assert_eq!(store.get("eco", "a").unwrap().unwrap().value, json!(1));
    assert_eq!(store.get("eco", "b").unwrap().unwrap().value, json!(2));
}

/// Many writers while writes and fsyncs keep failing: every call returns (a lost wake-up
/// would hang here, so a watchdog fails the test instead), every acknowledged write survives
/// a reopen, and the store keeps working once the disk recovers.
#[test]
fn many_writers_through_repeated_failures_all_return() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{mpsc, Arc};
    use std::time::{Duration, Instant};

    const WRITERS: usize = 16;
    const WRITES: usize = 400;
    let dir = tempfile::tempdir().unwrap();
    let fault = FaultInjector::new();
    let store = open(dir.path(), &fault);
    let finished = Arc::new(AtomicBool::new(false));
    let chaos = {
        let (fault, finished) = (fault.clone(), finished.clone());
        std::thread::spawn(move || {
            let mut round = 0u64;
            while !finished.load(Ordering::Relaxed) {
                // Alternate failed fsyncs and short writes, a few frames apart.
                match round % 3 {
                    0 => fault.fail_sync(1 + round % 4, libc::EIO, false),
                    1 => fault.fail_write(1 + round % 3, libc::ENOSPC, 7, false),
                    _ => fault.clear(),
                }
                round += 1;
                std::thread::sleep(Duration::from_millis(3));
            }
            fault.clear();
            round
        })
    };
    let (tx, rx) = mpsc::channel();
    for t in 0..WRITERS {
        let (store, tx) = (store.clone(), tx.clone());
        std::thread::spawn(move || {
            let mut acked = Vec::new();
            let mut failed = 0;
            for i in 0..WRITES {
                let key = format!("t{t}:{}", i % 7);
                match store.set("eco", &key, json!(i)) {
                    Ok(_) => {
                        acked.retain(|(k, _): &(String, usize)| *k != key);
                        acked.push((key, i));
                    }
                    Err(_) => failed += 1,
                }
            }
            let _ = tx.send((acked, failed));
        });
    }
    drop(tx);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut acked = Vec::new();
    let mut failed = 0;
    for _ in 0..WRITERS {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((a, f)) => {
                acked.extend(a);
                failed += f;
            }
            Err(_) => panic!("a writer never returned: lost wake-up"),
        }
    }
    finished.store(true, Ordering::Relaxed);
    let rounds = chaos.join().unwrap();
    assert!(failed > 0, "no write failed in {rounds} fault rounds");
    eprintln!(
        "{failed} failed writes, {} acknowledged keys, {rounds} fault rounds",
        acked.len()
    );
    assert!(!acked.is_empty());
    let check = |store: &Store| {
        for (key, value) in &acked {
            assert_eq!(
                store.get("eco", key).unwrap().unwrap().value,
                json!(value),
                "{key}"
            );
        }
    };
    check(&store);
    // (A failed fsync while cutting a failed frame back may have poisoned it: reopen.)
    drop(store);
    let store = open(dir.path(), &FaultInjector::new());
    check(&store);
    store.set("eco", "after", json!(1)).unwrap();
    drop(store);
    let store = open(dir.path(), &FaultInjector::new());
    check(&store);
    assert_eq!(store.get("eco", "after").unwrap().unwrap().value, json!(1));
}
