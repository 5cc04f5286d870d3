//! What the dispatch and automod benchmarks share: finding the plugin builds `cargo xtask bench`
//! made, the host's settings against the simulator, and printing a rate.

use std::{path::PathBuf, time::Duration};

use arsenal_host::config::{CommandScope, DiscordSettings, ModuleLimits, Token};
use discord_sim::{DemoIds, Simulator};

/// A one-shard host connected to `sim`, with module queues holding `queue_capacity` events
/// (a benchmark queues every frame at once and counts it as handled: the default capacity,
/// 10 000, would drop the rest for the module, as designed).
pub fn settings(sim: &Simulator, ids: &DemoIds, queue_capacity: usize) -> DiscordSettings {
    DiscordSettings {
        token: Some(Token::new(sim.token())),
        api: Some(sim.rest_addr().to_string()),
        gateway: Some(sim.gateway_url()),
        owners: Vec::new(),
        commands: CommandScope::Guild(ids.guild),
        shards: Some(1),
        shard_range: None,
        default_prefix: "!".to_owned(),
        control_guild: None,
        modules: ModuleLimits {
            queue_capacity,
            ..Default::default()
        },
        metrics: None,
        dashboard: None,
        voice: Default::default(),
    }
}

/// A library built by `cargo xtask bench <which>` (its folder comes in `ARSENAL_PLUGIN_BUILDS`).
pub fn library(which: &str, file: &str) -> PathBuf {
    let dir = std::env::var_os("ARSENAL_PLUGIN_BUILDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("ARSENAL_PLUGIN_BUILDS unset: run `cargo xtask bench {which}`"));
    let path = dir.join(file);
    assert!(
        path.exists(),
        "{} missing: run `cargo xtask bench {which}`",
        path.display()
    );
    path
}

/// `count` items in `elapsed`, as a rate and a time per item.
#[allow(clippy::cast_precision_loss)]
pub fn per_second(count: usize, elapsed: Duration) -> String {
    format!(
        "{:.0}/s ({:.2} µs each)",
        count as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / count as f64
    )
}
