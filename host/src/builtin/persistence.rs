//! `!persistent_status`, `!save_all` and `!load_all` from the original bot, backed by the store.
//!
//! Each runs its store work on tokio's blocking pool: compacting a namespace of a million keys
//! takes seconds of disk work, during which the async runtime must keep the gateway heartbeats
//! and every other command going.

use std::fmt::Write as _;

use arsenal_store::{Health, Store};

use super::ago;

/// `!persistent_status`: every namespace with its size, keys, last write and compaction,
/// pending journal records and health.
pub async fn persistent_status(store: &Store) -> String {
    let store = store.clone();
    off_runtime(move || store.status())
        .await
        .map_or_else(|e| e, |statuses| render_status(&statuses))
}

fn render_status(statuses: &[arsenal_store::NamespaceStatus]) -> String {
    if statuses.is_empty() {
        return "The store is empty: no module has saved anything yet.".to_owned();
    }
    let journal = statuses.first().map_or(0, |s| s.journal_bytes);
    let mut text = format!(
        "**Store** — {} namespaces, journal {}\n",
        statuses.len(),
        human_bytes(journal)
    );
    for status in statuses {
        let health = match status.health {
            Health::Ok => "ok".to_owned(),
            Health::ChangedOnDisk => {
                "⚠ file changed on disk; it will not be overwritten — run `!load_all` to take the edit in".to_owned()
            }
            _ => "unknown".to_owned(),
        };
        let _ = writeln!(
            text,
            "`{}` — {} keys, file {}, last write {}, last compaction {}, {} journal records pending, {health}",
            status.namespace,
            status.keys,
            human_bytes(status.file_size),
            ago(status.last_write),
            ago(status.last_compaction),
            status.journal_records_pending,
        );
    }
    text
}

/// `!save_all`: folds the journal into every namespace file now.
///
/// # Errors
///
/// The store's error, as text to show.
pub async fn save_all(store: &Store) -> Result<String, String> {
    let store = store.clone();
    let report = off_runtime(move || store.compact_all())
        .await?
        .map_err(|e| format!("Saving failed: {e}"))?;
    let mut text = format!(
        "Saved: {} namespace files rewritten, {} journal records folded, {} journal segments removed.",
        report.written.len(),
        report.records_folded,
        report.segments_removed
    );
    if !report.skipped_changed_on_disk.is_empty() {
        let _ = write!(
            text,
            "\n⚠ Not overwritten because they were edited on disk: {}. Run `!load_all` to take the edits in.",
            report.skipped_changed_on_disk.join(", ")
        );
    }
    Ok(text)
}

/// `!load_all`: re-reads every namespace file (after a hand edit).
///
/// # Errors
///
/// The store's error (e.g. the edited file is not valid JSON), as text to show.
pub async fn load_all(store: &Store) -> Result<String, String> {
    let store = store.clone();
    let report = off_runtime(move || store.reload_from_disk())
        .await?
        .map_err(|e| format!("Loading failed, nothing was changed: {e}"))?;
    let changed: Vec<String> = report
        .namespaces
        .iter()
        .filter(|n| n.changed + n.removed > 0)
        .map(|n| {
            format!(
                "`{}` ({} changed, {} removed)",
                n.namespace, n.changed, n.removed
            )
        })
        .collect();
    Ok(if changed.is_empty() {
        format!(
            "Reloaded {} namespaces from disk; nothing had changed.",
            report.namespaces.len()
        )
    } else {
        format!("Reloaded from disk: {}.", changed.join(", "))
    })
}

/// Runs store work on the blocking pool; a panic in it becomes text to show.
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| format!("The store operation failed unexpectedly ({e}); see the host's log."))
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        0..=1023 => format!("{bytes} B"),
        1024..=1_048_575 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

#[cfg(test)]
mod tests {
    use arsenal_store::StoreOptions;
    use serde_json::json;

    use super::*;

    #[tokio::test]
    async fn status_save_and_load_after_a_hand_edit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
        assert!(persistent_status(&store).await.contains("empty"));

        store.set("plugin.economy", "bal:1", json!(100)).unwrap();
        store
            .set("plugin.tickets", "config", json!({"channel": "5"}))
            .unwrap();
        let status = persistent_status(&store).await;
        assert!(status.contains("2 namespaces"), "{status}");
        assert!(status.contains("`plugin.economy` — 1 keys"), "{status}");
        assert!(status.contains("1 journal records pending"), "{status}");

        let saved = save_all(&store).await.unwrap();
        assert!(saved.contains("2 namespace files rewritten"), "{saved}");
        assert!(persistent_status(&store)
            .await
            .contains("0 journal records pending"));

        // An administrator edits a file by hand: never overwritten, reported, then loaded.
        let file = dir.path().join("plugin.economy.json");
        let edited = std::fs::read_to_string(&file)
            .unwrap()
            .replace("100", "250");
        std::fs::write(&file, edited).unwrap();
        store
            .set("plugin.tickets", "config", json!({"channel": "6"}))
            .unwrap();
        assert!(persistent_status(&store)
            .await
            .contains("file changed on disk"));
        let saved = save_all(&store).await.unwrap();
        assert!(
            saved.contains("Not overwritten because they were edited on disk: plugin.economy"),
            "{saved}"
        );
        assert!(std::fs::read_to_string(&file).unwrap().contains("250"));

        let loaded = load_all(&store).await.unwrap();
        assert!(loaded.contains("`plugin.economy` (1 changed"), "{loaded}");
        assert_eq!(
            store.get("plugin.economy", "bal:1").unwrap().unwrap().value,
            json!(250)
        );
        assert!(!persistent_status(&store).await.contains("changed on disk"));
    }
}
