//! The verifiable draw. Nothing here touches the host: the seed, its commitment, the tickets
//! and the picks are plain functions, so anyone can redo them (the README shows the same steps
//! in Python) and the tests recompute a posted draw from the posted list.
//!
//! - The seed is 32 random bytes from the operating system, drawn when the giveaway starts.
//! - The giveaway message shows its commitment, the lowercase hex of SHA-256(seed), from the
//!   start; the seed itself is published only when the giveaway ends, with the entrant list.
//! - The tickets: entrants sorted by user id (as numbers, ascending), each repeated by their
//!   weight (1 plus the bonus entries of their roles when they entered).
//! - Pick number `c` (counting from 0 over the giveaway's whole life) hashes SHA-256(seed ‖
//!   c as 8 bytes big-endian), reads the first 8 bytes of the digest as a big-endian integer,
//!   and takes the ticket at that integer modulo the number of tickets left. The winner's tickets
//!   are all removed before the next pick, so nobody wins twice.
//! - A reroll removes every earlier winner's tickets and goes on from the next counter.

use sha2::{Digest, Sha256};

/// The seed's length in bytes.
pub const SEED_LEN: usize = 32;

/// A fresh seed from the operating system.
///
/// # Errors
///
/// When the operating system has no randomness to give (the start is refused then).
pub fn new_seed() -> Result<[u8; SEED_LEN], getrandom::Error> {
    let mut seed = [0; SEED_LEN];
    getrandom::getrandom(&mut seed)?;
    Ok(seed)
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

/// Reads lowercase or uppercase hex; `None` when it is not hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 == 1 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}

/// The commitment shown when the giveaway starts: hex of SHA-256(seed).
pub fn commitment(seed: &[u8]) -> String {
    hex(&Sha256::digest(seed))
}

/// The tickets: each entrant's user id repeated by their weight, entrants in ascending id order.
pub fn tickets(entrants: &[(u64, u32)]) -> Vec<u64> {
    let mut sorted = entrants.to_vec();
    sorted.sort_unstable();
    sorted
        .into_iter()
        .flat_map(|(user, weight)| std::iter::repeat_n(user, weight as usize))
        .collect()
}

/// The integer pick `counter` draws: the first 8 bytes of SHA-256(seed ‖ counter), big-endian.
pub fn pick_value(seed: &[u8], counter: u64) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(seed);
    hasher.update(counter.to_be_bytes());
    let digest = hasher.finalize();
    let mut first = [0; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// A draw's result: the winners in the order drawn, and the counter the next pick would use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub winners: Vec<u64>,
    pub next_counter: u64,
}

/// Draws up to `count` winners from `tickets`, leaving out `excluded` (earlier winners), with
/// picks numbered from `counter`. Fewer winners when fewer entrants are left.
pub fn draw(seed: &[u8], tickets: &[u64], excluded: &[u64], counter: u64, count: usize) -> Drawn {
    let mut left: Vec<u64> = tickets
        .iter()
        .copied()
        .filter(|user| !excluded.contains(user))
        .collect();
    let mut winners = Vec::new();
    let mut counter = counter;
    while winners.len() < count && !left.is_empty() {
        let len = left.len() as u64;
        // `len` is at least 1 and the index below it, so both conversions are exact.
        let at = usize::try_from(pick_value(seed, counter) % len).unwrap_or(0);
        let winner = left[at];
        winners.push(winner);
        left.retain(|user| *user != winner);
        counter += 1;
    }
    Drawn {
        winners,
        next_counter: counter,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_the_commitment_is_sha256() {
        let seed: Vec<u8> = (0..32).collect();
        assert_eq!(unhex(&hex(&seed)), Some(seed.clone()));
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("abc"), None);
        // SHA-256 of the empty string, a known value.
        assert_eq!(
            commitment(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn tickets_are_sorted_by_id_and_repeated_by_weight() {
        assert_eq!(
            tickets(&[(30, 1), (10, 2), (20, 3)]),
            [10, 10, 20, 20, 20, 30]
        );
    }

    #[test]
    fn a_draw_never_picks_a_member_twice_and_a_reroll_continues_the_counter() {
        let seed = [7; 32];
        let all = tickets(&[(1, 1), (2, 5), (3, 1), (4, 2)]);
        let first = draw(&seed, &all, &[], 0, 3);
        assert_eq!(first.winners.len(), 3);
        assert_eq!(first.next_counter, 3);
        let mut distinct = first.winners.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 3);
        // Deterministic: the same seed and list give the same winners.
        assert_eq!(draw(&seed, &all, &[], 0, 3), first);
        // The reroll leaves out the three and finds the last one.
        let reroll = draw(&seed, &all, &first.winners, first.next_counter, 2);
        assert_eq!(reroll.winners.len(), 1);
        assert!(!first.winners.contains(&reroll.winners[0]));
        assert_eq!(reroll.next_counter, 4);
        // Nobody left.
        let none = draw(&seed, &[], &[], 0, 1);
        assert!(none.winners.is_empty());
    }

    #[test]
    fn the_readme_python_redoes_the_same_draw() {
        // `redo(bytes(range(32)).hex(), …, [(30,1),(10,2),(20,3),(40,1)], 3)` with the README's
        // Python prints [30, 20, 10].
        let seed: Vec<u8> = (0..32).collect();
        let all = tickets(&[(30, 1), (10, 2), (20, 3), (40, 1)]);
        assert_eq!(draw(&seed, &all, &[], 0, 3).winners, [30, 20, 10]);
    }

    #[test]
    fn the_first_pick_follows_the_documented_formula() {
        // Recomputed by hand from the README's steps: one ticket per member 1..=10.
        let seed = [0u8; 32];
        let all: Vec<u64> = (1..=10).collect();
        let value = pick_value(&seed, 0);
        let expected = all[(value % 10) as usize];
        assert_eq!(draw(&seed, &all, &[], 0, 1).winners, [expected]);
    }
}
