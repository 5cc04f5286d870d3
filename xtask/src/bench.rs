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
    /// Durable writes/s vs SQLite and full-file rewrite, recovery time (store/examples/bench.rs);
    /// with `--postgres`: the PostgreSQL backend beside the JSON store and `pgbench`'s
    /// simple-update on the same server (store/examples/bench_postgres.rs).
    Store,
    /// Messages/s through every bot-side automod rule (1 000 words, 10 regexes) beside the plain
    /// dispatch figure (host/examples/bench_automod.rs).
    Automod,
    /// The pause of a re-exec in place (RESUME) beside a plain restart (stop, start, IDENTIFY):
    /// last event handled before → first handled after, the real `arsenal` binary
    /// (host/examples/bench_reexec.rs).
    Reexec,
    /// CPU per concurrent songbird stream of a local file and the most streams one core sustains
    /// without late packets, against the simulator's voice server on loopback
    /// (discord-sim/examples/bench_music.rs).
    Music,
}

/// Runs one benchmark.
pub fn run(which: Which, args: &[String]) -> anyhow::Result<()> {
    let extra: Vec<&str> = args.iter().map(String::as_str).collect();
    match which {
        Which::Reload => {
            let built = build_plugins_and(&["fixture-counter-v1", "fixture-counter-v2"])?;
            run_host_example("bench_reload", &built, &extra)
        }
        Which::Dispatch => {
            let built = build_plugins_and(&["fixture-misbehaving"])?;
            run_host_example("bench_dispatch", &built, &extra)
        }
        Which::Automod => {
            let built = build_plugins_and(&["fixture-misbehaving"])?;
            run_host_example("bench_automod", &built, &extra)
        }
        Which::Reexec => {
            let built = build_plugins_and(&["fixture-counter-v1"])?;
            workspace::cargo(
                &[
                    "build",
                    "--release",
                    "-p",
                    "arsenal-host",
                    "--bin",
                    "arsenal",
                ],
                &[],
            )?;
            let binary = workspace::target_dir().join("release").join("arsenal");
            let mut with_binary: Vec<&str> = vec!["--arsenal"];
            let binary = binary.to_string_lossy();
            with_binary.push(&binary);
            with_binary.extend(&extra);
            run_host_example("bench_reexec", &built, &with_binary)
        }
        Which::Music => {
            let mut cargo_args = vec![
                "run",
                "--release",
                "-p",
                "discord-sim",
                "--example",
                "bench_music",
                "--",
            ];
            cargo_args.extend(extra);
            workspace::cargo(&cargo_args, &[])
        }
        Which::Store => {
            let example = if extra.contains(&"--postgres") {
                "bench_postgres"
            } else {
                "bench"
            };
            let mut cargo_args = vec![
                "run",
                "--release",
                "-p",
                "arsenal-store",
                "--example",
                example,
                "--",
            ];
            cargo_args.extend(extra);
            workspace::cargo(&cargo_args, &[])
        }
    }
}

/// Builds every real module and the given fixtures as `build-plugins --release` does; returns
/// the folder holding the libraries.
fn build_plugins_and(fixtures: &[&str]) -> anyhow::Result<std::path::PathBuf> {
    let plugins = workspace::cdylib_packages()?;
    let names: Vec<&str> = fixtures
        .iter()
        .copied()
        .chain(
            plugins
                .iter()
                .filter(|p| p.is_plugin)
                .map(|p| p.name.as_str()),
        )
        .collect();
    let built = workspace::build_plugin_libraries(&names, true)?;
    crate::build_plugins::install_runtime(&built, &built.join("runtime"))?;
    Ok(built)
}

/// Runs a release build of the host example `name` with the user's extra arguments; it finds the
/// plugin libraries in `built` (`ARSENAL_PLUGIN_BUILDS`).
fn run_host_example(name: &str, built: &std::path::Path, extra: &[&str]) -> anyhow::Result<()> {
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
    let built = built.to_string_lossy();
    workspace::cargo(&cargo_args, &[("ARSENAL_PLUGIN_BUILDS", &built)])
}
