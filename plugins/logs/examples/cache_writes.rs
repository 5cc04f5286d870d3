//! What one cached message costs the store, for the two layouts a message cache can have:
//! one key per message (what the module does) against one key per channel holding its newest
//! messages (a bucket, rewritten whole on each new message). Each write is a durable store
//! write as the host makes it (journal record + fdatasync), on the real disk.
//!
//! `cargo run --release -p arsenal-plugin-logs --example cache_writes -- [messages] [bucket size]`
//! (defaults 2000 and 200). Prints time per message and journal bytes per message.

use std::{path::Path, time::Instant};

use arsenal_store::{Store, StoreOptions};
use serde_json::{json, Value};

fn message(i: u64) -> Value {
    // A typical chat line: author, name, ~120 characters of text, time.
    json!({"a": "123456789012345678", "n": "alice", "c": format!("{i} {}", "lorem ipsum dolor sit amet ".repeat(4)), "t": 1_796_542_262_000u64 + i})
}

/// `write` stores message `i` and returns the bytes of JSON it wrote (key and value: what the
/// journal record carries).
fn run(label: &str, dir: &Path, messages: u64, mut write: impl FnMut(&Store, u64) -> usize) {
    let _ = std::fs::remove_dir_all(dir);
    let store = Store::open(dir, StoreOptions::default()).expect("open the store");
    let started = Instant::now();
    let mut journal = 0u64;
    for i in 0..messages {
        journal += write(&store, i) as u64;
    }
    let elapsed = started.elapsed();
    store.close().expect("close");
    println!(
        "| {label} | {:.3} ms | {} B |",
        elapsed.as_secs_f64() * 1000.0 / messages as f64,
        journal / messages,
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let messages: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let bucket: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/logs-cache-bench");
    println!("{messages} messages in one channel; bucket of the newest {bucket}\n");
    println!("| layout | per message | journal per message |\n|---|---:|---:|");
    run(
        "one key per message",
        &root.join("per-message"),
        messages,
        |store, i| {
            let (key, value) = (format!("m:1:2:{i}"), message(i));
            let bytes = key.len() + value.to_string().len();
            store.set("plugin.logs", &key, value).expect("write");
            bytes
        },
    );
    let mut held: std::collections::VecDeque<Value> = std::collections::VecDeque::new();
    run(
        &format!("one key per channel ({bucket} messages)"),
        &root.join("bucket"),
        messages,
        |store, i| {
            held.push_back(message(i));
            if held.len() > bucket {
                held.pop_front();
            }
            let value = Value::Array(held.iter().cloned().collect());
            let bytes = "m:1:2".len() + value.to_string().len();
            store.set("plugin.logs", "m:1:2", value).expect("write");
            bytes
        },
    );
    let _ = std::fs::remove_dir_all(&root);
}
