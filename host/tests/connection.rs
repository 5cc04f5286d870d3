//! The connection to Discord through the real host against the simulator: slash commands are
//! always there (checked against Discord at start), `/reload` only in the control server, gateway
//! intents that follow the loaded modules, and no blocking disk work on the async runtime
//! (heartbeats keep their cadence during `!save_all`, prefixes served from memory).

mod common;

use std::time::{Duration, Instant};

use arsenal_host::{app::App, paths::Paths};
use common::{
    bot::{Bot, WAIT},
    fixture, install, plugin,
};
use serde_json::json;

impl Bot {
    async fn start(counter: &str) -> Self {
        Self::start_with(&[
            ("counter", fixture(counter)),
            ("welcome", plugin("welcome")),
        ])
        .await
    }
}

/// A host on a simulator started from `config`, not booted yet (`bot.boot()` or
/// [`start_app`]).
async fn bot_on(config: discord_sim::SimConfig, modules: &[(&str, std::path::PathBuf)]) -> Bot {
    let sim = discord_sim::Simulator::start(config)
        .await
        .expect("simulator");
    let ids = sim.with_world(|w| w.demo_ids()).expect("demo ids");
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    common::link_runtime(&dir.path().join("plugins"));
    for (name, library) in modules {
        install(&dir.path().join("plugins"), name, library);
    }
    Bot {
        sim,
        ids,
        dir,
        app: None,
    }
}

/// Starts the host of `bot` with `settings` and waits for the demo guild to be known.
async fn start_app(bot: &Bot, settings: arsenal_host::config::DiscordSettings) -> App {
    start_app_on_store(bot, settings, None).await
}

/// [`start_app`] with the store in PostgreSQL at `store_url` (`None`: the JSON store).
async fn start_app_on_store(
    bot: &Bot,
    settings: arsenal_host::config::DiscordSettings,
    store_url: Option<String>,
) -> App {
    let paths = Paths::new(bot.dir.path().to_path_buf(), None).with_store_url(store_url);
    let app = App::start(&paths, Some(settings))
        .await
        .expect("host starts");
    let shared = std::sync::Arc::clone(&app.discord.as_ref().expect("connected").shared);
    let deadline = Instant::now() + WAIT;
    while shared.cache.guild(bot.ids.guild).is_none() {
        assert!(
            Instant::now() < deadline,
            "the host never received GUILD_CREATE"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    app
}

fn command_names(commands: &[twilight_model::application::command::Command]) -> Vec<String> {
    let mut names: Vec<String> = commands.iter().map(|c| c.name.clone()).collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_commands_come_back_when_discord_lost_them() {
    let mut bot = Bot::start("counter-v1").await;
    let guild = bot.ids.guild;
    let declared = command_names(&bot.sim.with_world(|w| w.guild_commands(guild)));
    assert!(declared.contains(&"count".to_owned()), "{declared:?}");

    // Someone deletes the commands in the developer portal while the bot is stopped.
    bot.sim.modify_world(|w| w.clear_commands(Some(guild)));
    bot.restart().await;
    assert_eq!(
        command_names(&bot.sim.with_world(|w| w.guild_commands(guild))),
        declared,
        "the start-up check saw Discord's empty list and registered the set again"
    );
    assert_eq!(
        bot.sim
            .with_world(|w| w.command_stats(Some(guild)))
            .overwrites,
        2
    );
    assert_eq!(
        bot.slash(bot.ids.bob, "count", json!([])).await.0,
        "count=0"
    );
    // At start one GET of the scope, and no write when Discord already has the set.
    bot.sim.clear_log();
    bot.restart().await;
    assert_eq!(
        bot.sim
            .requests_matching("GET /applications/{application_id}/guilds/{guild_id}/commands")
            .len(),
        1
    );
    assert_eq!(
        bot.sim
            .with_world(|w| w.command_stats(Some(guild)))
            .overwrites,
        2
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_run_twice_has_its_slash_commands() {
    let mut bot = Bot::start("counter-v1").await;
    let app = bot.app.take().expect("running");
    app.shutdown().await.expect("clean shutdown");
    // `cargo xtask run` again: a brand-new simulator, the same data folder (and its stored
    // fingerprint of the last sync).
    let fresh = discord_sim::Simulator::start(discord_sim::SimConfig::default())
        .await
        .expect("simulator");
    let old = std::mem::replace(&mut bot.sim, fresh);
    old.shutdown().await;
    bot.ids = bot.sim.with_world(|w| w.demo_ids()).expect("demo ids");
    bot.app = Some(bot.boot().await);
    let names = command_names(&bot.sim.with_world(|w| w.guild_commands(bot.ids.guild)));
    assert!(
        names.contains(&"count".to_owned()) && names.contains(&"reload".to_owned()),
        "{names:?}"
    );
    let (answer, _) = bot.slash(bot.ids.bob, "count", json!([])).await;
    assert_eq!(
        answer, "count=0",
        "not \"no slash commands are registered yet\""
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_is_registered_in_the_control_server_only() {
    let mut world = discord_sim::World::demo();
    let owner = world.owner_id();
    let control = world.add_guild("Arsenal Control", owner);
    let can_talk = twilight_model::guild::Permissions::VIEW_CHANNEL
        | twilight_model::guild::Permissions::SEND_MESSAGES;
    world.add_bot_role(control, can_talk.bits(), 1);
    let config = discord_sim::SimConfig {
        world,
        ..discord_sim::SimConfig::default()
    };
    let mut bot = bot_on(config, &[("counter", fixture("counter-v1"))]).await;
    let main = bot.ids.guild;
    let settings = arsenal_host::config::DiscordSettings {
        control_guild: Some(control),
        ..bot.settings()
    };
    bot.app = Some(start_app(&bot, settings.clone()).await);
    let in_main = command_names(&bot.sim.with_world(|w| w.guild_commands(main)));
    assert!(in_main.contains(&"count".to_owned()) && in_main.contains(&"prefix".to_owned()));
    assert!(!in_main.contains(&"reload".to_owned()), "{in_main:?}");
    assert_eq!(
        command_names(&bot.sim.with_world(|w| w.guild_commands(control))),
        ["reload"]
    );

    // A reload keeps syncing only on change, per scope.
    bot.app()
        .manager
        .reload("counter", arsenal_host::plugins::Trigger::Command)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let writes = |g| bot.sim.with_world(|w| w.command_stats(Some(g))).overwrites;
    assert_eq!((writes(main), writes(control)), (1, 1));

    // Without a control server, /reload is back with the others and leaves the old one.
    let app = bot.app.take().expect("running");
    app.shutdown().await.expect("clean shutdown");
    bot.app = Some(bot.boot().await);
    let in_main = command_names(&bot.sim.with_world(|w| w.guild_commands(main)));
    assert!(in_main.contains(&"reload".to_owned()), "{in_main:?}");
    assert!(bot.sim.with_world(|w| w.guild_commands(control)).is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_needing_more_intents_gets_its_events_after_a_new_identify() {
    const GUILD_MEMBERS: u64 = 1 << 1;
    let bot = Bot::start_with(&[("counter", fixture("counter-v1"))]).await;
    let ids = bot.ids;
    let first = bot.sim.shard_stats(0);
    assert_eq!(first.identifies, 1);
    assert_eq!(
        first.intents & GUILD_MEMBERS,
        0,
        "no module needs members yet"
    );

    // The welcome module (GUILD_MEMBERS) is dropped into the plugins folder.
    install(
        &bot.dir.path().join("plugins"),
        "welcome",
        &plugin("welcome"),
    );
    let deadline = Instant::now() + WAIT;
    while bot.sim.shard_stats(0).identifies < 2
        || !bot
            .sim
            .with_world(|w| w.guild_commands(ids.guild))
            .iter()
            .any(|c| c.name == "welcome")
    {
        assert!(
            Instant::now() < deadline,
            "no new IDENTIFY, or /welcome never registered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(bot.sim.wait_gateway_ready(1, WAIT).await);
    let stats = bot.sim.shard_stats(0);
    assert_eq!(stats.identifies, 2);
    assert_ne!(stats.intents & GUILD_MEMBERS, 0, "{stats:?}");
    assert_eq!(
        stats.intents & first.intents,
        first.intents,
        "nothing dropped"
    );
    let shared = &bot.app().discord.as_ref().expect("connected").shared;
    assert_ne!(shared.intents().bits() & GUILD_MEMBERS, 0);

    let general = ids.general.to_string();
    let (text, _) = bot
        .slash(
            ids.alice,
            "welcome",
            json!([{"name": "channel", "type": 1, "options": [{"name": "channel", "value": general}]}]),
        )
        .await;
    assert!(text.contains(&format!("<#{}>", ids.general)), "{text}");
    let message = json!([{"name": "message", "type": 1, "options": [{"name": "text", "value": "Hi {user}!"}]}]);
    let (text, _) = bot.slash(ids.alice, "welcome", message).await;
    assert!(text.starts_with("Saved."), "{text}");
    let dave = bot.sim.member_join(ids.guild, "dave").await;
    let greeting = format!("Hi <@{dave}>!");
    bot.sim
        .wait_for(WAIT, |w| {
            w.messages(ids.general)
                .into_iter()
                .find(|m| m.content == greeting)
        })
        .await
        .expect("GUILD_MEMBER_ADD reached the module after the new IDENTIFY");
    // The old session is retired: each command and event is handled once.
    assert_eq!(bot.prefix(ids.bob, "!count").await, "count=0");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let greetings = bot
        .sim
        .with_world(|w| w.messages(ids.general))
        .into_iter()
        .filter(|m| m.content == greeting)
        .count();
    let replies = bot
        .sim
        .with_world(|w| w.messages(ids.bot_commands))
        .into_iter()
        .filter(|m| m.content == "count=0")
        .count();
    assert_eq!((greetings, replies), (1, 1));
    assert_eq!(
        bot.sim.shard_stats(0).identifies,
        2,
        "the retired shard closed for good instead of identifying again"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefixes_are_served_from_memory_and_load_all_takes_in_a_hand_edit() {
    let bot = Bot::start_with(&[("counter", fixture("counter-v1"))]).await;
    let ids = bot.ids;
    let set = bot.prefix(ids.alice, "!prefix ?").await;
    assert_eq!(set, "Prefix set to `?`: try `?module list`.");
    assert_eq!(bot.prefix(ids.bob, "?count").await, "count=0");
    let saved = bot.prefix(ids.owner, "?save_all").await;
    assert!(saved.starts_with("Saved:"), "{saved}");
    // An administrator edits the guild's prefix in the namespace file by hand.
    let file = bot.dir.path().join("store").join("arsenal.guilds.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"?\""), "{text}");
    std::fs::write(&file, text.replace("\"?\"", "\"%\"")).unwrap();
    let loaded = bot.prefix(ids.owner, "?load_all").await;
    assert!(loaded.contains("`arsenal.guilds` (1 changed"), "{loaded}");
    assert_eq!(bot.prefix(ids.bob, "%count").await, "count=0");
    bot.stop().await;
}

/// One runtime worker: store work on it would stop every shard's heartbeat. 50 000 keys take
/// about a second to compact in a debug build; `ARSENAL_SAVE_ALL_KEYS=1000000` measures the
/// issue's 1M-key namespace (figure in BENCHMARKS.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn heartbeats_keep_their_cadence_during_save_all() {
    let keys: usize = std::env::var("ARSENAL_SAVE_ALL_KEYS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50_000);
    let interval = Duration::from_millis(100);
    let config = discord_sim::SimConfig {
        heartbeat_interval: interval,
        ..discord_sim::SimConfig::default()
    };
    let mut bot = bot_on(config, &[("counter", fixture("counter-v1"))]).await;
    bot.app = Some(bot.boot().await);
    let store = bot.app().store.clone();
    for chunk in 0..keys.div_ceil(10_000) {
        let mut txn = arsenal_store::Transaction::new();
        for i in 0..10_000 {
            txn = txn.set(
                format!("k{:07}", chunk * 10_000 + i),
                json!({"n": i, "name": "a value"}),
            );
        }
        store.commit("plugin.big", txn).unwrap();
    }
    tokio::time::sleep(interval * 3).await;

    let started = Instant::now();
    let channel = bot.ids.bot_commands;
    let sent = bot
        .sim
        .send_message(bot.ids.owner, channel, "!save_all")
        .await;
    let saved = bot
        .sim
        .wait_for(Duration::from_secs(600), |w| {
            w.messages(channel)
                .into_iter()
                .find(|m| m.reference.as_ref().and_then(|r| r.message_id) == Some(sent))
                .map(|m| m.content)
        })
        .await
        .expect("save_all answered");
    let took = started.elapsed();
    assert!(saved.starts_with("Saved:"), "{saved}");
    tokio::time::sleep(interval * 3).await;
    let beats: Vec<Instant> = bot
        .sim
        .heartbeats(0)
        .into_iter()
        .filter(|t| *t + interval * 2 >= started)
        .collect();
    let longest = beats
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or_default();
    eprintln!(
        "save_all of {keys} keys took {took:?}; {} heartbeats, longest gap {longest:?}",
        beats.len()
    );
    assert!(beats.len() >= 4, "heartbeats arrived: {}", beats.len());
    assert!(
        longest < interval * 4,
        "a heartbeat gap of {longest:?} (interval {interval:?}) while save_all ran for {took:?}"
    );
    bot.stop().await;
}

/// The host on the PostgreSQL store: a module records messages in its store, the host restarts,
/// and the module finds its data in the database (and none of it in the data folder).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_postgres_store_a_modules_data_survives_a_restart() {
    let schema = arsenal_store::TestSchema::create_or_explain();
    let url = schema.url().to_owned();
    let mut bot = bot_on(
        discord_sim::SimConfig::default(),
        &[("counter", fixture("counter-v1"))],
    )
    .await;
    bot.app = Some(start_app_on_store(&bot, bot.settings(), Some(url.clone())).await);
    for seq in 0..3 {
        bot.sim
            .send_message(bot.ids.bob, bot.ids.general, &format!("seq:{seq}"))
            .await;
    }
    let deadline = Instant::now() + WAIT;
    while bot.handled().len() < 3 {
        assert!(
            Instant::now() < deadline,
            "only {:?} handled",
            bot.handled()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(bot.prefix(bot.ids.bob, "!count").await, "count=3");

    let app = bot.app.take().expect("running");
    app.shutdown().await.expect("clean shutdown");
    bot.app = Some(start_app_on_store(&bot, bot.settings(), Some(url.clone())).await);
    assert_eq!(bot.prefix(bot.ids.bob, "!count").await, "count=3");
    assert_eq!(bot.handled(), [0, 1, 2]);
    let status = arsenal_host::builtin::persistence::persistent_status(&bot.app().store).await;
    assert!(status.contains("PostgreSQL"), "{status}");

    // The data is in the database, not in the data folder.
    let reader = tokio::task::spawn_blocking(move || arsenal_store::Store::open_postgres(&url))
        .await
        .expect("no panic")
        .expect("the database opens");
    let handled = tokio::task::spawn_blocking(move || reader.get("plugin.counter", "handled"))
        .await
        .expect("no panic")
        .expect("read");
    assert_eq!(handled.map(|v| v.value), Some(json!(3)));
    assert!(!bot
        .dir
        .path()
        .join("store")
        .join("plugin.counter.json")
        .exists());
    bot.stop().await;
}
