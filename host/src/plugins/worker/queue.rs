//! A worker's queue: bounded for gateway events and calls, always open to swaps and stops, and
//! handed from a stuck runner thread to a fresh one without losing or reordering what waits in it.
//!
//! Events and calls are refused when `capacity` items wait (the caller counts or reports it), so
//! a stuck or slow module never grows the host's memory. Swaps and stops skip that limit: the
//! manager sends at most one of each per module at a time (under its reload lock), so they add a
//! bounded few items, and a reload or unload is never lost behind a full queue.
//!
//! Each runner thread takes items under a *generation* number. Abandoning a stuck runner bumps
//! the generation: the stuck thread, if its call ever returns, finds it is no longer current and
//! leaves without taking another item, while a fresh runner serves the same queue in order.

use std::{
    collections::VecDeque,
    sync::{Condvar, Mutex, MutexGuard, PoisonError},
};

use super::WorkItem;

/// Why an item was not queued (it is dropped: a call's caller learns it from the error).
pub(crate) enum Refused {
    /// `capacity` items are already waiting.
    Full,
    /// The worker has stopped.
    Closed,
}

struct State {
    items: VecDeque<WorkItem>,
    /// The runner allowed to take items.
    generation: u64,
    closed: bool,
    /// Runners waiting in [`WorkQueue::pop`]: a push wakes one only then, because std's condvar
    /// makes a `futex` system call on every notify, waiter or not (measured: it tripled the
    /// cost of queueing a gateway event).
    sleepers: usize,
}

/// The FIFO queue between the host and one plugin's runner thread.
pub(crate) struct WorkQueue {
    state: Mutex<State>,
    ready: Condvar,
    capacity: usize,
}

impl WorkQueue {
    /// An empty queue holding at most `capacity` events and calls (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            state: Mutex::new(State {
                items: VecDeque::new(),
                generation: 0,
                closed: false,
                sleepers: 0,
            }),
            ready: Condvar::new(),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues an event or a call, unless the queue is full or closed.
    pub(crate) fn try_push(&self, item: WorkItem) -> Result<(), Refused> {
        let mut state = self.lock();
        if state.closed {
            return Err(Refused::Closed);
        }
        if state.items.len() >= self.capacity {
            return Err(Refused::Full);
        }
        state.items.push_back(item);
        self.wake_one(state);
        Ok(())
    }

    /// Wakes a waiting runner, if one waits (checked under the lock `state` holds, so a runner
    /// about to wait cannot miss the item).
    fn wake_one(&self, state: MutexGuard<'_, State>) {
        let waiting = state.sleepers > 0;
        drop(state);
        if waiting {
            self.ready.notify_one();
        }
    }

    /// Queues a swap or a stop at the back, whatever the length; fails only when closed.
    pub(crate) fn push_control(&self, item: WorkItem) -> Result<(), Refused> {
        let mut state = self.lock();
        if state.closed {
            return Err(Refused::Closed);
        }
        state.items.push_back(item);
        self.wake_one(state);
        Ok(())
    }

    /// Waits for the next item for runner `generation`. `None` when the queue is closed and
    /// empty, or when that runner has been abandoned (it must then leave).
    pub(crate) fn pop(&self, generation: u64) -> Option<WorkItem> {
        let mut state = self.lock();
        loop {
            if state.generation != generation {
                return None;
            }
            if let Some(item) = state.items.pop_front() {
                return Some(item);
            }
            if state.closed {
                return None;
            }
            state.sleepers += 1;
            state = self
                .ready
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.sleepers -= 1;
        }
    }

    /// Whether runner `generation` is the one serving the queue.
    pub(crate) fn is_current(&self, generation: u64) -> bool {
        self.lock().generation == generation
    }

    /// Abandons the runner serving now: it takes no more items. A waiting swap moves to the
    /// front, so the new version is what serves the items queued before it (the old instance is
    /// stuck in the abandoned thread). Returns the generation for the fresh runner.
    pub(crate) fn abandon(&self) -> u64 {
        let mut state = self.lock();
        state.generation += 1;
        if let Some(at) = state
            .items
            .iter()
            .position(|item| matches!(item, WorkItem::Swap { .. }))
        {
            if let Some(swap) = state.items.remove(at) {
                state.items.push_front(swap);
            }
        }
        let generation = state.generation;
        drop(state);
        self.ready.notify_all();
        generation
    }

    /// Accepts nothing more and returns what was still waiting (dropping a call's item answers
    /// its caller that the module stopped before answering).
    pub(crate) fn close(&self) -> Vec<WorkItem> {
        let mut state = self.lock();
        state.closed = true;
        let left = state.items.drain(..).collect();
        drop(state);
        self.ready.notify_all();
        left
    }

    /// Accepts nothing more; what waits is still handled, then the runner ends.
    pub(crate) fn disconnect(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    /// Items waiting.
    pub(crate) fn len(&self) -> usize {
        self.lock().items.len()
    }

    /// The most events and calls it holds.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tokio::sync::oneshot;

    use super::{Refused, WorkQueue};
    use crate::plugins::worker::WorkItem;

    fn event(n: usize) -> WorkItem {
        WorkItem::Call {
            kind: Arc::from("event:TEST"),
            payload: Arc::from(n.to_string()),
            scope: crate::plugins::host_api::CallScope::Host,
            reply: None,
        }
    }

    fn payload(item: &WorkItem) -> String {
        match item {
            WorkItem::Call { payload, .. } => payload.to_string(),
            WorkItem::Swap { .. } => "swap".to_owned(),
            WorkItem::Stop { .. } => "stop".to_owned(),
        }
    }

    #[test]
    fn events_stop_at_capacity_and_control_items_always_get_in() {
        let queue = WorkQueue::new(2);
        assert!(queue.try_push(event(0)).is_ok());
        assert!(queue.try_push(event(1)).is_ok());
        assert!(matches!(queue.try_push(event(2)), Err(Refused::Full)));
        let (reply, _done) = oneshot::channel();
        assert!(queue.push_control(WorkItem::Stop { reply }).is_ok());
        assert_eq!(queue.len(), 3);
        let order: Vec<String> = (0..3)
            .map(|_| payload(&queue.pop(0).expect("item")))
            .collect();
        assert_eq!(order, ["0", "1", "stop"]);
    }

    #[test]
    fn an_abandoned_runner_gets_nothing_more_and_the_fresh_one_gets_it_all_in_order() {
        let queue = WorkQueue::new(10);
        for n in 0..3 {
            assert!(queue.try_push(event(n)).is_ok());
        }
        assert_eq!(payload(&queue.pop(0).expect("item")), "0");
        let fresh = queue.abandon();
        assert!(!queue.is_current(0));
        assert!(queue.pop(0).is_none(), "the abandoned runner leaves");
        assert_eq!(payload(&queue.pop(fresh).expect("item")), "1");
        assert_eq!(payload(&queue.pop(fresh).expect("item")), "2");
        assert_eq!(queue.close().len(), 0);
        assert!(queue.pop(fresh).is_none(), "closed and empty");
        assert!(matches!(queue.try_push(event(3)), Err(Refused::Closed)));
    }
}
