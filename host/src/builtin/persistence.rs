//! `!persistent_status`, `!save_all` and `!load_all` from the original bot, backed by the store.
//!
//! With the JSON store they keep the original meaning (files and journal). With PostgreSQL there
//! are no files: `!save_all` and `!load_all` say so plainly (every acknowledged write is already
//! committed; reads always see the tables) and `!persistent_status` shows the database's figures.
//!
//! Each runs its store work on tokio's blocking pool: compacting a namespace of a million keys
//! takes seconds of disk work, during which the async runtime must keep the gateway heartbeats
//! and every other command going.

use std::fmt::Write as _;

use arsenal_store::{BackendKind, Health, Store};

use super::ago;

/// `!persistent_status`: every namespace with its size, keys, last write and compaction,
/// pending journal records and health.
pub async fn persistent_status(store: &Store) -> String {
    let backend = store.backend();
    let store = store.clone();
    match off_runtime(move || store.try_status()).await {
        Err(e) => e,
        Ok(Err(e)) => format!("The store's status could not be read: {e}"),
        Ok(Ok(statuses)) if backend == BackendKind::Postgres => render_postgres_status(&statuses),
        Ok(Ok(statuses)) => render_status(&statuses),
    }
}

/// The database's address is left out: the control server's administrators see this too.
fn render_postgres_status(statuses: &[arsenal_store::NamespaceStatus]) -> String {
    let total: u64 = statuses.iter().map(|s| s.file_size).sum();
    let mut text = format!(
        "**Store** — PostgreSQL, {} namespaces, {} of values; every write is committed when acknowledged (no journal to fold)\n",
        statuses.len(),
        human_bytes(total)
    );
    if statuses.is_empty() {
        text.push_str("The store is empty: no module has saved anything yet.");
    }
    for status in statuses {
        let _ = writeln!(
            text,
            "`{}` — {} keys, {} of values, last write {}, ok",
            status.namespace,
            status.keys,
            human_bytes(status.file_size),
            ago(status.last_write),
        );
    }
    text
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
    if store.backend() == BackendKind::Postgres {
        return Ok("Nothing to save: the store is PostgreSQL, where every write is committed to the database before it is acknowledged. There is no journal to fold into files.".to_owned());
    }
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
    if store.backend() == BackendKind::Postgres {
        return Ok("Nothing to load: the store is PostgreSQL, and there are no files to re-read. Modules always read the database, so a change made there with SQL is seen at once (give a changed row a new version, see the README's store section).".to_owned());
    }
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

    #[tokio::test]
    async fn with_postgres_save_and_load_say_what_they_do() {
        let schema = arsenal_store::TestSchema::create_or_explain();
        let url = schema.url().to_owned();
        let store = tokio::task::spawn_blocking(move || Store::open_postgres(&url))
            .await
            .unwrap()
            .unwrap();
        assert!(persistent_status(&store).await.contains("empty"));
        let writer = store.clone();
        tokio::task::spawn_blocking(move || {
            writer.set("plugin.economy", "bal:1", json!(100)).unwrap();
            writer.set("plugin.economy", "bal:2", json!(5)).unwrap();
        })
        .await
        .unwrap();
        let status = persistent_status(&store).await;
        assert!(status.contains("PostgreSQL"), "{status}");
        assert!(status.contains("1 namespaces"), "{status}");
        assert!(status.contains("`plugin.economy` — 2 keys"), "{status}");
        assert!(!status.contains("journal records pending"), "{status}");
        let saved = save_all(&store).await.unwrap();
        assert!(saved.contains("Nothing to save"), "{saved}");
        assert!(saved.contains("PostgreSQL"), "{saved}");
        let loaded = load_all(&store).await.unwrap();
        assert!(loaded.contains("no files to re-read"), "{loaded}");
    }
}
