//! Torn and corrupted files: a torn tail recovers a clean prefix at every byte offset; damage
//! in the middle is refused with the file and offset; `check` explains; `repair` fixes and
//! keeps a copy. Also the folder lock.

// Test helpers unwrap freely: a failure there is a test failure (clippy.toml covers only #[test] fns).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use arsenal_store::{check, repair, Finding, Store, StoreErrorType, StoreOptions};
use serde_json::{json, Value};

fn options() -> StoreOptions {
    StoreOptions {
        auto_compact: false,
        ..Default::default()
    }
}

fn segments(dir: &Path) -> Vec<PathBuf> {
    let mut s: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("journal-")
        })
        .collect();
    s.sort();
    s
}

fn state(store: &Store) -> Vec<(String, Value)> {
    store
        .list("ns", "")
        .unwrap()
        .into_iter()
        .map(|(k, v)| (k, v.value))
        .collect()
}

/// Length of a segment without the zeros the writer preallocates after the last frame (a
/// frame ends in a newline, never in a zero byte).
fn valid_len(segment: &Path) -> u64 {
    let bytes = fs::read(segment).unwrap();
    bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1) as u64
}

/// Writes `n` records one at a time (one frame each); returns the journal length after each
/// and the model state after each.
fn write_records(dir: &Path, n: usize) -> (Vec<u64>, Vec<Vec<(String, Value)>>) {
    let store = Store::open(dir, options()).unwrap();
    let mut ends = vec![valid_len(&segments(dir)[0])];
    let mut models = vec![state(&store)];
    for i in 0..n {
        if i % 4 == 3 {
            store.delete("ns", &format!("k{}", i - 1)).unwrap();
        } else {
            store
                .set(
                    "ns",
                    &format!("k{i}"),
                    json!({"i": i, "text": "x".repeat(i)}),
                )
                .unwrap();
        }
        ends.push(valid_len(&segments(dir)[0]));
        models.push(state(&store));
    }
    (ends, models)
}

#[test]
fn truncation_at_every_offset_of_the_last_records_recovers_a_clean_prefix() {
    let src = tempfile::tempdir().unwrap();
    let (ends, models) = write_records(src.path(), 12);
    let journal = fs::read(&segments(src.path())[0]).unwrap();
    let journal_name = segments(src.path())[0].file_name().unwrap().to_owned();
    assert!(
        journal.len() as u64 > *ends.last().unwrap(),
        "the writer preallocates space after the last frame"
    );
    let first = ends[ends.len() - 5]; // every byte of the last 4 records
    for cut in first..=*ends.last().unwrap() {
        // The file cut there (a crash while appending), and the bytes after the cut zeroed
        // but still there (a crash while overwriting preallocated space).
        let zero_tail = [
            &journal[..cut as usize],
            &vec![0u8; journal.len() - cut as usize],
        ]
        .concat();
        for (shape, bytes) in [
            ("cut", &journal[..cut as usize]),
            ("zeroed", &zero_tail[..]),
        ] {
            let dir = tempfile::tempdir().unwrap();
            fs::write(dir.path().join(&journal_name), bytes).unwrap();
            let complete = ends.iter().filter(|&&e| e <= cut).count() - 1;
            let store = Store::open(dir.path(), options())
                .unwrap_or_else(|e| panic!("{shape} at {cut}: {e}"));
            assert_eq!(state(&store), models[complete], "{shape} at {cut}");
            // The torn bytes are gone, and new writes land after the clean prefix.
            store.set("ns", "after", json!(1)).unwrap();
            drop(store);
            let store = Store::open(dir.path(), options()).unwrap();
            assert_eq!(
                state(&store).len(),
                models[complete].len() + 1,
                "{shape} at {cut}"
            );
            assert_eq!(
                store.get("ns", "after").unwrap().unwrap().value,
                json!(1),
                "{shape} at {cut}"
            );
        }
    }
}

#[test]
fn zero_filled_tail_is_preallocated_space_not_damage() {
    let dir = tempfile::tempdir().unwrap();
    let (ends, models) = write_records(dir.path(), 5);
    let seg = &segments(dir.path())[0];
    let mut bytes = fs::read(seg).unwrap();
    bytes.extend_from_slice(&[0u8; 512]);
    fs::write(seg, &bytes).unwrap();
    let report = check(dir.path()).unwrap();
    assert!(report.is_healthy(), "{report}");
    assert!(report.findings.is_empty(), "{report}");
    let store = Store::open(dir.path(), options()).unwrap();
    assert_eq!(&state(&store), models.last().unwrap());
    // The next frame overwrites the zeros right after the last one.
    store.set("ns", "after", json!(1)).unwrap();
    drop(store);
    let end = *ends.last().unwrap() as usize;
    let after = fs::read(seg).unwrap();
    assert_eq!(after[..end], bytes[..end]);
    assert_eq!(
        after[end], b'@',
        "the new frame starts where the last one ended"
    );
    let store = Store::open(dir.path(), options()).unwrap();
    assert_eq!(store.get("ns", "after").unwrap().unwrap().value, json!(1));
    assert_eq!(state(&store).len(), models.last().unwrap().len() + 1);
}

#[test]
fn garbage_in_the_middle_is_refused_then_repaired_with_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (ends, models) = write_records(dir.path(), 8);
    let seg = segments(dir.path())[0].clone();
    let original = fs::read(&seg).unwrap();
    let mut bytes = original.clone();
    let damaged_at = ends[3]; // the 4th record's frame
    bytes[damaged_at as usize + 30] ^= 0x55;
    fs::write(&seg, &bytes).unwrap();

    let err = Store::open(dir.path(), options()).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err.kind(), StoreErrorType::Corrupt { offset, .. } if *offset == damaged_at),
        "{msg}"
    );
    assert!(
        msg.contains(&seg.file_name().unwrap().to_string_lossy().to_string()),
        "{msg}"
    );
    assert!(msg.contains(&format!("offset {damaged_at}")), "{msg}");
    assert!(
        msg.contains("arsenal store check") && msg.contains("arsenal store repair"),
        "{msg}"
    );

    let report = check(dir.path()).unwrap();
    assert!(!report.is_healthy());
    assert!(
        report.to_string().contains("arsenal store repair"),
        "{report}"
    );
    assert!(
        matches!(&report.findings[..], [Finding::JournalDamaged { offset, .. }] if *offset == damaged_at)
    );

    let fixed = repair(dir.path()).unwrap();
    let backup = fixed.backup_dir.clone().unwrap();
    assert_eq!(
        fs::read(backup.join(seg.file_name().unwrap())).unwrap(),
        bytes,
        "the copy is the damaged original"
    );
    assert!(check(dir.path()).unwrap().is_healthy());
    let store = Store::open(dir.path(), options()).unwrap();
    // A clean prefix: everything before the damaged record.
    assert_eq!(state(&store), models[3], "{fixed}");
}

#[test]
fn invalid_namespace_json_is_refused_with_its_offset_and_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), options()).unwrap();
    store.set("ns", "a", json!(1)).unwrap();
    store.close().unwrap();
    let file = dir.path().join("ns.json");
    let text = fs::read_to_string(&file).unwrap();
    let broken = text.replacen("\"value\": 1", "\"value\": 1,,", 1);
    fs::write(&file, &broken).unwrap();
    let err = Store::open(dir.path(), options()).unwrap_err();
    let expected_offset = broken.find(",,").unwrap() as u64 + 1;
    match err.kind() {
        StoreErrorType::Corrupt { path, offset, .. } => {
            assert_eq!(path, &file);
            assert!(
                offset.abs_diff(expected_offset) <= 2,
                "offset {offset}, expected about {expected_offset}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("ns.json"), "{err}");
    let fixed = repair(dir.path()).unwrap();
    assert_eq!(
        fs::read_to_string(fixed.backup_dir.unwrap().join("ns.json")).unwrap(),
        broken
    );
    Store::open(dir.path(), options()).unwrap();
}

#[test]
fn second_open_of_a_folder_is_refused_naming_it_and_the_pid() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), options()).unwrap();
    let err = Store::open(dir.path(), options()).unwrap_err();
    match err.kind() {
        StoreErrorType::Locked { dir: d, pid } => {
            assert_eq!(d, dir.path());
            assert_eq!(*pid, Some(std::process::id()));
        }
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains(&dir.path().display().to_string())
            && msg.contains(&std::process::id().to_string()),
        "{msg}"
    );
    assert!(matches!(
        repair(dir.path()).unwrap_err().kind(),
        StoreErrorType::Locked { .. }
    ));
    drop(store);
    Store::open(dir.path(), options()).unwrap();
}
