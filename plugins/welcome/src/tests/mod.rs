//! Harness tests of the welcome module: settings, greetings, roles, notices, quick leaves, data
//! migration and languages.

mod commands;
mod members;

use arsenal_plugin_api::{
    prelude::*,
    protocol::{Arg, ArgValue},
    testing::{TestHarness, ADMIN_ID, GUILD_ID},
};
use serde_json::{json, Value};

use crate::Welcome;

pub const CHANNEL: Id<ChannelMarker> = Id::new(77);

pub fn configure(harness: &mut TestHarness<Welcome>, sub: &str, args: Vec<Arg>) -> Response {
    let invocation = harness.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "welcome",
        &[sub],
        args,
    );
    harness.command(invocation).unwrap()
}

pub fn arg(name: &str, value: ArgValue) -> Arg {
    Arg {
        name: name.into(),
        value,
    }
}

pub fn text(value: &str) -> Vec<Arg> {
    vec![arg("text", ArgValue::String(value.into()))]
}

/// A harness whose server posts greetings in [`CHANNEL`]; Discord answers messages with ids.
pub fn with_channel() -> TestHarness<Welcome> {
    let mut harness = TestHarness::<Welcome>::start().unwrap();
    configure(
        &mut harness,
        "channel",
        vec![arg("channel", ArgValue::Channel(CHANNEL))],
    );
    harness.on_discord(|request| match request {
        DiscordRequest::SendMessage { .. } | DiscordRequest::SendDirectMessage { .. } => {
            Ok::<_, String>(json!({"id": "900"}))
        }
        DiscordRequest::GetGuildWithCounts { .. } => {
            Ok(json!({"id": GUILD_ID.to_string(), "name": "Rust Friends", "approximate_member_count": 42}))
        }
        _ => Ok(Value::Null),
    });
    harness
}

/// A GUILD_MEMBER_ADD payload for user `id` (`pending`: the rules are not accepted yet).
pub fn join(id: u64, pending: bool) -> Value {
    json!({
        "guild_id": GUILD_ID.to_string(), "roles": [], "joined_at": "2026-11-21T10:00:00.000000+00:00",
        "deaf": false, "mute": false, "flags": 0, "pending": pending,
        "user": {"id": id.to_string(), "username": "dave", "global_name": "Dave", "discriminator": "0", "avatar": null}
    })
}

pub fn leave(id: u64) -> Value {
    json!({"guild_id": GUILD_ID.to_string(), "user": {"id": id.to_string(), "username": "dave", "discriminator": "0", "avatar": null}})
}

/// The messages sent, as (channel, content).
pub fn sent(harness: &TestHarness<Welcome>) -> Vec<(Id<ChannelMarker>, String)> {
    harness
        .discord_requests()
        .into_iter()
        .filter_map(|r| match r {
            DiscordRequest::SendMessage {
                channel_id,
                message,
            } => Some((channel_id, message.content.unwrap_or_default())),
            _ => None,
        })
        .collect()
}

#[test]
fn every_text_exists_in_english_and_french() {
    arsenal_plugin_api::testing::assert_translated::<Welcome>();
}

#[test]
fn settings_of_version_1_are_migrated_to_lists() {
    let migrated = TestHarness::<Welcome>::migrate(
        1,
        json!({
            "guild:1": {"channel": "77", "welcome": "Hi {user}", "goodbye": null},
            "guild:2": {"channel": "78", "goodbye": "Bye {name}"},
        }),
    )
    .unwrap();
    assert_eq!(migrated["guild:1"]["welcome"], json!(["Hi {user}"]));
    assert_eq!(migrated["guild:1"]["goodbye"], json!([]));
    assert_eq!(migrated["guild:1"]["channel"], json!("77"));
    assert_eq!(migrated["guild:2"]["welcome"], json!([]));
    assert_eq!(migrated["guild:2"]["goodbye"], json!(["Bye {name}"]));

    // What cannot be understood is refused, so nothing is written.
    let error = TestHarness::<Welcome>::migrate(1, json!({"guild:1": {"welcome": 5}})).unwrap_err();
    assert!(
        error
            .message
            .contains("`welcome` is neither a text nor null"),
        "{}",
        error.message
    );

    // The migrated settings greet as they did.
    let mut harness = with_channel();
    for (key, value) in migrated.as_object().unwrap() {
        harness.set_stored(key, value.clone());
    }
    harness.event("GUILD_MEMBER_ADD", &join(55, false)).unwrap();
    assert_eq!(sent(&harness), [(CHANNEL, "Hi <@55>".to_owned())]);
}
