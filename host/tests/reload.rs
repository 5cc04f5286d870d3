//! Hot reload with real `dlopen` of real libraries: exactly-once ordered events across a swap,
//! data carried from v1 to v2, refusal of bad libraries with the old version still serving,
//! backups and durable history; canaries by server (`canary`).

#[path = "reload/canary.rs"]
mod canary;
mod common;

use std::{sync::Arc, time::Duration};

use arsenal_host::plugins::Trigger;
use common::{answer_text, command, fixture, install, message_create, EventProducer, TestHost};

const MIN_EVENTS: u64 = 200;

fn handled(host: &TestHost) -> Vec<(u64, String)> {
    host.store
        .list("plugin.counter", "e:")
        .expect("store read")
        .into_iter()
        .map(|(_, v)| serde_json::from_value(v.value).expect("(seq, version)"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1_to_v2_under_continuous_events_loses_nothing() {
    let host = TestHost::new();
    install(&host.plugins_dir(), "counter", &fixture("counter-v1"));
    let report = host
        .manager
        .reload("counter", Trigger::Startup)
        .await
        .expect("v1 loads");
    assert_eq!(report.new_version, "1.0.0");

    // A producer keeps queueing events before, during and after the reload.
    let producer = EventProducer::start(&host.manager, 0, MIN_EVENTS);
    tokio::time::sleep(Duration::from_millis(20)).await;
    install(&host.plugins_dir(), "counter", &fixture("counter-v2"));
    let report = host
        .manager
        .reload("counter", Trigger::Command)
        .await
        .expect("v2 loads");
    assert_eq!(report.old_version.as_deref(), Some("1.0.0"));
    assert_eq!(report.new_version, "2.0.0");
    tokio::time::sleep(Duration::from_millis(30)).await;
    let events = producer.finish().await;

    // The command goes through the same queue, so every event before it has been handled.
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .expect("v2 answers");
    assert_eq!(
        answer_text(&answer),
        format!("count={events} (v2)"),
        "v2 behaviour, v1's data"
    );

    let log = handled(&host);
    let seqs: Vec<u64> = log.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(
        seqs,
        (0..events).collect::<Vec<_>>(),
        "every event exactly once, in order"
    );
    let switch = log
        .iter()
        .position(|(_, v)| v == "2.0.0")
        .expect("v2 handled some events");
    assert!(switch > 0, "v1 handled the first events");
    assert!(log[..switch].iter().all(|(_, v)| v == "1.0.0"));
    assert!(
        log[switch..].iter().all(|(_, v)| v == "2.0.0"),
        "no event went back to v1"
    );
    let loads: u64 = serde_json::from_value(
        host.store
            .get("plugin.counter", "loads")
            .unwrap()
            .unwrap()
            .value,
    )
    .unwrap();
    assert_eq!(loads, 2, "v2's constructor read v1's data");
}

#[tokio::test]
async fn bad_libraries_are_refused_and_v1_keeps_serving() {
    let host = TestHost::serving_counter_v1().await;
    let plugins = host.plugins_dir();
    host.manager
        .dispatch_event("MESSAGE_CREATE", &message_create(1, "seq:0"));

    let garbage = host.dir.path().join("garbage.so");
    std::fs::write(&garbage, b"\x7fELF but not really a library at all").unwrap();
    let truncated = host.dir.path().join("truncated.so");
    let v2 = std::fs::read(fixture("counter-v2")).unwrap();
    std::fs::write(&truncated, &v2[..v2.len() / 3]).unwrap();

    let cases = [
        (garbage, "not a loadable shared library"),
        (truncated, "not a loadable shared library"),
        (fixture("no-root"), "not an Arsenal plugin"),
        (fixture("wrong-abi"), "different plugin interface"),
        (
            fixture("init-fail"),
            "refused to start: refusing to start: required setting `greeting` is missing",
        ),
        (fixture("init-panic"), "panicked while starting"),
        (
            fixture("misbehaving"),
            "the manifest names module \"misbehaving\"",
        ),
    ];
    for (file, expected) in cases {
        install(&plugins, "counter", &file);
        let error = host
            .manager
            .reload("counter", Trigger::Command)
            .await
            .expect_err("refused");
        assert!(
            error.message.contains(expected),
            "{} → {error}",
            file.display()
        );
        assert!(!error.message.contains('\n'), "one line: {error}");
        let answer = host
            .manager
            .call("counter", "command", &command("count"))
            .await
            .expect("v1 still answers");
        assert_eq!(answer_text(&answer), "count=1");
    }
    let status = host.manager.status();
    assert_eq!(status[0].state.manifest.as_ref().unwrap().version, "1.0.0");

    let history = host.manager.history().recent(100);
    assert_eq!(history.iter().filter(|r| r.outcome == "failed").count(), 7);
    assert!(history
        .iter()
        .all(|r| r.outcome != "failed" || r.error.is_some()));
}

#[tokio::test]
async fn a_missing_or_path_like_module_is_refused() {
    let host = TestHost::new();
    for name in ["../etc/passwd", "/abs", "a.so", ""] {
        let error = host
            .manager
            .reload(name, Trigger::Command)
            .await
            .expect_err("refused");
        assert!(error.message.contains("not a module name"), "{error}");
        assert_eq!(
            error.kind(),
            arsenal_host::plugins::ReloadErrorType::NotAModuleName
        );
    }
    let error = host
        .manager
        .reload("tickets", Trigger::Command)
        .await
        .expect_err("refused");
    assert!(
        error.message.contains("cargo xtask build-plugins"),
        "{error}"
    );
    assert_eq!(error.kind(), arsenal_host::plugins::ReloadErrorType::NoFile);
}

#[tokio::test]
async fn reload_backs_up_data_and_history_survives_restart() {
    let host = TestHost::new();
    install(&host.plugins_dir(), "counter", &fixture("counter-v1"));
    host.manager
        .reload("counter", Trigger::Startup)
        .await
        .unwrap();
    host.manager
        .dispatch_event("MESSAGE_CREATE", &message_create(1, "seq:0"));
    host.manager
        .call("counter", "command", &command("count"))
        .await
        .unwrap();
    for _ in 0..4 {
        host.manager
            .reload("counter", Trigger::Command)
            .await
            .unwrap();
    }
    host.manager.backups().flush();
    let backups = host.manager.backups().list("counter");
    assert_eq!(backups.len(), 3, "only the newest 3 are kept: {backups:?}");
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backups.last().unwrap()).unwrap()).unwrap();
    assert!(
        saved.to_string().contains("\"1.0.0\""),
        "the backup holds the plugin's data: {saved}"
    );

    let host = host.restart().await;
    let history = host.manager.history().recent(10);
    let outcomes: Vec<&str> = history.iter().map(|r| r.outcome.as_str()).collect();
    assert_eq!(
        outcomes,
        ["loaded", "reloaded", "reloaded", "reloaded", "reloaded"]
    );
    assert!(history
        .iter()
        .all(|r| r.new_hash.is_some() && r.duration_us > 0));

    // And the data is there for the module after the restart.
    install(&host.plugins_dir(), "counter", &fixture("counter-v2"));
    host.manager.load_all(Trigger::Startup).await;
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "count=1 (v2)");
}

#[tokio::test]
async fn unload_stops_the_module_and_keeps_its_data() {
    let host = TestHost::new();
    install(&host.plugins_dir(), "counter", &fixture("counter-v1"));
    host.manager
        .reload("counter", Trigger::Startup)
        .await
        .unwrap();
    host.manager
        .dispatch_event("MESSAGE_CREATE", &message_create(1, "seq:0"));
    host.manager.unload("counter").await.unwrap();
    let error = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .expect_err("unloaded");
    assert!(error.message.contains("not loaded"), "{}", error.message);
    assert_eq!(
        handled(&host).len(),
        1,
        "the queued event was handled before stopping"
    );
    assert_eq!(
        host.manager
            .dispatch_event("MESSAGE_CREATE", &Arc::from("{}")),
        0
    );
}

#[tokio::test]
async fn the_staged_copy_is_what_loads_and_the_file_can_be_overwritten_in_place() {
    use arsenal_host::plugins::loader::{hash_bytes, Loader};

    let host = TestHost::serving_counter_v1().await;
    let plugins = host.plugins_dir();
    let file = plugins.join("counter.so");

    // Stage v2 (what the watcher does), then overwrite the file in place with v1 before the
    // staged copy is loaded: the copy, its hash and its code are v2's.
    install(&plugins, "counter", &fixture("counter-v2"));
    let v2_bytes = std::fs::read(&file).expect("read v2");
    let staged = Loader::default().stage(&file).expect("v2 stages");
    assert_eq!(staged.hash(), hash_bytes(&v2_bytes));
    std::fs::write(
        &file,
        std::fs::read(fixture("counter-v1")).expect("read v1"),
    )
    .expect("overwrite in place");
    let report = host
        .manager
        .reload_staged("counter", staged, Trigger::Watcher)
        .await
        .expect("staged v2 loads");
    assert_eq!(report.new_version, "2.0.0");
    assert_eq!(report.new_hash, hash_bytes(&v2_bytes));
    assert_eq!(
        host.manager.running_hash("counter").as_deref(),
        Some(hash_bytes(&v2_bytes).as_str())
    );

    // A `cp` over the running plugin's file truncates and rewrites that very inode; the
    // running code was loaded from its own copy, so it keeps answering.
    std::fs::write(&file, b"half a library").expect("overwrite in place");
    host.manager
        .dispatch_event("MESSAGE_CREATE", &message_create(1, "seq:0"));
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .expect("v2 still answers");
    assert_eq!(answer_text(&answer), "count=1 (v2)");

    // Staging refuses what the dynamic linker must never see, naming the problem.
    let error = Loader::default().stage(&file).expect_err("not a library");
    assert!(
        error.to_string().contains("not a loadable shared library"),
        "{error}"
    );
    std::fs::write(&file, b"").expect("empty");
    assert!(
        Loader::default().stage(&file).is_err(),
        "an empty file is refused"
    );
}

/// Replaces the first occurrence of `from` in `bytes` with `to` (same length).
fn patched(mut bytes: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern present in the library");
    bytes[at..at + to.len()].copy_from_slice(to);
    bytes
}

/// The SDK runtime a library needs: its `libarsenal_plugin_api-<hash>.so` `DT_NEEDED` entry.
fn sdk_runtime_name(bytes: &[u8]) -> Vec<u8> {
    let prefix = b"libarsenal_plugin_api-";
    let at = bytes
        .windows(prefix.len())
        .position(|w| w == prefix)
        .expect("the library links the SDK runtime dynamically (built by cargo xtask test)");
    let len = bytes[at..]
        .windows(3)
        .position(|w| w == b".so")
        .expect("runtime name")
        + 3;
    bytes[at..at + len].to_vec()
}

/// Replaces every occurrence of `from` in `bytes` with `to` (same length).
fn patched_all(mut bytes: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    while bytes.windows(from.len()).any(|w| w == from) {
        bytes = patched(bytes, from, to);
    }
    bytes
}

#[tokio::test]
async fn a_plugin_built_against_another_sdk_build_loads_beside_the_first() {
    let host = TestHost::serving_counter_v1().await;
    let plugins = host.plugins_dir();

    // v2 built against another build of the SDK runtime (as after an SDK change and
    // `cargo xtask build-plugins` while the host runs): the runtime under another soname, and v2
    // needing that one.
    let v2 = std::fs::read(fixture("counter-v2")).expect("read v2");
    let old = sdk_runtime_name(&v2);
    let new = format!(
        "libarsenal_plugin_api-{}.so",
        "e".repeat(old.len() - "libarsenal_plugin_api-.so".len())
    );
    let runtime = plugins.join("runtime");
    std::fs::remove_file(&runtime).expect("unlink the shared runtime folder");
    std::fs::create_dir(&runtime).expect("own runtime folder");
    let old_runtime = std::fs::read(
        common::fixtures_dir()
            .join("runtime")
            .join(String::from_utf8_lossy(&old).as_ref()),
    )
    .expect("read the runtime");
    std::fs::write(
        runtime.join(&new),
        patched_all(old_runtime, &old, new.as_bytes()),
    )
    .expect("install the other runtime build");
    let v2_file = host.dir.path().join("counter-v2.so");
    std::fs::write(&v2_file, patched_all(v2, &old, new.as_bytes())).expect("write v2");
    install(&plugins, "counter", &v2_file);

    let report = host
        .manager
        .reload("counter", Trigger::Command)
        .await
        .expect("v2 loads beside the runtime v1 uses");
    assert_eq!(report.new_version, "2.0.0");
    let maps = std::fs::read_to_string("/proc/self/maps").expect("maps");
    assert!(maps.contains(&new), "the second runtime build is mapped");
    let answer = host
        .manager
        .call("counter", "command", &command("count"))
        .await
        .expect("v2 answers");
    assert_eq!(answer_text(&answer), "count=0 (v2)");
}

#[test]
fn the_layout_is_walked_in_full_once_per_fingerprint_and_always_without_ours() {
    use arsenal_host::plugins::loader::{LoadError, Loader};
    use arsenal_plugin_api::abi::{ABI_FINGERPRINT, ABI_FINGERPRINT_SYMBOL};

    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let loader = Loader::new(&common::fixtures_dir());
    let load = |name: &str, bytes: Vec<u8>| {
        let file = dir.path().join(format!("{name}.so"));
        std::fs::write(&file, bytes).expect("write");
        loader.load(&file, "counter")
    };
    let v1 = std::fs::read(fixture("counter-v1")).expect("read v1");
    let v2 = std::fs::read(fixture("counter-v2")).expect("read v2");

    // The first library with this host's fingerprint is walked; the next ones are trusted.
    load("a", v1.clone()).expect("v1 loads");
    assert_eq!(loader.layout_walks(), 1);
    load("b", v2.clone()).expect("v2 loads");
    load("c", v1.clone()).expect("v1 loads again");
    assert_eq!(loader.layout_walks(), 1, "same fingerprint: no second walk");

    // Another fingerprint (one byte of it changed) or none (symbol renamed): walked every time,
    // and still loaded, because the layout itself matches.
    let mut other = ABI_FINGERPRINT;
    other[0] ^= 0xff;
    let foreign = patched(v2.clone(), &ABI_FINGERPRINT, &other);
    load("d", foreign.clone()).expect("a matching layout loads");
    load("e", foreign).expect("and again");
    assert_eq!(loader.layout_walks(), 3);
    let mut renamed = ABI_FINGERPRINT_SYMBOL.as_bytes().to_vec();
    *renamed.last_mut().expect("name") = b'X';
    let unmarked = patched(v1, ABI_FINGERPRINT_SYMBOL.as_bytes(), &renamed);
    load("f", unmarked).expect("a library without a fingerprint loads after a full walk");
    assert_eq!(loader.layout_walks(), 4);

    // A different layout is refused by the walk, however many libraries were trusted before.
    let error = load(
        "g",
        std::fs::read(fixture("wrong-abi")).expect("read wrong-abi"),
    )
    .expect_err("wrong layout");
    assert!(
        matches!(error, LoadError::IncompatibleAbi { .. }),
        "{error}"
    );
    assert_eq!(loader.layout_walks(), 5);
}

#[test]
fn a_plugin_needing_a_runtime_nobody_has_is_refused_naming_it() {
    use arsenal_host::plugins::loader::{LoadError, Loader};

    // A plugin built against another build of the SDK runtime: its DT_NEEDED names a
    // `libarsenal_plugin_api-<hash>.so` no folder has.
    let bytes = std::fs::read(fixture("counter-v1")).expect("read v1");
    let real = sdk_runtime_name(&bytes);
    let fake = format!(
        "libarsenal_plugin_api-{}.so",
        "0".repeat(real.len() - "libarsenal_plugin_api-.so".len())
    );
    let foreign = patched_all(bytes, &real, fake.as_bytes());

    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let file = dir.path().join("counter.so");
    std::fs::write(&file, foreign).expect("write");
    let error = Loader::new(dir.path())
        .load(&file, "counter")
        .expect_err("no such runtime anywhere");
    assert!(matches!(error, LoadError::Runtime { .. }), "{error}");
    let text = error.to_string();
    assert!(text.contains(&fake), "{text}");
    assert!(text.contains("SDK runtime"), "{text}");
    assert!(
        text.contains(&dir.path().join("runtime").display().to_string()),
        "{text}"
    );
    assert!(text.contains("cargo xtask build-plugins"), "{text}");
}

/// Open descriptors, mappings and resident bytes of the in-memory copies made for module `name`.
fn copies_of(name: &str) -> (usize, usize, u64) {
    let label = format!("memfd:arsenal-plugin-{name} ");
    let fds = std::fs::read_dir("/proc/self/fd")
        .expect("list fds")
        .flatten()
        .filter(|fd| {
            std::fs::read_link(fd.path())
                .is_ok_and(|target| format!("{} ", target.display()).contains(&label))
        })
        .count();
    // smaps: a header line per mapping (address range first), then `Field: value` lines.
    let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps");
    let label = label.trim_end();
    let (mut mappings, mut resident, mut ours) = (0, 0, false);
    for line in smaps.lines() {
        let field = line.split_whitespace().next().unwrap_or_default();
        if !field.ends_with(':') {
            ours = line.contains(label);
            mappings += usize::from(ours);
        } else if ours && field == "Rss:" {
            let kib: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|k| k.parse().ok())
                .expect("Rss value");
            resident += kib << 10;
        }
    }
    (fds, mappings, resident)
}

/// Resident memory of this process, in bytes.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("statm");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("resident pages");
    pages * 4096
}

#[tokio::test]
async fn failed_loads_leave_descriptors_and_memory_flat() {
    let host = TestHost::new();
    let plugins = host.plugins_dir();
    let garbage = host.dir.path().join("garbage.so");
    std::fs::write(&garbage, b"\x7fELF but not really a library at all").unwrap();
    // (file, module name, copies left at most, expected error)
    let cases = [
        (garbage, "leak_garbage", 0, "not a loadable shared library"),
        // Opened, then closed again: none of its code ran.
        (
            fixture("no-root"),
            "leak_no_root",
            0,
            "not an Arsenal plugin",
        ),
        // abi_stable read it, so it stays mapped once; the same bytes are never mapped again.
        (
            fixture("wrong-abi"),
            "leak_wrong_abi",
            1,
            "different plugin interface",
        ),
    ];
    for (file, name, kept, expected) in cases {
        install(&plugins, name, &file);
        let reload = || async {
            let error = host
                .manager
                .reload(name, Trigger::Command)
                .await
                .expect_err("refused");
            assert!(error.message.contains(expected), "{name}: {error}");
            assert_eq!(
                error.kind(),
                arsenal_host::plugins::ReloadErrorType::Refused
            );
        };
        for _ in 0..20 {
            reload().await;
        }
        let before = rss();
        let (_, _, copies_before) = copies_of(name);
        for _ in 0..200 {
            reload().await;
        }
        let grown = rss().saturating_sub(before);
        let (fds, mappings, copies) = copies_of(name);
        eprintln!(
            "{name}: {fds} descriptors and {mappings} mappings left ({} KiB resident), process resident memory +{} KiB over 200 failed loads",
            copies >> 10,
            grown >> 10
        );
        assert!(fds <= kept, "{name}: {fds} descriptors left open");
        assert!(mappings <= kept * 8, "{name}: {mappings} mappings left");
        assert_eq!(copies, copies_before, "{name}: the copies' memory grew");
        // The whole process: other tests run beside this one, hence the margin (one leaked
        // copy of wrong-abi per load grew it by 22 MiB over 200 loads).
        assert!(
            grown < 32 << 20,
            "{name}: resident memory grew by {} KiB over 200 failed loads",
            grown >> 10
        );
    }
}
