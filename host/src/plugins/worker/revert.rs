//! Automatic revert after a bad reload: for a while after a reload, the worker keeps the
//! previous version's library (still mapped, so a revert reads no disk and validates nothing
//! again) and counts the new version's panics. When it panics [`RevertPolicy::after_failures`]
//! times within [`RevertPolicy::window`] of the swap (or gets quarantined for panicking in a row
//! first), the worker swaps the previous version back in, right there in the queue: the item
//! after the last failure is handled by the previous version, so nothing is lost or reordered.
//!
//! Only panics count: an error a module returns (a refused member, Discord saying no) is an
//! answer, not a sign the new build is broken. After the window the new version is considered
//! good and the previous one is forgotten.
//!
//! **Invariant:** old code never runs on newer data. If the new version migrated the module's
//! data to a data version the previous one cannot read, the module is quarantined instead.
//!
//! A canary (a second version serving one server, see `manager::canary`) is on trial until
//! promoted: at [`RevertPolicy::after_failures`] panics (or a quarantine) it is rolled back, its
//! server served again by the stable version (`handover`). Its data version is the stable one's
//! (the manager refuses a canary that would migrate), so this is always safe.
//!
//! The worker tells the manager through a [`Notices`] channel; the manager records the outcome in
//! the reload history, re-reads the subscriptions and logs it.

use std::{
    sync::{mpsc::Sender, Arc},
    time::{Duration, Instant},
};

use twilight_model::id::{marker::GuildMarker, Id};

use super::handover::Forward;
use crate::plugins::{host_api::plugin_namespace, loader::LoadedLibrary};

/// When the host reverts a reload (`[modules]` `revert_after_failures`, `revert_window_ms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevertPolicy {
    /// Panics of the new version that trigger a revert; 0 disables reverting.
    pub after_failures: u32,
    /// How long after a reload its panics count; zero disables reverting.
    pub window: Duration,
}

impl RevertPolicy {
    /// Never revert.
    pub const DISABLED: Self = Self {
        after_failures: 0,
        window: Duration::ZERO,
    };

    fn enabled(self) -> bool {
        self.after_failures > 0 && !self.window.is_zero()
    }
}

impl Default for RevertPolicy {
    /// 3 panics within 60 s.
    fn default() -> Self {
        Self {
            after_failures: 3,
            window: Duration::from_secs(60),
        }
    }
}

/// Where a worker reports what it did after a bad reload.
pub(crate) type Notices = Sender<RevertNotice>;

/// A worker reverted a module, or quarantined it because it could not.
#[derive(Debug, Clone)]
pub struct RevertNotice {
    /// Module name.
    pub plugin: String,
    /// The version that failed, and its file hash.
    pub failed: (String, String),
    /// The version it went back to (`None` when quarantined instead), and its file hash.
    pub restored: Option<(String, String)>,
    /// Why, in one readable line.
    pub reason: String,
    /// How long the swap back took.
    pub duration: Duration,
    /// The server of the canary that was rolled back (`failed` is its version; the stable
    /// version serves that server again), when this was a canary.
    pub canary: Option<Id<GuildMarker>>,
}

/// What the swap that may be reverted carries: the policy and where to report.
pub(crate) struct RevertWatch {
    pub(crate) policy: RevertPolicy,
    pub(crate) notices: Notices,
    /// The swap starts a canary: its panics roll it back instead of reverting.
    pub(crate) canary: Option<CanaryTrial>,
}

/// The manager's side of an automatic canary rollback: switches the canary's server back to the
/// stable version and returns where to forward what waits in the canary's queue, or `None`
/// when this worker is no longer the canary (promoted or rolled back meanwhile).
pub(crate) type RetireCanary = Arc<dyn Fn() -> Option<Forward> + Send + Sync>;

/// What a canary's swap carries.
pub(crate) struct CanaryTrial {
    /// The server it serves.
    pub(crate) guild: Id<GuildMarker>,
    pub(crate) retire: RetireCanary,
}

/// A canary's panics so far.
struct Trial {
    canary: CanaryTrial,
    policy: RevertPolicy,
    failures: u32,
    first: Option<String>,
}

/// A canary rollback to do now.
pub(super) struct CanaryDue {
    pub(super) guild: Id<GuildMarker>,
    pub(super) retire: RetireCanary,
    /// The canary's version and file hash.
    pub(super) failed: (String, String),
    /// "3 panics since it started: <first panic>".
    pub(super) reason: String,
}

/// A runner's memory of the serving library and, for a while after a reload, the previous one.
#[derive(Default)]
pub(super) struct Revert {
    /// The library the serving instance came from.
    serving: Option<LoadedLibrary>,
    previous: Option<Previous>,
    notices: Option<Notices>,
    /// When this worker is a canary on trial.
    trial: Option<Trial>,
}

/// The version a reload replaced, kept until the window closes.
struct Previous {
    library: LoadedLibrary,
    policy: RevertPolicy,
    until: Instant,
    failures: u32,
    first: Option<String>,
}

/// A revert to do now.
pub(super) struct Due {
    /// The previous version.
    pub(super) library: LoadedLibrary,
    /// The version that failed.
    pub(super) failed: (String, String),
    /// "3 panics within 60 s after the reload to 2.1.0: <first panic>".
    pub(super) reason: String,
}

impl Revert {
    /// `library` serves now, in place of whatever served before (kept for a revert when the
    /// swap came with an enabled policy).
    pub(super) fn swapped(&mut self, library: LoadedLibrary, watch: Option<RevertWatch>) {
        let old = self.serving.replace(library);
        self.previous = None;
        self.notices = None;
        self.trial = None;
        let watch = match watch {
            Some(RevertWatch {
                policy,
                notices,
                canary: Some(canary),
            }) => {
                if policy.enabled() {
                    self.trial = Some(Trial {
                        canary,
                        policy,
                        failures: 0,
                        first: None,
                    });
                    self.notices = Some(notices);
                }
                return;
            }
            watch => watch,
        };
        let (Some(old), Some(watch)) = (old, watch) else {
            return;
        };
        let same = self
            .serving
            .as_ref()
            .is_some_and(|new| new.file_hash == old.file_hash);
        if watch.policy.enabled() && !same {
            self.previous = Some(Previous {
                library: old,
                policy: watch.policy,
                until: Instant::now() + watch.policy.window,
                failures: 0,
                first: None,
            });
            self.notices = Some(watch.notices);
        }
    }

    /// The previous version was swapped back in: nothing is kept to revert to.
    pub(super) fn reverted(&mut self, library: LoadedLibrary) {
        self.serving = Some(library);
        self.previous = None;
    }

    /// Forgets the previous version (the failing one stays, quarantined).
    pub(super) fn give_up(&mut self) {
        self.previous = None;
    }

    /// Counts a panic of the serving version (`quarantined`: it was just quarantined for it);
    /// returns the revert to do when it is time.
    pub(super) fn panicked(&mut self, message: &str, quarantined: bool) -> Option<Due> {
        let previous = self.previous.as_mut()?;
        if Instant::now() > previous.until {
            // Past the window: the new version is good.
            self.previous = None;
            return None;
        }
        previous.failures += 1;
        previous.first.get_or_insert_with(|| message.to_owned());
        if previous.failures < previous.policy.after_failures && !quarantined {
            return None;
        }
        let previous = self.previous.take()?;
        let failed = self.serving.as_ref().map_or_else(
            || ("?".to_owned(), "?".to_owned()),
            |l| (l.manifest.version.clone(), l.file_hash.clone()),
        );
        let reason = format!(
            "{} panic{} within {} s after the reload to {}: {}",
            previous.failures,
            if previous.failures == 1 { "" } else { "s" },
            previous.policy.window.as_secs_f64(),
            failed.0,
            previous.first.as_deref().unwrap_or(message)
        );
        Some(Due {
            library: previous.library,
            failed,
            reason,
        })
    }

    /// Counts a panic of a canary on trial (`quarantined`: it was just quarantined for it);
    /// returns the rollback to do when it is time. Unlike a reload's window, a canary's trial
    /// lasts until it is promoted.
    pub(super) fn canary_panicked(
        &mut self,
        message: &str,
        quarantined: bool,
    ) -> Option<CanaryDue> {
        let trial = self.trial.as_mut()?;
        trial.failures += 1;
        trial.first.get_or_insert_with(|| message.to_owned());
        if trial.failures < trial.policy.after_failures && !quarantined {
            return None;
        }
        let trial = self.trial.take()?;
        let failed = self.serving.as_ref().map_or_else(
            || ("?".to_owned(), "?".to_owned()),
            |l| (l.manifest.version.clone(), l.file_hash.clone()),
        );
        let reason = format!(
            "{} panic{} since it started: {}",
            trial.failures,
            if trial.failures == 1 { "" } else { "s" },
            trial.first.as_deref().unwrap_or(message)
        );
        Some(CanaryDue {
            guild: trial.canary.guild,
            retire: trial.canary.retire,
            failed,
            reason,
        })
    }

    /// Tells the manager (if it listens).
    pub(super) fn notify(&self, notice: RevertNotice) {
        if let Some(notices) = &self.notices {
            let _ = notices.send(notice);
        }
    }
}

/// Why the previous version may not run on the data as it is now: the new version migrated it
/// to `stored`, newer than what `previous` reads. `None` when reverting is safe.
pub(super) fn newer_data(previous: &LoadedLibrary, stored: Option<u32>) -> Option<u32> {
    stored.filter(|&stored| stored > previous.manifest.data_version.max(1))
}

impl super::Runner {
    /// Swaps the previous version back in, like a reload does (its constructor runs, the
    /// failing version's `on_unload` too), or quarantines the module when the failing version
    /// migrated the data past what the previous one reads, or when the swap back fails.
    pub(super) fn revert_to(&mut self, due: Due) {
        let name = Arc::clone(&self.shared.name);
        let started = Instant::now();
        let (failed, reason) = (due.failed.clone(), due.reason.clone());
        let previous = due.library.manifest.version.clone();
        let stored = super::migrate::stored_version(&self.services.store, &plugin_namespace(&name));
        let refused = match stored {
            Err(e) => Some(e),
            Ok(stored) => newer_data(&due.library, stored).map(|stored| {
                format!(
                    "{} had migrated its data to version {stored} and {previous} reads version {}, and old code must not run on newer data",
                    failed.0,
                    due.library.manifest.data_version.max(1)
                )
            }),
        };
        let outcome = match refused {
            Some(why) => Err(why),
            None => self.swap_versions(&due.library).map(drop),
        };
        self.shared.set_idle(self.generation);
        if !self.current() {
            // Abandoned while swapping back: the fresh runner owns the state now.
            return;
        }
        let notice = match outcome {
            Ok(()) => {
                let text = format!("reverted from {} to {previous}: {reason}", failed.0);
                tracing::warn!(plugin = &*name, "{name} was {text}");
                self.shared.update(|s| s.reverted = Some(text));
                let restored = Some((previous, due.library.file_hash.clone()));
                self.revert.reverted(due.library);
                RevertNotice {
                    plugin: name.to_string(),
                    failed,
                    restored,
                    reason,
                    duration: started.elapsed(),
                    canary: None,
                }
            }
            Err(why) => {
                let text = format!(
                    "module {name} is quarantined: {} failed ({reason}) but was not reverted to {previous}: {why}; fix it and reload it with `/reload module {name}`, or restore the backup taken before the upgrade",
                    failed.0
                );
                tracing::error!(plugin = &*name, "{text}");
                self.shared.update(|s| s.quarantined = Some(text.clone()));
                self.revert.give_up();
                RevertNotice {
                    plugin: name.to_string(),
                    failed,
                    restored: None,
                    reason: text,
                    duration: started.elapsed(),
                    canary: None,
                }
            }
        };
        self.revert.notify(notice);
    }
}
