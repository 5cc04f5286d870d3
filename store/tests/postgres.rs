//! What only the PostgreSQL backend has: its schema migrations, its answer when the server is
//! unreachable, a value the server refuses failing only its own writer, `check_postgres`, and
//! `store copy` between the two backends. (The API itself is tested on both in api.rs.)

// Test helpers unwrap freely: a failure there is a test failure (clippy.toml covers only #[test] fns).
#![allow(clippy::unwrap_used)]

#[macro_use]
mod common;

use arsenal_store::{
    check_postgres, copy, CommitOutcome, Store, StoreErrorType, StoreLocation, StoreOptions,
    TestSchema, Transaction,
};
use common::Backend;
use serde_json::json;

#[test]
fn the_schema_is_created_once_and_a_newer_one_refused() {
    let schema = TestSchema::create_or_explain();
    let report = check_postgres(schema.url()).unwrap();
    assert_eq!(report.schema_version, 0);
    assert!(!report.is_healthy(), "{report}");
    assert!(report.to_string().contains("no Arsenal tables"), "{report}");

    let store = Store::open_postgres(schema.url()).unwrap();
    store.set("ns", "k", json!(1)).unwrap();
    drop(store);
    // Opening again applies nothing and keeps the data.
    let store = Store::open_postgres(schema.url()).unwrap();
    assert_eq!(store.get("ns", "k").unwrap().unwrap().value, json!(1));
    drop(store);
    let report = check_postgres(schema.url()).unwrap();
    assert_eq!(report.schema_version, 3);
    assert_eq!((report.namespaces, report.keys), (1, 1));
    assert!(report.is_healthy(), "{report}");

    schema
        .execute("INSERT INTO arsenal_schema (version) VALUES (999)")
        .unwrap();
    let err = Store::open_postgres(schema.url()).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            StoreErrorType::SchemaTooNew {
                found: 999,
                known: 3
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("newer"), "{err}");
}

#[test]
fn check_names_rows_a_hand_edit_broke() {
    let schema = TestSchema::create_or_explain();
    let store = Store::open_postgres(schema.url()).unwrap();
    store.set("eco", "a", json!(1)).unwrap();
    store.set("eco", "b", json!(2)).unwrap();
    schema
        .execute(
            "UPDATE arsenal_kv SET version = 0 WHERE key = 'a'; \
             INSERT INTO arsenal_kv VALUES ('Bad Name', 'k', '1', 1)",
        )
        .unwrap();
    let report = check_postgres(schema.url()).unwrap();
    let text = report.to_string();
    assert_eq!(report.findings.len(), 2, "{text}");
    assert!(
        text.contains("\"eco\": 1 keys have a version outside"),
        "{text}"
    );
    assert!(text.contains("\"Bad Name\""), "{text}");
}

#[test]
fn an_unreachable_server_is_a_clear_error() {
    // Port 1: nothing listens there.
    let err = Store::open_postgres("postgres://postgres@127.0.0.1:1/test").unwrap_err();
    assert!(
        matches!(err.kind(), StoreErrorType::Database { .. }),
        "{err}"
    );
    let text = err.to_string();
    assert!(text.contains("could not connect to the server"), "{text}");
    assert!(text.contains("pg_isready"), "{text}");
    let err = Store::open_postgres("postgres://[bad").unwrap_err();
    assert!(err.to_string().contains("store URL"), "{err}");
}

/// PostgreSQL refuses a NUL character in `jsonb`; the JSON store does not. The writer of that
/// value gets the server's error, and the writers whose transactions shared its group commit
/// are committed anyway.
#[test]
fn a_value_the_server_refuses_fails_only_its_writer() {
    let b = Backend::postgres();
    let store = b.open();
    let results: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|t| {
                let store = store.clone();
                s.spawn(move || {
                    let value = if t == 7 {
                        json!("nul \u{0} inside")
                    } else {
                        json!(t)
                    };
                    store.set("mix", &format!("k{t:02}"), value).is_ok()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (t, ok) in results.iter().enumerate() {
        assert_eq!(*ok, t != 7, "writer {t}");
    }
    let keys: Vec<String> = store
        .list("mix", "")
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys.len(), 15);
    assert!(!keys.contains(&"k07".to_owned()));
}

/// The server drops every connection (a restart, a failover, an administrator): the store
/// connects again on its own. A write caught in the cut may fail (not acknowledged, so nothing
/// is lost); the next ones succeed, and nothing acknowledged before is missing.
#[test]
fn the_store_reconnects_after_the_server_drops_its_connections() {
    let schema = TestSchema::create_or_explain();
    let store = Store::open_postgres(schema.url()).unwrap();
    for i in 0..5 {
        store.set("ns", &format!("k{i}"), json!(i)).unwrap();
    }
    assert_eq!(store.list("ns", "").unwrap().len(), 5);
    // The store's write and read connections are there to be cut.
    schema
        .execute(&format!(
            "DO $$ BEGIN IF (SELECT count(*) FROM pg_stat_activity \
             WHERE application_name = '{}' AND pid <> pg_backend_pid()) < 2 \
             THEN RAISE EXCEPTION 'the store has no connections to cut'; END IF; END $$",
            schema.name()
        ))
        .unwrap();
    schema
        .execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE application_name = '{}' AND pid <> pg_backend_pid()",
            schema.name()
        ))
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let mut failures = 0;
    let written = loop {
        match store.set("ns", "after", json!("cut")) {
            Ok(version) => break version,
            Err(e) => {
                assert!(matches!(e.kind(), StoreErrorType::Database { .. }), "{e}");
                failures += 1;
                assert!(failures < 3, "the store did not reconnect: {e}");
            }
        }
    };
    let mut reads = 0;
    let listed = loop {
        match store.list("ns", "") {
            Ok(listed) => break listed,
            Err(e) => {
                reads += 1;
                assert!(reads < 3, "reads did not reconnect: {e}");
            }
        }
    };
    assert_eq!(listed.len(), 6);
    assert_eq!(store.get("ns", "after").unwrap().unwrap().version, written);
    let txn = Transaction::new()
        .check("after", Some(written))
        .delete("k0");
    assert!(matches!(
        store.commit("ns", txn).unwrap(),
        CommitOutcome::Committed { .. }
    ));
}

fn fill(store: &Store) {
    for i in 0..300 {
        store
            .set(
                &format!("plugin.m{}", i % 3),
                &format!("k{i}"),
                json!({"n": i, "s": "é\"x"}),
            )
            .unwrap();
    }
    let txn = Transaction::new().set("cfg", json!([1, 2, {"deep": null}]));
    assert!(matches!(
        store.commit("plugin.timers", txn).unwrap(),
        CommitOutcome::Committed { .. }
    ));
}

#[test]
fn store_copy_moves_json_to_postgres_and_back_and_verifies() {
    let json_dir = tempfile::tempdir().unwrap();
    let schema = TestSchema::create_or_explain();
    let from = StoreLocation::Dir(json_dir.path().to_path_buf());
    let pg = StoreLocation::Postgres(schema.url().to_owned());
    let original = Store::open(json_dir.path(), StoreOptions::default()).unwrap();
    fill(&original);
    // Namespaces with keys (the JSON store also lists a namespace whose keys were all deleted).
    let exported = |s: &Store| {
        s.namespaces()
            .into_iter()
            .map(|ns| (ns.clone(), s.export_namespace(&ns).unwrap()))
            .filter(|(_, v)| v.as_object().is_some_and(|o| !o.is_empty()))
            .collect::<Vec<_>>()
    };
    let before = exported(&original);
    original.close().unwrap();

    let report = copy(&from, &pg, false).unwrap();
    assert_eq!((report.namespaces, report.keys), (4, 301));
    let in_pg = Store::open_postgres(schema.url()).unwrap();
    assert!(exported(&in_pg) == before, "PostgreSQL differs");
    in_pg.close().unwrap();

    // A mistyped source folder is refused (opening it would create an empty store).
    let missing = StoreLocation::Dir(json_dir.path().join("nope"));
    let err = copy(&missing, &pg, true).unwrap_err();
    assert!(
        matches!(err.kind(), StoreErrorType::SourceMissing { .. }),
        "{err}"
    );
    assert!(!json_dir.path().join("nope").exists());

    // Back into a fresh folder.
    let back_dir = tempfile::tempdir().unwrap();
    let back = StoreLocation::Dir(back_dir.path().join("store"));
    copy(&pg, &back, false).unwrap();
    let store = Store::open_location(&back, StoreOptions::default()).unwrap();
    assert!(exported(&store) == before, "the copy back differs");
    store.set("plugin.extra", "x", json!(1)).unwrap();
    store.close().unwrap();

    // A non-empty target is refused, and left alone...
    let err = copy(&pg, &back, false).unwrap_err();
    assert!(
        matches!(err.kind(), StoreErrorType::TargetNotEmpty { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("--force"), "{err}");
    let store = Store::open_location(&back, StoreOptions::default()).unwrap();
    assert_eq!(
        store.get("plugin.extra", "x").unwrap().unwrap().value,
        json!(1)
    );
    store.close().unwrap();
    // ...unless forced: then it holds exactly the source.
    let report = copy(&pg, &back, true).unwrap();
    assert_eq!(report.removed, 1);
    let store = Store::open_location(&back, StoreOptions::default()).unwrap();
    assert!(exported(&store) == before, "the forced copy differs");
    assert_eq!(store.get("plugin.extra", "x").unwrap(), None);
}

/// Claims (a due timer delivered by one process of a fleet): one owner wins, the others see who
/// holds it; the same owner may claim again; an expired lease is taken over; a released claim is
/// free at once; a key deleted or changed since it was read cannot be claimed.
#[test]
fn a_claim_has_one_owner_until_its_lease_ends_or_it_is_released() {
    use arsenal_store::ClaimOutcome;
    use std::time::Duration;
    let schema = TestSchema::create_or_explain();
    let a = Store::open_postgres(schema.url()).unwrap();
    let b = Store::open_postgres(schema.url()).unwrap();
    let version = a.set("arsenal.timers", "m/k", json!({"at": 1})).unwrap();
    let long = Duration::from_secs(60);

    assert_eq!(
        a.claim("arsenal.timers", "m/k", version, "a", long)
            .unwrap(),
        ClaimOutcome::Claimed
    );
    match b
        .claim("arsenal.timers", "m/k", version, "b", long)
        .unwrap()
    {
        ClaimOutcome::Held { owner, for_ms } => {
            assert_eq!(owner, "a");
            assert!(for_ms > 50_000 && for_ms <= 60_000, "{for_ms}");
        }
        other => panic!("b claimed a held key: {other:?}"),
    }
    assert_eq!(
        a.claim("arsenal.timers", "m/k", version, "a", long)
            .unwrap(),
        ClaimOutcome::Claimed,
        "the owner may claim again"
    );
    // Released: free for another owner at once.
    a.release("arsenal.timers", "m/k", "a").unwrap();
    assert_eq!(
        b.claim(
            "arsenal.timers",
            "m/k",
            version,
            "b",
            Duration::from_millis(300)
        )
        .unwrap(),
        ClaimOutcome::Claimed
    );
    // b "dies": its lease ends and a takes over.
    assert!(matches!(
        a.claim("arsenal.timers", "m/k", version, "a", long)
            .unwrap(),
        ClaimOutcome::Held { .. }
    ));
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        a.claim("arsenal.timers", "m/k", version, "a", long)
            .unwrap(),
        ClaimOutcome::Claimed
    );
    // A release by someone else changes nothing.
    b.release("arsenal.timers", "m/k", "b").unwrap();
    assert!(matches!(
        b.claim("arsenal.timers", "m/k", version, "b", long)
            .unwrap(),
        ClaimOutcome::Held { .. }
    ));
    // Rescheduled (new version) or deleted: the old version is gone for everyone.
    a.release("arsenal.timers", "m/k", "a").unwrap();
    let newer = a.set("arsenal.timers", "m/k", json!({"at": 2})).unwrap();
    assert_eq!(
        b.claim("arsenal.timers", "m/k", version, "b", long)
            .unwrap(),
        ClaimOutcome::Gone
    );
    assert!(a.delete("arsenal.timers", "m/k").unwrap());
    assert_eq!(
        b.claim("arsenal.timers", "m/k", newer, "b", long).unwrap(),
        ClaimOutcome::Gone
    );
}

/// Many claimers racing for the same keys: each key is won exactly once.
#[test]
fn racing_claimers_win_each_key_once() {
    use arsenal_store::ClaimOutcome;
    use std::time::Duration;
    let schema = TestSchema::create_or_explain();
    let store = Store::open_postgres(schema.url()).unwrap();
    let keys: Vec<(String, u64)> = (0..20)
        .map(|i| {
            let key = format!("m/k{i}");
            let v = store.set("arsenal.timers", &key, json!(i)).unwrap();
            (key, v)
        })
        .collect();
    let stores: Vec<Store> = (0..4)
        .map(|_| Store::open_postgres(schema.url()).unwrap())
        .collect();
    let wins = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for (n, st) in stores.iter().enumerate() {
            let (keys, wins) = (&keys, &wins);
            s.spawn(move || {
                for (key, v) in keys {
                    let owner = format!("p{n}");
                    let got = st
                        .claim("arsenal.timers", key, *v, &owner, Duration::from_secs(60))
                        .unwrap();
                    if got == ClaimOutcome::Claimed {
                        wins.lock().unwrap().push(key.clone());
                    }
                }
            });
        }
    });
    let mut wins = wins.into_inner().unwrap();
    wins.sort();
    let mut expected: Vec<String> = keys.into_iter().map(|(k, _)| k).collect();
    expected.sort();
    assert_eq!(wins, expected);
}
