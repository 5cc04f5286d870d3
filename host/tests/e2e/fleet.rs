//! A fleet: two host processes (two `App`s in this test process) on one PostgreSQL store and
//! one simulator. A reload in one is done in the other (and only once: no loop); `/reload
//! status` lists both and flags a module whose versions differ; a due timer fires exactly once
//! across both; a timer claimed by a process that then died is delivered by another once the
//! claim's lease ends; a process that stops cleanly leaves the registry; an unload is done in
//! every process; a process whose reload channel was down catches up when it reconnects.

use std::path::Path;
use std::time::{Duration, Instant};

use arsenal_host::{app::App, fleet::Fleet, paths::Paths, plugins::Trigger, timers::NAMESPACE};
use arsenal_store::TestSchema;
use serde_json::json;

use crate::common::{
    self,
    bot::{settings_for, WAIT},
    fixture, install,
};

/// Two hosts on the store in `schema`, connected to one simulator. B's `counter.so` is a link to
/// A's: a file dropped in A's folder is what B loads, but only A's watcher sees it arrive.
struct Fleet2 {
    sim: discord_sim::Simulator,
    ids: discord_sim::DemoIds,
    dir_a: tempfile::TempDir,
    dir_b: tempfile::TempDir,
    a: App,
    b: App,
    _schema: TestSchema,
}

fn fleet(app: &App) -> &Fleet {
    app.fleet
        .as_ref()
        .expect("a PostgreSQL store makes a fleet")
}

async fn start_host(
    dir: &Path,
    url: &str,
    settings: arsenal_host::config::DiscordSettings,
    ids: &discord_sim::DemoIds,
) -> App {
    let paths = Paths::new(dir.to_path_buf(), None).with_store_url(Some(url.to_owned()));
    let app = App::start(&paths, Some(settings))
        .await
        .expect("host starts");
    let shared = std::sync::Arc::clone(&app.discord.as_ref().expect("connected").shared);
    let deadline = Instant::now() + WAIT;
    while shared.cache.guild(ids.guild).is_none() {
        assert!(Instant::now() < deadline, "no GUILD_CREATE");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        fleet(&app).wait_listening(WAIT).await,
        "the reload channel listens"
    );
    app
}

impl Fleet2 {
    async fn start() -> Self {
        let schema = TestSchema::create_or_explain();
        let sim = discord_sim::Simulator::start(discord_sim::SimConfig::default())
            .await
            .expect("simulator");
        let ids = sim.with_world(|w| w.demo_ids()).expect("demo ids");
        let dir_a = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
        let dir_b = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
        let (plugins_a, plugins_b) = (dir_a.path().join("plugins"), dir_b.path().join("plugins"));
        common::link_runtime(&plugins_a);
        common::link_runtime(&plugins_b);
        install(&plugins_a, "counter", &fixture("counter-v1"));
        std::os::unix::fs::symlink(plugins_a.join("counter.so"), plugins_b.join("counter.so"))
            .expect("link B's counter to A's");
        let settings = settings_for(&sim, &ids);
        let a = start_host(dir_a.path(), schema.url(), settings.clone(), &ids).await;
        let b = start_host(dir_b.path(), schema.url(), settings, &ids).await;
        Self {
            sim,
            ids,
            dir_a,
            dir_b,
            a,
            b,
            _schema: schema,
        }
    }

    async fn stop(self) {
        let violations = self.sim.violations();
        self.a.shutdown().await.expect("A stops cleanly");
        self.b.shutdown().await.expect("B stops cleanly");
        assert!(violations.is_empty(), "{violations:#?}");
    }

    fn reminders(&self) -> Vec<String> {
        self.sim
            .with_world(|w| w.messages(self.ids.bot_commands))
            .into_iter()
            .filter(|m| m.content.starts_with("reminder fired"))
            .map(|m| m.content)
            .collect()
    }
}

fn version_of(app: &App, module: &str) -> Option<(String, String)> {
    app.manager
        .status()
        .into_iter()
        .find(|s| s.name == module)
        .and_then(|s| {
            Some((
                s.state.manifest.as_ref()?.version.clone(),
                s.state.file_hash.clone()?,
            ))
        })
}

async fn wait_until<F: FnMut() -> bool>(what: &str, mut done: F) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn status_until(app: &App, what: &str, wanted: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let text = fleet(app).status_text().await;
        if wanted(&text) {
            return text;
        }
        assert!(Instant::now() < deadline, "status never {what}:\n{text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_in_one_process_is_done_in_every_process_and_status_shows_both() {
    let f = Fleet2::start().await;
    let (id_a, id_b) = (
        fleet(&f.a).process_id().to_owned(),
        fleet(&f.b).process_id().to_owned(),
    );
    assert_ne!(id_a, id_b);
    let processes = fleet(&f.a).processes().await.expect("registry");
    let ids: Vec<&str> = processes.iter().map(|p| p.process_id.as_str()).collect();
    assert!(
        ids.contains(&id_a.as_str()) && ids.contains(&id_b.as_str()),
        "{ids:?}"
    );
    assert!(processes
        .iter()
        .all(|p| p.modules.get("counter").and_then(|m| m.version.as_deref()) == Some("1.0.0")));

    // What each process itself records (the history namespace is shared by the fleet).
    let mut a_records = f.a.manager.history().subscribe();
    let mut b_records = f.b.manager.history().subscribe();
    // A file dropped in A's folder: A's watcher reloads it, B follows.
    install(
        &f.dir_a.path().join("plugins"),
        "counter",
        &fixture("counter-v2"),
    );
    wait_until("B serves counter 2.0.0", || {
        version_of(&f.b, "counter").is_some_and(|(v, _)| v == "2.0.0")
    })
    .await;
    assert_eq!(version_of(&f.a, "counter"), version_of(&f.b, "counter"));
    // No loop: B reloads once for the fleet; A only for its own file.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let drain = |rx: &mut tokio::sync::broadcast::Receiver<arsenal_host::plugins::ReloadRecord>| {
        let mut records = Vec::new();
        while let Ok(r) = rx.try_recv() {
            records.push((r.plugin, r.trigger, r.outcome, r.new_version));
        }
        records
    };
    let v2 = Some("2.0.0".to_owned());
    let (a_did, b_did) = (drain(&mut a_records), drain(&mut b_records));
    assert_eq!(
        a_did,
        [(
            "counter".to_owned(),
            Trigger::Watcher,
            "reloaded".to_owned(),
            v2.clone()
        )]
    );
    assert_eq!(
        b_did,
        [(
            "counter".to_owned(),
            Trigger::Fleet,
            "reloaded".to_owned(),
            v2
        )]
    );
    // The history is shared by the fleet: every process's records are in it, none overwritten
    // by another's (two starts, A's reload, B's fleet reload).
    wait_until("the shared history holds every process's records", || {
        let triggers: Vec<Trigger> =
            f.b.manager
                .history()
                .recent(20)
                .into_iter()
                .filter(|r| r.plugin == "counter")
                .map(|r| r.trigger)
                .collect();
        triggers.iter().filter(|t| **t == Trigger::Startup).count() == 2
            && triggers.contains(&Trigger::Watcher)
            && triggers.contains(&Trigger::Fleet)
    })
    .await;

    // Status (from either process) lists both with the same version, no warning.
    let text = status_until(&f.b, "showed both on 2.0.0", |t| {
        t.contains("2 live processes") && t.matches("counter 2.0.0").count() == 2
    })
    .await;
    assert!(text.contains(&id_a) && text.contains(&id_b), "{text}");
    assert!(text.contains(&format!("`{id_b}` (this process)")), "{text}");
    assert!(!text.contains("Versions differ"), "{text}");

    // B gets its own, older file and reloads it: A follows from its own folder, which holds
    // another build. Both say so.
    std::fs::remove_file(f.dir_b.path().join("plugins").join("counter.so")).expect("unlink");
    install(
        &f.dir_b.path().join("plugins"),
        "counter",
        &fixture("counter-v1"),
    );
    let text = status_until(&f.a, "flagged the differing versions", |t| {
        t.contains("Versions differ") && t.contains("counter 1.0.0") && t.contains("counter 2.0.0")
    })
    .await;
    assert!(text.contains("for `counter`"), "{text}");
    wait_until("A noted that its file differs from B's", || {
        fleet(&f.a)
            .notes()
            .get("counter")
            .is_some_and(|n| n.contains("differs"))
    })
    .await;
    assert_eq!(
        version_of(&f.a, "counter").map(|v| v.0).as_deref(),
        Some("2.0.0")
    );

    // A process that stops cleanly leaves the registry.
    let Fleet2 { sim, a, b, .. } = f;
    a.shutdown().await.expect("A stops cleanly");
    let left = fleet(&b).processes().await.expect("registry");
    assert_eq!(
        left.iter()
            .map(|p| p.process_id.as_str())
            .collect::<Vec<_>>(),
        [id_b.as_str()]
    );
    b.shutdown().await.expect("B stops cleanly");
    let violations = sim.violations();
    assert!(violations.is_empty(), "{violations:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_made_while_a_listener_was_away_is_caught_up_and_unloads_follow_too() {
    let f = Fleet2::start().await;
    let (client, connection) = tokio_postgres::connect(f._schema.url(), tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(connection);
    let listener = arsenal_host::fleet::notify::listener_name(fleet(&f.b).process_id());
    // B's reload channel goes down; A reloads before it is back (it comes back a second
    // later). If B listened again before A's change was recorded, the NOTIFY reached it and
    // nothing was caught up: try again.
    let mut caught_up = false;
    for (attempt, build) in ["counter-v2", "counter-v1", "counter-v2"]
        .iter()
        .enumerate()
    {
        let before = version_of(&f.a, "counter");
        let killed = client
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                &[&listener],
            )
            .await
            .expect("terminate B's listener");
        assert_eq!(killed, 1, "B's listening connection is found by its name");
        wait_until("B noticed its channel closed", || !fleet(&f.b).listening()).await;
        install(&f.dir_a.path().join("plugins"), "counter", &fixture(build));
        wait_until("A reloaded", || version_of(&f.a, "counter") != before).await;
        let recorded = async {
            let deadline = Instant::now() + WAIT;
            loop {
                let rows = client
                    .query_one(
                        "SELECT count(*) FROM arsenal_fleet_changes WHERE origin = $1",
                        &[&fleet(&f.a).process_id()],
                    )
                    .await
                    .expect("changes")
                    .get::<_, i64>(0);
                if rows > i64::try_from(attempt).expect("small") {
                    return;
                }
                assert!(Instant::now() < deadline, "A never recorded its change");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        recorded.await;
        let missed = !fleet(&f.b).listening();
        wait_until("B follows A's version", || {
            version_of(&f.b, "counter") == version_of(&f.a, "counter")
        })
        .await;
        if missed {
            caught_up = true;
            break;
        }
    }
    assert!(
        caught_up,
        "B's listener came back before A's change every time"
    );
    assert!(fleet(&f.b).wait_listening(WAIT).await, "B listens again");

    // An unload by command in A is done in B.
    f.a.manager.unload("counter").await.expect("unload in A");
    wait_until("B unloaded counter", || {
        version_of(&f.b, "counter").is_none()
    })
    .await;
    let b_history = f.b.manager.history().recent(20);
    assert!(
        b_history.iter().any(|r| r.plugin == "counter"
            && r.trigger == Trigger::Fleet
            && r.outcome == "unloaded"),
        "{b_history:#?}"
    );
    f.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_due_timer_fires_once_in_the_fleet_even_when_its_claimer_died() {
    let f = Fleet2::start().await;
    let channel = f.ids.bot_commands;
    let now = arsenal_host::timers::now_unix_ms();
    // Due after both processes took them in (they sync every couple of seconds): both race.
    for i in 0..5 {
        f.a.timers
            .schedule("counter", &format!("r{i}"), now + 2_500, json!(channel))
            .expect("scheduled");
    }
    let wait = Instant::now() + WAIT;
    while f.reminders().len() < 5 {
        assert!(Instant::now() < wait, "fired: {:?}", f.reminders());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        f.reminders().len(),
        5,
        "each timer fired exactly once in the fleet"
    );
    assert!(f.a.timers.pending(None).is_empty());
    assert!(
        f.b.timers.pending(None).is_empty(),
        "B took in the deliveries"
    );

    // A timer a process claimed and then died with: nobody delivers it before the claim's
    // lease ends, then exactly one process does.
    let record =
        json!({"plugin": "counter", "key": "ghost", "at_unix_ms": now, "payload": channel});
    let store = f.a.store.clone();
    let claimed = tokio::task::spawn_blocking(move || {
        let version = store.set(NAMESPACE, "counter/ghost", record)?;
        store.claim(
            NAMESPACE,
            "counter/ghost",
            version,
            "a-process-that-died",
            Duration::from_secs(4),
        )
    })
    .await
    .expect("no panic")
    .expect("claimed");
    assert_eq!(claimed, arsenal_store::ClaimOutcome::Claimed);
    let claimed_at = Instant::now();
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    assert_eq!(
        f.reminders().len(),
        5,
        "delivered while another process held it"
    );
    while f.reminders().len() < 6 {
        assert!(
            claimed_at.elapsed() < Duration::from_secs(12),
            "never re-claimed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(claimed_at.elapsed() >= Duration::from_secs(4));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(f.reminders().len(), 6, "delivered once");
    f.stop().await;
}

/// `/reload status` and `!module status`, asked of a process of a fleet, answer with the fleet
/// section listing it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_status_lists_the_fleet_through_the_command() {
    let schema = TestSchema::create_or_explain();
    let sim = discord_sim::Simulator::start(discord_sim::SimConfig::default())
        .await
        .expect("simulator");
    let ids = sim.with_world(|w| w.demo_ids()).expect("demo ids");
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    common::link_runtime(&dir.path().join("plugins"));
    install(
        &dir.path().join("plugins"),
        "counter",
        &fixture("counter-v1"),
    );
    let app = start_host(dir.path(), schema.url(), settings_for(&sim, &ids), &ids).await;
    let me = fleet(&app).process_id().to_owned();

    let handle = sim
        .run_slash_command(
            ids.alice,
            ids.bot_commands,
            "reload",
            json!([{"name": "status", "type": 1, "options": []}]),
        )
        .await;
    let outcome = handle
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .expect("/reload status answered");
    let text = outcome.content().unwrap_or_default();
    assert!(text.contains("**Fleet** (1 live processes)"), "{text}");
    assert!(text.contains(&format!("`{me}` (this process)")), "{text}");
    assert!(text.contains("counter 1.0.0"), "{text}");

    let sent = sim
        .send_message(ids.alice, ids.bot_commands, "!module status")
        .await;
    let reply = sim
        .wait_for(WAIT, |w| {
            w.messages(ids.bot_commands)
                .into_iter()
                .find(|m| {
                    m.author.id == ids.bot
                        && m.reference.as_ref().and_then(|r| r.message_id) == Some(sent)
                })
                .map(|m| m.content)
        })
        .await
        .expect("!module status answered");
    assert!(reply.contains(&format!("`{me}` (this process)")), "{reply}");
    app.shutdown().await.expect("clean shutdown");
    let violations = sim.violations();
    assert!(violations.is_empty(), "{violations:#?}");
}
