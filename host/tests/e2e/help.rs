//! `/help` and `/simple_help` end to end: generated from the modules loaded now, filtered by the
//! member's permissions, command mentions carrying the ids Discord gave, the category menu.

use discord_sim::InteractionOutcome;
use serde_json::json;
use twilight_model::id::{marker::UserMarker, Id};

use super::common::bot::{Bot, WAIT};

/// Runs `/name` as `user` and returns the bot's answer.
async fn run(bot: &Bot, user: Id<UserMarker>, name: &str) -> InteractionOutcome {
    bot.sim
        .run_slash_command(user, bot.ids.bot_commands, name, json!([]))
        .await
        .wait_until(WAIT, |o| o.message.is_some())
        .await
        .unwrap_or_else(|| panic!("/{name} was not answered"))
}

fn description(outcome: &InteractionOutcome) -> String {
    outcome.data.as_ref().map_or(String::new(), |d| {
        d["embeds"][0]["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    })
}

fn menu_id(outcome: &InteractionOutcome) -> String {
    outcome.data.as_ref().map_or(String::new(), |d| {
        d["components"][0]["components"][0]["custom_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    })
}

/// Picks `value` in the help menu of `outcome`'s message, as `user`.
async fn pick(
    bot: &Bot,
    user: Id<UserMarker>,
    outcome: &InteractionOutcome,
    value: &str,
) -> InteractionOutcome {
    let message = outcome.message.as_ref().expect("the help message").id;
    bot.sim
        .select_menu(user, message, &menu_id(outcome), &[value])
        .await
        .response(WAIT)
        .await
        .expect("the pick was answered")
}

fn command_id(bot: &Bot, name: &str) -> String {
    let guild = bot.ids.guild;
    bot.sim
        .with_world(|w| w.guild_commands(guild))
        .into_iter()
        .find(|c| c.name == name)
        .and_then(|c| c.id)
        .map(|id| id.to_string())
        .unwrap_or_else(|| panic!("/{name} is registered"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_shows_what_each_member_may_run_and_follows_the_loaded_modules() {
    let bot = Bot::start("counter-v1").await;
    let ids = bot.ids;

    // bob is a plain member: counter's commands, not welcome's (Manage Server) nor the admin
    // built-ins.
    let bobs = run(&bot, ids.bob, "help").await;
    assert!(bobs.is_ephemeral(), "only the member sees their help");
    let overview = description(&bobs);
    assert!(overview.contains("**counter**"), "{overview}");
    assert!(!overview.contains("**welcome**"), "{overview}");
    assert_eq!(menu_id(&bobs), format!("arsenal.help:{}", ids.bob));
    let alices = run(&bot, ids.alice, "help").await;
    assert!(description(&alices).contains("**welcome**"));

    // The menu switches category, in place, with clickable mentions and the prefix forms.
    let counter = pick(&bot, ids.bob, &bobs, "counter").await;
    assert_eq!(counter.callback_type, 7, "the help message is updated");
    let body = description(&counter);
    let count = command_id(&bot, "count");
    assert!(
        body.contains(&format!("</count:{count}> · `!count`")),
        "{body}"
    );
    let builtins = description(&pick(&bot, ids.bob, &bobs, "arsenal-host").await);
    assert!(builtins.contains("</help:"), "{builtins}");
    for admin_only in ["reload", "</prefix", "`!prefix", "!module", "save_all"] {
        assert!(!builtins.contains(admin_only), "{admin_only}: {builtins}");
    }
    let admin = description(&pick(&bot, ids.alice, &alices, "arsenal-host").await);
    assert!(admin.contains("</reload module:"), "{admin}");
    assert!(admin.contains("`!module unload`"), "{admin}");

    // Someone else's pick gets their own help, not bob's message changed.
    let carols = pick(&bot, ids.carol, &bobs, "counter").await;
    assert_eq!(carols.callback_type, 4);
    assert!(carols.is_ephemeral());
    assert_eq!(menu_id(&carols), format!("arsenal.help:{}", ids.carol));

    // One message for /simple_help.
    let simple = run(&bot, ids.bob, "simple_help").await;
    let text = simple.content().unwrap_or_default();
    assert!(text.chars().count() <= 2000, "{text}");
    assert!(
        text.contains(&format!("**counter**: </count:{count}>")),
        "{text}"
    );
    assert!(!text.contains("welcome"), "{text}");
    let prefixed = bot.prefix(ids.bob, "!simple_help").await;
    assert!(prefixed.contains("**counter**"), "{prefixed}");

    // Unloading a module takes it out of the help, and out of a menu shown before.
    let unloaded = bot.prefix(ids.alice, "!module unload counter").await;
    assert!(unloaded.contains("unloaded"), "{unloaded}");
    let after = description(&run(&bot, ids.bob, "help").await);
    assert!(!after.contains("**counter**"), "{after}");
    let stale = pick(&bot, ids.bob, &bobs, "counter").await;
    let content = stale
        .data
        .as_ref()
        .and_then(|d| d["content"].as_str().map(str::to_owned))
        .unwrap_or_default();
    assert!(content.contains("`counter` is gone"), "{content}");
    let loaded = bot.prefix(ids.alice, "!module load counter").await;
    assert!(loaded.contains("loaded"), "{loaded}");
    let back = description(&run(&bot, ids.bob, "help").await);
    assert!(back.contains("**counter**"), "{back}");

    bot.stop().await;
}
