//! Harness tests: the module against the SDK's in-memory host and a small fake Discord.

mod closing;
mod flows;
mod french;
mod logic;

use std::sync::{Arc, Mutex};

use arsenal_plugin_api::{
    model::{
        guild::Permissions,
        id::{
            marker::{ChannelMarker, RoleMarker, UserMarker},
            Id,
        },
    },
    protocol::{
        Arg, ArgValue, ComponentInvocation, DiscordError, DiscordRequest, Invoker, ModalField,
        ModalInvocation,
    },
    testing::{TestHarness, ADMIN_ID, CHANNEL_ID},
    Response,
};
use serde_json::{json, Value};

use crate::Tickets;

pub const BOT: Id<UserMarker> = Id::new(99);
pub const BOB: Id<UserMarker> = Id::new(20);
pub const CAROL: Id<UserMarker> = Id::new(30);
pub const STAFF: Id<UserMarker> = Id::new(40);
pub const STAFF_ROLE: Id<RoleMarker> = Id::new(500);
pub const LOG: Id<ChannelMarker> = Id::new(600);

/// Messages the fake Discord holds per channel: (id, author, content), oldest first.
#[derive(Default)]
pub struct FakeState {
    next_id: u64,
    pub history: Vec<(u64, u64, String)>,
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
        state.next_id += 1;
        let id = 1000 + state.next_id;
        Ok(match request {
            DiscordRequest::GetBotUser => json!({ "id": BOT.to_string(), "username": "Arsenal" }),
            DiscordRequest::CreateChannel { .. }
            | DiscordRequest::CreateThread { .. }
            | DiscordRequest::SendMessage { .. } => json!({ "id": id.to_string() }),
            DiscordRequest::GetMessages { limit, before, .. } => {
                let before = before.map_or(u64::MAX, Id::get);
                let page: Vec<Value> = state
                    .history
                    .iter()
                    .rev()
                    .filter(|(id, _, _)| *id < before)
                    .take(usize::from(*limit))
                    .map(|(id, author, content)| {
                        json!({
                            "id": id.to_string(),
                            "author": { "id": author.to_string(), "username": format!("user{author}"), "bot": *author == BOT.get() },
                            "content": content,
                            "timestamp": format!("2026-11-21T10:{:02}:{:02}.000000+00:00", (id / 60) % 60, id % 60),
                        })
                    })
                    .collect();
                Value::Array(page)
            }
            _ => Value::Null,
        })
    }
}

pub fn start() -> (TestHarness<Tickets>, Fake) {
    let harness = TestHarness::<Tickets>::start().unwrap();
    let fake = Fake::default();
    let answering = fake.clone();
    harness.on_discord(move |request| answering.answer(request));
    (harness, fake)
}

pub fn arg(name: &str, value: ArgValue) -> Arg {
    Arg {
        name: name.to_owned(),
        value,
    }
}

pub fn text(value: &str) -> ArgValue {
    ArgValue::String(value.to_owned())
}

/// An invoker: `user` with `roles` in `channel`; the admin has Administrator.
pub fn who(user: Id<UserMarker>, channel: Id<ChannelMarker>) -> Invoker {
    let permissions = if user == ADMIN_ID {
        Permissions::ADMINISTRATOR
    } else {
        Permissions::empty()
    };
    let mut invoker = TestHarness::<Tickets>::invoker(user, permissions);
    invoker.channel_id = channel;
    if user == STAFF {
        invoker.roles = vec![STAFF_ROLE];
    }
    invoker
}

pub fn run(
    harness: &mut TestHarness<Tickets>,
    invoker: Invoker,
    sub: &str,
    args: Vec<Arg>,
) -> Response {
    let mut invocation =
        harness.slash_as(invoker.user_id, invoker.permissions, "ticket", &[sub], args);
    invocation.invoker = invoker;
    harness.command(invocation).unwrap()
}

pub fn admin(harness: &mut TestHarness<Tickets>, sub: &str, args: Vec<Arg>) -> Response {
    run(harness, who(ADMIN_ID, CHANNEL_ID), sub, args)
}

pub fn click(harness: &mut TestHarness<Tickets>, invoker: Invoker, custom_id: &str) -> Response {
    harness
        .component(ComponentInvocation {
            custom_id: custom_id.to_owned(),
            values: Vec::new(),
            message_id: Id::new(1),
            invoker,
        })
        .unwrap()
}

pub fn select(
    harness: &mut TestHarness<Tickets>,
    invoker: Invoker,
    custom_id: &str,
    value: &str,
) -> Response {
    harness
        .component(ComponentInvocation {
            custom_id: custom_id.to_owned(),
            values: vec![value.to_owned()],
            message_id: Id::new(1),
            invoker,
        })
        .unwrap()
}

pub fn submit(
    harness: &mut TestHarness<Tickets>,
    invoker: Invoker,
    custom_id: &str,
    reason: &str,
) -> Response {
    harness
        .modal(ModalInvocation {
            custom_id: custom_id.to_owned(),
            fields: vec![ModalField {
                custom_id: "reason".to_owned(),
                value: reason.to_owned(),
            }],
            invoker,
        })
        .unwrap()
}

/// The text of a message response (ephemeral or not).
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

/// Sets the log channel and posts panel #1 in the harness channel.
pub fn set_up(harness: &mut TestHarness<Tickets>) {
    admin(
        harness,
        "config",
        vec![arg("log_channel", ArgValue::Channel(LOG))],
    );
    admin(
        harness,
        "staff",
        vec![arg("role", ArgValue::Role(STAFF_ROLE))],
    );
    let answer = admin(
        harness,
        "panel",
        vec![arg("channel", ArgValue::Channel(CHANNEL_ID))],
    );
    assert!(said(&answer).starts_with("Panel #1 posted"), "{answer:?}");
}

/// Bob opens a ticket from panel #1; returns its channel.
pub fn open_as(harness: &mut TestHarness<Tickets>, user: Id<UserMarker>) -> Id<ChannelMarker> {
    let answer = click(harness, who(user, CHANNEL_ID), "open:1");
    let text = said(&answer);
    let id = text
        .split("<#")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .and_then(|id| id.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no channel in {text:?}"));
    Id::new(id)
}

/// The last request of the kind `pick` selects.
pub fn last<T>(harness: &TestHarness<Tickets>, pick: impl Fn(&DiscordRequest) -> Option<T>) -> T {
    harness
        .discord_requests()
        .iter()
        .rev()
        .find_map(pick)
        .expect("such a request was made")
}

pub fn message_event(id: u64, channel: Id<ChannelMarker>, author: Id<UserMarker>) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel.to_string(),
        "guild_id": "1",
        "author": {"id": author.to_string(), "username": "someone", "discriminator": "0", "avatar": null, "global_name": null},
        "content": "still there?",
        "timestamp": "2026-11-21T10:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0
    })
}

#[test]
fn every_text_exists_in_english_and_french() {
    arsenal_plugin_api::testing::assert_translated::<crate::Tickets>();
}

/// Discord shows a French member the French names and descriptions.
#[test]
fn commands_are_declared_in_french_too() {
    let commands = arsenal_plugin_api::testing::localized_commands::<crate::Tickets>();
    let ticket = &commands[0];
    let fr = |map: &Option<std::collections::BTreeMap<String, String>>| {
        map.as_ref().and_then(|m| m.get("fr")).cloned()
    };
    assert_eq!(ticket.name, "ticket");
    assert_eq!(
        fr(&ticket.description_localizations).as_deref(),
        Some("Tickets de support : panneaux, ouverture, fermeture, outils du staff")
    );
    let open = ticket
        .options
        .iter()
        .find(|o| o.name == "open")
        .expect("/ticket open");
    assert_eq!(
        open.name_localizations
            .as_ref()
            .and_then(|m| m.get("fr"))
            .map(String::as_str),
        Some("ouvrir")
    );
}

/// A French member setting up tickets without the permission is told in French; others in
/// English, as before.
#[test]
fn a_french_member_is_answered_in_french() {
    use arsenal_plugin_api::{model::guild::Permissions, testing::TestHarness, Response};
    let mut harness = TestHarness::<crate::Tickets>::start().unwrap();
    let mut invocation = harness.slash_as(
        arsenal_plugin_api::model::id::Id::new(20),
        Permissions::SEND_MESSAGES,
        "ticket",
        &["panels"],
        vec![],
    );
    assert_eq!(
        harness.command(invocation.clone()).unwrap(),
        Response::ephemeral("You need the Manage Server permission to set up tickets.")
    );
    invocation.invoker.locale = Some("fr".into());
    assert_eq!(
        harness.command(invocation).unwrap(),
        Response::ephemeral(
            "Il vous faut la permission Gérer le serveur pour configurer les tickets."
        )
    );
}
