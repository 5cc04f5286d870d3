//! Suggestions end to end, through the real host against the simulator: the settings, a member's
//! suggestion posted with its vote buttons and a discussion thread started on it, two members
//! voting at the same moment (both count), votes cast while the module is reloaded (none lost),
//! a decision on a suggestion whose author refuses direct messages (the staff member is told,
//! the message, the log copy and the record are still right), and after a restart the numbering
//! and the buttons still working, `!suggest` with the prefix, and an author with open DMs told
//! of the decision. Ends by checking Discord would have accepted every request.

use arsenal_host::plugins::Trigger;
use serde_json::json;
use twilight_model::{
    channel::{
        message::{component::Component, Message},
        ChannelType,
    },
    id::{
        marker::{ChannelMarker, MessageMarker, UserMarker},
        Id,
    },
};

use crate::common::{
    bot::{Bot, WAIT},
    plugin,
};

/// The bot's message in `channel` whose embed is titled `title`.
async fn find_embed(bot: &Bot, channel: Id<ChannelMarker>, title: &str) -> Message {
    let me = bot.ids.bot;
    bot.sim
        .wait_for(WAIT, |w| {
            w.messages(channel).into_iter().find(|m| {
                m.author.id == me
                    && m.embeds.first().and_then(|e| e.title.as_deref()) == Some(title)
            })
        })
        .await
        .unwrap_or_else(|| panic!("no message {title:?} in {channel}"))
}

/// The value of the embed field `name` on message `id`, as Discord shows it now.
fn field(bot: &Bot, id: Id<MessageMarker>, name: &str) -> Option<String> {
    let message = bot.sim.with_world(|w| w.find_message(id))?;
    message
        .embeds
        .first()?
        .fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.value.clone())
}

/// Waits until field `name` of message `id` reads `value`.
async fn wait_field(bot: &Bot, id: Id<MessageMarker>, name: &str, value: &str) {
    let seen = bot
        .sim
        .wait_for(WAIT, |w| {
            let message = w.find_message(id)?;
            message
                .embeds
                .first()?
                .fields
                .iter()
                .any(|f| f.name == name && f.value == value)
                .then_some(())
        })
        .await;
    assert!(
        seen.is_some(),
        "{name} should read {value:?}, reads {:?}; violations: {:?}",
        field(bot, id, name),
        bot.sim.violations()
    );
}

/// Whether every button on message `id` is disabled.
fn buttons_disabled(bot: &Bot, id: Id<MessageMarker>) -> bool {
    let Some(message) = bot.sim.with_world(|w| w.find_message(id)) else {
        return false;
    };
    message.components.iter().all(|row| match row {
        Component::ActionRow(row) => row.components.iter().all(|c| match c {
            Component::Button(button) => button.disabled,
            _ => true,
        }),
        _ => true,
    })
}

/// `user` presses a vote button of suggestion `number` and gets the ephemeral answer.
async fn vote(
    bot: &Bot,
    user: Id<UserMarker>,
    message: Id<MessageMarker>,
    number: u64,
    up: bool,
) -> String {
    let pressed = bot
        .sim
        .click_button(
            user,
            message,
            &format!("suggestions:v:{number}:{}", u8::from(up)),
        )
        .await;
    let outcome = pressed
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .expect("the vote is answered");
    assert!(outcome.is_ephemeral());
    outcome.content().unwrap_or_default()
}

async fn suggest(bot: &Bot, user: Id<UserMarker>, text: &str) -> String {
    let (answer, ephemeral) = bot
        .slash(
            user,
            "suggest",
            json!([{"name": "suggestion", "value": text}]),
        )
        .await;
    assert!(ephemeral, "{answer}");
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_vote_decide_and_survive_reloads_and_restarts() {
    let mut bot = Bot::start_with(&[("suggestions", plugin("suggestions"))]).await;
    let ids = bot.ids;

    // Not set up yet: the member is told who can fix it.
    let answer = suggest(&bot, ids.bob, "A channel for music").await;
    assert!(answer.contains("not set up"), "{answer}");
    // bob may not configure.
    let (answer, _) = bot
        .slash(
            ids.bob,
            "suggestion",
            json!([{"name": "config", "type": 1, "options": [
            {"name": "channel", "value": ids.general}]}]),
        )
        .await;
    assert!(answer.contains("Manage Server"), "{answer}");
    let (answer, ephemeral) = bot
        .slash(
            ids.alice,
            "suggestion",
            json!([{"name": "config", "type": 1, "options": [
                {"name": "channel", "value": ids.general},
                {"name": "log_channel", "value": ids.logs},
                {"name": "cooldown", "value": "off"},
            ]}]),
        )
        .await;
    assert!(
        answer.starts_with("Settings saved.") && ephemeral,
        "{answer}"
    );

    let answer = suggest(&bot, ids.bob, "A channel for music").await;
    assert!(
        answer.starts_with("Your suggestion #1 is posted"),
        "{answer}"
    );
    let first = find_embed(&bot, ids.general, "Suggestion #1").await;
    assert_eq!(
        first.embeds[0].description.as_deref(),
        Some("A channel for music")
    );
    // The discussion thread hangs from the suggestion (a thread started on a message has its id).
    let thread = bot
        .sim
        .with_world(|w| w.find_channel(first.id.cast()))
        .expect("a thread on the suggestion");
    assert_eq!(thread.kind, ChannelType::PublicThread);
    assert_eq!(thread.parent_id, Some(ids.general));

    // carol and the owner vote at the same moment: both count.
    let (a, b) = tokio::join!(
        vote(&bot, ids.carol, first.id, 1, true),
        vote(&bot, ids.owner, first.id, 1, true)
    );
    assert!(
        a.starts_with("You voted 👍") && b.starts_with("You voted 👍"),
        "{a} / {b}"
    );
    wait_field(&bot, first.id, "Votes", "👍 2 · 👎 0").await;

    // Votes keep coming while the module is reloaded: none is lost, and carol changes hers.
    let manager = bot.app().manager.clone();
    let reload = tokio::spawn(async move { manager.reload("suggestions", Trigger::Command).await });
    let (a, b) = tokio::join!(
        vote(&bot, ids.alice, first.id, 1, false),
        vote(&bot, ids.carol, first.id, 1, false)
    );
    reload.await.expect("reload task").expect("reload");
    assert!(a.starts_with("You voted 👎"), "{a}");
    assert!(b.starts_with("You changed your vote"), "{b}");
    wait_field(&bot, first.id, "Votes", "👍 1 · 👎 2").await;

    // bob refuses direct messages: approving still works, and alice is told he was not DMed.
    bot.sim.modify_world(|w| w.close_dms(ids.bob));
    let (answer, ephemeral) = bot
        .slash(
            ids.alice,
            "suggestion",
            json!([{"name": "approve", "type": 1, "options": [
            {"name": "id", "value": 1}, {"name": "reason", "value": "Soon"}]}]),
        )
        .await;
    assert!(ephemeral, "{answer}");
    assert!(
        answer.starts_with("Suggestion #1 is now **Approved**")
            && answer.contains("I could not DM the author: they do not accept direct messages"),
        "{answer}"
    );
    wait_field(
        &bot,
        first.id,
        "Status",
        &format!("Approved by <@{}>", ids.alice),
    )
    .await;
    assert_eq!(field(&bot, first.id, "Reason").as_deref(), Some("Soon"));
    assert!(buttons_disabled(&bot, first.id));
    let logged = find_embed(&bot, ids.logs, "Suggestion #1").await;
    assert!(
        logged
            .content
            .starts_with("Suggestion #1 is now **Approved**"),
        "{}",
        logged.content
    );
    assert!(bot.sim.with_world(|w| w.dms_to(ids.bob)).is_empty());
    // The discussion is over: its thread archived and locked on Discord.
    let thread = bot
        .sim
        .with_world(|w| w.find_channel(first.id.cast()))
        .expect("the thread is still there");
    let metadata = thread.thread_metadata.expect("a thread's metadata");
    assert!(metadata.archived && metadata.locked, "{metadata:?}");

    // A restart: the numbering and the buttons carry on from the store.
    bot.restart().await;
    let answer = suggest(&bot, ids.carol, "Weekly game nights").await;
    assert!(
        answer.starts_with("Your suggestion #2 is posted"),
        "{answer}"
    );
    let second = find_embed(&bot, ids.general, "Suggestion #2").await;
    let answer = vote(&bot, ids.bob, second.id, 2, true).await;
    assert!(
        answer.starts_with("You voted 👍 on suggestion #2"),
        "{answer}"
    );
    wait_field(&bot, second.id, "Votes", "👍 1 · 👎 0").await;
    let (answer, _) = bot
        .slash(
            ids.alice,
            "suggestion",
            json!([{"name": "deny", "type": 1, "options": [
            {"name": "id", "value": 2}]}]),
        )
        .await;
    assert!(
        answer.ends_with("The author was told by direct message."),
        "{answer}"
    );
    // The prefix form takes the rest of the line as the suggestion.
    let reply = bot.prefix(ids.bob, "!suggest Longer opening hours").await;
    assert!(reply.starts_with("Your suggestion #3 is posted"), "{reply}");
    let third = find_embed(&bot, ids.general, "Suggestion #3").await;
    assert_eq!(
        third.embeds[0].description.as_deref(),
        Some("Longer opening hours")
    );
    let dms = bot.sim.with_world(|w| w.dms_to(ids.carol));
    assert_eq!(dms.len(), 1, "{dms:?}");
    assert!(
        dms[0]
            .content
            .starts_with("Your suggestion #2 is now **Denied**"),
        "{}",
        dms[0].content
    );

    bot.stop().await;
}
