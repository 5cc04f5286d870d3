//! The module's logic against the SDK's in-memory host: the cache across reloads, each
//! category's entries, routing, ignores, webhooks and their fallback, retention, misuse.

use arsenal_plugin_api::{
    model::channel::message::Embed,
    protocol::{Arg, ArgValue, DiscordError, TextFile},
    testing::{TestHarness, ADMIN_ID, GUILD_ID},
};
use serde_json::{json, Value};

use super::*;

const LOGS: u64 = 900;
const GENERAL: u64 = 800;
const ALICE: u64 = 20;

fn arg(name: &str, value: ArgValue) -> Arg {
    Arg {
        name: name.into(),
        value,
    }
}

fn run(harness: &mut TestHarness<Logs>, sub: &str, args: Vec<Arg>) -> Response {
    let invocation = harness.slash_as(ADMIN_ID, Permissions::ADMINISTRATOR, "logs", &[sub], args);
    harness.command(invocation).expect("answered")
}

fn text(response: &Response) -> String {
    match response {
        Response::Message(reply) => reply.content.clone().unwrap_or_default(),
        other => panic!("not a message: {other:?}"),
    }
}

/// Routes `category` to #logs.
fn route(harness: &mut TestHarness<Logs>, category: &str) -> Response {
    run(
        harness,
        "channel",
        vec![
            arg("category", ArgValue::String(category.into())),
            arg("channel", ArgValue::Channel(Id::new(LOGS))),
        ],
    )
}

fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({"id": id.to_string(), "username": name, "global_name": name, "discriminator": "0", "avatar": null, "bot": bot})
}

fn message(id: u64, channel: u64, author: Value, content: &str) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "guild_id": GUILD_ID.to_string(),
        "author": author, "content": content, "timestamp": "2026-12-06T07:00:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0
    })
}

fn post(harness: &mut TestHarness<Logs>, id: u64, content: &str) {
    harness
        .event(
            "MESSAGE_CREATE",
            &message(id, GENERAL, user(ALICE, "alice", false), content),
        )
        .unwrap();
}

fn delete(harness: &mut TestHarness<Logs>, id: u64) {
    let event = json!({"id": id.to_string(), "channel_id": GENERAL.to_string(), "guild_id": GUILD_ID.to_string()});
    harness.event("MESSAGE_DELETE", &event).unwrap();
}

fn member(id: u64, name: &str, roles: &[u64], nick: Option<&str>, timeout: Option<&str>) -> Value {
    json!({
        "guild_id": GUILD_ID.to_string(), "user": user(id, name, false),
        "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(), "nick": nick,
        "joined_at": "2026-11-01T10:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0,
        "pending": false, "premium_since": null, "avatar": null,
        "communication_disabled_until": timeout
    })
}

/// The log entries posted since the last call, as (how: "message", "webhook" or "file", embed).
fn entries(
    harness: &TestHarness<Logs>,
    from: usize,
) -> Vec<(&'static str, Embed, Option<TextFile>)> {
    harness.discord_requests()[from..]
        .iter()
        .filter_map(|request| match request {
            DiscordRequest::SendMessage {
                channel_id,
                message,
            } => {
                assert_eq!(channel_id.get(), LOGS);
                Some(("message", message.embeds[0].clone(), None))
            }
            DiscordRequest::SendFile {
                channel_id,
                message,
                file_name,
                content,
            } => {
                assert_eq!(channel_id.get(), LOGS);
                let file = TextFile {
                    name: file_name.clone(),
                    content: content.clone(),
                };
                Some(("file", message.embeds[0].clone(), Some(file)))
            }
            DiscordRequest::ExecuteWebhook { message, file, .. } => {
                Some(("webhook", message.embeds[0].clone(), file.clone()))
            }
            _ => None,
        })
        .collect()
}

fn field<'e>(embed: &'e Embed, name: &str) -> &'e str {
    embed
        .fields
        .iter()
        .find(|f| f.name == name)
        .map_or("", |f| f.value.as_str())
}

fn description(embed: &Embed) -> &str {
    embed.description.as_deref().unwrap_or_default()
}

#[test]
fn an_edit_and_a_delete_show_the_old_content_after_a_reload() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    let answer = route(&mut harness, "messages");
    assert_eq!(text(&answer), "Logs of messages will be posted in <#900>.");
    post(&mut harness, 5001, "the first words");
    harness.reload().unwrap();

    let start = harness.discord_requests().len();
    let mut edited = message(
        5001,
        GENERAL,
        user(ALICE, "alice", false),
        "the second words",
    );
    edited["edited_timestamp"] = json!("2026-12-06T07:01:00.000000+00:00");
    harness.event("MESSAGE_UPDATE", &edited).unwrap();
    // A link preview arriving is an update with the same text: nothing to log.
    harness.event("MESSAGE_UPDATE", &edited).unwrap();
    harness.reload().unwrap();
    delete(&mut harness, 5001);

    let logged = entries(&harness, start);
    assert_eq!(logged.len(), 2, "{logged:?}");
    let (_, edit, _) = &logged[0];
    assert_eq!(edit.title.as_deref(), Some("Message edited"));
    assert_eq!(field(edit, "Before"), "the first words");
    assert_eq!(field(edit, "After"), "the second words");
    assert!(
        description(edit).contains("<@20> (alice) in <#800>"),
        "{edit:?}"
    );
    let (_, deleted, _) = &logged[1];
    assert_eq!(deleted.title.as_deref(), Some("Message deleted"));
    assert!(
        description(deleted).ends_with("the second words"),
        "{deleted:?}"
    );
    // Deleted messages leave the cache.
    assert_eq!(harness.stored(&format!("m:1:{GENERAL}:5001")), None);
}

#[test]
fn entries_go_through_a_webhook_when_the_bot_may_create_one() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    harness.on_discord(|request| match request {
        DiscordRequest::CreateWebhook { channel_id, name } => {
            assert_eq!((channel_id.get(), name.as_str()), (LOGS, "Arsenal logs"));
            Ok::<_, DiscordError>(
                json!({"id": "7000", "token": "secret", "type": 1, "channel_id": LOGS.to_string()}),
            )
        }
        _ => Ok(Value::Null),
    });
    route(&mut harness, "messages");
    post(&mut harness, 5001, "hello");
    delete(&mut harness, 5001);
    let logged = entries(&harness, 0);
    assert_eq!(
        logged.iter().map(|(how, ..)| *how).collect::<Vec<_>>(),
        ["webhook", "webhook"],
        "the confirmation and the delete"
    );
    let creations = harness
        .discord_requests()
        .iter()
        .filter(|r| matches!(r, DiscordRequest::CreateWebhook { .. }))
        .count();
    assert_eq!(creations, 1, "the webhook is kept and reused");
    assert_eq!(
        harness.stored("hook:900"),
        Some(json!({"state": "ready", "id": "7000", "token": "secret"}))
    );

    // Someone deleted the webhook: this entry goes as a message, the next one makes a new hook.
    harness.answer_next(
        "execute_webhook",
        Err(DiscordError::new(404, Some(10015), "Unknown Webhook")),
    );
    post(&mut harness, 5002, "again");
    let start = harness.discord_requests().len();
    delete(&mut harness, 5002);
    let logged = entries(&harness, start);
    assert_eq!(
        logged.len(),
        2,
        "the refused webhook call and the message: {logged:?}"
    );
    assert_eq!(logged[1].0, "message");
    assert!(description(&logged[1].1).ends_with("again"));
    assert_eq!(harness.stored("hook:900"), None);
}

#[test]
fn without_manage_webhooks_entries_are_messages_and_webhooks_are_retried_later() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    harness.on_discord(|request| match request {
        DiscordRequest::CreateWebhook { .. } => {
            Err(DiscordError::new(403, Some(50013), "Missing Permissions"))
        }
        _ => Ok(Value::Null),
    });
    route(&mut harness, "messages");
    post(&mut harness, 5001, "hello");
    delete(&mut harness, 5001);
    post(&mut harness, 5002, "hello again");
    delete(&mut harness, 5002);
    let requests = harness.discord_requests();
    let creations = requests
        .iter()
        .filter(|r| matches!(r, DiscordRequest::CreateWebhook { .. }))
        .count();
    assert_eq!(creations, 1, "a refusal is remembered: {requests:?}");
    let logged = entries(&harness, 0);
    assert_eq!(
        logged.iter().map(|(how, ..)| *how).collect::<Vec<_>>(),
        ["message", "message", "message"]
    );
    // An hour later the module asks again (the permission may have been granted).
    harness.advance(std::time::Duration::from_secs(3601));
    post(&mut harness, 5003, "later");
    delete(&mut harness, 5003);
    let creations = harness
        .discord_requests()
        .iter()
        .filter(|r| matches!(r, DiscordRequest::CreateWebhook { .. }))
        .count();
    assert_eq!(creations, 2);
}

#[test]
fn a_bulk_delete_is_one_entry_with_the_messages_in_a_file() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    route(&mut harness, "messages");
    post(&mut harness, 5001, "one");
    post(&mut harness, 5002, "two");
    post(&mut harness, 5003, "three");
    harness.reload().unwrap();
    let start = harness.discord_requests().len();
    let bulk = json!({"ids": ["5003", "5001", "5002", "4000"], "channel_id": GENERAL.to_string(), "guild_id": GUILD_ID.to_string()});
    harness.event("MESSAGE_DELETE_BULK", &bulk).unwrap();
    let logged = entries(&harness, start);
    assert_eq!(logged.len(), 1);
    let (how, embed, file) = &logged[0];
    assert_eq!(*how, "file");
    assert_eq!(embed.title.as_deref(), Some("4 messages deleted"));
    assert!(
        description(embed).contains("3 of them were in the cache"),
        "{embed:?}"
    );
    let file = file.as_ref().expect("a file");
    assert_eq!(file.name, "deleted-messages-800.txt");
    let lines: Vec<&str> = file.content.lines().collect();
    assert_eq!(lines.len(), 3, "{}", file.content);
    assert!(lines[0].ends_with("alice (20) [5001]: one"), "{}", lines[0]);
    assert!(
        lines[2].ends_with("alice (20) [5003]: three"),
        "{}",
        lines[2]
    );
    assert!(harness.stored(&format!("m:1:{GENERAL}:5002")).is_none());
}

#[test]
fn contents_expire_with_the_retention_and_the_sweep_removes_them() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    route(&mut harness, "messages");
    let answer = run(
        &mut harness,
        "retention",
        vec![arg("duration", ArgValue::String("2h".into()))],
    );
    assert_eq!(
        text(&answer),
        "Message contents are kept for 2h. None was older."
    );
    post(&mut harness, 5001, "old news");
    harness.advance(std::time::Duration::from_secs(3600));
    post(&mut harness, 5002, "fresh news");
    harness.advance(std::time::Duration::from_secs(3601));
    // 5001 is past the retention: never shown, even before the sweep removed it.
    let start = harness.discord_requests().len();
    delete(&mut harness, 5001);
    assert!(entries(&harness, start).is_empty());

    // The hourly sweep: a durable timer that removes expired contents and comes back.
    assert!(harness.timers().iter().any(|t| t.key == "sweep:1"));
    harness.advance(std::time::Duration::from_secs(3600));
    harness.fire_timer("sweep:1").unwrap();
    assert_eq!(harness.stored(&format!("m:1:{GENERAL}:5002")), None);
    assert!(
        harness.timers().iter().any(|t| t.key == "sweep:1"),
        "rescheduled"
    );

    // Disabling the messages logs forgets every content at once.
    post(&mut harness, 5003, "kept");
    assert!(harness.stored(&format!("m:1:{GENERAL}:5003")).is_some());
    let answer = run(
        &mut harness,
        "disable",
        vec![arg("category", ArgValue::String("messages".into()))],
    );
    assert_eq!(
        text(&answer),
        "Logs of messages are off. 1 kept message content was forgotten."
    );
    assert_eq!(harness.stored(&format!("m:1:{GENERAL}:5003")), None);
    assert!(!harness.timers().iter().any(|t| t.key == "sweep:1"));
}

#[test]
fn the_cache_keeps_at_most_a_thousand_messages_per_channel() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    route(&mut harness, "messages");
    for id in 1..=cache::MAX_PER_CHANNEL as u64 {
        post(&mut harness, 10_000 + id, "x");
    }
    harness.reload().unwrap();
    post(&mut harness, 20_000, "one more");
    assert_eq!(
        harness.stored(&format!("m:1:{GENERAL}:10001")),
        None,
        "the oldest went"
    );
    assert!(harness.stored(&format!("m:1:{GENERAL}:10002")).is_some());
    assert!(harness.stored(&format!("m:1:{GENERAL}:20000")).is_some());
}

#[test]
fn ignored_channels_members_bots_and_the_log_channel_are_not_kept() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    route(&mut harness, "messages");
    let answer = run(&mut harness, "ignore", vec![]);
    assert_eq!(text(&answer), "Name a channel, a member, or both.");
    let mut ignore = harness.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "logs",
        &["ignore"],
        vec![
            arg("channel", ArgValue::Channel(Id::new(801))),
            arg("member", ArgValue::User(Id::new(30))),
        ],
    );
    ignore.users.push(ResolvedUser {
        id: Id::new(30),
        name: "mallory".into(),
        bot: false,
    });
    let answer = harness.command(ignore).unwrap();
    assert_eq!(text(&answer), "Ignored from now on: <#801>, <@30>.");

    let events = [
        message(1, 801, user(ALICE, "alice", false), "in an ignored channel"),
        message(
            2,
            GENERAL,
            user(30, "mallory", false),
            "by an ignored member",
        ),
        message(3, GENERAL, user(40, "somebot", true), "by a bot"),
        message(4, LOGS, user(ALICE, "alice", false), "in the log channel"),
        message(5, GENERAL, user(ALICE, "alice", false), "kept"),
    ];
    for event in &events {
        harness.event("MESSAGE_CREATE", event).unwrap();
    }
    let kept: Vec<String> = (1..=5)
        .filter(|id| {
            let channel = events[*id as usize - 1]["channel_id"]
                .as_str()
                .unwrap()
                .to_owned();
            harness.stored(&format!("m:1:{channel}:{id}")).is_some()
        })
        .map(|id| id.to_string())
        .collect();
    assert_eq!(kept, ["5"]);

    let answer = run(
        &mut harness,
        "bots",
        vec![arg("log", ArgValue::Boolean(true))],
    );
    assert_eq!(text(&answer), "Bots' messages are logged.");
    harness.event("MESSAGE_CREATE", &events[2]).unwrap();
    assert!(harness.stored(&format!("m:1:{GENERAL}:3")).is_some());
}

#[test]
fn joins_leaves_roles_nicknames_and_timeouts() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    route(&mut harness, "members");
    route(&mut harness, "moderation");
    let start = harness.discord_requests().len();
    // A user id made now: a brand-new account.
    let fresh = ((harness.now() - 1_420_070_400_000) << 22) | 1;
    let mut join = member(fresh, "newbie", &[], None, None);
    join.as_object_mut()
        .unwrap()
        .remove("communication_disabled_until");
    harness.event("GUILD_MEMBER_ADD", &join).unwrap();
    harness.reload().unwrap();
    harness
        .event(
            "GUILD_MEMBER_UPDATE",
            &member(fresh, "newbie", &[501, 502], Some("Newb"), None),
        )
        .unwrap();
    let until = "2030-01-01T00:00:00.000000+00:00";
    harness
        .event(
            "GUILD_MEMBER_UPDATE",
            &member(fresh, "newbie", &[502], Some("Newb"), Some(until)),
        )
        .unwrap();
    let leave = json!({"guild_id": GUILD_ID.to_string(), "user": user(fresh, "newbie", false)});
    harness.event("GUILD_MEMBER_REMOVE", &leave).unwrap();

    let logged = entries(&harness, start);
    let titles: Vec<&str> = logged
        .iter()
        .map(|(_, e, _)| e.title.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        titles,
        [
            "Member joined",
            "Member updated",
            "Member updated",
            "Member timed out",
            "Member left"
        ]
    );
    let joined = description(&logged[0].1);
    assert!(
        joined.contains(&format!("<@{fresh}> (newbie) · account created <t:")),
        "{joined}"
    );
    assert!(joined.contains("New account"), "{joined}");
    let updated = description(&logged[1].1);
    assert!(
        updated.contains("Roles given: <@&501> <@&502>"),
        "{updated}"
    );
    assert!(updated.contains("Nickname: none → Newb"), "{updated}");
    assert!(description(&logged[2].1).contains("Roles taken: <@&501>"));
    assert!(description(&logged[3].1).contains("is timed out until <t:1893456000:f>"));
    let left = description(&logged[4].1);
    assert!(
        left.contains("Roles: <@&502>") && left.contains("Joined <t:"),
        "{left}"
    );
}

#[test]
fn bans_unbans_channels_roles_and_voice() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    route(&mut harness, "all");
    let start = harness.discord_requests().len();
    let ban = json!({"guild_id": GUILD_ID.to_string(), "user": user(30, "mallory", false)});
    harness.event("GUILD_BAN_ADD", &ban).unwrap();
    harness.event("GUILD_BAN_REMOVE", &ban).unwrap();

    let channel = |name: &str, topic: Option<&str>| {
        json!({
            "id": "850", "type": 0, "guild_id": GUILD_ID.to_string(), "name": name, "position": 3,
            "permission_overwrites": [], "topic": topic, "nsfw": false, "rate_limit_per_user": 0, "parent_id": null
        })
    };
    harness
        .event("CHANNEL_CREATE", &channel("news", None))
        .unwrap();
    harness.reload().unwrap();
    harness
        .event("CHANNEL_UPDATE", &channel("announcements", Some("Read me")))
        .unwrap();
    harness
        .event("CHANNEL_DELETE", &channel("announcements", Some("Read me")))
        .unwrap();

    let role = |name: &str, permissions: u64| {
        json!({"guild_id": GUILD_ID.to_string(), "role": {
            "id": "601", "name": name, "color": 0, "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null}, "hoist": false, "position": 1, "permissions": permissions.to_string(),
            "managed": false, "mentionable": false, "flags": 0, "icon": null, "unicode_emoji": null
        }})
    };
    harness
        .event("GUILD_ROLE_CREATE", &role("Helper", 0))
        .unwrap();
    harness
        .event(
            "GUILD_ROLE_UPDATE",
            &role("Helper", Permissions::KICK_MEMBERS.bits()),
        )
        .unwrap();
    harness
        .event(
            "GUILD_ROLE_DELETE",
            &json!({"guild_id": GUILD_ID.to_string(), "role_id": "601"}),
        )
        .unwrap();

    let voice = |channel: Option<&str>| {
        json!({
            "guild_id": GUILD_ID.to_string(), "channel_id": channel, "user_id": ALICE.to_string(),
            "session_id": "s", "deaf": false, "mute": false, "self_deaf": false, "self_mute": false,
            "self_video": false, "suppress": false, "request_to_speak_timestamp": null
        })
    };
    harness
        .event("VOICE_STATE_UPDATE", &voice(Some("700")))
        .unwrap();
    harness
        .event("VOICE_STATE_UPDATE", &voice(Some("700")))
        .unwrap(); // muted: not logged
    harness
        .event("VOICE_STATE_UPDATE", &voice(Some("701")))
        .unwrap();
    harness.event("VOICE_STATE_UPDATE", &voice(None)).unwrap();

    let logged = entries(&harness, start);
    let summary: Vec<(String, String)> = logged
        .iter()
        .map(|(_, e, _)| {
            (
                e.title.clone().unwrap_or_default(),
                description(e).to_owned(),
            )
        })
        .collect();
    let titles: Vec<&str> = summary.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Member banned",
            "Member unbanned",
            "Channel created",
            "Channel updated",
            "Channel deleted",
            "Role created",
            "Role updated",
            "Role deleted",
            "Voice: joined",
            "Voice: moved",
            "Voice: left"
        ]
    );
    assert!(
        summary[3].1.contains("Name: news → announcements"),
        "{}",
        summary[3].1
    );
    assert!(
        summary[3].1.contains("Topic: none → Read me"),
        "{}",
        summary[3].1
    );
    assert!(
        summary[6].1.contains("Permissions granted: KICK_MEMBERS"),
        "{}",
        summary[6].1
    );
    assert_eq!(summary[7].1, "Helper");
    assert!(
        summary[9].1.contains("moved from <#700> to <#701>"),
        "{}",
        summary[9].1
    );
}

#[test]
fn every_text_exists_in_english_and_french() {
    arsenal_plugin_api::testing::assert_translated::<Logs>();
}

#[test]
fn a_french_server_gets_french_entries_and_a_french_member_french_answers() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    let mut invocation = harness.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "logs",
        &["channel"],
        vec![
            arg("category", ArgValue::String("messages".into())),
            arg("channel", ArgValue::Channel(Id::new(LOGS))),
        ],
    );
    invocation.invoker.locale = Some("fr".into());
    let answer = harness.command(invocation).unwrap();
    assert_eq!(
        text(&answer),
        "Les journaux messages seront publiés dans <#900>."
    );
    harness.set_guild_locale(Some("fr"));
    post(&mut harness, 5001, "un");
    post(&mut harness, 5002, "deux");
    let start = harness.discord_requests().len();
    let bulk = json!({"ids": ["5001", "5002"], "channel_id": GENERAL.to_string(), "guild_id": GUILD_ID.to_string()});
    harness.event("MESSAGE_DELETE_BULK", &bulk).unwrap();
    let logged = entries(&harness, start);
    assert_eq!(logged[0].1.title.as_deref(), Some("2 messages supprimés"));
    assert!(description(&logged[0].1)
        .ends_with("2 étaient dans le cache et figurent dans le fichier joint."));
}

#[test]
fn misuse_gets_a_clear_answer_and_changes_nothing() {
    let mut harness = TestHarness::<Logs>::start().unwrap();
    let mut in_dm = harness.slash("logs");
    in_dm.subcommand = vec!["show".into()];
    in_dm.invoker.guild_id = None;
    let answer = harness.command(in_dm).unwrap();
    assert_eq!(
        answer,
        Response::ephemeral("Logs are set up in a server, not in direct messages.")
    );

    let answer = run(
        &mut harness,
        "retention",
        vec![arg("duration", ArgValue::String("10m".into()))],
    );
    assert_eq!(
        answer,
        Response::ephemeral("The retention must be from 1h to 30d (e.g. 12h, 7d).")
    );
    let answer = run(
        &mut harness,
        "disable",
        vec![arg("category", ArgValue::String("voice".into()))],
    );
    assert_eq!(answer, Response::ephemeral("Those logs were not enabled."));
    let answer = run(
        &mut harness,
        "channel",
        vec![arg("category", ArgValue::String("everything".into()))],
    );
    assert!(
        matches!(&answer, Response::Message(r) if r.ephemeral),
        "{answer:?}"
    );

    // The bot cannot post in the channel: refused, nothing saved.
    harness.on_discord(|_| Err(DiscordError::new(403, Some(50001), "Missing Access")));
    let answer = route(&mut harness, "voice");
    let refusal = text(&answer);
    assert!(
        refusal.starts_with("I could not post in <#900>, so nothing changed"),
        "{refusal}"
    );
    assert_eq!(harness.stored("cfg:1"), None);

    let answer = run(&mut harness, "show", vec![]);
    assert!(text(&answer).contains("- voice: off"), "{}", text(&answer));
}
