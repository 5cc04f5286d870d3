//! Loading, reloading and unloading modules: validate off the worker, swap inside its queue.

use std::{
    sync::{Arc, PoisonError},
    time::{Duration, Instant},
};

use arsenal_plugin_api::{abi::AbiError, manifest::is_module_name};
use tokio::sync::oneshot;

use super::{
    stall::{watch, Waited},
    stop::stop_worker,
    Inner, PluginManager, ReloadError,
    ReloadErrorType::{self, Internal, NoFile, NotAModuleName, Reexecuting, Refused, Stalled},
    ReloadReport,
};
use crate::plugins::{
    history::{ReloadRecord, Trigger},
    loader::{LoadError, LoadedLibrary, StagedFile},
    worker::{PluginWorker, RevertWatch, SwapOutcome, WorkItem, SWAP},
};

impl PluginManager {
    /// Loads every module in the plugins folder; failures are reported, not fatal. At start
    /// ([`Trigger::Startup`]), the canaries that were running start again after them.
    pub async fn load_all(&self, trigger: Trigger) -> Vec<Result<ReloadReport, ReloadError>> {
        let mut results = Vec::new();
        for name in self.available() {
            results.push(self.reload(&name, trigger).await);
        }
        if trigger == Trigger::Startup {
            results.extend(self.restore_canaries().await);
        }
        results
    }

    /// Loads `name`, or reloads it if it is running. On failure the running version stays.
    ///
    /// # Errors
    ///
    /// A [`ReloadError`] with one readable line.
    pub async fn reload(&self, name: &str, trigger: Trigger) -> Result<ReloadReport, ReloadError> {
        self.reload_from(name, trigger, Source::File, &mut None)
            .await
            .and_then(|report| report.ok_or_else(|| unchanged_is_impossible(name)))
    }

    /// Like [`PluginManager::reload`], with the file already staged (read, checked, hashed) by
    /// the caller, who may have compared its hash first: exactly those bytes are loaded.
    ///
    /// # Errors
    ///
    /// As [`PluginManager::reload`].
    pub async fn reload_staged(
        &self,
        name: &str,
        staged: StagedFile,
        trigger: Trigger,
    ) -> Result<ReloadReport, ReloadError> {
        self.reload_from(name, trigger, Source::Staged(staged), &mut None)
            .await
            .and_then(|report| report.ok_or_else(|| unchanged_is_impossible(name)))
    }

    /// What the watcher does when module `name`'s file changed: stages the file and loads it,
    /// unless its content is the serving build's or `skip` (the last content the watcher acted
    /// on). Staging, comparing and opening run in one blocking task, so a changed file goes
    /// from the watcher to the module's worker with no extra hand-off.
    pub async fn reload_if_changed(
        &self,
        name: &str,
        skip: Option<String>,
        trigger: Trigger,
    ) -> FileCheck {
        let mut hash = None;
        let outcome = self
            .reload_from(name, trigger, Source::IfChanged { skip }, &mut hash)
            .await
            .transpose();
        FileCheck { hash, outcome }
    }

    /// Loads from `source`; `Ok(None)` when the source was [`Source::IfChanged`] and had not
    /// changed. `hash` receives the content hash of the file looked at, once it is known.
    async fn reload_from(
        &self,
        name: &str,
        trigger: Trigger,
        source: Source,
        hash: &mut Option<String>,
    ) -> Result<Option<ReloadReport>, ReloadError> {
        let started = Instant::now();
        let refuse = |kind: ReloadErrorType, message: String| ReloadError::new(name, kind, message);
        if !is_module_name(name) {
            return Err(refuse(
                NotAModuleName,
                format!(
                    "{name:?} is not a module name (module names are a-z, 0-9 and _, never paths)"
                ),
            ));
        }
        let file = self.inner.config.plugins_dir.join(format!("{name}.so"));
        if !file.is_file() {
            return Err(refuse(NoFile, format!(
                "no file {} for module {name}; build and install it with `cargo xtask build-plugins`",
                file.display()
            )));
        }
        let _serial = self.inner.reload_lock.lock().await;
        let (old_version, old_hash) = self
            .workers()
            .get(name)
            .map(|w| w.shared.version_and_hash())
            .unwrap_or_default();
        let mut record = ReloadRecord {
            at_unix_ms: 0,
            plugin: name.to_owned(),
            trigger,
            outcome: String::new(),
            old_version,
            new_version: None,
            old_hash,
            new_hash: None,
            duration_us: 0,
            error: None,
            guild: None,
        };
        let inner = Arc::clone(&self.inner);
        let (loader_name, loader_file) = (name.to_owned(), file.clone());
        // Staging, opening and queueing the swap on the module's worker all happen in this one
        // blocking task: the library goes from this thread to the worker's, with no hand-off
        // back to the async runtime in between.
        let (seen, queued) = tokio::task::spawn_blocking(move || {
            let (seen, loaded) = match source {
                Source::Staged(staged) => (
                    Some(staged.hash().to_owned()),
                    Some(inner.loader.open(staged, &loader_name)),
                ),
                Source::File => (None, Some(inner.loader.load(&loader_file, &loader_name))),
                Source::IfChanged { skip } => match inner.loader.stage(&loader_file) {
                    Err(error) => (None, Some(Err(error))),
                    Ok(staged) => {
                        let seen = staged.hash().to_owned();
                        let serving = inner.running_hash(&loader_name);
                        if serving.as_ref() == Some(&seen) || skip.as_ref() == Some(&seen) {
                            (Some(seen), None)
                        } else {
                            (Some(seen), Some(inner.loader.open(staged, &loader_name)))
                        }
                    }
                },
            };
            let load = started.elapsed();
            let queued = loaded.map(|loaded| match loaded {
                Ok(library) => queue_swap(&inner, &loader_name, library, load),
                Err(error) => Err(NotQueued::Refused(error)),
            });
            (seen, queued)
        })
        .await
        .map_err(|e| refuse(Internal, format!("loading {name} crashed: {e}")))?;
        *hash = seen;
        let Some(queued) = queued else {
            return Ok(None);
        };
        let Queued {
            worker,
            fresh,
            mut answer,
            sent,
            new_version,
            new_hash,
            load,
        } = match queued {
            Ok(queued) => queued,
            Err(NotQueued::Refused(error)) => {
                let kind = match error {
                    LoadError::OverBudget { .. } => Reexecuting,
                    _ => Refused,
                };
                return Err(self.fail(record, started, refuse(kind, error.to_string())));
            }
            Err(NotQueued::Canary(message)) => {
                return Err(self.fail(record, started, refuse(Refused, message)))
            }
            Err(NotQueued::NoThread(e)) => {
                return Err(refuse(
                    Internal,
                    format!("cannot start a worker thread for {name}: {e}"),
                ))
            }
        };
        record.new_version = Some(new_version.clone());
        record.new_hash = Some(new_hash.clone());
        let config = &self.inner.config;
        // The wait is bounded: a worker stuck for the stall threshold is abandoned, so the
        // reload lock is never held for a module that may never answer.
        let mut abandoned = false;
        let outcome = match sent {
            Err(e) => Err((Internal, e.message.into_string())),
            Ok(()) => loop {
                match watch(&worker, &mut answer, config.stall_after, None).await {
                    Waited::Answered(swapped) => break swapped.map_err(|m| (Refused, m)),
                    Waited::Stalled { call, .. } if call != SWAP => {
                        // The old version is stuck in a call: the new version serves from a
                        // fresh worker, starting with what waited in the queue.
                        let serving = worker.shared.version_and_hash();
                        match worker.abandon(Some(config.stall_after), true) {
                            Ok(None) => {} // It came back just now: keep waiting.
                            Ok(Some((call, running))) => {
                                abandoned = true;
                                self.record_abandoned(name, trigger, serving, &call, running);
                            }
                            Err(e) => {
                                abandoned = true;
                                break Err((
                                    Internal,
                                    format!("cannot start a fresh worker thread for {name}: {e}"),
                                ));
                            }
                        }
                    }
                    Waited::Stalled { .. } => {
                        let serving = worker.shared.version_and_hash();
                        let Ok(Some((call, running))) =
                            worker.abandon(Some(config.stall_after), false)
                        else {
                            continue; // The swap finished just now: its answer is coming.
                        };
                        abandoned = true;
                        self.record_abandoned(name, trigger, serving, &call, running);
                        break Err((
                            Stalled,
                            format!(
                                "{name} {new_version} did not finish starting within {:.1} s (stuck in its constructor or the old version's on_unload), so its worker was abandoned; fix it and load it again",
                                running.as_secs_f64()
                            ),
                        ));
                    }
                    Waited::Gone | Waited::TimedOut => {
                        break Err((
                            Internal,
                            format!("the worker of {name} stopped during the reload"),
                        ))
                    }
                }
            },
        };
        match outcome {
            Ok(swap) => {
                if fresh {
                    self.workers_mut().insert(name.to_owned(), worker);
                }
                self.inner
                    .retired
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(name);
                self.rebuild_subscriptions();
                let duration = started.elapsed();
                // Serving now: tell listeners before the history record is written.
                let _ = self.inner.changes.send(name.to_owned());
                record.outcome = if swap.old_version.is_some() {
                    "reloaded"
                } else {
                    "loaded"
                }
                .to_owned();
                record.duration_us = duration.as_micros() as u64;
                self.inner.history.append(record);
                tracing::info!(plugin = name, version = %new_version, hash = %new_hash, ?duration, "module serving");
                Ok(Some(ReloadReport {
                    name: name.to_owned(),
                    old_version: swap.old_version,
                    new_version,
                    new_hash,
                    duration,
                    load,
                    backup: swap.backup,
                    instantiate: swap.instantiate,
                }))
            }
            Err((kind, mut message)) => {
                if fresh {
                    let _ = stop_worker(&worker, config).await;
                } else if abandoned {
                    // The old instance went with the abandoned thread: nothing serves now.
                    if let Some(worker) = self.workers_mut().remove(name) {
                        worker.close();
                    }
                    self.rebuild_subscriptions();
                    let _ = self.inner.changes.send(name.to_owned());
                    message.push_str(&if kind == Stalled {
                        format!("; {name} is stopped until loaded again")
                    } else {
                        format!(
                            "; {name} is stopped (its old version was stuck and has been abandoned)"
                        )
                    });
                }
                Err(self.fail(record, started, refuse(kind, message)))
            }
        }
    }

    pub(super) fn fail(
        &self,
        mut record: ReloadRecord,
        started: Instant,
        error: ReloadError,
    ) -> ReloadError {
        record.outcome = "failed".to_owned();
        record.duration_us = started.elapsed().as_micros() as u64;
        record.error = Some(error.message.clone());
        self.inner.history.append(record);
        let serving = if self.workers().contains_key(&error.name) {
            "; the previous version keeps serving"
        } else {
            ""
        };
        tracing::error!(plugin = %error.name, "load refused: {}{serving}", error.message);
        error
    }

    /// Records in the history that module `name`'s worker (serving that version and hash),
    /// stuck in `call` for `running`, was abandoned.
    pub(super) fn record_abandoned(
        &self,
        name: &str,
        trigger: Trigger,
        (old_version, old_hash): (Option<String>, Option<String>),
        call: &str,
        running: std::time::Duration,
    ) {
        self.inner.history.append(ReloadRecord {
            at_unix_ms: 0,
            plugin: name.to_owned(),
            trigger,
            outcome: "abandoned".to_owned(),
            old_version,
            new_version: None,
            old_hash,
            new_hash: None,
            duration_us: running.as_micros() as u64,
            error: Some(format!(
                "its worker was stuck in `{call}` for {:.1} s; the thread was abandoned (leaked, never joined) and its instance is never called again",
                running.as_secs_f64()
            )),
            guild: None,
        });
    }
}

/// What a reload loads.
enum Source {
    /// The module's file in the plugins folder.
    File,
    /// A copy the caller already staged.
    Staged(StagedFile),
    /// The module's file, unless its content is the serving build's or `skip`.
    IfChanged { skip: Option<String> },
}

/// A loaded library whose swap was queued on its module's worker.
struct Queued {
    worker: PluginWorker,
    /// The worker was started for this load (the module was not loaded).
    fresh: bool,
    answer: oneshot::Receiver<Result<SwapOutcome, String>>,
    /// Whether the worker took the swap.
    sent: Result<(), AbiError>,
    new_version: String,
    new_hash: String,
    /// Request → library loaded and checked.
    load: Duration,
}

/// Why a load got no swap queued.
enum NotQueued {
    /// The library was refused.
    Refused(LoadError),
    /// No worker thread could be started for a module not loaded yet.
    NoThread(std::io::Error),
    /// It would migrate the data under the module's canary, which reads the older version.
    Canary(String),
}

/// Takes module `name`'s worker (starting one if it is not loaded) and queues the swap to
/// `library` on it; runs in the blocking task that loaded the library.
fn queue_swap(
    inner: &Inner,
    name: &str,
    library: LoadedLibrary,
    load: Duration,
) -> Result<Queued, NotQueued> {
    if let Some(canary) = inner
        .canaries
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(name)
    {
        // Old code never runs on newer data: the canary would.
        let (version, reads) = canary.worker.shared.read(|s| {
            s.manifest
                .as_ref()
                .map_or((String::new(), 0), |m| (m.version.clone(), m.data_version))
        });
        let declared = library.manifest.data_version;
        if declared > reads {
            return Err(NotQueued::Canary(format!(
                "{name} {} declares data version {declared}, and the canary {version} in server {} reads version {reads}: old code must not run on newer data, so promote or roll back the canary first",
                library.manifest.version, canary.guild
            )));
        }
    }
    let existing = inner
        .workers
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(name)
        .cloned();
    let (worker, fresh) = match existing {
        Some(worker) => (worker, false),
        None => {
            let worker = PluginWorker::spawn(
                name,
                inner.services.clone(),
                inner.backups.clone(),
                inner.config.queue_capacity,
            )
            .map_err(NotQueued::NoThread)?;
            (worker, true)
        }
    };
    let (new_version, new_hash) = (library.manifest.version.clone(), library.file_hash.clone());
    let (reply, answer) = oneshot::channel();
    let sent = worker.send_control(WorkItem::Swap {
        library: Box::new(library),
        reply,
        revert: Some(RevertWatch {
            policy: inner.config.revert,
            notices: inner.revert_notices.clone(),
            canary: None,
        }),
    });
    Ok(Queued {
        worker,
        fresh,
        answer,
        sent,
        new_version,
        new_hash,
        load,
    })
}

/// What [`PluginManager::reload_if_changed`] found.
#[derive(Debug)]
pub struct FileCheck {
    /// The content hash of the file, when it could be read and was a complete library.
    pub hash: Option<String>,
    /// `None` when the content had not changed; otherwise the reload's outcome.
    pub outcome: Option<Result<ReloadReport, ReloadError>>,
}

fn unchanged_is_impossible(name: &str) -> ReloadError {
    ReloadError::new(
        name,
        Internal,
        "internal error: a forced reload reported no change".to_owned(),
    )
}
