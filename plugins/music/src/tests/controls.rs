//! Skip, pause, resume, seek, volume, now playing and leave.

use arsenal_plugin_api::{protocol::VoiceRequest, testing::GUILD_ID};

use super::*;

#[test]
fn skip_plays_the_next_and_stops_at_the_end() {
    let (mut h, _voice) = playing_queue(&["one", "two"]);
    assert_eq!(
        run(&mut h, cmd(ALICE, "skip", &[], vec![])),
        "⏭ Skipped **one**."
    );
    assert_eq!(playing(&h).as_deref(), Some("e2"));
    assert_eq!(
        run(&mut h, cmd(ALICE, "skip", &[], vec![])),
        "⏭ Skipped **two**."
    );
    assert_eq!(playing(&h), None);
    assert!(h
        .voice_requests()
        .contains(&VoiceRequest::Stop { guild_id: GUILD_ID }));
    assert_eq!(
        run(&mut h, cmd(ALICE, "skip", &[], vec![])),
        "Nothing is playing."
    );
}

#[test]
fn pause_and_resume_reach_the_host_and_refuse_twice() {
    let (mut h, _voice) = playing_queue(&["one"]);
    assert_eq!(run(&mut h, cmd(ALICE, "pause", &[], vec![])), "⏸ Paused.");
    assert!(h.voice_status(GUILD_ID).track.unwrap().paused);
    assert!(run(&mut h, cmd(ALICE, "pause", &[], vec![])).contains("already paused"));
    assert_eq!(run(&mut h, cmd(ALICE, "resume", &[], vec![])), "▶ Resumed.");
    assert!(!h.voice_status(GUILD_ID).track.unwrap().paused);
    assert_eq!(
        run(&mut h, cmd(ALICE, "resume", &[], vec![])),
        "The music is not paused."
    );
}

#[test]
fn seek_reads_times_and_refuses_past_the_end() {
    let (mut h, voice) = start();
    voice.put(ALICE, Some(STAGE));
    lengths(&h, 200);
    play(&mut h, ALICE, "one");
    let seek = |h: &mut H, time: &str| run(h, cmd(ALICE, "seek", &[], vec![text("time", time)]));
    assert_eq!(seek(&mut h, "1:30"), "Moved to 1:30.");
    assert_eq!(h.voice_status(GUILD_ID).track.unwrap().position_ms, 90_000);
    assert_eq!(seek(&mut h, "45"), "Moved to 0:45.");
    assert_eq!(
        seek(&mut h, "3:20"),
        "3:20 is past the end of the track (3:20)."
    );
    for bad in ["1:75", "abc", "1::2", "-5", "1:2:3:4"] {
        assert!(seek(&mut h, bad).contains("is not a time"), "{bad}");
    }
    assert_eq!(h.voice_status(GUILD_ID).track.unwrap().position_ms, 45_000);
}

#[test]
fn volume_is_set_on_the_host_and_kept_for_the_next_connection() {
    let (mut h, voice) = playing_queue(&["one"]);
    let answer = run(&mut h, cmd(ALICE, "volume", &[], vec![int("percent", 150)]));
    assert_eq!(answer, "Volume set to 150%.");
    assert_eq!(h.voice_status(GUILD_ID).volume_percent, 150);
    let answer = run(&mut h, cmd(ALICE, "volume", &[], vec![int("percent", 250)]));
    assert!(!answer.contains("Volume set"), "{answer}");
    assert_eq!(stored_queue(&h).volume, 150);
    // After a /leave the next join starts at the kept volume.
    run(&mut h, cmd(ALICE, "leave", &[], vec![]));
    voice.put(ALICE, Some(STAGE));
    play(&mut h, ALICE, "two");
    assert_eq!(h.voice_status(GUILD_ID).volume_percent, 150);
}

#[test]
fn now_playing_shows_the_hosts_position_against_the_length() {
    let (mut h, voice) = start();
    voice.put(ALICE, Some(STAGE));
    lengths(&h, 200);
    play(&mut h, ALICE, "one");
    h.set_track_position(GUILD_ID, 100_000);
    let answer = run(&mut h, cmd(BOB, "nowplaying", &[], vec![]));
    assert!(
        answer.starts_with("▶ **one** — queued by <@20>"),
        "{answer}"
    );
    assert!(answer.contains("▬🔘▬"), "{answer}");
    assert!(answer.contains("1:40 / 3:20 · volume 100%"), "{answer}");
    let bar: String = answer.lines().nth(1).unwrap().chars().take(20).collect();
    assert_eq!(bar.chars().position(|c| c == '🔘'), Some(10));
}

#[test]
fn leave_empties_the_queue_and_disconnects() {
    let (mut h, _voice) = playing_queue(&["one", "two"]);
    let answer = run(&mut h, cmd(ALICE, "leave", &[], vec![]));
    assert_eq!(answer, "Left the voice channel and emptied the queue.");
    assert!(!h.voice_status(GUILD_ID).connected);
    let queue = stored_queue(&h);
    assert_eq!((queue.now, queue.upcoming.len()), (None, 0));
    assert_eq!(
        run(&mut h, cmd(ALICE, "leave", &[], vec![])),
        "I am not in a voice channel."
    );
}

#[test]
fn leave_after_a_disconnection_empties_the_queue_left_waiting() {
    let (mut h, _voice) = playing_queue(&["one", "two"]);
    h.disconnect_voice(GUILD_ID).unwrap();
    assert_eq!(stored_queue(&h).now.unwrap().title, "one");
    let answer = run(&mut h, cmd(ALICE, "leave", &[], vec![]));
    assert_eq!(answer, "Left the voice channel and emptied the queue.");
    assert_eq!(stored_queue(&h).now, None);
    assert!(upcoming(&h).is_empty());
}

#[test]
fn controls_with_nothing_playing_say_so() {
    let (mut h, _voice) = start();
    for (name, args) in [
        ("pause", vec![]),
        ("resume", vec![]),
        ("skip", vec![]),
        ("voteskip", vec![]),
        ("nowplaying", vec![]),
        ("seek", vec![text("time", "1:00")]),
    ] {
        assert_eq!(
            run(&mut h, cmd(ALICE, name, &[], args)),
            "Nothing is playing.",
            "{name}"
        );
    }
    // The volume is kept for when music plays.
    let answer = run(&mut h, cmd(ALICE, "volume", &[], vec![int("percent", 80)]));
    assert_eq!(answer, "Volume set to 80%.");
    assert_eq!(stored_queue(&h).volume, 80);
    assert!(h
        .voice_requests()
        .iter()
        .all(|r| !matches!(r, VoiceRequest::Volume { .. })));
}

#[test]
fn commands_outside_a_server_are_refused() {
    let (mut h, _voice) = start();
    let mut invocation = cmd(ALICE, "play", &[], vec![text("query", "x")]);
    invocation.invoker.guild_id = None;
    assert_eq!(
        run(&mut h, invocation),
        "Music plays in a server's voice channels, not in direct messages."
    );
}
