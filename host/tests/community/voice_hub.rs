//! The voice hub end to end, through the real host against the simulator: joining a hub makes a
//! room and moves the member into it, the owner locks it from the panel in the room's chat (a
//! member is then kept out by Discord until permitted, and kicked out again), the module is
//! reloaded while the owner leaves, a member still in the room claims it, renames stay
//! within Discord's allowance (the simulator answers 429 beyond it: the module never gets one),
//! the emptied room is deleted after its delay; then a restart with one room emptied while the
//! bot was away (deleted) and one occupied (kept, with its owner), and a channel the bot did not
//! create left alone. Ends by checking Discord would have accepted every request.

use arsenal_host::plugins::Trigger;
use discord_sim::world::{channel_kind, DEMO_BOT_PERMISSIONS};
use serde_json::json;
use twilight_model::{
    channel::permission_overwrite::PermissionOverwriteType,
    guild::Permissions,
    id::{
        marker::{ChannelMarker, MessageMarker, UserMarker},
        Id,
    },
};

use crate::common::{
    bot::{Bot, WAIT},
    plugin,
};

/// Waits until `user` is connected to a room the bot made under `category` named `name`, and
/// returns it.
async fn room_of(
    bot: &Bot,
    user: Id<UserMarker>,
    category: Id<ChannelMarker>,
    name: &str,
) -> Id<ChannelMarker> {
    let guild = bot.ids.guild;
    let found = bot
        .sim
        .wait_for(WAIT, |w| {
            let channel = w.voice_channel_of(guild, user)?;
            let c = w.find_channel(channel)?;
            (c.parent_id == Some(category) && c.name.as_deref() == Some(name)).then_some(channel)
        })
        .await;
    found.unwrap_or_else(|| {
        panic!(
            "{user} was not moved into a room named {name:?}; violations: {:?}",
            bot.sim.violations()
        )
    })
}

/// The panel the bot posted in `room`'s chat.
async fn panel_in(bot: &Bot, room: Id<ChannelMarker>) -> Id<MessageMarker> {
    let me = bot.ids.bot;
    bot.sim
        .wait_for(WAIT, |w| {
            w.messages(room)
                .into_iter()
                .find(|m| m.author.id == me && !m.components.is_empty())
                .map(|m| m.id)
        })
        .await
        .expect("the panel is posted in the room's chat")
}

async fn gone(bot: &Bot, channel: Id<ChannelMarker>) -> bool {
    bot.sim
        .wait_for(WAIT, |w| w.find_channel(channel).is_none().then_some(()))
        .await
        .is_some()
}

async fn press(bot: &Bot, user: Id<UserMarker>, panel: Id<MessageMarker>, id: &str) -> String {
    let pressed = bot
        .sim
        .click_button(user, panel, &format!("voice_hub:{id}"))
        .await;
    let outcome = pressed
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .unwrap_or_else(|| panic!("{id} was not answered"));
    assert!(outcome.is_ephemeral(), "{id}: {:?}", outcome.content());
    outcome.content().unwrap_or_default()
}

async fn pick(
    bot: &Bot,
    user: Id<UserMarker>,
    panel: Id<MessageMarker>,
    id: &str,
    member: Id<UserMarker>,
) -> String {
    let picked = bot
        .sim
        .select_menu(
            user,
            panel,
            &format!("voice_hub:{id}"),
            &[&member.to_string()],
        )
        .await;
    let outcome = picked
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .unwrap_or_else(|| panic!("{id} was not answered"));
    assert!(outcome.is_ephemeral(), "{id}: {:?}", outcome.content());
    outcome.content().unwrap_or_default()
}

async fn voice(bot: &Bot, user: Id<UserMarker>, sub: &str, options: serde_json::Value) -> String {
    let (text, ephemeral) = bot
        .slash(
            user,
            "voice",
            json!([{"name": sub, "type": 1, "options": options}]),
        )
        .await;
    assert!(ephemeral, "/voice {sub}: {text}");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rooms_are_made_controlled_claimed_and_cleaned_up_through_reloads_and_restarts() {
    let mut bot = Bot::start_with(&[("voice_hub", plugin("voice_hub"))]).await;
    let ids = bot.ids;
    // The bot may move members and let them connect; members may connect (Discord's default
    // for @everyone); a category with the hub in it; Dave, a member.
    let (category, hub, dave) = bot.sim.modify_world(|w| {
        let perms = DEMO_BOT_PERMISSIONS | Permissions::MOVE_MEMBERS | Permissions::CONNECT;
        w.set_role_permissions(ids.guild, ids.bot_role, perms.bits());
        let everyone =
            Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES | Permissions::CONNECT;
        w.set_role_permissions(ids.guild, ids.everyone, everyone.bits());
        let dave = w.add_user("dave");
        w.add_member(ids.guild, dave, &[ids.member_role]);
        let category = w.add_channel(ids.guild, "Voice rooms", channel_kind::GUILD_CATEGORY, None);
        let hub = w.add_channel(
            ids.guild,
            "Join to create",
            channel_kind::GUILD_VOICE,
            Some(category),
        );
        (category, hub, dave)
    });

    // Members without Manage Channels cannot set up hubs.
    let (text, _) = bot
        .slash(ids.bob, "voice", json!([{"name": "hubs", "type": 1}]))
        .await;
    assert!(text.contains("You need the"), "{text}");
    let text = voice(
        &bot,
        ids.alice,
        "hub",
        json!([
            {"name": "channel", "value": hub}, {"name": "delay", "value": 2},
        ]),
    )
    .await;
    assert!(text.contains("is a hub"), "{text}");

    bot.sim.join_voice(ids.bob, hub).await;
    let room = room_of(&bot, ids.bob, category, "🔊 bob").await;
    let panel = panel_in(&bot, room).await;
    bot.sim.join_voice(ids.carol, room).await;

    // Carol is not the owner: refused. Bob locks it from the panel.
    let text = press(&bot, ids.carol, panel, &format!("lock:{room}")).await;
    assert!(text.contains("Only the room's owner"), "{text}");
    let text = press(&bot, ids.bob, panel, &format!("lock:{room}")).await;
    assert!(text.starts_with("🔒"), "{text}");
    let locked = bot.sim.with_world(|w| w.find_channel(room)).expect("room");
    let everyone = locked
        .permission_overwrites
        .unwrap_or_default()
        .into_iter()
        .find(|o| o.kind == PermissionOverwriteType::Role && o.id == ids.guild.cast())
        .expect("@everyone overwrite");
    assert!(everyone.deny.contains(Permissions::CONNECT));
    // Discord now keeps Dave out, until Bob lets him in from the panel's menu; a kick throws
    // him out and keeps him out.
    assert!(bot.sim.try_join_voice(dave, room).await.is_err());
    let text = pick(&bot, ids.bob, panel, &format!("permit:{room}"), dave).await;
    assert_eq!(text, format!("✅ <@{dave}> can join the room."));
    bot.sim.try_join_voice(dave, room).await.expect("permitted");
    let text = pick(&bot, ids.bob, panel, &format!("kick:{room}"), dave).await;
    assert!(text.contains("was disconnected"), "{text}");
    assert_eq!(
        bot.sim.with_world(|w| w.voice_channel_of(ids.guild, dave)),
        None
    );
    assert!(bot.sim.try_join_voice(dave, room).await.is_err());

    // Bob leaves while the module is reloaded: the event is not lost.
    let manager = bot.app().manager.clone();
    let reload = tokio::spawn(async move { manager.reload("voice_hub", Trigger::Command).await });
    bot.sim.leave_voice(ids.bob, ids.guild).await;
    reload.await.expect("reload task").expect("reload");
    // Carol, still in, claims it.
    let text = press(&bot, ids.carol, panel, &format!("claim:{room}")).await;
    assert_eq!(text, "👑 The room is yours now.");

    // Two renames now; the third waits for Discord's allowance and says when.
    let text = voice(
        &bot,
        ids.carol,
        "rename",
        json!([{"name": "name", "value": "first"}]),
    )
    .await;
    assert_eq!(text, "✏️ Renamed to **first**.");
    voice(
        &bot,
        ids.carol,
        "rename",
        json!([{"name": "name", "value": "second"}]),
    )
    .await;
    let text = voice(
        &bot,
        ids.carol,
        "rename",
        json!([{"name": "name", "value": "third"}]),
    )
    .await;
    assert!(text.contains("**third** will apply <t:"), "{text}");
    let name = bot
        .sim
        .with_world(|w| w.find_channel(room))
        .and_then(|c| c.name);
    assert_eq!(name.as_deref(), Some("second"));
    assert!(
        bot.sim.requests().iter().all(|r| r.status != 429),
        "the module hit Discord's rename limit"
    );

    // Everyone leaves: the room goes after its delay, not at once.
    bot.sim.leave_voice(ids.carol, ids.guild).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        bot.sim.with_world(|w| w.find_channel(room)).is_some(),
        "deleted before the delay"
    );
    assert!(gone(&bot, room).await, "the empty room was not deleted");

    // Two rooms; the bot stops; Bob leaves his while it is away; Alice sits in the Lounge.
    bot.sim.join_voice(ids.bob, hub).await;
    let bobs = room_of(&bot, ids.bob, category, "🔊 bob").await;
    // Carol's next room has the name she chose last.
    bot.sim.join_voice(ids.carol, hub).await;
    let carols = room_of(&bot, ids.carol, category, "third").await;
    bot.sim.join_voice(ids.alice, ids.lounge).await;
    if let Some(app) = bot.app.take() {
        app.shutdown().await.expect("clean shutdown");
    }
    bot.sim.leave_voice(ids.bob, ids.guild).await;
    bot.app = Some(bot.boot().await);

    assert!(
        gone(&bot, bobs).await,
        "the room emptied while away was not deleted"
    );
    let kept = bot.sim.with_world(|w| w.find_channel(carols));
    assert!(kept.is_some(), "the occupied room was deleted");
    // Carol still owns hers.
    let text = voice(
        &bot,
        ids.carol,
        "limit",
        json!([{"name": "limit", "value": 3}]),
    )
    .await;
    assert_eq!(text, "👥 At most 3 members now.");
    let limit = bot
        .sim
        .with_world(|w| w.find_channel(carols))
        .and_then(|c| c.user_limit);
    assert_eq!(limit, Some(3));
    // The Lounge, which the bot did not make, is untouched.
    let lounge = bot
        .sim
        .with_world(|w| w.find_channel(ids.lounge))
        .expect("the Lounge is there");
    assert!(lounge.permission_overwrites.unwrap_or_default().is_empty());
    assert_eq!(
        bot.sim
            .with_world(|w| w.voice_channel_of(ids.guild, ids.alice)),
        Some(ids.lounge)
    );

    bot.stop().await;
}
