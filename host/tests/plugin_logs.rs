//! A plugin's `log` records reach the host's tracing output attributed to that plugin, even
//! though every plugin shares one copy of the `log` crate (in the SDK runtime).
//!
//! Its own test binary: it installs a global tracing subscriber that records every event.

mod common;

use std::sync::{Arc, Mutex, PoisonError};

use arsenal_host::plugins::Trigger;
use common::{command, fixture, install, TestHost};
use tracing::field::{Field, Visit};
use tracing_subscriber::{layer::Context, prelude::*, Layer};

/// `(plugin, message)` of every event that has a `plugin` field.
type Records = Arc<Mutex<Vec<(String, String)>>>;

struct Recorder(Records);

#[derive(Default)]
struct Fields {
    plugin: Option<String>,
    message: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "plugin" {
            self.plugin = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => self.message = format!("{value:?}"),
            "plugin" => self.plugin = Some(format!("{value:?}").trim_matches('"').to_owned()),
            _ => {}
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Recorder {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        if let Some(plugin) = fields.plugin {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((plugin, fields.message));
        }
    }
}

#[tokio::test]
async fn each_plugins_log_records_are_attributed_to_it() {
    let records = Records::default();
    tracing_subscriber::registry()
        .with(Recorder(Arc::clone(&records)))
        .init();

    let host = TestHost::new();
    let plugins = host.plugins_dir();
    install(&plugins, "counter", &fixture("counter-v1"));
    install(&plugins, "misbehaving", &fixture("misbehaving"));
    // Loaded in this order, misbehaving is the last instance created: with one logger shared
    // by both libraries, a logger bound at creation would speak for misbehaving only.
    for name in ["counter", "misbehaving"] {
        host.manager
            .reload(name, Trigger::Startup)
            .await
            .expect("loads");
    }
    for _ in 0..3 {
        host.manager
            .call("counter", "command", &command("count"))
            .await
            .expect("count");
        host.manager
            .call("misbehaving", "command", &command("ok"))
            .await
            .expect("ok");
    }

    let records = records
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let from = |needle: &str| -> Vec<String> {
        records
            .iter()
            .filter(|(_, message)| message.contains(needle))
            .map(|(plugin, _)| plugin.clone())
            .collect()
    };
    assert_eq!(
        from("counter 1.0.0 counted"),
        vec!["counter"; 3],
        "{records:?}"
    );
    assert_eq!(
        from("misbehaving answered ok"),
        vec!["misbehaving"; 3],
        "{records:?}"
    );
}
