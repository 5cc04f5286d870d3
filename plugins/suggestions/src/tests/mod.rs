//! Harness tests: the module against the SDK's in-memory host and a small fake Discord that
//! keeps the messages it posted (their latest content), the threads, and who accepts direct
//! messages.

mod config;
mod decisions;
mod submit;
mod votes;

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex},
};

use arsenal_plugin_api::{
    model::{
        guild::Permissions,
        id::{
            marker::{ChannelMarker, GuildMarker, UserMarker},
            Id,
        },
    },
    protocol::{Arg, ArgValue, CommandInvocation, DiscordError, DiscordRequest, Invoker, Reply},
    testing::{TestHarness, GUILD_ID},
    Response,
};
use serde_json::{json, Value};

use crate::Suggestions;
use arsenal_plugin_api::component::CustomId;

pub const ALICE: Id<UserMarker> = Id::new(10);
pub const BOB: Id<UserMarker> = Id::new(20);
pub const CAROL: Id<UserMarker> = Id::new(30);
pub const SUGGESTIONS: Id<ChannelMarker> = Id::new(600);
pub const LOG: Id<ChannelMarker> = Id::new(601);
/// A channel where the bot may not post.
pub const LOCKED: Id<ChannelMarker> = Id::new(602);

/// What the fake Discord holds.
#[derive(Default)]
pub struct World {
    next_id: u64,
    /// Message id → (channel, latest content).
    pub messages: BTreeMap<u64, (Id<ChannelMarker>, Reply)>,
    /// Thread id (the message's) → name.
    pub threads: BTreeMap<u64, String>,
    /// Threads archived and locked.
    pub closed_threads: BTreeSet<u64>,
    /// Direct messages received, by user.
    pub dms: BTreeMap<Id<UserMarker>, Vec<Reply>>,
    pub closed_dms: BTreeSet<Id<UserMarker>>,
}

/// Answers the plugin's Discord requests like Discord would, for what this module uses.
#[derive(Clone, Default)]
pub struct Fake(pub Arc<Mutex<World>>);

fn unknown(what: &str, code: u64) -> DiscordError {
    DiscordError::new(404, Some(code), format!("Unknown {what}"))
}

impl Fake {
    fn answer(&self, request: &DiscordRequest) -> Result<Value, DiscordError> {
        let mut world = self.0.lock().unwrap();
        Ok(match request {
            DiscordRequest::SendMessage {
                channel_id,
                message,
            } => {
                if *channel_id == LOCKED {
                    return Err(DiscordError::new(403, Some(50013), "Missing Permissions"));
                }
                world.next_id += 1;
                let id = 1000 + world.next_id;
                world.messages.insert(id, (*channel_id, message.clone()));
                json!({ "id": id.to_string() })
            }
            DiscordRequest::EditMessage { target, message } => {
                let Some(kept) = world.messages.get_mut(&target.message_id.get()) else {
                    return Err(unknown("Message", 10008));
                };
                kept.1 = message.clone();
                json!({ "id": target.message_id.to_string() })
            }
            DiscordRequest::CreateThreadFromMessage { target, name } => {
                let id = target.message_id.get();
                if world.threads.contains_key(&id) {
                    return Err(DiscordError::new(
                        400,
                        Some(160_004),
                        "A thread has already been created for this message",
                    ));
                }
                world.threads.insert(id, name.clone());
                json!({ "id": id.to_string(), "type": 11 })
            }
            DiscordRequest::SetThreadArchived {
                thread_id,
                archived,
                locked,
            } => {
                let id = thread_id.get();
                if !world.threads.contains_key(&id) {
                    return Err(unknown("Channel", 10003));
                }
                assert_eq!(archived, locked, "archived and locked together");
                if *archived {
                    world.closed_threads.insert(id);
                } else {
                    world.closed_threads.remove(&id);
                }
                json!({ "id": id.to_string(), "type": 11 })
            }
            DiscordRequest::SendDirectMessage { user_id, message } => {
                if world.closed_dms.contains(user_id) {
                    return Err(DiscordError::new(
                        403,
                        Some(50007),
                        "Cannot send messages to this user",
                    ));
                }
                world.dms.entry(*user_id).or_default().push(message.clone());
                json!({ "id": "1" })
            }
            _ => Value::Null,
        })
    }

    /// The latest content of message `id`.
    pub fn message(&self, id: u64) -> Reply {
        self.0.lock().unwrap().messages[&id].1.clone()
    }

    /// Messages posted in `channel`, oldest first.
    pub fn posted_in(&self, channel: Id<ChannelMarker>) -> Vec<(u64, Reply)> {
        self.0
            .lock()
            .unwrap()
            .messages
            .iter()
            .filter(|(_, (c, _))| *c == channel)
            .map(|(id, (_, reply))| (*id, reply.clone()))
            .collect()
    }

    pub fn dms_to(&self, user: Id<UserMarker>) -> Vec<Reply> {
        self.0
            .lock()
            .unwrap()
            .dms
            .get(&user)
            .cloned()
            .unwrap_or_default()
    }

    pub fn close_dms(&self, user: Id<UserMarker>) {
        self.0.lock().unwrap().closed_dms.insert(user);
    }

    /// Whether the thread on message `id` is archived and locked (`None`: no such thread).
    pub fn thread_closed(&self, id: u64) -> Option<bool> {
        let world = self.0.lock().unwrap();
        world
            .threads
            .contains_key(&id)
            .then(|| world.closed_threads.contains(&id))
    }

    pub fn delete_thread(&self, id: u64) {
        self.0.lock().unwrap().threads.remove(&id);
    }

    pub fn delete_message(&self, id: u64) {
        self.0.lock().unwrap().messages.remove(&id);
    }
}

pub type Harness = TestHarness<Suggestions>;

/// A harness with the fake Discord answering.
pub fn start() -> (Harness, Fake) {
    let harness = Harness::start().unwrap();
    let fake = Fake::default();
    let answering = fake.clone();
    harness.on_discord(move |request| answering.answer(request));
    (harness, fake)
}

/// A harness whose server has a suggestion channel, a log channel, threads on, no cooldown.
pub fn configured() -> (Harness, Fake) {
    let (mut harness, fake) = start();
    let text = config(
        &mut harness,
        vec![
            arg("channel", ArgValue::Channel(SUGGESTIONS)),
            arg("log_channel", ArgValue::Channel(LOG)),
            arg("cooldown", ArgValue::String("off".into())),
        ],
    );
    assert!(text.starts_with("Settings saved."), "{text}");
    (harness, fake)
}

pub fn arg(name: &str, value: ArgValue) -> Arg {
    Arg {
        name: name.to_owned(),
        value,
    }
}

pub fn member(user: Id<UserMarker>) -> Invoker {
    Harness::invoker(user, Permissions::empty())
}

pub fn admin(user: Id<UserMarker>) -> Invoker {
    Harness::invoker(user, Permissions::MANAGE_GUILD)
}

/// A `/name sub…` invocation by `invoker`.
pub fn invocation(invoker: Invoker, name: &str, sub: &[&str], args: Vec<Arg>) -> CommandInvocation {
    CommandInvocation {
        name: name.to_owned(),
        subcommand: sub.iter().map(|s| (*s).to_owned()).collect(),
        args,
        invoker,
        source: arsenal_plugin_api::protocol::CommandSource::Slash,
        users: Vec::new(),
        attachments: Vec::new(),
    }
}

/// The text of an answer, asserting it is ephemeral.
pub fn ephemeral(response: &Response) -> String {
    match response {
        Response::Message(reply) if reply.ephemeral => reply.content.clone().unwrap_or_default(),
        other => panic!("expected an ephemeral message, got {other:?}"),
    }
}

pub fn run(harness: &mut Harness, command: CommandInvocation) -> String {
    ephemeral(&harness.command(command).unwrap())
}

/// `/suggestion config …` by an admin.
pub fn config(harness: &mut Harness, args: Vec<Arg>) -> String {
    run(
        harness,
        invocation(admin(ALICE), "suggestion", &["config"], args),
    )
}

/// `/suggest` by `invoker`.
pub fn suggest(harness: &mut Harness, invoker: Invoker, text: &str, anonymous: bool) -> String {
    let mut args = vec![arg("suggestion", ArgValue::String(text.to_owned()))];
    if anonymous {
        args.push(arg("anonymous", ArgValue::Boolean(true)));
    }
    run(harness, invocation(invoker, "suggest", &[], args))
}

/// `/suggestion <decision> <id> [reason]` by `invoker`.
pub fn decide(
    harness: &mut Harness,
    invoker: Invoker,
    decision: &str,
    id: i64,
    reason: Option<&str>,
) -> String {
    let mut args = vec![arg("id", ArgValue::Integer(id))];
    if let Some(reason) = reason {
        args.push(arg("reason", ArgValue::String(reason.to_owned())));
    }
    run(
        harness,
        invocation(invoker, "suggestion", &[decision], args),
    )
}

/// A press on a vote button of `message` by `invoker`.
pub fn vote(
    harness: &mut Harness,
    invoker: Invoker,
    message: u64,
    number: u64,
    up: bool,
) -> String {
    let response = harness
        .component(arsenal_plugin_api::protocol::ComponentInvocation {
            custom_id: crate::render::Ballot::Vote { number, up }.custom_id(),
            values: Vec::new(),
            message_id: Id::new(message),
            invoker,
        })
        .unwrap();
    ephemeral(&response)
}

/// The stored record of suggestion `number` in the harness server.
pub fn record(harness: &Harness, number: u64) -> Value {
    harness
        .stored(&format!("suggestion:{GUILD_ID}:{number}"))
        .unwrap_or_else(|| panic!("no suggestion #{number}"))
}

/// The embed field named `name` of `reply`'s first embed.
pub fn field(reply: &Reply, name: &str) -> String {
    reply.embeds[0]
        .fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.value.clone())
        .unwrap_or_else(|| panic!("no field {name} in {:?}", reply.embeds[0]))
}

/// The labels of `reply`'s buttons and whether they are disabled.
pub fn buttons(reply: &Reply) -> Vec<(String, bool)> {
    let json = serde_json::to_value(reply).unwrap();
    json["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["label"].as_str().unwrap_or_default().to_owned(),
                b["disabled"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

/// An invoker from another server.
pub fn elsewhere(user: Id<UserMarker>, guild: Id<GuildMarker>) -> Invoker {
    Invoker {
        guild_id: Some(guild),
        ..admin(user)
    }
}

/// The message id of suggestion `number`.
pub fn message_of(harness: &Harness, number: u64) -> u64 {
    record(harness, number)["message_id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("suggestion #{number} has no message"))
}

#[test]
fn every_text_exists_in_english_and_french() {
    arsenal_plugin_api::testing::assert_translated::<Suggestions>();
}

#[test]
fn a_french_member_gets_french_and_the_server_its_language() {
    let (mut harness, fake) = configured();
    harness.set_guild_locale(Some("fr"));
    let mut french = member(BOB);
    french.locale = Some("fr".to_owned());
    let text = suggest(
        &mut harness,
        french.clone(),
        "Un salon pour les memes",
        false,
    );
    assert!(
        text.starts_with("Votre suggestion n° 1 est publiée"),
        "{text}"
    );
    let posted = fake.message(message_of(&harness, 1));
    assert_eq!(posted.embeds[0].title.as_deref(), Some("Suggestion n° 1"));
    assert_eq!(field(&posted, "Statut"), "Ouverte aux votes");
    let message = message_of(&harness, 1);
    let text = vote(&mut harness, french, message, 1, true);
    assert!(text.starts_with("Vous avez voté 👍"), "{text}");
}
