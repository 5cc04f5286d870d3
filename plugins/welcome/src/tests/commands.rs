//! `/welcome …`: settings, misuse, the declared command, languages.

use arsenal_plugin_api::{
    prelude::*,
    protocol::ArgValue,
    testing::{TestHarness, ADMIN_ID},
};
use serde_json::json;

use super::{arg, configure, text, with_channel, CHANNEL};
use crate::{command::MAX_TEXT, Welcome, WelcomeCommand};

fn answer_text(response: &Response) -> String {
    match response {
        Response::Message(reply) => reply.content.clone().unwrap_or_default(),
        other => panic!("not a message: {other:?}"),
    }
}

#[test]
fn misuse_gets_a_clear_answer_and_nothing_changes() {
    let mut harness = TestHarness::<Welcome>::start().unwrap();
    let answer = configure(&mut harness, "test", vec![]);
    assert_eq!(
        answer,
        Response::ephemeral("No channel yet: `/welcome channel #somewhere` first.")
    );
    let answer = configure(&mut harness, "message", text(&"x".repeat(MAX_TEXT + 1)));
    assert_eq!(
        answer,
        Response::ephemeral(format!("The message must be 1 to {MAX_TEXT} characters."))
    );
    assert_eq!(harness.stored("guild:1"), None);
    let answer = configure(&mut harness, "disable", vec![]);
    assert_eq!(answer, Response::ephemeral("They were not set up."));
    let answer = configure(
        &mut harness,
        "remove",
        vec![
            arg("kind", ArgValue::String("welcome".into())),
            arg("number", ArgValue::Integer(3)),
        ],
    );
    assert_eq!(
        answer,
        Response::ephemeral("There is no message number 3: see `/welcome show`.")
    );
    let answer = configure(
        &mut harness,
        "role-add",
        vec![arg("role", ArgValue::Role(Id::new(1)))],
    );
    assert_eq!(
        answer,
        Response::ephemeral("Everyone already has @everyone: pick another role.")
    );
    let answer = configure(
        &mut harness,
        "delete-on-leave",
        vec![arg("within", ArgValue::String("8d".into()))],
    );
    assert_eq!(answer, Response::ephemeral("At most a week (7d)."));
    // Refusals wrote nothing but the empty settings a transaction may leave.
    let stored = harness.stored("guild:1").unwrap_or(json!({}));
    assert_eq!(stored["roles"].as_array().map_or(0, Vec::len), 0);
    assert_eq!(stored["delete_within_secs"], json!(null));
}

#[test]
fn templates_are_added_listed_and_removed_up_to_the_limit() {
    let mut harness = with_channel();
    let kind = |k: &str| arg("kind", ArgValue::String(k.into()));
    let answer = configure(
        &mut harness,
        "add",
        vec![
            kind("welcome"),
            arg("text", ArgValue::String("Hey {name}".into())),
        ],
    );
    assert_eq!(
        answer,
        Response::ephemeral("Added. Preview: Hey user10 (one message)")
    );
    for n in 2..=10 {
        let answer = configure(
            &mut harness,
            "add",
            vec![
                kind("welcome"),
                arg("text", ArgValue::String(format!("Hello #{n}"))),
            ],
        );
        assert!(
            answer_text(&answer).contains(&format!("({n} messages, one picked at random)")),
            "{answer:?}"
        );
    }
    let answer = configure(
        &mut harness,
        "add",
        vec![
            kind("welcome"),
            arg("text", ArgValue::String("one too many".into())),
        ],
    );
    assert_eq!(
        answer,
        Response::ephemeral(
            "There are already 10 messages of this kind: remove one first (`/welcome remove`)."
        )
    );
    let answer = configure(
        &mut harness,
        "remove",
        vec![kind("welcome"), arg("number", ArgValue::Integer(1))],
    );
    assert_eq!(answer, Response::ephemeral("Removed message 1: Hey {name}"));
    let show = answer_text(&configure(&mut harness, "show", vec![]));
    assert!(show.contains("\n  1. Hello #2\n  2. Hello #3"), "{show}");
    assert!(show.contains("Goodbye: off"), "{show}");

    // `/welcome message` replaces them all with one.
    configure(&mut harness, "message", text("Only {user}"));
    assert_eq!(
        harness.stored("guild:1").unwrap()["welcome"],
        json!(["Only {user}"])
    );
}

#[test]
fn every_setting_shows() {
    let mut harness = with_channel();
    configure(
        &mut harness,
        "style",
        vec![arg("style", ArgValue::String("embed".into()))],
    );
    configure(&mut harness, "dm", text("Read the rules, {name}"));
    configure(
        &mut harness,
        "role-add",
        vec![arg("role", ArgValue::Role(Id::new(500)))],
    );
    configure(
        &mut harness,
        "new-accounts",
        vec![arg("days", ArgValue::Integer(3))],
    );
    configure(
        &mut harness,
        "delete-on-leave",
        vec![arg("within", ArgValue::String("10m".into()))],
    );
    configure(&mut harness, "goodbye", text("Bye {name}"));
    let show = answer_text(&configure(&mut harness, "show", vec![]));
    assert_eq!(
        show,
        "Channel: <#77>\nStyle: embed\nWelcome (one picked at random):\n  Welcome {user}! 👋\nGoodbye:\n  1. Bye {name}\nDirect message: Read the rules, {name}\nRoles on join: <@&500>\nNew-account notice: younger than 3 days, in the welcome channel\nDelete the greeting if the member leaves within: 10 minutes"
    );
    let answer = configure(
        &mut harness,
        "role-remove",
        vec![arg("role", ArgValue::Role(Id::new(500)))],
    );
    assert_eq!(
        answer,
        Response::ephemeral("New members will no longer get <@&500>.")
    );
    let answer = configure(&mut harness, "dm", vec![]);
    assert_eq!(
        answer,
        Response::ephemeral("No direct message will be sent.")
    );
    let answer = configure(&mut harness, "disable", vec![]);
    assert_eq!(
        answer,
        Response::ephemeral("Welcome and goodbye messages are off; settings removed.")
    );
    assert_eq!(harness.stored("guild:1"), None);
}

#[test]
fn a_french_speaking_member_is_answered_in_french() {
    let mut harness = with_channel();
    let mut invocation = harness.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "welcome",
        &["channel"],
        vec![arg("channel", ArgValue::Channel(CHANNEL))],
    );
    invocation.invoker.locale = Some("fr".into());
    assert_eq!(
        harness.command(invocation).unwrap(),
        Response::ephemeral("Les messages de bienvenue seront publiés dans <#77>.")
    );
    // A server whose language is French is greeted in French by default.
    harness.set_guild_locale(Some("fr"));
    harness
        .event("GUILD_MEMBER_ADD", &super::join(55, false))
        .unwrap();
    assert_eq!(
        super::sent(&harness),
        [(CHANNEL, "Bienvenue <@55> ! 👋".to_owned())]
    );
}

#[test]
fn the_declared_command_is_what_discord_registers() {
    let spec = WelcomeCommand::spec();
    assert!(spec.slash && spec.prefix);
    assert_eq!(
        spec.default_member_permissions,
        Some(Permissions::MANAGE_GUILD.bits().to_string())
    );
    let text = json!([{"type": 3, "name": "text", "required": true,
        "description": "The message; {user} becomes a mention, {name} the member's name"}]);
    let kind = json!({"type": 3, "name": "kind", "description": "Which messages", "required": true,
        "choices": [{"name": "welcome", "value": "welcome"}, {"name": "goodbye", "value": "goodbye"}]});
    let role = json!([{"type": 8, "name": "role", "description": "The role", "required": true}]);
    assert_eq!(
        serde_json::to_value(&spec.options).unwrap(),
        json!([
            {"type": 1, "name": "channel", "description": "Where the messages go", "options": [
                {"type": 7, "name": "channel", "description": "A text channel", "required": true, "channel_types": [0, 5]}]},
            {"type": 1, "name": "message", "description": "The welcome message", "options": text},
            {"type": 1, "name": "goodbye", "description": "The goodbye message (none until set)", "options": text},
            {"type": 1, "name": "test", "description": "Post the welcome message for yourself", "options": []},
            {"type": 1, "name": "show", "description": "Show the settings", "options": []},
            {"type": 1, "name": "disable", "description": "Stop posting messages", "options": []},
            {"type": 1, "name": "add", "description": "Add another message; one is picked at random", "options": [
                kind,
                {"type": 3, "name": "text", "required": true,
                 "description": "The message; {user}, {name}, {username}, {server}, {count} are filled in"}]},
            {"type": 1, "name": "remove", "description": "Remove a message by its number in /welcome show", "options": [
                kind,
                {"type": 4, "name": "number", "description": "Its number in /welcome show", "required": true, "min_value": 1, "max_value": 10}]},
            {"type": 1, "name": "style", "description": "Post the messages as plain text or as an embed", "options": [
                {"type": 3, "name": "style", "description": "Plain text or an embed", "required": true,
                 "choices": [{"name": "text", "value": "text"}, {"name": "embed", "value": "embed"}]}]},
            {"type": 1, "name": "dm", "description": "A direct message sent to each new member (none: off)", "options": [
                {"type": 3, "name": "text", "description": "The direct message (leave out to stop sending one)", "required": false}]},
            {"type": 1, "name": "role-add", "description": "Give a role on join (after the rules screening when the server uses it)", "options": role},
            {"type": 1, "name": "role-remove", "description": "Stop giving a role on join", "options": role},
            {"type": 1, "name": "new-accounts", "description": "Warn about accounts younger than some days (0: off)", "options": [
                {"type": 4, "name": "days", "description": "Accounts younger than this many days get a notice (0: off)", "required": true, "min_value": 0, "max_value": 365},
                {"type": 7, "name": "channel", "description": "Where the notice goes (the welcome channel by default)", "required": false, "channel_types": [0, 5]}]},
            {"type": 1, "name": "delete-on-leave", "description": "Delete the greeting when the member leaves this soon (none: never)", "options": [
                {"type": 3, "name": "within", "description": "How soon, e.g. 10m or 1h (leave out: never delete)", "required": false}]},
        ])
    );
}

#[test]
fn a_missing_option_is_refused_by_name() {
    let mut harness = TestHarness::<Welcome>::start().unwrap();
    let answer = configure(&mut harness, "channel", vec![]);
    assert_eq!(
        answer,
        Response::ephemeral("The option `channel` is required.")
    );
    let answer = configure(&mut harness, "greet", vec![]);
    assert!(
        answer_text(&answer).starts_with("`welcome` has no subcommand `greet`: use `channel`, `message`, `goodbye`, `test`, `show`, `disable`, `add`"),
        "{answer:?}"
    );
    assert_eq!(harness.stored("guild:1"), None);
}

#[test]
fn a_discord_refusal_is_reported_not_swallowed() {
    let mut harness = TestHarness::<Welcome>::start().unwrap();
    harness.set_stored("guild:1", json!({"channel": "77"}));
    harness.on_discord(|_| Err("Discord refused (403): Missing Permissions".to_owned()));
    let answer = harness.command(harness.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "welcome",
        &["test"],
        vec![],
    ));
    let error = answer.unwrap_err();
    assert!(
        error
            .message
            .contains("could not post the welcome message in <#77>: Discord refused (403)"),
        "{}",
        error.message
    );
}
