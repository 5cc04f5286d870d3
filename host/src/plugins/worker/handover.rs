//! Handing servers from one worker of a module to the other, for canaries (see
//! `manager::canary`): a canary starting takes its server from the stable worker, a promotion
//! gives every server to the canary's worker, a rollback gives the server back.
//!
//! **Invariant:** a server's items go to exactly one version at a time, in order. The manager
//! switches the routes and queues, under its routing lock, a [`WorkItem::HandOver`] on the
//! worker giving the servers up and a [`WorkItem::TakeOver`] on the one taking them: items
//! routed before the switch sit before the hand-over, items after it behind the take-over, and
//! the taking worker serves nothing past its take-over until the giving one has served
//! everything before its hand-over, however long that takes while it makes progress; it stops
//! waiting only when the giving worker is stuck in one call for the stall threshold, so a stuck
//! version never holds the other up for ever.
//!
//! An automatic rollback happens inside the canary's own worker, at a panic: it reroutes its
//! server (the take-over is queued on the stable worker), then forwards what still waits in its
//! own queue through the hand-over channel, which the stable worker serves before anything
//! routed to it after the switch. Nothing is lost or reordered, and nothing more runs on the
//! failing version.

use std::{
    sync::{Arc, Weak},
    time::{Duration, Instant},
};

use crossbeam_channel::RecvTimeoutError;

use super::{revert::CanaryDue, RevertNotice, Runner, WorkItem, WorkerShared};

/// How often a waiting take-over looks at whether the giving worker is stuck.
const POLL: Duration = Duration::from_millis(20);

/// Where a worker giving up servers forwards what it will not serve itself.
pub(crate) type Forward = crossbeam_channel::Sender<WorkItem>;
/// What the worker taking over receives from it.
pub(crate) type Forwarded = crossbeam_channel::Receiver<WorkItem>;

/// The two items of a hand-over from the worker whose state is `giver`: the first for that
/// worker, the second for the one taking its servers (which waits until the first is reached,
/// unless the giver is stuck in one call for `stall_after`).
pub(crate) fn hand_over(giver: &Arc<WorkerShared>, stall_after: Duration) -> (WorkItem, WorkItem) {
    let (to, from) = crossbeam_channel::unbounded();
    (
        WorkItem::HandOver { to },
        WorkItem::TakeOver {
            from,
            giver: Arc::downgrade(giver),
            stall_after,
        },
    )
}

impl Runner {
    /// Serves what the other worker forwards until it passed its hand-over (or got stuck).
    pub(super) fn take_over(
        &mut self,
        from: &Forwarded,
        giver: &Weak<WorkerShared>,
        stall_after: Duration,
    ) {
        loop {
            match from.recv_timeout(POLL) {
                Ok(item @ WorkItem::Call { .. }) => {
                    let _ = self.handle(item);
                }
                // Only calls and events are forwarded.
                Ok(_) => {}
                Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {
                    let stuck = giver
                        .upgrade()
                        .and_then(|giver| giver.busy())
                        .filter(|(_, running)| *running >= stall_after);
                    if let Some((call, running)) = stuck {
                        tracing::warn!(
                            plugin = &*self.shared.name,
                            call,
                            ?running,
                            "the other version of the module is stuck, so this one serves on without waiting for what was queued for it (served after newer items, if ever)"
                        );
                        return;
                    }
                }
            }
        }
    }

    /// Rolls this canary back after its panics: its server goes back to the stable version
    /// (through the manager's `retire`), and what waits in this queue is forwarded there, in
    /// order. The instance is retired and the thread ends.
    pub(super) fn roll_back_canary(&mut self, due: CanaryDue) {
        let started = Instant::now();
        let Some(forward) = (due.retire)() else {
            // Promoted or rolled back meanwhile: it is not a canary any more.
            return;
        };
        let name = std::sync::Arc::clone(&self.shared.name);
        // Nothing more is routed here (the manager switched the routes); serve out what waits
        // by forwarding it, then end.
        self.queue.disconnect();
        let mut stopped = None;
        while let Some(item) = self.queue.pop(self.generation) {
            match item {
                WorkItem::Call { .. } => {
                    // The stable worker gone too (shutting down): dropping the item tells its
                    // caller the module stopped.
                    let _ = forward.send(item);
                }
                WorkItem::Swap { reply, .. } => {
                    let _ = reply.send(Err(format!(
                        "the canary of {name} was rolled back before this load"
                    )));
                }
                WorkItem::Stop { reply } => stopped = Some(reply),
                WorkItem::HandOver { to } => drop(to),
                WorkItem::TakeOver { .. } => {}
            }
        }
        drop(forward);
        let text = format!(
            "canary {} rolled back in server {}: {}",
            due.failed.0, due.guild, due.reason
        );
        tracing::warn!(plugin = &*name, "{text}");
        self.shared.update(|s| s.quarantined = Some(text));
        self.retire();
        if let Some(reply) = stopped {
            let _ = reply.send(());
        }
        self.revert.notify(RevertNotice {
            plugin: name.to_string(),
            failed: due.failed,
            restored: None,
            reason: due.reason,
            duration: started.elapsed(),
            canary: Some(due.guild),
        });
    }
}
