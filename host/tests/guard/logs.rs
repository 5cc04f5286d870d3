//! The logs module end to end: message contents kept across a hot reload and a restart (an edit
//! and a delete after them still show the old text), a bulk delete as a file, entries posted as
//! the bot's messages without Manage Webhooks and through a webhook with it (a webhook deleted
//! by an admin is replaced), joins with account age, voice joins, moves and leaves. Each test
//! ends by checking Discord would have accepted every request.

use std::time::{Duration, Instant};

use crate::common::{
    bot::{Bot, WAIT},
    plugin,
};
use arsenal_host::plugins::Trigger;
use serde_json::json;
use twilight_model::{
    channel::Message,
    guild::Permissions,
    id::{
        marker::{ChannelMarker, MessageMarker},
        Id,
    },
};

async fn start() -> Bot {
    Bot::start_with(&[("logs", plugin("logs"))]).await
}

/// Routes `category` to #logs as alice, checking the answer.
async fn route(bot: &Bot, category: &str) {
    let (text, ephemeral) = bot
        .slash(
            bot.ids.alice,
            "logs",
            json!([{"name": "channel", "type": 1, "options": [
                {"name": "category", "value": category},
                {"name": "channel", "value": bot.ids.logs}
            ]}]),
        )
        .await;
    assert!(ephemeral, "{text}");
    assert!(
        text.starts_with("Logs of ") && text.contains("will be posted in"),
        "{text}"
    );
}

/// Waits until the module has kept message `id` of `channel`.
async fn wait_cached(bot: &Bot, channel: Id<ChannelMarker>, id: Id<MessageMarker>) {
    let key = format!("m:{}:{channel}:{id}", bot.ids.guild);
    let deadline = Instant::now() + WAIT;
    while bot
        .app()
        .store
        .get("plugin.logs", &key)
        .expect("store read")
        .is_none()
    {
        assert!(Instant::now() < deadline, "message {id} was never cached");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits for a log entry in #logs whose embed title is `title`, after the first `skip` entries.
async fn entry(bot: &Bot, title: &str, skip: usize) -> Message {
    let logs = bot.ids.logs;
    bot.sim
        .wait_for(WAIT, |w| {
            w.messages(logs)
                .into_iter()
                .filter(|m| !m.embeds.is_empty())
                .skip(skip)
                .find(|m| m.embeds[0].title.as_deref() == Some(title))
        })
        .await
        .unwrap_or_else(|| {
            let titles: Vec<_> = bot
                .sim
                .with_world(|w| w.messages(logs))
                .into_iter()
                .filter_map(|m| m.embeds.first().and_then(|e| e.title.clone()))
                .collect();
            panic!("no {title:?} entry in #logs; entries: {titles:?}")
        })
}

fn entries(bot: &Bot) -> usize {
    bot.sim
        .with_world(|w| w.messages(bot.ids.logs))
        .iter()
        .filter(|m| !m.embeds.is_empty())
        .count()
}

fn field<'m>(message: &'m Message, name: &str) -> &'m str {
    message.embeds[0]
        .fields
        .iter()
        .find(|f| f.name == name)
        .map_or("", |f| f.value.as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_and_deletes_show_the_old_text_after_a_reload_and_a_restart() {
    let mut bot = start().await;
    let ids = bot.ids;
    route(&bot, "messages").await;
    // The demo bot may not manage webhooks: the confirmation is the bot's own message.
    let confirmation = entry(&bot, "Logs", 0).await;
    assert_eq!(confirmation.author.id, ids.bot);
    assert!(confirmation.webhook_id.is_none());

    let draft = bot
        .sim
        .send_message(ids.bob, ids.general, "first draft")
        .await;
    wait_cached(&bot, ids.general, draft).await;
    bot.app()
        .manager
        .reload("logs", Trigger::Command)
        .await
        .expect("reload");
    bot.sim.edit_message_as(ids.bob, draft, "final text").await;
    let edited = entry(&bot, "Message edited", 0).await;
    assert_eq!(field(&edited, "Before"), "first draft");
    assert_eq!(field(&edited, "After"), "final text");

    // A restart: the host stops and starts again on the same data folder.
    bot.restart().await;
    bot.sim.delete_message_as(ids.bob, draft).await;
    let deleted = entry(&bot, "Message deleted", 0).await;
    let description = deleted.embeds[0].description.clone().unwrap_or_default();
    assert!(description.ends_with("final text"), "{description}");
    assert!(
        description.contains(&format!("<@{}> (bob) in <#{}>", ids.bob, ids.general)),
        "{description}"
    );

    // A purge by another bot: one entry, the messages in a text file.
    let mut purged = Vec::new();
    for text in ["spam one", "spam two", "spam three"] {
        let id = bot.sim.send_message(ids.carol, ids.general, text).await;
        wait_cached(&bot, ids.general, id).await;
        purged.push(id);
    }
    bot.sim.bulk_delete_messages(ids.general, &purged).await;
    let bulk = entry(&bot, "3 messages deleted", 0).await;
    let file = &bulk.attachments[0];
    assert_eq!(
        file.filename,
        format!("deleted-messages-{}.txt", ids.general)
    );
    let bytes = bot
        .sim
        .with_world(|w| w.attachment_bytes(bulk.id, &file.filename))
        .expect("the file");
    let listing = String::from_utf8(bytes).expect("text");
    for text in ["spam one", "spam two", "spam three"] {
        assert!(
            listing.contains(&format!("carol ({}) ", ids.carol)) && listing.contains(text),
            "{listing}"
        );
    }

    // Messages in the log channel itself are never logged (no loops).
    let before = entries(&bot);
    // (An edit is logged even when the old text is unknown, so this one would show.)
    let note = bot
        .sim
        .send_message(ids.alice, ids.logs, "a note in the log channel")
        .await;
    bot.sim
        .edit_message_as(ids.alice, note, "an edited note")
        .await;
    let chatter = bot.sim.send_message(ids.bob, ids.general, "later").await;
    wait_cached(&bot, ids.general, chatter).await;
    bot.sim
        .edit_message_as(ids.bob, chatter, "later, edited")
        .await;
    let logs = ids.logs;
    bot.sim
        .wait_for(WAIT, |w| {
            let last = w.last_message(logs)?;
            (last.embeds.first().map(|e| e.title.as_deref()) == Some(Some("Message edited")))
                .then_some(())
        })
        .await
        .expect("the #general edit is logged");
    assert_eq!(
        entries(&bot),
        before + 1,
        "only the #general edit was logged"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_manage_webhooks_entries_come_from_a_webhook_that_is_replaced_when_deleted() {
    let bot = start().await;
    let ids = bot.ids;
    bot.sim.modify_world(|w| {
        let allow =
            Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES | Permissions::MANAGE_WEBHOOKS;
        w.add_overwrite(ids.logs, ids.bot.get(), 1, allow.bits(), 0);
    });
    route(&bot, "all").await;
    let confirmation = entry(&bot, "Logs", 0).await;
    let hooks = bot.sim.with_world(|w| w.webhooks(ids.logs));
    assert_eq!(hooks.len(), 1, "{hooks:?}");
    assert_eq!(hooks[0].1, "Arsenal logs");
    assert_eq!(confirmation.webhook_id, Some(hooks[0].0));

    let dave = bot.sim.member_join(ids.guild, "dave").await;
    let joined = entry(&bot, "Member joined", 0).await;
    let text = joined.embeds[0].description.clone().unwrap_or_default();
    assert!(
        text.starts_with(&format!("<@{dave}> (dave) · account created <t:")),
        "{text}"
    );
    assert!(text.contains("New account"), "a user made just now: {text}");
    assert!(joined.webhook_id.is_some());

    let stage = bot.sim.modify_world(|w| {
        w.add_channel(
            ids.guild,
            "Stage",
            discord_sim::world::channel_kind::GUILD_VOICE,
            None,
        )
    });
    bot.sim.join_voice(ids.bob, ids.lounge).await;
    entry(&bot, "Voice: joined", 0).await;
    bot.app()
        .manager
        .reload("logs", Trigger::Command)
        .await
        .expect("reload");
    bot.sim.join_voice(ids.bob, stage).await;
    let moved = entry(&bot, "Voice: moved", 0).await;
    let text = moved.embeds[0].description.clone().unwrap_or_default();
    assert!(
        text.contains(&format!("from <#{}> to <#{stage}>", ids.lounge)),
        "{text}"
    );

    // An administrator deletes the webhook: that entry is posted by the bot, the next one
    // through a new webhook.
    bot.sim.modify_world(|w| w.delete_webhook(hooks[0].0));
    bot.sim.leave_voice(ids.bob, ids.guild).await;
    let left = entry(&bot, "Voice: left", 0).await;
    assert_eq!(left.author.id, ids.bot);
    bot.sim.member_leave(ids.guild, dave).await;
    let gone = entry(&bot, "Member left", 0).await;
    let new_hooks = bot.sim.with_world(|w| w.webhooks(ids.logs));
    assert_eq!(new_hooks.len(), 1);
    assert_ne!(new_hooks[0].0, hooks[0].0);
    assert_eq!(gone.webhook_id, Some(new_hooks[0].0));
    bot.stop().await;
}
