//! Languages: every text in English and French, a French member answered in French, the
//! server's language for announcements, English unchanged for everyone else.

use super::{give, int, start, user, BOB, CAROL};
use crate::Economy;
use arsenal_plugin_api::{
    model::guild::Permissions,
    protocol::{ArgValue, DiscordRequest},
    testing::ADMIN_ID,
    Reply, Response,
};

#[test]
fn every_text_exists_in_english_and_french() {
    arsenal_plugin_api::testing::assert_translated::<Economy>();
}

/// Runs `/economy <path…>` as `who` with Discord locale `locale`.
fn run_in(
    harness: &mut arsenal_plugin_api::testing::TestHarness<Economy>,
    locale: Option<&str>,
    path: &[&str],
    args: Vec<arsenal_plugin_api::protocol::Arg>,
) -> String {
    let mut invocation = harness.slash_as(BOB, Permissions::SEND_MESSAGES, "economy", path, args);
    invocation.invoker.locale = locale.map(str::to_owned);
    match harness.command(invocation).unwrap() {
        Response::Message(Reply { content, .. }) => content.unwrap_or_default(),
        other => panic!("unexpected answer {other:?}"),
    }
}

#[test]
fn a_french_member_is_answered_in_french() {
    let mut harness = start();
    give(&harness, BOB, 500);
    assert_eq!(
        run_in(&mut harness, Some("fr"), &["balance"], vec![]),
        "Vous avez 🪙 500 coins dans le portefeuille et 🪙 0 coins à la banque (total 🪙 500 coins)."
    );
    assert_eq!(
        run_in(
            &mut harness,
            Some("fr"),
            &["pay"],
            vec![user(BOB), int("amount", 5)]
        ),
        "Vous ne pouvez pas vous payer vous-même."
    );
    // The SDK's own refusal of a bad option speaks French too.
    assert_eq!(
        run_in(
            &mut harness,
            Some("fr"),
            &["balance"],
            vec![super::arg("member", ArgValue::String("x".into()))]
        ),
        "L'option `member` doit être un utilisateur."
    );
    // No locale, or one the module does not ship (German): English, as before.
    for locale in [None, Some("de")] {
        assert_eq!(
            run_in(
                &mut harness,
                locale,
                &["pay"],
                vec![user(BOB), int("amount", 5)]
            ),
            "You can't pay yourself."
        );
    }
    // The member's language wins over the server's; the server's counts when theirs is unknown.
    let mut invocation = harness.slash_as(
        CAROL,
        Permissions::SEND_MESSAGES,
        "economy",
        &["daily"],
        vec![],
    );
    invocation.invoker.guild_locale = Some("fr".into());
    let Response::Message(reply) = harness.command(invocation).unwrap() else {
        panic!("a message expected");
    };
    assert!(
        reply
            .content
            .as_deref()
            .unwrap_or_default()
            .starts_with("Vous avez récupéré vos"),
        "{reply:?}"
    );
}

#[test]
fn level_ups_are_announced_in_the_servers_language() {
    let mut harness = start();
    harness.set_guild_locale(Some("fr"));
    let invocation = harness.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "economy",
        &["config", "xp"],
        vec![int("amount", 100), int("cooldown_seconds", 0)],
    );
    harness.command(invocation).unwrap();
    harness
        .event(
            "MESSAGE_CREATE",
            &super::shop_levels::message(1, BOB, 0, false),
        )
        .unwrap();
    let announced = harness
        .discord_requests()
        .into_iter()
        .find_map(|r| match r {
            DiscordRequest::SendMessage { message, .. } => message.content,
            _ => None,
        });
    assert_eq!(
        announced,
        Some(format!("🎉 <@{BOB}> a atteint le **niveau 1** !"))
    );
}
