//! Leaving when alone or idle (durable timers), history and preferences.

use std::time::Duration;

use arsenal_plugin_api::{protocol::ArgValue, testing::GUILD_ID};
use serde_json::json;

use super::*;

/// A voice state update for `user` (not a bot) now in `channel`.
fn moved(h: &mut H, user: Id<UserMarker>, channel: Option<Id<ChannelMarker>>) {
    h.event(
        "VOICE_STATE_UPDATE",
        &json!({
            "guild_id": GUILD_ID.to_string(), "channel_id": channel.map(|c| c.to_string()),
            "user_id": user.to_string(), "session_id": "s", "deaf": false, "mute": false,
            "self_deaf": false, "self_mute": false, "self_video": false, "suppress": false,
            "request_to_speak_timestamp": null
        }),
    )
    .unwrap();
}

#[test]
fn the_bot_leaves_two_minutes_after_the_last_listener_and_keeps_the_queue() {
    let (mut h, voice) = playing_queue(&["one", "two"]);
    voice.put(BOT, Some(STAGE));
    voice.put(ALICE, None);
    moved(&mut h, ALICE, None);
    assert!(h
        .timers()
        .iter()
        .any(|t| t.key == format!("alone:{GUILD_ID}")));
    h.advance(Duration::from_secs(119));
    assert!(h.fire_due_timers().unwrap().is_empty());
    h.advance(Duration::from_secs(1));
    h.fire_due_timers().unwrap();
    h.deliver_voice_events().unwrap();
    assert!(!h.voice_status(GUILD_ID).connected);
    assert!(posted(&h, CHANNEL_ID)
        .iter()
        .any(|t| t.starts_with("Left <#700>: nobody was listening.")));
    assert_eq!(stored_queue(&h).now.unwrap().title, "one");
    assert_eq!(upcoming(&h), ["two"]);
}

#[test]
fn a_listener_coming_back_keeps_the_bot() {
    let (mut h, voice) = playing_queue(&["one"]);
    voice.put(BOT, Some(STAGE));
    voice.put(ALICE, None);
    moved(&mut h, ALICE, None);
    h.advance(Duration::from_secs(60));
    voice.put(BOB, Some(STAGE));
    moved(&mut h, BOB, Some(STAGE));
    assert!(h.timers().is_empty(), "{:?}", h.timers());
    h.advance(Duration::from_secs(300));
    h.fire_due_timers().unwrap();
    assert!(h.voice_status(GUILD_ID).connected);
}

#[test]
fn a_timer_due_after_someone_came_back_does_not_leave() {
    let (mut h, voice) = playing_queue(&["one"]);
    voice.put(ALICE, None);
    moved(&mut h, ALICE, None);
    // Bob is back, but his voice state event was missed: the timer checks again.
    voice.put(BOB, Some(STAGE));
    h.advance(Duration::from_secs(120));
    assert_eq!(h.fire_due_timers().unwrap(), [format!("alone:{GUILD_ID}")]);
    assert!(h.voice_status(GUILD_ID).connected);
}

#[test]
fn the_bot_leaves_five_minutes_after_the_queue_ended_unless_something_was_queued() {
    let (mut h, _voice) = playing_queue(&["one"]);
    h.finish_track(GUILD_ID).unwrap();
    h.advance(Duration::from_secs(299));
    h.fire_due_timers().unwrap();
    assert!(h.voice_status(GUILD_ID).connected);
    h.advance(Duration::from_secs(1));
    assert_eq!(h.fire_due_timers().unwrap(), [format!("idle:{GUILD_ID}")]);
    assert!(!h.voice_status(GUILD_ID).connected);

    let (mut h, _voice) = playing_queue(&["one"]);
    h.finish_track(GUILD_ID).unwrap();
    h.advance(Duration::from_secs(200));
    play(&mut h, ALICE, "two");
    h.advance(Duration::from_secs(200));
    h.fire_due_timers().unwrap();
    assert!(h.voice_status(GUILD_ID).connected);
    assert_eq!(playing(&h).as_deref(), Some("e2"));
}

#[test]
fn history_keeps_the_servers_and_each_members_tracks() {
    let (mut h, voice) = playing_queue(&["one"]);
    voice.put(BOB, Some(STAGE));
    play(&mut h, BOB, "two");
    play(&mut h, ALICE, "three");
    h.finish_track(GUILD_ID).unwrap();
    h.finish_track(GUILD_ID).unwrap();
    let all = run(&mut h, cmd(BOB, "history", &[], vec![]));
    let lines: Vec<&str> = all.lines().collect();
    assert!(lines[0].starts_with("`1.` three — <@20>"), "{all}");
    assert!(lines[1].starts_with("`2.` two — <@30>"), "{all}");
    assert!(lines[2].starts_with("`3.` one — <@20>"), "{all}");
    let mine = run(
        &mut h,
        cmd(
            BOB,
            "history",
            &[],
            vec![arg("me", ArgValue::Boolean(true))],
        ),
    );
    assert!(mine.starts_with("`1.` two — <@30>"), "{mine}");
    assert!(!mine.contains("three"), "{mine}");
    let mut other = cmd(BOB, "history", &[], vec![]);
    other.invoker.guild_id = Some(OTHER_GUILD);
    assert_eq!(run(&mut h, other), "Nothing was played yet.");
}

#[test]
fn history_is_capped() {
    let (mut h, _voice) = playing_queue(&["first"]);
    for i in 0..60 {
        play(&mut h, ALICE, &format!("t{i}"));
        h.finish_track(GUILD_ID).unwrap();
    }
    let history = h.stored(&format!("hist:{GUILD_ID}")).unwrap();
    assert_eq!(history.as_array().unwrap().len(), 50);
    assert_eq!(history[0]["title"], "t59");
}

#[test]
fn a_members_default_volume_is_kept_and_used_when_the_bot_joins_for_them() {
    let (mut h, voice) = start();
    let invocation = cmd(ALICE, "music", &["prefs"], vec![int("volume", 40)]);
    assert_eq!(
        run(&mut h, invocation),
        "Your music preferences: volume when I join for you: 40%; announce your tracks: yes."
    );
    h.reload().unwrap();
    voice.put(ALICE, Some(STAGE));
    play(&mut h, ALICE, "one");
    assert_eq!(h.voice_status(GUILD_ID).volume_percent, 40);
    let invocation = cmd(ALICE, "music", &["prefs"], vec![int("volume", 201)]);
    let answer = run(&mut h, invocation);
    assert!(!answer.starts_with("Your music preferences"), "{answer}");
    assert_eq!(
        h.stored(&format!("pref:{ALICE}")),
        Some(json!({ "volume": 40, "announce": null }))
    );
}
