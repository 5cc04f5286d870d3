//! A canary by server end to end: two servers in the simulator, the bot's owner starts
//! `counter.canary.so` for the second one with `!module reload counter canary:<id>`, members of
//! each server get their own version's answer, `/reload status` shows both, a restart keeps
//! the canary, and `/reload promote` gives every server the new version.

use std::{sync::Arc, time::Instant};

use arsenal_host::{app::App, paths::Paths};
use discord_sim::{
    world::{channel_kind, DEMO_BOT_PERMISSIONS},
    SimConfig, Simulator, World,
};
use serde_json::json;
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, UserMarker},
    Id,
};

use super::common::{
    bot::{Bot, WAIT},
    fixture, install, link_runtime,
};

/// The second server, owned by dave.
struct Other {
    guild: Id<GuildMarker>,
    general: Id<ChannelMarker>,
    dave: Id<UserMarker>,
}

/// Starts (or restarts) the host and waits until it knows both servers.
async fn boot(bot: &mut Bot) {
    if let Some(app) = bot.app.take() {
        app.shutdown().await.expect("clean shutdown");
    }
    let paths = Paths::new(bot.dir.path().to_path_buf(), None);
    let app = App::start(&paths, Some(bot.settings()))
        .await
        .expect("host starts");
    let shared = Arc::clone(&app.discord.as_ref().expect("connected").shared);
    let guilds = bot.sim.with_world(World::guild_ids);
    let deadline = Instant::now() + WAIT;
    while guilds.iter().any(|g| shared.cache.guild(*g).is_none()) {
        assert!(
            Instant::now() < deadline,
            "the host never received every GUILD_CREATE"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    bot.app = Some(app);
}

async fn reload(bot: &Bot, sub: &str) -> String {
    let options = json!([{"name": sub, "type": 1, "options": [{"name": "module", "type": 3, "value": "counter"}]}]);
    let (text, ephemeral) = bot.slash(bot.ids.owner, "reload", options).await;
    assert!(ephemeral, "/reload {sub} answers privately");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_canary_serves_one_server_survives_a_restart_and_is_promoted() {
    let sim = Simulator::start(SimConfig::default())
        .await
        .expect("simulator");
    let ids = sim.with_world(|w| w.demo_ids()).expect("demo ids");
    let other = sim.modify_world(|w| {
        let dave = w.add_user("dave");
        let guild = w.add_guild("Other Server", dave);
        w.add_bot_role(guild, DEMO_BOT_PERMISSIONS.bits(), 3);
        let general = w.add_channel(guild, "other-general", channel_kind::GUILD_TEXT, None);
        Other {
            guild,
            general,
            dave,
        }
    });
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let plugins = dir.path().join("plugins");
    std::fs::create_dir_all(&plugins).expect("plugins folder");
    link_runtime(&plugins);
    install(&plugins, "counter", &fixture("counter-v1"));
    let mut bot = Bot {
        sim,
        ids,
        dir,
        app: None,
    };
    boot(&mut bot).await;

    // A server id that is not a number, or a server the bot is not in, is refused plainly.
    let refused = bot
        .prefix(ids.owner, "!module reload counter canary:tomorrow")
        .await;
    assert!(
        refused.contains("`canary:tomorrow` is not a server id"),
        "{refused}"
    );
    let refused = bot
        .prefix(ids.owner, "!module reload counter canary:123456")
        .await;
    assert!(
        refused.contains("The bot is not in server 123456"),
        "{refused}"
    );
    let refused = bot
        .prefix(
            ids.owner,
            &format!("!module reload counter canary:{}", other.guild),
        )
        .await;
    assert!(
        refused.contains("counter.canary.so"),
        "no file yet: {refused}"
    );
    // Only the bot's owners (and the control server's administrators) may start one.
    let denied = bot
        .prefix_in(
            other.dave,
            other.general,
            &format!("!module reload counter canary:{}", other.guild),
        )
        .await;
    assert!(!denied.contains("canary"), "{denied}");

    install(&plugins, "counter.canary", &fixture("counter-v2"));
    let started = bot
        .prefix(
            ids.owner,
            &format!("!module reload counter canary:{}", other.guild),
        )
        .await;
    assert!(
        started.contains(&format!(
            "`counter` 2.0.0 is a canary in server {}",
            other.guild
        )) && started.contains("every other server stays on 1.0.0"),
        "{started}"
    );
    assert_eq!(
        bot.prefix_in(other.dave, other.general, "!count").await,
        "count=0 (v2)"
    );
    assert_eq!(bot.prefix(ids.alice, "!count").await, "count=0");

    let status = reload(&bot, "status").await;
    assert!(
        status.contains(&format!("🐤 canary in server {}", other.guild))
            && status.contains("`counter` 2.0.0")
            && status.contains("every other server runs 1.0.0"),
        "{status}"
    );

    // A restart keeps it.
    boot(&mut bot).await;
    assert_eq!(
        bot.prefix_in(other.dave, other.general, "!count").await,
        "count=0 (v2)"
    );
    assert_eq!(bot.prefix(ids.alice, "!count").await, "count=0");

    let promoted = reload(&bot, "promote").await;
    assert!(promoted.contains("now serves every server"), "{promoted}");
    assert_eq!(bot.prefix(ids.alice, "!count").await, "count=0 (v2)");
    assert_eq!(
        bot.prefix_in(other.dave, other.general, "!count").await,
        "count=0 (v2)"
    );
    let again = reload(&bot, "rollback").await;
    assert!(again.contains("has no canary"), "{again}");
    let logs = bot.prefix(ids.owner, "!module logs").await;
    assert!(
        logs.contains("canary 1.0.0 → 2.0.0") && logs.contains("promoted 1.0.0 → 2.0.0"),
        "{logs}"
    );
    bot.stop().await;
}
