//! The moderation module end to end, through the real host against the simulator: warnings that
//! reach a threshold time the member out, permission and hierarchy refusals, a reload in the
//! middle losing nothing, a mute that survives leaving and rejoining, and a tempban lifted by its
//! durable timer: on time, after it came due while the bot was stopped, and after it came due
//! while the module was unloaded. Every test ends by checking Discord would have accepted every
//! request.

mod common;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{
    bot::{Bot, WAIT},
    plugin,
};
use serde_json::json;
use twilight_model::id::{
    marker::{GuildMarker, UserMarker},
    Id,
};

async fn start() -> Bot {
    Bot::start_with(&[("moderation", plugin("moderation"))]).await
}

fn timed_out_until(bot: &Bot, guild: Id<GuildMarker>, user: Id<UserMarker>) -> Option<i64> {
    bot.sim
        .with_world(|w| w.find_member(guild, user))
        .and_then(|m| m.communication_disabled_until)
        .map(|t| t.as_secs())
}

fn banned(bot: &Bot, guild: Id<GuildMarker>, user: Id<UserMarker>) -> bool {
    bot.sim
        .with_world(|w| w.bans(guild))
        .iter()
        .any(|(banned, ..)| *banned == user)
}

/// Bans carol for two seconds and returns when the ban ends, by the wall clock.
async fn tempban_carol(bot: &Bot) -> Instant {
    let ids = bot.ids;
    let (text, _) = bot
        .slash(
            ids.alice,
            "ban",
            json!([
                {"name": "member", "value": ids.carol},
                {"name": "duration", "value": "2s"},
                {"name": "reason", "value": "cool down"}
            ]),
        )
        .await;
    assert!(
        text.starts_with("Case #1 · **carol** was banned for 2s: cool down."),
        "{text}"
    );
    assert!(banned(bot, ids.guild, ids.carol));
    Instant::now() + Duration::from_secs(2)
}

/// Waits until carol's ban is lifted and moderation has no timer left, then checks the case.
async fn assert_tempban_lifted(bot: &Bot) {
    let ids = bot.ids;
    let lifted = bot
        .sim
        .wait_for(WAIT, |w| {
            (!w.bans(ids.guild)
                .iter()
                .any(|(user, ..)| *user == ids.carol))
            .then_some(())
        })
        .await;
    assert!(
        lifted.is_some(),
        "the tempban was not lifted; timers: {:?}; violations: {:?}",
        bot.app().timers.pending(None),
        bot.sim.violations()
    );
    let deadline = Instant::now() + WAIT;
    while !bot.app().timers.pending(Some("moderation")).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the handled timer stayed: {:?}",
            bot.app().timers.pending(None)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bot.sim.member_rejoin(ids.guild, ids.carol).await;
    let (text, _) = bot
        .slash(ids.alice, "case", json!([{"name": "number", "value": 2}]))
        .await;
    assert!(
        text.starts_with("**#2** Unban") && text.contains("(automatic)"),
        "{text}"
    );
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_reach_a_threshold_and_a_mute_survives_reload_and_rejoin() {
    let bot = start().await;
    let ids = bot.ids;

    let (text, _) = bot
        .slash(
            ids.alice,
            "modlog",
            json!([{"name": "channel", "value": ids.logs}]),
        )
        .await;
    assert!(text.contains("Cases will be logged"), "{text}");
    let (text, ephemeral) = bot
        .slash(
            ids.alice,
            "modconfig",
            json!([{"name": "threshold", "type": 1, "options": [
                {"name": "points", "value": 3},
                {"name": "action", "value": "timeout"},
                {"name": "duration", "value": "1h"}
            ]}]),
        )
        .await;
    assert!(text.contains("3 pt → mute 1h") && ephemeral, "{text}");

    // A member without Timeout Members is refused by the host, slash and prefix alike.
    let (text, ephemeral) = bot
        .slash(
            ids.bob,
            "warn",
            json!([{"name": "member", "value": ids.carol}, {"name": "reason", "value": "x"}]),
        )
        .await;
    assert!(text.contains("You need the") && ephemeral, "{text}");
    let text = bot
        .prefix(ids.bob, &format!("!warn <@{}> x", ids.carol))
        .await;
    assert!(text.contains("You need the"), "{text}");

    let (text, _) = bot
        .slash(
            ids.alice,
            "warn",
            json!([{"name": "member", "value": ids.bob}, {"name": "reason", "value": "spam"}]),
        )
        .await;
    assert!(
        text.starts_with("Case #1 · **bob** was warned (1 point; 1 active): spam"),
        "{text}"
    );
    let text = bot
        .prefix(ids.alice, &format!("!warn <@{}> spam links", ids.bob))
        .await;
    assert!(
        text.starts_with("Case #2 · **bob** was warned (1 point; 2 active): spam links"),
        "{text}"
    );
    assert_eq!(timed_out_until(&bot, ids.guild, ids.bob), None);

    // A hot reload in the middle: the points and the case counter are in the store.
    bot.app()
        .manager
        .reload("moderation", arsenal_host::plugins::Trigger::Command)
        .await
        .expect("reload");

    let (text, _) = bot
        .slash(
            ids.owner,
            "warn",
            json!([{"name": "member", "value": ids.bob}, {"name": "reason", "value": "again"}]),
        )
        .await;
    assert!(
        text.starts_with("Case #3 · **bob** was warned (1 point; 3 active)"),
        "{text}"
    );
    assert!(
        text.contains("Automatic action at 3 points: Case #4 · **bob** was muted for 1h (timeout)"),
        "{text}"
    );
    let until = timed_out_until(&bot, ids.guild, ids.bob).expect("bob is timed out");
    assert!(
        (until - now_secs() - 3600).abs() < 30,
        "about an hour: {until}"
    );

    let logged = bot
        .sim
        .wait_for(WAIT, |w| {
            let titles: Vec<String> = w
                .messages(ids.logs)
                .into_iter()
                .flat_map(|m| m.embeds)
                .filter_map(|e| e.title)
                .collect();
            (titles.len() >= 4).then_some(titles)
        })
        .await
        .expect("four cases in the mod-log");
    assert!(logged.iter().any(|t| t == "Case #4 · Mute"), "{logged:?}");
    assert!(
        bot.sim.with_world(|w| w.dms_to(ids.bob)).iter().any(|m| m
            .content
            .contains("You were muted in **Arsenal Sandbox** for 1h")),
        "bob was told"
    );

    // Leaving and rejoining does not end the mute.
    bot.sim.member_leave(ids.guild, ids.bob).await;
    bot.sim.member_rejoin(ids.guild, ids.bob).await;
    let again = bot
        .sim
        .wait_for(WAIT, |w| {
            w.find_member(ids.guild, ids.bob)
                .and_then(|m| m.communication_disabled_until)
                .map(|t| t.as_secs())
        })
        .await
        .expect("muted again after rejoining");
    assert!(
        (again - until).abs() <= 1,
        "the same end: {again} vs {until}"
    );

    // Hierarchy and self checks answer plainly, before Discord is asked.
    let (text, ephemeral) = bot
        .slash(
            ids.owner,
            "kick",
            json!([{"name": "member", "value": ids.alice}]),
        )
        .await;
    assert!(
        text.starts_with("I cannot kick alice: their highest role (Admin) is not below mine")
            && ephemeral,
        "{text}"
    );
    let (text, _) = bot
        .slash(
            ids.alice,
            "mute",
            json!([{"name": "member", "value": ids.alice}, {"name": "duration", "value": "10m"}]),
        )
        .await;
    assert_eq!(text, "You cannot mute yourself.");
    let (text, _) = bot
        .slash(
            ids.alice,
            "mute",
            json!([{"name": "member", "value": ids.carol}, {"name": "duration", "value": "soon"}]),
        )
        .await;
    assert!(text.contains("is not a duration"), "{text}");

    let (text, _) = bot
        .slash(
            ids.alice,
            "warnings",
            json!([{"name": "member", "value": ids.bob}]),
        )
        .await;
    assert!(
        text.contains("3 active warning points") && text.contains("**#4** Mute"),
        "{text}"
    );
    let (text, _) = bot
        .slash(
            ids.alice,
            "unmute",
            json!([{"name": "member", "value": ids.bob}]),
        )
        .await;
    assert!(text.starts_with("Case #5 · **bob** was unmuted"), "{text}");
    assert_eq!(timed_out_until(&bot, ids.guild, ids.bob), None);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tempban_is_lifted_by_its_timer() {
    let bot = start().await;
    tempban_carol(&bot).await;
    assert_tempban_lifted(&bot).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tempban_that_ends_while_the_bot_is_stopped_is_lifted_once_it_is_back() {
    let mut bot = start().await;
    let ends = tempban_carol(&bot).await;
    let app = bot.app.take().expect("running");
    app.shutdown().await.expect("clean shutdown");
    // The ban ends while the bot is down: at start its timer is overdue. Delivered before the
    // gateway is connected, the unban would fail and the ban would outlive its time.
    tokio::time::sleep(ends.saturating_duration_since(Instant::now()) + Duration::from_millis(300))
        .await;
    assert!(
        banned(&bot, bot.ids.guild, bot.ids.carol),
        "nobody lifted it yet"
    );
    bot.app = Some(bot.boot().await);
    assert_tempban_lifted(&bot).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tempban_that_ends_while_moderation_is_unloaded_is_lifted_when_it_is_loaded() {
    let bot = start().await;
    let ids = bot.ids;
    let ends = tempban_carol(&bot).await;
    let text = bot.prefix(ids.owner, "!module unload moderation").await;
    assert!(text.contains("`moderation` unloaded"), "{text}");
    tokio::time::sleep(ends.saturating_duration_since(Instant::now()) + Duration::from_millis(300))
        .await;
    // Due, but nobody can handle it: it waits, durably.
    assert!(banned(&bot, ids.guild, ids.carol));
    let pending = bot.app().timers.pending(Some("moderation"));
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert!(bot
        .app()
        .store
        .get(
            arsenal_host::timers::NAMESPACE,
            &format!("moderation/{}", pending[0].key)
        )
        .unwrap()
        .is_some());

    let text = bot.prefix(ids.owner, "!module load moderation").await;
    assert!(
        text.contains("`moderation`") && text.contains("loaded"),
        "{text}"
    );
    assert_tempban_lifted(&bot).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_keeps_its_tempbans_out_of_the_bots_data() {
    use arsenal_host::{paths::Paths, sandbox, timers::NAMESPACE};
    use arsenal_store::{Store, StoreOptions};

    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let paths = Paths::new(dir.path().to_path_buf(), None);
    std::fs::create_dir_all(&paths.plugins_dir).unwrap();
    common::link_runtime(&paths.plugins_dir);
    common::install(&paths.plugins_dir, "moderation", &plugin("moderation"));
    // The bot's own data, as a real bot left it.
    let bot_store = Store::open(&paths.store_dir(), StoreOptions::default()).unwrap();
    bot_store
        .set("plugin.moderation", "real-server", json!("production"))
        .unwrap();
    bot_store.close().unwrap();

    let settings = common::sandbox_settings();
    let (sim, app) = sandbox::start(&paths, settings)
        .await
        .expect("sandbox starts");
    let ids = sim.with_world(|w| w.demo_ids()).expect("demo ids");
    assert_eq!(
        app.store.get("plugin.moderation", "real-server").unwrap(),
        None,
        "the bot's data showed up in the sandbox"
    );
    let outcome = sim
        .run_slash_command(
            ids.alice,
            ids.bot_commands,
            "ban",
            json!([
                {"name": "member", "value": ids.carol},
                {"name": "duration", "value": "1h"}
            ]),
        )
        .await
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .expect("/ban answered");
    let text = outcome.content().unwrap_or_default();
    assert!(text.contains("was banned for 1h"), "{text}");
    assert_eq!(app.timers.pending(Some("moderation")).len(), 1);
    app.shutdown().await.expect("clean shutdown");
    sim.shutdown().await;

    // The tempban's timer is in the sandbox's store only: a real bot never fires it.
    let sandbox_store = Store::open(&paths.sandbox().store_dir(), StoreOptions::default()).unwrap();
    assert_eq!(sandbox_store.list(NAMESPACE, "").unwrap().len(), 1);
    sandbox_store.close().unwrap();
    let bot_store = Store::open(&paths.store_dir(), StoreOptions::default()).unwrap();
    assert!(bot_store.list(NAMESPACE, "").unwrap().is_empty());
    assert!(bot_store
        .get("plugin.moderation", "real-server")
        .unwrap()
        .is_some());
    bot_store.close().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timer_whose_handler_fails_is_kept_and_retried() {
    let bot = start().await;
    let timers = &bot.app().timers;
    // A payload moderation cannot read: its handler returns an error every time.
    timers
        .schedule(
            "moderation",
            "unban:1:2",
            arsenal_host::timers::now_unix_ms(),
            json!("not a timer payload"),
        )
        .unwrap();
    // The first attempt comes at once, the retry after the first back-off (5 s).
    let deadline = Instant::now() + WAIT;
    let failing = loop {
        let pending = timers.pending(Some("moderation"));
        if pending.first().is_some_and(|t| t.failures >= 2) {
            break pending;
        }
        assert!(
            Instant::now() < deadline,
            "not retried after failing: {pending:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let error = failing[0].last_error.clone().unwrap_or_default();
    assert!(error.contains("cannot read"), "{error}");
    assert!(bot
        .app()
        .store
        .get(arsenal_host::timers::NAMESPACE, "moderation/unban:1:2")
        .unwrap()
        .is_some());
    assert!(timers.cancel("moderation", "unban:1:2").unwrap());
    bot.stop().await;
}
