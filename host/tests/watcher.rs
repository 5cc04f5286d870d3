//! The plugins-folder watcher: a dropped-in rebuild loads exactly once, however it arrives.

mod common;

use std::{
    io::Write,
    path::Path,
    time::{Duration, Instant},
};

use arsenal_host::plugins::{watcher, Trigger};
use common::{answer_text, command, fixture, install, TestHost};

const DEBOUNCE: Duration = Duration::from_millis(100);

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn successes(host: &TestHost, plugin: &str) -> usize {
    host.manager
        .history()
        .recent(1000)
        .iter()
        .filter(|r| r.plugin == plugin && r.trigger == Trigger::Watcher && r.outcome != "failed")
        .count()
}

fn version(host: &TestHost, plugin: &str) -> Option<String> {
    host.manager
        .status()
        .into_iter()
        .find(|s| s.name == plugin)
        .and_then(|s| s.state.manifest.map(|m| m.version))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_mv_and_slow_writes_reload_exactly_once() {
    let host = TestHost::new();
    let plugins = host.plugins_dir();
    install(&plugins, "counter", &fixture("counter-v1"));
    host.manager.load_all(Trigger::Startup).await;
    let _watcher = watcher::watch(host.manager.clone(), DEBOUNCE).unwrap();

    // 1. mv (atomic rename) of a rebuilt file.
    install(&plugins, "counter", &fixture("counter-v2"));
    wait_for("v2 via rename", || {
        version(&host, "counter").as_deref() == Some("2.0.0")
    })
    .await;

    // 2. plain cp over the file (many writes to the same path).
    std::fs::copy(fixture("counter-v1"), plugins.join("counter.so")).unwrap();
    wait_for("v1 via copy", || {
        version(&host, "counter").as_deref() == Some("1.0.0")
    })
    .await;

    // 3. a slow writer: half the file, a pause longer than the debounce, then the rest.
    let bytes = std::fs::read(fixture("counter-v2")).unwrap();
    let mut file = std::fs::File::create(plugins.join("counter.so")).unwrap();
    file.write_all(&bytes[..bytes.len() / 2]).unwrap();
    file.flush().unwrap();
    tokio::time::sleep(DEBOUNCE * 4).await;
    assert_eq!(
        version(&host, "counter").as_deref(),
        Some("1.0.0"),
        "a half file never replaces the running version"
    );
    file.write_all(&bytes[bytes.len() / 2..]).unwrap();
    drop(file);
    wait_for("v2 via slow write", || {
        version(&host, "counter").as_deref() == Some("2.0.0")
    })
    .await;

    // 4. touching the file or copying identical content loads nothing.
    std::fs::copy(fixture("counter-v2"), plugins.join("counter.so")).unwrap();
    tokio::time::sleep(DEBOUNCE * 5).await;
    assert_eq!(
        successes(&host, "counter"),
        3,
        "exactly one load per changed file"
    );
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "count=0 (v2)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_files_load_and_deleted_files_keep_running() {
    let host = TestHost::new();
    let plugins = host.plugins_dir();
    let _watcher = watcher::watch(host.manager.clone(), DEBOUNCE).unwrap();

    install(&plugins, "counter", &fixture("counter-v1"));
    wait_for("new module", || version(&host, "counter").is_some()).await;

    std::fs::remove_file(plugins.join("counter.so")).unwrap();
    wait_for("deletion noticed", || {
        host.manager
            .status()
            .iter()
            .any(|s| s.name == "counter" && s.state.file_deleted)
    })
    .await;
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "count=0", "still serving from memory");

    // Files that are not modules are ignored.
    std::fs::write(plugins.join("README.txt"), "hello").unwrap();
    std::fs::write(plugins.join("Bad Name.so"), "x").unwrap();
    tokio::time::sleep(DEBOUNCE * 4).await;
    assert_eq!(host.manager.loaded(), ["counter"]);
    let _ = Path::new("");
}
