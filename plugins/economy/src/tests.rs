//! Harness tests: the module's logic through the same ABI path a loaded library takes.

use arsenal_plugin_api::{
    model::{
        guild::Permissions,
        id::{marker::UserMarker, Id},
    },
    protocol::{Arg, ArgValue, DiscordRequest},
    testing::{TestHarness, ADMIN_ID, GUILD_ID},
    Reply, Response,
};
use serde_json::{json, Value};

use crate::{levels, model::now_secs, Economy};

const BOB: Id<UserMarker> = Id::new(20);
const CAROL: Id<UserMarker> = Id::new(30);
/// Members with ids from here on are bots in [`start`]'s fake Discord.
const A_BOT: Id<UserMarker> = Id::new(900);
/// Not a member in [`start`]'s fake Discord.
const STRANGER: Id<UserMarker> = Id::new(999);

/// A harness whose Discord knows members: ids ≥ 900 are bots, 999 is not a member.
fn start() -> TestHarness<Economy> {
    let harness = TestHarness::<Economy>::start().unwrap();
    harness.on_discord(|request| match request {
        DiscordRequest::GetMember { user_id, .. } if *user_id == STRANGER => {
            Err("Discord refused (404 Not Found): Unknown Member (code 10007)".to_owned())
        }
        DiscordRequest::GetMember { user_id, .. } => Ok(json!({
            "user": {"id": user_id.to_string(), "username": "x", "bot": user_id.get() >= 900}
        })),
        _ => Ok(Value::Null),
    });
    harness
}

fn arg(name: &str, value: ArgValue) -> Arg {
    Arg {
        name: name.to_owned(),
        value,
    }
}

fn int(name: &str, value: i64) -> Arg {
    arg(name, ArgValue::Integer(value))
}

fn text(name: &str, value: &str) -> Arg {
    arg(name, ArgValue::String(value.to_owned()))
}

fn user(value: Id<UserMarker>) -> Arg {
    arg("member", ArgValue::User(value))
}

/// Runs `/economy <path…>` as `who` (admins get Manage Server) and returns (text, ephemeral).
fn run(
    harness: &mut TestHarness<Economy>,
    who: Id<UserMarker>,
    path: &[&str],
    args: Vec<Arg>,
) -> (String, bool) {
    let permissions = if who == ADMIN_ID {
        Permissions::ADMINISTRATOR
    } else {
        Permissions::SEND_MESSAGES
    };
    let invocation = harness.slash_as(who, permissions, "economy", path, args);
    match harness.command(invocation).unwrap() {
        Response::Message(Reply {
            content, ephemeral, ..
        }) => (content.unwrap_or_default(), ephemeral),
        other => panic!("unexpected answer {other:?}"),
    }
}

fn wallet(harness: &TestHarness<Economy>, who: Id<UserMarker>) -> i64 {
    harness
        .stored(&format!("guild:{GUILD_ID}:user:{who}"))
        .and_then(|a| a["wallet"].as_i64())
        .unwrap_or(0)
}

fn give(harness: &TestHarness<Economy>, who: Id<UserMarker>, wallet: i64) {
    harness.set_stored(
        &format!("guild:{GUILD_ID}:user:{who}"),
        json!({"v": 1, "wallet": wallet}),
    );
}

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
    let (answer, ephemeral) = run(&mut h, BOB, &["daily"], vec![]);
    assert!(
        answer.starts_with("You already claimed your daily reward. Come back in 23h 59m")
            || answer.starts_with("You already claimed your daily reward. Come back in 1d"),
        "{answer}"
    );
    assert!(ephemeral);
    assert_eq!(wallet(&h, BOB), 100, "no second reward");

    // A day later (the stored claim time moved back) it pays again.
    let key = format!("guild:{GUILD_ID}:user:{BOB}");
    let mut account = h.stored(&key).unwrap();
    account["last_daily"] = json!(now_secs() - 24 * 3600);
    h.set_stored(&key, account);
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
    assert!((5..=7).contains(&wallet(&h, BOB)), "{}", wallet(&h, BOB));
    let (answer, ephemeral) = run(&mut h, BOB, &["work"], vec![]);
    assert!(answer.contains("Work again in 29m") || answer.contains("Work again in 30m"));
    assert!(ephemeral);
    // Another guild member has their own cooldown.
    run(&mut h, CAROL, &["work"], vec![]);
    assert!(wallet(&h, CAROL) >= 5);
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
                let outcome = crate::bank::transfer_in(txn, &call, CAROL, 60, None)?;
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

#[test]
fn shop_stock_role_items_and_refunds() {
    let mut h = start();
    let vip = Id::new(500);
    let (answer, _) = run(
        &mut h,
        BOB,
        &["shop", "add"],
        vec![text("name", "Cake"), int("price", 10)],
    );
    assert_eq!(
        answer,
        "You need the **Manage Server** permission for this."
    );
    run(
        &mut h,
        ADMIN_ID,
        &["shop", "add"],
        vec![text("name", "Cake"), int("price", 10), int("stock", 1)],
    );
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["shop", "add"],
        vec![
            text("name", "VIP Pass"),
            int("price", 50),
            arg("role", ArgValue::Role(vip)),
        ],
    );
    assert_eq!(
        answer,
        "Added **VIP Pass** (`vip-pass`): 🪙 50 coins, unlimited stock, grants <@&500>."
    );
    let (list, _) = run(&mut h, BOB, &["shop", "list"], vec![]);
    assert!(
        list.contains("**Cake** (`cake`) — 🪙 10 coins · 1 left"),
        "{list}"
    );

    give(&h, BOB, 100);
    let (answer, _) = run(&mut h, BOB, &["shop", "buy"], vec![text("item", "cake")]);
    assert_eq!(
        answer,
        "You bought **Cake** for 🪙 10 coins. Wallet: 🪙 90 coins."
    );
    let (answer, ephemeral) = run(&mut h, CAROL, &["shop", "buy"], vec![text("item", "Cake")]);
    assert_eq!(
        (answer.as_str(), ephemeral),
        ("**Cake** is sold out.", true)
    );
    let (answer, _) = run(&mut h, BOB, &["inventory"], vec![]);
    assert_eq!(answer, "You own: **Cake** × 1.");
    let (answer, _) = run(
        &mut h,
        CAROL,
        &["shop", "buy"],
        vec![text("item", "vip pass")],
    );
    assert_eq!(
        answer,
        "**VIP Pass** costs 🪙 50 coins; you have 🪙 0 coins in your wallet."
    );
    let (answer, _) = run(&mut h, BOB, &["shop", "buy"], vec![text("item", "nothing")]);
    assert_eq!(answer, "No such item; `/economy shop list` shows them.");

    // The role is granted through Discord…
    let (answer, _) = run(
        &mut h,
        BOB,
        &["shop", "buy"],
        vec![text("item", "VIP pass")],
    );
    assert!(
        answer.contains("now have <@&500>. Wallet: 🪙 40 coins"),
        "{answer}"
    );
    assert!(h.discord_requests().contains(&DiscordRequest::AddRole {
        guild_id: GUILD_ID,
        user_id: BOB,
        role_id: vip,
        reason: Some("economy: bought VIP Pass".to_owned()),
    }));
    // …and refunded when Discord refuses.
    h.on_discord(|_| {
        Err("Discord refused (403 Forbidden): Missing Permissions (code 50013)".to_owned())
    });
    give(&h, CAROL, 60);
    let (answer, ephemeral) = run(
        &mut h,
        CAROL,
        &["shop", "buy"],
        vec![text("item", "vip-pass")],
    );
    assert!(ephemeral);
    assert!(
        answer
            .starts_with("Discord would not give you <@&500>, so your 🪙 50 coins were refunded."),
        "{answer}"
    );
    assert_eq!(wallet(&h, CAROL), 60);
}

#[test]
fn the_level_curve_is_the_standard_one() {
    assert_eq!(levels::xp_to_next(0), 100);
    assert_eq!(levels::xp_to_next(1), 155);
    assert_eq!(levels::xp_for_level(2), 255);
    assert_eq!(levels::level_for(0), 0);
    assert_eq!(levels::level_for(99), 0);
    assert_eq!(levels::level_for(100), 1);
    assert_eq!(levels::level_for(254), 1);
    assert_eq!(levels::level_for(255), 2);
    for level in 0..200 {
        assert_eq!(levels::level_for(levels::xp_for_level(level)), level);
    }
}

fn message(id: u64, author: Id<UserMarker>, at_secs: u64, bot: bool) -> Value {
    let timestamp = format!(
        "2026-01-01T00:{:02}:{:02}.000000+00:00",
        at_secs / 60,
        at_secs % 60
    );
    json!({
        "id": id.to_string(), "channel_id": "2", "guild_id": GUILD_ID.to_string(),
        "author": {"id": author.to_string(), "username": "bob", "discriminator": "0", "avatar": null, "bot": bot},
        "member": {"roles": [], "joined_at": "2025-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0},
        "content": "hello", "timestamp": timestamp, "edited_timestamp": null, "tts": false,
        "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
        "embeds": [], "pinned": false, "type": 0
    })
}

#[test]
fn messages_earn_xp_with_a_cooldown_and_level_up_with_roles() {
    let mut h = start();
    let regular = Id::new(600);
    run(
        &mut h,
        ADMIN_ID,
        &["config", "xp"],
        vec![int("amount", 50), int("cooldown_seconds", 60)],
    );
    run(
        &mut h,
        ADMIN_ID,
        &["config", "levelrole"],
        vec![int("level", 1), arg("role", ArgValue::Role(regular))],
    );
    h.event("MESSAGE_CREATE", &message(1, BOB, 0, false))
        .unwrap();
    h.event("MESSAGE_CREATE", &message(2, BOB, 30, false))
        .unwrap(); // cooldown
    h.event("MESSAGE_CREATE", &message(3, A_BOT, 40, true))
        .unwrap(); // bots earn nothing
    let key = format!("guild:{GUILD_ID}:user:{BOB}");
    assert_eq!(h.stored(&key).unwrap()["xp"], 50);
    assert!(h.discord_requests().is_empty());
    assert_eq!(h.stored(&format!("guild:{GUILD_ID}:user:{A_BOT}")), None);

    h.reload().unwrap();
    h.event("MESSAGE_CREATE", &message(4, BOB, 61, false))
        .unwrap();
    assert_eq!(h.stored(&key).unwrap()["level"], 1);
    let requests = h.discord_requests();
    assert_eq!(
        requests,
        [
            DiscordRequest::AddRole {
                guild_id: GUILD_ID,
                user_id: BOB,
                role_id: regular,
                reason: Some("economy: reached level 1".to_owned()),
            },
            DiscordRequest::SendMessage {
                channel_id: Id::new(2),
                message: Reply::text(format!(
                    "🎉 <@{BOB}> reached **level 1**! You now have <@&600>."
                )),
            },
        ]
    );
    let (rank, _) = run(&mut h, BOB, &["rank"], vec![]);
    assert_eq!(
        rank,
        "You are **level 1** with 100 XP (0/155 to level 2), rank #1 of 1."
    );
}

#[test]
fn the_leaderboard_pages_with_buttons() {
    let mut h = start();
    for n in 1..=23u64 {
        h.set_stored(
            &format!("guild:{GUILD_ID}:user:{}", 100 + n),
            json!({"wallet": n * 10, "name": format!("user_{n}")}),
        );
    }
    let answer = h
        .command(h.slash_as(
            BOB,
            Permissions::empty(),
            "economy",
            &["leaderboard"],
            vec![],
        ))
        .unwrap();
    let Response::Message(first) = answer else {
        panic!("{answer:?}")
    };
    let content = first.content.clone().unwrap();
    assert!(
        content.starts_with("**Leaderboard** — page 1/3\n**1.** user\\_23 — 🪙 230 coins"),
        "{content}"
    );
    let ids = custom_ids(&first);
    assert_eq!(ids, [("lb:0".to_owned(), true), ("lb:2".to_owned(), false)]);

    let answer = h.component(h.click(CAROL, Id::new(77), "lb:3")).unwrap();
    let Response::Update(last) = answer else {
        panic!("{answer:?}")
    };
    let content = last.content.clone().unwrap();
    assert!(
        content.starts_with("**Leaderboard** — page 3/3\n**21.** user\\_3"),
        "{content}"
    );
    assert_eq!(content.lines().count(), 4);
    assert_eq!(
        custom_ids(&last),
        [("lb:2".to_owned(), false), ("lb:4".to_owned(), true)]
    );

    let answer = h.component(h.click(CAROL, Id::new(77), "lb:oops")).unwrap();
    assert!(matches!(
        answer,
        Response::Message(Reply {
            ephemeral: true,
            ..
        })
    ));
}

fn custom_ids(reply: &Reply) -> Vec<(String, bool)> {
    let json = serde_json::to_value(&reply.components).unwrap();
    json[0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["custom_id"].as_str().unwrap().to_owned(),
                b["disabled"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

#[test]
fn config_changes_are_admin_only_and_validated() {
    let mut h = start();
    let (answer, _) = run(
        &mut h,
        BOB,
        &["config", "currency"],
        vec![text("name", "gems")],
    );
    assert_eq!(
        answer,
        "You need the **Manage Server** permission for this."
    );
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["config", "currency"],
        vec![text("name", "gems"), text("symbol", "💎")],
    );
    assert_eq!(answer, "The currency is now 💎 gems.");
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["config", "work"],
        vec![int("min", 10), int("max", 5)],
    );
    assert_eq!(answer, "`min` must not be above `max`.");
    let (answer, _) = run(
        &mut h,
        ADMIN_ID,
        &["config", "daily"],
        vec![int("amount", -1)],
    );
    assert_eq!(answer, "`amount` must be between 0 and 1000000000000.");
    run(
        &mut h,
        ADMIN_ID,
        &["config", "daily"],
        vec![int("amount", 250)],
    );
    h.reload().unwrap();
    let (answer, _) = run(&mut h, BOB, &["daily"], vec![]);
    assert_eq!(
        answer,
        "You claimed your daily 💎 250 gems. Wallet: 💎 250 gems."
    );
    let (show, ephemeral) = run(&mut h, BOB, &["config", "show"], vec![]);
    assert!(
        show.starts_with("Currency: 💎 gems\nDaily: 💎 250 gems every 1d") && ephemeral,
        "{show}"
    );
    let (answer, _) = run(&mut h, BOB, &["nonsense"], vec![]);
    assert!(answer.starts_with("Use `/economy balance`"));
}

#[test]
fn dms_are_refused_and_damaged_input_never_panics() {
    let mut h = start();
    let mut invocation = h.slash_as(BOB, Permissions::empty(), "economy", &["balance"], vec![]);
    invocation.invoker.guild_id = None;
    assert_eq!(
        h.command(invocation).unwrap(),
        Response::ephemeral("The economy lives in servers, not in DMs.")
    );
    // Wrong option types (an old client, a hand-made prefix call) get sentences, not panics.
    let (answer, _) = run(
        &mut h,
        BOB,
        &["pay"],
        vec![user(CAROL), arg("amount", ArgValue::Boolean(true))],
    );
    assert_eq!(answer, "Give an amount: `amount:100`.");
    let (answer, _) = run(&mut h, BOB, &["leaderboard"], vec![int("page", 0)]);
    assert_eq!(answer, "`page` must be between 1 and 10000.");
}
