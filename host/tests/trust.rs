//! Who may do what, and what a command may reach, through the real host against the simulator
//! with the bot in two servers: bot-wide commands belong to the owners (and the control
//! server's administrators), ids from another server are refused (in arguments, in modules'
//! Discord actions, and in those of a module another one asked), prefix permissions count
//! channel overwrites, and every interaction is answered. Every test ends by checking Discord
//! would have accepted every request.

mod common;

use std::time::Duration;

use common::{
    bot::{Bot, WAIT},
    fixture, plugin,
};
use discord_sim::{
    world::{channel_kind, DEMO_BOT_PERMISSIONS},
    World,
};
use serde_json::json;
use twilight_model::{
    guild::Permissions,
    id::{
        marker::{ChannelMarker, UserMarker},
        Id,
    },
};

/// The second server: "Other Server", owned by dave, with erin as an administrator (neither is
/// a bot owner), and its channel #other-general.
#[derive(Clone, Copy)]
struct Other {
    general: Id<ChannelMarker>,
    dave: Id<UserMarker>,
    erin: Id<UserMarker>,
}

fn add_other_server(w: &mut World) -> Other {
    let dave = w.add_user("dave");
    let erin = w.add_user("erin");
    let guild = w.add_guild("Other Server", dave);
    w.add_bot_role(guild, DEMO_BOT_PERMISSIONS.bits(), 3);
    let admin = w.add_role(guild, "Admin", Permissions::ADMINISTRATOR.bits(), 4);
    w.add_member(guild, erin, &[admin]);
    let general = w.add_channel(guild, "other-general", channel_kind::GUILD_TEXT, None);
    Other {
        general,
        dave,
        erin,
    }
}

fn reload_module(name: &str) -> serde_json::Value {
    json!([{"name": "module", "type": 1, "options": [{"name": "module", "value": name}]}])
}

/// The choices `/reload module` autocomplete offers `user`.
async fn module_choices(bot: &Bot, user: Id<UserMarker>) -> serde_json::Value {
    let typing = json!([{"name": "module", "type": 1, "options": [{"name": "module", "value": "cou", "focused": true}]}]);
    let outcome = bot
        .sim
        .autocomplete(user, bot.ids.bot_commands, "reload", typing)
        .await
        .response(WAIT)
        .await
        .expect("autocomplete answered");
    assert_eq!(outcome.callback_type, 8);
    outcome.data.expect("choices")["choices"].clone()
}

const BOT_WIDE: &str = "acts on the bot in every server";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bot_wide_commands_need_an_owner_or_a_control_server_administrator() {
    let (mut bot, other) = Bot::prepare(&[("counter", fixture("counter-v1"))], |w, _| {
        add_other_server(w)
    })
    .await;
    let ids = bot.ids;

    // No control server: only owners (here the application's owner).
    bot.boot_every_server(|s| s.control_guild = None).await;
    let (text, ephemeral) = bot
        .slash(ids.alice, "reload", reload_module("counter"))
        .await;
    assert!(text.contains(BOT_WIDE) && ephemeral, "{text}");
    assert!(text.contains("only the bot's owners"), "{text}");
    assert!(
        text.contains("control_guild"),
        "says how to allow admins: {text}"
    );
    assert_eq!(
        module_choices(&bot, ids.alice).await,
        json!([]),
        "no module names for a non-owner"
    );
    assert_eq!(
        module_choices(&bot, ids.owner).await,
        json!([{"name": "counter", "value": "counter"}])
    );
    let text = bot
        .prefix_in(ids.alice, ids.bot_commands, "!module reload counter")
        .await;
    assert!(text.contains(BOT_WIDE), "{text}");
    // Another server's administrator and owner see nothing of the bot's modules either.
    for (user, command) in [
        (other.erin, "!module status"),
        (other.erin, "!module logs"),
        (other.erin, "!persistent_status"),
        (other.erin, "!module reload counter"),
        (other.dave, "!module list"),
    ] {
        let text = bot.prefix_in(user, other.general, command).await;
        assert!(text.contains(BOT_WIDE), "{command}: {text}");
        assert!(
            !text.contains("counter"),
            "{command} reveals nothing: {text}"
        );
    }
    // The owner may, anywhere.
    let (text, _) = bot
        .slash(ids.owner, "reload", reload_module("counter"))
        .await;
    assert!(text.contains("✅ `counter` reloaded"), "{text}");
    let text = bot
        .prefix_in(ids.owner, ids.bot_commands, "!module status")
        .await;
    assert!(text.contains("`counter` 1.0.0"), "{text}");
    // Per-server commands stay with each server's administrators.
    let text = bot.prefix_in(other.erin, other.general, "!prefix ?").await;
    assert!(text.contains("Prefix set to `?`"), "{text}");

    // The demo server is the control server, and erin is a configured owner.
    bot.boot_every_server(|s| {
        s.control_guild = Some(ids.guild);
        s.owners = vec![other.erin];
    })
    .await;
    let (text, ephemeral) = bot
        .slash(ids.alice, "reload", reload_module("counter"))
        .await;
    assert!(
        text.contains("✅ `counter` reloaded") && ephemeral,
        "{text}"
    );
    assert_eq!(
        module_choices(&bot, ids.alice).await,
        json!([{"name": "counter", "value": "counter"}])
    );
    let text = bot
        .prefix_in(ids.alice, ids.bot_commands, "!module logs")
        .await;
    assert!(text.contains("Reload history"), "{text}");
    // A control-server administrator acts from the control server only; the other server's
    // owner is still refused; a configured owner may anywhere.
    let text = bot
        .prefix_in(other.dave, other.general, "?module reload counter")
        .await;
    assert!(
        text.contains(BOT_WIDE) && text.contains("control server"),
        "{text}"
    );
    let text = bot
        .prefix_in(other.erin, other.general, "?module status")
        .await;
    assert!(text.contains("`counter` 1.0.0"), "{text}");
    // Bob, a member of the control server, is no administrator.
    let text = bot
        .prefix_in(ids.bob, ids.bot_commands, "!module status")
        .await;
    assert!(text.contains(BOT_WIDE), "{text}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_from_another_server_are_refused_in_arguments_and_in_module_actions() {
    let modules = [
        ("welcome", plugin("welcome")),
        ("misbehaving", fixture("misbehaving")),
    ];
    let (mut bot, other) = Bot::prepare(&modules, |w, _| add_other_server(w)).await;
    bot.boot_every_server(|_| {}).await;
    let ids = bot.ids;

    // A channel argument from another server, as an id or a mention, is refused by the host.
    for given in [other.general.to_string(), format!("<#{}>", other.general)] {
        let text = bot
            .prefix_in(
                ids.alice,
                ids.bot_commands,
                &format!("!welcome channel {given}"),
            )
            .await;
        assert!(
            text.contains("`channel`: that channel is not in this server"),
            "{given}: {text}"
        );
    }
    let text = bot
        .prefix_in(
            ids.alice,
            ids.bot_commands,
            &format!("!welcome channel {}", ids.general),
        )
        .await;
    assert!(text.contains("Welcome messages will be posted"), "{text}");
    // Slash options are checked the same way.
    let handle = bot
        .sim
        .try_run_slash_command(
            ids.alice,
            ids.bot_commands,
            "welcome",
            json!([{"name": "channel", "type": 1, "options": [{"name": "channel", "value": other.general.to_string()}]}]),
        )
        .expect("the simulator sends it");
    let outcome = handle
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .expect("answered");
    let text = outcome.content().unwrap_or_default();
    assert!(
        text.contains("not in this server") && outcome.is_ephemeral(),
        "{text}"
    );

    // A module's action during a command may not reach another server's channel.
    let text = bot
        .prefix_in(
            ids.alice,
            ids.bot_commands,
            &format!("!post_to {}", other.general),
        )
        .await;
    assert!(
        text.contains("refused (Refused)")
            && text.contains("is not in the server this was used in"),
        "{text}"
    );
    assert!(
        bot.sim.with_world(|w| w.messages(other.general)).is_empty(),
        "nothing was posted in the other server"
    );
    // …nor the other way round; its own server's channels are fine.
    let text = bot
        .prefix_in(
            other.erin,
            other.general,
            &format!("!post_to {}", ids.general),
        )
        .await;
    assert!(text.contains("refused (Refused)"), "{text}");
    let text = bot
        .prefix_in(
            other.erin,
            other.general,
            &format!("!post_to {}", other.general),
        )
        .await;
    assert_eq!(text, "posted");
    // From a direct message, a module's actions reach no server at all; the DM itself is fine.
    let dm = bot
        .sim
        .modify_world(|w| w.open_dm(ids.alice))
        .expect("alice's DM channel");
    let text = bot
        .prefix_in(ids.alice, dm, &format!("!post_to {}", ids.general))
        .await;
    assert!(
        text.contains("refused (Refused)") && text.contains("used in a direct message"),
        "{text}"
    );
    assert!(
        bot.sim.with_world(|w| w.messages(ids.general)).is_empty(),
        "nothing was posted in a server from a DM"
    );
    let text = bot
        .prefix_in(ids.alice, dm, &format!("!post_to {dm}"))
        .await;
    assert_eq!(text, "posted");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_asked_during_a_command_acts_only_in_that_server() {
    let modules = [
        ("asker", fixture("asker")),
        ("misbehaving", fixture("misbehaving")),
    ];
    let (mut bot, other) = Bot::prepare(&modules, |w, _| add_other_server(w)).await;
    bot.boot_every_server(|_| {}).await;
    let ids = bot.ids;
    let post_in = |channel: Id<ChannelMarker>| {
        json!([
            {"name": "module", "type": 3, "value": "misbehaving"},
            {"name": "method", "type": 3, "value": "post"},
            {"name": "payload", "type": 3, "value": json!({"channel": channel}).to_string()},
        ])
    };
    // The asked module's action carries the asker's scope: the member's server only.
    let (text, _) = bot.slash(ids.alice, "ask", post_in(other.general)).await;
    assert!(
        text.starts_with("refused") && text.contains("is not in the server this was used in"),
        "{text}"
    );
    assert!(bot.sim.with_world(|w| w.messages(other.general)).is_empty());
    let (text, _) = bot.slash(ids.alice, "ask", post_in(ids.general)).await;
    assert_eq!(text, r#"answered "posted""#);
    assert_eq!(bot.sim.with_world(|w| w.messages(ids.general)).len(), 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefix_permissions_count_channel_overwrites() {
    let (mut bot, ()) = Bot::prepare(&[("moderation", plugin("moderation"))], |w, ids| {
        // Carol moderates, but not in #general: an overwrite there denies her Manage Messages.
        w.add_member(ids.guild, ids.carol, &[ids.moderator_role]);
        w.add_overwrite(
            ids.general,
            ids.carol.get(),
            1,
            0,
            Permissions::MANAGE_MESSAGES.bits(),
        );
    })
    .await;
    bot.boot_every_server(|_| {}).await;
    let ids = bot.ids;

    let text = bot.prefix_in(ids.carol, ids.general, "!purge 5").await;
    assert!(
        text.contains("You need the Manage Messages permission"),
        "{text}"
    );
    let text = bot.prefix_in(ids.carol, ids.bot_commands, "!purge 5").await;
    assert!(
        !text.contains("You need the"),
        "allowed in another channel: {text}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_interaction_is_answered() {
    let (mut bot, ()) = Bot::prepare(&[("counter", fixture("counter-v1"))], |_, _| ()).await;
    bot.boot_every_server(|_| {}).await;
    let ids = bot.ids;
    let answered = |handle: discord_sim::InteractionHandle| async move {
        handle
            .response(WAIT)
            .await
            .expect("the interaction was answered")
    };

    // An interaction the host cannot parse (an option shape newer than its library).
    let unreadable = json!({"id": "1", "name": "count", "type": 1, "options": [{"name": "x", "type": 99, "value": {"new": true}}]});
    let handle = bot
        .sim
        .try_raw_interaction(2, ids.alice, ids.bot_commands, unreadable.clone())
        .expect("sent");
    let outcome = answered(handle).await;
    let text = outcome.content().unwrap_or_default();
    assert!(
        outcome.callback_type == 4
            && outcome.is_ephemeral()
            && text.contains("could not handle this command"),
        "{text}"
    );
    // The same as autocomplete: an empty choice list.
    let handle = bot
        .sim
        .try_raw_interaction(4, ids.alice, ids.bot_commands, unreadable)
        .expect("sent");
    let outcome = answered(handle).await;
    assert_eq!(outcome.callback_type, 8);
    assert_eq!(outcome.data.expect("data")["choices"], json!([]));

    // A form for a module that does not exist, and one no module's prefix.
    for custom_id in ["nosuchmodule:form", "no-prefix"] {
        let outcome = answered(
            bot.sim
                .submit_modal(ids.alice, ids.bot_commands, custom_id, &[("field", "x")])
                .await,
        )
        .await;
        assert!(
            outcome.is_ephemeral(),
            "{custom_id}: {:?}",
            outcome.content()
        );
    }
    // A button press that arrives without its message.
    let handle = bot
        .sim
        .try_raw_interaction(
            3,
            ids.alice,
            ids.bot_commands,
            json!({"custom_id": "counter:x", "component_type": 2}),
        )
        .expect("sent");
    let outcome = answered(handle).await;
    let text = outcome.content().unwrap_or_default();
    assert!(
        outcome.is_ephemeral() && text.contains("could not handle this button"),
        "{text}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subcommand_permissions_are_the_hosts_and_a_refusal_is_an_answer_not_a_failure() {
    let (mut bot, ()) = Bot::prepare(&[("misbehaving", fixture("misbehaving"))], |_, _| ()).await;
    bot.boot_every_server(|_| {}).await;
    let ids = bot.ids;

    // `gate` itself needs nothing; only its `locked` subcommand needs Manage Server, which
    // Discord cannot check (it knows only the top level): the host does, for prefix and slash.
    assert_eq!(
        bot.prefix_in(ids.bob, ids.bot_commands, "!gate open").await,
        "passed the open door"
    );
    let text = bot
        .prefix_in(ids.bob, ids.bot_commands, "!gate locked")
        .await;
    assert!(
        text.contains("You need the Manage Server permission to use `gate locked`"),
        "{text}"
    );
    let (text, ephemeral) = bot
        .slash(ids.bob, "gate", json!([{"name": "locked", "type": 1}]))
        .await;
    assert!(text.contains("to use `gate locked`") && ephemeral, "{text}");
    assert_eq!(
        bot.prefix_in(ids.alice, ids.bot_commands, "!gate locked")
            .await,
        "passed the locked door"
    );

    // A reply's allowed mentions reach Discord, for prefix and slash answers alike.
    let named = bot.prefix_in(ids.bob, ids.bot_commands, "!quiet").await;
    assert_eq!(named, format!("<@{}> was named", ids.bob));
    bot.slash(ids.bob, "quiet", json!([])).await;
    let sent: Vec<_> = bot
        .sim
        .requests()
        .into_iter()
        .filter_map(|r| r.body)
        .filter(|body| {
            let text = body["content"]
                .as_str()
                .or(body["data"]["content"].as_str())
                .unwrap_or_default();
            text.ends_with("was named")
        })
        .collect();
    assert_eq!(sent.len(), 2, "{sent:?}");
    for body in sent {
        let mentions = body
            .get("allowed_mentions")
            .or(body["data"].get("allowed_mentions"));
        assert_eq!(mentions.map(|m| &m["parse"]), Some(&json!([])), "{body}");
    }

    // `Error::refused` reaches the member as the module wrote it and is no module failure.
    assert_eq!(
        bot.prefix_in(ids.bob, ids.bot_commands, "!gate refuse")
            .await,
        "nobody passes this door"
    );
    let status = bot
        .app()
        .manager
        .status()
        .into_iter()
        .find(|s| s.name == "misbehaving")
        .expect("misbehaving is loaded");
    assert_eq!(status.calls_failed, 0, "a refusal is not a failure");
    assert_eq!(status.state.last_error, None);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_module_is_reported_to_the_member_and_a_reload_replaces_it() {
    let (mut bot, ()) = Bot::prepare(
        &[
            ("stuck", fixture("stuck")),
            ("counter", fixture("counter-v1")),
        ],
        |_, _| (),
    )
    .await;
    // `[modules]` in arsenal.toml: short limits, so the test sees them.
    bot.boot_every_server(|settings| {
        settings.modules.call_timeout = Duration::from_millis(500);
        settings.modules.stall_after = Duration::from_millis(200);
    })
    .await;
    let ids = bot.ids;

    // The member is told, ephemerally, instead of waiting for ever.
    let (text, ephemeral) = bot.slash(ids.bob, "hang", json!([])).await;
    assert!(
        text.contains("module stuck did not answer within") && ephemeral,
        "{text}"
    );
    // Another module, and the gateway, carry on.
    assert_eq!(
        bot.prefix_in(ids.bob, ids.bot_commands, "!count").await,
        "count=0"
    );
    // A reload of the stuck module returns and a fresh worker serves it.
    let reloaded = bot
        .prefix_in(ids.owner, ids.bot_commands, "!module reload stuck")
        .await;
    assert!(!reloaded.contains("failed"), "{reloaded}");
    assert_eq!(
        bot.prefix_in(ids.bob, ids.bot_commands, "!ok").await,
        "ok 1.0.0"
    );
    let status = bot
        .app()
        .manager
        .status()
        .into_iter()
        .find(|s| s.name == "stuck")
        .expect("stuck is loaded");
    assert_eq!(status.abandoned_workers, 1);
    // Shutdown is bounded and closes the store (`stop` asserts a clean shutdown).
    bot.stop().await;
}
