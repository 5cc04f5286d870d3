//! The queue's own rules, without the host: what plays after a track ends (per loop mode) or
//! is skipped, and the edits members make (remove, move, shuffle, clear). Positions given by
//! members count from 1 over the tracks after the one playing, as `/queue` numbers them.

use crate::model::{Entry, LoopMode, Queue, MAX_QUEUE};

/// Why an edit was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditError {
    /// Nothing is queued after the track playing.
    Empty,
    /// A position past the end (the queue's length is given).
    BadPosition(usize),
    /// The queue is full.
    Full,
}

/// Appends a track; returns its position (0: it plays now, as nothing was playing).
///
/// # Errors
///
/// [`EditError::Full`] past [`MAX_QUEUE`].
pub fn push(queue: &mut Queue, mut entry: Entry) -> Result<usize, EditError> {
    if queue.upcoming.len() >= MAX_QUEUE {
        return Err(EditError::Full);
    }
    entry.id = queue.next_id;
    queue.next_id += 1;
    if queue.now.is_none() {
        set_now(queue, Some(entry));
        return Ok(0);
    }
    queue.upcoming.push(entry);
    Ok(queue.upcoming.len())
}

/// Makes `entry` the track playing, from its start, with no votes.
fn set_now(queue: &mut Queue, entry: Option<Entry>) {
    queue.now = entry;
    queue.playing = false;
    queue.paused = false;
    queue.resume_ms = 0;
    queue.started = false;
    queue.votes.clear();
}

/// The track playing ended on its own: what plays next per the loop mode (the same track, the
/// next with the finished one at the end, or the next). Returns the finished track.
pub fn finished(queue: &mut Queue) -> Option<Entry> {
    let done = queue.now.clone()?;
    match queue.loop_mode {
        LoopMode::Track => set_now(queue, Some(done.clone())),
        LoopMode::Queue => {
            queue.upcoming.push(done.clone());
            let next = queue.upcoming.remove(0);
            set_now(queue, Some(next));
        }
        LoopMode::Off => next(queue),
    }
    Some(done)
}

/// The track playing is skipped (or failed): the next one plays; in queue loop a skipped
/// track still goes to the end (a failed one does not, see `dropped`).
pub fn skipped(queue: &mut Queue) -> Option<Entry> {
    let done = queue.now.clone()?;
    if queue.loop_mode == LoopMode::Queue {
        queue.upcoming.push(done.clone());
    }
    next(queue);
    Some(done)
}

/// The track playing could not play: it leaves the queue whatever the loop mode (else a
/// broken link would loop forever) and the next one plays.
pub fn dropped(queue: &mut Queue) -> Option<Entry> {
    let done = queue.now.clone()?;
    next(queue);
    Some(done)
}

fn next(queue: &mut Queue) {
    let next = if queue.upcoming.is_empty() {
        None
    } else {
        Some(queue.upcoming.remove(0))
    };
    set_now(queue, next);
}

/// The index of `position` (from 1) in `upcoming`.
///
/// # Errors
///
/// An empty queue or a position past its end.
pub fn index(queue: &Queue, position: usize) -> Result<usize, EditError> {
    if queue.upcoming.is_empty() {
        return Err(EditError::Empty);
    }
    if position == 0 || position > queue.upcoming.len() {
        return Err(EditError::BadPosition(queue.upcoming.len()));
    }
    Ok(position - 1)
}

/// Moves the track at `from` to `to`; returns it.
///
/// # Errors
///
/// An empty queue or a position past its end.
pub fn move_to(queue: &mut Queue, from: usize, to: usize) -> Result<Entry, EditError> {
    let from = index(queue, from)?;
    let to = index(queue, to)?;
    let entry = queue.upcoming.remove(from);
    queue.upcoming.insert(to, entry.clone());
    Ok(entry)
}

/// Shuffles the tracks after the one playing (Fisher–Yates, a xorshift seeded by `seed`).
///
/// # Errors
///
/// [`EditError::Empty`] with nothing to shuffle.
pub fn shuffle(queue: &mut Queue, seed: u64) -> Result<(), EditError> {
    if queue.upcoming.is_empty() {
        return Err(EditError::Empty);
    }
    let mut state = seed | 1;
    for i in (1..queue.upcoming.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
        queue.upcoming.swap(i, j);
    }
    Ok(())
}

/// Empties the tracks after the one playing; returns how many were removed.
///
/// # Errors
///
/// [`EditError::Empty`] when there were none.
pub fn clear(queue: &mut Queue) -> Result<usize, EditError> {
    if queue.upcoming.is_empty() {
        return Err(EditError::Empty);
    }
    let count = queue.upcoming.len();
    queue.upcoming.clear();
    Ok(count)
}
