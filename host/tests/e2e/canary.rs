//! A canary by server end to end: two servers in the simulator, the bot's owner starts
//! `counter.canary.so` for the second one with `!module reload counter canary:<id>`, members of
//! each server get their own version's answer, `/reload status` shows both, a restart keeps
//! the canary, and `/reload promote` gives every server the new version.

use discord_sim::world::{channel_kind, DEMO_BOT_PERMISSIONS};
use serde_json::json;
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, UserMarker},
    Id,
};

use super::common::{bot::Bot, fixture, install};

/// The second server, owned by dave.
struct Other {
    guild: Id<GuildMarker>,
    general: Id<ChannelMarker>,
    dave: Id<UserMarker>,
}

async fn reload(bot: &Bot, sub: &str) -> String {
    let options = json!([{"name": sub, "type": 1, "options": [{"name": "module", "type": 3, "value": "counter"}]}]);
    let (text, ephemeral) = bot.slash(bot.ids.owner, "reload", options).await;
    assert!(ephemeral, "/reload {sub} answers privately");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_canary_serves_one_server_survives_a_restart_and_is_promoted() {
    let (mut bot, other) = Bot::prepare(&[("counter", fixture("counter-v1"))], |w, _| {
        let dave = w.add_user("dave");
        let guild = w.add_guild("Other Server", dave);
        w.add_bot_role(guild, DEMO_BOT_PERMISSIONS.bits(), 3);
        let general = w.add_channel(guild, "other-general", channel_kind::GUILD_TEXT, None);
        Other {
            guild,
            general,
            dave,
        }
    })
    .await;
    let (ids, plugins) = (bot.ids, bot.dir.path().join("plugins"));
    bot.boot_every_server(|_| {}).await;

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
    bot.boot_every_server(|_| {}).await;
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
