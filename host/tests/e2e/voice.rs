//! Voice end to end: the real host (twilight gateway, songbird's driver, real TLS to the
//! simulator's voice gateway, real UDP, RTP encryption) plays audio for the `voice-player`
//! fixture, and the simulator's voice server decrypts and decodes what arrived. Covers joining
//! and playing a file of the music folder, a reload mid-song (no gap, the new instance hears
//! the end), a restart mid-song (rejoined, resumed near the saved position), the controls, a
//! voice server crash, the bot moved or kicked, and who may drive which server's audio. Sources
//! (yt-dlp, attachments, bad paths) are in `voice_sources`.

use std::{
    path::{Path, PathBuf},
    sync::Once,
    time::Duration,
};

use arsenal_host::plugins::Trigger;
use discord_sim::world::{channel_kind, DEMO_BOT_PERMISSIONS};
use serde_json::Value;
use twilight_model::guild::Permissions;
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker},
    Id,
};

use crate::common::{
    bot::{Bot, WAIT},
    fixture, plugin,
};

/// The committed test tone (1.5 s of 440 Hz).
pub(crate) fn committed_tone() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../discord-sim/assets/tone-440hz-1500ms.wav")
}

/// A mono 48 kHz 16-bit WAV of `hz` lasting `seconds`, at half scale.
fn tone_wav(hz: f32, seconds: f32) -> Vec<u8> {
    let samples = (48_000.0 * seconds) as u32;
    let data_len = samples * 2;
    let mut wav = Vec::with_capacity(44 + data_len as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes());
    wav.extend_from_slice(&48_000u32.to_le_bytes());
    wav.extend_from_slice(&96_000u32.to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        let t = i as f32 / 48_000.0;
        let v = (t * hz * std::f32::consts::TAU).sin() * 0.5 * f32::from(i16::MAX);
        wav.extend_from_slice(&(v as i16).to_le_bytes());
    }
    wav
}

/// A second server with a voice channel (trust tests).
pub(crate) struct Other {
    guild: Id<GuildMarker>,
    voice: Id<ChannelMarker>,
    /// A second voice channel of the demo server.
    second: Id<ChannelMarker>,
    /// A voice channel of the demo server the bot may not connect to.
    closed: Id<ChannelMarker>,
}

fn bot_user(ids: discord_sim::DemoIds) -> u64 {
    ids.bot.get()
}

/// The simulator, the voice fixtures installed, the music folder holding the committed tone
/// (`tone.wav`) and a 10 s one (`long.wav`); the host started with `adjust`ed settings.
pub(crate) async fn voice_bot(
    modules: &[&str],
    adjust: impl FnOnce(&mut arsenal_host::config::DiscordSettings),
) -> (Bot, Other) {
    let installed: Vec<(&str, PathBuf)> = modules
        .iter()
        .map(|m| match *m {
            // The real module; the others are fixtures.
            "music" => (*m, plugin("music")),
            _ => (*m, fixture(&m.replace('_', "-"))),
        })
        .collect();
    let (mut bot, other) = Bot::prepare(&installed, |w, ids| {
        let guild = w.add_guild("Other Server", ids.owner);
        w.add_bot_role(guild, DEMO_BOT_PERMISSIONS.bits(), 3);
        let voice = w.add_channel(guild, "other-voice", channel_kind::GUILD_VOICE, None);
        let second = w.add_channel(ids.guild, "Second Lounge", channel_kind::GUILD_VOICE, None);
        let closed = w.add_channel(ids.guild, "Staff Voice", channel_kind::GUILD_VOICE, None);
        w.add_overwrite(closed, bot_user(ids), 1, 0, Permissions::CONNECT.bits());
        Other {
            guild,
            voice,
            second,
            closed,
        }
    })
    .await;
    trust_simulator_ca(&bot);
    let music = bot.dir.path().join("music");
    std::fs::create_dir_all(&music).expect("music folder");
    std::fs::copy(committed_tone(), music.join("tone.wav")).expect("the committed tone");
    std::fs::write(music.join("long.wav"), tone_wav(440.0, 10.0)).expect("a long tone");
    bot.boot_every_server(adjust).await;
    (bot, other)
}

/// songbird dials `wss://`: its roots come from the system store, which `SSL_CERT_FILE`
/// replaces with the simulator's test CA (one file for every simulator of the process).
fn trust_simulator_ca(bot: &Bot) {
    static SET: Once = Once::new();
    if std::env::var_os("VOICE_TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("info,songbird=debug")
            .with_test_writer()
            .try_init();
    }
    let ca = bot.sim.voice().ca_file().to_path_buf();
    SET.call_once(|| std::env::set_var("SSL_CERT_FILE", ca));
}

/// The voice events `module` recorded: `(event, load)`.
pub(crate) fn events(bot: &Bot, module: &str) -> Vec<(Value, u64)> {
    bot.app()
        .store
        .list(&format!("plugin.{module}"), "ev:")
        .expect("store list")
        .into_iter()
        .map(|(_, v)| {
            (
                v.value["event"].clone(),
                v.value["load"].as_u64().expect("load"),
            )
        })
        .collect()
}

pub(crate) async fn wait_event(
    bot: &Bot,
    module: &str,
    check: impl Fn(&Value, u64) -> bool,
) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some((e, _)) = events(bot, module).into_iter().find(|(e, l)| check(e, *l)) {
            return e;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no such voice event; got {:?}",
            events(bot, module)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn join_lounge(bot: &Bot, prefix: &str) -> String {
    bot.prefix(bot.ids.owner, &format!("!{prefix}join {}", bot.ids.lounge))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_joins_and_plays_a_music_folder_file_the_simulator_decodes() {
    let (bot, _) = voice_bot(&["voice_player"], |s| s.shards = Some(2)).await;
    let guild = bot.ids.guild;
    let joined = join_lounge(&bot, "v").await;
    assert!(
        joined.starts_with("ok ") && joined.contains("\"connected\":true"),
        "{joined}"
    );
    let session = bot.sim.voice().session(guild).expect("a voice session");
    assert_eq!(session.channel, bot.ids.lounge);
    assert_eq!(session.user, bot.ids.bot);
    // Op 4 went through the shard holding the server (Discord ignores it on another).
    let home = u32::try_from((guild.get() >> 22) % 2).expect("0 or 1");
    let updates = bot.sim.voice().voice_updates();
    assert!(
        !updates.is_empty()
            && updates
                .iter()
                .all(|(shard, g)| *shard == home && *g == guild),
        "op 4 on shard {home} expected: {updates:?}"
    );

    let played = bot.prefix(bot.ids.owner, "!vplay tone.wav").await;
    assert!(played.contains("\"duration_ms\":1500"), "{played}");
    let received = bot
        .sim
        .voice()
        .wait_quiet(guild, Duration::from_millis(400), Duration::from_secs(15))
        .await
        .expect("audio arrived, then stopped");
    received
        .check_tone(
            440.0,
            15.0,
            Duration::from_millis(1500),
            Duration::from_millis(200),
        )
        .unwrap_or_else(|e| panic!("{e}: {received:?}"));
    let ended = wait_event(&bot, "voice_player", |e, _| e["event"] == "track_ended").await;
    assert_eq!(ended["reason"], "finished", "{ended}");
    assert_eq!(ended["tag"], "tone.wav");
    let started = events(&bot, "voice_player");
    assert!(
        started.iter().any(|(e, _)| e["event"] == "connected")
            && started
                .iter()
                .any(|(e, _)| e["event"] == "track_started" && e["info"]["duration_ms"] == 1500),
        "{started:?}"
    );

    // Leaving ends the session on the voice server and forgets the saved connection.
    assert_eq!(bot.prefix(bot.ids.owner, "!vleave").await, "ok null");
    wait_event(&bot, "voice_player", |e, _| e["event"] == "disconnected").await;
    assert!(bot
        .sim
        .voice()
        .wait_for(WAIT, |v| v.session(guild).is_none().then_some(()))
        .await
        .is_some());
    assert!(bot
        .app()
        .store
        .list("arsenal.voice", "")
        .unwrap()
        .is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reloading_the_module_mid_song_keeps_the_audio_flowing() {
    let (bot, _) = voice_bot(&["voice_player"], |_| ()).await;
    let guild = bot.ids.guild;
    assert!(join_lounge(&bot, "v").await.starts_with("ok "));
    let played = bot.prefix(bot.ids.owner, "!vplay long.wav").await;
    assert!(played.contains("\"duration_ms\":10000"), "{played}");
    let voice = bot.sim.voice();
    voice
        .wait_for_packets(guild, 100, WAIT)
        .await
        .expect("two seconds of audio");
    bot.app()
        .manager
        .reload("voice_player", Trigger::Command)
        .await
        .expect("reloaded");
    let received = voice
        .wait_quiet(guild, Duration::from_millis(400), Duration::from_secs(20))
        .await
        .expect("the song went on to its end");
    eprintln!(
        "reload mid-song: {} packets, {} gaps, {} late, max lateness {:?}, {:?} audible",
        received.packets,
        received.sequence_gaps,
        received.late_packets,
        received.max_lateness,
        received.audible
    );
    assert_eq!(received.sequence_gaps, 0, "{received:?}");
    received
        .check_tone(
            440.0,
            15.0,
            Duration::from_secs(10),
            Duration::from_millis(300),
        )
        .unwrap_or_else(|e| panic!("{e}: {received:?}"));
    let ended = wait_event(&bot, "voice_player", |e, _| e["event"] == "track_ended").await;
    assert_eq!(ended["reason"], "finished");
    let (_, load) = events(&bot, "voice_player")
        .into_iter()
        .find(|(e, _)| e["event"] == "track_ended")
        .unwrap();
    assert_eq!(load, 2, "the reloaded instance heard the end");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarting_the_host_mid_song_resumes_near_the_saved_position() {
    let (mut bot, _) = voice_bot(&["voice_player"], |_| ()).await;
    let guild = bot.ids.guild;
    assert!(join_lounge(&bot, "v").await.starts_with("ok "));
    assert!(bot
        .prefix(bot.ids.owner, "!vplay long.wav")
        .await
        .starts_with("ok "));
    assert!(bot
        .prefix(bot.ids.owner, "!vvolume 80")
        .await
        .starts_with("ok "));
    let voice = bot.sim.voice();
    let before = voice
        .wait_for_packets(guild, 200, Duration::from_secs(15))
        .await
        .expect("four seconds of audio");
    bot.restart().await;
    let saved = bot
        .app()
        .store
        .get("arsenal.voice", &guild.to_string())
        .unwrap();
    let position = saved.expect("the connection was kept").value["track"]["position_ms"]
        .as_u64()
        .unwrap();
    assert!(
        (3_000..=6_000).contains(&position),
        "saved at {position} ms after {:?} of audio",
        before.decoded
    );
    voice.reset(guild);
    let started = wait_event(&bot, "voice_player", |e, load| {
        load == 2 && e["event"] == "track_started"
    })
    .await;
    assert_eq!(started["tag"], "long.wav");
    let status = bot.prefix(bot.ids.owner, "!vstatus").await;
    assert!(status.contains("\"volume_percent\":80"), "{status}");
    let rest = voice
        .wait_quiet(guild, Duration::from_millis(400), Duration::from_secs(20))
        .await
        .expect("the rest of the song");
    let expected = Duration::from_millis(10_000 - position);
    eprintln!(
        "restart: {:?} of audio before, saved at {position} ms; after: {:?} audible (expected {expected:?})",
        before.decoded, rest.audible
    );
    rest.check_tone(440.0, 15.0, expected, Duration::from_millis(2_500))
        .unwrap_or_else(|e| panic!("{e}: {rest:?} (resumed from {position} ms)"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voice_stays_in_its_server_and_with_its_owner() {
    let (bot, other) = voice_bot(&["voice_player", "voice_player_b"], |_| ()).await;
    let owner = bot.ids.owner;
    // Answering a member of the demo server, a module cannot drive another server's voice.
    let across = bot
        .prefix(
            owner,
            &format!("!vjoin {} guild={}", other.voice, other.guild),
        )
        .await;
    assert!(
        across.contains("may not drive voice in another server"),
        "{across}"
    );
    assert!(bot.sim.voice().session(other.guild).is_none());

    // The first module to join owns the connection: the second may not drive it, nor take it.
    assert!(join_lounge(&bot, "v").await.starts_with("ok "));
    let taken = join_lounge(&bot, "w").await;
    assert!(
        taken.contains("module `voice_player` owns the voice connection"),
        "{taken}"
    );
    let played = bot.prefix(owner, "!wplay tone.wav").await;
    assert!(played.contains("module `voice_player` owns"), "{played}");
    let stopped = bot.prefix(owner, "!wleave").await;
    assert!(stopped.contains("module `voice_player` owns"), "{stopped}");
    assert!(bot
        .prefix(owner, "!wstatus")
        .await
        .contains("\"connected\":true"));
    // Events went to the owner only.
    assert!(events(&bot, "voice_player_b").is_empty());
    assert!(!events(&bot, "voice_player").is_empty());
    // Once it left, the other module may join.
    assert_eq!(bot.prefix(owner, "!vleave").await, "ok null");
    let rejoined = join_lounge(&bot, "w").await;
    assert!(rejoined.starts_with("ok "), "{rejoined}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_moved_or_disconnected_by_a_member_tells_its_module() {
    let (bot, other) = voice_bot(&["voice_player"], |_| ()).await;
    let guild = bot.ids.guild;
    assert!(join_lounge(&bot, "v").await.starts_with("ok "));
    assert!(bot
        .prefix(bot.ids.owner, "!vplay long.wav")
        .await
        .starts_with("ok "));
    // A member drags the bot into another channel: the module hears where it is now.
    bot.sim.join_voice(bot.ids.bot, other.second).await;
    let moved = wait_event(&bot, "voice_player", |e, _| {
        e["event"] == "connected" && e["channel_id"] == other.second.to_string()
    })
    .await;
    assert_eq!(moved["guild_id"], guild.to_string());
    let status = bot.prefix(bot.ids.owner, "!vstatus").await;
    assert!(
        status.contains(&format!("\"channel_id\":\"{}\"", other.second)),
        "{status}"
    );
    // A member disconnects the bot: the track ends with `left`, the connection is gone and
    // no longer saved.
    bot.sim.leave_voice(bot.ids.bot, guild).await;
    let ended = wait_event(&bot, "voice_player", |e, _| e["event"] == "track_ended").await;
    assert_eq!(ended["reason"], "left", "{ended}");
    wait_event(&bot, "voice_player", |e, _| e["event"] == "disconnected").await;
    let status = bot.prefix(bot.ids.owner, "!vstatus").await;
    assert!(status.contains("\"connected\":false"), "{status}");
    let saved = bot.app().store.list("arsenal.voice", "").unwrap();
    assert!(saved.is_empty(), "{saved:?}");
    let refused = bot.prefix(bot.ids.owner, "!vplay tone.wav").await;
    assert!(refused.contains("join one first"), "{refused}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joining_a_channel_the_bot_may_not_connect_to_says_why() {
    let (bot, other) = voice_bot(&["voice_player"], |_| ()).await;
    let channel = bot.ids.bot_commands;
    // Discord answers nothing when the bot may not connect: the host gives up after its
    // timeout with the likely reasons.
    let sent = bot
        .sim
        .send_message(bot.ids.owner, channel, &format!("!vjoin {}", other.closed))
        .await;
    let me = bot.ids.bot;
    let answer = bot
        .sim
        .wait_for(Duration::from_secs(15), |w| {
            w.messages(channel)
                .into_iter()
                .find(|m| {
                    m.author.id == me
                        && m.reference.as_ref().and_then(|r| r.message_id) == Some(sent)
                })
                .map(|m| m.content)
        })
        .await
        .expect("an answer after the join timeout");
    assert!(
        answer.starts_with("error: ") && answer.contains("Connect to"),
        "{answer}"
    );
    // Nothing half-joined stays: the module may join elsewhere at once.
    assert!(join_lounge(&bot, "v").await.starts_with("ok "));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_resume_seek_volume_and_stop_drive_the_audio() {
    let (bot, _) = voice_bot(&["voice_player"], |_| ()).await;
    let guild = bot.ids.guild;
    let owner = bot.ids.owner;
    let voice = bot.sim.voice();
    assert!(join_lounge(&bot, "v").await.starts_with("ok "));
    assert!(bot
        .prefix(owner, "!vplay long.wav")
        .await
        .starts_with("ok "));
    voice
        .wait_for_packets(guild, 25, WAIT)
        .await
        .expect("audio");
    // Paused: songbird stops sending.
    assert_eq!(bot.prefix(owner, "!vpause").await, "ok null");
    let paused = voice
        .wait_quiet(guild, Duration::from_millis(400), WAIT)
        .await
        .expect("the audio stopped");
    let status = bot.prefix(owner, "!vstatus").await;
    assert!(status.contains("\"paused\":true"), "{status}");
    // Resumed, then moved to 8.5 s of 10: about 1.5 s more plays to the end.
    assert_eq!(bot.prefix(owner, "!vresume").await, "ok null");
    voice
        .wait_for_packets(guild, paused.packets + 5, WAIT)
        .await
        .expect("the audio came back");
    voice.reset(guild);
    assert_eq!(bot.prefix(owner, "!vseek 8500").await, "ok null");
    let out_of_range = bot.prefix(owner, "!vvolume 250").await;
    assert!(out_of_range.contains("out of range"), "{out_of_range}");
    let ended = wait_event(&bot, "voice_player", |e, _| e["event"] == "track_ended").await;
    assert_eq!(ended["reason"], "finished");
    let rest = voice
        .wait_quiet(guild, Duration::from_millis(400), WAIT)
        .await
        .expect("the end of the song");
    assert!(
        rest.audible < Duration::from_millis(2_500),
        "after the seek to 8.5 s, {:?} played",
        rest.audible
    );
    // Stop: the next track ends as `stopped`, at once.
    assert!(bot
        .prefix(owner, "!vplay long.wav")
        .await
        .starts_with("ok "));
    assert_eq!(bot.prefix(owner, "!vstop").await, "ok null");
    let stopped = wait_event(&bot, "voice_player", |e, _| {
        e["event"] == "track_ended" && e["reason"] == "stopped"
    })
    .await;
    assert!(stopped["position_ms"].as_u64().expect("position") < 9_000);
    let nothing = bot.prefix(owner, "!vpause").await;
    assert!(nothing.contains("nothing is playing"), "{nothing}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voice_server_crash_is_resumed_and_the_module_told() {
    let (bot, _) = voice_bot(&["voice_player"], |_| ()).await;
    let guild = bot.ids.guild;
    let voice = bot.sim.voice();
    assert!(join_lounge(&bot, "v").await.starts_with("ok "));
    assert!(bot
        .prefix(bot.ids.owner, "!vplay long.wav")
        .await
        .starts_with("ok "));
    voice
        .wait_for_packets(guild, 25, WAIT)
        .await
        .expect("audio");
    // 4015 "voice server crashed": songbird resumes the session, the audio goes on.
    assert!(voice.close_connection(guild, 4015));
    let count = |kind: &str| {
        events(&bot, "voice_player")
            .iter()
            .filter(|(e, _)| e["event"] == kind)
            .count()
    };
    let deadline = std::time::Instant::now() + WAIT;
    while count("connected") < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "no second `connected`: {:?}",
            events(&bot, "voice_player")
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(voice
        .wait_session(guild, WAIT)
        .await
        .is_some_and(|s| s.resumes >= 1));
    let before = voice.received(guild).map_or(0, |r| r.packets);
    voice
        .wait_for_packets(guild, before + 25, WAIT)
        .await
        .expect("the audio went on after the resume");
    let status = bot.prefix(bot.ids.owner, "!vstatus").await;
    assert!(status.contains("\"connected\":true"), "{status}");
    bot.stop().await;
}
