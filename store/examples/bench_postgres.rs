//! PostgreSQL store benchmark (`cargo xtask bench store --postgres`): acknowledged durable
//! writes per second with 1 and 16 writers on the PostgreSQL backend, beside the JSON store on
//! this machine's disk and beside `pgbench`'s own simple-update figure (`-N`: one UPDATE, one
//! SELECT, one INSERT per transaction) against the same server in the same run. Prints a
//! markdown table. Target: the store at least 0.7x pgbench's transactions per second.
//!
//! `cargo run --release -p arsenal-store --example bench_postgres -- [--secs 5] [--keys 1000]
//!  [--url postgres://postgres@127.0.0.1:5432/test] [--dir target/store-bench] [--skip-pgbench]`
//!
//! The server defaults to `ARSENAL_TEST_POSTGRES` (else the tests' default). Every engine works
//! in its own throwaway schema, dropped at the end.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use arsenal_store::{Store, StoreOptions, TestSchema, Transaction};
use serde_json::{json, Value};

struct Args {
    secs: f64,
    keys: usize,
    url: String,
    dir: PathBuf,
    pgbench: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        secs: 5.0,
        keys: 1000,
        url: TestSchema::server_url(),
        dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/store-bench"),
        pgbench: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--secs" => args.secs = it.next().and_then(|s| s.parse().ok()).expect("--secs <seconds>"),
            "--keys" => args.keys = it.next().and_then(|s| s.parse().ok()).expect("--keys <n>"),
            "--url" => args.url = it.next().expect("--url <postgres://...>"),
            "--dir" => args.dir = PathBuf::from(it.next().expect("--dir <path>")),
            "--skip-pgbench" => args.pgbench = false,
            // `cargo xtask bench store --postgres` passes its mode through.
            "--postgres" => {}
            other => panic!("unknown argument {other:?}; see the comment at the top of examples/bench_postgres.rs"),
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

/// `writers` threads each calling `write(thread, n)` for `secs`; writes per second.
fn measure(writers: usize, secs: f64, write: impl Fn(usize, u64) + Sync) -> f64 {
    let stop = AtomicBool::new(false);
    let count = AtomicU64::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for t in 0..writers {
            let (stop, count, write) = (&stop, &count, &write);
            s.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let n = count.fetch_add(1, Ordering::Relaxed);
                    write(t, n);
                }
            });
        }
        while start.elapsed().as_secs_f64() < secs {
            std::thread::sleep(Duration::from_millis(5));
        }
        stop.store(true, Ordering::Relaxed);
    });
    count.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

fn preload(store: &Store, keys: usize) {
    let mut txn = Transaction::new();
    for i in 0..keys {
        txn = txn.set(key(i), value(i as u64));
    }
    store.commit("bench", txn).expect("preload");
}

fn store_rates(store: &Store, keys: usize, secs: f64) -> [f64; 2] {
    preload(store, keys);
    [1, 16].map(|writers| {
        measure(writers, secs, |t, n| {
            let i = (n as usize).wrapping_mul(7919).wrapping_add(t) % keys;
            store.set("bench", &key(i), value(n)).expect("write");
        })
    })
}

/// `pgbench -N` (simple-update) with `clients` connections: its tps, excluding connection time.
fn pgbench(url: &str, schema: &TestSchema, clients: usize, secs: f64) -> Result<f64, String> {
    let config: tokio_postgres::Config = url.parse().map_err(|e| format!("{e}"))?;
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or("postgres").to_owned();
    let db = config.get_dbname().unwrap_or("postgres").to_owned();
    let base = |cmd: &mut Command| {
        cmd.args(["-h", &host, "-p", &port, "-U", &user])
            .env("PGOPTIONS", format!("-c search_path={}", schema.name()));
    };
    let mut init = Command::new("pgbench");
    base(&mut init);
    let out = init
        .args(["-i", "-q", "-s", "1", &db])
        .output()
        .map_err(|e| format!("pgbench could not run ({e}); install postgresql-contrib or the server's client tools"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let mut run = Command::new("pgbench");
    base(&mut run);
    let clients = clients.to_string();
    let out = run
        .args([
            "-n",
            "-N",
            "-c",
            &clients,
            "-j",
            &clients,
            "-T",
            &format!("{}", secs.ceil() as u64),
            &db,
        ])
        .output()
        .map_err(|e| format!("pgbench could not run: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l["tps = ".len()..].split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| {
            format!(
                "no tps in pgbench's output: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            )
        })
}

fn main() {
    let args = parse_args();
    println!(
        "PostgreSQL store benchmark: {} s per figure, {} keys, server {}",
        args.secs, args.keys, args.url
    );

    let pg_schema =
        TestSchema::create(&args.url).expect("the PostgreSQL server (see README, \"The store\")");
    let pg = Store::open_postgres(pg_schema.url()).expect("open the PostgreSQL store");
    let pg_rates = store_rates(&pg, args.keys, args.secs);
    drop(pg);

    let dir = args.dir.join("json-vs-postgres");
    let _ = std::fs::remove_dir_all(&dir);
    let json_store = Store::open(&dir, StoreOptions::default()).expect("open the JSON store");
    let json_rates = store_rates(&json_store, args.keys, args.secs);
    drop(json_store);
    let _ = std::fs::remove_dir_all(&dir);

    let bench_rates: [Option<f64>; 2] = if args.pgbench {
        let schema = TestSchema::create(&args.url).expect("a schema for pgbench");
        [1, 16].map(|c| match pgbench(&args.url, &schema, c, args.secs) {
            Ok(tps) => Some(tps),
            Err(e) => {
                eprintln!("pgbench with {c} clients failed: {e}");
                None
            }
        })
    } else {
        [None, None]
    };

    println!();
    println!("| writers | Arsenal on PostgreSQL (writes/s) | Arsenal JSON store (writes/s) | pgbench simple-update (tps) | PostgreSQL store / pgbench |");
    println!("|---|---|---|---|---|");
    for (i, writers) in [1, 16].iter().enumerate() {
        let (bench, ratio) = match bench_rates[i] {
            Some(tps) => (format!("{tps:.0}"), format!("{:.2}x", pg_rates[i] / tps)),
            None => ("—".to_owned(), "—".to_owned()),
        };
        println!(
            "| {writers} | {:.0} | {:.0} | {bench} | {ratio} |",
            pg_rates[i], json_rates[i]
        );
    }
}
