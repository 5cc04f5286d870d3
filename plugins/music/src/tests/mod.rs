//! Harness tests: the module against the SDK's in-memory host (its voice side plays the host's
//! part: one track per server, the events a real connection sends) and a small fake Discord
//! that answers the voice states a test sets and the bot's own user.

mod controls;
mod playback;
mod playlists;
mod presence;
mod queue_edits;
mod votes;

use std::sync::{Arc, Mutex};

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    model::{
        guild::Permissions,
        id::{
            marker::{ChannelMarker, GuildMarker, RoleMarker, UserMarker},
            Id,
        },
    },
    protocol::{
        Arg, ArgValue, CommandInvocation, CommandSource, DiscordError, DiscordRequest, Reply,
        TrackInfo, VoiceRequest,
    },
    testing::{TestHarness, CHANNEL_ID, GUILD_ID},
    Response,
};
use serde_json::{json, Value};

use crate::Music;

pub type H = TestHarness<Music>;

pub const BOT: Id<UserMarker> = Id::new(99);
pub const OTHER_BOT: Id<UserMarker> = Id::new(98);
pub const ALICE: Id<UserMarker> = Id::new(20);
pub const BOB: Id<UserMarker> = Id::new(30);
pub const CAROL: Id<UserMarker> = Id::new(40);
pub const DAVE: Id<UserMarker> = Id::new(50);
pub const STAGE: Id<ChannelMarker> = Id::new(700);
pub const LOUNGE: Id<ChannelMarker> = Id::new(701);
pub const DJ_ROLE: Id<RoleMarker> = Id::new(600);
pub const OTHER_GUILD: Id<GuildMarker> = Id::new(5);

/// Who is in which voice channel (user, channel), per guild, as the fake Discord answers, and
/// the users the host's cache knows as bots.
#[derive(Clone, Default)]
pub struct Voice(
    pub Arc<Mutex<Vec<VoiceState>>>,
    pub Arc<Mutex<Vec<Id<UserMarker>>>>,
);

/// One member in a voice channel of a guild.
pub type VoiceState = (Id<GuildMarker>, Id<UserMarker>, Id<ChannelMarker>);

impl Voice {
    /// `user` is now in `channel` of the harness guild (or nowhere with `None`).
    pub fn put(&self, user: Id<UserMarker>, channel: Option<Id<ChannelMarker>>) {
        self.put_in(GUILD_ID, user, channel);
    }

    pub fn put_in(
        &self,
        guild: Id<GuildMarker>,
        user: Id<UserMarker>,
        channel: Option<Id<ChannelMarker>>,
    ) {
        let mut states = self.0.lock().unwrap();
        states.retain(|(g, u, _)| !(*g == guild && *u == user));
        if let Some(channel) = channel {
            states.push((guild, user, channel));
        }
    }

    /// The host's cache knows `user` is a bot (`VoiceConnection::bot`).
    pub fn known_bot(&self, user: Id<UserMarker>) {
        self.1.lock().unwrap().push(user);
    }

    fn answer(&self, request: &DiscordRequest) -> Result<Value, DiscordError> {
        let bots = self.1.lock().unwrap().clone();
        Ok(match request {
            DiscordRequest::GetBotUser => json!({ "id": BOT.to_string(), "username": "Arsenal" }),
            DiscordRequest::GetVoiceStates { guild_id } => self
                .0
                .lock()
                .unwrap()
                .iter()
                .filter(|(g, _, _)| g == guild_id)
                .map(|(_, user, channel)| {
                    json!({ "user_id": user.to_string(), "channel_id": channel.to_string(),
                        "bot": bots.contains(user) })
                })
                .collect(),
            DiscordRequest::SendMessage { channel_id, .. } => {
                json!({ "id": "5000", "channel_id": channel_id.to_string() })
            }
            _ => Value::Null,
        })
    }
}

/// A harness whose Discord knows the bot and answers `voice`'s states.
pub fn start() -> (H, Voice) {
    let harness = H::start().unwrap();
    let voice = Voice::default();
    let answering = voice.clone();
    harness.on_discord(move |request| answering.answer(request));
    (harness, voice)
}

pub fn arg(name: &str, value: ArgValue) -> Arg {
    Arg {
        name: name.to_owned(),
        value,
    }
}

pub fn text(name: &str, value: &str) -> Arg {
    arg(name, ArgValue::String(value.to_owned()))
}

pub fn int(name: &str, value: i64) -> Arg {
    arg(name, ArgValue::Integer(value))
}

/// `/name sub… args` by `user` (no permissions) in the harness guild.
pub fn cmd(user: Id<UserMarker>, name: &str, sub: &[&str], args: Vec<Arg>) -> CommandInvocation {
    CommandInvocation {
        name: name.to_owned(),
        subcommand: sub.iter().map(|s| (*s).to_owned()).collect(),
        args,
        invoker: H::invoker(user, Permissions::empty()),
        source: CommandSource::Slash,
        users: Vec::new(),
        attachments: Vec::new(),
    }
}

/// The text of an answer (a refusal is shown ephemerally, like the host does).
pub fn said(answer: Result<Response, AbiError>) -> String {
    match answer {
        Ok(Response::Message(Reply { content, .. }) | Response::Update(Reply { content, .. })) => {
            content.unwrap_or_default()
        }
        Err(refusal) if refusal.kind() == ErrorCode::Forbidden => refusal.message.to_string(),
        other => panic!("unexpected answer {other:?}"),
    }
}

/// Runs `invocation`, delivers the voice events it caused, and returns the answer's text.
pub fn run(h: &mut H, invocation: CommandInvocation) -> String {
    let answer = said(h.command(invocation));
    h.deliver_voice_events().unwrap();
    answer
}

/// `/play query` by `user`.
pub fn play(h: &mut H, user: Id<UserMarker>, query: &str) -> String {
    let invocation = cmd(user, "play", &[], vec![text("query", query)]);
    run(h, invocation)
}

/// The tag of the track the host plays in the harness guild.
pub fn playing(h: &H) -> Option<String> {
    h.voice_status(GUILD_ID).track.map(|t| t.tag)
}

/// The tags `Play` was asked for, in order.
pub fn plays(h: &H) -> Vec<String> {
    h.voice_requests()
        .into_iter()
        .filter_map(|r| match r {
            VoiceRequest::Play { tag, .. } => Some(tag),
            _ => None,
        })
        .collect()
}

/// The texts the module posted in `channel` on its own.
pub fn posted(h: &H, channel: Id<ChannelMarker>) -> Vec<String> {
    h.discord_requests()
        .into_iter()
        .filter_map(|r| match r {
            DiscordRequest::SendMessage {
                channel_id,
                message,
            } if channel_id == channel => message.content,
            _ => None,
        })
        .collect()
}

/// Tracks tagged `e<n>` open with `seconds` of length.
pub fn lengths(h: &H, seconds: u64) {
    h.set_track_info(
        "e",
        TrackInfo {
            duration_ms: Some(seconds * 1000),
            title: None,
        },
    );
}

/// A harness with ALICE in STAGE and `tracks` queued by her (the first playing).
pub fn playing_queue(tracks: &[&str]) -> (H, Voice) {
    let (mut h, voice) = start();
    voice.put(ALICE, Some(STAGE));
    for track in tracks {
        play(&mut h, ALICE, track);
    }
    (h, voice)
}

/// The stored queue of the harness guild.
pub fn stored_queue(h: &H) -> crate::model::Queue {
    h.stored(&format!("queue:{GUILD_ID}"))
        .map(|v| serde_json::from_value(v).unwrap())
        .unwrap_or_default()
}

/// Titles of the tracks after the one playing.
pub fn upcoming(h: &H) -> Vec<String> {
    stored_queue(h)
        .upcoming
        .into_iter()
        .map(|e| e.title)
        .collect()
}

#[test]
fn every_text_exists_in_english_and_french() {
    arsenal_plugin_api::testing::assert_translated::<Music>();
}

#[test]
fn a_french_member_is_answered_in_french() {
    let (mut h, _voice) = start();
    let mut invocation = cmd(ALICE, "play", &[], vec![text("query", "daft punk")]);
    invocation.invoker.locale = Some("fr".to_owned());
    let answer = run(&mut h, invocation);
    assert_eq!(
        answer,
        "Rejoignez d'abord un salon vocal, puis relancez la commande."
    );
    let _ = CHANNEL_ID;
}

#[test]
fn the_manifest_asks_for_voice_states_and_declares_every_command() {
    use arsenal_plugin_api::model::gateway::Intents;
    let manifest = arsenal_plugin_api::sdk::manifest::<Music>();
    assert_ne!(manifest.intents & Intents::GUILD_VOICE_STATES.bits(), 0);
    assert!(manifest.events.iter().any(|e| e == "VOICE_STATE_UPDATE"));
    let names: Vec<&str> = manifest.commands.iter().map(|c| c.name.as_str()).collect();
    for name in [
        "play",
        "queue",
        "remove",
        "move",
        "shuffle",
        "clear",
        "skip",
        "voteskip",
        "pause",
        "resume",
        "seek",
        "loop",
        "volume",
        "nowplaying",
        "leave",
        "history",
        "music",
        "playlist",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    assert!(
        manifest.commands.iter().all(|c| c.prefix),
        "every command has its prefix form"
    );
}
