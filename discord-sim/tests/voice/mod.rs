//! songbird 0.6.1's real driver against the simulator's voice server: the twilight shard sends
//! op 4, the simulator answers VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE, songbird dials the
//! voice gateway over TLS (trusting the simulator's test CA through `SSL_CERT_FILE`), discovers
//! its address, and sends the committed test tone as AES-256-GCM-encrypted Opus over UDP, which
//! the simulator decrypts, decodes and measures.

mod session;

use crate::common::*;
use discord_sim::Simulator;
use songbird::driver::{Driver, Scheduler, SchedulerConfig as ScheduleConfig};
use songbird::{input::File, Config, ConnectionInfo};
use std::path::PathBuf;
use std::sync::Once;
use std::time::Duration;
use twilight_gateway::{Event, Shard};
use twilight_model::gateway::payload::outgoing::UpdateVoiceState;
use twilight_model::id::{marker::GuildMarker, Id};

/// The committed test file: 1.5 s of 440 Hz at half scale, mono, 48 kHz (assets/README.md).
pub fn tone_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/tone-440hz-1500ms.wav")
}
pub const TONE_HZ: f32 = 440.0;
pub const TONE: Duration = Duration::from_millis(1500);

/// A driver with its own mixer scheduler. songbird's default scheduler is a process-wide
/// static whose idle task is spawned on the runtime of the first driver made; `#[tokio::test]`
/// gives each test its own runtime, so once the first test ends every later driver would find
/// that task gone (songbird panics in `Scheduler::new_mixer`).
pub fn driver() -> Driver {
    Driver::new(Config::default().scheduler(Scheduler::new(ScheduleConfig::default())))
}

/// Points rustls-native-certs (used by songbird's tokio-websockets) at the simulator's test
/// CA. One CA serves every simulator of the process, so setting it once is enough.
pub fn trust_test_ca(sim: &Simulator) {
    static ONCE: Once = Once::new();
    let ca = sim.voice().ca_file().to_owned();
    ONCE.call_once(|| std::env::set_var("SSL_CERT_FILE", ca));
}

/// Sends op 4 for `guild`/`channel` through the shard and returns the ConnectionInfo built from
/// the VOICE_STATE_UPDATE (bot's own) and VOICE_SERVER_UPDATE the simulator answered with.
pub async fn join(
    shard: &mut Shard<twilight_gateway::queue::InMemoryQueue>,
    guild: Id<GuildMarker>,
    channel: Id<twilight_model::id::marker::ChannelMarker>,
    bot: Id<twilight_model::id::marker::UserMarker>,
) -> ConnectionInfo {
    shard.command(&UpdateVoiceState::new(guild, Some(channel), false, false));
    let mut session_id = None;
    let mut server = None;
    while session_id.is_none() || server.is_none() {
        match next_matching(shard, |e| match e {
            Event::VoiceStateUpdate(v) if v.user_id == bot => Some(Event::VoiceStateUpdate(v)),
            Event::VoiceServerUpdate(v) => Some(Event::VoiceServerUpdate(v)),
            _ => None,
        })
        .await
        {
            Event::VoiceStateUpdate(v) => {
                assert_eq!(v.channel_id, Some(channel));
                session_id = Some(v.session_id.clone());
            }
            Event::VoiceServerUpdate(v) => {
                assert_eq!(v.guild_id, guild);
                server = Some((v.endpoint.expect("endpoint"), v.token));
            }
            _ => unreachable!(),
        }
    }
    let (endpoint, token) = server.expect("VOICE_SERVER_UPDATE");
    ConnectionInfo {
        channel_id: channel.into_nonzero().into(),
        endpoint,
        guild_id: guild.into_nonzero().into(),
        session_id: session_id.expect("VOICE_STATE_UPDATE"),
        token,
        user_id: bot.into_nonzero().into(),
    }
}

/// A simulator, a ready shard, and a songbird driver connected to the demo guild's Lounge.
pub async fn connected() -> (
    Simulator,
    Shard<twilight_gateway::queue::InMemoryQueue>,
    Driver,
) {
    let sim = sim().await;
    trust_test_ca(&sim);
    let demo = sim.world().demo_ids().expect("demo world");
    let mut shard = shard(&sim);
    ready(&mut shard).await;
    let info = join(&mut shard, demo.guild, demo.lounge, demo.bot).await;
    assert_eq!(info.endpoint, sim.voice().endpoint());
    let mut driver = driver();
    tokio::time::timeout(TIMEOUT, driver.connect(info))
        .await
        .expect("songbird connects in time")
        .expect("songbird connects to the simulator's voice server");
    (sim, shard, driver)
}

#[tokio::test]
async fn songbird_plays_the_test_tone_and_the_server_decodes_it() {
    let (sim, _shard, mut driver) = connected().await;
    let guild = sim.world().demo_ids().unwrap().guild;
    let voice = sim.voice();
    let session = voice
        .wait_session(guild, TIMEOUT)
        .await
        .expect("session described");
    assert_eq!(session.mode.as_deref(), Some("aead_aes256_gcm_rtpsize"));
    assert!(session.udp_peer.is_some(), "IP discovery went through");

    driver.play_input(File::new(tone_file()).into());
    let received = voice
        .wait_quiet(guild, Duration::from_millis(300), TIMEOUT)
        .await
        .expect("audio arrived and stopped");
    eprintln!("received: {received:?}");
    received
        .check_tone(TONE_HZ, 5.0, TONE, Duration::from_millis(100))
        .unwrap();
    assert_eq!(received.sequence_gaps, 0);
    // 1.5 s is 75 frames of 20 ms, plus songbird's trailing silent frames.
    assert!(
        (75..=85).contains(&received.packets),
        "{} packets",
        received.packets
    );
    assert!(
        (received.rms - 0.5 / 2f32.sqrt()).abs() < 0.05,
        "RMS {} for a half-scale sine",
        received.rms
    );
    // SPEAKING (microphone) was announced on the voice gateway.
    let session = voice.session(guild).unwrap();
    assert_eq!(session.spoke & 1, 1, "{session:?}");
    // ...and cleared when the track ended.
    assert_eq!(session.speaking, 0);
    assert_eq!(voice.unknown_datagrams(), 0);
    driver.leave();
    sim.assert_no_violations();
}

#[tokio::test]
async fn a_wrong_key_fails_decryption_and_the_check() {
    let sim = sim().await;
    trust_test_ca(&sim);
    sim.voice().decrypt_with_wrong_key(true);
    let demo = sim.world().demo_ids().unwrap();
    let mut shard = shard(&sim);
    ready(&mut shard).await;
    let info = join(&mut shard, demo.guild, demo.lounge, demo.bot).await;
    let mut driver = driver();
    driver.connect(info).await.expect("songbird connects");
    driver.play_input(File::new(tone_file()).into());
    let received = sim
        .voice()
        .wait_quiet(demo.guild, Duration::from_millis(300), TIMEOUT)
        .await
        .expect("packets arrived");
    assert_eq!(received.decrypt_failures, received.packets);
    assert_eq!(received.decoded, Duration::ZERO);
    let problems = received
        .check_tone(TONE_HZ, 5.0, TONE, Duration::from_millis(100))
        .unwrap_err();
    assert!(problems.contains("failed to decrypt"), "{problems}");
    assert!(problems.contains("silent"), "{problems}");
}

#[tokio::test]
async fn silence_is_detected_as_silence() {
    let (sim, _shard, mut driver) = connected().await;
    let guild = sim.world().demo_ids().unwrap().guild;
    let track = driver.play_input(File::new(tone_file()).into());
    track.set_volume(0.0).expect("volume");
    let received = sim
        .voice()
        .wait_quiet(guild, Duration::from_millis(300), TIMEOUT)
        .await
        .expect("packets arrived");
    assert_eq!(received.decrypt_failures, 0);
    assert!(
        received.decoded >= Duration::from_millis(1400),
        "{received:?}"
    );
    assert_eq!(received.audible, Duration::ZERO);
    let problems = received
        .check_tone(TONE_HZ, 5.0, TONE, Duration::from_millis(100))
        .unwrap_err();
    assert!(problems.contains("silent"), "{problems}");
}
