//! Store benchmark: acknowledged durable writes per second with 1 and 16 writers at 1k, 100k
//! and 1M pre-loaded keys, against SQLite (WAL, synchronous=FULL, one transaction per write)
//! and a full-file JSON rewrite per change (temp + fsync + rename, as Red-DiscordBot's JSON
//! driver does), plus recovery (open) time. Prints a markdown table; the notes give the
//! store's writes per fsync with 16 writers (its group-commit batch size, counted through an
//! inert `FaultInjector`).
//!
//! `cargo run --release -p arsenal-store --example bench -- [--secs 2] [--sizes 1000,100000,1000000]
//!  [--dir target/store-bench] [--skip-sqlite] [--skip-rewrite]`
//!
//! The data folder defaults to the workspace's `target/` (a real disk; never tmpfs, where an
//! fsync costs nothing).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use arsenal_store::{FaultInjector, Store, StoreOptions, Transaction};
use serde_json::{json, Value};

struct Args {
    secs: f64,
    sizes: Vec<usize>,
    dir: PathBuf,
    sqlite: bool,
    rewrite: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        secs: 2.0,
        sizes: vec![1_000, 100_000, 1_000_000],
        dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/store-bench"),
        sqlite: true,
        rewrite: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--secs" => {
                args.secs = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--secs <seconds>")
            }
            "--sizes" => {
                args.sizes = it
                    .next()
                    .expect("--sizes 1000,100000")
                    .split(',')
                    .map(|s| s.parse().expect("a number of keys"))
                    .collect()
            }
            "--dir" => args.dir = PathBuf::from(it.next().expect("--dir <path>")),
            "--skip-sqlite" => args.sqlite = false,
            "--skip-rewrite" => args.rewrite = false,
            other => panic!(
                "unknown argument {other:?}; see the comment at the top of examples/bench.rs"
            ),
        }
    }
    args
}

fn key(i: usize) -> String {
    format!("user:{i:08}")
}

fn value(i: u64) -> Value {
    json!({"coins": i, "xp": i * 3, "daily": false})
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Run `write` from `writers` threads for about `secs` (or until `max_writes`); writes/s.
fn measure(
    writers: usize,
    secs: f64,
    max_writes: u64,
    write: impl Fn(&mut Rng, u64) + Sync,
) -> (f64, u64) {
    let stop = AtomicBool::new(false);
    let count = AtomicU64::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for t in 0..writers {
            let (stop, count, write) = (&stop, &count, &write);
            s.spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((t as u64 + 1) * 7919));
                while !stop.load(Ordering::Relaxed) {
                    let n = count.fetch_add(1, Ordering::Relaxed);
                    if n >= max_writes {
                        break;
                    }
                    write(&mut rng, n);
                }
            });
        }
        while start.elapsed().as_secs_f64() < secs && count.load(Ordering::Relaxed) < max_writes {
            std::thread::sleep(Duration::from_millis(5));
        }
        stop.store(true, Ordering::Relaxed);
    });
    let done = count.load(Ordering::Relaxed).min(max_writes);
    (done as f64 / start.elapsed().as_secs_f64(), done)
}

fn fresh(dir: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create the bench folder");
    dir.to_path_buf()
}

struct Row {
    engine: &'static str,
    keys: usize,
    one: Option<f64>,
    sixteen: Option<f64>,
    note: String,
}

fn bench_arsenal(dir: &Path, n: usize, secs: f64, rows: &mut Vec<Row>, recovery: &mut Vec<String>) {
    let dir = fresh(&dir.join(format!("arsenal-{n}")));
    let store = Store::open(&dir, StoreOptions::default()).expect("open");
    let t = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(10_000) {
        let mut txn = Transaction::new();
        for &i in chunk {
            txn = txn.set(key(i), value(i as u64));
        }
        store.commit("bench", txn).expect("preload");
    }
    let preload = t.elapsed();
    drop(store);
    // Recovery with everything still in the journal (the worst case after a crash).
    let t = Instant::now();
    let store = Store::open(&dir, StoreOptions::default()).expect("reopen");
    let open_journal = t.elapsed();
    let t = Instant::now();
    store.compact_all().expect("compact");
    let compact = t.elapsed();
    drop(store);
    let t = Instant::now();
    let store = Store::open(&dir, StoreOptions::default()).expect("reopen");
    let open_file = t.elapsed();
    recovery.push(format!(
        "| {n} | {:.0} ms | {:.0} ms | {:.0} ms | {:.1} MB |",
        open_file.as_secs_f64() * 1e3,
        open_journal.as_secs_f64() * 1e3,
        compact.as_secs_f64() * 1e3,
        std::fs::metadata(dir.join("bench.json"))
            .map(|m| m.len())
            .unwrap_or(0) as f64
            / 1e6,
    ));
    drop(store);
    // An injector that injects nothing, to count fsyncs (writes per fsync = the batch size).
    let counter = FaultInjector::new();
    let store = Store::open(
        &dir,
        StoreOptions {
            fault_injector: counter.clone(),
            ..StoreOptions::default()
        },
    )
    .expect("reopen");
    let w = |rng: &mut Rng, c: u64| {
        store
            .set("bench", &key(rng.below(n)), value(c))
            .expect("set");
    };
    let per_fsync = |writers: usize| {
        let (_, syncs) = counter.counts();
        let (rate, done) = measure(writers, secs, u64::MAX, w);
        (
            rate,
            done as f64 / (counter.counts().1 - syncs).max(1) as f64,
        )
    };
    let (one, _) = per_fsync(1);
    let (sixteen, batch) = per_fsync(16);
    rows.push(Row {
        engine: "arsenal-store",
        keys: n,
        one: Some(one),
        sixteen: Some(sixteen),
        note: format!(
            "preload {:.1} s; 16 writers: {batch:.1} writes per fsync",
            preload.as_secs_f64()
        ),
    });
    store.close().expect("close");
}

fn bench_sqlite(dir: &Path, n: usize, secs: f64, rows: &mut Vec<Row>) {
    let dir = fresh(&dir.join(format!("sqlite-{n}")));
    let path = dir.join("bench.sqlite");
    let connect = || {
        let c = rusqlite::Connection::open(&path).expect("sqlite open");
        c.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
            .expect("pragmas");
        c.busy_timeout(Duration::from_secs(30))
            .expect("busy timeout");
        c
    };
    let mut c = connect();
    c.execute_batch(
        "CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, version INTEGER NOT NULL)",
    )
    .expect("create table");
    let tx = c.transaction().expect("begin");
    {
        let mut st = tx
            .prepare("INSERT INTO kv VALUES (?1, ?2, 1)")
            .expect("prepare");
        for i in 0..n {
            st.execute((key(i), value(i as u64).to_string()))
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
    let run = |writers: usize| {
        let conns: Vec<Mutex<rusqlite::Connection>> =
            (0..writers).map(|_| Mutex::new(connect())).collect();
        let next = AtomicU64::new(0);
        thread_local!(static SLOT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) });
        measure(writers, secs, u64::MAX, |rng, c| {
            let slot = SLOT.with(|s| match s.get() {
                Some(i) => i,
                None => {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize % writers;
                    s.set(Some(i));
                    i
                }
            });
            let conn = conns[slot].lock().expect("connection");
            conn.execute(
                "INSERT INTO kv (key, value, version) VALUES (?1, ?2, 1) ON CONFLICT(key) DO UPDATE SET value = excluded.value, version = version + 1",
                (key(rng.below(n)), value(c).to_string()),
            )
            .expect("sqlite write");
        })
        .0
    };
    let one = run(1);
    let sixteen = run(16);
    rows.push(Row {
        engine: "SQLite WAL, synchronous=FULL",
        keys: n,
        one: Some(one),
        sixteen: Some(sixteen),
        note: String::new(),
    });
}

fn bench_rewrite(dir: &Path, n: usize, secs: f64, rows: &mut Vec<Row>) {
    let dir = fresh(&dir.join(format!("rewrite-{n}")));
    let path = dir.join("bench.json");
    let map: BTreeMap<String, Value> = (0..n).map(|i| (key(i), value(i as u64))).collect();
    let map = Mutex::new(map);
    // Red's JSON driver: every change re-serialises and atomically replaces the whole file.
    let write = |rng: &mut Rng, c: u64| {
        let mut m = map.lock().expect("map");
        m.insert(key(rng.below(n)), value(c));
        let bytes = serde_json::to_vec(&*m).expect("encode");
        arsenal_store::write_file_durably(&path, &bytes).expect("rewrite");
    };
    let max = if n >= 1_000_000 {
        3
    } else if n >= 100_000 {
        20
    } else {
        u64::MAX
    };
    let (one, done) = measure(1, secs, max, write);
    let sixteen = if n <= 1_000 {
        Some(measure(16, secs, max, write).0)
    } else {
        None
    };
    rows.push(Row {
        engine: "full-file JSON rewrite (Red)",
        keys: n,
        one: Some(one),
        sixteen,
        note: format!(
            "{done} writes measured{}",
            if sixteen.is_none() {
                "; writers serialise on the file"
            } else {
                ""
            }
        ),
    });
}

fn fmt_rate(r: Option<f64>) -> String {
    match r {
        Some(r) => format!("{:.0} /s ({:.3} ms)", r, 1e3 / r),
        None => "—".to_owned(),
    }
}

fn main() {
    let args = parse_args();
    std::fs::create_dir_all(&args.dir).expect("create the bench folder");
    eprintln!(
        "bench folder: {} ({} s per measurement)",
        args.dir.display(),
        args.secs
    );
    let (mut rows, mut recovery) = (Vec::new(), Vec::new());
    for &n in &args.sizes {
        eprintln!("{n} keys: arsenal-store");
        bench_arsenal(&args.dir, n, args.secs, &mut rows, &mut recovery);
        if args.sqlite {
            eprintln!("{n} keys: sqlite");
            bench_sqlite(&args.dir, n, args.secs, &mut rows);
        }
        if args.rewrite {
            eprintln!("{n} keys: full-file rewrite");
            bench_rewrite(&args.dir, n, args.secs, &mut rows);
        }
    }
    println!("Acknowledged durable writes per second (mean time per write in parentheses):\n");
    println!("| engine | keys | 1 writer | 16 writers | notes |");
    println!("|---|---:|---:|---:|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} |",
            r.engine,
            r.keys,
            fmt_rate(r.one),
            fmt_rate(r.sixteen),
            r.note
        );
    }
    let ours: Vec<&Row> = rows
        .iter()
        .filter(|r| r.engine == "arsenal-store")
        .collect();
    if let (Some(small), Some(large)) = (ours.first(), ours.last()) {
        if small.keys != large.keys {
            let ratio = |a: Option<f64>, b: Option<f64>| a.zip(b).map_or(f64::NAN, |(a, b)| a / b);
            println!(
                "\nCost per write at {} keys vs {} keys: {:.2}x (1 writer), {:.2}x (16 writers).",
                large.keys,
                small.keys,
                ratio(small.one, large.one),
                ratio(small.sixteen, large.sixteen)
            );
        }
    }
    println!("\nRecovery (Store::open) and compaction:\n");
    println!("| keys | open, data in JSON file | open, data all in journal | compact_all | JSON file size |");
    println!("|---:|---:|---:|---:|---:|");
    for line in recovery {
        println!("{line}");
    }
    let _ = std::fs::remove_dir_all(&args.dir);
}
