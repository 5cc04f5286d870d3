//! Project automation, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//!
//! One module per command; every command prints what it runs, so nothing happens behind the
//! user's back.

mod bench;
mod build_plugins;
mod new_plugin;
mod setup;
mod workspace;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Arsenal project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build every plugin in plugins/ and install each atomically into the plugins folder.
    BuildPlugins {
        /// Optimised, stripped builds (what production and benchmarks use).
        #[arg(long)]
        release: bool,
    },
    /// Build the host and the plugins, then run the bot (`arsenal run`; extra args pass through).
    Run {
        /// Optimised builds.
        #[arg(long)]
        release: bool,
        /// Arguments for `arsenal`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Build plugins and test fixtures, then run every test of the workspace.
    Test {
        /// Extra arguments for `cargo test` (e.g. a test name filter).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Run a benchmark (release builds) and print its table: reload | store.
    Bench {
        /// Which benchmark.
        which: bench::Which,
        /// Extra arguments for the benchmark program.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Long-running robustness runs: store (hundreds of SIGKILL crash trials).
    Soak {
        /// Crash trials.
        #[arg(long, default_value_t = 500)]
        trials: u32,
    },
    /// Install what the build needs (libopus-dev), or with `music` also yt-dlp and ffmpeg.
    Setup {
        /// `build` (default) or `music`.
        #[arg(value_enum, default_value = "build")]
        part: setup::Part,
    },
    /// Create plugins/<name>, a new plugin crate ready to build.
    NewPlugin {
        /// Module name (a-z, 0-9, _).
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::BuildPlugins { release } => build_plugins::run(release).map(drop),
        Command::Run { release, args } => run(release, &args),
        Command::Test { args } => test(&args),
        Command::Bench { which, args } => {
            setup::ensure_build_deps().and_then(|()| bench::run(which, &args))
        }
        Command::Soak { trials } => workspace::cargo(
            &[
                "test",
                "--release",
                "-p",
                "arsenal-store",
                "--test",
                "crash",
            ],
            &[("ARSENAL_CRASH_TRIALS", trials.to_string().as_str())],
        ),
        Command::Setup { part } => setup::run(part),
        Command::NewPlugin { name } => new_plugin::run(&name),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(release: bool, args: &[String]) -> anyhow::Result<()> {
    setup::ensure_build_deps()?;
    build_plugins::run(release)?;
    let mut cargo_args = vec!["run", "-p", "arsenal-host", "--bin", "arsenal"];
    if release {
        cargo_args.push("--release");
    }
    cargo_args.push("--");
    cargo_args.extend(args.iter().map(String::as_str));
    workspace::cargo(&cargo_args, &[])
}

fn test(args: &[String]) -> anyhow::Result<()> {
    setup::ensure_build_deps()?;
    // Tests dlopen the fixtures and plugins, so build them first, as build-plugins does (debug).
    let crates = workspace::cdylib_packages()?;
    let names: Vec<&str> = crates.iter().map(|p| p.name.as_str()).collect();
    let libraries = workspace::build_plugin_libraries(&names, false)?;
    // Tests install fixtures into temporary plugin folders and find these runtime libraries in
    // `<fixtures>/runtime` (host/tests/common).
    build_plugins::install_runtime(&libraries, &libraries.join("runtime"))?;
    // `-p <crate>` picks crates; with `--workspace` cargo would run every crate anyway.
    let picks_crates = args
        .iter()
        .any(|a| a == "-p" || a.starts_with("--package") || (a.starts_with("-p") && a.len() > 2));
    let mut test = vec!["test"];
    if !picks_crates {
        test.push("--workspace");
    }
    test.extend(args.iter().map(String::as_str));
    let libraries = libraries.to_string_lossy();
    workspace::cargo(&test, &[("ARSENAL_FIXTURES_DIR", &libraries)])
}
