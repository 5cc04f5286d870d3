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
            let mut build = vec![
                "build",
                "--profile",
                "plugin",
                "-p",
                "fixture-counter-v1",
                "-p",
                "fixture-counter-v2",
            ];
            let plugins = workspace::cdylib_packages()?;
            for plugin in plugins.iter().filter(|p| p.is_plugin) {
                build.extend(["-p", plugin.name.as_str()]);
            }
            workspace::cargo(&build, &[])?;
            let mut cargo_args = vec![
                "run",
                "--release",
                "-p",
                "arsenal-host",
                "--example",
                "bench_reload",
                "--",
            ];
            cargo_args.extend(extra);
            workspace::cargo(&cargo_args, &[])
        }
        Which::Dispatch => {
            let mut build = vec!["build", "--profile", "plugin", "-p", "fixture-misbehaving"];
            let plugins = workspace::cdylib_packages()?;
            for plugin in plugins.iter().filter(|p| p.is_plugin) {
                build.extend(["-p", plugin.name.as_str()]);
            }
            workspace::cargo(&build, &[])?;
            let mut cargo_args = vec![
                "run",
                "--release",
                "-p",
                "arsenal-host",
                "--example",
                "bench_dispatch",
                "--",
            ];
            cargo_args.extend(extra);
            workspace::cargo(&cargo_args, &[])
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
