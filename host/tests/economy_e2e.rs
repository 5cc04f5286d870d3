//! The economy module end to end: the real host, twilight clients and the simulator. Daily,
//! payments (also concurrent ones, and to a stranger Discord does not know), the leaderboard's buttons, buying a role, message XP with a
//! level role, and a hot reload in the middle that loses nothing. Every test ends by checking
//! that Discord would have accepted every request.

mod common;

use arsenal_host::plugins::Trigger;
use common::{
    bot::{Bot, WAIT},
    plugin,
};
use serde_json::{json, Value};
use twilight_model::id::{marker::UserMarker, Id};

async fn start() -> Bot {
    Bot::start_with(&[("economy", plugin("economy"))]).await
}

/// `/economy <sub> [options]` as `user`; returns (text, ephemeral).
async fn economy(bot: &Bot, user: Id<UserMarker>, sub: &str, options: Value) -> (String, bool) {
    bot.slash(
        user,
        "economy",
        json!([{"name": sub, "type": 1, "options": options}]),
    )
    .await
}

/// `/economy <group> <sub> [options]` as `user`.
async fn economy_group(
    bot: &Bot,
    user: Id<UserMarker>,
    group: &str,
    sub: &str,
    options: Value,
) -> (String, bool) {
    bot.slash(
        user,
        "economy",
        json!([{"name": group, "type": 2, "options": [{"name": sub, "type": 1, "options": options}]}]),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daily_pay_and_balances_survive_a_reload() {
    let bot = start().await;
    let ids = bot.ids;
    let (text, ephemeral) = economy(&bot, ids.bob, "daily", json!([])).await;
    assert_eq!(
        text,
        "You claimed your daily 🪙 100 coins. Wallet: 🪙 100 coins."
    );
    assert!(!ephemeral);
    let (text, ephemeral) = economy(&bot, ids.bob, "daily", json!([])).await;
    assert!(
        text.starts_with("You already claimed your daily reward") && ephemeral,
        "{text}"
    );

    let (text, _) = economy(
        &bot,
        ids.bob,
        "pay",
        json!([{"name": "member", "value": ids.carol.to_string()}, {"name": "amount", "value": 30}]),
    )
    .await;
    assert_eq!(
        text,
        format!(
            "You paid <@{}> 🪙 30 coins. Your wallet: 🪙 70 coins.",
            ids.carol
        )
    );
    let (text, ephemeral) = economy(
        &bot,
        ids.bob,
        "pay",
        json!([{"name": "member", "value": ids.bot.to_string()}, {"name": "amount", "value": 5}]),
    )
    .await;
    assert_eq!(
        (text.as_str(), ephemeral),
        ("Bots have no use for money.", true)
    );
    // Discord answers 404 Unknown Member (code 10007): the host hands the module that code, not
    // text, and the module turns it into an answer.
    let stranger = 777_000_111_u64;
    let (text, ephemeral) = economy(
        &bot,
        ids.bob,
        "pay",
        json!([{"name": "member", "value": stranger.to_string()}, {"name": "amount", "value": 5}]),
    )
    .await;
    assert_eq!(
        (text.as_str(), ephemeral),
        (
            format!("<@{stranger}> is not a member of this server.").as_str(),
            true
        )
    );

    bot.app()
        .manager
        .reload("economy", Trigger::Command)
        .await
        .expect("reloads");

    let (text, _) = economy(&bot, ids.bob, "balance", json!([])).await;
    assert_eq!(
        text,
        "You have 🪙 70 coins in the wallet and 🪙 0 coins in the bank (total 🪙 70 coins)."
    );
    let text = bot
        .prefix(ids.carol, &format!("!economy balance <@{}>", ids.bob))
        .await;
    assert!(text.contains("has 🪙 70 coins in the wallet"), "{text}");
    let text = bot.prefix(ids.carol, "!economy balance").await;
    assert!(text.starts_with("You have 🪙 30 coins"), "{text}");
    let (text, _) = economy(&bot, ids.bob, "daily", json!([])).await;
    assert!(
        text.starts_with("You already claimed"),
        "the cooldown survived the reload: {text}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_payments_never_create_or_lose_coins() {
    let bot = start().await;
    let ids = bot.ids;
    for user in [ids.bob, ids.carol] {
        let (text, _) = economy_group(&bot, ids.alice, "admin", "set", json!([{"name": "member", "value": user.to_string()}, {"name": "amount", "value": 100}])).await;
        assert!(text.ends_with("wallet is now 🪙 100 coins."), "{text}");
    }
    let mut handles = Vec::new();
    for i in 0..12 {
        let (from, to) = if i % 2 == 0 {
            (ids.bob, ids.carol)
        } else {
            (ids.carol, ids.bob)
        };
        let options = json!([{"name": "pay", "type": 1, "options": [
            {"name": "member", "value": to.to_string()}, {"name": "amount", "value": 40}
        ]}]);
        handles.push(
            bot.sim
                .run_slash_command(from, ids.bot_commands, "economy", options)
                .await,
        );
    }
    for handle in handles {
        handle
            .wait_until(WAIT, |o| o.content().is_some())
            .await
            .expect("every payment is answered");
    }
    let store = &bot.app().store;
    let wallet = |user: Id<UserMarker>| {
        store
            .get(
                "plugin.economy",
                &format!("guild:{}:user:{user}", ids.guild),
            )
            .expect("store reads")
            .map_or(0, |v| v.value["wallet"].as_i64().unwrap_or(0))
    };
    let (bob, carol) = (wallet(ids.bob), wallet(ids.carol));
    assert_eq!(bob + carol, 200, "bob {bob} + carol {carol}");
    assert!(bob >= 0 && carol >= 0);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leaderboard_pages_with_buttons() {
    let bot = start().await;
    let ids = bot.ids;
    // 12 richer-than-zero members: the second page holds two.
    for n in 0..12u64 {
        let user = bot.sim.member_join(ids.guild, &format!("saver{n}")).await;
        economy_group(&bot, ids.alice, "admin", "set", json!([{"name": "member", "value": user.to_string()}, {"name": "amount", "value": 1000 - n}])).await;
    }
    let handle = bot
        .sim
        .run_slash_command(
            ids.bob,
            ids.bot_commands,
            "economy",
            json!([{"name": "leaderboard", "type": 1, "options": []}]),
        )
        .await;
    let first = handle
        .wait_until(WAIT, |o| o.message.is_some())
        .await
        .expect("answered");
    let text = first.content().unwrap_or_default();
    assert!(text.starts_with("**Leaderboard** — page 1/2"), "{text}");
    let message = handle.message_id().expect("a response message");
    let buttons: Vec<String> = bot
        .sim
        .with_world(|w| w.find_message(message))
        .map(|m| serde_json::to_value(&m.components).unwrap_or_default())
        .and_then(|c| c[0]["components"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|b| b["custom_id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        buttons,
        ["economy:lb:0", "economy:lb:2"],
        "namespaced by the host"
    );

    let click = bot
        .sim
        .click_button(ids.carol, message, "economy:lb:2")
        .await;
    let clicked = click.response(WAIT).await.expect("the click is answered");
    assert_eq!(clicked.callback_type, 7, "an update of the same message");
    let edited = bot
        .sim
        .wait_for(WAIT, |w| {
            w.find_message(message)
                .filter(|m| m.content.starts_with("**Leaderboard** — page 2/2"))
        })
        .await
        .expect("the message shows page 2");
    assert_eq!(edited.content.lines().count(), 3, "{}", edited.content);
    assert!(
        edited.content.contains("**11.** saver10"),
        "{}",
        edited.content
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buying_a_role_grants_it_and_a_refused_role_is_refunded() {
    let bot = start().await;
    let ids = bot.ids;
    let vip = bot.sim.modify_world(|w| w.add_role(ids.guild, "VIP", 0, 1));
    let (text, _) = economy_group(&bot, ids.alice, "shop", "add", json!([
        {"name": "name", "value": "VIP"}, {"name": "price", "value": 60}, {"name": "role", "value": vip.to_string()}
    ])).await;
    assert!(text.starts_with("Added **VIP** (`vip`)"), "{text}");
    let (text, _) = economy_group(&bot, ids.alice, "shop", "add", json!([
        {"name": "name", "value": "Crown"}, {"name": "price", "value": 10}, {"name": "role", "value": ids.admin_role.to_string()}
    ])).await;
    assert!(text.starts_with("Added **Crown**"), "{text}");
    let (text, ephemeral) = economy_group(
        &bot,
        ids.bob,
        "shop",
        "add",
        json!([
            {"name": "name", "value": "Free money"}, {"name": "price", "value": 1}
        ]),
    )
    .await;
    assert!(text.contains("Manage Server") && ephemeral, "{text}");

    economy(&bot, ids.bob, "daily", json!([])).await;
    let (text, _) = economy_group(
        &bot,
        ids.bob,
        "shop",
        "buy",
        json!([{"name": "item", "value": "vip"}]),
    )
    .await;
    assert!(
        text.contains(&format!("now have <@&{vip}>. Wallet: 🪙 40 coins")),
        "{text}"
    );
    bot.sim
        .wait_for(WAIT, |w| {
            w.find_member(ids.guild, ids.bob)
                .filter(|m| m.roles.contains(&vip))
        })
        .await
        .expect("bob has the VIP role in the world");

    bot.app()
        .manager
        .reload("economy", Trigger::Command)
        .await
        .expect("reloads");

    // The Admin role is above the bot's: Discord refuses, the coins come back.
    let (text, ephemeral) = economy_group(
        &bot,
        ids.bob,
        "shop",
        "buy",
        json!([{"name": "item", "value": "Crown"}]),
    )
    .await;
    assert!(ephemeral);
    assert!(
        text.starts_with(&format!(
            "Discord would not give you <@&{}>, so your 🪙 10 coins were refunded.",
            ids.admin_role
        )),
        "{text}"
    );
    let (text, _) = economy(&bot, ids.bob, "balance", json!([])).await;
    assert!(
        text.starts_with("You have 🪙 40 coins in the wallet"),
        "{text}"
    );
    let (text, _) = economy_group(&bot, ids.bob, "shop", "list", json!([])).await;
    assert!(
        text.contains("**VIP** (`vip`)") && text.contains("**Crown**"),
        "{text}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_level_members_up_with_a_level_role() {
    let bot = start().await;
    let ids = bot.ids;
    let regular = bot
        .sim
        .modify_world(|w| w.add_role(ids.guild, "Regular", 0, 1));
    economy_group(
        &bot,
        ids.alice,
        "config",
        "xp",
        json!([{"name": "amount", "value": 100}]),
    )
    .await;
    let (text, _) = economy_group(
        &bot,
        ids.alice,
        "config",
        "levelrole",
        json!([
            {"name": "level", "value": 1}, {"name": "role", "value": regular.to_string()}
        ]),
    )
    .await;
    assert!(text.starts_with("Reaching level 1 now gives"), "{text}");

    bot.sim
        .send_message(ids.carol, ids.general, "hello everyone")
        .await;
    let announcement = format!(
        "🎉 <@{}> reached **level 1**! You now have <@&{regular}>.",
        ids.carol
    );
    bot.sim
        .wait_for(WAIT, |w| {
            w.messages(ids.general)
                .into_iter()
                .find(|m| m.content == announcement)
        })
        .await
        .expect("the level-up is announced in the channel");
    let member = bot.sim.with_world(|w| w.find_member(ids.guild, ids.carol));
    assert!(member.is_some_and(|m| m.roles.contains(&regular)));

    // A second message within the cooldown earns nothing.
    bot.sim.send_message(ids.carol, ids.general, "again").await;
    let (text, _) = economy(&bot, ids.carol, "rank", json!([])).await;
    assert!(
        text.starts_with("You are **level 1** with 100 XP"),
        "{text}"
    );
    bot.stop().await;
}

/// Languages end to end: a member whose Discord speaks French (the interaction's `locale`) is
/// answered in French by the module and by the host's built-ins; everyone else in English; and
/// the commands Discord keeps carry their French names and descriptions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_french_member_is_answered_in_french_and_discord_has_the_french_commands() {
    let bot = start().await;
    let ids = bot.ids;
    bot.sim.set_user_locale(ids.bob, "fr");
    let (text, _) = economy(&bot, ids.bob, "daily", json!([])).await;
    assert_eq!(
        text,
        "Vous avez récupéré vos 🪙 100 coins du jour. Portefeuille : 🪙 100 coins."
    );
    let (text, _) = economy(&bot, ids.carol, "daily", json!([])).await;
    assert_eq!(
        text,
        "You claimed your daily 🪙 100 coins. Wallet: 🪙 100 coins."
    );
    // A built-in refuses in French, naming the permission as Discord's French client does.
    let (text, ephemeral) = bot
        .slash(ids.bob, "prefix", json!([{"name": "prefix", "value": "?"}]))
        .await;
    assert_eq!(
        (text.as_str(), ephemeral),
        (
            "Il vous faut la permission Administrateur pour utiliser `prefix`.",
            true
        )
    );
    let (text, _) = bot
        .slash(
            ids.carol,
            "prefix",
            json!([{"name": "prefix", "value": "?"}]),
        )
        .await;
    assert_eq!(
        text,
        "You need the Administrator permission to use `prefix`."
    );
    // The server's language counts when the member's is one the bot does not speak.
    bot.sim.set_user_locale(ids.carol, "de");
    bot.sim.set_guild_locale(ids.guild, "fr");
    let (text, _) = economy(&bot, ids.carol, "daily", json!([])).await;
    assert!(
        text.starts_with("Vous avez déjà récupéré votre récompense quotidienne"),
        "{text}"
    );

    let commands = bot.sim.with_world(|w| w.guild_commands(ids.guild));
    let french = |name: &str| {
        let command = commands
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("/{name} registered: {commands:?}"));
        let names = command.name_localizations.clone().unwrap_or_default();
        let descriptions = command
            .description_localizations
            .clone()
            .unwrap_or_default();
        (names.get("fr").cloned(), descriptions.get("fr").cloned())
    };
    assert_eq!(
        french("economy"),
        (
            Some("economie".to_owned()),
            Some("Pièces, récompenses, boutique et niveaux".to_owned())
        )
    );
    assert_eq!(
        french("reload").1.as_deref(),
        Some("Recharger à chaud les modules Arsenal (administrateurs)")
    );
    bot.stop().await;
}
