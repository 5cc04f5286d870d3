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
