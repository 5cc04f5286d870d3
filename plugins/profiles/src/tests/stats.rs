//! Statistics from events: message counts batched in memory and written by the flush timer, a
//! threshold or a reload; voice sessions timed across a reload; achievements announced once;
//! one server's counts never showing in another.

use arsenal_plugin_api::{
    model::{guild::Permissions, id::Id},
    testing::{CHANNEL_ID, GUILD_ID},
};

use super::{announcements, message, stored_stats, view, view_text, voice, Harness, ALICE, BOB};
use crate::stats::{FLUSH_AFTER_MS, FLUSH_TIMER};

#[test]
fn messages_are_counted_in_batches_and_flushed_by_the_timer() {
    let mut h = Harness::start().unwrap();
    message(&mut h, 1, ALICE, false);
    // The first message unlocks First words: written and announced at once.
    assert_eq!(stored_stats(&h, ALICE)["messages"], 1);
    let said = announcements(&h);
    assert_eq!(said.len(), 1);
    assert_eq!(said[0].0, CHANNEL_ID.get());
    assert!(said[0].1.contains("**First words**"), "{said:?}");

    for id in 2..=5 {
        message(&mut h, id, ALICE, false);
    }
    message(&mut h, 6, BOB, true); // a bot: not counted
                                   // Waiting in memory (no write per message), yet shown.
    assert_eq!(stored_stats(&h, ALICE)["messages"], 1);
    assert!(view_text(&view(&mut h, ALICE, None)).contains("Messages: 5"));
    let timers = h.timers();
    assert_eq!(timers.len(), 1);
    assert_eq!(timers[0].key, FLUSH_TIMER);
    assert!(timers[0].at_unix_ms <= h.now() + FLUSH_AFTER_MS);
    h.fire_timer(FLUSH_TIMER).unwrap();
    assert_eq!(stored_stats(&h, ALICE)["messages"], 5);
    assert_eq!(stored_stats(&h, BOB), serde_json::Value::Null);
    assert_eq!(announcements(&h).len(), 1, "First words is announced once");
}

#[test]
fn a_reload_writes_what_was_waiting_and_thresholds_write_at_once() {
    let mut h = Harness::start().unwrap();
    for id in 1..=40 {
        message(&mut h, id, ALICE, false);
    }
    assert_eq!(stored_stats(&h, ALICE)["messages"], 1);
    h.reload().unwrap();
    assert_eq!(stored_stats(&h, ALICE)["messages"], 40);
    // The new instance reads the stored count once and sees 100 coming.
    for id in 41..=100 {
        message(&mut h, id, ALICE, false);
    }
    assert_eq!(stored_stats(&h, ALICE)["messages"], 100);
    let said = announcements(&h);
    assert!(
        said.last()
            .is_some_and(|(_, text)| text.contains("**Chatterbox**")),
        "{said:?}"
    );
    let ids: Vec<String> = stored_stats(&h, ALICE)["achievements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["first_message", "messages_100"]);
}

#[test]
fn voice_time_spans_a_reload_and_unlocks_an_hour() {
    let mut h = Harness::start().unwrap();
    voice(&mut h, ALICE, Some(700));
    h.advance(std::time::Duration::from_secs(1800));
    voice(&mut h, ALICE, Some(700)); // mute or deafen: nothing changes
    h.reload().unwrap();
    h.advance(std::time::Duration::from_secs(1900));
    assert!(view_text(&view(&mut h, ALICE, None)).contains("Voice: 1 h 01"));
    voice(&mut h, ALICE, None);
    let stats = stored_stats(&h, ALICE);
    assert_eq!(stats["voice_seconds"], 3700);
    assert_eq!(stats["voice_since"], serde_json::Value::Null);
    // Announced in the voice channel's text chat.
    let said = announcements(&h);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].0, 700);
    assert!(said[0].1.contains("**On the air**"), "{said:?}");
    // A second session adds up; the hour is not announced again.
    voice(&mut h, ALICE, Some(701));
    h.advance(std::time::Duration::from_secs(100));
    voice(&mut h, ALICE, None);
    assert_eq!(stored_stats(&h, ALICE)["voice_seconds"], 3800);
    assert_eq!(announcements(&h).len(), 1);
}

#[test]
fn one_servers_counts_never_show_in_another() {
    let mut h = Harness::start().unwrap();
    for id in 1..=3 {
        message(&mut h, id, ALICE, false);
    }
    let mut elsewhere = h.slash_as(
        ALICE,
        Permissions::empty(),
        "profile",
        &["view"],
        Vec::new(),
    );
    elsewhere.invoker.guild_id = Some(Id::new(77));
    let response = h.command(elsewhere).unwrap();
    let shown = super::view_text(&response);
    assert!(shown.contains("Messages: 0"), "{shown}");
    assert!(view_text(&view(&mut h, ALICE, None)).contains("Messages: 3"));
    assert!(h.stored(&format!("stats:77:{ALICE}")).is_none());
    assert!(h.stored(&format!("stats:{GUILD_ID}:{ALICE}")).is_some());
}
