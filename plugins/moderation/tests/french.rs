//! The module in French: a French moderator is answered in French, and what the module posts on
//! its own (mod-log entries, DMs to members, timers) follows the server's language.

mod common;

use arsenal_plugin_api::{
    model::id::Id,
    protocol::{Arg, ArgValue},
};
use serde_json::Value;

use common::*;

fn modlog_posts(
    h: &arsenal_plugin_api::testing::TestHarness<moderation::Moderation>,
) -> Vec<Value> {
    actions(h, "send_message")
        .into_iter()
        .filter(|m| m["channel_id"].as_str() == Some(LOGS.to_string().as_str()))
        .collect()
}

fn dms(h: &arsenal_plugin_api::testing::TestHarness<moderation::Moderation>) -> Vec<String> {
    actions(h, "send_direct_message")
        .into_iter()
        .map(|m| m["message"]["content"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn a_french_moderator_warns_in_french_and_the_server_keeps_its_language() {
    let (mut h, _) = start();
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
    let fr = Some("fr");

    // An English server: the French moderator reads French, the log and the DM stay English.
    let (t, _) = said(&run_in(
        &mut h,
        fr,
        ALICE,
        "warn",
        &[],
        vec![user("member", BOB), text("reason", "spam")],
    ));
    assert_eq!(
        t,
        format!("Cas #1 · **user{BOB}** a été averti (1 point ; 1 actifs) : spam.")
    );
    let log = modlog_posts(&h);
    assert_eq!(
        log.last().unwrap()["message"]["embeds"][0]["title"],
        "Case #1 · Warn"
    );
    assert_eq!(
        dms(&h).last().unwrap(),
        "You were warned in **Test Guild**. Reason: spam (case #1)"
    );

    // The server switches to French: its log entries and DMs follow.
    h.set_guild_locale(Some("fr"));
    let (t, _) = said(&run_in(
        &mut h,
        fr,
        ALICE,
        "warn",
        &[],
        vec![
            user("member", BOB),
            text("reason", "flood"),
            int("points", 2),
        ],
    ));
    assert!(t.starts_with("Cas #2 · "), "{t}");
    assert!(t.contains("(2 points ; 3 actifs)"), "{t}");
    let posts = modlog_posts(&h);
    let embed = &posts.last().unwrap()["message"]["embeds"][0];
    assert_eq!(embed["title"], "Cas #2 · Avertissement");
    let names: Vec<&str> = embed["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(names, ["Membre", "Modérateur", "Points", "Raison"]);
    assert_eq!(
        dms(&h).last().unwrap(),
        "Vous avez été averti sur **Test Guild**. Raison : flood (cas #2)"
    );

    // The history, and a refusal from the hierarchy check, in French too.
    let (t, ephemeral) = said(&run_in(
        &mut h,
        fr,
        ALICE,
        "warnings",
        &[],
        vec![user("member", BOB)],
    ));
    assert!(ephemeral, "{t}");
    assert!(
        t.contains("3 points d'avertissement actifs") && t.contains("**Historique**"),
        "{t}"
    );
    assert!(t.contains("**#2** Avertissement"), "{t}");
    let (t, ephemeral) = said(&run_in(
        &mut h,
        fr,
        MODERATOR,
        "kick",
        &[],
        vec![user("member", ALICE)],
    ));
    assert!(ephemeral, "{t}");
    assert!(
        t.starts_with(&format!(
            "Vous ne pouvez pas expulser user{ALICE} : son rôle le plus haut (Admin)"
        )),
        "{t}"
    );
    // An English moderator in the same French server still gets English when their client says so.
    let (t, _) = said(&run_in(
        &mut h,
        Some("en-US"),
        ALICE,
        "case",
        &[],
        vec![int("number", 9)],
    ));
    assert_eq!(t, "There is no case #9.");
}

#[test]
fn settings_and_a_timed_unmute_speak_french() {
    let (mut h, _) = start();
    let fr = Some("fr");
    let (t, _) = said(&run_in(
        &mut h,
        fr,
        ALICE,
        "modconfig",
        &["warn_expiry"],
        vec![text("duration", "never")],
    ));
    assert_eq!(t, "Les nouveaux avertissements n'expirent jamais.");
    let (t, _) = said(&run_in(&mut h, fr, ALICE, "modconfig", &["show"], vec![]));
    assert!(
        t.starts_with("**Réglages de modération**\nJournal de modération : désactivé\n"),
        "{t}"
    );
    let (t, _) = said(&run_in(
        &mut h,
        fr,
        ALICE,
        "mute",
        &[],
        vec![user("member", BOB), text("duration", "1h")],
    ));
    assert_eq!(
        t,
        format!("Cas #1 · **user{BOB}** a été rendu muet pendant 1h (exclusion temporaire).")
    );
    let (t, ephemeral) = said(&run_in(
        &mut h,
        fr,
        ALICE,
        "mute",
        &[],
        vec![user("member", CAROL), text("duration", "10x")],
    ));
    assert!(ephemeral, "{t}");
    assert_eq!(
        t,
        "`10x` n'est pas une durée : indiquez un nombre et une unité, comme `30s`, `10m`, `2h`, `7d` ou `1w`."
    );
    // The timer runs without a moderator: the case's reason is in the server's language.
    h.set_guild_locale(Some("fr"));
    h.fire_timer(&format!("unmute:1:{BOB}")).unwrap();
    let case = h.stored("case:1:0000000002").unwrap();
    assert_eq!(case["reason"], "Le temps est écoulé");
}
