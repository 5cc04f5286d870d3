//! How `/economy` reads its options through the derived command: the module's own wording for
//! every misuse, required options that old or hand-made calls leave out, and typed-in numbers.

use arsenal_plugin_api::{protocol::ArgValue, testing::ADMIN_ID};

use super::{arg, int, run, start, text, user, wallet, BOB, CAROL};

#[test]
fn required_options_left_out_get_the_handlers_sentences() {
    let mut h = start();
    let cases: Vec<(&[&str], Vec<_>, &str)> = vec![
        (
            &["admin", "set"],
            vec![int("amount", 5)],
            "Name a member: `member:@someone`.",
        ),
        (
            &["admin", "set"],
            vec![user(BOB)],
            "Give an amount: `amount:100`.",
        ),
        (
            &["admin", "add"],
            vec![user(BOB)],
            "Give an amount: `amount:100`.",
        ),
        (
            &["config", "daily"],
            vec![],
            "Give the daily amount: `amount:100`.",
        ),
        (
            &["config", "work"],
            vec![int("min", 1)],
            "Give `min` and `max`.",
        ),
        (
            &["config", "currency"],
            vec![text("name", "  ")],
            "Give the currency's name: `name:gems`.",
        ),
        (
            &["config", "levelrole"],
            vec![],
            "Give a level: `level:5 role:@Regular`.",
        ),
        (&["deposit"], vec![], "Give an amount or `all`."),
        (
            &["shop", "buy"],
            vec![],
            "No such item; `/economy shop list` shows them.",
        ),
    ];
    for (path, args, expected) in cases {
        assert_eq!(
            run(&mut h, ADMIN_ID, path, args),
            (expected.to_owned(), true),
            "{path:?}"
        );
    }
}

#[test]
fn misuse_is_refused_in_the_modules_words() {
    let mut h = start();
    let price = |value| vec![text("name", "Cake"), arg("price", value)];
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["shop", "add"],
        price(ArgValue::Integer(0)),
    );
    assert_eq!(answer, "Price: The amount must be a positive whole number.");
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["shop", "add"],
        price(ArgValue::Boolean(true)),
    );
    assert_eq!(answer, "Price: Give an amount: `price:100`.");
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["config", "xp"],
        vec![text("amount", "lots")],
    );
    assert_eq!(answer, "`amount` must be a whole number.");
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["config", "xp"],
        vec![int("cooldown_seconds", -1), int("amount", 5)],
    );
    assert_eq!(answer, "`cooldown_seconds` must be between 0 and 86400.");
    for path in [&["shop", "sell"][..], &["shop"], &[]] {
        let (answer, ephemeral) = run(&mut h, BOB, path, vec![]);
        assert!(
            answer.starts_with("Use `/economy balance`") && ephemeral,
            "{path:?}: {answer}"
        );
    }
}

#[test]
fn typed_in_numbers_and_amounts_read_like_slash_ones() {
    let mut h = start();
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["admin", "set"],
        vec![user(BOB), text("amount", " 120 ")],
    );
    assert_eq!(answer, format!("<@{BOB}>'s wallet is now 🪙 120 coins."));
    let (answer, _) = run(
        &mut h,
        BOB,
        &["pay"],
        vec![user(CAROL), text("amount", "1_00")],
    );
    assert_eq!(
        answer,
        "You paid <@30> 🪙 100 coins. Your wallet: 🪙 20 coins."
    );
    assert_eq!((wallet(&h, BOB), wallet(&h, CAROL)), (20, 100));
    let (answer, _) = run(
        &mut h,
        BOB,
        &["pay"],
        vec![user(CAROL), arg("amount", ArgValue::Number(20.0))],
    );
    assert!(
        answer.starts_with("You paid <@30> 🪙 20 coins."),
        "{answer}"
    );
    let (answer, _) = run(
        &mut h,
        BOB,
        &["pay"],
        vec![user(CAROL), arg("amount", ArgValue::Number(0.5))],
    );
    assert_eq!(answer, "Give an amount: `amount:100`.");
}
