//! The moderation module in the SDK's in-memory harness, against a small fake guild that answers
//! the module's Discord reads and records its actions.

mod common;

use arsenal_plugin_api::{
    model::{guild::Permissions, id::Id},
    protocol::{Arg, ArgValue, CommandSource, DiscordError, DiscordRequest},
    testing::GUILD_ID,
    Response,
};
use moderation::model::{TimerPayload, VERSION};
use serde_json::{json, Value};

use common::*;

#[test]
fn cases_are_numbered_per_guild_and_survive_a_reload() {
    let (mut h, _) = start();
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "warn",
        &[],
        vec![user("member", BOB), text("reason", "spam")],
    ));
    assert!(
        t.starts_with(
            "Case #1 · **userBOB** was warned"
                .replace("BOB", &BOB.to_string())
                .as_str()
        ),
        "{t}"
    );
    h.reload().unwrap();
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "kick",
        &[],
        vec![user("member", CAROL)],
    ));
    assert!(t.starts_with("Case #2 · "), "{t}");
    let (t, _) = said(&run(
        &mut h,
        MODERATOR,
        "warn",
        &[],
        vec![
            user("member", BOB),
            text("reason", "again"),
            int("points", 2),
        ],
    ));
    assert!(t.contains("(2 points; 3 active)"), "{t}");
    assert_eq!(h.stored("counter:1").unwrap()["last"], 3);
    let case = h.stored("case:1:0000000002").unwrap();
    assert_eq!(
        (case["kind"].as_str(), case["v"].as_u64()),
        (Some("kick"), Some(u64::from(VERSION)))
    );
    let history = h.stored(&format!("member:1:{BOB}")).unwrap();
    assert_eq!(history["cases"], json!([1, 3]));
    let (t, ephemeral) = said(&run(
        &mut h,
        ALICE,
        "warnings",
        &[],
        vec![user("member", BOB)],
    ));
    assert!(
        ephemeral && t.contains("3 active warning points") && t.contains("**#3** Warn"),
        "{t}"
    );
    let (t, _) = said(&run(&mut h, ALICE, "case", &[], vec![int("number", 2)]));
    assert!(t.starts_with("**#2** Kick"), "{t}");
    let (t, ephemeral) = said(&run(&mut h, ALICE, "case", &[], vec![int("number", 9)]));
    assert_eq!((t.as_str(), ephemeral), ("There is no case #9.", true));
}

#[test]
fn expired_warnings_stop_counting_and_can_be_deleted() {
    let (mut h, _) = start();
    h.set_stored(
        "config:1",
        json!({"v": 1, "thresholds": [{"points": 2, "action": {"type": "kick"}}]}),
    );
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "modconfig",
        &["warn_expiry"],
        vec![text("duration", "1d")],
    ));
    assert_eq!(t, "New warnings expire after 1d.");
    let warn = |h: &mut _, reason: &str| {
        said(&run(
            h,
            ALICE,
            "warn",
            &[],
            vec![user("member", BOB), text("reason", reason)],
        ))
        .0
    };
    let t = warn(&mut h, "old");
    assert!(t.contains("(1 point; 1 active)"), "{t}");
    // A day later the first warning has expired: the second one alone reaches no threshold.
    h.advance(std::time::Duration::from_secs(86_400));
    let t = warn(&mut h, "new");
    assert!(
        t.contains("(1 point; 1 active)") && !t.contains("Automatic"),
        "expired points do not count: {t}"
    );
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "warnings",
        &[],
        vec![user("member", BOB)],
    ));
    assert!(t.contains("old (expired)"), "{t}");
    let (t, _) = said(&run(&mut h, ALICE, "delwarn", &[], vec![int("case", 2)]));
    assert!(t.starts_with("Deleted the warning of case #2"), "{t}");
    let (t, ephemeral) = said(&run(&mut h, ALICE, "delwarn", &[], vec![int("case", 2)]));
    assert!(ephemeral && t.contains("already deleted"), "{t}");
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "clearwarns",
        &[],
        vec![user("member", BOB)],
    ));
    assert!(t.starts_with("Deleted 1 warnings"), "{t}");
    // The warn expiry setting applies to new warnings.
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "modconfig",
        &["warn_expiry"],
        vec![text("duration", "never")],
    ));
    assert_eq!(t, "New warnings never expire.");
    run(
        &mut h,
        ALICE,
        "warn",
        &[],
        vec![user("member", CAROL), text("reason", "x")],
    );
    let record = h.stored(&format!("member:1:{CAROL}")).unwrap();
    assert_eq!(record["warnings"][0]["expires_ms"], Value::Null);
}

#[test]
fn a_threshold_times_out_and_schedules_the_unmute() {
    let (mut h, guild) = start();
    run(
        &mut h,
        ALICE,
        "modlog",
        &[],
        vec![Arg {
            name: "channel".into(),
            value: ArgValue::Channel(Id::new(LOGS)),
        }],
    );
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "modconfig",
        &["threshold"],
        vec![
            int("points", 3),
            text("action", "timeout"),
            text("duration", "2h"),
        ],
    ));
    assert_eq!(t, "Thresholds: 3 pt → mute 2h.");
    guild.lock().unwrap().closed_dms.insert(BOB);
    for _ in 0..2 {
        run(
            &mut h,
            ALICE,
            "warn",
            &[],
            vec![user("member", BOB), text("reason", "spam")],
        );
    }
    assert!(actions(&h, "timeout_member").is_empty());
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "warn",
        &[],
        vec![user("member", BOB), text("reason", "spam")],
    ));
    assert!(
        t.contains("(I could not DM them.)"),
        "a closed DM is a note, not an error: {t}"
    );
    assert!(
        t.contains("Automatic action at 3 points: Case #4 · "),
        "{t}"
    );
    let timeouts = actions(&h, "timeout_member");
    assert_eq!(timeouts.len(), 1);
    let until = timeouts[0]["until_unix_secs"].as_i64().unwrap();
    let mute = h.stored(&format!("mute:1:{BOB}")).unwrap();
    assert_eq!(mute["case"], 4);
    assert_eq!(mute["until_ms"].as_u64().unwrap() / 1000, until as u64);
    let timer = h
        .timers()
        .into_iter()
        .find(|t| t.key == format!("unmute:1:{BOB}"))
        .expect("unmute timer");
    let payload: TimerPayload = serde_json::from_value(timer.payload.clone()).unwrap();
    assert_eq!(
        (payload.case, payload.user.get(), payload.attempt),
        (4, BOB, 0)
    );
    assert_eq!(timer.at_unix_ms / 1000, until as u64);
    let logged: Vec<Value> = actions(&h, "send_message")
        .into_iter()
        .filter(|m| m["channel_id"].as_str() == Some(LOGS.to_string().as_str()))
        .collect();
    assert!(
        logged
            .iter()
            .any(|m| m["message"]["embeds"][0]["title"] == "Case #4 · Mute"),
        "{logged:?}"
    );

    // The timer fires: the case closes with an automatic unmute, once.
    h.fire_timer(&format!("unmute:1:{BOB}")).unwrap();
    assert_eq!(h.stored(&format!("mute:1:{BOB}")), None);
    assert_eq!(h.stored("case:1:0000000005").unwrap()["kind"], "unmute");
    assert_eq!(h.stored("case:1:0000000005").unwrap()["automatic"], true);
}

#[test]
fn a_member_who_rejoins_while_muted_is_muted_again() {
    let (mut h, guild) = start();
    run(
        &mut h,
        ALICE,
        "mute",
        &[],
        vec![user("member", BOB), text("duration", "10m")],
    );
    let first = actions(&h, "timeout_member")[0]["until_unix_secs"].clone();
    guild.lock().unwrap().members.remove(&BOB);
    h.reload().unwrap();
    let join = json!({
        "guild_id": GUILD_ID.to_string(), "roles": [], "joined_at": "2026-11-21T10:00:00.000000+00:00",
        "deaf": false, "mute": false, "flags": 0,
        "user": {"id": BOB.to_string(), "username": "bob", "discriminator": "0", "avatar": null}
    });
    h.event("GUILD_MEMBER_ADD", &join).unwrap();
    let timeouts = actions(&h, "timeout_member");
    assert_eq!(timeouts.len(), 2);
    assert_eq!(
        timeouts[1]["until_unix_secs"], first,
        "the same end, not a fresh 10 minutes"
    );
    // Someone who is not muted costs nothing.
    let before = h.discord_requests().len();
    let other = json!({"guild_id": GUILD_ID.to_string(), "roles": [], "joined_at": "2026-11-21T10:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0,
        "user": {"id": CAROL.to_string(), "username": "carol", "discriminator": "0", "avatar": null}});
    h.event("GUILD_MEMBER_ADD", &other).unwrap();
    assert_eq!(h.discord_requests().len(), before);
}

#[test]
fn hierarchy_self_owner_and_bot_are_refused_before_discord_is_asked() {
    let (mut h, _) = start();
    let cases = [
        (MODERATOR, "kick", ALICE, "You cannot kick userALICE: their highest role (Admin) is not below yours (Moderator)."),
        (ALICE, "kick", ALICE, "You cannot kick yourself."),
        (ALICE, "ban", OWNER, "userOWNER owns this server; nobody can ban them."),
        (ALICE, "kick", BOT, "I will not kick myself."),
        (OWNER, "kick", ALICE, "I cannot kick userALICE: their highest role (Admin) is not below mine (Arsenal). Move my role above theirs in Server Settings → Roles."),
    ];
    for (who, command, target, expected) in cases {
        let expected = expected
            .replace("ALICE", &ALICE.to_string())
            .replace("OWNER", &OWNER.to_string());
        let (t, ephemeral) = said(&run(
            &mut h,
            who,
            command,
            &[],
            vec![user("member", target)],
        ));
        assert_eq!((t, ephemeral), (expected, true));
    }
    assert!(actions(&h, "kick_member").is_empty() && actions(&h, "ban_member").is_empty());
    let (t, _) = said(&run(&mut h, ALICE, "kick", &[], vec![user("member", 4242)]));
    assert_eq!(t, "<@4242> is not a member of this server.");
}

#[test]
fn tempban_timer_unbans_and_a_refusal_is_retried() {
    let (mut h, guild) = start();
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "ban",
        &[],
        vec![
            user("member", CAROL),
            text("duration", "1d"),
            int("delete_days", 2),
        ],
    ));
    assert!(
        t.starts_with("Case #1 · ") && t.contains("was banned for 1d."),
        "{t}"
    );
    assert_eq!(
        actions(&h, "ban_member")[0]["delete_message_seconds"],
        2 * 86_400
    );
    assert_eq!(h.stored(&format!("tempban:1:{CAROL}")).unwrap()["case"], 1);
    let key = format!("unban:1:{CAROL}");
    guild.lock().unwrap().refuse =
        Some(("unban_member", DiscordError::new(500, None, "try later")));
    let error = h.fire_timer(&key).unwrap_err();
    assert!(error.message.contains("retrying"), "{}", error.message);
    let retry = h
        .timers()
        .into_iter()
        .find(|t| t.key == key)
        .expect("rescheduled");
    assert_eq!(retry.payload["attempt"], 1);
    guild.lock().unwrap().refuse = None;
    h.fire_timer(&key).unwrap();
    assert_eq!(actions(&h, "unban_member").len(), 2);
    assert_eq!(h.stored(&format!("tempban:1:{CAROL}")), None);
    assert_eq!(h.stored("case:1:0000000002").unwrap()["kind"], "unban");
    // A stale timer (the ban was lifted by hand meanwhile) does nothing.
    h.fire_timer("nonexistent").unwrap_err();
    run(
        &mut h,
        ALICE,
        "ban",
        &[],
        vec![user("member", BOB), text("duration", "1h")],
    );
    run(&mut h, ALICE, "unban", &[], vec![user("user", BOB)]);
    assert!(h.timers().is_empty(), "a manual unban cancels the timer");
    let stale =
        json!({"v": 1, "action": "unban", "guild": "1", "user": BOB.to_string(), "case": 3});
    let fired = json!({"key": format!("unban:1:{BOB}"), "at_unix_ms": 0, "payload": stale});
    let before = actions(&h, "unban_member").len();
    h.call("timer", &fired.to_string()).unwrap();
    assert_eq!(actions(&h, "unban_member").len(), before);
}

#[test]
fn discord_refusals_and_misuse_come_back_readable() {
    let (mut h, guild) = start();
    guild.lock().unwrap().refuse = Some((
        "kick_member",
        DiscordError::new(403, Some(50013), "Missing Permissions"),
    ));
    let (t, ephemeral) = said(&run(&mut h, ALICE, "kick", &[], vec![user("member", BOB)]));
    assert!(
        ephemeral
            && t.starts_with(
                "I could not kick userBOB: Discord refused (403): Missing Permissions"
                    .replace("BOB", &BOB.to_string())
                    .as_str()
            ),
        "{t}"
    );
    assert_eq!(
        h.stored("counter:1"),
        None,
        "no case for an action that did not happen"
    );
    let misuse = [
        (
            "mute",
            vec![user("member", BOB), text("duration", "soon")],
            "`soon` is not a duration",
        ),
        (
            "mute",
            vec![user("member", BOB), text("duration", "60d")],
            "set a mute role",
        ),
        (
            "mute",
            vec![user("member", BOB), text("duration", "never")],
            "set a mute role",
        ),
        ("warn", vec![user("member", BOB)], "Give a reason"),
        ("warn", vec![text("reason", "x")], "Say who"),
        (
            "ban",
            vec![user("member", BOB), text("duration", "tomorrow")],
            "is not a duration",
        ),
        ("purge", vec![int("count", 0)], "count of 1 to 100"),
        ("unmute", vec![user("member", BOB)], "is not muted"),
    ];
    for (command, args, expected) in misuse {
        let (t, ephemeral) = said(&run(&mut h, ALICE, command, &[], args));
        assert!(ephemeral && t.contains(expected), "/{command}: {t}");
    }
    let mut dm = h.slash("warn");
    dm.invoker.guild_id = None;
    assert_eq!(
        h.command(dm).unwrap(),
        Response::ephemeral("Moderation commands work in a server, not in DMs.")
    );
}

#[test]
fn a_prefix_ban_reads_a_non_duration_as_the_reason_and_a_mute_role_is_used_when_long() {
    let (mut h, _) = start();
    let mut invocation = h.slash_as(
        Id::new(ALICE),
        Permissions::ADMINISTRATOR,
        "ban",
        &[],
        vec![
            user("member", BOB),
            text("duration", "spamming"),
            text("reason", "links"),
        ],
    );
    invocation.invoker.roles = vec![Id::new(23)];
    invocation.source = CommandSource::Prefix {
        message_id: Id::new(777),
    };
    let (t, _) = said(&h.command(invocation).unwrap());
    assert!(t.ends_with("was banned: spamming links."), "{t}");
    assert!(h.timers().is_empty(), "permanent");

    run(
        &mut h,
        ALICE,
        "modconfig",
        &["mute_role"],
        vec![Arg {
            name: "role".into(),
            value: ArgValue::Role(Id::new(30)),
        }],
    );
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "mute",
        &[],
        vec![user("member", CAROL), text("duration", "60d")],
    ));
    assert!(t.contains("for 8w 4d (mute role)"), "{t}");
    assert_eq!(actions(&h, "add_role")[0]["role_id"], "30");
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "unmute",
        &[],
        vec![user("member", CAROL)],
    ));
    assert!(t.contains("was unmuted"), "{t}");
    assert_eq!(actions(&h, "remove_role")[0]["role_id"], "30");
    assert!(h.timers().is_empty(), "the unmute timer was cancelled");
}

#[test]
fn purge_deletes_recent_messages_but_not_the_command_or_pins() {
    let (mut h, _) = start();
    let now_ms = h.now();
    let snowflake = |offset: u64| ((now_ms - 1_420_070_400_000 - offset) << 22).to_string();
    let messages = json!([
        {"id": snowflake(0), "author": {"id": ALICE.to_string()}},
        {"id": snowflake(1000), "author": {"id": BOB.to_string()}},
        {"id": snowflake(2000), "author": {"id": CAROL.to_string()}, "pinned": true},
        {"id": snowflake(3000), "author": {"id": BOB.to_string()}},
        {"id": snowflake(20 * 86_400_000), "author": {"id": BOB.to_string()}},
    ]);
    let command_message = id_of(messages[0]["id"].as_str().unwrap());
    h.on_discord(move |request| match request {
        DiscordRequest::GetMessages { .. } => Ok::<_, DiscordError>(messages.clone()),
        DiscordRequest::GetBotUser => Ok(json!({"id": BOT.to_string()})),
        _ => Ok(Value::Null),
    });
    let mut invocation = h.slash_as(
        Id::new(ALICE),
        Permissions::ADMINISTRATOR,
        "purge",
        &[],
        vec![int("count", 10), user("member", BOB)],
    );
    invocation.source = CommandSource::Prefix {
        message_id: Id::new(command_message),
    };
    let (t, ephemeral) = said(&h.command(invocation).unwrap());
    assert!(
        ephemeral && t.starts_with("Case #1 · deleted 2 messages."),
        "{t}"
    );
    let deleted = &actions(&h, "delete_messages")[0]["message_ids"];
    assert_eq!(
        deleted.as_array().map(Vec::len),
        Some(2),
        "bob's two recent messages: {deleted}"
    );
}

/// The typed commands refuse what does not fit by the option's name, before anything happens.
#[test]
fn options_that_do_not_fit_are_refused_by_name() {
    let (mut h, _) = start();
    let cases = [
        (
            "modconfig",
            &["threshold"][..],
            vec![int("points", 3), text("action", "explode")],
            "action",
        ),
        (
            "warn",
            &[][..],
            vec![user("member", BOB), text("reason", &"x".repeat(501))],
            "at most 500 characters",
        ),
        (
            "ban",
            &[][..],
            vec![user("member", BOB), int("delete_days", 8)],
            "delete_days",
        ),
        (
            "modconfig",
            &["colour"][..],
            vec![],
            "has no subcommand `colour`",
        ),
    ];
    for (command, sub, args, expected) in cases {
        let (t, ephemeral) = said(&run(&mut h, ALICE, command, sub, args));
        assert!(ephemeral && t.contains(expected), "/{command}: {t}");
    }
    assert!(h
        .discord_requests()
        .iter()
        .all(|r| !matches!(r, DiscordRequest::BanMember { .. })));
    assert_eq!(h.stored("counter:1"), None, "no case was opened");
    assert_eq!(h.stored("config:1"), None, "no setting changed");
}

#[test]
fn another_module_records_a_case_through_the_host() {
    let (mut h, _) = start();
    let answer = h
        .request(
            "automod",
            "case.record",
            json!({"user_id": BOB.to_string(), "kind": "timeout", "reason": "automod: spam", "duration_secs": 600}),
        )
        .unwrap();
    assert_eq!(answer["number"], 1);
    let case = h.stored("case:1:0000000001").unwrap();
    assert_eq!(
        (
            case["kind"].as_str(),
            case["automatic"].as_bool(),
            case["duration_secs"].as_u64()
        ),
        (Some("mute"), Some(true), Some(600))
    );
    assert_eq!(case["reason"], "automod: spam");
    // Numbered with moderation's own cases.
    let (t, _) = said(&run(
        &mut h,
        ALICE,
        "warn",
        &[],
        vec![user("member", BOB), text("reason", "x")],
    ));
    assert!(t.starts_with("Case #2 · "), "{t}");
    // A kind moderation does not know is refused as invalid, and nothing is recorded.
    let refused = h.request(
        "automod",
        "case.record",
        json!({"user_id": BOB.to_string(), "kind": "jail"}),
    );
    assert!(refused.is_err());
    assert!(h.stored("case:1:0000000003").is_none());
}
