//! End to end through the real twilight gateway and REST clients against the simulator:
//! identify/ready, slash and prefix commands, permission refusals, resume without losing
//! events, 429 handling, command sync only on change, durable timers across a restart,
//! graceful shutdown. Every test ends by checking that Discord would have accepted every request.

#[path = "e2e/browser.rs"]
mod browser;
#[path = "e2e/canary.rs"]
mod canary;
mod common;
#[path = "e2e/dashboard.rs"]
mod dashboard;
#[path = "e2e/fleet.rs"]
mod fleet;
#[path = "e2e/help.rs"]
mod help;
#[path = "e2e/metrics.rs"]
mod metrics;
#[path = "e2e/voice.rs"]
mod voice;
#[path = "e2e/voice_sources.rs"]
mod voice_sources;

use std::time::{Duration, Instant};

use arsenal_host::{
    app::App,
    config::{DiscordSettings, Token},
    paths::Paths,
};
use common::{
    bot::{Bot, WAIT},
    fixture, install, plugin,
};
use discord_sim::{SimConfig, Simulator};
use serde_json::json;

impl Bot {
    async fn start(counter: &str) -> Self {
        Self::start_with(&[
            ("counter", fixture(counter)),
            ("welcome", plugin("welcome")),
        ])
        .await
    }

    /// The counter module (v1) against a simulator that sends heartbeats every 200 ms (so
    /// twilight measures a latency), booted with the usual settings as `configure` changes them.
    async fn start_counter_with(
        configure: impl FnOnce(DiscordSettings) -> DiscordSettings,
    ) -> Self {
        let sim = Simulator::start(SimConfig {
            heartbeat_interval: Duration::from_millis(200),
            ..SimConfig::default()
        })
        .await
        .expect("simulator");
        let ids = sim.with_world(|w| w.demo_ids()).expect("demo ids");
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
        let plugins = dir.path().join("plugins");
        std::fs::create_dir_all(&plugins).expect("plugins folder");
        common::link_runtime(&plugins);
        install(&plugins, "counter", &fixture("counter-v1"));
        let mut bot = Bot {
            sim,
            ids,
            dir,
            app: None,
        };
        let settings = configure(bot.settings());
        bot.app = Some(bot.boot_with(settings).await);
        bot
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_and_answered_with_permissions_enforced() {
    let bot = Bot::start("counter-v1").await;
    let ids = bot.ids;
    let registered: Vec<String> = bot
        .sim
        .with_world(|w| w.guild_commands(ids.guild))
        .into_iter()
        .map(|c| c.name)
        .collect();
    for name in ["count", "reload", "remind"] {
        assert!(
            registered.iter().any(|n| n == name),
            "{name} registered: {registered:?}"
        );
    }
    assert!(
        !registered.iter().any(|n| n == "module"),
        "prefix-only commands are not registered"
    );

    assert_eq!(
        bot.slash(ids.bob, "count", json!([])).await,
        ("count=0".to_owned(), false)
    );
    assert_eq!(bot.prefix(ids.bob, "!count").await, "count=0");

    let list = bot.prefix(ids.alice, "!module list").await;
    assert!(list.contains("**Loaded:** `counter`"), "{list}");
    let refused = bot.prefix(ids.bob, "!module list").await;
    assert!(
        refused.contains("acts on the bot in every server"),
        "{refused}"
    );
    let owner_only = bot.prefix(ids.alice, "!save_all").await;
    assert!(owner_only.contains("owners only"), "{owner_only}");
    let saved = bot.prefix(ids.owner, "!save_all").await;
    assert!(saved.starts_with("Saved:"), "{saved}");

    let (text, ephemeral) = bot
        .slash(
            ids.alice,
            "reload",
            json!([{"name": "status", "type": 1, "options": []}]),
        )
        .await;
    assert!(text.contains("`counter` 1.0.0") && ephemeral, "{text}");
    let (text, _) = bot.slash(ids.alice, "reload", json!([{"name": "module", "type": 1, "options": [{"name": "module", "value": "countr"}]}])).await;
    assert!(
        text.contains("Unknown module `countr`. Did you mean `counter`?"),
        "{text}"
    );
    let (text, _) = bot.slash(ids.alice, "reload", json!([{"name": "module", "type": 1, "options": [{"name": "module", "value": "../counter"}]}])).await;
    assert!(text.contains("looks like a path"), "{text}");
    let (text, _) = bot.slash(ids.alice, "reload", json!([{"name": "module", "type": 1, "options": [{"name": "module", "value": "counter"}]}])).await;
    assert!(
        text.contains("✅ `counter` reloaded: 1.0.0 → 1.0.0"),
        "{text}"
    );
    let usage = bot.prefix(ids.alice, "!module").await;
    assert!(usage.contains("reload"), "usage lists subcommands: {usage}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_resumes_without_losing_events() {
    let bot = Bot::start("counter-v1").await;
    let ids = bot.ids;
    for seq in 0..10 {
        bot.sim
            .send_message(ids.bob, ids.general, &format!("seq:{seq}"))
            .await;
    }
    assert!(
        bot.sim.faults().drop_connection(0).await,
        "a connection to drop"
    );
    for seq in 10..20 {
        bot.sim
            .send_message(ids.bob, ids.general, &format!("seq:{seq}"))
            .await;
    }
    let deadline = Instant::now() + WAIT;
    while bot.handled().len() < 20 {
        assert!(
            Instant::now() < deadline,
            "only {:?} handled",
            bot.handled()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        bot.handled(),
        (0..20).collect::<Vec<_>>(),
        "exactly once, in order"
    );
    let stats = bot.sim.shard_stats(0);
    assert_eq!((stats.identifies, stats.resumes), (1, 1), "{stats:?}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_honoured() {
    let bot = Bot::start("counter-v1").await;
    bot.sim.faults().rate_limit(
        1,
        Some("POST /channels/{channel_id}/messages"),
        Duration::from_millis(600),
    );
    let started = Instant::now();
    assert_eq!(bot.prefix(bot.ids.bob, "!count").await, "count=0");
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "waited for Retry-After"
    );
    // The simulator logs a request once it has answered it; give the log a moment.
    let route = "POST /channels/{channel_id}/messages";
    let deadline = Instant::now() + WAIT;
    while bot.sim.requests_matching(route).len() < 2 {
        assert!(
            Instant::now() < deadline,
            "the retried request was never logged"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let statuses: Vec<u16> = bot
        .sim
        .requests_matching(route)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [429, 200]);
    let body = bot
        .sim
        .requests_matching("POST /channels/{channel_id}/messages")[1]
        .body
        .clone()
        .unwrap();
    assert_eq!(
        body["allowed_mentions"]["parse"],
        json!(["users"]),
        "never @everyone or roles by default: {body}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_synced_only_when_the_set_changes() {
    let mut bot = Bot::start("counter-v1").await;
    let guild = Some(bot.ids.guild);
    assert_eq!(bot.sim.with_world(|w| w.command_stats(guild)).overwrites, 1);
    bot.restart().await;
    bot.app()
        .manager
        .reload("counter", arsenal_host::plugins::Trigger::Command)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        bot.sim.with_world(|w| w.command_stats(guild)).overwrites,
        1,
        "same set: nothing sent"
    );

    let initial = bot
        .sim
        .with_world(|w| w.guild_commands(bot.ids.guild))
        .len() as u32;
    install(
        &bot.dir.path().join("plugins"),
        "counter",
        &fixture("counter-v2"),
    );
    // The watcher loads the new file; the new command set is synced once.
    let deadline = Instant::now() + WAIT;
    while bot.sim.with_world(|w| w.command_stats(guild)).overwrites < 2 {
        assert!(Instant::now() < deadline, "v2's commands were never synced");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stats = bot.sim.with_world(|w| w.command_stats(guild));
    assert_eq!(
        (stats.overwrites, stats.new_commands),
        (2, initial + 1),
        "`reset` added: {stats:?}"
    );
    assert_eq!(
        bot.slash(bot.ids.bob, "reset", json!([])).await.0,
        "count=0 (v2)"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timer_fires_once_after_a_restart() {
    let mut bot = Bot::start("counter-v1").await;
    let ids = bot.ids;
    let (text, _) = bot
        .slash(ids.bob, "remind", json!([{"name": "ms", "value": 1500}]))
        .await;
    assert_eq!(text, "reminder set");
    bot.restart().await;
    let fired = bot
        .sim
        .wait_for(WAIT, |w| {
            w.messages(ids.bot_commands)
                .into_iter()
                .find(|m| m.content.starts_with("reminder fired"))
        })
        .await
        .expect("the reminder fired after the restart");
    assert_eq!(fired.content, "reminder fired (1.0.0)");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let count = bot
        .sim
        .with_world(|w| w.messages(ids.bot_commands))
        .iter()
        .filter(|m| m.content.starts_with("reminder fired"))
        .count();
    assert_eq!(count, 1, "fired once");
    assert!(bot.app().timers.pending(None).is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_drains_queued_events() {
    let mut bot = Bot::start("counter-v1").await;
    let before = bot.sim.shard_stats(0).dispatches_sent;
    for seq in 0..40 {
        bot.sim
            .send_message(bot.ids.bob, bot.ids.general, &format!("seq:{seq}"))
            .await;
    }
    let sim = &bot.sim;
    let deadline = Instant::now() + WAIT;
    while sim.shard_stats(0).dispatches_sent < before + 40 {
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let app = bot.app.take().unwrap();
    app.shutdown().await.unwrap();
    bot.app = Some(bot.boot().await);
    assert_eq!(bot.handled(), (0..40).collect::<Vec<_>>());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_is_one_clear_error() {
    let bot = Bot::start("counter-v1").await;
    let mut settings = bot.settings();
    settings.token = Some(Token::new("not-the-right-token"));
    let other = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let error = App::start(
        &Paths::new(other.path().to_path_buf(), None),
        Some(settings),
    )
    .await
    .err()
    .expect("refused");
    let text = format!("{error:#}");
    assert!(text.contains("rejected the bot token"), "{text}");
    assert!(
        !text.contains("not-the-right-token"),
        "the token never appears: {text}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_welcome_module_greets_members_across_a_reload() {
    let bot = Bot::start("counter-v1").await;
    let ids = bot.ids;
    let general = ids.general.to_string();
    let (text, _) = bot.slash(ids.alice, "welcome", json!([{"name": "channel", "type": 1, "options": [{"name": "channel", "value": general}]}])).await;
    assert!(text.contains(&format!("<#{}>", ids.general)), "{text}");
    let (text, ephemeral) = bot
        .slash(
            ids.bob,
            "welcome",
            json!([{"name": "show", "type": 1, "options": []}]),
        )
        .await;
    assert!(
        text.contains("You need the Manage Server permission"),
        "bob lacks Manage Server: {text}"
    );
    assert!(ephemeral);
    bot.slash(ids.alice, "welcome", json!([{"name": "message", "type": 1, "options": [{"name": "text", "value": "Hello {user}!"}]}])).await;

    let dave = bot.sim.member_join(ids.guild, "dave").await;
    let greeting = format!("Hello <@{dave}>!");
    bot.sim
        .wait_for(WAIT, |w| {
            w.messages(ids.general)
                .into_iter()
                .find(|m| m.content == greeting)
        })
        .await
        .expect("dave was greeted");

    bot.app()
        .manager
        .reload("welcome", arsenal_host::plugins::Trigger::Command)
        .await
        .unwrap();
    let erin = bot.sim.member_join(ids.guild, "erin").await;
    let greeting = format!("Hello <@{erin}>!");
    bot.sim
        .wait_for(WAIT, |w| {
            w.messages(ids.general)
                .into_iter()
                .find(|m| m.content == greeting)
        })
        .await
        .expect("the configuration survived the reload");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_guild_chooses_its_prefix_and_it_survives_a_restart() {
    let mut bot = Bot::start("counter-v1").await;
    let ids = bot.ids;
    let (text, _) = bot
        .slash(ids.bob, "prefix", json!([{"name": "prefix", "value": "?"}]))
        .await;
    assert!(
        text.contains("You need the Administrator permission"),
        "bob may not: {text}"
    );
    let (text, _) = bot
        .slash(
            ids.alice,
            "prefix",
            json!([{"name": "prefix", "value": "?"}]),
        )
        .await;
    assert_eq!(text, "Prefix set to `?`: try `?module list`.");
    assert_eq!(bot.prefix(ids.bob, "?count").await, "count=0");
    bot.restart().await;
    assert_eq!(bot.prefix(ids.bob, "?count").await, "count=0");
    let word = bot.prefix(ids.alice, "?prefix arsenal").await;
    assert_eq!(word, "Prefix set to `arsenal `: try `arsenal module list`.");
    assert_eq!(bot.prefix(ids.bob, "arsenal count").await, "count=0");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_carry_what_discord_resolved_about_named_users() {
    let bot = Bot::start("counter-v1").await;
    let ids = bot.ids;
    let (text, _) = bot
        .slash(
            ids.alice,
            "whois",
            json!([{"name": "user", "value": ids.bob.to_string()}]),
        )
        .await;
    assert_eq!(text, "bob bot=false");
    assert_eq!(
        bot.prefix(ids.alice, &format!("!whois <@{}>", ids.bot))
            .await,
        "Arsenal bot=true"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_button_handler_is_acknowledged_in_time_and_applied_late() {
    let bot = Bot::start_with(&[("misbehaving", fixture("misbehaving"))]).await;
    let ids = bot.ids;
    let handle = bot
        .sim
        .run_slash_command(ids.bob, ids.bot_commands, "slowbutton", json!([]))
        .await;
    let outcome = handle
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .expect("answered");
    let message = outcome.message.expect("a message with the button").id;
    let click = bot
        .sim
        .click_button(ids.bob, message, "misbehaving:slow")
        .await;
    let acknowledged = click
        .response(Duration::from_secs(3))
        .await
        .expect("acknowledged within Discord's window");
    assert_eq!(acknowledged.callback_type, 6, "deferred update");
    let updated = bot
        .sim
        .wait_for(WAIT, |w| {
            w.find_message(message)
                .filter(|m| m.content.starts_with("updated late"))
        })
        .await
        .expect("the late answer was applied to the message");
    assert_eq!(updated.content, "updated late by bob");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_builtin_answers_administrators_and_owners() {
    let bot = Bot::start("counter-v1").await;
    let ids = bot.ids;
    let reload = |sub: &str| json!([{"name": sub, "type": 1, "options": []}]);

    // Autocomplete of module names for /reload module.
    let typing = json!([{"name": "module", "type": 1, "options": [{"name": "module", "value": "cou", "focused": true}]}]);
    let handle = bot
        .sim
        .autocomplete(ids.alice, ids.bot_commands, "reload", typing)
        .await;
    let outcome = handle.response(WAIT).await.expect("choices");
    assert_eq!(outcome.callback_type, 8);
    assert_eq!(
        outcome.data.unwrap()["choices"],
        json!([{"name": "counter", "value": "counter"}])
    );

    // /reload all edits one message with progress, then a summary.
    let handle = bot
        .sim
        .run_slash_command(ids.alice, ids.bot_commands, "reload", reload("all"))
        .await;
    let done = handle
        .wait_until(WAIT, |o| {
            o.content().is_some_and(|c| c.contains("**Done:**"))
        })
        .await
        .expect("a summary");
    let summary = done.content().unwrap();
    assert!(
        summary.contains("✅ `counter`")
            && summary.contains("✅ `welcome`")
            && summary.contains("2 reloaded, 0 failed"),
        "{summary}"
    );
    assert!(done.is_ephemeral());

    let logs = bot.prefix(ids.alice, "!module logs 2").await;
    assert!(
        logs.starts_with("**Reload history** (last 2)") && logs.contains("reloaded"),
        "{logs}"
    );

    let unloaded = bot.prefix(ids.alice, "!module unload counter").await;
    assert!(unloaded.contains("`counter` unloaded"), "{unloaded}");
    let gone = bot.prefix(ids.bob, "!count").await;
    assert_eq!(gone, "`count` belongs to the module `counter`, which is not loaded right now. An administrator can load it with `!module load counter`.");
    let listed = bot.prefix(ids.alice, "!module list").await;
    assert!(
        listed.contains("**On disk, not loaded:** `counter`"),
        "{listed}"
    );
    let loaded = bot.prefix(ids.alice, "!module load counter").await;
    assert!(loaded.contains("`counter` 1.0.0 loaded"), "{loaded}");
    assert_eq!(bot.prefix(ids.bob, "!count").await, "count=0");

    let status = bot.prefix(ids.alice, "!persistent_status").await;
    assert!(status.contains("`arsenal.reload_history`"), "{status}");
    assert!(bot
        .prefix(ids.alice, "!load_all")
        .await
        .contains("owners only"));
    let reloaded = bot.prefix(ids.owner, "!load_all").await;
    assert!(reloaded.starts_with("Reloaded"), "{reloaded}");
    let unknown = bot.prefix(ids.alice, "!module reload economi").await;
    assert!(unknown.contains("Unknown module `economi`"), "{unknown}");
    bot.stop().await;
}
