//! `cargo xtask bench automod`: messages per second through every bot-side automod rule, with
//! 1 000 filtered words and 10 regexes, beside the plain dispatch figure.
//!
//! The real host and the real automod plugin (release, `plugin` profile) against the in-process
//! simulator. The server's settings are written straight into automod's store namespace (level
//! high, every bot-side rule on, the message-rate limit raised so ordinary chat never trips it):
//! adding 1 000 words through `/automod add_word` would sync Discord's rule 1 000 times. Then N
//! `MESSAGE_CREATE` frames of ordinary chat (5 000 authors, one in ten with accents and emoji, so
//! both normalisation paths run; none breaks a rule, so every message goes through every rule)
//! go through the host's frame handling to both automod and the `misbehaving` fixture, which
//! subscribes and does nothing: its figure is the plain dispatch cost. The two workers run in
//! parallel on the two cores.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};

use arsenal_host::{
    app::App, discord::gateway::handle_frame, metrics::gateway::ShardMetrics, paths::Paths,
};
use discord_sim::{SimConfig, Simulator};

mod common;
use common::per_second;
use serde_json::json;

fn library(file: &str) -> PathBuf {
    common::library("automod", file)
}

const FRAMES: usize = 20_000;
const WORDS: usize = 1_000;

fn frame(seq: usize, guild: u64) -> String {
    let content = if seq % 10 == 0 {
        format!("Café au lait à {seq} heures, très bien 😀 merci")
    } else {
        format!("just chatting about the game tonight, message number {seq}")
    };
    json!({
        "op": 0, "s": seq, "t": "MESSAGE_CREATE",
        "d": {
            "id": (seq + 1_000_000).to_string(), "channel_id": "2", "guild_id": guild.to_string(),
            "author": {"id": (1000 + seq % 5000).to_string(), "username": "member", "discriminator": "0", "avatar": null, "global_name": null},
            "member": {"roles": [], "joined_at": "2026-11-21T10:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0},
            "content": content, "timestamp": "2026-11-21T10:00:00.000000+00:00", "edited_timestamp": null,
            "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": [], "pinned": false, "type": 0
        }
    })
    .to_string()
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
    std::os::unix::fs::symlink(library("runtime"), plugins.join("runtime")).expect("link runtime");
    let automod_file = library("libautomod.so");
    let size_kib = std::fs::metadata(&automod_file).map_or(0, |m| m.len() / 1024);
    std::fs::copy(&automod_file, plugins.join("automod.so")).expect("install automod");
    std::fs::copy(
        library("libfixture_misbehaving.so"),
        plugins.join("misbehaving.so"),
    )
    .expect("install misbehaving");
    let settings = common::settings(&sim, &ids, 2 * FRAMES);
    let paths = Paths::new(dir.path().to_path_buf(), None);
    let app = App::start(&paths, Some(settings)).await.expect("start");
    let shared = Arc::clone(&app.discord.as_ref().expect("connected").shared);
    while shared.cache.guild(ids.guild).is_none() {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }

    // The server's settings: every bot-side rule on, 1 000 words, 10 regexes.
    let words: Vec<String> = (0..WORDS)
        .map(|i| match i % 4 {
            0 => format!("forbidden{i}"),
            1 => format!("*scam{i}*"),
            2 => format!("spam{i}*"),
            _ => format!("*phish{i}"),
        })
        .collect();
    let regexes: Vec<String> = (0..10)
        .map(|i| format!(r"(?:buy|get)\s+\d+\s+follower{i}s?|n[i1]tro\s*gift{i}\b"))
        .collect();
    let ns = "plugin.automod";
    app.store
        .set(
            ns,
            &format!("words:{}", ids.guild),
            json!({"v": 1, "words": words, "regexes": regexes, "revision": 1}),
        )
        .expect("words");
    let all_on: serde_json::Map<String, serde_json::Value> = [
        "words",
        "invites",
        "links",
        "mentions",
        "caps",
        "emoji",
        "attachments",
        "zalgo",
        "duplicates",
    ]
    .iter()
    .map(|r| ((*r).to_owned(), json!({"enabled": true})))
    .chain([(
        "rate".to_owned(),
        json!({"enabled": true, "limit": 1000, "seconds": 1}),
    )])
    .collect();
    app.store
        .set(
            ns,
            &format!("config:{}", ids.guild),
            json!({"v": 1, "level": "high", "rules": all_on, "words_revision": 1}),
        )
        .expect("config");

    let handled = |name: &str| {
        app.manager
            .status()
            .into_iter()
            .find(|s| s.name == name)
            .map_or(0, |s| s.events_handled)
    };
    let frames: Vec<String> = (0..FRAMES).map(|seq| frame(seq, ids.guild.get())).collect();
    let mut metrics = ShardMetrics::new(0);
    // Warm-up: compiles the rules once (as the first message of a server does).
    handle_frame(&shared, &frame(FRAMES + 1, ids.guild.get()), &mut metrics);
    while handled("automod") < 1 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let (automod0, plain0) = (handled("automod"), handled("misbehaving"));
    let started = Instant::now();
    for text in &frames {
        handle_frame(&shared, text, &mut metrics);
    }
    let queued = started.elapsed();
    let (mut automod_done, mut plain_done) = (None, None);
    while automod_done.is_none() || plain_done.is_none() {
        if plain_done.is_none() && handled("misbehaving") >= plain0 + FRAMES as u64 {
            plain_done = Some(started.elapsed());
        }
        if automod_done.is_none() && handled("automod") >= automod0 + FRAMES as u64 {
            automod_done = Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
    let deleted = sim
        .requests()
        .iter()
        .filter(|r| r.method == "DELETE" && r.path.contains("/messages/"))
        .count();
    app.shutdown().await.expect("shutdown");
    sim.shutdown().await;

    let (automod, plain) = (
        automod_done.unwrap_or_default(),
        plain_done.unwrap_or_default(),
    );
    println!(
        "| measure ({FRAMES} MESSAGE_CREATE frames, {WORDS} words, 10 regexes, 2 cores) | value |"
    );
    println!("|---|---|");
    println!(
        "| host `handle_frame` to both modules' queues | {} |",
        per_second(FRAMES, queued)
    );
    println!(
        "| plain dispatch: frame → `misbehaving` handler done (typed parse, nothing else) | {} |",
        per_second(FRAMES, plain)
    );
    println!(
        "| frame → automod handler done (typed parse, settings read, every bot-side rule) | {} — {:.2}× the plain dispatch |",
        per_second(FRAMES, automod),
        automod.as_secs_f64() / plain.as_secs_f64()
    );
    println!("| messages deleted (ordinary chat: must be 0) | {deleted} |");
    println!("| automod.so (plugin profile) | {size_kib} KiB |");
}
