//! Swapping the serving version inside the queue: back up, migrate or refuse, instantiate the
//! new version, retire the old one; undo what was prepared when the new version fails to start.

use std::{
    sync::Arc,
    time::{Instant, SystemTime},
};

use arsenal_plugin_api::abi::{AbiError, ErrorCode, PluginBox};

use super::{
    migrate::{self, Prepared},
    shared::Doing,
    RevertWatch, Runner, SwapOutcome, SWAP,
};
use crate::plugins::{
    host_api::{host_handle, plugin_namespace},
    loader::LoadedLibrary,
};

impl Runner {
    /// Replaces the serving version; marked busy as [`SWAP`] while plugin code runs (the new
    /// constructor, the old version's `on_unload`), so a swap that hangs there is seen as
    /// stalled. The data backup before is host code: waiting for the disk is not a stall.
    pub(super) fn swap(
        &mut self,
        library: LoadedLibrary,
        revert: Option<RevertWatch>,
    ) -> Result<SwapOutcome, String> {
        let outcome = self.swap_versions(&library);
        self.shared.set_idle(self.generation);
        if outcome.is_ok() {
            self.revert.swapped(library, revert);
        }
        outcome
    }

    pub(super) fn swap_versions(&mut self, library: &LoadedLibrary) -> Result<SwapOutcome, String> {
        let name = Arc::clone(&self.shared.name);
        let (old_version, old_hash) = self.shared.version_and_hash();
        let backup_started = Instant::now();
        if self.instance.is_some() {
            let version = old_version.as_deref().unwrap_or("?");
            self.backups
                .save(&self.services.store, &plugin_namespace(&name), &name, version)
                .map_err(|e| format!("backing up the data of {name} failed, so the reload was not attempted: {e}"))?;
        }
        let backup = backup_started.elapsed();
        // Older data is migrated while the new version is created (see `migrate`); newer data
        // refuses it before any of its code runs.
        let ns = plugin_namespace(&name);
        let prepared = migrate::prepare(&self.services.store, &ns, &library.manifest)?;
        let mut host = host_handle(&name, self.services.clone());
        if let Prepared::Migrate(plan) = &prepared {
            if self.instance.is_none() {
                // Migrating at startup: back up the data first, as a reload does.
                let label = format!("data-v{}", plan.from);
                self.backups
                    .save(&self.services.store, &ns, &name, &label)
                    .map_err(|e| format!("backing up the data of {name} failed, so its migration was not attempted: {e}"))?;
            }
            host = plan.handle(host);
        }
        let started = Instant::now();
        // From here on plugin code runs (the new constructor, the old `on_unload`), which may
        // never return; the backup before only waits for the disk.
        self.shared.set_busy(self.generation, Doing::Step(SWAP));
        let created: Result<PluginBox, AbiError> = (library.module.instantiate())(host).into();
        let instantiate = started.elapsed();
        if !self.current() {
            // Abandoned while the new version started: the reload has failed already.
            if let Ok(instance) = created {
                std::mem::forget(instance);
            }
            // A stale thread never undoes a committed migration: a newer swap may have
            // written since, and migrated data with its new version number is consistent.
            warn_if_migrated(&name, &prepared);
            return Err(format!("{name} took too long to start and was abandoned"));
        }
        let version = &library.manifest.version;
        let new_instance = match created {
            Ok(instance) => instance,
            Err(e) => {
                let migration = migration_failure(&prepared);
                self.undo_prepared(&prepared, &ns);
                return Err(match (migration, e.kind()) {
                    (Some((from, to)), _) => format!(
                        "{name} {version} was refused: migrating its data from version {from} to {to} failed: {}; the old version keeps serving and its data is unchanged",
                        e.message
                    ),
                    (None, ErrorCode::Panicked) => {
                        format!("{name} {version} panicked while starting: {}", e.message)
                    }
                    (None, _) => format!("{name} {version} refused to start: {}", e.message),
                });
            }
        };
        if let Prepared::Migrate(plan) = &prepared {
            if !plan.progress().applied {
                // Its SDK never ran the migration: it must not serve on the older data.
                drop(new_instance);
                return Err(format!(
                    "{name} {version} declares data version {} but did not migrate the data at version {}; rebuild it with the current SDK",
                    plan.to, plan.from
                ));
            }
        }
        self.retire();
        if !self.current() {
            // Abandoned while the old version's `on_unload` ran.
            std::mem::forget(new_instance);
            // A stale thread never undoes a committed migration: a newer swap may have
            // written since, and migrated data with its new version number is consistent.
            warn_if_migrated(&name, &prepared);
            return Err(format!(
                "{name}'s old version took too long to stop and was abandoned"
            ));
        }
        self.instance = Some(new_instance);
        self.shared.update(|s| {
            s.manifest = Some(library.manifest.clone());
            s.file_hash = Some(library.file_hash.clone());
            s.file_size = library.file_size;
            s.loaded_since = Some(SystemTime::now());
            s.last_error = None;
            s.consecutive_panics = 0;
            s.quarantined = None;
            s.file_deleted = false;
            s.reverted = None;
        });
        Ok(SwapOutcome {
            old_version,
            old_hash,
            backup,
            instantiate,
        })
    }

    /// Undoes what [`migrate::prepare`] wrote for a version that then failed to start.
    fn undo_prepared(&self, prepared: &Prepared, ns: &str) {
        match prepared {
            Prepared::Nothing => {}
            Prepared::FreshRecord => migrate::undo_fresh_record(&self.services.store, ns),
            Prepared::Migrate(plan) => {
                if plan.progress().applied {
                    plan.undo();
                }
            }
        }
    }
}

/// The versions of a migration that was asked for but not committed: the failure was the
/// migration's (or its commit's), not the constructor's.
fn migration_failure(prepared: &Prepared) -> Option<(u32, u32)> {
    match prepared {
        Prepared::Migrate(plan) => {
            let progress = plan.progress();
            (progress.asked && !progress.applied).then_some((plan.from, plan.to))
        }
        _ => None,
    }
}

/// Logs that an abandoned swap had committed its migration, which stays.
fn warn_if_migrated(name: &str, prepared: &Prepared) {
    if let Prepared::Migrate(plan) = prepared {
        if plan.progress().applied {
            tracing::warn!(
                plugin = name,
                "the abandoned new version had migrated the data to version {}; it stays (versions older than that are refused on it)",
                plan.to
            );
        }
    }
}
