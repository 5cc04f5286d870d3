//! `/queue` pages and buttons, `/remove`, `/move`, `/shuffle`, `/clear`, and the queue's own
//! rules without the host.

use arsenal_plugin_api::{
    model::guild::Permissions,
    protocol::{AudioSource, Response},
    testing::GUILD_ID,
};

use super::*;
use crate::{
    model::{Entry, LoopMode, Queue},
    queue::{self, EditError},
};

fn entry(title: &str) -> Entry {
    Entry {
        id: 0,
        source: AudioSource::Search {
            query: title.into(),
        },
        title: title.into(),
        duration_ms: None,
        requester: ALICE,
        channel: CHANNEL_ID,
    }
}

fn titles(queue: &Queue) -> Vec<String> {
    queue.upcoming.iter().map(|e| e.title.clone()).collect()
}

#[test]
fn queue_rules_per_loop_mode() {
    let mut q = Queue::default();
    for t in ["a", "b", "c"] {
        queue::push(&mut q, entry(t)).unwrap();
    }
    assert_eq!(q.now.as_ref().unwrap().title, "a");
    assert_eq!(titles(&q), ["b", "c"]);
    q.loop_mode = LoopMode::Track;
    assert_eq!(queue::finished(&mut q).unwrap().title, "a");
    assert_eq!(q.now.as_ref().unwrap().title, "a");
    // A skip in track loop moves on; a failure too.
    queue::skipped(&mut q);
    assert_eq!(q.now.as_ref().unwrap().title, "b");
    q.loop_mode = LoopMode::Queue;
    queue::finished(&mut q);
    assert_eq!(q.now.as_ref().unwrap().title, "c");
    assert_eq!(titles(&q), ["b"]);
    // A track that failed leaves the queue even in queue loop.
    queue::dropped(&mut q);
    assert_eq!(q.now.as_ref().unwrap().title, "b");
    assert!(q.upcoming.is_empty());
    q.loop_mode = LoopMode::Off;
    queue::finished(&mut q);
    assert_eq!(q.now, None);
}

#[test]
fn edits_refuse_bad_positions_and_empty_queues() {
    let mut q = Queue::default();
    assert_eq!(queue::clear(&mut q), Err(EditError::Empty));
    assert_eq!(queue::shuffle(&mut q, 7), Err(EditError::Empty));
    for t in ["a", "b", "c", "d"] {
        queue::push(&mut q, entry(t)).unwrap();
    }
    assert_eq!(queue::move_to(&mut q, 4, 1), Err(EditError::BadPosition(3)));
    assert_eq!(queue::move_to(&mut q, 0, 1), Err(EditError::BadPosition(3)));
    assert_eq!(queue::move_to(&mut q, 3, 1).unwrap().title, "d");
    assert_eq!(titles(&q), ["d", "b", "c"]);
    let mut ids: Vec<u64> = q.upcoming.iter().map(|e| e.id).collect();
    queue::shuffle(&mut q, 12345).unwrap();
    let mut shuffled: Vec<u64> = q.upcoming.iter().map(|e| e.id).collect();
    shuffled.sort_unstable();
    ids.sort_unstable();
    assert_eq!(shuffled, ids, "a shuffle keeps every track");
    assert_eq!(queue::clear(&mut q), Ok(3));
    assert_eq!(
        q.now.as_ref().unwrap().title,
        "a",
        "clear keeps the track playing"
    );
}

#[test]
fn a_shuffle_changes_the_order_of_a_long_queue() {
    let mut q = Queue::default();
    for i in 0..30 {
        queue::push(&mut q, entry(&format!("t{i}"))).unwrap();
    }
    let before = titles(&q);
    queue::shuffle(&mut q, 987_654_321).unwrap();
    assert_ne!(titles(&q), before);
}

#[test]
fn the_queue_shows_pages_and_its_buttons_turn_them() {
    let tracks: Vec<String> = (1..=25).map(|i| format!("track {i}")).collect();
    let refs: Vec<&str> = tracks.iter().map(String::as_str).collect();
    let (mut h, _voice) = playing_queue(&refs);
    let answer = h.command(cmd(BOB, "queue", &[], vec![])).unwrap();
    let Response::Message(reply) = answer else {
        panic!("{answer:?}")
    };
    let text = reply.content.clone().unwrap();
    assert!(text.starts_with("▶ **track 1** — <@20>"), "{text}");
    assert!(text.contains("`1.` track 2"), "{text}");
    assert!(!text.contains("track 12"), "{text}");
    assert!(text.contains("Page 1 of 3 · 24 tracks"), "{text}");
    let json = serde_json::to_value(&reply).unwrap();
    assert_eq!(json["components"][0]["components"][1]["custom_id"], "q:2");
    let answer = said(h.component(h.click(BOB, Id::new(1), "q:3")));
    assert!(answer.contains("`21.` track 22"), "{answer}");
    assert!(answer.contains("Page 3 of 3"), "{answer}");
    let answer = run(&mut h, cmd(BOB, "queue", &[], vec![int("page", 4)]));
    assert_eq!(answer, "There is no page 4: there are 3 pages.");
}

#[test]
fn remove_move_shuffle_and_clear_through_commands() {
    let (mut h, _voice) = playing_queue(&["one", "two", "three", "four"]);
    let answer = run(&mut h, cmd(ALICE, "remove", &[], vec![int("position", 9)]));
    assert_eq!(
        answer,
        "There is no such track: the queue holds 3 tracks (numbers 1 to 3)."
    );
    let answer = run(&mut h, cmd(ALICE, "remove", &[], vec![int("position", 2)]));
    assert_eq!(answer, "Removed **three**.");
    let answer = run(
        &mut h,
        cmd(ALICE, "move", &[], vec![int("from", 2), int("to", 1)]),
    );
    assert_eq!(answer, "Moved **four** to position 1.");
    assert_eq!(upcoming(&h), ["four", "two"]);
    let answer = run(&mut h, cmd(ALICE, "shuffle", &[], vec![]));
    assert_eq!(answer, "Shuffled 2 tracks.");
    let answer = run(&mut h, cmd(ALICE, "clear", &[], vec![]));
    assert_eq!(answer, "Removed 2 tracks from the queue.");
    let answer = run(&mut h, cmd(ALICE, "clear", &[], vec![]));
    assert_eq!(answer, "The queue is empty: add tracks with `/play`.");
    assert_eq!(
        playing(&h).as_deref(),
        Some("e1"),
        "the track playing goes on"
    );
    let _ = (GUILD_ID, Permissions::empty());
}
