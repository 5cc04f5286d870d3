//! Giveaways end to end, through the real host against the simulator: a giveaway started by an
//! administrator, members entering with its button while the module is reloaded (no entry
//! lost), the count on the message refreshed, the bot stopped across the giveaway's end and the
//! draw made right after it starts again, announced with the seed and the entrant list; a
//! second end refused, a reroll leaving the first winners out; a giveaway started from the form
//! with a level requirement asked of the economy module through the host. Ends by checking Discord would have accepted every request.

use std::time::{Duration, Instant};

use arsenal_host::plugins::Trigger;
use serde_json::{json, Value};
use twilight_model::id::{
    marker::{MessageMarker, UserMarker},
    Id,
};

use crate::common::{
    bot::{Bot, WAIT},
    plugin,
};

/// Runs `/giveaway <sub>` as alice and returns the answer.
async fn giveaway(bot: &Bot, sub: &str, options: Value) -> (String, bool) {
    bot.slash(
        bot.ids.alice,
        "giveaway",
        json!([{"name": sub, "type": 1, "options": options}]),
    )
    .await
}

/// The message id in backticks in an answer.
fn id_in(text: &str) -> Id<MessageMarker> {
    text.split('`')
        .nth(1)
        .and_then(|id| id.parse::<u64>().ok())
        .map(Id::new)
        .unwrap_or_else(|| panic!("no message id in {text}"))
}

/// Presses the entry button of `message` as `user` and returns the ephemeral answer.
async fn enter(bot: &Bot, user: Id<UserMarker>, message: Id<MessageMarker>) -> String {
    let pressed = bot.sim.click_button(user, message, "giveaways:e").await;
    let outcome = pressed
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .expect("the press is answered");
    assert!(outcome.is_ephemeral());
    outcome.content().unwrap_or_default()
}

/// The label of the giveaway message's button, as Discord shows it now.
fn button_label(bot: &Bot, message: Id<MessageMarker>) -> Option<String> {
    let message = bot.sim.with_world(|w| w.find_message(message))?;
    let json = serde_json::to_value(&message).ok()?;
    json["components"][0]["components"][0]["label"]
        .as_str()
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_giveaway_survives_a_reload_and_a_restart_across_its_end_and_draws_once() {
    let mut bot = Bot::start_with(&[
        ("giveaways", plugin("giveaways")),
        ("economy", plugin("economy")),
    ])
    .await;
    let ids = bot.ids;

    let started = Instant::now();
    let (text, ephemeral) = giveaway(
        &bot,
        "start",
        json!([
            {"name": "prize", "value": "Nitro"},
            {"name": "duration", "value": "12s"},
            {"name": "winners", "value": 2},
            {"name": "channel", "value": ids.general},
        ]),
    )
    .await;
    assert!(
        text.starts_with("Giveaway posted in") && ephemeral,
        "{text}"
    );
    let message = id_in(&text);
    let commitment = text.rsplit('`').nth(1).expect("the commitment").to_owned();
    assert_eq!(commitment.len(), 64, "{text}");
    assert_eq!(button_label(&bot, message).as_deref(), Some("Enter (0)"));

    assert_eq!(
        enter(&bot, ids.bob, message).await,
        "You are in! You have 1 entry."
    );
    // Presses keep coming while the module is reloaded: none is lost.
    let manager = bot.app().manager.clone();
    let reload = tokio::spawn(async move { manager.reload("giveaways", Trigger::Command).await });
    let carol = enter(&bot, ids.carol, message).await;
    reload.await.expect("reload task").expect("reload");
    assert_eq!(carol, "You are in! You have 1 entry.");
    assert_eq!(
        enter(&bot, ids.owner, message).await,
        "You are in! You have 1 entry."
    );
    assert_eq!(
        enter(&bot, ids.bob, message).await,
        "You already entered (1 entry). Press Leave to withdraw."
    );
    // One refresh a few seconds after the first press shows the count.
    let refreshed = bot
        .sim
        .wait_for(WAIT, |w| {
            let m = serde_json::to_value(w.find_message(message)?).ok()?;
            (m["components"][0]["components"][0]["label"] == "Enter (3)").then_some(())
        })
        .await;
    assert!(refreshed.is_some(), "{:?}", button_label(&bot, message));

    // The bot is down when the giveaway ends; it draws right after it starts again.
    if let Some(app) = bot.app.take() {
        app.shutdown().await.expect("clean shutdown");
    }
    let end = started + Duration::from_secs(13);
    tokio::time::sleep(end.saturating_duration_since(Instant::now())).await;
    bot.app = Some(bot.boot().await);
    let bot_id = ids.bot;
    let announcement = bot
        .sim
        .wait_for(WAIT, |w| {
            w.messages(ids.general)
                .into_iter()
                .find(|m| m.author.id == bot_id && m.content.starts_with("🎉 Congratulations"))
        })
        .await
        .expect("the draw is announced after the restart");
    let file = &announcement.attachments[0];
    assert_eq!(file.filename, format!("giveaway-{message}-entrants.txt"));
    let list = bot
        .sim
        .with_world(|w| w.attachment_bytes(announcement.id, &file.filename))
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .expect("the entrant list");
    assert!(
        list.contains(&format!("sha256(seed): {commitment}")),
        "{list}"
    );
    let mut entrants = [ids.bob, ids.carol, ids.owner].map(|u| u.get());
    entrants.sort_unstable();
    let lines: Vec<&str> = list.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines, entrants.map(|u| format!("{u} 1")));
    let winners: Vec<u64> = announcement.mentions.iter().map(|m| m.id.get()).collect();
    assert_eq!(winners.len(), 2, "{}", announcement.content);
    assert!(winners.iter().all(|w| entrants.contains(w)) && winners[0] != winners[1]);
    // The seed is published and the message shows the end.
    let seed = announcement.content.split('`').nth(1).expect("the seed");
    assert!(list.contains(&format!("# seed: {seed}")), "{list}");
    let ended = serde_json::to_value(bot.sim.with_world(|w| w.find_message(message))).unwrap();
    assert_eq!(ended["components"][0]["components"][0]["disabled"], true);

    // Ending again draws nothing new; a reroll picks the one entrant left.
    let target = json!([{"name": "giveaway", "value": message.to_string()}]);
    let (text, _) = giveaway(&bot, "end", target.clone()).await;
    assert!(text.contains("has already ended"), "{text}");
    let (text, _) = giveaway(&bot, "reroll", target).await;
    let last = entrants
        .iter()
        .find(|u| !winners.contains(u))
        .expect("one entrant left");
    assert_eq!(text, format!("New winners: <@{last}>."));
    let announcements = bot.sim.with_world(|w| {
        w.messages(ids.general)
            .into_iter()
            .filter(|m| m.author.id == bot_id && !m.attachments.is_empty())
            .count()
    });
    assert_eq!(announcements, 2, "the first draw and the reroll, once each");

    // The form: no prize given, the other options wait for it; a level requirement, checked by
    // asking economy through the host: bob is level 0.
    let opened = bot
        .sim
        .run_slash_command(
            ids.alice,
            ids.bot_commands,
            "giveaway",
            json!([{"name": "start", "type": 1, "options": [{"name": "min_level", "value": 1}]}]),
        )
        .await;
    opened
        .wait_until(WAIT, |o| o.callback_type == 9)
        .await
        .expect("the form opens");
    let submitted = opened
        .submit_modal(&[("prize", "Mug"), ("duration", "1h"), ("winners", "1")])
        .await;
    let answer = submitted
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .expect("the form is answered");
    let text = answer.content().unwrap_or_default();
    assert!(
        text.starts_with("Giveaway posted in") && answer.is_ephemeral(),
        "{text}"
    );
    let mug = id_in(&text);
    assert_eq!(
        enter(&bot, ids.bob, mug).await,
        "You need economy level 1 to enter; you are level 0."
    );

    // The prefix form of the same command, and the list.
    let reply = bot
        .prefix(ids.alice, "!giveaway start \"Steam key\" 2d winners=2")
        .await;
    assert!(reply.starts_with("Giveaway posted in"), "{reply}");
    let reply = bot.prefix(ids.alice, "!giveaway list").await;
    assert!(
        reply.starts_with("**3 giveaways**")
            && reply.contains("Steam key")
            && reply.contains("Mug"),
        "{reply}"
    );

    bot.stop().await;
}
