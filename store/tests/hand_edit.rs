//! Hand edits of namespace files are noticed (status, compaction), never overwritten, and taken
//! in by `reload_from_disk` (`!load_all`).

// Test helpers unwrap freely: a failure there is a test failure (clippy.toml covers only #[test] fns).
#![allow(clippy::unwrap_used)]

use std::fs;

use arsenal_store::{Health, Store, StoreOptions};
use serde_json::json;

fn options() -> StoreOptions {
    StoreOptions {
        auto_compact: false,
        ..Default::default()
    }
}

#[test]
fn hand_edit_is_detected_kept_and_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), options()).unwrap();
    let v_prefix = store.set("cfg", "prefix", json!("!")).unwrap();
    store.set("cfg", "mod_role", json!(1)).unwrap();
    store.set("other", "x", json!(1)).unwrap();
    store.compact_all().unwrap();
    assert!(store.status().iter().all(|s| s.health == Health::Ok));

    // An admin edits the file by hand: changes a value and adds a key without a version.
    let file = dir.path().join("cfg.json");
    let text = fs::read_to_string(&file).unwrap();
    let edited = text
        .replace("\"value\": \"!\"", "\"value\": \"?\"")
        .replace(
            "\"entries\": {",
            "\"entries\": {\n    \"welcome\": { \"value\": \"hi\" },",
        );
    assert_ne!(edited, text);
    fs::write(&file, &edited).unwrap();
    // Meanwhile the bot keeps writing to that namespace.
    store.set("cfg", "mod_role", json!(2)).unwrap();

    let status = store.status();
    let cfg = status.iter().find(|s| s.namespace == "cfg").unwrap();
    assert_eq!(cfg.health, Health::ChangedOnDisk);
    assert_eq!(
        status
            .iter()
            .find(|s| s.namespace == "other")
            .unwrap()
            .health,
        Health::Ok
    );

    let report = store.compact_all().unwrap();
    assert_eq!(report.skipped_changed_on_disk, ["cfg"]);
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        edited,
        "the hand edit was overwritten"
    );

    let reload = store.reload_from_disk().unwrap();
    let r = reload
        .namespaces
        .iter()
        .find(|r| r.namespace == "cfg")
        .unwrap();
    assert_eq!((r.changed, r.removed), (2, 0), "{reload:?}");
    let prefix = store.get("cfg", "prefix").unwrap().unwrap();
    assert_eq!(prefix.value, json!("?"));
    assert!(
        prefix.version > v_prefix,
        "a changed key must get a new version"
    );
    assert_eq!(
        store.get("cfg", "welcome").unwrap().unwrap().value,
        json!("hi")
    );
    // The write made after the edit is replayed on top of the edited file.
    assert_eq!(
        store.get("cfg", "mod_role").unwrap().unwrap().value,
        json!(2)
    );
    assert!(store.status().iter().all(|s| s.health == Health::Ok));

    // Now compaction writes the file again, and everything survives a restart.
    let report = store.compact_all().unwrap();
    assert!(report.skipped_changed_on_disk.is_empty());
    drop(store);
    let store = Store::open(dir.path(), options()).unwrap();
    assert_eq!(
        store.export_namespace("cfg").unwrap(),
        json!({"prefix": "?", "welcome": "hi", "mod_role": 2})
    );
    assert_eq!(store.get("cfg", "prefix").unwrap().unwrap(), prefix);
}

#[test]
fn invalid_hand_edit_is_refused_by_reload_and_state_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), options()).unwrap();
    store.set("cfg", "a", json!(1)).unwrap();
    store.compact_all().unwrap();
    fs::write(dir.path().join("cfg.json"), b"{ not json").unwrap();
    let err = store.reload_from_disk().unwrap_err();
    assert!(err.to_string().contains("cfg.json"), "{err}");
    assert_eq!(store.get("cfg", "a").unwrap().unwrap().value, json!(1));
    assert_eq!(store.status()[0].health, Health::ChangedOnDisk);
}

#[test]
fn status_reports_sizes_and_pending_records() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), options()).unwrap();
    store.set("eco", "a", json!(1)).unwrap();
    store.set("eco", "b", json!(2)).unwrap();
    let s = &store.status()[0];
    assert_eq!((s.keys, s.journal_records_pending, s.file_size), (2, 2, 0));
    assert!(s.journal_bytes > 0 && s.last_write.is_some());
    store.compact_all().unwrap();
    let s = &store.status()[0];
    assert_eq!(s.journal_records_pending, 0);
    assert!(s.file_size > 0 && s.last_compaction.is_some());
}
