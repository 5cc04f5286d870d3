//! What a timer is in memory and in the store: the in-memory index, the stored record, and the
//! checks a timer's plugin, key and payload must pass.

use std::collections::{BTreeSet, HashMap};
use std::io;

use arsenal_store::{Store, StoreError, Versioned};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::retry::Failures;
use super::{TimerError, TimerErrorType, MAX_KEY_CHARS, NAMESPACE};

pub(super) struct Entry {
    pub(super) at_unix_ms: u64,
    pub(super) payload: Value,
    /// Store version of the record, so a delete after delivery cannot remove a newer schedule.
    pub(super) version: u64,
    /// Set while deliveries of this schedule fail; a reschedule starts without it.
    pub(super) failures: Option<Failures>,
    /// Another process of the fleet holds this timer's claim: not tried again before this.
    pub(super) held_until: Option<tokio::time::Instant>,
}

#[derive(Default)]
pub(super) struct Timers {
    pub(super) by_plugin: HashMap<String, HashMap<String, Entry>>,
    /// `(at_unix_ms, plugin, key)`: the delivery order.
    pub(super) by_time: BTreeSet<(u64, String, String)>,
}

impl Timers {
    pub(super) fn get(&self, plugin: &str, key: &str) -> Option<&Entry> {
        self.by_plugin.get(plugin).and_then(|m| m.get(key))
    }

    pub(super) fn get_mut(&mut self, plugin: &str, key: &str) -> Option<&mut Entry> {
        self.by_plugin.get_mut(plugin).and_then(|m| m.get_mut(key))
    }

    pub(super) fn count(&self, plugin: &str) -> usize {
        self.by_plugin.get(plugin).map_or(0, HashMap::len)
    }

    pub(super) fn insert(&mut self, plugin: &str, key: &str, entry: Entry) {
        self.by_time
            .insert((entry.at_unix_ms, plugin.to_owned(), key.to_owned()));
        let old = self
            .by_plugin
            .entry(plugin.to_owned())
            .or_default()
            .insert(key.to_owned(), entry);
        if let Some(old) = old {
            self.unindex(old.at_unix_ms, plugin, key);
        }
    }

    pub(super) fn remove(&mut self, plugin: &str, key: &str) -> Option<Entry> {
        let map = self.by_plugin.get_mut(plugin)?;
        let old = map.remove(key)?;
        if map.is_empty() {
            self.by_plugin.remove(plugin);
        }
        self.unindex(old.at_unix_ms, plugin, key);
        Some(old)
    }

    fn unindex(&mut self, at_unix_ms: u64, plugin: &str, key: &str) {
        if self.get(plugin, key).map(|e| e.at_unix_ms) != Some(at_unix_ms) {
            self.by_time
                .remove(&(at_unix_ms, plugin.to_owned(), key.to_owned()));
        }
    }
}

/// The record kept in the store; what a human sees in `arsenal.timers.json`.
#[derive(Serialize, Deserialize)]
struct TimerRecord {
    plugin: String,
    key: String,
    at_unix_ms: u64,
    #[serde(default)]
    payload: Value,
}

pub(super) fn store_key(plugin: &str, key: &str) -> String {
    format!("{plugin}/{key}")
}

/// Read every timer record from the store, logging and skipping the ones that cannot be used.
pub(super) fn load(store: &Store) -> Result<Timers, StoreError> {
    let mut timers = Timers::default();
    for (id, versioned) in store.list(NAMESPACE, "")? {
        if let Some((plugin, key, entry)) = parse_record(&id, versioned) {
            timers.insert(&plugin, &key, entry);
        }
    }
    Ok(timers)
}

/// A stored record as `(plugin, key, entry)`, or `None` (logged) when it is damaged.
pub(super) fn parse_record(id: &str, versioned: Versioned) -> Option<(String, String, Entry)> {
    let record = match serde_json::from_value::<TimerRecord>(versioned.value) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(namespace = NAMESPACE, key = %id, error = %e,
                "skipping a damaged timer record; fix or delete it in the namespace file, then `!load_all`");
            return None;
        }
    };
    if validate(&record.plugin, &record.key).is_err()
        || id != store_key(&record.plugin, &record.key)
    {
        tracing::warn!(namespace = NAMESPACE, key = %id, plugin = %record.plugin, timer = %record.key,
            "skipping a timer record whose store key is not `<plugin>/<key>`; fix or delete it in the namespace file");
        return None;
    }
    let entry = Entry {
        at_unix_ms: record.at_unix_ms,
        payload: record.payload,
        version: versioned.version,
        failures: None,
        held_until: None,
    };
    Some((record.plugin, record.key, entry))
}

pub(super) fn validate(plugin: &str, key: &str) -> Result<(), TimerError> {
    if plugin.is_empty() || plugin.contains('/') {
        return Err(TimerError::new(TimerErrorType::InvalidPlugin {
            plugin: plugin.to_owned(),
        }));
    }
    let reason = if key.is_empty() {
        Some("it is empty")
    } else if key.chars().count() > MAX_KEY_CHARS {
        Some("it is longer than 100 characters")
    } else if key.contains('/') {
        Some("it contains '/'")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(TimerError::new(TimerErrorType::InvalidKey {
            // Enough to recognise it; a 1 MB key must not end up in every log line.
            key: key.chars().take(MAX_KEY_CHARS).collect(),
            reason,
        })),
        None => Ok(()),
    }
}

pub(super) fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a `Value` into a counter cannot fail.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}
