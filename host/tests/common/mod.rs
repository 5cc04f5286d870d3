//! Shared set-up for the host's integration tests: a temporary data folder, a real store, a
//! manager, and the fixture plugin libraries built by `cargo xtask test`.

#![allow(dead_code)]

pub mod bot;

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use arsenal_host::plugins::{ManagerConfig, PluginManager};
use arsenal_store::{Store, StoreOptions};
use tempfile::TempDir;

/// The folder holding built fixture libraries: `ARSENAL_FIXTURES_DIR` (set by `cargo xtask
/// test`), else where it builds them, `target/<arch>-unknown-linux-gnu/debug`.
pub fn fixtures_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ARSENAL_FIXTURES_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target
        .join(format!("{}-unknown-linux-gnu", std::env::consts::ARCH))
        .join("debug")
}

/// The built library of fixture crate `fixture-<crate_name>`.
pub fn fixture(crate_name: &str) -> PathBuf {
    let path = fixtures_dir().join(format!("libfixture_{}.so", crate_name.replace('-', "_")));
    assert!(
        path.is_file(),
        "fixture library {} is missing: run `cargo xtask test` (it builds the fixtures first)",
        path.display()
    );
    path
}

/// The built library of real plugin `name` (a crate in plugins/).
pub fn plugin(name: &str) -> PathBuf {
    let path = fixtures_dir().join(format!("lib{name}.so"));
    assert!(
        path.is_file(),
        "plugin library {} is missing: run `cargo xtask test`",
        path.display()
    );
    path
}

/// Gives `plugins_dir` the runtime libraries the fixtures and plugins link against (`cargo xtask
/// test` installs them into `<fixtures>/runtime`, as build-plugins does into `<plugins>/runtime`):
/// a symbolic link to that folder.
pub fn link_runtime(plugins_dir: &Path) {
    let runtime = plugins_dir.join("runtime");
    if runtime.exists() {
        return;
    }
    std::fs::create_dir_all(plugins_dir).expect("plugins dir");
    std::os::unix::fs::symlink(fixtures_dir().join("runtime"), &runtime).expect("link runtime");
}

/// Installs `source` as `<name>.so` atomically (temp file + rename), as `cargo xtask build-plugins` does.
pub fn install(plugins_dir: &Path, name: &str, source: &Path) {
    let temp = plugins_dir.join(format!(".{name}.so.tmp"));
    std::fs::copy(source, &temp).expect("copy fixture");
    std::fs::rename(&temp, plugins_dir.join(format!("{name}.so"))).expect("rename fixture");
}

/// A host under test: data folder, store and manager.
pub struct TestHost {
    pub dir: TempDir,
    pub store: Store,
    pub manager: PluginManager,
}

impl TestHost {
    pub fn new() -> Self {
        Self::with_stall(Duration::from_secs(5))
    }

    /// A host serving version 1 of the `counter` fixture, loaded as at start-up.
    pub async fn serving_counter_v1() -> Self {
        let host = Self::new();
        install(&host.plugins_dir(), "counter", &fixture("counter-v1"));
        host.manager
            .reload("counter", arsenal_host::plugins::Trigger::Startup)
            .await
            .expect("counter v1 loads");
        host
    }

    pub fn with_stall(stall_after: Duration) -> Self {
        Self::with_config(|config| config.stall_after = stall_after)
    }

    /// A host whose manager settings are the tests' defaults changed by `tweak`.
    pub fn with_config(tweak: impl Fn(&mut ManagerConfig)) -> Self {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
        let (store, manager) = open(dir.path(), tweak);
        Self {
            dir,
            store,
            manager,
        }
    }

    pub fn plugins_dir(&self) -> PathBuf {
        self.dir.path().join("plugins")
    }

    /// Shuts everything down and opens the same data folder again, as a restart does.
    pub async fn restart(self) -> Self {
        self.manager.shutdown().await;
        let Self {
            dir,
            store,
            manager,
        } = self;
        drop(manager);
        store.close().expect("close store");
        let (store, manager) = open(dir.path(), |_| {});
        Self {
            dir,
            store,
            manager,
        }
    }
}

fn open(dir: &Path, tweak: impl Fn(&mut ManagerConfig)) -> (Store, PluginManager) {
    link_runtime(&dir.join("plugins"));
    let store = Store::open(&dir.join("store"), StoreOptions::default()).expect("open store");
    let mut config = ManagerConfig {
        plugins_dir: dir.join("plugins"),
        backups_dir: dir.join("backups"),
        keep_backups: 3,
        stall_after: Duration::from_secs(5),
        queue_capacity: arsenal_host::plugins::DEFAULT_QUEUE_CAPACITY,
        call_timeout: arsenal_host::plugins::DEFAULT_CALL_TIMEOUT,
        revert: arsenal_host::plugins::RevertPolicy::default(),
    };
    tweak(&mut config);
    let manager = PluginManager::new(config, store.clone()).expect("manager");
    (store, manager)
}

/// Queues `MESSAGE_CREATE` events `seq:<n>` (n from `first`) for module workers every 0.3 ms, on
/// a blocking thread, until stopped and at least `at_least` were sent (each must reach exactly
/// one module): the load a reload must not lose or reorder anything under.
pub struct EventProducer {
    stop: Arc<std::sync::atomic::AtomicBool>,
    sending: tokio::task::JoinHandle<u64>,
}

impl EventProducer {
    pub fn start(manager: &PluginManager, first: u64, at_least: u64) -> Self {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (manager, producing) = (manager.clone(), Arc::clone(&stop));
        let sending = tokio::task::spawn_blocking(move || {
            let mut seq = first;
            while !producing.load(std::sync::atomic::Ordering::Relaxed) || seq < first + at_least {
                let queued = manager.dispatch_event(
                    "MESSAGE_CREATE",
                    &message_create(seq + 1, &format!("seq:{seq}")),
                );
                assert_eq!(queued, 1);
                seq += 1;
                std::thread::sleep(Duration::from_micros(300));
            }
            seq
        });
        Self { stop, sending }
    }

    /// Stops and returns the sequence number after the last event sent.
    pub async fn finish(self) -> u64 {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.sending.await.expect("producer")
    }
}

/// A minimal MESSAGE_CREATE payload (Discord's `d`) with `content`, in server 1.
pub fn message_create(id: u64, content: &str) -> Arc<str> {
    message_create_in(1, id, content)
}

/// A minimal MESSAGE_CREATE payload with `content` in server `guild` (its channel `guild * 2`).
pub fn message_create_in(guild: u64, id: u64, content: &str) -> Arc<str> {
    Arc::from(
        serde_json::json!({
            "id": id.to_string(),
            "channel_id": (guild * 2).to_string(),
            "guild_id": guild.to_string(),
            "author": {"id": "10", "username": "alice", "discriminator": "0", "avatar": null, "global_name": null},
            "content": content,
            "timestamp": "2026-11-21T10:00:00.000000+00:00",
            "edited_timestamp": null,
            "tts": false,
            "mention_everyone": false,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": false,
            "type": 0
        })
        .to_string(),
    )
}

/// A command invocation payload by an administrator.
pub fn command(name: &str) -> String {
    serde_json::json!({
        "name": name,
        "args": [],
        "invoker": {"user_id": "10", "user_name": "alice", "guild_id": "1", "channel_id": "2", "permissions": "8"},
        "source": {"type": "slash"}
    })
    .to_string()
}

/// The text of a `Response::Message` answer.
pub fn answer_text(json: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).expect("answer is JSON");
    value["content"].as_str().unwrap_or_default().to_owned()
}

/// The settings `cargo xtask run` gives the sandbox when the bot's config file has none: no
/// token, `!` prefix, global commands.
pub fn sandbox_settings() -> arsenal_host::config::DiscordSettings {
    arsenal_host::config::DiscordSettings {
        token: None,
        api: None,
        gateway: None,
        owners: Vec::new(),
        commands: arsenal_host::config::CommandScope::Global,
        shards: None,
        shard_range: None,
        default_prefix: "!".to_owned(),
        control_guild: None,
        modules: Default::default(),
        metrics: None,
        dashboard: None,
        voice: Default::default(),
    }
}
