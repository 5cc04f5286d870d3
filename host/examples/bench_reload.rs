//! `cargo xtask bench reload`: hot reload measured against the raw cost of loading the same file.
//!
//! Uses the `plugin`-profile builds (what `build-plugins --release` installs). Prints markdown
//! tables:
//! - the `counter` fixture, v1/v2 alternating so every reload really swaps code: the raw floor
//!   (copy into a fresh in-memory file + dlopen + abi_stable init + the constructor) beside
//!   `manager.reload` (request → new version serving), file dropped into the watched folder →
//!   new version serving, RSS growth, events lost under a steady event load;
//! - each real module (`/reload module <name>` of its installed file) beside its own raw floor.

use std::{
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use std::os::fd::IntoRawFd;

use arsenal_host::plugins::{
    host_api::{host_handle, HostServices},
    loader, watcher, ManagerConfig, PluginManager, Trigger,
};
use arsenal_plugin_api::abi::{PluginBox, PluginModuleRef};
use arsenal_store::{Store, StoreOptions};

const RELOADS: usize = 200;

fn release_fixture(name: &str) -> PathBuf {
    release_build(&format!("libfixture_{name}.so"))
}

/// A library built by `cargo xtask bench` (its folder comes in `ARSENAL_PLUGIN_BUILDS`).
fn release_build(file: &str) -> PathBuf {
    let dir = std::env::var_os("ARSENAL_PLUGIN_BUILDS")
        .map(PathBuf::from)
        .expect("ARSENAL_PLUGIN_BUILDS unset: run `cargo xtask bench reload`");
    let path = dir.join(file);
    assert!(
        path.exists(),
        "{} missing: run `cargo xtask bench reload`",
        path.display()
    );
    path
}

/// Gives a plugins folder the runtime libraries the builds link against (`cargo xtask bench`
/// installs them into `<builds>/runtime`, as build-plugins does into `<plugins>/runtime`).
fn link_runtime(plugins: &Path) {
    let builds = release_build("runtime");
    std::fs::create_dir_all(plugins).expect("plugins dir");
    std::os::unix::fs::symlink(builds, plugins.join("runtime")).expect("link runtime");
}

fn install(dir: &Path, source: &Path) {
    let temp = dir.join(".counter.so.tmp");
    std::fs::copy(source, &temp).expect("copy");
    std::fs::rename(&temp, dir.join("counter.so")).expect("rename");
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index.min(samples.len() - 1)]
}

fn row(label: &str, samples: &mut [Duration]) {
    let (p50, p99) = (percentile(samples, 0.5), percentile(samples, 0.99));
    println!("| {label} | {} | {} |", ms(p50), ms(p99));
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// The floor: copy the file to a fresh inode (read + write into a memfd), dlopen, abi_stable version + layout
/// check, then the module's constructor, against the same store a worker would give it.
///
/// `walk`: abi_stable's full type-layout walk in init (what a load of a library without this
/// host's fingerprint does), or version check only (what the loader does once the fingerprint
/// is verified).
fn raw_load(source: &Path, module: &str, services: &HostServices, walk: bool) -> Duration {
    let started = Instant::now();
    let memfd = loader::copy_to_memfd(source).expect("copy");
    let path = PathBuf::from(format!("/proc/self/fd/{}", memfd.into_raw_fd()));
    let header = abi_stable::library::lib_header_from_path(&path).expect("dlopen");
    let root = if walk {
        header.init_root_module::<PluginModuleRef>().expect("init")
    } else {
        // SAFETY: the same file as a load with the full walk, which succeeded before.
        unsafe { header.init_root_module_with_unchecked_layout::<PluginModuleRef>() }.expect("init")
    };
    let instance: Result<PluginBox, _> =
        (root.instantiate())(host_handle(module, services.clone())).into();
    let elapsed = started.elapsed();
    drop(instance.expect("instantiate"));
    elapsed
}

/// Writes and fsyncs `bytes` to `temp`, as `cargo xtask build-plugins` does before renaming its
/// temp file over the installed one. (Renaming over an existing file whose data is not yet on
/// disk makes ext4 start writing that data inside `rename` itself: ~0.55 ms for welcome's file
/// here, spent in the installer's process.)
fn write_synced(temp: &Path, bytes: &[u8]) {
    use std::io::Write as _;
    let mut file = std::fs::File::create(temp).expect("create");
    file.write_all(bytes).expect("write");
    file.sync_all().expect("fsync");
}

/// Waits until `module` serves the build hashed `want`, woken by the manager's change
/// notifications (`changes` subscribed before the file was dropped) rather than by polling,
/// which would take CPU from the reload being measured on this 2-core machine.
async fn wait_serving(
    manager: &PluginManager,
    changes: &mut tokio::sync::broadcast::Receiver<String>,
    module: &str,
    want: &str,
) {
    while manager.running_hash(module).as_deref() != Some(want) {
        match changes.recv().await {
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => panic!("manager gone"),
        }
    }
}

/// The address space a library's loadable segments take once mapped, each rounded out to pages:
/// what the dynamic linker maps for it.
fn mapped_size(path: &Path) -> u64 {
    use object::read::elf::{FileHeader as _, ProgramHeader as _};
    const PAGE: u64 = 4096;
    let bytes = std::fs::read(path).expect("read library");
    let header = object::elf::FileHeader64::<object::Endianness>::parse(bytes.as_slice())
        .expect("ELF header");
    let endian = header.endian().expect("endianness");
    let mut pages: Vec<(u64, u64)> = header
        .program_headers(endian, bytes.as_slice())
        .expect("program headers")
        .iter()
        .filter(|segment| segment.p_type(endian) == object::elf::PT_LOAD)
        .map(|segment| {
            let start = segment.p_vaddr(endian) / PAGE * PAGE;
            let end = (segment.p_vaddr(endian) + segment.p_memsz(endian)).div_ceil(PAGE) * PAGE;
            (start, end)
        })
        .collect();
    pages.sort_unstable();
    // Two segments can share a page; count it once.
    let (mut total, mut covered) = (0, 0);
    for (start, end) in pages {
        let start = start.max(covered);
        if end > start {
            total += end - start;
            covered = end;
        }
    }
    total
}

/// `bytes` with one character of its `.comment` section (the compiler's signature, never
/// mapped) changed: a different file that loads the same code, so the watcher sees a new build.
fn rebuilt(bytes: &[u8]) -> Vec<u8> {
    let mut copy = bytes.to_vec();
    let at = copy
        .windows(13)
        .position(|w| w == b"rustc version")
        .expect("a .comment section");
    copy[at] = b'R';
    copy
}

/// Each real module: `/reload module <name>` of its installed file, and the file dropped into
/// the watched folder, vs that file's raw floor; one process per module.
fn real_modules() {
    println!();
    println!("| real module ({REAL_RELOADS} reloads, {DROPS} drops each, no event load) | file | raw floor p50 | raw floor p50, layout walk skipped | `/reload module` p50 | p99 | file dropped → serving p50 | p99 | `/reload` / raw | `/reload` / raw, walk skipped |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    // Each module in a fresh process: abi_stable never unloads, so every load leaves its copy
    // mapped, and past ~2.5 GiB of such copies page allocation in this VM becomes several times
    // slower; the last module measured would pay for the others.
    let exe = std::env::current_exe().expect("own path");
    for module in REAL_MODULES {
        let status = std::process::Command::new(&exe)
            .args(["--real-module", module])
            .status()
            .expect("run the module's measurement");
        assert!(status.success(), "measuring {module} failed");
    }
}

const REAL_MODULES: [&str; 4] = ["welcome", "moderation", "economy", "tickets"];
const REAL_RELOADS: usize = 100;
const DROPS: usize = 50;

/// One real module's row of the table (run in its own process by [`real_modules`]).
async fn real_module(module: &str) {
    let scratch = tempfile::tempdir_in(Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .expect("tempdir");
    let store = Store::open(&scratch.path().join("store"), StoreOptions::default()).expect("store");
    let services = &HostServices::new(store);
    let scratch = scratch.path();
    let built = release_build(&format!("lib{module}.so"));
    let dir = scratch.join(format!("real-{module}"));
    let plugins = dir.join("plugins");
    let manager = PluginManager::new(
        ManagerConfig {
            plugins_dir: plugins.clone(),
            backups_dir: dir.join("backups"),
            keep_backups: 3,
            stall_after: Duration::from_secs(5),
            queue_capacity: arsenal_host::plugins::DEFAULT_QUEUE_CAPACITY,
            call_timeout: arsenal_host::plugins::DEFAULT_CALL_TIMEOUT,
            revert: arsenal_host::plugins::RevertPolicy::default(),
        },
        services.store.clone(),
    )
    .expect("manager");
    link_runtime(&plugins);
    let installed = plugins.join(format!("{module}.so"));
    std::fs::copy(&built, &installed).expect("install");
    manager
        .reload(module, Trigger::Startup)
        .await
        .expect("load");
    let mut raw: Vec<Duration> = (0..REAL_RELOADS)
        .map(|_| raw_load(&built, module, services, true))
        .collect();
    let mut raw_trusted: Vec<Duration> = (0..REAL_RELOADS)
        .map(|_| raw_load(&built, module, services, false))
        .collect();
    let mut reload = Vec::with_capacity(REAL_RELOADS);
    for _ in 0..REAL_RELOADS {
        let report = manager
            .reload(module, Trigger::Command)
            .await
            .expect("reload");
        reload.push(report.duration);
    }

    // Two builds that differ, dropped in turn (temp file + rename, as build-plugins does).
    let original = std::fs::read(&built).expect("read");
    let builds = [rebuilt(&original), original];
    let hashes = builds.each_ref().map(|b| loader::hash_bytes(b));
    let _watcher = watcher::watch(manager.clone(), Duration::from_millis(250)).expect("watch");
    let mut dropped = Vec::with_capacity(DROPS);
    for n in 0..DROPS {
        let temp = plugins.join(format!(".{module}.so.tmp"));
        write_synced(&temp, &builds[n % 2]);
        let mut changes = manager.subscribe();
        let started = Instant::now();
        std::fs::rename(&temp, &installed).expect("rename");
        wait_serving(&manager, &mut changes, module, &hashes[n % 2]).await;
        dropped.push(started.elapsed());
    }

    let size = std::fs::metadata(&built).map_or(0, |m| m.len());
    let (raw50, trusted50) = (percentile(&mut raw, 0.5), percentile(&mut raw_trusted, 0.5));
    let p50 = percentile(&mut reload, 0.5);
    println!(
        "| {module} | {:.0} KiB | {} | {} | {} | {} | {} | {} | {:.2}× | {:.2}× |",
        size as f64 / 1024.0,
        ms(raw50),
        ms(trusted50),
        ms(p50),
        ms(percentile(&mut reload, 0.99)),
        ms(percentile(&mut dropped, 0.5)),
        ms(percentile(&mut dropped, 0.99)),
        p50.as_secs_f64() / raw50.as_secs_f64(),
        p50.as_secs_f64() / trusted50.as_secs_f64()
    );
    manager.shutdown().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, module] = args.as_slice() {
        if flag == "--real-module" && REAL_MODULES.contains(&module.as_str()) {
            real_module(module).await;
            return;
        }
    }
    // Right after `cargo build` the kernel is still writing gigabytes of build output back to
    // disk, and page allocation (most of a load) runs up to 5× slower for seconds: flush and
    // let the machine settle before measuring.
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
    std::thread::sleep(Duration::from_secs(3));
    let v1 = release_fixture("counter_v1");
    let v2 = release_fixture("counter_v2");
    let scratch = tempfile::tempdir_in(Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .expect("tempdir");
    let store = Store::open(&scratch.path().join("store"), StoreOptions::default()).expect("store");
    let services = HostServices::new(store.clone());
    let plugins = scratch.path().join("plugins");
    let manager = PluginManager::new(
        ManagerConfig {
            plugins_dir: plugins.clone(),
            backups_dir: scratch.path().join("backups"),
            keep_backups: 3,
            stall_after: Duration::from_secs(5),
            queue_capacity: arsenal_host::plugins::DEFAULT_QUEUE_CAPACITY,
            call_timeout: arsenal_host::plugins::DEFAULT_CALL_TIMEOUT,
            revert: arsenal_host::plugins::RevertPolicy::default(),
        },
        store.clone(),
    )
    .expect("manager");
    link_runtime(&plugins);
    install(&plugins, &v1);
    manager
        .reload("counter", Trigger::Startup)
        .await
        .expect("v1");

    // Raw floor, same files, same count.
    let mut raw: Vec<Duration> = (0..RELOADS)
        .map(|n| {
            raw_load(
                if n % 2 == 0 { &v2 } else { &v1 },
                "counter",
                &services,
                true,
            )
        })
        .collect();

    // Reloads with no event traffic: the cost of the reload itself.
    let mut idle = Vec::with_capacity(RELOADS);
    let (mut load, mut backup, mut instantiate) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..RELOADS {
        install(&plugins, if n % 2 == 0 { &v2 } else { &v1 });
        let report = manager
            .reload("counter", Trigger::Command)
            .await
            .expect("reload");
        idle.push(report.duration);
        load.push(report.load);
        backup.push(report.backup);
        instantiate.push(report.instantiate);
    }

    // Steady event load for the whole reload phase.
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let producer = {
        let (manager, stop, sent) = (manager.clone(), Arc::clone(&stop), Arc::clone(&sent));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let seq = sent.fetch_add(1, Ordering::Relaxed);
                let payload: Arc<str> = Arc::from(format!(
                    r#"{{"id":"{}","channel_id":"2","guild_id":"1","author":{{"id":"10","username":"a","discriminator":"0","avatar":null}},"content":"seq:{seq}","timestamp":"2026-11-21T10:00:00.000000+00:00","edited_timestamp":null,"tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"type":0}}"#,
                    seq + 1
                ));
                manager.dispatch_event("MESSAGE_CREATE", &payload);
                std::thread::sleep(Duration::from_micros(500));
            }
        })
    };

    // Reload through the manager (what /reload module does).
    let rss_before = rss_kib();
    let mut reload = Vec::with_capacity(RELOADS);
    for n in 0..RELOADS {
        install(&plugins, if n % 2 == 0 { &v2 } else { &v1 });
        let started = Instant::now();
        manager
            .reload("counter", Trigger::Command)
            .await
            .expect("reload");
        reload.push(started.elapsed());
    }
    let rss_after = rss_kib();

    // File dropped into the watched folder → new version serving.
    let _watcher = watcher::watch(manager.clone(), Duration::from_millis(250)).expect("watch");
    let mut dropped = Vec::new();
    for n in 0..50 {
        let source = if n % 2 == 0 { &v2 } else { &v1 };
        let want = loader::hash_bytes(&std::fs::read(source).expect("read"));
        let temp = plugins.join(".counter.so.tmp");
        write_synced(&temp, &std::fs::read(source).expect("read"));
        let mut changes = manager.subscribe();
        let started = Instant::now();
        std::fs::rename(&temp, plugins.join("counter.so")).expect("rename");
        wait_serving(&manager, &mut changes, "counter", &want).await;
        dropped.push(started.elapsed());
    }

    stop.store(true, Ordering::Relaxed);
    producer.join().expect("producer");
    let total = sent.load(Ordering::Relaxed);
    let answer = manager.call("counter", "command", r#"{"name":"count","invoker":{"user_id":"1","user_name":"b","channel_id":"2"},"source":{"type":"slash"}}"#).await.expect("count");
    let handled = store.list("plugin.counter", "e:").expect("list");
    let in_order = handled
        .iter()
        .enumerate()
        .all(|(i, (_, v))| v.value[0].as_u64() == Some(i as u64));
    let file_size = std::fs::metadata(&v1).map(|m| m.len()).unwrap_or(0);

    println!("| measure (counter plugin, release, {RELOADS} reloads) | p50 | p99 |");
    println!("|---|---|---|");
    row(
        "raw floor: copy to a memfd + dlopen + init + constructor, same file",
        &mut raw,
    );
    row(
        "`/reload module` path, idle: request → new version serving",
        &mut idle,
    );
    row("… of which read + check + load the library", &mut load);
    row(
        "… of which snapshot the module's data (written by the backup thread)",
        &mut backup,
    );
    row(
        "… of which the new version's constructor (one store write)",
        &mut instantiate,
    );
    row(
        "`/reload module` path, an event queued every 0.5 ms",
        &mut reload,
    );
    row(
        "file renamed into watched folder → new version serving (50)",
        &mut dropped,
    );
    println!();
    println!("| other | value |");
    println!("|---|---|");
    println!(
        "| plugin file size | {:.1} KiB; mapped (its loadable segments, page-rounded): {:.1} KiB |",
        file_size as f64 / 1024.0,
        mapped_size(&v1) as f64 / 1024.0
    );
    println!(
        "| RSS growth over {RELOADS} reloads under load | {} KiB total, {:.1} KiB per reload |",
        rss_after.saturating_sub(rss_before),
        rss_after.saturating_sub(rss_before) as f64 / RELOADS as f64
    );
    println!("| events sent during reloads | {total} |");
    println!(
        "| events handled (exactly once, in order: {in_order}) | {} |",
        handled.len()
    );
    println!(
        "| events lost | {} |",
        total.saturating_sub(handled.len() as u64)
    );
    println!("| final answer | {answer} |");
    manager.shutdown().await;
    real_modules();
}
