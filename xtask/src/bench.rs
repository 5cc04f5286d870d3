//! `cargo xtask bench <which>`: release-build benchmarks that print markdown tables for
//! BENCHMARKS.md. Figures are never asserted by tests.

use crate::workspace;

/// The benchmarks.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Which {
    /// Hot reload latency vs the raw load of the same file (counter fixture and every real
    /// module), RSS growth, events lost (host/examples/bench_reload.rs).
    Reload,
    /// Gateway frame → module handlers vs twilight's parse; start-up; restart vs reload
    /// (host/examples/bench_dispatch.rs).
    Dispatch,
    /// Durable writes/s vs SQLite and full-file rewrite, recovery time (store/examples/bench.rs).
    Store,
}

/// Runs one benchmark.
pub fn run(which: Which, args: &[String]) -> anyhow::Result<()> {
    let extra: Vec<&str> = args.iter().map(String::as_str).collect();
    match which {
        Which::Reload => {
            build_plugins_and(&["fixture-counter-v1", "fixture-counter-v2"])?;
            run_host_example("bench_reload", &extra)
        }
        Which::Dispatch => {
            build_plugins_and(&["fixture-misbehaving"])?;
            run_host_example("bench_dispatch", &extra)
        }
        Which::Store => {
            let mut cargo_args = vec![
                "run",
                "--release",
                "-p",
                "arsenal-store",
                "--example",
                "bench",
                "--",
            ];
            cargo_args.extend(extra);
            workspace::cargo(&cargo_args, &[])
        }
    }
}

/// Builds every real module and the given fixtures with the `plugin` profile (what
/// `build-plugins --release` installs).
fn build_plugins_and(fixtures: &[&str]) -> anyhow::Result<()> {
    let plugins = workspace::cdylib_packages()?;
    let mut build = vec!["build", "--profile", "plugin"];
    for name in fixtures.iter().copied().chain(
        plugins
            .iter()
            .filter(|p| p.is_plugin)
            .map(|p| p.name.as_str()),
    ) {
        build.extend(["-p", name]);
    }
    workspace::cargo(&build, &[])
}

/// Runs a release build of the host example `name` with the user's extra arguments.
fn run_host_example(name: &str, extra: &[&str]) -> anyhow::Result<()> {
    let mut cargo_args = vec![
        "run",
        "--release",
        "-p",
        "arsenal-host",
        "--example",
        name,
        "--",
    ];
    cargo_args.extend(extra);
    workspace::cargo(&cargo_args, &[])
}
