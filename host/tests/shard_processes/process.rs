//! A real `arsenal` process against the simulator, and what the tests ask of it.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use discord_sim::Simulator;
use twilight_model::id::{
    marker::{ChannelMarker, UserMarker},
    Id,
};

use crate::common;

/// Generous: a process starts, loads its module and connects in this time on a busy machine.
pub const WAIT: Duration = Duration::from_secs(60);

/// A running `arsenal` process, killed if the test ends early.
pub struct Process {
    pub child: Child,
    log: PathBuf,
}

impl Process {
    /// Starts the built `arsenal` binary on `data_dir` against the simulator, on the
    /// PostgreSQL store at `store_url` (the JSON store in `data_dir` without one).
    pub fn start(sim: &Simulator, store_url: Option<&str>, data_dir: &Path, args: &[&str]) -> Self {
        let log = data_dir.join("arsenal.log");
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_arsenal"));
        command
            .arg("--data-dir")
            .arg(data_dir)
            .args(args)
            .arg("run")
            .env("DISCORD_TOKEN", sim.token())
            .env("ARSENAL_DISCORD_API", sim.rest_addr().to_string())
            .env("ARSENAL_DISCORD_GATEWAY", sim.gateway_url())
            .env("ARSENAL_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file);
        match store_url {
            Some(url) => command.env("ARSENAL_STORE_URL", url),
            None => command.env_remove("ARSENAL_STORE_URL"),
        };
        let child = command.spawn().expect("start arsenal");
        Self { child, log }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown, no close frame, no flush.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// SIGTERM, and the exit status of the clean shutdown that follows.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill -TERM");
        assert!(sent.success());
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "arsenal did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A data folder with the `counter` module installed.
pub fn data_dir(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    let plugins = dir.join("plugins");
    std::fs::create_dir_all(&plugins).expect("plugins folder");
    common::link_runtime(&plugins);
    common::install(&plugins, "counter", &common::fixture("counter-v1"));
    dir
}

/// Polls `done` until it holds, or fails with `what` and both processes' logs.
pub async fn wait_until(what: &str, processes: &[&Process], mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        if Instant::now() > deadline {
            let logs: Vec<String> = processes.iter().map(|p| p.log()).collect();
            panic!(
                "{what}: not within {WAIT:?}\n--- logs ---\n{}",
                logs.join("\n---\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Posts `content` as `user` in `channel` and returns the bot's reply to it.
pub async fn reply_to(
    sim: &Simulator,
    user: Id<UserMarker>,
    channel: Id<ChannelMarker>,
    content: &str,
    processes: &[&Process],
) -> String {
    let sent = sim.send_message(user, channel, content).await;
    let bot = sim.with_world(|w| w.bot_user_id());
    let reply = sim
        .wait_for(WAIT, |w| {
            w.messages(channel)
                .into_iter()
                .find(|m| {
                    m.author.id == bot
                        && m.reference.as_ref().and_then(|r| r.message_id) == Some(sent)
                })
                .map(|m| m.content)
        })
        .await;
    reply.unwrap_or_else(|| {
        let logs: Vec<String> = processes.iter().map(|p| p.log()).collect();
        panic!("no reply to {content:?}\n{}", logs.join("\n---\n"))
    })
}

/// Posts `seq:<n>` (the counter records it) then runs `/count` in `channel`; returns the
/// answer. The message and the command reach the same shard, so the same module queue, in
/// that order: the answer counts the message.
pub async fn count_after(
    sim: &Simulator,
    user: Id<UserMarker>,
    channel: Id<ChannelMarker>,
    seq: Option<u64>,
    processes: &[&Process],
) -> String {
    if let Some(seq) = seq {
        sim.send_message(user, channel, &format!("seq:{seq}")).await;
    }
    let handle = sim.run_slash_command(user, channel, "count", serde_json::json!([]));
    let handle = handle.await;
    match handle
        .wait_until(WAIT, |o| o.content().is_some())
        .await
        .and_then(|o| o.content())
    {
        Some(answer) => answer,
        None => {
            let logs: Vec<String> = processes.iter().map(|p| p.log()).collect();
            panic!(
                "/count in {channel} was not answered\n{}",
                logs.join("\n---\n")
            )
        }
    }
}
