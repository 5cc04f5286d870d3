//! Wallet, bank, rewards, payments (incl. a lost race) and admin money.

use super::*;
use std::time::Duration;

#[test]
fn daily_has_a_cooldown_that_survives_a_reload() {
    let mut h = start();
    let (answer, ephemeral) = run(&mut h, BOB, &["daily"], vec![]);
    assert_eq!(
        answer,
        "You claimed your daily 🪙 100 coins. Wallet: 🪙 100 coins."
    );
    assert!(!ephemeral);
    h.reload().unwrap();
    h.advance(Duration::from_secs(60));
    let (answer, ephemeral) = run(&mut h, BOB, &["daily"], vec![]);
    assert_eq!(
        answer,
        "You already claimed your daily reward. Come back in 23h 59m."
    );
    assert!(ephemeral);
    assert_eq!(wallet(&h, BOB), 100, "no second reward");

    // One second short of a day it still waits; a day after the claim it pays again.
    h.advance(Duration::from_secs(24 * 3600 - 61));
    let (answer, _) = run(&mut h, BOB, &["daily"], vec![]);
    assert_eq!(
        answer,
        "You already claimed your daily reward. Come back in 1s."
    );
    h.advance(Duration::from_secs(1));
    run(&mut h, BOB, &["daily"], vec![]);
    assert_eq!(wallet(&h, BOB), 200);
}

#[test]
fn work_pays_within_the_configured_range_once_per_cooldown() {
    let mut h = start();
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["config", "work"],
        vec![int("min", 5), int("max", 7), int("cooldown_minutes", 30)],
    );
    assert!(answer.contains("every 30m"), "{answer}");
    run(&mut h, BOB, &["work"], vec![]);
    let first = wallet(&h, BOB);
    assert!((5..=7).contains(&first), "{first}");
    h.advance(Duration::from_secs(29 * 60));
    let (answer, ephemeral) = run(&mut h, BOB, &["work"], vec![]);
    assert_eq!(
        answer,
        "You are still tired from your last shift. Work again in 1m."
    );
    assert!(ephemeral);
    // Another guild member has their own cooldown.
    run(&mut h, CAROL, &["work"], vec![]);
    assert!(wallet(&h, CAROL) >= 5);
    // Thirty minutes after the first shift, another one pays.
    h.advance(Duration::from_secs(60));
    run(&mut h, BOB, &["work"], vec![]);
    assert!(wallet(&h, BOB) >= first + 5, "{}", wallet(&h, BOB));
}

#[test]
fn a_payment_that_loses_a_race_pays_once() {
    let mut h = start();
    give(&h, BOB, 100);
    // The first commit loses to another writer: the transfer reruns and moves the coins once.
    h.conflict_next_commits(1);
    run(&mut h, BOB, &["pay"], vec![user(CAROL), int("amount", 30)]);
    assert_eq!((wallet(&h, BOB), wallet(&h, CAROL)), (70, 30));
    // A store that never lets it through: the member is told, and nothing moved.
    h.conflict_next_commits(u32::MAX);
    let error = h
        .command(h.slash_as(
            BOB,
            Permissions::SEND_MESSAGES,
            "economy",
            &["pay"],
            vec![user(CAROL), int("amount", 30)],
        ))
        .unwrap_err();
    assert!(error.message.contains("kept conflicting"), "{error:?}");
    assert_eq!((wallet(&h, BOB), wallet(&h, CAROL)), (70, 30));
}

#[test]
fn pay_moves_coins_and_refuses_every_kind_of_misuse() {
    let mut h = start();
    give(&h, BOB, 100);
    let (answer, _) = run(&mut h, BOB, &["pay"], vec![user(CAROL), int("amount", 30)]);
    assert_eq!(
        answer,
        format!("You paid <@{CAROL}> 🪙 30 coins. Your wallet: 🪙 70 coins.")
    );
    assert_eq!((wallet(&h, BOB), wallet(&h, CAROL)), (70, 30));

    let cases: Vec<(Vec<Arg>, &str)> = vec![
        (vec![user(BOB), int("amount", 5)], "You can't pay yourself."),
        (
            vec![user(A_BOT), int("amount", 5)],
            "Bots have no use for money.",
        ),
        (
            vec![user(STRANGER), int("amount", 5)],
            "<@999> is not a member of this server.",
        ),
        (
            vec![user(CAROL), int("amount", 0)],
            "The amount must be a positive whole number.",
        ),
        (
            vec![user(CAROL), int("amount", -5)],
            "The amount must be a positive whole number.",
        ),
        (
            vec![user(CAROL), int("amount", i64::MAX)],
            "That is too much: at most 1,000,000,000,000 at a time.",
        ),
        (
            vec![user(CAROL), int("amount", 71)],
            "You only have 🪙 70 coins in your wallet.",
        ),
        (
            vec![int("amount", 5)],
            "Who should get the money? `/economy pay member:@someone amount:100`.",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(
            run(&mut h, BOB, &["transfer"], args),
            (expected.to_owned(), true)
        );
    }
    assert_eq!((wallet(&h, BOB), wallet(&h, CAROL)), (70, 30), "unchanged");
}

#[test]
fn deposit_and_withdraw_accept_all_and_check_funds() {
    let mut h = start();
    give(&h, BOB, 500);
    let (answer, _) = run(&mut h, BOB, &["deposit"], vec![text("amount", "1,00")]);
    assert_eq!(
        answer,
        "Deposited 🪙 100 coins. Wallet: 🪙 400 coins, bank: 🪙 100 coins."
    );
    run(&mut h, BOB, &["deposit"], vec![text("amount", "ALL")]);
    let (answer, ephemeral) = run(&mut h, BOB, &["deposit"], vec![text("amount", "all")]);
    assert_eq!(
        (answer.as_str(), ephemeral),
        ("You have 🪙 0 coins in your wallet.", true)
    );
    let (answer, _) = run(&mut h, BOB, &["withdraw"], vec![text("amount", "600")]);
    assert_eq!(answer, "You have 🪙 500 coins in the bank.");
    let (answer, _) = run(&mut h, BOB, &["withdraw"], vec![text("amount", "lots")]);
    assert!(answer.contains("is not an amount") && answer.contains("or `all`"));
    run(&mut h, BOB, &["withdraw"], vec![text("amount", "250")]);
    let (answer, _) = run(&mut h, BOB, &["balance"], vec![]);
    assert_eq!(
        answer,
        "You have 🪙 250 coins in the wallet and 🪙 250 coins in the bank (total 🪙 500 coins)."
    );
}

#[test]
fn admin_money_needs_manage_server() {
    let mut h = start();
    let (answer, ephemeral) = run(
        &mut h,
        BOB,
        &["admin", "add"],
        vec![user(BOB), int("amount", 1000)],
    );
    assert_eq!(
        (answer.as_str(), ephemeral),
        ("You need the **Manage Server** permission for this.", true)
    );
    assert_eq!(wallet(&h, BOB), 0);
    run(
        &mut h,
        ADMIN_ID,
        &["admin", "set"],
        vec![user(BOB), int("amount", 50)],
    );
    run(
        &mut h,
        ADMIN_ID,
        &["admin", "add"],
        vec![user(BOB), int("amount", 25)],
    );
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["admin", "remove"],
        vec![user(BOB), int("amount", 1000)],
    );
    assert_eq!(answer, format!("<@{BOB}>'s wallet is now 🪙 0 coins."));
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["admin", "set"],
        vec![user(A_BOT), int("amount", 5)],
    );
    assert_eq!(answer, "Bots have no use for money.");
}

#[test]
fn a_transfer_that_loses_a_race_retries_on_fresh_balances() {
    // A plugin that runs the real transfer body, but on the first attempt another write lands
    // on the payer's account between the transaction's reads and its commit.
    struct Racing;
    impl arsenal_plugin_api::Plugin for Racing {
        // The economy's texts, since it runs the economy's code.
        const LOCALES: arsenal_plugin_api::i18n::Locales =
            <crate::Economy as arsenal_plugin_api::Plugin>::LOCALES;
        fn manifest() -> arsenal_plugin_api::Manifest {
            arsenal_plugin_api::Manifest::new("racing", "1.0.0")
        }
        fn new(_: &arsenal_plugin_api::Context) -> arsenal_plugin_api::Result<Self> {
            Ok(Racing)
        }
        fn on_command(
            &mut self,
            ctx: &arsenal_plugin_api::Context,
            command: &arsenal_plugin_api::CommandInvocation,
        ) -> arsenal_plugin_api::Result<Response> {
            let call = crate::call::Call::new(ctx, command)?.unwrap();
            let store = ctx.store();
            let payer = call.key(call.user());
            let mut attempts = 0;
            let outcome = store.transaction(|txn| {
                let outcome = crate::bank::transfer_in(txn, &call, CAROL, 60, (None, None))?;
                attempts += 1;
                if attempts == 1 {
                    // Someone else spends 50 of the payer's 100 meanwhile.
                    store.set(&payer, &json!({"v": 1, "wallet": 50}))?;
                }
                Ok(outcome)
            })?;
            Ok(Response::text(format!("{attempts} {outcome:?}")))
        }
    }
    let mut h = TestHarness::<Racing>::start().unwrap();
    h.set_stored(
        &format!("guild:{GUILD_ID}:user:{BOB}"),
        json!({"wallet": 100}),
    );
    let invocation = h.slash_as(BOB, Permissions::empty(), "economy", &["pay"], vec![]);
    let answer = h.command(invocation).unwrap();
    assert_eq!(
        answer,
        Response::text("2 Err(\"You only have 🪙 50 coins in your wallet.\")"),
        "the retry saw the concurrent write and refused"
    );
    let account = |who: Id<UserMarker>| h.stored(&format!("guild:{GUILD_ID}:user:{who}"));
    assert_eq!(account(BOB).unwrap()["wallet"], 50, "not overwritten");
    assert_eq!(account(CAROL), None, "nothing credited");
}
