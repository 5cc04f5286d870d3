//! One bot run by two real `arsenal` processes over one PostgreSQL store: the simulator serves
//! 4 shards, one process runs shards 0..2 (`--shards 0..2 --total-shards 4`), the other 2..4
//! (`shards = "2..4"` and `total_shards = 4` in its arsenal.toml).
//!
//! Proves: each process identifies only its shards; a command in a server of every shard is
//! answered, by the process owning that shard (the simulator sends a server's events to its
//! shard's session only), reading what the other process wrote; only the process running
//! shard 0 registers slash commands; a process killed with SIGKILL and started again RESUMEs
//! its shards' saved sessions (no second IDENTIFY), is replayed and handles the events sent
//! while it was down, and has its guild cache back (a member who owns the control server is
//! an administrator there: a bot-wide command works), and every write the module acknowledged
//! before the kill is in the store; `!module reload` in one process reloads the module in the
//! other too (the fleet's NOTIFY); Discord saw no invalid request.

use std::process::{Command, Stdio};

use arsenal_host::discord::saved_session::{session_key, SavedSession, NAMESPACE};
use arsenal_store::{Store, TestSchema};
use discord_sim::{SimConfig, Simulator};
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, UserMarker},
    Id,
};

use crate::process::{count_after, data_dir, reply_to, wait_until, Process};

const SHARDS: u32 = 4;

/// A server on each shard (`(guild_id >> 22) % 4`), each with a #general.
fn servers_on_every_shard(sim: &Simulator) -> Vec<(u32, Id<GuildMarker>, Id<ChannelMarker>)> {
    let servers: Vec<_> = sim.modify_world(|w| {
        let owner = w.owner_id();
        let mut servers: Vec<(u32, Id<GuildMarker>, Id<ChannelMarker>)> = Vec::new();
        // Ids come in sequence, channels' too: add servers until every shard has one.
        for i in 0..8 * SHARDS {
            let guild = w.add_guild(&format!("server {i}"), owner);
            let shard = ((guild.get() >> 22) % u64::from(SHARDS)) as u32;
            if servers.iter().all(|s| s.0 != shard) {
                let channel = w.add_channel(guild, "general", 0, None);
                servers.push((shard, guild, channel));
            }
        }
        servers
    });
    let mut shards: Vec<u32> = servers.iter().map(|s| s.0).collect();
    shards.sort_unstable();
    assert_eq!(shards, [0, 1, 2, 3], "one server per shard");
    servers
}

/// A server on shard 2 owned by a new member, Alice (not a bot owner), with a #admin: B's
/// control server, where only the guild cache tells the host that Alice administers it.
fn alices_server(sim: &Simulator) -> (Id<UserMarker>, Id<GuildMarker>, Id<ChannelMarker>) {
    sim.modify_world(|w| {
        let alice = w.add_user("alice");
        for i in 0..8 * SHARDS {
            let guild = w.add_guild(&format!("alice's {i}"), alice);
            if (guild.get() >> 22) % u64::from(SHARDS) == 2 {
                let channel = w.add_channel(guild, "admin", 0, None);
                return (alice, guild, channel);
            }
        }
        panic!("no server of Alice's landed on shard 2")
    })
}

/// Shard `shard`'s session as its process last saved it.
fn saved_session(store: &Store, shard: u32) -> Option<SavedSession> {
    let saved = store.get(NAMESPACE, &session_key(shard)).expect("read")?;
    Some(serde_json::from_value(saved.value).expect("a saved session"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_split_the_shards_and_one_restarts_after_sigkill() {
    let schema = TestSchema::create_or_explain();
    let sim = Simulator::start(SimConfig {
        shards: SHARDS,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let servers = servers_on_every_shard(&sim);
    let (alice, control_guild, admin_channel) = alices_server(&sim);
    let owner = sim.with_world(|w| w.owner_id());
    let root = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let (dir_a, dir_b) = (data_dir(root.path(), "a"), data_dir(root.path(), "b"));
    std::fs::write(
        dir_b.join("arsenal.toml"),
        format!("shards = \"2..4\"\ntotal_shards = 4\ncontrol_guild = \"{control_guild}\"\n"),
    )
    .expect("config of b");
    let stats = |shard| sim.shard_stats(shard);
    // Registrations (PUT) and reads (GET) of the global commands.
    let command_requests = |method: &str| {
        sim.requests_matching(&format!(
            "{method} /applications/{{application_id}}/commands"
        ))
        .len()
    };

    // A alone: shards 0 and 1 identify, 2 and 3 stay untouched.
    let a = Process::start(
        &sim,
        Some(schema.url()),
        &dir_a,
        &["--shards", "0..2", "--total-shards", "4"],
    );
    wait_until("process A's shards 0 and 1 connected", &[&a], || {
        stats(0).connected && stats(1).connected
    })
    .await;
    wait_until("process A registered the slash commands", &[&a], || {
        sim.requests_matching("PUT /applications/{application_id}/commands")
            .iter()
            .any(|r| r.status == 200)
    })
    .await;
    assert_eq!((stats(2).identifies, stats(3).identifies), (0, 0));
    let registered = command_requests("PUT");
    assert_eq!(registered, 1, "process A (shard 0) registers the commands");
    let reads = command_requests("GET");

    // B: shards 2 and 3; A's sessions are untouched and B leaves the commands to A.
    let b = Process::start(&sim, Some(schema.url()), &dir_b, &[]);
    wait_until("process B's shards 2 and 3 connected", &[&a, &b], || {
        stats(2).connected && stats(3).connected
    })
    .await;
    for shard in 0..SHARDS {
        assert_eq!(stats(shard).identifies, 1, "shard {shard} identified once");
    }

    // A command in a server of every shard is answered by the process running that shard, and
    // each answer counts every earlier write, made by either process.
    let mut by_shard = servers.clone();
    by_shard.sort_unstable_by_key(|s| s.0);
    for (n, (shard, _, channel)) in by_shard.iter().enumerate() {
        let answer = count_after(&sim, owner, *channel, Some(n as u64), &[&a, &b]).await;
        assert_eq!(answer, format!("count={}", n + 1), "shard {shard}");
    }
    // Writes B acknowledged just before it dies (its /count answer counts them).
    let (shard_2, shard_3) = (by_shard[2].2, by_shard[3].2);
    count_after(&sim, owner, shard_2, Some(10), &[&a, &b]).await;
    let answer = count_after(&sim, owner, shard_3, Some(11), &[&a, &b]).await;
    assert_eq!(answer, "count=6");
    assert_eq!(
        command_requests("PUT"),
        registered,
        "B never registers commands"
    );
    assert!(
        command_requests("GET") > reads,
        "B read their ids (for /help's mentions)"
    );

    // Alice owns B's control server: the cache makes her an administrator there.
    let listed = reply_to(&sim, alice, admin_channel, "!module list", &[&a, &b]).await;
    assert!(listed.contains("counter"), "{listed}");

    // B saves its sessions every second: wait until they hold everything sent to them, so
    // nothing B handled is replayed to it (the slash commands above would be answered twice).
    let sessions = Store::open_postgres(schema.url()).expect("open the store");
    wait_until("B saved its sessions up to date", &[&a, &b], || {
        [2, 3].iter().all(|&shard| {
            saved_session(&sessions, shard)
                .is_some_and(|s| s.sequence == stats(shard).dispatches_sent)
        })
    })
    .await;
    b.kill();
    wait_until("the simulator saw B's connections drop", &[&a], || {
        !stats(2).connected && !stats(3).connected
    })
    .await;
    // A keeps serving its shards meanwhile.
    assert_eq!(
        count_after(&sim, owner, by_shard[0].2, None, &[&a]).await,
        "count=6"
    );
    // Sent while B is down: waiting in B's sessions.
    sim.send_message(owner, shard_2, "seq:12").await;
    sim.send_message(owner, shard_3, "seq:13").await;

    // B again, same settings: its shards resume their sessions, no IDENTIFY spent.
    let b = Process::start(&sim, Some(schema.url()), &dir_b, &[]);
    wait_until("restarted B's shards 2 and 3 resumed", &[&a, &b], || {
        stats(2).connected && stats(3).connected && stats(2).resumes == 1 && stats(3).resumes == 1
    })
    .await;
    assert_eq!(
        (stats(2).identifies, stats(3).identifies),
        (1, 1),
        "B resumed, never identified again"
    );
    assert_eq!(
        (stats(0).identifies, stats(1).identifies),
        (1, 1),
        "A untouched"
    );
    // The replayed messages were handled: the second answer counts both.
    count_after(&sim, owner, shard_2, None, &[&a, &b]).await;
    assert_eq!(
        count_after(&sim, owner, shard_3, None, &[&a, &b]).await,
        "count=8",
        "the events sent while B was down were replayed and handled"
    );
    for (shard, _, channel) in &by_shard {
        let answer = count_after(&sim, owner, *channel, None, &[&a, &b]).await;
        assert_eq!(answer, "count=8", "shard {shard} after the restart");
    }
    // No GUILD_CREATE came after the RESUME: the guild cache is the saved one.
    let listed = reply_to(&sim, alice, admin_channel, "!module list", &[&a, &b]).await;
    assert!(listed.contains("counter"), "after the restart: {listed}");
    assert_eq!(
        command_requests("PUT"),
        registered,
        "restarted B registered no commands"
    );

    // One reload for the fleet: `!module reload counter` in a server of A's shards reloads the
    // module in A (trigger `command`) and, through NOTIFY, in B (trigger `fleet`); both records
    // land in the shared reload history.
    let history = Store::open_postgres(schema.url()).expect("open the store");
    let reloads = |trigger: &str| {
        history
            .list("arsenal.reload_history", "")
            .expect("history")
            .into_iter()
            .filter(|(_, v)| v.value["plugin"] == "counter" && v.value["trigger"] == trigger)
            .count()
    };
    let (commands, fleet) = (reloads("command"), reloads("fleet"));
    sim.send_message(owner, by_shard[0].2, "!module reload counter")
        .await;
    wait_until("A reloaded counter and B followed", &[&a, &b], || {
        reloads("command") == commands + 1 && reloads("fleet") == fleet + 1
    })
    .await;
    history.close().expect("close");
    for (shard, _, channel) in &by_shard {
        let answer = count_after(&sim, owner, *channel, None, &[&a, &b]).await;
        assert_eq!(answer, "count=8", "shard {shard} after the fleet reload");
    }

    assert!(a.stop().success(), "A stops cleanly");
    assert!(b.stop().success(), "B stops cleanly");
    // A stop closes the sessions for good: nothing left to resume.
    for shard in 0..SHARDS {
        assert_eq!(saved_session(&sessions, shard), None, "shard {shard}");
    }
    sessions.close().expect("close");
    // Every acknowledged write, exactly once.
    let store = Store::open_postgres(schema.url()).expect("open the store");
    let mut seqs: Vec<u64> = store
        .list("plugin.counter", "e:")
        .expect("list")
        .into_iter()
        .map(|(_, v)| v.value[0].as_u64().expect("seq"))
        .collect();
    seqs.sort_unstable();
    assert_eq!(seqs, [0, 1, 2, 3, 10, 11, 12, 13]);
    store.close().expect("close");
    sim.assert_no_violations();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shard_range_on_the_json_store_is_refused_with_what_to_do() {
    let sim = Simulator::start(SimConfig {
        shards: 2,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let root = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let dir = data_dir(root.path(), "alone");
    let output = Command::new(env!("CARGO_BIN_EXE_arsenal"))
        .arg("--data-dir")
        .arg(&dir)
        .args(["--shards", "0..1", "--total-shards", "2", "run"])
        .env("DISCORD_TOKEN", sim.token())
        .env("ARSENAL_DISCORD_API", sim.rest_addr().to_string())
        .env("ARSENAL_DISCORD_GATEWAY", sim.gateway_url())
        .env_remove("ARSENAL_STORE_URL")
        .stdin(Stdio::null())
        .output()
        .expect("run arsenal");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("runs shards 0..1 of 2") && stderr.contains("PostgreSQL store"),
        "{stderr}"
    );
    // It never went as far as identifying.
    assert_eq!(sim.shard_stats(0).identifies, 0);
    // A range past the total is refused before anything starts.
    let output = Command::new(env!("CARGO_BIN_EXE_arsenal"))
        .arg("--data-dir")
        .arg(&dir)
        .args(["--shards", "2..5", "--total-shards", "4", "run"])
        .env("DISCORD_TOKEN", sim.token())
        .env_remove("ARSENAL_STORE_URL")
        .stdin(Stdio::null())
        .output()
        .expect("run arsenal");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("goes past total_shards = 4"), "{stderr}");
}
