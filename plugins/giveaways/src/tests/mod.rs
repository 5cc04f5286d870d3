//! Harness tests: the module against the SDK's in-memory host, a fake Discord that numbers the
//! messages it is asked to post, and (when a test says so) a scripted economy module.

mod draws;
mod entries;
mod starting;

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    model::{
        guild::Permissions,
        id::{
            marker::{MessageMarker, RoleMarker, UserMarker},
            Id,
        },
    },
    protocol::{Arg, ArgValue, ComponentInvocation, DiscordRequest, Reply},
    testing::{TestHarness, ADMIN_ID, CHANNEL_ID, GUILD_ID},
    Response,
};
use serde_json::{json, Value};

use crate::Giveaways;

pub const BOB: Id<UserMarker> = Id::new(20);
pub const CAROL: Id<UserMarker> = Id::new(30);
pub const DAVE: Id<UserMarker> = Id::new(40);
pub const BOOSTER: Id<RoleMarker> = Id::new(500);
pub const MEMBER: Id<RoleMarker> = Id::new(501);

/// A harness whose Discord gives every posted message a new id (from 1000).
pub fn start() -> TestHarness<Giveaways> {
    let harness = TestHarness::<Giveaways>::start().unwrap();
    let next = Arc::new(AtomicU64::new(1000));
    harness.on_discord(move |request| match request {
        DiscordRequest::SendMessage { channel_id, .. }
        | DiscordRequest::SendFile { channel_id, .. } => {
            let id = next.fetch_add(1, Ordering::SeqCst);
            Ok::<_, arsenal_plugin_api::protocol::DiscordError>(
                json!({"id": id.to_string(), "channel_id": channel_id.to_string()}),
            )
        }
        _ => Ok(Value::Null),
    });
    harness
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

/// The text and ephemerality of an answer; a refusal (`Error::refused`) is what the host shows
/// the member, ephemerally.
pub fn content(answer: Result<Response, AbiError>) -> (String, bool) {
    match answer {
        Ok(Response::Message(Reply {
            content, ephemeral, ..
        })) => (content.unwrap_or_default(), ephemeral),
        Err(refusal) if refusal.kind() == ErrorCode::Forbidden => {
            (refusal.message.to_string(), true)
        }
        other => panic!("unexpected answer {other:?}"),
    }
}

/// Runs `/giveaway <path…>` as the administrator.
pub fn run(h: &mut TestHarness<Giveaways>, path: &[&str], args: Vec<Arg>) -> (String, bool) {
    let invocation = h.slash_as(ADMIN_ID, Permissions::ADMINISTRATOR, "giveaway", path, args);
    content(h.command(invocation))
}

/// Starts a giveaway and returns its message id.
pub fn start_giveaway(h: &mut TestHarness<Giveaways>, mut args: Vec<Arg>) -> Id<MessageMarker> {
    if !args.iter().any(|a| a.name == "prize") {
        args.push(text("prize", "Nitro"));
    }
    if !args.iter().any(|a| a.name == "duration") {
        args.push(text("duration", "1h"));
    }
    let (answer, ephemeral) = run(h, &["start"], args);
    assert!(
        answer.starts_with("Giveaway posted in") && ephemeral,
        "{answer}"
    );
    let id = answer
        .split('`')
        .nth(1)
        .and_then(|id| id.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no message id in {answer}"));
    Id::new(id)
}

/// A press of the entry button by `user` holding `roles`.
pub fn press(
    h: &TestHarness<Giveaways>,
    user: Id<UserMarker>,
    roles: &[Id<RoleMarker>],
    message: Id<MessageMarker>,
) -> ComponentInvocation {
    let mut click = h.click(user, message, "e");
    click.invoker.roles = roles.to_vec();
    click
}

/// Presses the entry button and returns the answer's text.
pub fn enter(
    h: &mut TestHarness<Giveaways>,
    user: Id<UserMarker>,
    roles: &[Id<RoleMarker>],
    message: Id<MessageMarker>,
) -> String {
    let click = press(h, user, roles, message);
    content(h.component(click)).0
}

/// Every `SendFile` the module made: (content of the message, file content).
pub fn files(h: &TestHarness<Giveaways>) -> Vec<(String, String)> {
    h.discord_requests()
        .into_iter()
        .filter_map(|request| match request {
            DiscordRequest::SendFile {
                message, content, ..
            } => Some((message.content.unwrap_or_default(), content)),
            _ => None,
        })
        .collect()
}

/// The last message posted or edited for giveaway `message` (its reply).
pub fn last_edit(h: &TestHarness<Giveaways>, message: Id<MessageMarker>) -> Option<Reply> {
    h.discord_requests()
        .into_iter()
        .rev()
        .find_map(|request| match request {
            DiscordRequest::EditMessage {
                target,
                message: reply,
            } if target.message_id == message => Some(reply),
            _ => None,
        })
}

/// The label of the first button of `reply`.
pub fn button_label(reply: &Reply) -> String {
    let json = serde_json::to_value(reply).unwrap();
    json["components"][0]["components"][0]["label"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

pub fn giveaway_key(message: Id<MessageMarker>) -> String {
    format!("gw:{GUILD_ID}:{message}")
}

#[test]
fn every_text_exists_in_english_and_french() {
    arsenal_plugin_api::testing::assert_translated::<Giveaways>();
}

#[test]
fn a_french_member_gets_french_and_the_server_language_is_posted() {
    let mut h = start();
    h.set_guild_locale(Some("fr"));
    let mut invocation = h.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "giveaway",
        &["start"],
        vec![text("prize", "Nitro"), text("duration", "1h")],
    );
    invocation.invoker.locale = Some("fr".to_owned());
    let (answer, _) = content(h.command(invocation));
    assert!(answer.starts_with("Concours publié dans"), "{answer}");
    let posted = h
        .discord_requests()
        .into_iter()
        .find_map(|r| match r {
            DiscordRequest::SendMessage { message, .. } => Some(message),
            _ => None,
        })
        .unwrap();
    assert_eq!(button_label(&posted), "Participer (0)");
    let message = Id::new(1000);
    let mut click = press(&h, BOB, &[], message);
    click.invoker.locale = Some("fr".to_owned());
    let (answer, ephemeral) = content(h.component(click));
    assert_eq!(answer, "Vous participez ! Vous avez 1 participation.");
    assert!(ephemeral);
    let _ = CHANNEL_ID;
}
