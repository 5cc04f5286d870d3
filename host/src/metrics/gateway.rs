//! Gateway series, per shard: events by type, and the heartbeat latency twilight measures.
//!
//! Each shard loop owns one [`ShardMetrics`]: the counter handle of every event type it has
//! seen is kept there, so counting a frame is a lookup in a small map of its own (no lock, no
//! allocation after an event type's first frame) and one atomic increment.

use std::collections::HashMap;

use prometheus::{Gauge, IntCounter};
use twilight_gateway::Latency;

use super::metrics;

/// One shard's cached series.
pub struct ShardMetrics {
    shard: String,
    events: HashMap<Box<str>, IntCounter>,
    latency: Option<Gauge>,
}

impl ShardMetrics {
    /// The series of shard number `shard`.
    #[must_use]
    pub fn new(shard: u32) -> Self {
        Self {
            shard: shard.to_string(),
            events: HashMap::new(),
            latency: None,
        }
    }

    /// Counts one dispatch event of type `name`.
    pub fn event(&mut self, name: &str) {
        if let Some(counter) = self.events.get(name) {
            counter.inc();
            return;
        }
        // Event types are Discord's (a few dozen); an unknown flood of names cannot grow this
        // past what the registry would hold anyway.
        let Some(counter) = metrics().and_then(|m| {
            m.gateway_events
                .get_metric_with_label_values(&[self.shard.as_str(), name])
                .ok()
        }) else {
            return;
        };
        counter.inc();
        self.events.insert(Box::from(name), counter);
    }

    /// Records the shard's latest heartbeat round trip, when it has one (the series appears
    /// with the first acknowledged heartbeat, never as a false 0).
    pub fn latency(&mut self, latency: &Latency) {
        let Some(last) = latency.recent().first() else {
            return;
        };
        if self.latency.is_none() {
            self.latency = metrics().and_then(|m| {
                m.gateway_latency
                    .get_metric_with_label_values(&[self.shard.as_str()])
                    .ok()
            });
        }
        if let Some(gauge) = &self.latency {
            gauge.set(last.as_secs_f64());
        }
    }
}

/// What the series say about one shard of this process (the dashboard's shard table).
#[derive(Debug, Clone, PartialEq)]
pub struct ShardSummary {
    /// The shard number.
    pub shard: String,
    /// Its latest heartbeat round trip, once one was acknowledged.
    pub latency: Option<std::time::Duration>,
    /// Dispatch events received, all types.
    pub events: u64,
}

/// Every shard seen by this process, by number.
#[must_use]
pub fn shard_summaries() -> Vec<ShardSummary> {
    let Some(registry) = super::registry() else {
        return Vec::new();
    };
    let mut shards: std::collections::BTreeMap<u32, ShardSummary> = Default::default();
    let label = |metric: &prometheus::proto::Metric| {
        metric
            .get_label()
            .iter()
            .find(|l| l.name() == "shard")
            .map(|l| l.value().to_owned())
    };
    let mut latencies = Vec::new();
    let mut events = Vec::new();
    for family in registry.gather() {
        for metric in family.get_metric() {
            let Some(shard) = label(metric) else { continue };
            match family.name() {
                "arsenal_gateway_latency_seconds" => {
                    latencies.push((shard, metric.get_gauge().get_value()));
                }
                "arsenal_gateway_events_total" => {
                    events.push((shard, metric.get_counter().get_value()));
                }
                _ => {}
            }
        }
    }
    for (shard, seconds) in latencies {
        summary(&mut shards, &shard).latency = std::time::Duration::try_from_secs_f64(seconds).ok();
    }
    for (shard, count) in events {
        // Counters are whole numbers kept as f64.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let count = count as u64;
        summary(&mut shards, &shard).events += count;
    }
    shards.into_values().collect()
}

/// The summary of `shard` in `shards`, added empty if new.
fn summary<'a>(
    shards: &'a mut std::collections::BTreeMap<u32, ShardSummary>,
    shard: &str,
) -> &'a mut ShardSummary {
    let number = shard.parse().unwrap_or(u32::MAX);
    shards.entry(number).or_insert_with(|| ShardSummary {
        shard: shard.to_owned(),
        latency: None,
        events: 0,
    })
}
