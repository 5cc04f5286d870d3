//! Which journal records failed: one range of sequence numbers per failed frame.
//!
//! A record's fate cannot be read off `durable_seq` alone. After a failure the journal goes on
//! with higher sequence numbers, so `durable_seq` soon passes the failed ones; a writer that was
//! descheduled through the failure and the writes after it would find its record "below
//! durable" and report a rolled-back write as saved. So every failure is kept as a range, and a
//! writer whose record is at or below the highest failed one asks the ranges.
//!
//! **Bound:** at most [`MAX_RANGES`] ranges are kept. Past that the two oldest are merged into
//! one covering both, so a writer that slept through that many failures may be told its durable
//! write failed (the safe direction: it is saved, and a retry writes the same value again);
//! never that a failed write was saved.

/// How many failures are remembered exactly.
const MAX_RANGES: usize = 1024;

/// Failed sequence numbers, as ranges `(after, upto]`, oldest first.
#[derive(Debug, Default)]
pub(crate) struct FailedRanges {
    ranges: Vec<(u64, u64)>,
}

impl FailedRanges {
    /// Record that every sequence number in `after + 1 ..= upto` failed.
    pub(crate) fn add(&mut self, after: u64, upto: u64) {
        if upto <= after {
            return;
        }
        if self.ranges.len() == MAX_RANGES {
            let (first, _) = self.ranges[0];
            let (_, second_upto) = self.ranges[1];
            self.ranges.remove(0);
            self.ranges[0] = (first, second_upto);
        }
        self.ranges.push((after, upto));
    }

    /// Whether record `seq` failed.
    pub(crate) fn contains(&self, seq: u64) -> bool {
        // Newest first: a writer asking is almost always one of the latest failure.
        self.ranges
            .iter()
            .rev()
            .any(|&(after, upto)| seq > after && seq <= upto)
    }

    /// The highest failed sequence number (0 if none failed).
    pub(crate) fn max(&self) -> u64 {
        self.ranges.last().map_or(0, |&(_, upto)| upto)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_between_failures_is_not_failed() {
        let mut f = FailedRanges::default();
        f.add(10, 14);
        f.add(20, 21);
        assert!(!f.contains(10));
        assert!(f.contains(11) && f.contains(14));
        assert!(!f.contains(15) && !f.contains(20));
        assert!(f.contains(21));
        assert!(!f.contains(22));
        assert_eq!(f.max(), 21);
        f.add(30, 30);
        assert_eq!(f.max(), 21, "an empty range adds nothing");
    }

    #[test]
    fn past_the_bound_the_oldest_merge_and_no_failed_record_is_forgotten() {
        let mut f = FailedRanges::default();
        for i in 0..(MAX_RANGES as u64 + 5) {
            f.add(i * 10, i * 10 + 2);
        }
        assert_eq!(f.ranges.len(), MAX_RANGES);
        for i in 0..(MAX_RANGES as u64 + 5) {
            assert!(f.contains(i * 10 + 1) && f.contains(i * 10 + 2), "{i}");
        }
        // Recent records between failures are still told apart.
        let last = MAX_RANGES as u64 + 4;
        assert!(!f.contains(last * 10 - 5));
    }

    /// The race CI once caught with 16 writers: a writer whose frame failed asks only after the
    /// journal went on and made later records durable. It must still hear that it failed.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn a_writer_that_asks_late_about_a_failed_record_is_told_it_failed() {
        use crate::fault::FaultInjector;
        use crate::group_commit::{JournalSettings, JournalWriter};

        let dir = tempfile::tempdir().unwrap();
        let fault = FaultInjector::new();
        let path = JournalWriter::create_segment(dir.path(), 1, &fault).unwrap();
        let settings = JournalSettings {
            fault: fault.clone(),
            observer: None,
            prealloc_limit: 1 << 20,
        };
        let journal = JournalWriter::open(dir.path(), path, 1, 0, 0, settings).unwrap();
        journal.append(1, b"one\n").unwrap();
        fault.fail_sync(1, libc::EIO, false);
        assert!(journal.wait_durable(1).is_err());
        journal.rollback_done();
        journal.append(2, b"two\n").unwrap();
        journal.wait_durable(2).unwrap();
        assert_eq!(journal.durable_seq(), 2);
        assert!(
            journal.wait_durable(1).is_err(),
            "record 1 failed: never report it saved"
        );
        journal.wait_durable(2).unwrap();
    }
}
