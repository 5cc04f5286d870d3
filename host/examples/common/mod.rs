//! What the dispatch and automod benchmarks share: finding the plugin builds `cargo xtask bench`
//! made, and printing a rate.

use std::{path::PathBuf, time::Duration};

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
