//! The automod module in the SDK's in-memory harness: a fake Discord that keeps AutoMod rules,
//! the harness clock for rate, duplicate and escalation windows, and reloads in the middle.

use std::sync::{Arc, Mutex};

use arsenal_plugin_api::{
    model::id::Id,
    prelude::*,
    protocol::{Arg, ArgValue, AutoModTrigger, DiscordError},
    testing::{TestHarness, ADMIN_ID, CHANNEL_ID, GUILD_ID},
};
use automod::Automod;
use serde_json::{json, Value};

const BOB: u64 = 55;
const LOGS: u64 = 77;
const TRUSTED_ROLE: u64 = 88;

type Harness = TestHarness<Automod>;

/// A harness whose Discord answers AutoMod rule creation with ids and guild reads with a
/// verification level; everything else `null`.
fn start() -> Harness {
    let harness = Harness::start().expect("harness");
    let next = Arc::new(Mutex::new(1000u64));
    harness.on_discord(move |request| -> Result<Value, DiscordError> {
        Ok(match request {
            DiscordRequest::CreateAutoModRule { .. } => {
                let mut n = next.lock().expect("lock");
                *n += 1;
                json!({ "id": n.to_string() })
            }
            DiscordRequest::GetGuild { .. } => json!({ "verification_level": 1 }),
            _ => Value::Null,
        })
    });
    harness
}

fn arg(name: &str, value: ArgValue) -> Arg {
    Arg {
        name: name.into(),
        value,
    }
}

fn text(name: &str, value: &str) -> Arg {
    arg(name, ArgValue::String(value.into()))
}

fn int(name: &str, value: i64) -> Arg {
    arg(name, ArgValue::Integer(value))
}

/// Runs `/automod <path> <args>` as the administrator; the answer's text (refusals too).
fn run(h: &mut Harness, path: &[&str], args: Vec<Arg>) -> String {
    let invocation = h.slash_as(ADMIN_ID, Permissions::MANAGE_GUILD, "automod", path, args);
    match h.command(invocation) {
        Ok(Response::Message(reply)) => {
            assert!(reply.ephemeral, "answers are ephemeral");
            reply.content.unwrap_or_default()
        }
        Ok(other) => panic!("unexpected answer {other:?}"),
        Err(e) => format!("REFUSED {}", e.message),
    }
}

fn message(h: &mut Harness, id: u64, author: u64, content: &str) {
    message_with(h, id, author, content, json!({}));
}

fn message_with(h: &mut Harness, id: u64, author: u64, content: &str, extra: Value) {
    let mut event = json!({
        "id": id.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "guild_id": GUILD_ID.to_string(),
        "author": {"id": author.to_string(), "username": "bob", "discriminator": "0", "avatar": null, "global_name": null},
        "member": {"roles": [], "joined_at": "2026-11-21T10:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0},
        "content": content,
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
    });
    if let (Some(event), Some(extra)) = (event.as_object_mut(), extra.as_object()) {
        event.extend(extra.clone());
    }
    h.event("MESSAGE_CREATE", &event).expect("MESSAGE_CREATE");
}

fn join(h: &mut Harness, user: u64) {
    let event = json!({
        "guild_id": GUILD_ID.to_string(), "roles": [], "joined_at": "2026-11-21T10:00:00.000000+00:00",
        "deaf": false, "mute": false, "flags": 0,
        "user": {"id": user.to_string(), "username": format!("raider{user}"), "discriminator": "0", "avatar": null}
    });
    h.event("GUILD_MEMBER_ADD", &event)
        .expect("GUILD_MEMBER_ADD");
}

fn deleted(h: &Harness) -> Vec<u64> {
    h.discord_requests()
        .iter()
        .filter_map(|r| match r {
            DiscordRequest::DeleteMessage { target } => Some(target.message_id.get()),
            _ => None,
        })
        .collect()
}

fn count(h: &Harness, action: &str) -> usize {
    h.discord_requests()
        .iter()
        .filter(|r| serde_json::to_value(r).expect("record")["action"] == action)
        .count()
}

#[test]
fn a_disguised_word_is_deleted_and_the_word_goes_to_discords_rule() {
    let mut h = start();
    run(
        &mut h,
        &["toggle"],
        vec![arg("level", ArgValue::String("low".into()))],
    );
    let answer = run(&mut h, &["add_word"], vec![text("word", "free nitro")]);
    assert!(!answer.starts_with("REFUSED"), "{answer}");
    // Discord's keyword rule now holds the word.
    let created: Vec<Vec<String>> = h
        .discord_requests()
        .iter()
        .filter_map(|r| match r {
            DiscordRequest::CreateAutoModRule { rule, .. } => match &rule.trigger {
                AutoModTrigger::Keyword { keywords, .. } => Some(keywords.clone()),
                _ => None,
            },
            DiscordRequest::UpdateAutoModRule { rule, .. } => match &rule.trigger {
                AutoModTrigger::Keyword { keywords, .. } => Some(keywords.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(created.last(), Some(&vec!["free nitro".to_owned()]));
    assert!(h.stored("native:1").unwrap()["keywords"].is_string());

    // Discord's rule misses the disguised form; the bot-side rule does not.
    message(&mut h, 500, BOB, "get ｆｒｅｅ n1tro here");
    message(&mut h, 501, BOB, "freedom is nice");
    assert_eq!(deleted(&h), vec![500]);
    assert_eq!(
        h.stored("strikes:1:55").unwrap()["times"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Removing the word empties Discord's rule (deleted) and the filter.
    run(&mut h, &["remove_word"], vec![text("word", "free nitro")]);
    assert_eq!(count(&h, "delete_auto_mod_rule"), 1);
    message(&mut h, 502, BOB, "free nitro");
    assert_eq!(deleted(&h), vec![500]);
}

#[test]
fn three_violations_in_ten_minutes_time_the_member_out() {
    let mut h = start();
    run(
        &mut h,
        &["toggle"],
        vec![arg("level", ArgValue::String("low".into()))],
    );
    run(&mut h, &["add_word"], vec![text("word", "scam")]);
    message(&mut h, 1, BOB, "scam");
    h.advance(std::time::Duration::from_secs(9 * 60));
    message(&mut h, 2, BOB, "scam");
    // Eleven minutes after the first: only two within ten minutes.
    h.advance(std::time::Duration::from_secs(2 * 60));
    message(&mut h, 3, BOB, "scam");
    assert_eq!(count(&h, "timeout_member"), 0);
    h.reload().unwrap();
    message(&mut h, 4, BOB, "SCAM");
    assert_eq!(deleted(&h), vec![1, 2, 3, 4]);
    let timeouts: Vec<_> = h
        .discord_requests()
        .into_iter()
        .filter_map(|r| match r {
            DiscordRequest::TimeoutMember {
                user_id,
                until_unix_secs,
                ..
            } => Some((user_id.get(), until_unix_secs)),
            _ => None,
        })
        .collect();
    let expected_until = i64::try_from(h.now() / 1000 + 600).unwrap();
    assert_eq!(timeouts, vec![(BOB, Some(expected_until))]);
}

#[test]
fn the_message_rate_window_survives_a_reload() {
    let mut h = start();
    run(
        &mut h,
        &["toggle"],
        vec![arg("level", ArgValue::String("medium".into()))],
    );
    run(
        &mut h,
        &["config", "rule"],
        vec![
            arg("rule", ArgValue::String("rate".into())),
            int("limit", 4),
            int("seconds", 5),
        ],
    );
    message(&mut h, 1, BOB, "one");
    message(&mut h, 2, BOB, "two");
    message(&mut h, 3, BOB, "three");
    // A reload mid-burst: the next instance takes the window over.
    h.reload().unwrap();
    message(&mut h, 4, BOB, "four");
    assert_eq!(deleted(&h), vec![4]);
    // Six seconds later the window is empty again.
    h.advance(std::time::Duration::from_secs(6));
    message(&mut h, 5, BOB, "five");
    assert_eq!(deleted(&h), vec![4]);
    assert_eq!(h.stored("carry"), None, "the carry is taken once");
}

#[test]
fn exempt_roles_and_channels_are_skipped() {
    let mut h = start();
    run(
        &mut h,
        &["toggle"],
        vec![arg("level", ArgValue::String("high".into()))],
    );
    run(
        &mut h,
        &["exempt"],
        vec![arg("role", ArgValue::Role(Id::new(TRUSTED_ROLE)))],
    );
    let trusted = json!({"member": {"roles": [TRUSTED_ROLE.to_string()], "joined_at": "2026-11-21T10:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0}});
    message_with(&mut h, 1, BOB, "https://anywhere.example/x", trusted);
    message(&mut h, 2, BOB, "https://anywhere.example/x");
    assert_eq!(deleted(&h), vec![2]);
    run(
        &mut h,
        &["exempt"],
        vec![arg("channel", ArgValue::Channel(CHANNEL_ID))],
    );
    message(&mut h, 3, BOB, "https://anywhere.example/x");
    assert_eq!(deleted(&h), vec![2]);
    // Exemptions reach Discord's rules too.
    let last_rule = h
        .discord_requests()
        .into_iter()
        .rev()
        .find_map(|r| match r {
            DiscordRequest::UpdateAutoModRule { rule, .. } => Some(rule),
            _ => None,
        })
        .unwrap();
    assert_eq!(last_rule.exempt_roles, vec![Id::new(TRUSTED_ROLE)]);
    assert_eq!(last_rule.exempt_channels, vec![CHANNEL_ID]);
}

#[test]
fn mass_mentions_and_log_channel() {
    let mut h = start();
    run(
        &mut h,
        &["toggle"],
        vec![arg("level", ArgValue::String("low".into()))],
    );
    run(
        &mut h,
        &["config", "log"],
        vec![arg("channel", ArgValue::Channel(Id::new(LOGS)))],
    );
    let mentions: Vec<Value> = (1..=6)
        .map(|i| json!({"id": (100 + i).to_string(), "username": format!("u{i}"), "discriminator": "0", "avatar": null, "bot": false, "public_flags": 0}))
        .collect();
    message_with(&mut h, 9, BOB, "hey all", json!({ "mentions": mentions }));
    assert_eq!(deleted(&h), vec![9]);
    let logged = h.discord_requests().into_iter().any(
        |r| matches!(r, DiscordRequest::SendMessage { channel_id, .. } if channel_id.get() == LOGS),
    );
    assert!(logged, "the violation is posted in the log channel");
}

#[test]
fn a_raid_pauses_invites_until_a_moderator_ends_it() {
    let mut h = start();
    run(
        &mut h,
        &["toggle"],
        vec![arg("level", ArgValue::String("low".into()))],
    );
    run(
        &mut h,
        &["config", "raid"],
        vec![
            int("joins", 5),
            int("seconds", 10),
            arg("action", ArgValue::String("both".into())),
        ],
    );
    for user in 0..4 {
        join(&mut h, 200 + user);
    }
    assert_eq!(count(&h, "set_incident_actions"), 0);
    h.reload().unwrap();
    join(&mut h, 204);
    assert_eq!(count(&h, "set_incident_actions"), 1);
    assert_eq!(count(&h, "set_verification_level"), 1);
    assert!(h.stored("raid:1").is_some());
    // More joins do not start it again; nothing irreversible happened.
    join(&mut h, 205);
    assert_eq!(count(&h, "set_incident_actions"), 1);
    assert_eq!(count(&h, "kick_member") + count(&h, "ban_member"), 0);

    run(&mut h, &["raid", "end"], vec![]);
    assert!(h.stored("raid:1").is_none());
    let requests = h.discord_requests();
    let lifted = requests.iter().rev().find_map(|r| match r {
        DiscordRequest::SetIncidentActions {
            invites_disabled_until_unix_secs,
            ..
        } => Some(*invites_disabled_until_unix_secs),
        _ => None,
    });
    assert_eq!(lifted, Some(None));
    let restored = requests.iter().rev().find_map(|r| match r {
        DiscordRequest::SetVerificationLevel { level, .. } => Some(*level),
        _ => None,
    });
    assert_eq!(restored, Some(1), "back to the level it had");
    let again = run(&mut h, &["raid", "end"], vec![]);
    assert!(again.starts_with("REFUSED"), "{again}");
}

#[test]
fn discord_refusing_native_rules_keeps_the_settings_and_says_why() {
    let mut h = start();
    h.answer_next(
        "create_auto_mod_rule",
        Err(DiscordError::new(403, Some(50013), "Missing Permissions")),
    );
    let answer = run(
        &mut h,
        &["toggle"],
        vec![arg("level", ArgValue::String("medium".into()))],
    );
    assert!(
        answer.contains("Discord refused to update its AutoMod rules"),
        "{answer}"
    );
    assert!(answer.contains("Manage Server"), "{answer}");
    assert_eq!(h.stored("config:1").unwrap()["level"], "medium");
    assert!(h.stored("native:1").unwrap()["last_error"].is_string());
}

#[test]
fn misuse_is_refused_and_changes_nothing() {
    let mut h = start();
    let long = "x".repeat(61);
    assert!(run(&mut h, &["add_word"], vec![text("word", &long)]).starts_with("REFUSED"));
    let bad = run(
        &mut h,
        &["add_word"],
        vec![
            text("word", r"(a)\1"),
            arg("regex", ArgValue::Boolean(true)),
        ],
    );
    assert!(bad.starts_with("REFUSED"), "{bad}");
    assert!(run(&mut h, &["add_word"], vec![text("word", "**")]).starts_with("REFUSED"));
    assert!(run(&mut h, &["remove_word"], vec![text("word", "nope")]).starts_with("REFUSED"));
    assert!(run(&mut h, &["exempt"], vec![]).starts_with("REFUSED"));
    assert!(run(
        &mut h,
        &["config", "links"],
        vec![text("domain", "not a site")]
    )
    .starts_with("REFUSED"));
    let no_limit = run(
        &mut h,
        &["config", "rule"],
        vec![
            arg("rule", ArgValue::String("invites".into())),
            int("limit", 3),
        ],
    );
    assert!(no_limit.starts_with("REFUSED"), "{no_limit}");
    assert_eq!(h.stored("words:1"), None);
    assert!(h.discord_requests().is_empty());
}

#[test]
fn simulate_names_the_rule_and_why() {
    let mut h = start();
    run(
        &mut h,
        &["toggle"],
        vec![arg("level", ArgValue::String("high".into()))],
    );
    run(&mut h, &["add_word"], vec![text("word", "*crypto*")]);
    let answer = run(
        &mut h,
        &["simulate"],
        vec![text("text", "best CRYPT0 deals")],
    );
    assert!(
        answer.contains("This would set off **word filter**: the filtered word “*crypto*”."),
        "{answer}"
    );
    let answer = run(&mut h, &["simulate"], vec![text("text", "a calm sentence")]);
    assert!(answer.contains("No rule would fire"), "{answer}");
    // In French for a member whose Discord is in French.
    let mut invocation = h.slash_as(
        ADMIN_ID,
        Permissions::MANAGE_GUILD,
        "automod",
        &["simulate"],
        vec![text("text", "visit https://elsewhere.example")],
    );
    invocation.invoker.locale = Some("fr".into());
    let Ok(Response::Message(reply)) = h.command(invocation) else {
        panic!("no answer")
    };
    let answer = reply.content.unwrap_or_default();
    assert!(
        answer.contains("Ceci déclencherait **liens** : un lien vers elsewhere.example"),
        "{answer}"
    );
    // Nothing was deleted: simulate only tells.
    assert!(deleted(&h).is_empty());
}

#[test]
fn every_text_exists_in_english_and_french() {
    arsenal_plugin_api::testing::assert_translated::<Automod>();
}

#[test]
fn sanctions_are_recorded_as_moderation_cases_through_the_host() {
    let mut h = start();
    let asked = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&asked);
    h.answer_module("moderation", move |method, payload| {
        seen.lock()
            .unwrap()
            .push((method.to_owned(), payload.clone()));
        Ok(json!({ "number": 42 }))
    });
    run(
        &mut h,
        &["toggle"],
        vec![arg("level", ArgValue::String("low".into()))],
    );
    run(
        &mut h,
        &["config", "log"],
        vec![arg("channel", ArgValue::Channel(Id::new(LOGS)))],
    );
    run(&mut h, &["add_word"], vec![text("word", "scam")]);
    for id in 1..=3 {
        message(&mut h, id, BOB, "scam");
    }
    let asked = asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 1, "only the timeout is a case: {asked:?}");
    assert_eq!(asked[0].0, "case.record");
    assert_eq!(asked[0].1["kind"], "timeout");
    assert_eq!(asked[0].1["user_id"], BOB.to_string());
    assert_eq!(asked[0].1["duration_secs"], 600);
    assert_eq!(h.module_requests()[0].guild_id, Some(GUILD_ID));
    let log = h
        .discord_requests()
        .into_iter()
        .filter_map(|r| match r {
            DiscordRequest::SendMessage {
                channel_id,
                message,
            } if channel_id.get() == LOGS => message.content,
            _ => None,
        })
        .next_back()
        .expect("a log message");
    assert!(log.contains("timeout (case #42)"), "{log}");
}

#[test]
fn without_moderation_the_sanction_still_happens() {
    let mut h = start();
    run(
        &mut h,
        &["toggle"],
        vec![arg("level", ArgValue::String("low".into()))],
    );
    run(&mut h, &["add_word"], vec![text("word", "scam")]);
    for id in 1..=3 {
        message(&mut h, id, BOB, "scam");
    }
    assert_eq!(count(&h, "timeout_member"), 1);
}

#[test]
fn welcome_can_ask_whether_a_raid_is_on() {
    let mut h = start();
    let answer = h.request("welcome", "raid.status", json!({})).unwrap();
    assert_eq!(answer["active"], false);
    run(&mut h, &["raid", "start"], vec![]);
    let answer = h.request("welcome", "raid.status", json!({})).unwrap();
    assert_eq!(answer["active"], true);
    assert!(answer["since_ms"].is_u64());
}
