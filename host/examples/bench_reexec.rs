//! `cargo xtask bench reexec`: how long the bot stops answering when the host re-executes itself
//! in place (`!module reexec`: shards closed resumably, queues drained, store closed, execve,
//! modules loaded, RESUME, replay) beside a plain restart (SIGTERM, the process exits, a new one
//! starts and IDENTIFYs), measured side by side in one run on the release `arsenal` binary.
//!
//! The pause is read from the simulator's request log: a member posts `!count` every
//! [`PERIOD`], and the pause is the longest gap between two of the bot's answers around the
//! swap (last answer before → first answer after). Events sent during a re-exec are replayed
//! and answered after it; during a restart they are lost (a new session), which the table says.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use discord_sim::{SimConfig, Simulator};
use twilight_model::id::{
    marker::{ChannelMarker, UserMarker},
    Id,
};

#[allow(dead_code)] // The settings helper is for the in-process benchmarks.
mod common;

/// How often the member posts `!count`.
const PERIOD: Duration = Duration::from_millis(20);
/// Swaps of each kind.
const ROUNDS: usize = 5;
const WAIT: Duration = Duration::from_secs(60);

struct Bot {
    binary: PathBuf,
    data: PathBuf,
    child: Option<Child>,
}

impl Bot {
    fn start(&mut self, sim: &Simulator) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.data.join("arsenal.log"))
            .expect("log");
        let child = Command::new(&self.binary)
            .arg("--data-dir")
            .arg(&self.data)
            .arg("run")
            .env("DISCORD_TOKEN", sim.token())
            .env("ARSENAL_DISCORD_API", sim.rest_addr().to_string())
            .env("ARSENAL_DISCORD_GATEWAY", sim.gateway_url())
            .env("ARSENAL_LOG", "warn")
            .env_remove("ARSENAL_STORE_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start arsenal");
        self.child = Some(child);
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// When the bot answered in `channel`, in order.
fn answers(sim: &Simulator, channel: Id<ChannelMarker>) -> Vec<Instant> {
    let path = format!("/channels/{channel}/messages");
    sim.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == path && r.status == 200)
        .map(|r| r.at)
        .collect()
}

/// Posts `!count` every [`PERIOD`] while `swap` runs, then until the bot answered again for
/// a while; returns the longest gap between two answers after `swap` began.
async fn pause_during(
    sim: &Simulator,
    member: Id<UserMarker>,
    channel: Id<ChannelMarker>,
    swap: impl std::future::Future<Output = ()>,
) -> Duration {
    let load = async {
        loop {
            let _ = sim.try_send_message(member, channel, "!count");
            tokio::time::sleep(PERIOD).await;
        }
    };
    // A steady stream before the swap, so the last answer before it is recent.
    let _ = tokio::time::timeout(Duration::from_millis(300), load).await;
    let began = Instant::now();
    let before = answers(sim, channel).len();
    let load = async {
        loop {
            let _ = sim.try_send_message(member, channel, "!count");
            tokio::time::sleep(PERIOD).await;
        }
    };
    let settle = async {
        swap.await;
        // Answering again: 200 more answers after the swap began.
        let deadline = Instant::now() + WAIT;
        while answers(sim, channel).len() < before + 200 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::select! {
        () = settle => {}
        () = load => {}
    }
    let times = answers(sim, channel);
    let last_before = times
        .iter()
        .copied()
        .filter(|t| *t <= began)
        .max()
        .unwrap_or(began);
    let after: Vec<Instant> = times.into_iter().filter(|t| *t > began).collect();
    let mut longest = Duration::ZERO;
    let mut previous = last_before;
    for t in after {
        longest = longest.max(t.saturating_duration_since(previous));
        previous = t;
    }
    longest
}

fn median(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let binary = args
        .iter()
        .position(|a| a == "--arsenal")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .expect("--arsenal <release binary>: run `cargo xtask bench reexec`");
    let sim = Simulator::start(SimConfig::default())
        .await
        .expect("simulator");
    let (owner, channel) = sim.modify_world(|w| {
        let owner = w.owner_id();
        let guild = w.add_guild("home", owner);
        (owner, w.add_channel(guild, "general", 0, None))
    });
    let root = tempfile::tempdir().expect("temp dir");
    let data = root.path().join("bot");
    install_counter(&data.join("plugins"));
    let mut bot = Bot {
        binary,
        data,
        child: None,
    };
    bot.start(&sim);
    let connected = sim.wait_gateway_ready(1, WAIT).await;
    assert!(connected, "the bot connected");

    let (mut reexecs, mut restarts) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let resumes = sim.shard_stats(0).resumes;
        reexecs.push(
            pause_during(&sim, owner, channel, async {
                sim.send_message(owner, channel, "!module reexec").await;
                while sim.shard_stats(0).resumes == resumes {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            })
            .await,
        );
        let identifies = sim.shard_stats(0).identifies;
        restarts.push(
            pause_during(&sim, owner, channel, async {
                // Waits for the process to exit: off the runtime the simulator runs on.
                tokio::task::block_in_place(|| bot.stop());
                bot.start(&sim);
                while sim.shard_stats(0).identifies == identifies {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            })
            .await,
        );
    }
    bot.stop();
    let stats = sim.shard_stats(0);
    let (reexec, reexec_min, reexec_max) = median(reexecs);
    let (restart, restart_min, restart_max) = median(restarts);
    println!("| swap (release, counter module, `!count` every {} ms; median of {ROUNDS}) | pause: last answer before → first after | events sent meanwhile |", PERIOD.as_millis());
    println!("|---|---|---|");
    println!(
        "| re-exec in place (`!module reexec`: hand-over, execve, load, RESUME) | {:.0} ms (min {:.0}, max {:.0}) | replayed and answered |",
        ms(reexec),
        ms(reexec_min),
        ms(reexec_max)
    );
    println!(
        "| plain restart (SIGTERM, exit, start, IDENTIFY) | {:.0} ms (min {:.0}, max {:.0}) | lost (new session) |",
        ms(restart),
        ms(restart_min),
        ms(restart_max)
    );
    println!(
        "\nshard 0: {} identifies, {} resumes; violations: {}",
        stats.identifies,
        stats.resumes,
        sim.violations().len()
    );
}

/// The release `counter` fixture and the runtime libraries it links against.
fn install_counter(plugins: &Path) {
    std::fs::create_dir_all(plugins).expect("plugins folder");
    let counter = common::library("reexec", "libfixture_counter_v1.so");
    std::fs::copy(&counter, plugins.join("counter.so")).expect("install counter");
    let runtime = common::library("reexec", "runtime");
    std::os::unix::fs::symlink(runtime, plugins.join("runtime")).expect("link runtime");
}
