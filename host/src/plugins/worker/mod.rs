//! One serial worker thread per plugin: the only thread that ever calls into the plugin.
//!
//! **Invariant:** calls, events and swaps for a plugin travel through one FIFO queue and are
//! handled one at a time, so a reload never loses, duplicates or reorders an event: everything
//! queued before the swap is handled by the old version, everything after by the new one.
//!
//! The queue is bounded (see `queue`): an event that finds it full is dropped for this module
//! only and counted, a call is refused as overloaded. A runner thread stuck in plugin code can be
//! *abandoned* ([`PluginWorker::abandon`]): it is leaked, never joined, and if its call ever
//! returns it leaves without touching the shared state or calling its instance again, while a
//! fresh runner serves the same queue.
//!
//! A swap also migrates the module's data when the new version declares a newer data version
//! (see `migrate`): inside the queue, so no event is handled between the migration and the
//! new version serving. The swap itself: `swap`. A module with a canary has two workers, and
//! servers move between them through a hand-over in both queues (`handover`).

mod handover;
mod migrate;
mod queue;
mod revert;
mod shared;
mod swap;

use std::{
    fmt,
    ops::ControlFlow,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    thread,
    time::{Duration, Instant},
};

use abi_stable::std_types::{RResult, RStr};
use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode, PluginBox},
    protocol::kind,
};
use tokio::sync::oneshot;

use super::{
    backup::Backups,
    host_api::{with_call_scope, CallScope, HostServices},
    loader::LoadedLibrary,
};
pub(crate) use handover::hand_over;
pub use migrate::DATA_VERSION_KEY;
use queue::{Refused, WorkQueue};
pub(crate) use revert::{CanaryTrial, RetireCanary, RevertWatch};
pub use revert::{RevertNotice, RevertPolicy};
use shared::Doing;
pub use shared::{WorkerShared, WorkerState};

/// Consecutive panics after which a plugin is quarantined until reloaded.
pub const QUARANTINE_AFTER: u32 = 3;

/// What the worker is busy with while it swaps versions (see [`WorkerShared::busy`]).
pub const SWAP: &str = "swap";

/// The answer to a call: the plugin's JSON or an error.
pub type CallResult = Result<String, AbiError>;

pub(crate) enum WorkItem {
    Call {
        kind: Arc<str>,
        payload: Arc<str>,
        /// The server the call acts for (a member's command, button or form), if any.
        scope: CallScope,
        reply: Option<oneshot::Sender<CallResult>>,
    },
    Swap {
        library: Box<LoadedLibrary>,
        reply: oneshot::Sender<Result<SwapOutcome, String>>,
        /// Revert to the version this swap replaces if the new one fails soon (see `revert`).
        revert: Option<RevertWatch>,
    },
    Stop {
        reply: oneshot::Sender<()>,
    },
    /// The other worker of the module takes this one's servers from here (see `handover`):
    /// reaching it means everything queued before has been served; `to` receives what this
    /// worker forwards instead of serving (an automatic canary rollback), and is then dropped.
    HandOver {
        to: handover::Forward,
    },
    /// Waits until the other worker (`giver`) passed its [`WorkItem::HandOver`], serving first
    /// what it forwards, so a server's items stay in order across versions; unless the giver is
    /// stuck in one call for `stall_after`.
    TakeOver {
        from: handover::Forwarded,
        giver: std::sync::Weak<WorkerShared>,
        stall_after: Duration,
    },
}

/// What a successful swap replaced.
#[derive(Debug, Clone)]
pub struct SwapOutcome {
    /// The version that was serving before, if any.
    pub old_version: Option<String>,
    /// Its file hash.
    pub old_hash: Option<String>,
    /// How long backing up the data took.
    pub backup: Duration,
    /// How long instantiating the new version took.
    pub instantiate: Duration,
}

/// The handle to a plugin's worker thread.
#[derive(Clone)]
pub struct PluginWorker {
    queue: Arc<Senders>,
    /// Shared state.
    pub shared: Arc<WorkerShared>,
    services: HostServices,
    backups: Backups,
}

impl fmt::Debug for PluginWorker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PluginWorker")
            .field("name", &self.shared.name)
            .field("queued", &self.queue.len())
            .finish_non_exhaustive()
    }
}

impl PluginWorker {
    /// Starts an empty worker for module `name` (it serves nothing until its first swap) whose
    /// queue holds at most `capacity` events and calls.
    pub(crate) fn spawn(
        name: &str,
        services: HostServices,
        backups: Backups,
        capacity: usize,
    ) -> std::io::Result<Self> {
        let shared = Arc::new(WorkerShared {
            name: Arc::from(name),
            state: Mutex::new(WorkerState::default()),
            events_handled: AtomicU64::new(0),
            events_skipped: AtomicU64::new(0),
            calls_failed: AtomicU64::new(0),
            events_dropped: AtomicU64::new(0),
            abandoned: AtomicU64::new(0),
            drop_log: Mutex::new((0, None)),
            busy: Mutex::new(None),
        });
        let worker = Self {
            queue: Arc::new(Senders(Arc::new(WorkQueue::new(capacity)))),
            shared,
            services,
            backups,
        };
        worker.start_runner(0)?;
        Ok(worker)
    }

    fn start_runner(&self, generation: u64) -> std::io::Result<()> {
        let mut runner = Runner {
            shared: Arc::clone(&self.shared),
            services: self.services.clone(),
            backups: self.backups.clone(),
            instance: None,
            revert: revert::Revert::default(),
            queue: Arc::clone(&self.queue.0),
            generation,
        };
        thread::Builder::new()
            .name(format!("plugin-{}", self.shared.name))
            .spawn(move || runner.run())?;
        Ok(())
    }

    /// Queues a call; fails when the queue is full (`true`) or the worker has stopped.
    pub(crate) fn try_send(&self, item: WorkItem) -> Result<(), (bool, AbiError)> {
        self.queue.try_push(item).map_err(|refused| match refused {
            Refused::Full => (true, AbiError::new(
                ErrorCode::Failed,
                format!(
                    "module {} is overloaded ({} requests are waiting for it); try again in a moment",
                    self.shared.name,
                    self.queue.capacity()
                ),
            )),
            Refused::Closed => (false, self.stopped()),
        })
    }

    /// Queues gateway event `kind` without waiting; when the queue is full the event is dropped
    /// for this module only, counted and (rate-limited) logged. Returns whether it was queued.
    pub(crate) fn dispatch(&self, kind: &Arc<str>, payload: &Arc<str>) -> bool {
        let item = WorkItem::Call {
            kind: Arc::clone(kind),
            payload: Arc::clone(payload),
            scope: CallScope::Host,
            reply: None,
        };
        match self.queue.try_push(item) {
            Ok(()) => true,
            Err(Refused::Full) => {
                self.shared.event_dropped(self.queue.len());
                false
            }
            Err(Refused::Closed) => false,
        }
    }

    /// Queues a swap or a stop: never refused for lack of room, so it is never lost behind a
    /// full queue; fails only if the worker has stopped.
    pub(crate) fn send_control(&self, item: WorkItem) -> Result<(), AbiError> {
        self.queue.push_control(item).map_err(|_| self.stopped())
    }

    fn stopped(&self) -> AbiError {
        AbiError::new(
            ErrorCode::Failed,
            format!("module {} has been stopped", self.shared.name),
        )
    }

    /// Items waiting in the queue.
    #[must_use]
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Abandons the runner thread, stuck in plugin code for at least `min` (or whatever it is
    /// doing, when `None`): it is leaked (never joined), and if its call ever returns it leaves
    /// without answering anything else or calling its instance again. With `respawn`, a fresh
    /// runner (serving no version until the next swap, which moves to the front of the queue)
    /// takes over the queue in order; without, the queue is closed and what waits in it is
    /// dropped (its callers are told the module stopped). Returns what the runner was stuck in
    /// and for how long, or `None` when it was not stuck after all (it just came back).
    ///
    /// # Errors
    ///
    /// When the fresh thread cannot be started (the queue is then closed).
    pub(crate) fn abandon(
        &self,
        min: Option<Duration>,
        respawn: bool,
    ) -> std::io::Result<Option<(String, Duration)>> {
        let mut generation = 0;
        let Some((kind, running)) = self
            .shared
            .abandon_if_stuck(min, || generation = self.queue.abandon())
        else {
            return Ok(None);
        };
        self.shared.abandoned.fetch_add(1, Ordering::Relaxed);
        tracing::error!(
            plugin = &*self.shared.name,
            call = kind,
            ?running,
            "abandoned the module's stuck worker thread (leaked, never joined; its instance is never called again)"
        );
        if !respawn {
            drop(self.queue.close());
        } else if let Err(e) = self.start_runner(generation) {
            drop(self.queue.close());
            return Err(e);
        }
        Ok(Some((kind, running)))
    }

    /// Closes the queue (after the runner stopped or was abandoned) and drops what waits in it.
    pub(crate) fn close(&self) {
        drop(self.queue.close());
    }
}

/// The host's side of the queue: when the last handle goes (the manager dropped without a
/// shutdown), the runner handles what is queued, retires the instance and ends.
struct Senders(Arc<WorkQueue>);

impl std::ops::Deref for Senders {
    type Target = WorkQueue;

    fn deref(&self) -> &WorkQueue {
        &self.0
    }
}

impl Drop for Senders {
    fn drop(&mut self) {
        self.0.disconnect();
    }
}

struct Runner {
    shared: Arc<WorkerShared>,
    services: HostServices,
    backups: Backups,
    instance: Option<PluginBox>,
    /// The serving library, and the previous one while a reload may still be reverted.
    revert: revert::Revert,
    queue: Arc<WorkQueue>,
    /// This runner's generation (see `queue`): it serves only while it is the current one.
    generation: u64,
}

impl Runner {
    fn run(&mut self) {
        while let Some(item) = self.queue.pop(self.generation) {
            if self.handle(item).is_break() {
                return;
            }
        }
        if self.queue.is_current(self.generation) {
            self.retire();
        } else {
            self.leave_abandoned();
        }
    }

    /// Serves one item; `Break` when the worker has stopped.
    fn handle(&mut self, item: WorkItem) -> ControlFlow<()> {
        match item {
            WorkItem::Call {
                kind,
                payload,
                scope,
                reply,
            } => {
                // The caller gave up (timed out): no plugin code runs for nobody.
                if reply.as_ref().is_some_and(oneshot::Sender::is_closed) {
                    return ControlFlow::Continue(());
                }
                let result = with_call_scope(scope, || self.call(&kind, &payload));
                // An abandoned runner still owns this one call, so it answers it (once),
                // if anyone is still waiting; the loop then ends at `pop`.
                if let Some(reply) = reply {
                    let _ = reply.send(result);
                }
            }
            WorkItem::Swap {
                library,
                reply,
                revert,
            } => {
                let _ = reply.send(self.swap(*library, revert));
            }
            WorkItem::Stop { reply } => {
                self.shared
                    .set_busy(self.generation, Doing::Step(kind::UNLOAD));
                self.retire();
                self.shared.set_idle(self.generation);
                if self.current() {
                    drop(self.queue.close());
                    let _ = reply.send(());
                }
                return ControlFlow::Break(());
            }
            // Everything queued before it has been served: the other worker may go on.
            WorkItem::HandOver { to } => drop(to),
            WorkItem::TakeOver {
                from,
                giver,
                stall_after,
            } => self.take_over(&from, &giver, stall_after),
        }
        ControlFlow::Continue(())
    }

    /// This runner was abandoned while stuck and its call has now returned: the instance is
    /// never called again (not even `on_unload`) and never dropped (its destructor is plugin
    /// code too), so it is leaked with the thread's other state.
    fn leave_abandoned(&mut self) {
        if let Some(instance) = self.instance.take() {
            std::mem::forget(instance);
        }
        tracing::warn!(
            plugin = &*self.shared.name,
            "an abandoned worker thread's plugin call returned at last; the thread ends and its old instance is discarded"
        );
    }

    fn current(&self) -> bool {
        self.queue.is_current(self.generation)
    }

    fn call(&mut self, call_kind: &Arc<str>, payload: &str) -> CallResult {
        let call: &str = call_kind;
        let is_event = call.starts_with(kind::EVENT_PREFIX);
        let name = Arc::clone(&self.shared.name);
        let Some(instance) = self.instance.as_mut() else {
            return Err(AbiError::new(
                ErrorCode::Failed,
                format!("module {name} is not loaded; load it with `!module load {name}`"),
            ));
        };
        if let Some(reason) = self.shared.lock().quarantined.clone() {
            if is_event {
                self.shared.events_skipped.fetch_add(1, Ordering::Relaxed);
            }
            return Err(AbiError::new(ErrorCode::Failed, reason));
        }
        self.shared
            .set_busy(self.generation, Doing::Call(Arc::clone(call_kind)));
        let started = Instant::now();
        let result: RResult<_, AbiError> =
            instance.call(RStr::from_str(call), RStr::from_str(payload));
        crate::metrics::handler_finished(&name, call, started);
        self.shared.set_idle(self.generation);
        if !self.current() {
            // Abandoned while in the call: the module's counters and state are the fresh
            // runner's now.
            return result.into_result().map(|answer| answer.into_string());
        }
        match result.into_result() {
            Ok(answer) => {
                if is_event {
                    self.shared.events_handled.fetch_add(1, Ordering::Relaxed);
                }
                self.shared.update(|s| s.consecutive_panics = 0);
                Ok(answer.into_string())
            }
            // `Error::refused` in the SDK: an answer for the member ("you have no ticket
            // open"), not a failure of the module; it is neither counted nor logged as one.
            Err(error) if error.kind() == ErrorCode::Forbidden => {
                if is_event {
                    self.shared.events_handled.fetch_add(1, Ordering::Relaxed);
                }
                self.shared.update(|s| s.consecutive_panics = 0);
                Err(error)
            }
            Err(error) => {
                self.shared.calls_failed.fetch_add(1, Ordering::Relaxed);
                let panicked = error.kind() == ErrorCode::Panicked;
                let mut quarantined = false;
                self.shared.update(|s| {
                    s.last_error = Some(error.message.to_string());
                    if panicked {
                        s.consecutive_panics += 1;
                        if s.consecutive_panics >= QUARANTINE_AFTER {
                            s.quarantined = Some(format!(
                                "module {name} is quarantined after {} panics in a row (last: {}); fix it and reload it with `/reload module {name}`",
                                s.consecutive_panics, error.message
                            ));
                            quarantined = true;
                        }
                    }
                });
                if panicked {
                    tracing::error!(plugin = &*name, call, "plugin panicked: {}", error.message);
                    if let Some(due) = self.revert.panicked(&error.message, quarantined) {
                        self.revert_to(due);
                    } else if let Some(due) =
                        self.revert.canary_panicked(&error.message, quarantined)
                    {
                        self.roll_back_canary(due);
                    }
                } else {
                    tracing::warn!(
                        plugin = &*name,
                        call,
                        "plugin call failed: {}",
                        error.message
                    );
                }
                Err(error)
            }
        }
    }

    /// Tells the serving instance it is leaving, then drops it (its code stays mapped).
    fn retire(&mut self) {
        if let Some(mut old) = self.instance.take() {
            let result: RResult<_, AbiError> =
                old.call(RStr::from_str(kind::UNLOAD), RStr::from_str("null"));
            if let RResult::RErr(error) = result {
                tracing::warn!(
                    plugin = &*self.shared.name,
                    "on_unload failed: {}",
                    error.message
                );
            }
            if self.current() {
                drop(old);
            } else {
                // Abandoned during `on_unload`: its destructor is plugin code too.
                std::mem::forget(old);
            }
        }
    }
}
