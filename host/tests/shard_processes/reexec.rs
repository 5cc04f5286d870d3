//! A real `arsenal` process re-executing itself in place (`arsenal_host::reexec`), on demand and
//! when the plugin code left mapped by reloads passes a small budget.
//!
//! Proves: `!module reexec` replaces the process (same pid) and its shard RESUMEs (no second
//! IDENTIFY); a timer and an interaction pending at the moment of the swap are served; then,
//! under a steady event load, 2,000 reloads (`ARSENAL_TEST_REEXEC_RELOADS` for fewer) re-execute
//! the process each time a reload would let the retired code pass the budget (that reload is
//! answered "re-executing" and done by the new process): the plugin code mapped stays within the
//! budget plus the serving copy, the resident memory within a fresh image's plus the budget, the
//! simulator saw RESUMEs and no second IDENTIFY, every event is handled exactly once and in
//! order, and Discord saw no invalid request.

use arsenal_store::{Store, StoreOptions};
use discord_sim::{SimConfig, Simulator};

use crate::process::{data_dir, reply_to, wait_until, Process, WAIT};

/// Channels the load and the reloads take turns over.
const CHANNELS: usize = 50;

/// Retired plugin code that makes the host re-execute itself, in MiB.
const BUDGET_MIB: u64 = 16;

/// Bytes `pid` has resident (`/proc/<pid>/statm`).
fn resident(pid: u32) -> u64 {
    let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).expect("statm");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("resident pages");
    pages * 4096
}

/// Bytes of plugin code `pid` has mapped (every copy of every module).
fn plugin_code(pid: u32) -> u64 {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).expect("maps");
    maps.lines()
        .filter(|line| line.contains("/memfd:arsenal-plugin-"))
        .filter_map(|line| {
            let (start, end) = line.split_whitespace().next()?.split_once('-')?;
            let start = u64::from_str_radix(start, 16).ok()?;
            Some(u64::from_str_radix(end, 16).ok()? - start)
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_re_executes_in_place_and_resumes_without_losing_an_event() {
    let reloads: usize = std::env::var("ARSENAL_TEST_REEXEC_RELOADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let sim = Simulator::start(SimConfig::default())
        .await
        .expect("simulator");
    // Many channels: looking for a reply reads a channel's every message, so the reloads take
    // turns over them (one server, one shard: one queue, one order for every `seq:`).
    let (owner, channels) = sim.modify_world(|w| {
        let owner = w.owner_id();
        let guild = w.add_guild("home", owner);
        let channels: Vec<_> = (0..CHANNELS)
            .map(|i| w.add_channel(guild, &format!("room-{i}"), 0, None))
            .collect();
        (owner, channels)
    });
    let channel = channels[0];
    let stats = || sim.shard_stats(0);
    let root = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let dir = data_dir(root.path(), "bot");
    std::fs::write(
        dir.join("arsenal.toml"),
        format!("[modules]\nretired_code_budget_mib = {BUDGET_MIB}\n"),
    )
    .expect("config");
    let bot = Process::start(&sim, None, &dir, &[]);
    let pid = bot.child.id();
    wait_until("the shard connected", &[&bot], || stats().connected).await;
    // `seq:<n>` messages: the counter records each one it handles, in order.
    let mut seq = 0_u64;
    let send_seq = |seq: &mut u64| {
        let text = format!("seq:{seq}");
        let channel = channels[usize::try_from(*seq).unwrap_or(0) % CHANNELS];
        *seq += 1;
        let sim = &sim;
        async move {
            sim.send_message(owner, channel, &text).await;
        }
    };
    send_seq(&mut seq).await;

    // On demand, with a timer coming due and an interaction arriving during the swap.
    let set = reply_to(&sim, owner, channel, "!remind 300", &[&bot]).await;
    assert_eq!(set, "reminder set");
    let asked = reply_to(&sim, owner, channel, "!module reexec", &[&bot]).await;
    assert!(asked.starts_with("Restarting in place"), "{asked}");
    let count = sim
        .run_slash_command(owner, channel, "count", serde_json::json!([]))
        .await;
    send_seq(&mut seq).await;
    wait_until("the re-executed process resumed", &[&bot], || {
        stats().resumes == 1 && stats().connected
    })
    .await;
    let answer = count
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .and_then(|o| o.content());
    assert!(
        answer.as_deref().is_some_and(|a| a.starts_with("count=")),
        "the interaction sent during the swap was answered: {answer:?}\n{}",
        bot.log()
    );
    let fired = sim
        .wait_for(WAIT, |w| {
            w.messages(channel)
                .into_iter()
                .find(|m| m.content.starts_with("reminder fired"))
        })
        .await;
    assert!(fired.is_some(), "the timer was delivered\n{}", bot.log());
    assert_eq!(bot.child.id(), pid, "replaced in place: same process");

    // Reloads under a steady load of events, each re-exec triggered by the budget.
    let budget = BUDGET_MIB << 20;
    let mut most_code = 0;
    let mut most_resident = 0;
    // The resident memory of each fresh image at its first reload: the baseline.
    let (mut image, mut baseline) = (0, 0);
    // Reloads answered "re-executing": the budget refused them in the old image.
    let mut deferred = 0;
    // One copy of the module, serving.
    let serving = plugin_code(pid);
    for round in 0..reloads {
        send_seq(&mut seq).await;
        let room = channels[round % CHANNELS];
        let reloaded = reply_to(&sim, owner, room, "!module reload counter", &[&bot]).await;
        if reloaded.contains("re-executing itself") {
            deferred += 1;
        } else {
            assert!(reloaded.contains("reloaded"), "{reloaded}");
        }
        let (code, rss) = (plugin_code(pid), resident(pid));
        if stats().resumes != image {
            image = stats().resumes;
            baseline = baseline.max(rss);
        }
        most_code = most_code.max(code);
        most_resident = most_resident.max(rss);
    }
    let re_execs = stats().resumes;
    send_seq(&mut seq).await;
    // After every `seq:` message in the same queue: counts them all.
    let last = reply_to(&sim, owner, channel, "!count", &[&bot]).await;
    assert_eq!(last, format!("count={seq}"), "{}", bot.log());
    assert!(bot.stop().success(), "stops cleanly");

    assert!(
        re_execs >= 2,
        "the budget made it re-execute ({re_execs} resumes)"
    );
    assert_eq!(
        stats().identifies,
        1,
        "every re-exec resumed, none identified"
    );
    // Each budget re-exec was asked by a reload the budget refused (one that arrived while the
    // old image was handing over is refused too).
    assert!(
        deferred >= re_execs - 1,
        "{deferred} reloads refused for {re_execs} re-execs"
    );
    // Bounded by the budget, not by the reloads (2,000 copies would be ~450 MiB): the retired
    // copies within it, beside the serving one.
    let over = most_code.saturating_sub(budget);
    assert!(
        most_code <= budget + serving,
        "plugin code mapped peaked at {most_code} bytes (budget {budget}, a copy {serving})"
    );
    assert!(
        most_resident <= baseline + budget,
        "resident memory peaked at {most_resident} bytes (fresh image {baseline}, budget {budget})"
    );
    // Every event exactly once, in order, across every swap.
    let store = Store::open(&dir.join("store"), StoreOptions::default()).expect("open the store");
    let handled: Vec<u64> = store
        .list("plugin.counter", "e:")
        .expect("list")
        .into_iter()
        .map(|(_, v)| v.value[0].as_u64().expect("seq"))
        .collect();
    store.close().expect("close");
    assert_eq!(handled, (0..seq).collect::<Vec<_>>());
    sim.assert_no_violations();
    println!("{reloads} reloads, {re_execs} re-execs; plugin code peaked at {most_code} bytes ({over} over the budget, a copy {serving}), RSS at {most_resident} (fresh image {baseline}, {} over it)", most_resident - baseline.min(most_resident));
}
