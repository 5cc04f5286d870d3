//! Watches the plugins folder and hot-reloads a module when its `.so` changes.
//!
//! A file renamed into place or closed after writing is looked at at once; other events (a copy
//! in progress) are debounced per module. The file content is hashed, so one rebuilt file is loaded exactly once, whether it arrives by copy, `mv`, or a slow
//! writer; identical content (a `touch`, a re-copy) loads nothing. A new file loads a new module;
//! a deleted file leaves the running version in place and marks it. A half-written file may be
//! refused while incomplete (the running version keeps serving) and is loaded once complete.

use std::{
    collections::HashMap,
    path::PathBuf,
    time::{Duration, Instant},
};

use notify::{
    event::{AccessKind, AccessMode, ModifyKind, RenameMode},
    EventKind, RecommendedWatcher, RecursiveMode, Watcher,
};
use tokio::{sync::mpsc, task::JoinHandle};

use super::{manager::module_name_of, PluginManager, Trigger};

/// A running watcher; dropping it stops watching.
pub struct PluginWatcher {
    _watcher: RecommendedWatcher,
    task: JoinHandle<()>,
}

impl Drop for PluginWatcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts watching `manager`'s plugins folder. Must be called inside a tokio runtime.
///
/// # Errors
///
/// When the folder cannot be watched (missing, or inotify limits reached).
pub fn watch(manager: PluginManager, debounce: Duration) -> notify::Result<PluginWatcher> {
    let (sender, receiver) = mpsc::unbounded_channel::<(PathBuf, bool)>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        // `complete`: the writer is done with the file (renamed into place, or closed).
        let complete = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => true,
            EventKind::Access(_) => return,
            _ => false,
        };
        for path in event.paths {
            let _ = sender.send((path, complete));
        }
    })?;
    watcher.watch(manager.plugins_dir(), RecursiveMode::NonRecursive)?;
    let task = tokio::spawn(run(manager, receiver, debounce));
    Ok(PluginWatcher {
        _watcher: watcher,
        task,
    })
}

async fn run(
    manager: PluginManager,
    mut receiver: mpsc::UnboundedReceiver<(PathBuf, bool)>,
    debounce: Duration,
) {
    // Module name → when to look at its file.
    let mut pending: HashMap<String, Instant> = HashMap::new();
    // The last content hash acted on per module, so identical content is never loaded twice.
    let mut last_hash: HashMap<String, String> = HashMap::new();
    let tick = (debounce / 4).max(Duration::from_millis(5));
    loop {
        let next = if pending.is_empty() {
            receiver.recv().await
        } else {
            tokio::time::timeout(tick, receiver.recv())
                .await
                .unwrap_or(Some((PathBuf::new(), false)))
        };
        let Some(first) = next else { return };
        // Take every event already queued too: one rename arrives as several events (`To`, then
        // `Both`), and each module is looked at once per batch, not once per event.
        let mut batch = vec![first];
        while let Ok(more) = receiver.try_recv() {
            batch.push(more);
        }
        for (path, complete) in batch {
            if let Some(name) = module_name_of(&path) {
                let due = if complete {
                    Instant::now()
                } else {
                    Instant::now() + debounce
                };
                pending.insert(name, due);
            }
        }
        let now = Instant::now();
        let quiet: Vec<String> = pending
            .iter()
            .filter(|(_, due)| **due <= now)
            .map(|(name, _)| name.clone())
            .collect();
        for name in quiet {
            pending.remove(&name);
            settle(&manager, &name, &mut last_hash).await;
        }
    }
}

async fn settle(manager: &PluginManager, name: &str, last_hash: &mut HashMap<String, String>) {
    let file = manager.plugins_dir().join(format!("{name}.so"));
    if !file.exists() {
        last_hash.remove(name);
        manager.mark_file_deleted(name);
        return;
    }
    // One blocking task stages the file, compares its hash with the serving build and the last
    // content acted on, and loads it only if it is new: the bytes hashed are the bytes loaded.
    let check = manager
        .reload_if_changed(name, last_hash.get(name).cloned(), Trigger::Watcher)
        .await;
    if let Some(hash) = check.hash {
        last_hash.insert(name.to_owned(), hash);
    }
    // No outcome: the content is the serving build's, or was acted on already. A file that is
    // unreadable or not (yet) a complete library is an outcome: refused, recorded in history.
    let Some(outcome) = check.outcome else { return };
    match outcome {
        Ok(report) => tracing::info!(
            plugin = name,
            "hot reload from the plugins folder: {} → {} in {:?}",
            report.old_version.as_deref().unwrap_or("(new)"),
            report.new_version,
            report.duration
        ),
        Err(error) => tracing::warn!(plugin = name, "hot reload refused: {error}"),
    }
}
