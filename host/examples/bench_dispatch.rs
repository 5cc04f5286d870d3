//! `cargo xtask bench dispatch`: the cost of getting gateway events to modules, and of starting.
//!
//! Side by side in one run, against the in-process simulator:
//! - twilight's own parse of N `MESSAGE_CREATE` frames (`twilight_gateway::parse`), the floor;
//! - the host's frame handling (`handle_frame`: envelope, routing, queueing to every subscribed
//!   module) for the same frames, and the time until every module handler has run (the
//!   `misbehaving` fixture subscribes to MESSAGE_CREATE and does nothing with ordinary text);
//! - host start → all modules loaded, and → READY (guild received) against the simulator;
//! - restart → READY versus `/reload module` for the same change.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};

use arsenal_host::{
    app::App, discord::gateway::handle_frame, metrics::gateway::ShardMetrics, paths::Paths,
    plugins::Trigger,
};
use discord_sim::{SimConfig, Simulator};

mod common;
use common::per_second;

fn library(file: &str) -> PathBuf {
    common::library("dispatch", file)
}

const FRAMES: usize = 100_000;

fn frame(seq: usize) -> String {
    format!(
        r#"{{"op":0,"s":{seq},"t":"MESSAGE_CREATE","d":{{"id":"{id}","channel_id":"2","guild_id":"1","author":{{"id":"{user}","username":"member{user}","discriminator":"0","avatar":null,"global_name":null}},"member":{{"roles":[],"joined_at":"2026-11-21T10:00:00.000000+00:00","deaf":false,"mute":false,"flags":0}},"content":"just chatting, message number {seq}","timestamp":"2026-11-21T10:00:00.000000+00:00","edited_timestamp":null,"tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"type":0}}}}"#,
        id = seq + 1_000_000,
        user = 1000 + seq % 50,
    )
}

async fn ready(app: &App, guild: twilight_model::id::Id<twilight_model::id::marker::GuildMarker>) {
    let shared = Arc::clone(&app.discord.as_ref().expect("connected").shared);
    while shared.cache.guild(guild).is_none() {
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sim = Simulator::start(SimConfig::default())
        .await
        .expect("simulator");
    let ids = sim.with_world(|w| w.demo_ids()).expect("demo ids");
    let dir = tempfile::tempdir_in(Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .expect("tempdir");
    let plugins = dir.path().join("plugins");
    std::fs::create_dir_all(&plugins).expect("plugins dir");
    // The runtime libraries the builds link against (`cargo xtask bench` installs them there).
    std::os::unix::fs::symlink(library("runtime"), plugins.join("runtime")).expect("link runtime");
    let mut modules = vec![(
        "misbehaving".to_owned(),
        library("libfixture_misbehaving.so"),
    )];
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugins"))
        .expect("plugins/")
    {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            // A crate folder `reaction-roles` builds the module `reaction_roles`.
            .replace('-', "_");
        let file = library(&format!("lib{name}.so"));
        modules.push((name, file));
    }
    for (name, file) in &modules {
        std::fs::copy(file, plugins.join(format!("{name}.so"))).expect("install");
    }
    let settings = common::settings(&sim, &ids, 2 * FRAMES);
    let paths = Paths::new(dir.path().to_path_buf(), None);

    // Start-up.
    let started = Instant::now();
    let app = App::start(&paths, Some(settings.clone()))
        .await
        .expect("start");
    let to_connected = started.elapsed();
    ready(&app, ids.guild).await;
    let to_ready = started.elapsed();
    let loaded: Vec<_> = app
        .manager
        .history()
        .recent(100)
        .into_iter()
        .filter(|r| r.outcome == "loaded")
        .collect();
    let load_all_us: u64 = loaded.iter().map(|r| r.duration_us).sum();

    // Dispatch.
    let frames: Vec<String> = (0..FRAMES).map(frame).collect();
    let twilight_started = Instant::now();
    for text in &frames {
        let parsed = twilight_gateway::parse(text.clone(), twilight_gateway::EventTypeFlags::all());
        assert!(matches!(parsed, Ok(Some(_))));
    }
    let twilight = twilight_started.elapsed();

    let shared = Arc::clone(&app.discord.as_ref().expect("connected").shared);
    let worker = || {
        app.manager
            .status()
            .into_iter()
            .find(|s| s.name == "misbehaving")
            .map_or(0, |s| s.events_handled)
    };
    let before = worker();
    let mut metrics = ShardMetrics::new(0);
    let host_started = Instant::now();
    for text in &frames {
        handle_frame(&shared, text, &mut metrics);
    }
    let host = host_started.elapsed();
    while worker() < before + FRAMES as u64 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let handled = host_started.elapsed();

    // Restart versus reload, for the same change (a new build of one module): medians.
    let mut reloads = Vec::new();
    for _ in 0..20 {
        reloads.push(
            app.manager
                .reload("welcome", Trigger::Command)
                .await
                .expect("reload")
                .duration,
        );
    }
    let mut app = app;
    let mut restarts = Vec::new();
    for _ in 0..5 {
        let restart_started = Instant::now();
        app.shutdown().await.expect("shutdown");
        app = App::start(&paths, Some(settings.clone()))
            .await
            .expect("restart");
        ready(&app, ids.guild).await;
        restarts.push(restart_started.elapsed());
    }
    app.shutdown().await.expect("shutdown");
    reloads.sort();
    restarts.sort();
    let (reload, restart) = (reloads[reloads.len() / 2], restarts[restarts.len() / 2]);

    println!(
        "| measure ({FRAMES} MESSAGE_CREATE frames, {} modules loaded, 2 cores) | value |",
        modules.len()
    );
    println!("|---|---|");
    println!(
        "| twilight `parse` of the frames (the floor) | {} |",
        per_second(FRAMES, twilight)
    );
    println!(
        "| host `handle_frame` (envelope, routing, queue to subscribers) | {} — {:.2}× twilight |",
        per_second(FRAMES, host),
        host.as_secs_f64() / twilight.as_secs_f64()
    );
    println!(
        "| frame → every module handler done (module parses its typed event) | {} |",
        per_second(FRAMES, handled)
    );
    println!();
    println!("| start-up | value |");
    println!("|---|---|");
    println!(
        "| all modules loaded (sum of load times, {} modules) | {:.1} ms |",
        loaded.len(),
        load_all_us as f64 / 1000.0
    );
    println!("| host start → connected (store, modules, timers, watcher, REST checks, command sync) | {:.1} ms |", to_connected.as_secs_f64() * 1000.0);
    println!(
        "| host start → READY and guild received | {:.1} ms |",
        to_ready.as_secs_f64() * 1000.0
    );
    println!(
        "| restart → READY (median of 5: shutdown incl. final store compaction, start, READY) | {:.1} ms (min {:.1}, max {:.1}) |",
        restart.as_secs_f64() * 1000.0,
        restarts[0].as_secs_f64() * 1000.0,
        restarts[restarts.len() - 1].as_secs_f64() * 1000.0
    );
    println!(
        "| `/reload module welcome` (median of 20) | {:.2} ms — {:.0}× faster than a restart |",
        reload.as_secs_f64() * 1000.0,
        restart.as_secs_f64() / reload.as_secs_f64()
    );
    sim.shutdown().await;
}
