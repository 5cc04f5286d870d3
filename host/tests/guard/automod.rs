//! The automod module end to end: Discord's native rules are created in the (simulated) server
//! once the bot may manage it, a disguised word is deleted by the bot-side filter, a hot reload
//! in the middle of a member's violations loses nothing (the third one times the member out),
//! and is recorded as a moderation case through the host's request bus, and a raid pauses
//! invites and raises the verification level until a moderator ends it.
//! Ends by checking Discord would have accepted every request.

use std::time::Duration;

use serde_json::{json, Value};
use twilight_model::{
    guild::Permissions,
    id::{marker::ChannelMarker, Id},
};

use crate::common::{
    bot::{Bot, WAIT},
    plugin,
};

fn sub(name: &str, options: Value) -> Value {
    json!([{ "name": name, "type": 1, "options": options }])
}

fn group(group: &str, name: &str, options: Value) -> Value {
    json!([{ "name": group, "type": 2, "options": [{ "name": name, "type": 1, "options": options }] }])
}

/// Posts `content` as bob in #general and waits until the bot deleted it (`true`) or `WAIT`
/// passed (`false`).
async fn deleted(bot: &Bot, content: &str) -> bool {
    let ids = bot.ids;
    let sent = bot.sim.send_message(ids.bob, ids.general, content).await;
    bot.sim
        .wait_for(WAIT, |w| w.find_message(sent).is_none().then_some(()))
        .await
        .is_some()
}

fn log_lines(bot: &Bot, logs: Id<ChannelMarker>) -> Vec<String> {
    bot.sim
        .with_world(|w| w.messages(logs))
        .into_iter()
        .map(|m| m.content)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn native_rules_disguised_words_escalation_across_a_reload_and_raid_mode() {
    let bot = Bot::start_with(&[
        ("automod", plugin("automod")),
        ("moderation", plugin("moderation")),
    ])
    .await;
    let ids = bot.ids;

    // Without Manage Server, Discord refuses the native rules: the admin is told, the level
    // is saved anyway.
    let (text, ephemeral) = bot
        .slash(
            ids.alice,
            "automod",
            sub("toggle", json!([{"name": "level", "value": "medium"}])),
        )
        .await;
    assert!(ephemeral, "{text}");
    assert!(bot
        .sim
        .with_world(|w| w.automod_rules_of(ids.guild))
        .is_empty());

    bot.sim
        .modify_world(|w| w.grant_bot(ids.guild, Permissions::MANAGE_GUILD));
    bot.slash(
        ids.alice,
        "automod",
        group(
            "config",
            "log",
            json!([{"name": "channel", "value": ids.logs}]),
        ),
    )
    .await;
    let (text, _) = bot
        .slash(
            ids.alice,
            "automod",
            sub("add_word", json!([{"name": "word", "value": "free nitro"}])),
        )
        .await;
    let rules = bot.sim.with_world(|w| w.automod_rules_of(ids.guild));
    let keywords: Vec<&Value> = rules.iter().filter(|r| r["trigger_type"] == 1).collect();
    assert_eq!(keywords.len(), 1, "{text}: {rules:?}");
    assert_eq!(
        keywords[0]["trigger_metadata"]["keyword_filter"],
        json!(["free nitro"])
    );
    assert_eq!(keywords[0]["exempt_channels"], json!([]));
    assert!(
        rules.iter().any(|r| r["trigger_type"] == 4),
        "presets at medium"
    );
    assert!(
        rules.iter().any(|r| r["trigger_type"] == 5),
        "mention spam at medium"
    );

    // The disguised word passes Discord's rule; the bot deletes it and logs it.
    assert!(deleted(&bot, "get ｆｒｅｅ n1tro now").await);
    let logged = bot
        .sim
        .wait_for(WAIT, |w| (!w.messages(ids.logs).is_empty()).then_some(()))
        .await;
    assert!(logged.is_some(), "the violation is logged");

    // A hot reload between violations: the strikes are in the store.
    assert!(deleted(&bot, "FR\u{0415}E NITRO").await);
    bot.app()
        .manager
        .reload("automod", arsenal_host::plugins::Trigger::Command)
        .await
        .expect("reload");
    assert!(deleted(&bot, "fr\u{200b}ee nitro").await);
    let timed_out = bot
        .sim
        .wait_for(WAIT, |w| {
            w.find_member(ids.guild, ids.bob)
                .and_then(|m| m.communication_disabled_until)
        })
        .await;
    assert!(
        timed_out.is_some(),
        "three violations in ten minutes time bob out: {:?}",
        log_lines(&bot, ids.logs)
    );
    // Recorded as a moderation case, through the host's request bus.
    let recorded = bot
        .sim
        .wait_for(WAIT, |w| {
            w.messages(ids.logs)
                .iter()
                .any(|m| m.content.contains("timeout (case #1)"))
                .then_some(())
        })
        .await;
    assert!(recorded.is_some(), "{:?}", log_lines(&bot, ids.logs));

    // Raid: three joins within a minute pause invites and raise verification.
    bot.slash(
        ids.alice,
        "automod",
        group(
            "config",
            "raid",
            json!([{"name": "joins", "value": 3}, {"name": "seconds", "value": 60}, {"name": "action", "value": "both"}]),
        ),
    )
    .await;
    for n in 0..3 {
        bot.sim.member_join(ids.guild, &format!("raider{n}")).await;
    }
    let paused = bot
        .sim
        .wait_for(WAIT, |w| w.invites_paused_until(ids.guild))
        .await;
    assert!(
        paused.is_some(),
        "invites paused: {:?}",
        log_lines(&bot, ids.logs)
    );
    let raised = bot
        .sim
        .wait_for(WAIT, |w| {
            (w.verification_level(ids.guild) == 4).then_some(())
        })
        .await;
    assert!(
        raised.is_some(),
        "verification raised: {:?}",
        log_lines(&bot, ids.logs)
    );
    // Nobody was kicked or banned.
    assert!(bot.sim.with_world(|w| w.bans(ids.guild)).is_empty());

    bot.slash(ids.alice, "automod", group("raid", "end", json!([])))
        .await;
    let ended = bot
        .sim
        .wait_for(WAIT, |w| {
            (w.invites_paused_until(ids.guild).is_none() && w.verification_level(ids.guild) == 0)
                .then_some(())
        })
        .await;
    assert!(ended.is_some(), "raid mode undone");

    tokio::time::sleep(Duration::from_millis(50)).await;
    bot.stop().await;
}
