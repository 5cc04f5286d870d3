//! Requests between modules (`op::MODULE_ASK`): the host routes a module's question to another
//! module's worker and hands the answer back, so no module ever reads another's data.
//!
//! The asking module's worker thread blocks until the answer (at most half the call timeout,
//! so a module asking while it answers a member still has time to tell them): the
//! request is a [`WorkItem::Call`] of kind `request` in the asked module's own FIFO queue, so it
//! runs after what was queued before it, and a request queued while that module reloads is
//! answered by the new version. It carries the asker's [`CallScope`]: a request made while
//! answering a member of server A may only make the asked module act in server A.
//!
//! **Invariant:** no two workers ever wait on each other. Each worker serves one call at a
//! time, so A asking B while B waits on A (directly or through others), or A asking itself,
//! would hang both until the timeout; the host keeps the graph of who waits on whom and refuses
//! such a request at once ([`ModuleFailure::Cycle`]).

use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex, PoisonError, Weak},
    task::{Context, Poll, Wake, Waker},
    thread::Thread,
    time::{Duration, Instant},
};

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    protocol::{kind, ModuleAnswer, ModuleAsk, ModuleFailure, ModuleRequest},
};
use tokio::sync::oneshot;

use super::{
    dispatch::{human, Unrouted},
    Inner,
};
use crate::plugins::{
    host_api::CallScope,
    worker::{CallResult, WorkItem},
};

/// Routes requests between modules; one per manager, reached by every module's host handle.
pub struct ModuleRouter {
    manager: Weak<Inner>,
    /// Who waits on whom: one `(asker, asked)` edge per request in flight.
    waits: Mutex<Vec<(String, String)>>,
}

impl std::fmt::Debug for ModuleRouter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleRouter").finish_non_exhaustive()
    }
}

fn failed(failure: ModuleFailure, message: String) -> ModuleAnswer {
    ModuleAnswer::Failed { failure, message }
}

impl ModuleRouter {
    pub(super) fn new(manager: Weak<Inner>) -> Self {
        Self {
            manager,
            waits: Mutex::new(Vec::new()),
        }
    }

    /// Module `from`, running a call in `scope` on this thread, asks `ask.module`; blocks until
    /// the answer, a failure, or half the call timeout.
    pub(crate) fn ask(&self, from: &str, ask: ModuleAsk, scope: CallScope) -> ModuleAnswer {
        let (module, method) = (ask.module.as_str(), ask.method.as_str());
        let (callee_scope, guild_id) = match scoped(scope, &ask) {
            Ok(scoped) => scoped,
            Err(message) => return failed(ModuleFailure::OutOfScope, message),
        };
        let not_loaded = || {
            failed(
                ModuleFailure::NotLoaded,
                format!("module `{module}` is not loaded, so it could not answer `{method}`; an administrator can load it with `!module load {module}`"),
            )
        };
        let Some(manager) = self.manager.upgrade() else {
            return not_loaded();
        };
        // The version serving the request's server: a canary in its server.
        let Some(worker) = manager.routed(module, guild_id) else {
            return not_loaded();
        };
        // Half the call timeout: an asker answering a member can still tell them in time.
        let timeout = manager.config.call_timeout / 2;
        let answers = worker.shared.read(|s| {
            s.manifest
                .as_ref()
                .map(|m| m.answers.clone())
                .unwrap_or_default()
        });
        let _waiting = match self.wait_on(from, module) {
            Ok(waiting) => waiting,
            Err(path) => {
                return failed(
                    ModuleFailure::Cycle,
                    format!(
                        "module `{from}` cannot ask `{module}` for `{method}`: {path} would wait on each other for ever; a module must not ask a module that is waiting for it"
                    ),
                )
            }
        };
        if !answers.iter().any(|m| m == method) {
            let listed = if answers.is_empty() {
                "it answers no requests".to_owned()
            } else {
                format!("it answers {}", answers.join(", "))
            };
            return failed(
                ModuleFailure::UnknownMethod,
                format!("module `{module}` does not answer `{method}` ({listed})"),
            );
        }
        let request = ModuleRequest {
            from: from.to_owned(),
            method: ask.method.clone(),
            payload: ask.payload,
            guild_id,
        };
        let payload = match serde_json::to_string(&request) {
            Ok(payload) => payload,
            Err(e) => {
                return failed(
                    ModuleFailure::Invalid,
                    format!("the request did not serialize: {e}"),
                )
            }
        };
        let (reply, mut answer) = oneshot::channel();
        let sent = manager.send_routed(
            module,
            callee_scope,
            WorkItem::Call {
                kind: Arc::from(kind::REQUEST),
                payload: Arc::from(payload),
                scope: callee_scope,
                reply: Some(reply),
            },
        );
        drop(manager);
        let worker = match sent {
            Ok(worker) => worker,
            Err(Unrouted::NotLoaded) => return not_loaded(),
            Err(Unrouted::Refused(full, refused)) => {
                let failure = if full {
                    ModuleFailure::Overloaded
                } else {
                    ModuleFailure::NotLoaded
                };
                return failed(failure, refused.message.to_string());
            }
        };
        match wait(&mut answer, timeout) {
            Some(Ok(result)) => answered(module, method, result),
            Some(Err(_)) => failed(
                ModuleFailure::NotLoaded,
                format!("module `{module}` stopped before answering `{method}`"),
            ),
            // Dropping `answer` tells the worker nobody waits: a request not started never runs.
            None => failed(
                ModuleFailure::TimedOut,
                format!(
                    "module `{module}` did not answer `{method}` within {}{}",
                    human(timeout),
                    worker
                        .shared
                        .busy()
                        .map(|(doing, running)| format!(
                            " (it has been busy in `{doing}` for {:.1} s)",
                            running.as_secs_f64()
                        ))
                        .unwrap_or_default()
                ),
            ),
        }
    }

    /// Records that `from` waits on `to`, unless `to` already waits on `from` (directly or
    /// through others) or is `from`: then the cycle, as `a → b → a`.
    fn wait_on(&self, from: &str, to: &str) -> Result<Waiting<'_>, String> {
        let mut waits = self.waits.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(path) = path_between(&waits, to, from) {
            let mut cycle = vec![from.to_owned()];
            cycle.extend(path);
            return Err(cycle
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(" → "));
        }
        waits.push((from.to_owned(), to.to_owned()));
        Ok(Waiting {
            router: self,
            edge: (from.to_owned(), to.to_owned()),
        })
    }

    /// The requests in flight, as `(asker, asked)`.
    #[must_use]
    pub fn waiting(&self) -> Vec<(String, String)> {
        self.waits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl super::PluginManager {
    /// The requests between modules in flight, as `(asker, asked)`.
    #[must_use]
    pub fn modules_waiting(&self) -> Vec<(String, String)> {
        self.inner
            .services
            .modules
            .get()
            .map(ModuleRouter::waiting)
            .unwrap_or_default()
    }
}

/// One wait in the graph, removed when the request ends however it ends.
struct Waiting<'a> {
    router: &'a ModuleRouter,
    edge: (String, String),
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut waits = self
            .router
            .waits
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = waits.iter().position(|edge| *edge == self.edge) {
            waits.swap_remove(at);
        }
    }
}

/// The modules from `start` to `goal` following waits (`start` and `goal` included), if `start`
/// waits on `goal` at all; `[goal]` when they are the same module.
fn path_between(waits: &[(String, String)], start: &str, goal: &str) -> Option<Vec<String>> {
    let mut path = vec![start.to_owned()];
    let mut seen = vec![start.to_owned()];
    fn walk(
        waits: &[(String, String)],
        goal: &str,
        path: &mut Vec<String>,
        seen: &mut Vec<String>,
    ) -> bool {
        let Some(here) = path.last().cloned() else {
            return false;
        };
        if here == goal {
            return true;
        }
        for (_, next) in waits.iter().filter(|(asker, _)| *asker == here) {
            if seen.contains(next) {
                continue;
            }
            seen.push(next.clone());
            path.push(next.clone());
            if walk(waits, goal, path, seen) {
                return true;
            }
            path.pop();
        }
        false
    }
    walk(waits, goal, &mut path, &mut seen).then_some(path)
}

/// The asked module's scope and the server its request names, from the asker's scope and the
/// server the asker named; an error when the asker may not act there.
fn scoped(
    scope: CallScope,
    ask: &ModuleAsk,
) -> Result<
    (
        CallScope,
        Option<twilight_model::id::Id<twilight_model::id::marker::GuildMarker>>,
    ),
    String,
> {
    match (scope, ask.guild_id) {
        (CallScope::Host, None) => Ok((CallScope::Host, None)),
        (CallScope::Host, Some(guild)) => Ok((CallScope::Guild(guild), Some(guild))),
        (CallScope::Guild(own), None) => Ok((CallScope::Guild(own), Some(own))),
        (CallScope::Guild(own), Some(guild)) if guild == own => {
            Ok((CallScope::Guild(own), Some(own)))
        }
        (CallScope::Guild(own), Some(guild)) => Err(format!(
            "this request was made for a member of server {own}, so it cannot ask `{}` to act in server {guild}",
            ask.module
        )),
        (CallScope::DirectMessage, None) => Ok((CallScope::DirectMessage, None)),
        (CallScope::DirectMessage, Some(guild)) => Err(format!(
            "this request was made from a direct message, so it cannot ask `{}` to act in server {guild}",
            ask.module
        )),
    }
}

/// The asked module's answer (or error) as the asker receives it.
fn answered(module: &str, method: &str, result: CallResult) -> ModuleAnswer {
    match result {
        Ok(json) => match serde_json::from_str(&json) {
            Ok(value) => ModuleAnswer::Answered { value },
            Err(e) => failed(
                ModuleFailure::Failed,
                format!("module `{module}` answered `{method}` with malformed JSON: {e}"),
            ),
        },
        Err(error) => refusal_or_failure(module, method, &error),
    }
}

fn refusal_or_failure(module: &str, method: &str, error: &AbiError) -> ModuleAnswer {
    let message = error.message.as_str();
    let (failure, what) = match error.kind() {
        ErrorCode::Forbidden => {
            return ModuleAnswer::Refused {
                message: message.to_owned(),
            }
        }
        ErrorCode::Panicked => (ModuleFailure::Panicked, "panicked answering"),
        ErrorCode::Invalid => (ModuleFailure::Invalid, "could not read the request"),
        ErrorCode::Unsupported => (ModuleFailure::UnknownMethod, "does not answer"),
        _ => (ModuleFailure::Failed, "failed to answer"),
    };
    failed(
        failure,
        format!("module `{module}` {what} `{method}`: {message}"),
    )
}

/// Waits on this (plain, runtime-less) worker thread for `answer`, at most `limit`; `None` on
/// timeout.
fn wait<T>(
    answer: &mut oneshot::Receiver<T>,
    limit: Duration,
) -> Option<Result<T, oneshot::error::RecvError>> {
    struct Unpark(Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let deadline = Instant::now() + limit;
    loop {
        if let Poll::Ready(result) = Pin::new(&mut *answer).poll(&mut context) {
            return Some(result);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        std::thread::park_timeout(left);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn cycles_are_found_through_chains_and_others_are_not() {
        let waits = edges(&[("a", "b"), ("b", "c"), ("x", "y")]);
        // c asking a: a → b → c already waits, so c → a closes the circle.
        assert_eq!(
            path_between(&waits, "a", "c"),
            Some(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()])
        );
        assert_eq!(path_between(&waits, "a", "a"), Some(vec!["a".to_owned()]));
        assert_eq!(path_between(&waits, "c", "a"), None);
        assert_eq!(path_between(&waits, "y", "x"), None);
    }

    #[test]
    fn a_cycle_is_refused_and_a_finished_wait_is_forgotten() {
        let router = ModuleRouter::new(Weak::new());
        let first = router.wait_on("a", "b").expect("no cycle yet");
        let refused = router.wait_on("b", "a").err().expect("cycle");
        assert_eq!(refused, "`b` → `a` → `b`");
        assert_eq!(router.wait_on("a", "a").err().as_deref(), Some("`a` → `a`"));
        drop(first);
        assert!(router.waiting().is_empty());
        assert!(router.wait_on("b", "a").is_ok());
    }

    #[test]
    fn a_member_call_keeps_its_server_and_host_calls_take_the_one_named() {
        let g = |id| twilight_model::id::Id::new(id);
        let ask = |guild| ModuleAsk {
            module: "m".to_owned(),
            method: "x".to_owned(),
            payload: serde_json::Value::Null,
            guild_id: guild,
        };
        assert_eq!(
            scoped(CallScope::Guild(g(1)), &ask(None)),
            Ok((CallScope::Guild(g(1)), Some(g(1))))
        );
        assert!(scoped(CallScope::Guild(g(1)), &ask(Some(g(2))))
            .unwrap_err()
            .contains("cannot ask `m` to act in server 2"));
        assert!(scoped(CallScope::DirectMessage, &ask(Some(g(2)))).is_err());
        assert_eq!(
            scoped(CallScope::Host, &ask(Some(g(2)))),
            Ok((CallScope::Guild(g(2)), Some(g(2))))
        );
        assert_eq!(
            scoped(CallScope::Host, &ask(None)),
            Ok((CallScope::Host, None))
        );
    }

    #[test]
    fn waiting_ends_with_the_answer_or_the_limit() {
        let (sender, mut receiver) = oneshot::channel::<u32>();
        let answering = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            let _ = sender.send(7);
        });
        assert!(matches!(
            wait(&mut receiver, Duration::from_secs(5)),
            Some(Ok(7))
        ));
        answering.join().unwrap();
        let (_sender, mut receiver) = oneshot::channel::<u32>();
        let started = Instant::now();
        assert!(wait(&mut receiver, Duration::from_millis(50)).is_none());
        assert!(started.elapsed() >= Duration::from_millis(50));
    }
}
