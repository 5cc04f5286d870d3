//! The tickets module end to end, through the real host against the simulator: a panel is set
//! up, a member opens a ticket through the reason form, the private channel has the right
//! overwrites, staff add a member, the module is reloaded and the panel still works, closing
//! posts the transcript file and deletes the channel; and an idle ticket closes by itself.
//! Every test ends by checking Discord would have accepted every request.

mod common;

use std::time::Duration;

use arsenal_host::plugins::Trigger;
use common::{
    bot::{Bot, WAIT},
    plugin,
};
use discord_sim::InteractionHandle;
use serde_json::{json, Value};
use twilight_model::{
    channel::{
        message::Component,
        permission_overwrite::{PermissionOverwrite, PermissionOverwriteType},
        Channel, Message,
    },
    guild::Permissions,
    id::{
        marker::{ChannelMarker, GenericMarker, MessageMarker, UserMarker},
        Id,
    },
};

async fn start() -> Bot {
    Bot::start_with(&[("tickets", plugin("tickets"))]).await
}

/// `/ticket <sub> options…` as `user` in `channel`; the answer's text and whether it is ephemeral.
async fn ticket(
    bot: &Bot,
    user: Id<UserMarker>,
    channel: Id<ChannelMarker>,
    sub: &str,
    options: Value,
) -> (String, bool) {
    let handle = bot
        .sim
        .run_slash_command(
            user,
            channel,
            "ticket",
            json!([{"name": sub, "type": 1, "options": options}]),
        )
        .await;
    let outcome = handle
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .unwrap_or_else(|| panic!("/ticket {sub} was not answered"));
    (
        outcome.content().unwrap_or_default(),
        outcome.is_ephemeral(),
    )
}

async fn answered(handle: &InteractionHandle) -> discord_sim::InteractionOutcome {
    handle.response(WAIT).await.expect("the bot answered")
}

/// The channel mentioned in "Your ticket is open: <#id>".
fn mentioned_channel(text: &str) -> Id<ChannelMarker> {
    text.split("<#")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .and_then(|id| id.parse().ok())
        .map(Id::new)
        .unwrap_or_else(|| panic!("no channel mention in {text:?}"))
}

fn channel(bot: &Bot, id: Id<ChannelMarker>) -> Option<Channel> {
    bot.sim.with_world(|w| w.find_channel(id))
}

/// The newest message of the bot in `channel` having a component `custom_id`.
fn with_component(bot: &Bot, channel: Id<ChannelMarker>, custom_id: &str) -> Option<Message> {
    fn has(components: &[Component], id: &str) -> bool {
        components.iter().any(|c| match c {
            Component::ActionRow(row) => has(&row.components, id),
            Component::Button(b) => b.custom_id.as_deref() == Some(id),
            Component::SelectMenu(m) => m.custom_id == id,
            _ => false,
        })
    }
    bot.sim.with_world(|w| {
        w.messages(channel)
            .into_iter()
            .rev()
            .find(|m| m.author.id == bot.ids.bot && has(&m.components, custom_id))
    })
}

/// Clicks Open on panel #1 as `user`, fills the reason form, returns the new ticket channel.
async fn open_ticket(
    bot: &Bot,
    panel: Id<MessageMarker>,
    user: Id<UserMarker>,
    reason: &str,
) -> Id<ChannelMarker> {
    let click = bot.sim.click_button(user, panel, "tickets:open:1").await;
    let form = answered(&click).await;
    assert_eq!(
        form.callback_type, 9,
        "a form asks for the reason: {form:?}"
    );
    let submitted = click.submit_modal(&[("reason", reason)]).await;
    let outcome = answered(&submitted).await;
    let text = outcome.content().unwrap_or_default();
    assert!(
        text.starts_with("Your ticket is open") && outcome.is_ephemeral(),
        "{text}"
    );
    mentioned_channel(&text)
}

/// Polls `check` (state outside the simulator's world, like host timers) until it holds.
async fn poll<T>(mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        if let Some(found) = check() {
            return Some(found);
        }
        if std::time::Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn overwrite(list: &[PermissionOverwrite], id: Id<GenericMarker>) -> PermissionOverwrite {
    *list
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no overwrite for {id}: {list:?}"))
}

/// The transcript message posted in #logs for `file`, and the file's text.
async fn transcript(bot: &Bot, file: &str) -> (Message, String) {
    let logs = bot.ids.logs;
    let message = bot
        .sim
        .wait_for(WAIT, |w| {
            w.messages(logs)
                .into_iter()
                .find(|m| m.attachments.iter().any(|a| a.filename == file))
        })
        .await
        .unwrap_or_else(|| panic!("no transcript {file} in #logs"));
    let bytes = bot
        .sim
        .with_world(|w| w.attachment_bytes(message.id, file))
        .expect("the file's bytes");
    (message, String::from_utf8(bytes).expect("UTF-8 transcript"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_from_panel_to_transcript_across_a_reload() {
    let bot = start().await;
    let ids = bot.ids;
    let here = ids.bot_commands;

    let (text, ephemeral) = ticket(
        &bot,
        ids.alice,
        here,
        "config",
        json!([
            {"name": "log_channel", "value": ids.logs},
            {"name": "category", "value": ids.tickets},
            {"name": "ask_reason", "value": true},
            {"name": "close_delay", "value": 1}
        ]),
    )
    .await;
    assert!(text.starts_with("Saved (") && ephemeral, "{text}");
    let (text, _) = ticket(
        &bot,
        ids.alice,
        here,
        "staff",
        json!([{"name": "role", "value": ids.moderator_role}]),
    )
    .await;
    assert!(text.contains("is now ticket staff"), "{text}");
    let (text, _) = ticket(
        &bot,
        ids.bob,
        here,
        "panel",
        json!([{"name": "channel", "value": ids.general}]),
    )
    .await;
    assert!(
        text.contains("Manage Server"),
        "members cannot post panels: {text}"
    );
    let (text, _) = ticket(
        &bot,
        ids.alice,
        here,
        "panel",
        json!([{"name": "channel", "value": ids.general}]),
    )
    .await;
    assert!(text.starts_with("Panel #1 posted in"), "{text}");
    let panel = with_component(&bot, ids.general, "tickets:open:1")
        .expect("the panel message")
        .id;

    // Bob opens a ticket: a private channel in the tickets category.
    let first = open_ticket(&bot, panel, ids.bob, "my printer is on fire").await;
    let created = channel(&bot, first).expect("the ticket channel exists");
    assert_eq!(created.name.as_deref(), Some("ticket-0001"));
    assert_eq!(created.parent_id, Some(ids.tickets));
    let overwrites = created.permission_overwrites.unwrap_or_default();
    let everyone = overwrite(&overwrites, ids.guild.cast());
    assert!(everyone.deny.contains(Permissions::VIEW_CHANNEL));
    for member in [ids.bob, ids.bot] {
        let o = overwrite(&overwrites, member.cast());
        assert_eq!(o.kind, PermissionOverwriteType::Member);
        assert!(o
            .allow
            .contains(Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES));
    }
    let staff = overwrite(&overwrites, ids.moderator_role.cast());
    assert_eq!(staff.kind, PermissionOverwriteType::Role);
    assert!(staff.allow.contains(Permissions::VIEW_CHANNEL));
    assert_eq!(overwrites.len(), 4, "{overwrites:?}");
    let close_button = format!("tickets:close:{first}");
    let welcome = with_component(&bot, first, &close_button).expect("the ticket's first message");
    assert!(
        welcome.content.contains(&format!("<@{}>", ids.bob)),
        "{}",
        welcome.content
    );

    bot.sim.send_message(ids.bob, first, "hello, anyone?").await;
    assert!(
        bot.sim
            .try_send_message(ids.carol, first, "let me in")
            .is_err(),
        "carol cannot see the ticket yet"
    );

    // One open ticket per member.
    let again = bot.sim.click_button(ids.bob, panel, "tickets:open:1").await;
    let refused = answered(&again).await;
    assert!(refused.is_ephemeral(), "{refused:?}");
    assert!(refused
        .content()
        .unwrap_or_default()
        .starts_with("You already have 1 open ticket"));

    // Staff (alice is an admin) add carol, who can then write.
    let (text, ephemeral) = ticket(
        &bot,
        ids.alice,
        first,
        "add",
        json!([{"name": "user", "value": ids.carol}]),
    )
    .await;
    assert!(
        text.starts_with(&format!("➕ <@{}> was added", ids.carol)) && !ephemeral,
        "{text}"
    );
    bot.sim
        .send_message(ids.carol, first, "I have the same problem")
        .await;
    let (text, ephemeral) = ticket(&bot, ids.bob, first, "claim", json!([])).await;
    assert_eq!(
        (text.as_str(), ephemeral),
        ("Only ticket staff can do this.", true)
    );

    // A reload in the middle: the panel keeps working, the data is all there.
    bot.app()
        .manager
        .reload("tickets", Trigger::Command)
        .await
        .expect("tickets reloads");
    let second = open_ticket(&bot, panel, ids.carol, "second issue").await;
    assert_eq!(
        channel(&bot, second).and_then(|c| c.name).as_deref(),
        Some("ticket-0002")
    );

    // Bob closes his ticket with the button and a reason.
    let click = bot
        .sim
        .click_button(ids.bob, welcome.id, &close_button)
        .await;
    assert_eq!(answered(&click).await.callback_type, 9, "the close form");
    let closing = click.submit_modal(&[("reason", "fixed, thanks")]).await;
    let text = answered(&closing).await.content().unwrap_or_default();
    assert!(
        text.starts_with("🔒 Ticket closed by bob: fixed, thanks."),
        "{text}"
    );

    let (message, file) = transcript(&bot, "ticket-0001.txt").await;
    assert!(
        message
            .content
            .contains("**ticket-0001** opened by bob was closed by bob: fixed, thanks"),
        "{}",
        message.content
    );
    let lines: Vec<&str> = file.lines().filter(|l| l.starts_with('[')).collect();
    assert!(
        file.starts_with("Transcript of ticket-0001 (opened by bob"),
        "{file}"
    );
    assert!(file.contains("Reason: my printer is on fire"), "{file}");
    let bob_line = lines
        .iter()
        .position(|l| l.ends_with("] bob: hello, anyone?"));
    let carol_line = lines
        .iter()
        .position(|l| l.ends_with("] carol: I have the same problem"));
    assert!(
        bob_line.is_some() && carol_line.is_some() && bob_line < carol_line,
        "oldest first: {file}"
    );
    assert!(
        lines
            .last()
            .is_some_and(|l| l.contains("Ticket closed by bob")),
        "{file}"
    );
    let gone = bot
        .sim
        .wait_for(WAIT, |w| w.find_channel(first).is_none().then_some(()))
        .await;
    assert!(gone.is_some(), "the ticket channel was deleted");

    // Bob may open a new one now.
    let third = open_ticket(&bot, panel, ids.bob, "another one").await;
    assert_eq!(
        channel(&bot, third).and_then(|c| c.name).as_deref(),
        Some("ticket-0003")
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_ticket_closes_itself_and_activity_postpones_it() {
    let bot = start().await;
    let ids = bot.ids;
    let here = ids.bot_commands;
    ticket(
        &bot,
        ids.alice,
        here,
        "config",
        json!([
            {"name": "log_channel", "value": ids.logs},
            {"name": "autoclose", "value": "3s"},
            {"name": "close_delay", "value": 1}
        ]),
    )
    .await;
    ticket(
        &bot,
        ids.alice,
        here,
        "panel",
        json!([{"name": "channel", "value": ids.general}]),
    )
    .await;
    let panel = with_component(&bot, ids.general, "tickets:open:1")
        .expect("the panel")
        .id;
    let click = bot.sim.click_button(ids.bob, panel, "tickets:open:1").await;
    let text = answered(&click).await.content().unwrap_or_default();
    let ticket_channel = mentioned_channel(&text);
    let autoclose_at = || {
        bot.app()
            .timers
            .pending(Some("tickets"))
            .into_iter()
            .find(|t| t.key == format!("autoclose:{ticket_channel}"))
            .map(|t| t.at_unix_ms)
    };
    let scheduled = autoclose_at().expect("autoclose scheduled at open");

    tokio::time::sleep(Duration::from_millis(1200)).await;
    bot.sim
        .send_message(ids.bob, ticket_channel, "still here")
        .await;
    // Host timers are not world changes: poll them.
    let moved = poll(|| autoclose_at().filter(|at| *at >= scheduled + 1000)).await;
    assert!(moved.is_some(), "a message moved the autoclose later");

    let (message, file) = transcript(&bot, "ticket-0001.txt").await;
    assert!(
        message
            .content
            .contains("closed by autoclose: no messages for 3s"),
        "{}",
        message.content
    );
    assert!(file.contains("] bob: still here"), "{file}");
    let gone = bot
        .sim
        .wait_for(WAIT, |w| {
            w.find_channel(ticket_channel).is_none().then_some(())
        })
        .await;
    assert!(gone.is_some(), "the idle ticket was deleted");
    // The close timer is removed once its handler returned, just after the deletion.
    let settled = poll(|| {
        bot.app()
            .timers
            .pending(Some("tickets"))
            .is_empty()
            .then_some(())
    })
    .await;
    assert!(settled.is_some(), "no timer left behind");
    bot.stop().await;
}
