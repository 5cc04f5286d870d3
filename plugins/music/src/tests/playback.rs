//! `/play` and what follows it: joining, sources, the queue advancing per loop mode, failures,
//! reloads mid-song and a restart's resumed track.

use arsenal_plugin_api::{
    protocol::{
        ArgValue, AudioSource, CommandAttachment, CommandSource, EndReason, TrackInfo,
        VoiceEventKind, VoiceRequest,
    },
    testing::{CHANNEL_ID, GUILD_ID},
};

use super::*;

#[test]
fn play_refuses_a_member_who_is_not_in_voice_and_queues_nothing() {
    let (mut h, _voice) = start();
    let answer = play(&mut h, ALICE, "daft punk");
    assert!(answer.contains("Join a voice channel first"), "{answer}");
    assert!(h.voice_requests().is_empty());
    assert_eq!(stored_queue(&h).now, None);
}

#[test]
fn play_joins_the_members_channel_and_plays_then_queues_with_positions() {
    let (mut h, voice) = start();
    voice.put(ALICE, Some(STAGE));
    let answer = play(&mut h, ALICE, "daft punk");
    assert_eq!(answer, "▶ Playing **daft punk**.");
    assert!(h.voice_requests().contains(&VoiceRequest::Join {
        guild_id: GUILD_ID,
        channel_id: STAGE
    }));
    assert_eq!(h.voice_status(GUILD_ID).channel_id, Some(STAGE));
    assert_eq!(playing(&h).as_deref(), Some("e1"));
    let answer = play(&mut h, ALICE, "https://example.com/song");
    assert_eq!(answer, "Queued **https://example.com/song** at position 1.");
    let answer = play(&mut h, ALICE, "file:albums/intro.ogg");
    assert_eq!(answer, "Queued **intro.ogg** at position 2.");
    // The first still plays; the others wait.
    assert_eq!(plays(&h), ["e1"]);
    assert_eq!(upcoming(&h), ["https://example.com/song", "intro.ogg"]);
}

#[test]
fn each_kind_of_query_becomes_its_source() {
    let (mut h, voice) = start();
    voice.put(ALICE, Some(STAGE));
    play(&mut h, ALICE, "never gonna give you up");
    play(&mut h, ALICE, "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
    play(
        &mut h,
        ALICE,
        "https://cdn.discordapp.com/attachments/1/2/song.ogg?ex=1",
    );
    play(&mut h, ALICE, "file: a/b.flac");
    let queue = stored_queue(&h);
    let sources: Vec<AudioSource> = queue
        .now
        .iter()
        .chain(queue.upcoming.iter())
        .map(|e| e.source.clone())
        .collect();
    assert_eq!(
        sources,
        [
            AudioSource::Search {
                query: "never gonna give you up".into()
            },
            AudioSource::Url {
                url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ".into()
            },
            AudioSource::Attachment {
                url: "https://cdn.discordapp.com/attachments/1/2/song.ogg?ex=1".into(),
                filename: "song.ogg".into()
            },
            AudioSource::Local {
                path: "a/b.flac".into()
            },
        ]
    );
}

#[test]
fn an_attached_file_plays_from_the_option_or_from_a_prefix_message() {
    let (mut h, voice) = start();
    voice.put(ALICE, Some(STAGE));
    let file = |id: u64, name: &str| CommandAttachment {
        id: Id::new(id),
        url: format!("https://cdn.discordapp.com/attachments/5/{id}/{name}"),
        filename: name.to_owned(),
        content_type: Some("audio/ogg".into()),
        size: 1234,
    };
    // Slash: the option names the file among those Discord resolved.
    let mut slash = cmd(
        ALICE,
        "play",
        &[],
        vec![arg("attachment", ArgValue::Attachment(Id::new(78)))],
    );
    slash.attachments = vec![file(77, "other.ogg"), file(78, "song.ogg")];
    run(&mut h, slash);
    // Prefix: no option can hold a file; the one attached to the message plays.
    let mut prefix = cmd(ALICE, "play", &[], vec![]);
    prefix.source = CommandSource::Prefix {
        message_id: Id::new(900),
    };
    prefix.attachments = vec![file(79, "voice note.ogg")];
    run(&mut h, prefix);
    let queue = stored_queue(&h);
    let sources: Vec<AudioSource> = queue
        .now
        .iter()
        .chain(queue.upcoming.iter())
        .map(|e| e.source.clone())
        .collect();
    assert_eq!(
        sources,
        [
            AudioSource::Attachment {
                url: "https://cdn.discordapp.com/attachments/5/78/song.ogg".into(),
                filename: "song.ogg".into()
            },
            AudioSource::Attachment {
                url: "https://cdn.discordapp.com/attachments/5/79/voice note.ogg".into(),
                filename: "voice note.ogg".into()
            },
        ]
    );
}

#[test]
fn bad_paths_links_and_attachments_are_refused_clearly() {
    let (mut h, voice) = start();
    voice.put(ALICE, Some(STAGE));
    for path in ["../etc/passwd", "/etc/passwd", "a/../../b", ""] {
        let answer = play(&mut h, ALICE, &format!("file:{path}"));
        assert!(
            answer.contains("is not a file of the music folder"),
            "{path}: {answer}"
        );
    }
    let answer = play(&mut h, ALICE, "https:// spaced link");
    assert!(answer.contains("That link is not valid"), "{answer}");
    // An attachment option whose file Discord did not resolve.
    let invocation = cmd(
        ALICE,
        "play",
        &[],
        vec![arg("attachment", ArgValue::Attachment(Id::new(77)))],
    );
    let answer = run(&mut h, invocation);
    assert!(answer.contains("did not reach me"), "{answer}");
    let answer = run(&mut h, cmd(ALICE, "play", &[], vec![]));
    assert!(answer.contains("Tell me what to play"), "{answer}");
    assert!(h.voice_requests().is_empty(), "nothing joined or played");
}

#[test]
fn the_bot_playing_elsewhere_is_not_pulled_away_but_moves_when_idle() {
    let (mut h, voice) = playing_queue(&["one"]);
    voice.put(BOB, Some(LOUNGE));
    let answer = play(&mut h, BOB, "two");
    assert!(
        answer.contains("I am playing for others in <#700>"),
        "{answer}"
    );
    assert_eq!(upcoming(&h), Vec::<String>::new());
    // Once the queue ended, Bob may bring the bot to his channel.
    h.finish_track(GUILD_ID).unwrap();
    let answer = play(&mut h, BOB, "two");
    assert_eq!(answer, "▶ Playing **two**.");
    assert_eq!(h.voice_status(GUILD_ID).channel_id, Some(LOUNGE));
}

#[test]
fn the_queue_advances_when_a_track_finishes_and_learns_titles() {
    let (mut h, _voice) = playing_queue(&["one", "two", "three"]);
    h.set_track_info(
        "e2",
        TrackInfo {
            duration_ms: Some(200_000),
            title: Some("Two (Official Video)".into()),
        },
    );
    h.finish_track(GUILD_ID).unwrap();
    assert_eq!(playing(&h).as_deref(), Some("e2"));
    let now = stored_queue(&h).now.unwrap();
    assert_eq!(now.title, "Two (Official Video)");
    assert_eq!(now.duration_ms, Some(200_000));
    h.finish_track(GUILD_ID).unwrap();
    h.finish_track(GUILD_ID).unwrap();
    assert_eq!(playing(&h), None);
    assert_eq!(plays(&h), ["e1", "e2", "e3"]);
    assert_eq!(stored_queue(&h).now, None);
}

#[test]
fn loop_track_replays_and_loop_queue_cycles() {
    let (mut h, _voice) = playing_queue(&["one", "two"]);
    run(&mut h, cmd(ALICE, "loop", &[], vec![text("mode", "track")]));
    h.finish_track(GUILD_ID).unwrap();
    h.finish_track(GUILD_ID).unwrap();
    assert_eq!(plays(&h), ["e1", "e1", "e1"]);
    run(&mut h, cmd(ALICE, "loop", &[], vec![text("mode", "queue")]));
    for _ in 0..4 {
        h.finish_track(GUILD_ID).unwrap();
    }
    assert_eq!(plays(&h), ["e1", "e1", "e1", "e2", "e1", "e2", "e1"]);
    run(&mut h, cmd(ALICE, "loop", &[], vec![text("mode", "off")]));
    h.finish_track(GUILD_ID).unwrap();
    h.finish_track(GUILD_ID).unwrap();
    assert_eq!(playing(&h), None, "with loop off the queue ends");
}

#[test]
fn a_track_that_cannot_open_is_told_and_the_next_one_plays() {
    let (mut h, _voice) = playing_queue(&["one", "two", "three"]);
    h.fail_next_play("yt-dlp is not installed on this host: ask its owner to install it");
    h.finish_track(GUILD_ID).unwrap();
    // "two" failed to open: told in the channel it came from; "three" plays.
    assert_eq!(playing(&h).as_deref(), Some("e3"));
    let told = posted(&h, CHANNEL_ID);
    assert!(
        told.iter()
            .any(|t| t.contains("Could not play **two**: yt-dlp is not installed")),
        "{told:?}"
    );
    let history: Vec<crate::model::Played> =
        serde_json::from_value(h.stored(&format!("hist:{GUILD_ID}")).unwrap()).unwrap();
    let two = history.iter().find(|p| p.title == "two").unwrap();
    assert!(two.error.as_deref().unwrap().contains("yt-dlp"));
    assert_eq!(history[0].title, "three");
    assert_eq!(history[0].error, None);
}

#[test]
fn the_first_track_failing_is_the_answer_to_play() {
    let (mut h, voice) = start();
    voice.put(ALICE, Some(STAGE));
    h.fail_next_play("the file albums/missing.ogg does not exist in the music folder");
    let answer = play(&mut h, ALICE, "file:albums/missing.ogg");
    assert_eq!(
        answer,
        "Could not play **missing.ogg**: the file albums/missing.ogg does not exist in the music folder"
    );
    assert_eq!(stored_queue(&h).now, None);
    // The next /play works.
    assert_eq!(play(&mut h, ALICE, "two"), "▶ Playing **two**.");
}

#[test]
fn a_track_failing_while_playing_moves_on_and_stale_events_change_nothing() {
    let (mut h, _voice) = playing_queue(&["one", "two"]);
    h.voice_event(
        GUILD_ID,
        VoiceEventKind::TrackFailed {
            tag: "e1".into(),
            error: "the site refused: sign in to confirm you are not a bot".into(),
        },
    )
    .unwrap();
    assert_eq!(playing(&h).as_deref(), Some("e2"));
    assert!(posted(&h, CHANNEL_ID)
        .iter()
        .any(|t| t.contains("sign in to confirm")));
    // An event for a track that is no longer current is ignored.
    for kind in [
        VoiceEventKind::TrackEnded {
            tag: "e1".into(),
            reason: EndReason::Finished,
            position_ms: 0,
        },
        VoiceEventKind::TrackFailed {
            tag: "e1".into(),
            error: "late".into(),
        },
    ] {
        h.voice_event(GUILD_ID, kind).unwrap();
    }
    assert_eq!(playing(&h).as_deref(), Some("e2"));
    assert_eq!(plays(&h), ["e1", "e2"]);
}

#[test]
fn a_reload_mid_song_loses_nothing_and_the_next_end_still_advances() {
    let (mut h, _voice) = playing_queue(&["one", "two", "three"]);
    run(&mut h, cmd(ALICE, "loop", &[], vec![text("mode", "queue")]));
    h.set_track_position(GUILD_ID, 42_000);
    h.reload().unwrap();
    assert_eq!(upcoming(&h), ["two", "three"]);
    assert_eq!(stored_queue(&h).loop_mode, crate::model::LoopMode::Queue);
    h.finish_track(GUILD_ID).unwrap();
    assert_eq!(playing(&h).as_deref(), Some("e2"));
    assert_eq!(upcoming(&h), ["three", "one"]);
}

#[test]
fn a_restarts_resumed_track_is_accepted_without_queueing_or_announcing_again() {
    let (mut h, _voice) = playing_queue(&["one", "two"]);
    let before = stored_queue(&h);
    let announced = posted(&h, CHANNEL_ID).len();
    let history = h.stored(&format!("hist:{GUILD_ID}"));
    h.reload().unwrap();
    // The host rejoined and resumed e1 itself.
    h.voice_event(
        GUILD_ID,
        VoiceEventKind::TrackStarted {
            tag: "e1".into(),
            info: TrackInfo::default(),
        },
    )
    .unwrap();
    assert_eq!(stored_queue(&h), before);
    assert_eq!(posted(&h, CHANNEL_ID).len(), announced, "announced once");
    assert_eq!(h.stored(&format!("hist:{GUILD_ID}")), history);
    assert_eq!(plays(&h), ["e1"], "nothing played again by the module");
    h.finish_track(GUILD_ID).unwrap();
    assert_eq!(playing(&h).as_deref(), Some("e2"));
}

#[test]
fn a_disconnection_keeps_the_queue_and_resume_starts_where_it_stopped() {
    let (mut h, _voice) = playing_queue(&["one", "two"]);
    h.set_track_position(GUILD_ID, 61_000);
    h.disconnect_voice(GUILD_ID).unwrap();
    let queue = stored_queue(&h);
    assert!(!queue.playing);
    assert_eq!(queue.resume_ms, 61_000);
    assert_eq!(upcoming(&h), ["two"]);
    let answer = run(&mut h, cmd(ALICE, "resume", &[], vec![]));
    assert_eq!(answer, "▶ Resumed.");
    let resumed = h.voice_requests().into_iter().rev().find_map(|r| match r {
        VoiceRequest::Play { tag, start_ms, .. } => Some((tag, start_ms)),
        _ => None,
    });
    assert_eq!(resumed, Some(("e1".to_owned(), 61_000)));
}

#[test]
fn tracks_are_announced_in_their_channel_unless_the_member_turned_it_off() {
    let (mut h, voice) = start();
    voice.put(ALICE, Some(STAGE));
    voice.put(BOB, Some(STAGE));
    lengths(&h, 185);
    run(
        &mut h,
        cmd(
            BOB,
            "music",
            &["prefs"],
            vec![arg("announce", ArgValue::Boolean(false))],
        ),
    );
    play(&mut h, ALICE, "one");
    play(&mut h, BOB, "two");
    h.finish_track(GUILD_ID).unwrap();
    let told = posted(&h, CHANNEL_ID);
    assert_eq!(told, ["🎶 Now playing **one** 3:05 — queued by <@20>"]);
}

#[test]
fn play_from_another_server_never_touches_this_servers_queue() {
    let (mut h, voice) = playing_queue(&["one", "two"]);
    voice.put_in(OTHER_GUILD, BOB, Some(Id::new(900)));
    let mut invocation = cmd(BOB, "play", &[], vec![text("query", "elsewhere")]);
    invocation.invoker.guild_id = Some(OTHER_GUILD);
    assert_eq!(run(&mut h, invocation), "▶ Playing **elsewhere**.");
    let mut clear = cmd(BOB, "clear", &[], vec![]);
    clear.invoker.guild_id = Some(OTHER_GUILD);
    assert!(run(&mut h, clear).contains("The queue is empty"));
    assert_eq!(upcoming(&h), ["two"]);
    assert_eq!(playing(&h).as_deref(), Some("e1"));
    assert_eq!(
        h.voice_status(OTHER_GUILD).track.map(|t| t.tag).as_deref(),
        Some("e1")
    );
}

#[test]
fn a_lost_store_race_is_retried_and_queues_the_track_once() {
    let (mut h, _voice) = playing_queue(&["one"]);
    h.conflict_next_commits(2);
    assert_eq!(play(&mut h, ALICE, "two"), "Queued **two** at position 1.");
    assert_eq!(upcoming(&h), ["two"]);
    assert_eq!(stored_queue(&h).next_id, 3);
}

#[test]
fn a_stop_by_the_host_moves_on_like_a_skip() {
    let (mut h, _voice) = playing_queue(&["one", "two"]);
    h.voice_event(
        GUILD_ID,
        VoiceEventKind::TrackEnded {
            tag: "e1".into(),
            reason: EndReason::Stopped,
            position_ms: 5_000,
        },
    )
    .unwrap();
    assert_eq!(playing(&h).as_deref(), Some("e2"));
}

#[test]
fn a_run_of_broken_tracks_stops_after_ten_tries_and_resume_goes_on() {
    let (mut h, voice) = start();
    voice.put(ALICE, Some(STAGE));
    play(&mut h, ALICE, "first");
    for i in 2..=13 {
        play(&mut h, ALICE, &format!("broken {i}"));
        h.fail_plays_of(
            &format!("e{i}"),
            "the site refused: HTTP 429 Too Many Requests",
        );
    }
    play(&mut h, ALICE, "good");
    h.finish_track(GUILD_ID).unwrap();
    // e2 to e11 failed (10 tries), told each in the channel; the player waits at e12.
    assert_eq!(plays(&h).len(), 11);
    assert_eq!(playing(&h), None);
    assert_eq!(stored_queue(&h).now.unwrap().title, "broken 12");
    let told = posted(&h, CHANNEL_ID);
    assert_eq!(told.iter().filter(|t| t.contains("HTTP 429")).count(), 10);
    assert_eq!(run(&mut h, cmd(ALICE, "resume", &[], vec![])), "▶ Resumed.");
    assert_eq!(playing(&h).as_deref(), Some("e14"));
    assert_eq!(stored_queue(&h).now.unwrap().title, "good");
}

#[test]
fn connected_and_disconnected_events_track_the_channel_and_drop_the_timers() {
    let (mut h, _voice) = playing_queue(&["one"]);
    assert_eq!(stored_queue(&h).voice_channel, Some(STAGE));
    h.voice_event(GUILD_ID, VoiceEventKind::Connected { channel_id: LOUNGE })
        .unwrap();
    assert_eq!(stored_queue(&h).voice_channel, Some(LOUNGE));
    h.finish_track(GUILD_ID).unwrap();
    assert!(!h.timers().is_empty(), "the idle timer runs");
    h.disconnect_voice(GUILD_ID).unwrap();
    assert_eq!(stored_queue(&h).voice_channel, None);
    assert!(h.timers().is_empty(), "{:?}", h.timers());
}
