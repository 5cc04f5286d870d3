//! Harness tests: the module against the SDK's in-memory host and a small fake Discord that
//! creates channels and messages, answers the voice states it is told, and can refuse actions.

mod controls;
mod flows;
mod reconcile;

use std::sync::{Arc, Mutex};

use arsenal_plugin_api::{
    model::{
        guild::Permissions,
        id::{
            marker::{ChannelMarker, GuildMarker, UserMarker},
            Id,
        },
    },
    protocol::{
        Arg, ArgValue, ComponentInvocation, DiscordError, DiscordRequest, Invoker, ModalField,
        ModalInvocation,
    },
    testing::{TestHarness, GUILD_ID},
    Response,
};
use serde_json::{json, Value};

use crate::VoiceHub;

pub const BOT: Id<UserMarker> = Id::new(99);
pub const BOB: Id<UserMarker> = Id::new(20);
pub const CAROL: Id<UserMarker> = Id::new(30);
pub const DAVE: Id<UserMarker> = Id::new(40);
pub const HUB: Id<ChannelMarker> = Id::new(500);
pub const CATEGORY: Id<ChannelMarker> = Id::new(400);
/// The first channel the fake Discord creates.
pub const FIRST_ROOM: Id<ChannelMarker> = Id::new(1001);

/// What the fake Discord holds.
#[derive(Default)]
pub struct FakeState {
    next_id: u64,
    /// What `GetVoiceStates` answers (`None`: the guild is not available yet).
    pub voice: Option<Vec<(u64, u64)>>,
    /// Answer every request whose debug text contains the key with this error.
    pub fail: Option<(String, DiscordError)>,
}

/// Answers the plugin's Discord requests like Discord would, minimally.
#[derive(Clone, Default)]
pub struct Fake(pub Arc<Mutex<FakeState>>);

impl Fake {
    fn answer(&self, request: &DiscordRequest) -> Result<Value, DiscordError> {
        let mut state = self.0.lock().unwrap();
        if let Some((needle, error)) = &state.fail {
            if format!("{request:?}").contains(needle.as_str()) {
                return Err(error.clone());
            }
        }
        Ok(match request {
            DiscordRequest::GetBotUser => json!({ "id": BOT.to_string(), "username": "Arsenal" }),
            DiscordRequest::GetChannel { channel_id } => {
                json!({ "id": channel_id.to_string(), "type": 2, "parent_id": CATEGORY.to_string() })
            }
            DiscordRequest::CreateVoiceChannel { .. } | DiscordRequest::SendMessage { .. } => {
                state.next_id += 1;
                json!({ "id": (1000 + state.next_id).to_string() })
            }
            DiscordRequest::GetVoiceStates { .. } => match &state.voice {
                None => Value::Null,
                Some(states) => states
                    .iter()
                    .map(|(user, channel)| {
                        json!({ "user_id": user.to_string(), "channel_id": channel.to_string() })
                    })
                    .collect(),
            },
            _ => Value::Null,
        })
    }

    /// Makes every request whose debug text contains `needle` fail with `error`.
    pub fn fail(&self, needle: &str, error: DiscordError) {
        self.0.lock().unwrap().fail = Some((needle.to_owned(), error));
    }
}

pub fn start() -> (TestHarness<VoiceHub>, Fake) {
    let harness = TestHarness::<VoiceHub>::start().unwrap();
    let fake = Fake::default();
    let answering = fake.clone();
    harness.on_discord(move |request| answering.answer(request));
    (harness, fake)
}

/// An invoker: `user` in the harness guild, Manage Channels for `manager`.
pub fn who(user: Id<UserMarker>, manager: bool) -> Invoker {
    let permissions = if manager {
        Permissions::MANAGE_CHANNELS
    } else {
        Permissions::empty()
    };
    TestHarness::<VoiceHub>::invoker(user, permissions)
}

pub fn arg(name: &str, value: ArgValue) -> Arg {
    Arg {
        name: name.to_owned(),
        value,
    }
}

/// `/voice <sub> …` by `invoker`.
pub fn run(
    harness: &mut TestHarness<VoiceHub>,
    invoker: Invoker,
    sub: &str,
    args: Vec<Arg>,
) -> Response {
    let mut invocation =
        harness.slash_as(invoker.user_id, invoker.permissions, "voice", &[sub], args);
    invocation.invoker = invoker;
    harness.command(invocation).unwrap()
}

/// Presses a panel component (a button, or a menu with `values`).
pub fn press(
    harness: &mut TestHarness<VoiceHub>,
    invoker: Invoker,
    custom_id: &str,
    values: &[&str],
) -> Response {
    harness
        .component(ComponentInvocation {
            custom_id: custom_id.to_owned(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            message_id: Id::new(1),
            invoker,
        })
        .unwrap()
}

/// Submits a panel form.
pub fn submit(
    harness: &mut TestHarness<VoiceHub>,
    invoker: Invoker,
    custom_id: &str,
    value: &str,
) -> Response {
    harness
        .modal(ModalInvocation {
            custom_id: custom_id.to_owned(),
            fields: vec![ModalField {
                custom_id: "value".to_owned(),
                value: value.to_owned(),
            }],
            invoker,
        })
        .unwrap()
}

/// The text of a message response.
pub fn said(response: &Response) -> String {
    match response {
        Response::Message(reply) | Response::Update(reply) => {
            reply.content.clone().unwrap_or_default()
        }
        other => format!("{other:?}"),
    }
}

pub fn is_ephemeral(response: &Response) -> bool {
    matches!(response, Response::Message(reply) if reply.ephemeral)
}

/// A VOICE_STATE_UPDATE as Discord sends it: `user` is now in `channel` (`None`: left voice).
pub fn voice(
    harness: &mut TestHarness<VoiceHub>,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
    channel: Option<Id<ChannelMarker>>,
) {
    let data = json!({
        "guild_id": guild.to_string(),
        "channel_id": channel.map(|c| c.to_string()),
        "user_id": user.to_string(),
        "session_id": format!("s{user}"),
        "deaf": false, "mute": false, "self_deaf": false, "self_mute": false,
        "self_video": false, "suppress": false, "request_to_speak_timestamp": null,
        "member": {
            "user": { "id": user.to_string(), "username": format!("user{user}"),
                      "discriminator": "0", "avatar": null, "global_name": null },
            "nick": if user == BOB { json!("Bob") } else { Value::Null },
            "roles": [], "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "deaf": false, "mute": false, "flags": 0
        }
    });
    harness.event("VOICE_STATE_UPDATE", &data).unwrap();
}

/// `user` moves in the harness guild.
pub fn join(harness: &mut TestHarness<VoiceHub>, user: Id<UserMarker>, channel: Id<ChannelMarker>) {
    voice(harness, GUILD_ID, user, Some(channel));
}

pub fn leave(harness: &mut TestHarness<VoiceHub>, user: Id<UserMarker>) {
    voice(harness, GUILD_ID, user, None);
}

/// Makes `HUB` a hub with a 10-second delay, as a member with Manage Channels.
pub fn set_up(harness: &mut TestHarness<VoiceHub>) {
    let answer = run(
        harness,
        who(DAVE, true),
        "hub",
        vec![
            arg("channel", ArgValue::Channel(HUB)),
            arg("delay", ArgValue::Integer(10)),
        ],
    );
    assert!(said(&answer).contains("is a hub"), "{}", said(&answer));
}

/// Bob joins the hub: his room is `FIRST_ROOM`, and he is moved there (the move's update).
pub fn bob_gets_a_room(harness: &mut TestHarness<VoiceHub>) {
    set_up(harness);
    join(harness, BOB, HUB);
    join(harness, BOB, FIRST_ROOM);
}

/// The stored room record.
pub fn room(harness: &TestHarness<VoiceHub>, channel: Id<ChannelMarker>) -> Option<Value> {
    harness.stored(&format!("room:{GUILD_ID}:{channel}"))
}

pub fn timer_pending(harness: &TestHarness<VoiceHub>, key: &str) -> Option<u64> {
    harness
        .timers()
        .into_iter()
        .find(|t| t.key == key)
        .map(|t| t.at_unix_ms)
}

#[test]
fn every_text_exists_in_english_and_french() {
    arsenal_plugin_api::testing::assert_translated::<crate::VoiceHub>();
}
