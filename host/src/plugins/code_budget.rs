//! The bound on plugin code left mapped by reloads, enforced where libraries are mapped.
//!
//! abi_stable never unloads a library, so each reload retires the replaced copy for the life
//! of the process. [`CodeBudget`] is consulted by [`Loader::open`](super::loader::Loader::open)
//! before it maps a copy: when mapping it would let the retired copies pass the budget, the
//! load is refused as [`LoadError::OverBudget`](super::loader::LoadError::OverBudget) and the
//! re-exec is asked for instead (`host::reexec`); the new process loads the newest file anyway,
//! so the change is applied, by the next image.
//!
//! The check must cost nothing next to a reload (a third of a millisecond), so it does not read
//! `/proc/self/maps` on the way: it keeps the last exact measurement (taken off the reload path,
//! by the budget watch after every module change) plus an upper bound of what was mapped since.
//! Each copy counts for its size plus a quarter: what the dynamic loader and abi_stable keep per
//! library beside the code (link map, relocated data, type layouts: about a fifth of the code,
//! measured on the counter fixture), so that the process's resident memory, not only its code,
//! stays within the budget of its fresh image.

use std::sync::{Mutex, PoisonError};

use crate::metrics::process::{retired_plugin_code, RetiredCode};

/// The memory a mapped copy of `bytes` of code costs, bookkeeping included.
fn cost(bytes: u64) -> u64 {
    bytes + bytes / 4
}

/// What was measured and what was mapped since.
#[derive(Debug, Default)]
struct Ledger {
    /// The last exact measurement of the retired copies.
    measured: RetiredCode,
    /// Copies mapped since that measurement: how many and their bytes.
    mapped_since: u64,
    mapped_bytes_since: u64,
    /// Set once the budget asked for the re-exec: every later load is refused.
    passed: bool,
}

/// The retired-code budget of one process (see the module's documentation).
pub struct CodeBudget {
    budget: u64,
    ledger: Mutex<Ledger>,
    /// Called once, when a load is refused for the budget: asks for the re-exec.
    on_pass: Box<dyn Fn(u64) + Send + Sync>,
}

impl std::fmt::Debug for CodeBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeBudget")
            .field("budget", &self.budget)
            .field("ledger", &*self.ledger())
            .finish_non_exhaustive()
    }
}

impl CodeBudget {
    /// A budget of `budget` bytes; `on_pass(retired estimate)` is called once, when a load
    /// would pass it.
    #[must_use]
    pub fn new(budget: u64, on_pass: impl Fn(u64) + Send + Sync + 'static) -> Self {
        Self {
            budget,
            ledger: Mutex::new(Ledger::default()),
            on_pass: Box::new(on_pass),
        }
    }

    /// The budget, in bytes.
    #[must_use]
    pub fn budget(&self) -> u64 {
        self.budget
    }

    fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a copy of `bytes` may be mapped now. `Err` carries the estimate of the retired
    /// code's cost that the load would have reached; the re-exec has been asked for.
    pub fn admit(&self, bytes: u64) -> Result<(), u64> {
        let mut ledger = self.ledger();
        // Upper bound of the retired copies once this one serves: those measured, every copy
        // mapped since (each may be retired by now), and the copies serving at the measurement
        // or mapped since that this load and the loads since may have retired (each at most
        // the largest copy).
        let largest = ledger.measured.largest_copy.max(bytes);
        let retired = cost(ledger.measured.bytes)
            + cost(ledger.mapped_bytes_since)
            + (ledger.mapped_since + 1) * cost(largest);
        if ledger.passed || retired > self.budget {
            if !ledger.passed {
                ledger.passed = true;
                drop(ledger);
                (self.on_pass)(retired);
            }
            return Err(retired);
        }
        Ok(())
    }

    /// A copy of `bytes` was mapped (it stays mapped for the life of the process).
    pub fn mapped(&self, bytes: u64) {
        let mut ledger = self.ledger();
        ledger.mapped_since += 1;
        ledger.mapped_bytes_since += bytes;
    }

    /// Measures the retired copies exactly (`/proc/self/maps`) and starts counting again from
    /// there. Off the reload path: the budget watch calls it after every module change.
    pub fn measure(&self) -> RetiredCode {
        let mut ledger = self.ledger();
        // Under the lock: a copy mapped while the file is read is counted here, in the next
        // `mapped_since`, or both (the safe direction), never in neither.
        let measured = retired_plugin_code();
        ledger.measured = measured;
        ledger.mapped_since = 0;
        ledger.mapped_bytes_since = 0;
        measured
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    };

    fn budget(bytes: u64) -> (CodeBudget, Arc<AtomicU64>) {
        let asked = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&asked);
        let budget = CodeBudget::new(bytes, move |_| {
            seen.fetch_add(1, Ordering::SeqCst);
        });
        (budget, asked)
    }

    #[test]
    fn loads_are_admitted_until_the_next_would_pass_the_budget_then_none_is() {
        // 100 KiB copies, 1 MiB budget: each copy costs 125 KiB with its bookkeeping.
        let copy = 100 << 10;
        let (budget, asked) = budget(1 << 20);
        let mut admitted = 0;
        while budget.admit(copy).is_ok() {
            budget.mapped(copy);
            admitted += 1;
            assert!(admitted < 100, "the budget never refused");
        }
        // Before any measurement every mapped copy counts as retired, plus the one this load
        // retires: (n + 1) copies of 250 KiB (the copy and the largest it may retire) ≤ 1 MiB.
        assert!(admitted >= 3, "admitted {admitted}");
        assert!(
            (admitted as u64 + 1) * 2 * cost(copy) > 1 << 20,
            "stopped early: {admitted}"
        );
        assert_eq!(asked.load(Ordering::SeqCst), 1, "the re-exec is asked once");
        // Once passed, nothing is admitted any more, even a tiny copy, and nobody is asked again.
        assert!(budget.admit(1).is_err());
        assert_eq!(asked.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_measurement_replaces_the_estimate_of_what_was_mapped_before_it() {
        let copy = 100 << 10;
        let (budget, _) = budget(1 << 20);
        for _ in 0..3 {
            assert!(budget.admit(copy).is_ok());
            budget.mapped(copy);
        }
        // This test process maps no plugin copy: measured, nothing is retired, and loads are
        // admitted again.
        assert_eq!(budget.measure(), RetiredCode::default());
        assert!(budget.admit(copy).is_ok());
    }
}
