//! Replacing the running process with a fresh copy of itself, without dropping a thing.
//!
//! abi_stable never unloads a library, so every reload leaves the replaced version's code
//! mapped. When a load would let that retired code pass `modules.retired_code_budget_mib`
//! (checked by the loader before it maps the copy: that load is not done here), or on demand
//! (`!module reexec`), the host hands over: it stops taking events (each shard closes resumably and saves its exact sequence and guild snapshot,
//! `discord::saved_session`), waits for the interactions being answered, drains every module's
//! queue, leaves the fleet, closes the store, and `execve`s `/proc/self/exe` with the same
//! arguments. The new process is a restart that resumes: it loads the modules, RESUMEs every
//! shard (no IDENTIFY spent; Discord replays what it sent meanwhile) and delivers the timers
//! that came due. Every descriptor the host opens is close-on-exec (Rust's default, and the
//! plugins' in-memory files), so the old mappings and the data folder's lock go with the old
//! image.

use std::{ffi::OsString, sync::Arc, time::Duration};

use tokio::sync::watch;

use crate::plugins::{code_budget::CodeBudget, PluginManager};

/// Why the host re-executes itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReexecReason {
    /// `!module reexec`.
    Command,
    /// Retired plugin code would pass the budget with the next reload.
    Budget {
        /// What the retired copies would cost with that reload (code and bookkeeping).
        retired: u64,
        /// The budget.
        budget: u64,
    },
}

impl std::fmt::Display for ReexecReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Command => f.write_str("asked by a command"),
            Self::Budget { retired, budget } => write!(
                f,
                "retired plugin code ({} MiB) would pass the budget ({} MiB) with the next reload",
                retired >> 20,
                budget >> 20
            ),
        }
    }
}

/// Where a re-exec is asked for (the command, the budget watch) and awaited (the run loop).
#[derive(Clone, Debug)]
pub struct ReexecTrigger {
    requested: Arc<watch::Sender<Option<ReexecReason>>>,
}

impl Default for ReexecTrigger {
    fn default() -> Self {
        Self {
            requested: Arc::new(watch::channel(None).0),
        }
    }
}

impl ReexecTrigger {
    /// Asks for a re-exec; the first reason asked wins.
    pub fn request(&self, reason: ReexecReason) {
        self.requested.send_if_modified(|current| {
            if current.is_some() {
                return false;
            }
            tracing::info!("re-executing in place: {reason}");
            *current = Some(reason);
            true
        });
    }

    /// Waits until a re-exec is asked for.
    pub async fn requested(&self) -> ReexecReason {
        let mut rx = self.requested.subscribe();
        loop {
            if let Some(reason) = rx.borrow_and_update().clone() {
                return reason;
            }
            if rx.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

/// Bounds the plugin code retired by reloads with `budget` bytes (0: never): the manager's
/// loader refuses a load that would pass it and asks `trigger` for the re-exec (the new process
/// loads the newest files), so the retired code never exceeds the budget
/// ([`CodeBudget`](crate::plugins::code_budget::CodeBudget)). The returned task measures the
/// retired code exactly after every module change, off the reload path, so that the loader's
/// estimate starts again from the truth.
pub fn watch_budget(
    manager: &PluginManager,
    budget: u64,
    trigger: ReexecTrigger,
) -> Option<tokio::task::JoinHandle<()>> {
    if budget == 0 {
        return None;
    }
    let code = Arc::new(CodeBudget::new(budget, move |retired| {
        trigger.request(ReexecReason::Budget { retired, budget });
    }));
    manager.set_code_budget(Arc::clone(&code));
    let mut changes = manager.subscribe();
    Some(tokio::spawn(async move {
        loop {
            match changes.recv().await {
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
            let code = Arc::clone(&code);
            let _ = tokio::task::spawn_blocking(move || code.measure()).await;
        }
    }))
}

/// What the new image needs that this process removed from its environment (modules run in
/// this process and must not read them there): the token and the store's URL. Passed to the
/// new image only, never set in this process's environment.
#[derive(Clone, Default)]
pub struct Handover {
    /// `(name, value)` pairs for the new image's environment.
    pub env: Vec<(OsString, OsString)>,
}

impl std::fmt::Debug for Handover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values are secrets.
        f.debug_struct("Handover")
            .field("env", &self.env.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .finish()
    }
}

/// Replaces this process with `/proc/self/exe` run with `args` (the original arguments, the
/// program name first) and `handover`'s environment added. Returns only on failure.
pub fn exec_self(args: &[OsString], handover: &Handover) -> std::io::Error {
    use std::os::unix::process::CommandExt as _;
    let mut command = std::process::Command::new("/proc/self/exe");
    if let Some(program) = args.first() {
        command.arg0(program);
    }
    command.args(args.iter().skip(1));
    for (name, value) in &handover.env {
        command.env(name, value);
    }
    command.exec()
}

/// How long a hand-over waits for the interactions being answered before closing anyway.
pub const ANSWERS_GRACE: Duration = Duration::from_secs(15);
