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
//!
//! The items travel through a lock-free `crossbeam-channel` (what std's `mpsc` is built on): the
//! host's side never takes a lock, and a runner that finds the queue empty spins briefly before
//! it sleeps, so a steady stream of events costs no system call to wake it. The bound is an
//! atomic count beside the channel. Only the runner side takes a lock, `front`, which no sender
//! touches: it holds items that must be served before the channel's (what an abandoned runner
//! had taken but not started, and the swap moved ahead on abandonment) and lets one runner at a
//! time receive, which keeps the order when a fresh runner takes over.

use std::{
    collections::VecDeque,
    sync::{
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
        Mutex, MutexGuard, PoisonError,
    },
};

use crossbeam_channel::{Receiver, Sender};

use super::WorkItem;

/// Why an item was not queued (it is dropped: a call's caller learns it from the error).
pub(crate) enum Refused {
    /// `capacity` items are already waiting.
    Full,
    /// The worker has stopped.
    Closed,
}

/// What travels through the channel.
enum Entry {
    Item(WorkItem),
    /// Wakes a runner blocked in `recv` so that it looks at the flags again (not counted).
    Wake,
}

/// The FIFO queue between the host and one plugin's runner thread.
pub(crate) struct WorkQueue {
    sender: Sender<Entry>,
    receiver: Receiver<Entry>,
    /// Items waiting, in `front` and the channel (wake-ups not counted).
    len: AtomicUsize,
    capacity: usize,
    /// The runner allowed to take items.
    generation: AtomicU64,
    /// Accepts nothing more (what waits is still served, unless `discarded`).
    closed: AtomicBool,
    /// Serves nothing more: what waited was handed back by [`WorkQueue::close`].
    discarded: AtomicBool,
    /// Items served before the channel's; held by the runner while it receives.
    front: Mutex<VecDeque<WorkItem>>,
}

impl WorkQueue {
    /// An empty queue holding at most `capacity` events and calls (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        let (sender, receiver) = crossbeam_channel::unbounded();
        Self {
            sender,
            receiver,
            len: AtomicUsize::new(0),
            capacity: capacity.max(1),
            generation: AtomicU64::new(0),
            closed: AtomicBool::new(false),
            discarded: AtomicBool::new(false),
            front: Mutex::new(VecDeque::new()),
        }
    }

    fn front(&self) -> MutexGuard<'_, VecDeque<WorkItem>> {
        self.front.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues an event or a call, unless the queue is full or closed.
    pub(crate) fn try_push(&self, item: WorkItem) -> Result<(), Refused> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(Refused::Closed);
        }
        let capacity = self.capacity;
        self.len
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |len| {
                (len < capacity).then_some(len + 1)
            })
            .map_err(|_| Refused::Full)?;
        self.send(item);
        Ok(())
    }

    /// Queues a swap or a stop at the back, whatever the length; fails only when closed.
    pub(crate) fn push_control(&self, item: WorkItem) -> Result<(), Refused> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(Refused::Closed);
        }
        self.len.fetch_add(1, Ordering::AcqRel);
        self.send(item);
        Ok(())
    }

    /// Sends a counted item. If the queue was closed meanwhile, [`WorkQueue::close`] may have
    /// emptied it already: what came in after is dropped here (a call's caller is told the
    /// module stopped before answering), as if it had been waiting when the queue closed.
    fn send(&self, item: WorkItem) {
        // The queue owns a receiver, so the channel is never disconnected.
        let _ = self.sender.send(Entry::Item(item));
        if self.discarded.load(Ordering::SeqCst) {
            drop(self.close());
        }
    }

    /// Waits for the next item for runner `generation`. `None` when the queue is closed and
    /// empty, or when that runner has been abandoned (it must then leave).
    pub(crate) fn pop(&self, generation: u64) -> Option<WorkItem> {
        let mut front = self.front();
        loop {
            if !self.serves(generation) {
                return None;
            }
            if let Some(item) = front.pop_front() {
                self.len.fetch_sub(1, Ordering::AcqRel);
                return Some(item);
            }
            let entry = if self.closed.load(Ordering::SeqCst) {
                // Closed: serve what is left, then end (never wait for more).
                self.receiver.try_recv().ok()?
            } else {
                self.receiver.recv().ok()?
            };
            let Entry::Item(item) = entry else {
                continue;
            };
            if self.serves(generation) {
                self.len.fetch_sub(1, Ordering::AcqRel);
                return Some(item);
            }
            // Abandoned or discarded while waiting: the item goes back, first in line, to
            // whoever serves next (or to `close`).
            front.push_back(item);
        }
    }

    /// Whether runner `generation` may take items.
    fn serves(&self, generation: u64) -> bool {
        self.generation.load(Ordering::SeqCst) == generation
            && !self.discarded.load(Ordering::SeqCst)
    }

    /// Whether runner `generation` is the one serving the queue.
    pub(crate) fn is_current(&self, generation: u64) -> bool {
        self.generation.load(Ordering::SeqCst) == generation
    }

    /// Abandons the runner serving now: it takes no more items. A waiting swap moves to the
    /// front, so the new version is what serves the items queued before it (the old instance is
    /// stuck in the abandoned thread). Returns the generation for the fresh runner.
    pub(crate) fn abandon(&self) -> u64 {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let mut front = self.take_all();
        if let Some(at) = front
            .iter()
            .position(|item| matches!(item, WorkItem::Swap { .. }))
        {
            if let Some(swap) = front.remove(at) {
                front.push_front(swap);
            }
        }
        generation
    }

    /// Wakes a runner waiting in [`WorkQueue::pop`] (it sees the flags changed and leaves) and
    /// returns the runner side with every waiting item moved into `front`, in order.
    fn take_all(&self) -> MutexGuard<'_, VecDeque<WorkItem>> {
        let _ = self.sender.send(Entry::Wake);
        let mut front = self.front();
        while let Ok(entry) = self.receiver.try_recv() {
            if let Entry::Item(item) = entry {
                front.push_back(item);
            }
        }
        front
    }

    /// Accepts nothing more and returns what was still waiting (dropping a call's item answers
    /// its caller that the module stopped before answering).
    pub(crate) fn close(&self) -> Vec<WorkItem> {
        self.closed.store(true, Ordering::SeqCst);
        self.discarded.store(true, Ordering::SeqCst);
        let left: Vec<WorkItem> = self.take_all().drain(..).collect();
        self.len.fetch_sub(left.len(), Ordering::AcqRel);
        left
    }

    /// Accepts nothing more; what waits is still handled, then the runner ends.
    pub(crate) fn disconnect(&self) {
        self.closed.store(true, Ordering::SeqCst);
        let _ = self.sender.send(Entry::Wake);
    }

    /// Items waiting.
    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// The most events and calls it holds.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use std::{sync::Arc, thread, time::Duration};

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
            WorkItem::HandOver { .. } | WorkItem::TakeOver { .. } => "handover".to_owned(),
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
        assert!(matches!(queue.try_push(event(3)), Err(Refused::Full)));
        let order: Vec<String> = (0..3)
            .map(|_| payload(&queue.pop(0).expect("item")))
            .collect();
        assert_eq!(order, ["0", "1", "stop"]);
        assert_eq!(queue.len(), 0);
        assert!(queue.try_push(event(4)).is_ok(), "room again once taken");
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
        assert!(queue.try_push(event(3)).is_ok());
        assert_eq!(queue.len(), 3);
        for n in 1..4 {
            assert_eq!(payload(&queue.pop(fresh).expect("item")), n.to_string());
        }
        assert_eq!(queue.close().len(), 0);
        assert!(queue.pop(fresh).is_none(), "closed and empty");
        assert!(matches!(queue.try_push(event(3)), Err(Refused::Closed)));
    }

    #[test]
    fn a_runner_waiting_on_an_empty_queue_wakes_for_abandonment_and_for_close() {
        let queue = Arc::new(WorkQueue::new(10));
        let waiting = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.pop(0).map(|item| payload(&item)))
        };
        thread::sleep(Duration::from_millis(50));
        let fresh = queue.abandon();
        assert_eq!(waiting.join().expect("runner"), None, "the old runner left");

        let waiting = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.pop(fresh).map(|item| payload(&item)))
        };
        thread::sleep(Duration::from_millis(50));
        assert!(queue.try_push(event(7)).is_ok());
        assert_eq!(waiting.join().expect("runner").as_deref(), Some("7"));

        let waiting = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.pop(fresh).map(|item| payload(&item)))
        };
        thread::sleep(Duration::from_millis(50));
        assert_eq!(queue.close().len(), 0);
        assert_eq!(waiting.join().expect("runner"), None, "closed: it ends");
    }

    #[test]
    fn after_a_disconnect_what_waits_is_served_then_the_runner_ends() {
        let queue = Arc::new(WorkQueue::new(10));
        for n in 0..2 {
            assert!(queue.try_push(event(n)).is_ok());
        }
        queue.disconnect();
        assert!(matches!(queue.try_push(event(9)), Err(Refused::Closed)));
        assert_eq!(payload(&queue.pop(0).expect("item")), "0");
        assert_eq!(payload(&queue.pop(0).expect("item")), "1");
        assert!(queue.pop(0).is_none());

        // A runner already waiting when the last sender goes wakes up and ends.
        let queue = Arc::new(WorkQueue::new(10));
        let waiting = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.pop(0).map(|item| payload(&item)))
        };
        thread::sleep(Duration::from_millis(50));
        queue.disconnect();
        assert_eq!(waiting.join().expect("runner"), None);
    }

    #[test]
    fn many_senders_never_exceed_the_bound_and_each_keeps_its_order() {
        const SENDERS: usize = 4;
        const EACH: usize = 5_000;
        let queue = Arc::new(WorkQueue::new(64));
        let senders: Vec<_> = (0..SENDERS)
            .map(|sender| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || {
                    let mut queued = 0;
                    for n in 0..EACH {
                        if queue.try_push(event(sender * EACH + n)).is_ok() {
                            queued += 1;
                        }
                        assert!(queue.len() <= 64);
                    }
                    queued
                })
            })
            .collect();
        let runner = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                let mut last = [None::<usize>; SENDERS];
                let mut served = 0;
                while let Some(item) = queue.pop(0) {
                    let n: usize = payload(&item).parse().expect("number");
                    let sender = n / EACH;
                    assert!(
                        last[sender].is_none_or(|before| before < n),
                        "FIFO per sender"
                    );
                    last[sender] = Some(n);
                    served += 1;
                }
                served
            })
        };
        let queued: usize = senders.into_iter().map(|s| s.join().expect("sender")).sum();
        queue.disconnect();
        assert_eq!(runner.join().expect("runner"), queued);
        assert_eq!(queue.len(), 0);
    }
}
