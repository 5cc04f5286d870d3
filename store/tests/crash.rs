//! Crash test: a child process (this test binary re-executed) writes under load from several
//! threads and prints every acknowledged write; the parent SIGKILLs it at a random moment,
//! reopens the store and checks that every acknowledged write is there and that the state is
//! exactly what replaying them gives (in-flight, unacknowledged writes may or may not be).
//!
//! The same trials run against PostgreSQL (`crash_test_postgres`, a third as many kills): there
//! the child is a client killed mid-transaction, and what was acknowledged must be committed.
//!
//! `ARSENAL_CRASH_TRIALS` sets the number of kills (default 30); `ARSENAL_CRASH_SEED` replays a run.

// Test helpers unwrap freely: a failure there is a test failure (clippy.toml covers only #[test] fns).
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use arsenal_store::{CommitOutcome, Store, StoreLocation, StoreOptions, TestSchema, Transaction};
use serde_json::{json, Value};

const CHILD_ENV: &str = "ARSENAL_CRASH_CHILD_DIR";
const THREADS: u64 = 4;
const PRIVATE_KEYS: u64 = 6;
const ACCOUNTS: u64 = 4;
const NS: &str = "crash";

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn emit(line: String) {
    // One write per line: a kill can cut the process between lines, never inside one.
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(format!("{line}\n").as_bytes());
    let _ = out.flush();
}

/// The child: runs only when re-executed by `crash_test` with `ARSENAL_CRASH_CHILD_DIR` set.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let seed: u64 = std::env::var("ARSENAL_CRASH_CHILD_SEED")
        .unwrap()
        .parse()
        .unwrap();
    let options = StoreOptions {
        compact_threshold_bytes: 16 * 1024,
        ..Default::default()
    };
    let store = Store::open_location(&StoreLocation::parse(&dir), options).unwrap();
    let mut init = Transaction::new();
    for a in 0..ACCOUNTS {
        init = init
            .check(format!("acct:{a}"), None)
            .set(format!("acct:{a}"), json!({"bal": 1000, "op": 0}));
    }
    store.commit(NS, init).unwrap(); // a conflict just means a previous trial created them
    emit("READY".to_owned());
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let store = store.clone();
            s.spawn(move || {
                let mut rng = Rng(seed ^ (t + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
                for n in 0u64.. {
                    let op = seed.wrapping_mul(1000) + t * 1_000_000_000 + n + 1;
                    let key = |rng: &mut Rng| format!("p{t}:{}", rng.below(PRIVATE_KEYS));
                    match rng.below(5) {
                        0 | 1 => {
                            let k = key(&mut rng);
                            emit(format!("B {}", json!({"t": t, "op": op, "writes": [[k, {"op": op}]]})));
                            store.set(NS, &k, json!({"op": op})).unwrap();
                            emit(format!("A {t} {op}"));
                        }
                        2 => {
                            let k = key(&mut rng);
                            emit(format!("B {}", json!({"t": t, "op": op, "writes": [[k, null]]})));
                            store.delete(NS, &k).unwrap();
                            emit(format!("A {t} {op}"));
                        }
                        3 => {
                            let (k1, k2, k3) = (key(&mut rng), key(&mut rng), key(&mut rng));
                            let txn = Transaction::new()
                                .set(&k1, json!({"op": op}))
                                .set(&k2, json!({"op": op}))
                                .delete(&k3);
                            // Mirror the store's rule: the last write to a key wins.
                            let mut writes: Vec<(String, Value)> = Vec::new();
                            for (k, v) in [(k1, json!({"op": op})), (k2, json!({"op": op})), (k3, Value::Null)] {
                                writes.retain(|(wk, _)| *wk != k);
                                writes.push((k, v));
                            }
                            emit(format!("B {}", json!({"t": t, "op": op, "writes": writes})));
                            store.commit(NS, txn).unwrap();
                            emit(format!("A {t} {op}"));
                        }
                        _ => loop {
                            let from = format!("acct:{}", rng.below(ACCOUNTS));
                            let to = format!("acct:{}", rng.below(ACCOUNTS));
                            if from == to {
                                continue;
                            }
                            let a = store.get(NS, &from).unwrap().unwrap();
                            let b = store.get(NS, &to).unwrap().unwrap();
                            let amount = rng.below(50) as i64;
                            let new_a = json!({"bal": a.value["bal"].as_i64().unwrap() - amount, "op": op});
                            let new_b = json!({"bal": b.value["bal"].as_i64().unwrap() + amount, "op": op});
                            let txn = Transaction::new()
                                .check(&from, Some(a.version))
                                .check(&to, Some(b.version))
                                .set(&from, new_a.clone())
                                .set(&to, new_b.clone());
                            if let CommitOutcome::Committed { version } = store.commit(NS, txn).unwrap() {
                                emit(format!("T {}", json!({"version": version, "writes": [[from, new_a], [to, new_b]]})));
                                break;
                            }
                        },
                    }
                }
            });
        }
    });
}

/// What the parent knows about one key.
#[derive(Default, Clone)]
struct KeyModel {
    /// Last acknowledged value (`None` = absent); starts as the value before the trial.
    acked: Option<Value>,
    acked_version: u64,
    /// Values an unacknowledged in-flight write may have left.
    maybe: Vec<Option<Value>>,
}

fn snapshot(dir: &str) -> HashMap<String, (Value, u64)> {
    let store = Store::open_location(
        &StoreLocation::parse(dir),
        StoreOptions {
            auto_compact: false,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("reopen after kill failed: {e}"));
    let state = store
        .list(NS, "")
        .unwrap()
        .into_iter()
        .map(|(k, v)| (k, (v.value, v.version)))
        .collect();
    drop(store);
    state
}

/// One kill of a child writing to the store at `dir` (a folder or a postgres:// URL).
fn run_trial(dir: &str, seed: u64, kill_after: Duration) -> (usize, usize) {
    let before = snapshot(dir);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, dir)
        .env("ARSENAL_CRASH_CHILD_SEED", seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    // Wait for READY, then let it run and kill it.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let start = Instant::now();
    while !buf.windows(6).any(|w| w == b"READY\n") {
        let n = stdout.read(&mut chunk).unwrap();
        assert!(
            n > 0,
            "child exited before READY: {}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "child never got ready"
        );
    }
    let reader = std::thread::spawn(move || {
        let mut rest = Vec::new();
        stdout.read_to_end(&mut rest).unwrap();
        rest
    });
    std::thread::sleep(kill_after);
    child.kill().unwrap();
    child.wait().unwrap();
    buf.extend_from_slice(&reader.join().unwrap());

    // Build the model: values before the trial, then acknowledged writes in order.
    let mut keys: HashMap<String, KeyModel> = HashMap::new();
    for (k, (v, ver)) in &before {
        keys.insert(
            k.clone(),
            KeyModel {
                acked: Some(v.clone()),
                acked_version: *ver,
                maybe: vec![],
            },
        );
    }
    let text = String::from_utf8_lossy(&buf);
    let complete = match text.rfind('\n') {
        Some(i) => &text[..i],
        None => "",
    };
    let mut pending: HashMap<u64, Value> = HashMap::new(); // thread -> begun, unacknowledged op
    let (mut acks, mut transfers) = (0, 0);
    for line in complete.lines() {
        if let Some(rest) = line.strip_prefix("B ") {
            let op: Value = serde_json::from_str(rest).unwrap();
            pending.insert(op["t"].as_u64().unwrap(), op);
        } else if let Some(rest) = line.strip_prefix("A ") {
            let t: u64 = rest.split(' ').next().unwrap().parse().unwrap();
            let op = pending.remove(&t).expect("ack without begin");
            for w in op["writes"].as_array().unwrap() {
                let v = if w[1].is_null() {
                    None
                } else {
                    Some(w[1].clone())
                };
                keys.entry(w[0].as_str().unwrap().to_owned())
                    .or_default()
                    .acked = v;
            }
            acks += 1;
        } else if let Some(rest) = line.strip_prefix("T ") {
            let op: Value = serde_json::from_str(rest).unwrap();
            let version = op["version"].as_u64().unwrap();
            for w in op["writes"].as_array().unwrap() {
                let m = keys.entry(w[0].as_str().unwrap().to_owned()).or_default();
                if version > m.acked_version {
                    m.acked = Some(w[1].clone());
                    m.acked_version = version;
                }
            }
            transfers += 1;
        }
    }
    for op in pending.values() {
        for w in op["writes"].as_array().unwrap() {
            let v = if w[1].is_null() {
                None
            } else {
                Some(w[1].clone())
            };
            keys.entry(w[0].as_str().unwrap().to_owned())
                .or_default()
                .maybe
                .push(v);
        }
    }

    let after = snapshot(dir);
    let ctx =
        format!("seed {seed}, killed after {kill_after:?}, {acks} acks, {transfers} transfers");
    for (k, m) in &keys {
        let got = after.get(k);
        if k.starts_with("acct:") {
            // Transfers from other threads may be in flight: the version must not go backwards,
            // and at the acknowledged version the value must match.
            let (v, ver) = got.unwrap_or_else(|| panic!("{ctx}: account {k} lost"));
            assert!(
                *ver >= m.acked_version,
                "{ctx}: {k} went back from version {} to {ver}",
                m.acked_version
            );
            if *ver == m.acked_version {
                assert_eq!(
                    Some(v),
                    m.acked.as_ref(),
                    "{ctx}: {k} at acknowledged version has another value"
                );
            }
            continue;
        }
        let got_value = got.map(|(v, _)| v.clone());
        assert!(
            got_value == m.acked || m.maybe.contains(&got_value),
            "{ctx}: key {k} is {got_value:?}, acknowledged {:?}, in flight {:?}",
            m.acked,
            m.maybe
        );
    }
    for k in after.keys() {
        assert!(keys.contains_key(k), "{ctx}: key {k} appeared from nowhere");
    }
    // An in-flight transaction is all or nothing.
    for op in pending.values() {
        let id = &op["op"];
        let writes = op["writes"].as_array().unwrap();
        let applied = writes.iter().any(|w| {
            after
                .get(w[0].as_str().unwrap())
                .is_some_and(|(v, _)| v["op"] == *id)
        });
        if applied {
            for w in writes {
                let got = after.get(w[0].as_str().unwrap()).map(|(v, _)| v.clone());
                let want = if w[1].is_null() {
                    None
                } else {
                    Some(w[1].clone())
                };
                assert_eq!(got, want, "{ctx}: transaction {id} applied only in part");
            }
        }
    }
    let total: i64 = after
        .iter()
        .filter(|(k, _)| k.starts_with("acct:"))
        .map(|(_, (v, _))| v["bal"].as_i64().unwrap())
        .sum();
    assert_eq!(
        total,
        1000 * ACCOUNTS as i64,
        "{ctx}: money was created or destroyed"
    );
    (acks, transfers)
}

#[test]
fn crash_test() {
    let tmp = tempfile::tempdir().unwrap();
    crash_trials(tmp.path().to_str().unwrap(), 1);
}

#[test]
fn crash_test_postgres() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let schema = TestSchema::create_or_explain();
    crash_trials(schema.url(), 3);
}

/// `ARSENAL_CRASH_TRIALS / divisor` kills (at least 3) of children writing to `location`.
fn crash_trials(location: &str, divisor: u64) {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let trials: u64 = std::env::var("ARSENAL_CRASH_TRIALS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let trials = (trials / divisor).max(3);
    let seed: u64 = std::env::var("ARSENAL_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("crash test: {trials} trials, ARSENAL_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let (mut acks, mut transfers) = (0, 0);
    for trial in 0..trials {
        let kill_after = Duration::from_millis(20 + rng.below(400));
        let (a, t) = run_trial(location, seed.wrapping_add(trial), kill_after);
        acks += a;
        transfers += t;
    }
    eprintln!("crash test: {acks} acknowledged writes and {transfers} transfers verified");
    assert!(
        acks + transfers > trials as usize,
        "the child hardly wrote anything"
    );
}
