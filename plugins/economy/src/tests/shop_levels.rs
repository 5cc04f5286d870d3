//! The shop, XP and levels, the leaderboard, settings and misuse.

use super::*;
use crate::levels;

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
    h.answer_next(
        "add_role",
        Err(DiscordError::new(403, Some(50013), "Missing Permissions")),
    );
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

pub(super) fn message(id: u64, author: Id<UserMarker>, at_secs: u64, bot: bool) -> Value {
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
