//! Voice sessions beyond the happy path: leaving, a resumable close, refused credentials, and
//! lost UDP packets, each through songbird's real driver.

use super::{connected, join, tone_file, trust_test_ca, TONE, TONE_HZ};
use crate::common::*;
use songbird::driver::retry::{Retry, Strategy};
use songbird::input::File;
use std::time::Duration;
use twilight_gateway::Event;
use twilight_model::gateway::payload::outgoing::UpdateVoiceState;
use twilight_model::id::{marker::ChannelMarker, Id};

#[tokio::test]
async fn leaving_dispatches_a_null_voice_state_and_ends_the_session() {
    let (sim, mut shard, _driver) = connected().await;
    let demo = sim.world().demo_ids().unwrap();
    let voice = sim.voice();
    voice
        .wait_session(demo.guild, TIMEOUT)
        .await
        .expect("session");
    assert_eq!(
        sim.with_world(|w| w.voice_channel_of(demo.guild, demo.bot)),
        Some(demo.lounge)
    );
    shard.command(&UpdateVoiceState::new(
        demo.guild,
        None::<Id<ChannelMarker>>,
        false,
        false,
    ));
    let left = next_matching(&mut shard, |e| match e {
        Event::VoiceStateUpdate(v) if v.user_id == demo.bot => Some(v),
        _ => None,
    })
    .await;
    assert_eq!(left.channel_id, None);
    assert!(voice
        .wait_for(TIMEOUT, |v| v.session(demo.guild).is_none().then_some(()))
        .await
        .is_some());
    assert_eq!(
        sim.with_world(|w| w.voice_channel_of(demo.guild, demo.bot)),
        None
    );
}

#[tokio::test]
async fn a_resumable_close_is_resumed_and_audio_still_arrives() {
    let (sim, _shard, mut driver) = connected().await;
    let guild = sim.world().demo_ids().unwrap().guild;
    let voice = sim.voice();
    voice.wait_session(guild, TIMEOUT).await.expect("session");
    // 4015 "voice server crashed": songbird reconnects and sends op 7 RESUME.
    assert!(voice.close_connection(guild, 4015));
    let resumed = voice
        .wait_for(TIMEOUT, |v| {
            v.session(guild).filter(|s| s.resumes == 1 && s.connected)
        })
        .await
        .expect("songbird resumed the session");
    assert_eq!(voice.identifies(), 1, "resumed, not identified again");
    driver.play_input(File::new(tone_file()).into());
    let received = voice
        .wait_quiet(guild, Duration::from_millis(300), TIMEOUT)
        .await
        .expect("audio after the resume");
    // Same SSRC and key: the UDP side never noticed.
    assert_eq!(voice.session(guild).unwrap().ssrc, resumed.ssrc);
    received
        .check_tone(TONE_HZ, 5.0, TONE, Duration::from_millis(100))
        .unwrap();
}

#[tokio::test]
async fn identify_with_another_token_is_refused() {
    let sim = sim().await;
    trust_test_ca(&sim);
    let demo = sim.world().demo_ids().unwrap();
    let mut shard = shard(&sim);
    ready(&mut shard).await;
    let mut info = join(&mut shard, demo.guild, demo.lounge, demo.bot).await;
    info.token.push('x');
    // One quick retry: songbird's default retries five times with backoff, past TIMEOUT.
    let mut driver = songbird::driver::Driver::new(
        songbird::Config::default()
            .scheduler(songbird::driver::Scheduler::new(Default::default()))
            .driver_retry(Retry {
                strategy: Strategy::Every(Duration::from_millis(50).into()),
                retry_limit: std::num::NonZeroU8::new(1),
            }),
    );
    let outcome = tokio::time::timeout(TIMEOUT, driver.connect(info))
        .await
        .expect("songbird gives up in time");
    assert!(outcome.is_err(), "a wrong token must not connect");
    assert_eq!(sim.voice().identifies(), 0);
    let refusals = sim.voice().refusals();
    assert!(refusals.iter().any(|r| r.contains("token")), "{refusals:?}");
}

#[tokio::test]
async fn lost_packets_show_as_gaps_and_fail_the_duration_check() {
    let (sim, _shard, mut driver) = connected().await;
    let guild = sim.world().demo_ids().unwrap().guild;
    let voice = sim.voice();
    voice.wait_session(guild, TIMEOUT).await.expect("session");
    driver.play_input(File::new(tone_file()).into());
    voice
        .wait_for_packets(guild, 10, TIMEOUT)
        .await
        .expect("audio started");
    voice.drop_udp_for(Duration::from_millis(400));
    // Outlast the drop before watching for the end (nothing arrives during it).
    tokio::time::sleep(Duration::from_millis(450)).await;
    let received = voice
        .wait_quiet(guild, Duration::from_millis(300), TIMEOUT)
        .await
        .expect("audio resumed and ended");
    let dropped = voice.dropped_datagrams();
    assert!(dropped >= 10, "{dropped} datagrams dropped");
    assert_eq!(received.sequence_gaps, dropped, "{received:?}");
    let problems = received
        .check_tone(TONE_HZ, 5.0, TONE, Duration::from_millis(100))
        .unwrap_err();
    assert!(problems.contains("audible for"), "{problems}");
}

#[tokio::test]
async fn two_guilds_get_separate_sessions_and_only_the_playing_one_is_heard() {
    let mut world = discord_sim::World::demo();
    let owner = world.owner_id();
    let other = world.add_guild("other", owner);
    let other_voice = world.add_channel(
        other,
        "Stage",
        discord_sim::world::channel_kind::GUILD_VOICE,
        None,
    );
    let sim = sim_with(world, 1).await;
    trust_test_ca(&sim);
    let demo = sim.world().demo_ids().unwrap();
    let mut shard = shard(&sim);
    ready(&mut shard).await;
    let info_a = join(&mut shard, demo.guild, demo.lounge, demo.bot).await;
    let info_b = join(&mut shard, other, other_voice, demo.bot).await;
    assert_ne!(info_a.token, info_b.token);
    let (mut a, mut b) = (super::driver(), super::driver());
    a.connect(info_a).await.expect("guild A connects");
    b.connect(info_b).await.expect("guild B connects");
    let voice = sim.voice();
    let (sa, sb) = (
        voice.wait_session(demo.guild, TIMEOUT).await.unwrap(),
        voice.wait_session(other, TIMEOUT).await.unwrap(),
    );
    assert_ne!(sa.ssrc, sb.ssrc);
    assert_eq!((sa.channel, sb.channel), (demo.lounge, other_voice));
    a.play_input(File::new(tone_file()).into());
    let received = voice
        .wait_quiet(demo.guild, Duration::from_millis(300), TIMEOUT)
        .await
        .expect("guild A's audio");
    received
        .check_tone(TONE_HZ, 5.0, TONE, Duration::from_millis(100))
        .unwrap();
    // Guild B may have sent a UDP keepalive (every 5 s), never audio.
    assert_eq!(
        voice.received(other).map_or(0, |r| r.packets),
        0,
        "guild B sent no audio"
    );
}

#[tokio::test]
async fn without_connect_permission_discord_answers_nothing() {
    use twilight_model::guild::Permissions;
    let sim = sim().await;
    let demo = sim.world().demo_ids().unwrap();
    let mut shard = shard(&sim);
    ready(&mut shard).await;
    let no_connect = Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES;
    sim.modify_world(|w| {
        w.set_role_permissions(demo.guild, demo.everyone, no_connect.bits());
        w.set_role_permissions(demo.guild, demo.bot_role, no_connect.bits());
    });
    let mut events = sim.observe();
    let join_op = UpdateVoiceState::new(demo.guild, Some(demo.lounge), false, false);
    shard.command(&join_op);
    let answered = tokio::time::timeout(Duration::from_millis(500), async {
        while let Ok(e) = events.recv().await {
            if e.name.starts_with("VOICE_") {
                return e.name;
            }
        }
        ""
    })
    .await;
    assert!(answered.is_err(), "answered with {answered:?}");
    assert_eq!(
        sim.with_world(|w| w.voice_channel_of(demo.guild, demo.bot)),
        None
    );
    // The same op with Connect allowed is answered: the silence above was the permission.
    sim.modify_world(|w| {
        w.set_role_permissions(
            demo.guild,
            demo.everyone,
            (no_connect | Permissions::CONNECT).bits(),
        );
    });
    let info = join(&mut shard, demo.guild, demo.lounge, demo.bot).await;
    assert_eq!(info.endpoint, sim.voice().endpoint());
}
