//! Reaction roles end to end, through the real host against the simulator: a reaction panel in
//! unique mode and a button panel, the bot's hierarchy check naming the role it cannot hand out,
//! members reacting while the module is reloaded (no reaction lost), panels still working after
//! a restart (raw reaction events on a message posted before it, buttons routed by custom id),
//! and `/rr fix` putting back a reaction someone cleared. Ends by checking Discord would have
//! accepted every request.

use std::time::Duration;

use arsenal_host::plugins::Trigger;
use serde_json::json;
use twilight_model::{
    channel::message::EmojiReactionType,
    id::{
        marker::{ChannelMarker, MessageMarker, RoleMarker, UserMarker},
        Id,
    },
};

use crate::common::{
    bot::{Bot, WAIT},
    plugin,
};

fn has_role(bot: &Bot, user: Id<UserMarker>, role: Id<RoleMarker>) -> bool {
    bot.sim
        .with_world(|w| w.find_member(bot.ids.guild, user))
        .is_some_and(|m| m.roles.contains(&role))
}

/// Waits until `user`'s roles include `with` and exclude `without`.
async fn wait_roles(
    bot: &Bot,
    user: Id<UserMarker>,
    with: &[Id<RoleMarker>],
    without: &[Id<RoleMarker>],
) {
    let guild = bot.ids.guild;
    let done = bot
        .sim
        .wait_for(WAIT, |w| {
            let roles = w.find_member(guild, user)?.roles;
            (with.iter().all(|r| roles.contains(r)) && !without.iter().any(|r| roles.contains(r)))
                .then_some(())
        })
        .await;
    assert!(
        done.is_some(),
        "{user} should have {with:?} and not {without:?}; has {:?}; violations: {:?}",
        bot.sim
            .with_world(|w| w.find_member(guild, user))
            .map(|m| m.roles),
        bot.sim.violations()
    );
}

/// Who reacted with the Unicode `emoji` on `message`, as Discord counts it, and whether the bot did.
fn reaction(bot: &Bot, message: Id<MessageMarker>, emoji: &str) -> Option<(u64, bool)> {
    let message = bot.sim.with_world(|w| w.find_message(message))?;
    message.reactions.iter().find_map(|r| match &r.emoji {
        EmojiReactionType::Unicode { name } if name == emoji => Some((r.count, r.me)),
        _ => None,
    })
}

/// Runs `/rr create` as alice in #bot-commands and returns the panel's message id.
async fn create(
    bot: &Bot,
    channel: Id<ChannelMarker>,
    roles: String,
    style: &str,
    mode: &str,
) -> Id<MessageMarker> {
    let (text, ephemeral) = bot
        .slash(
            bot.ids.alice,
            "rr",
            json!([{"name": "create", "type": 1, "options": [
                {"name": "channel", "value": channel},
                {"name": "roles", "value": roles},
                {"name": "style", "value": style},
                {"name": "mode", "value": mode},
            ]}]),
        )
        .await;
    assert!(text.starts_with("Panel posted in") && ephemeral, "{text}");
    let id = text
        .split('`')
        .nth(1)
        .and_then(|id| id.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no message id in {text}"));
    Id::new(id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panels_give_roles_through_reloads_and_restarts() {
    let mut bot = Bot::start_with(&[("reaction_roles", plugin("reaction_roles"))]).await;
    let ids = bot.ids;
    let (gamer, artist, news) = bot.sim.modify_world(|w| {
        (
            w.add_role(ids.guild, "Gamer", 0, 1),
            w.add_role(ids.guild, "Artist", 0, 1),
            w.add_role(ids.guild, "News", 0, 2),
        )
    });

    // The bot's role (position 3) is below Admin (4): the panel is refused, naming both.
    let (text, ephemeral) = bot
        .slash(
            ids.alice,
            "rr",
            json!([{"name": "create", "type": 1, "options": [
                {"name": "channel", "value": ids.general},
                {"name": "roles", "value": format!("🎮 <@&{gamer}> 👑 <@&{}>", ids.admin_role)},
            ]}]),
        )
        .await;
    assert!(
        text.contains("I cannot hand out Admin") && text.contains("(Arsenal)") && ephemeral,
        "{text}"
    );
    // A member without Manage Roles is refused by the host.
    let (text, _) = bot
        .slash(ids.bob, "rr", json!([{"name": "list", "type": 1}]))
        .await;
    assert!(text.contains("You need the"), "{text}");

    let panel = create(
        &bot,
        ids.general,
        format!("🎮 <@&{gamer}> 🎨 <@&{artist}>"),
        "reactions",
        "unique",
    )
    .await;
    assert_eq!(reaction(&bot, panel, "🎮"), Some((1, true)));
    assert_eq!(reaction(&bot, panel, "🎨"), Some((1, true)));

    bot.sim.add_reaction(ids.bob, panel, "🎮").await;
    wait_roles(&bot, ids.bob, &[gamer], &[]).await;

    // Reactions keep coming while the module is reloaded: none is lost.
    let manager = bot.app().manager.clone();
    let reload =
        tokio::spawn(async move { manager.reload("reaction_roles", Trigger::Command).await });
    bot.sim.add_reaction(ids.carol, panel, "🎨").await;
    bot.sim.add_reaction(ids.bob, panel, "🎨").await;
    reload.await.expect("reload task").expect("reload");
    wait_roles(&bot, ids.carol, &[artist], &[gamer]).await;
    // Unique: bob's Gamer role and his 🎮 reaction went when he picked 🎨.
    wait_roles(&bot, ids.bob, &[artist], &[gamer]).await;
    let gone = bot
        .sim
        .wait_for(WAIT, |w| {
            let m = w.find_message(panel)?;
            m.reactions
                .iter()
                .any(|r| {
                    matches!(&r.emoji, EmojiReactionType::Unicode { name } if name == "🎮")
                        && r.count == 1
                })
                .then_some(())
        })
        .await;
    assert!(
        gone.is_some(),
        "bob's 🎮 reaction was not removed: {:?}",
        reaction(&bot, panel, "🎮")
    );

    let buttons = create(
        &bot,
        ids.general,
        format!("📰 <@&{news}>"),
        "buttons",
        "normal",
    )
    .await;
    let pressed = bot
        .sim
        .click_button(ids.carol, buttons, &format!("reaction_roles:r:{news}"))
        .await;
    let outcome = pressed
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .expect("the press is answered");
    assert_eq!(
        outcome.content().as_deref(),
        Some(format!("You now have <@&{news}>.").as_str())
    );
    assert!(outcome.is_ephemeral());
    assert!(has_role(&bot, ids.carol, news));

    // A restart: the panels are in the store; the raw events and the custom ids still route.
    bot.restart().await;
    bot.sim.remove_reaction(ids.bob, panel, "🎨").await;
    wait_roles(&bot, ids.bob, &[], &[artist]).await;
    let pressed = bot
        .sim
        .click_button(ids.carol, buttons, &format!("reaction_roles:r:{news}"))
        .await;
    let outcome = pressed
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .expect("the press is answered after the restart");
    assert_eq!(
        outcome.content().as_deref(),
        Some(format!("You no longer have <@&{news}>.").as_str())
    );
    wait_roles(&bot, ids.carol, &[artist], &[news]).await;

    // Someone clears the bot's 🎮 reaction; /rr fix puts it back.
    bot.sim.remove_reaction(ids.bot, panel, "🎮").await;
    assert_eq!(reaction(&bot, panel, "🎮"), None);
    let (text, _) = bot
        .slash(
            ids.alice,
            "rr",
            json!([{"name": "fix", "type": 1, "options": [{"name": "panel", "value": panel.to_string()}]}]),
        )
        .await;
    assert!(text.contains("one missing reaction added back"), "{text}");
    assert_eq!(reaction(&bot, panel, "🎮"), Some((1, true)));
    // The bot's own reaction coming back as an event gave nobody a role.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!has_role(&bot, ids.bot, gamer));

    bot.stop().await;
}
