//! Members joining, passing the rules screening and leaving.

use std::time::Duration as StdDuration;

use arsenal_plugin_api::{
    prelude::*,
    protocol::{ArgValue, DiscordError, MessageRef},
    testing::GUILD_ID,
};
use serde_json::{json, Value};

use super::{arg, configure, join, leave, sent, text, with_channel, CHANNEL};

const ROLE: Id<RoleMarker> = Id::new(500);

fn update(id: u64, pending: bool) -> Value {
    json!({
        "guild_id": GUILD_ID.to_string(), "roles": [], "pending": pending, "deaf": false, "mute": false,
        "flags": 0, "avatar": null, "nick": null, "premium_since": null, "communication_disabled_until": null,
        "joined_at": "2026-11-21T10:00:00.000000+00:00",
        "user": {"id": id.to_string(), "username": "dave", "global_name": "Dave", "discriminator": "0", "avatar": null}
    })
}

fn roles_given(
    harness: &arsenal_plugin_api::testing::TestHarness<crate::Welcome>,
) -> Vec<(u64, u64)> {
    harness
        .discord_requests()
        .into_iter()
        .filter_map(|r| match r {
            DiscordRequest::AddRole {
                user_id, role_id, ..
            } => Some((user_id.get(), role_id.get())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_configured_guild_greets_new_members_across_reloads() {
    let mut harness = with_channel();
    configure(
        &mut harness,
        "message",
        text("Hi {user}, I am glad, {name}!"),
    );
    harness.reload().unwrap();
    let before = harness.discord_requests().len();
    harness.event("GUILD_MEMBER_ADD", &join(55, false)).unwrap();
    assert_eq!(
        harness.discord_requests()[before..],
        [DiscordRequest::SendMessage {
            channel_id: CHANNEL,
            // Only the member may be pinged, whatever their name says.
            message: Reply::text("Hi <@55>, I am glad, Dave!").mention_only([Id::new(55)])
        }]
    );

    // No goodbye until one is set.
    harness.event("GUILD_MEMBER_REMOVE", &leave(55)).unwrap();
    assert_eq!(sent(&harness).len(), 1);
    configure(&mut harness, "goodbye", text("Bye {name}"));
    harness.event("GUILD_MEMBER_REMOVE", &leave(55)).unwrap();
    assert_eq!(sent(&harness)[1], (CHANNEL, "Bye dave".to_owned()));
}

#[test]
fn server_and_count_come_from_discord_and_embeds_ping_the_member() {
    let mut harness = with_channel();
    configure(
        &mut harness,
        "message",
        text("Welcome to {server}, {user}! You are member #{count}."),
    );
    configure(
        &mut harness,
        "style",
        vec![arg("style", ArgValue::String("embed".into()))],
    );
    let before = harness.discord_requests().len();
    harness.event("GUILD_MEMBER_ADD", &join(55, false)).unwrap();
    let requests = &harness.discord_requests()[before..];
    assert_eq!(
        requests[0],
        DiscordRequest::GetGuildWithCounts { guild_id: GUILD_ID }
    );
    let DiscordRequest::SendMessage { message, .. } = &requests[1] else {
        panic!("{requests:?}")
    };
    assert_eq!(message.content.as_deref(), Some("<@55>"));
    assert_eq!(
        message.embeds[0].description.as_deref(),
        Some("Welcome to Rust Friends, <@55>! You are member #42.")
    );

    // A template without them costs no request; one that cannot be read keeps the placeholders.
    configure(&mut harness, "message", text("Hello {username}"));
    configure(
        &mut harness,
        "style",
        vec![arg("style", ArgValue::String("text".into()))],
    );
    let before = harness.discord_requests().len();
    harness.event("GUILD_MEMBER_ADD", &join(56, false)).unwrap();
    assert_eq!(harness.discord_requests().len(), before + 1);
    assert_eq!(sent(&harness).last().unwrap().1, "Hello dave");
    configure(&mut harness, "message", text("{server} says hi"));
    harness.answer_next(
        "get_guild_with_counts",
        Err(DiscordError::new(500, None, "oops")),
    );
    harness.event("GUILD_MEMBER_ADD", &join(57, false)).unwrap();
    assert_eq!(sent(&harness).last().unwrap().1, "{server} says hi");
}

#[test]
fn one_of_several_templates_is_picked_and_the_pick_is_reproducible() {
    let mut harness = with_channel();
    for t in ["A {user}", "B {user}", "C {user}"] {
        configure(
            &mut harness,
            "add",
            vec![
                arg("kind", ArgValue::String("welcome".into())),
                arg("text", ArgValue::String(t.into())),
            ],
        );
    }
    harness.set_now(1_800_000_000_000);
    for user in 100..130 {
        harness
            .event("GUILD_MEMBER_ADD", &join(user, false))
            .unwrap();
    }
    let first: Vec<String> = sent(&harness)
        .into_iter()
        .map(|(_, t)| t[..1].to_owned())
        .collect();
    for letter in ["A", "B", "C"] {
        assert!(
            first.iter().filter(|t| *t == letter).count() >= 3,
            "{letter} too rare: {first:?}"
        );
    }
    for user in 100..130 {
        harness
            .event("GUILD_MEMBER_ADD", &join(user, false))
            .unwrap();
    }
    let again: Vec<String> = sent(&harness)[30..]
        .iter()
        .map(|(_, t)| t[..1].to_owned())
        .collect();
    assert_eq!(first, again, "same member, same moment, same pick");
}

#[test]
fn roles_wait_for_the_rules_screening_across_a_reload() {
    let mut harness = with_channel();
    configure(
        &mut harness,
        "role-add",
        vec![arg("role", ArgValue::Role(ROLE))],
    );
    configure(
        &mut harness,
        "role-add",
        vec![arg("role", ArgValue::Role(Id::new(501)))],
    );

    // A server without screening: roles at once.
    harness.event("GUILD_MEMBER_ADD", &join(55, false)).unwrap();
    assert_eq!(roles_given(&harness), [(55, 500), (55, 501)]);

    // Screening: greeted at once, roles only once the rules are accepted.
    harness.event("GUILD_MEMBER_ADD", &join(66, true)).unwrap();
    assert_eq!(roles_given(&harness).len(), 2);
    assert_eq!(sent(&harness).len(), 2, "greeted on join");
    harness.reload().unwrap();
    harness
        .event("GUILD_MEMBER_UPDATE", &update(66, true))
        .unwrap();
    assert_eq!(roles_given(&harness).len(), 2, "still pending");
    harness
        .event("GUILD_MEMBER_UPDATE", &update(66, false))
        .unwrap();
    assert_eq!(roles_given(&harness)[2..], [(66, 500), (66, 501)]);
    assert_eq!(harness.stored("pending:1:66"), None);
    // A later update (a nickname) gives nothing again; nor does one for an old member.
    harness
        .event("GUILD_MEMBER_UPDATE", &update(66, false))
        .unwrap();
    harness
        .event("GUILD_MEMBER_UPDATE", &update(77, false))
        .unwrap();
    assert_eq!(roles_given(&harness).len(), 4);

    // Leaving while pending forgets them.
    harness.event("GUILD_MEMBER_ADD", &join(88, true)).unwrap();
    assert!(harness.stored("pending:1:88").is_some());
    harness.event("GUILD_MEMBER_REMOVE", &leave(88)).unwrap();
    assert_eq!(harness.stored("pending:1:88"), None);
}

#[test]
fn a_closed_dm_or_a_refused_role_does_not_stop_the_other_steps() {
    let mut harness = with_channel();
    configure(&mut harness, "dm", text("Welcome to the server, {name}"));
    configure(
        &mut harness,
        "role-add",
        vec![arg("role", ArgValue::Role(ROLE))],
    );
    harness.event("GUILD_MEMBER_ADD", &join(55, false)).unwrap();
    assert!(harness
        .discord_requests()
        .contains(&DiscordRequest::SendDirectMessage {
            user_id: Id::new(55),
            message: Reply::text("Welcome to the server, Dave").mention_only([Id::new(55)]),
        }));

    harness.answer_next(
        "send_direct_message",
        Err(DiscordError::new(
            403,
            Some(50007),
            "Cannot send messages to this user",
        )),
    );
    harness.event("GUILD_MEMBER_ADD", &join(56, false)).unwrap();

    harness.answer_next(
        "add_role",
        Err(DiscordError::new(403, Some(50013), "Missing Permissions")),
    );
    let error = harness
        .event("GUILD_MEMBER_ADD", &join(57, false))
        .unwrap_err();
    assert!(
        error.message.contains("could not give role 500 to 57"),
        "{}",
        error.message
    );
    // The greeting and the DM still went out.
    assert_eq!(sent(&harness).last().unwrap().1, "Welcome <@57>! 👋");
    assert!(matches!(
        harness.discord_requests().last(),
        Some(DiscordRequest::SendDirectMessage { user_id, .. }) if user_id.get() == 57
    ));
}

#[test]
fn very_new_accounts_are_pointed_out() {
    let mut harness = with_channel();
    let logs = Id::new(78);
    configure(
        &mut harness,
        "new-accounts",
        vec![
            arg("days", ArgValue::Integer(2)),
            arg("channel", ArgValue::Channel(logs)),
        ],
    );
    let now = 1_800_000_000_000_u64;
    harness.set_now(now);
    // Created an hour ago: the snowflake's timestamp.
    let created = now - 3_600_000;
    let young = (created - 1_420_070_400_000) << 22;
    harness
        .event("GUILD_MEMBER_ADD", &join(young, false))
        .unwrap();
    assert!(sent(&harness).contains(&(
        logs,
        format!(
            "⚠️ <@{young}> (dave) joined with a new account, created <t:{}:R>.",
            created / 1000
        )
    )));
    // An account from 2015 is not.
    harness.event("GUILD_MEMBER_ADD", &join(55, false)).unwrap();
    assert_eq!(sent(&harness).iter().filter(|(c, _)| *c == logs).count(), 1);
}

#[test]
fn a_greeting_is_deleted_when_its_member_leaves_quickly_and_forgotten_later() {
    let mut harness = with_channel();
    configure(
        &mut harness,
        "delete-on-leave",
        vec![arg("within", ArgValue::String("10m".into()))],
    );
    let t0 = 1_800_000_000_000_u64;
    harness.set_now(t0);
    harness.event("GUILD_MEMBER_ADD", &join(55, false)).unwrap();
    assert_eq!(
        harness.stored("greeting:1:55"),
        Some(json!({"channel": "77", "message": "900", "joined_ms": t0}))
    );
    assert_eq!(harness.timers()[0].at_unix_ms, t0 + 600_000);

    harness.reload().unwrap();
    harness.advance(StdDuration::from_secs(300));
    harness.event("GUILD_MEMBER_REMOVE", &leave(55)).unwrap();
    let delete = DiscordRequest::DeleteMessage {
        target: MessageRef {
            channel_id: CHANNEL,
            message_id: Id::new(900),
        },
    };
    assert_eq!(harness.discord_requests().last(), Some(&delete));
    assert_eq!(harness.stored("greeting:1:55"), None);
    assert!(harness.timers().is_empty(), "its timer is cancelled");

    // Someone stays longer than the window: the record goes when it closes, the greeting stays.
    harness.event("GUILD_MEMBER_ADD", &join(56, false)).unwrap();
    harness.advance(StdDuration::from_secs(601));
    assert_eq!(harness.fire_due_timers().unwrap(), ["forget:1:56"]);
    assert_eq!(harness.stored("greeting:1:56"), None);
    harness.event("GUILD_MEMBER_REMOVE", &leave(56)).unwrap();
    let deletes = harness
        .discord_requests()
        .into_iter()
        .filter(|r| matches!(r, DiscordRequest::DeleteMessage { .. }))
        .count();
    assert_eq!(deletes, 1);

    // A greeting a moderator already deleted is no error.
    harness.event("GUILD_MEMBER_ADD", &join(57, false)).unwrap();
    harness.answer_next(
        "delete_message",
        Err(DiscordError::new(404, Some(10008), "Unknown Message")),
    );
    harness.event("GUILD_MEMBER_REMOVE", &leave(57)).unwrap();
    assert_eq!(harness.stored("greeting:1:57"), None);
}

#[test]
fn raid_mode_pauses_greetings_and_dms_but_not_roles_or_the_notice() {
    let mut harness = with_channel();
    configure(&mut harness, "dm", text("Hi {name}"));
    configure(&mut harness, "goodbye", text("Bye {name}"));
    configure(
        &mut harness,
        "role-add",
        vec![arg("role", ArgValue::Role(ROLE))],
    );
    configure(
        &mut harness,
        "new-accounts",
        vec![arg("days", ArgValue::Integer(2))],
    );
    let now = 1_800_000_000_000_u64;
    harness.set_now(now);
    let young = (now - 60_000 - 1_420_070_400_000) << 22;

    // Automod not loaded: greeted as usual (the ask was made, about this server).
    harness.event("GUILD_MEMBER_ADD", &join(55, false)).unwrap();
    let asks = harness.module_requests();
    assert_eq!(
        (asks[0].module.as_str(), asks[0].method.as_str()),
        ("automod", "raid.status")
    );
    assert_eq!(asks[0].guild_id, Some(GUILD_ID));
    assert_eq!(asks[0].payload, json!(GUILD_ID.to_string()));
    assert_eq!(sent(&harness).len(), 1);

    let raid = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let answer = std::sync::Arc::clone(&raid);
    harness.answer_module("automod", move |method, _| match method {
        "raid.status" => Ok(json!({"active": answer.load(std::sync::atomic::Ordering::SeqCst)})),
        _ => Err(Error::invalid("not scripted")),
    });
    let before = harness.discord_requests().len();
    harness
        .event("GUILD_MEMBER_ADD", &join(young, false))
        .unwrap();
    harness.event("GUILD_MEMBER_REMOVE", &leave(55)).unwrap();
    let during: Vec<DiscordRequest> = harness.discord_requests()[before..].to_vec();
    assert!(
        matches!(&during[0], DiscordRequest::AddRole { user_id, .. } if user_id.get() == young),
        "{during:?}"
    );
    assert!(
        matches!(&during[1], DiscordRequest::SendMessage { message, .. }
        if message.content.as_deref().is_some_and(|c| c.contains("joined with a new account"))),
        "{during:?}"
    );
    assert_eq!(
        during.len(),
        2,
        "no greeting, DM or goodbye during a raid: {during:?}"
    );

    // Raid over: greetings again.
    raid.store(false, std::sync::atomic::Ordering::SeqCst);
    harness.event("GUILD_MEMBER_ADD", &join(56, false)).unwrap();
    assert_eq!(sent(&harness).last().unwrap().1, "Welcome <@56>! 👋");

    // Automod failing is logged, and greets.
    harness.answer_module("automod", |_, _| Err(Error::failed("boom")));
    harness.event("GUILD_MEMBER_ADD", &join(57, false)).unwrap();
    assert_eq!(sent(&harness).last().unwrap().1, "Welcome <@57>! 👋");
    assert!(
        harness
            .logs()
            .iter()
            .any(|(_, m)| m.contains("raid mode unknown")),
        "{:?}",
        harness.logs()
    );
}
