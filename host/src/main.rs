//! The `arsenal` command: run the bot (or the local sandbox without a token), or check, repair
//! and copy its store.

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context as _;
use arsenal_host::{
    app::App,
    config::DiscordSettings,
    paths::Paths,
    reexec::{self, Handover},
    sandbox,
};
use arsenal_store::StoreLocation;
use clap::{Parser, Subcommand};
use tracing_subscriber::{layer::SubscriberExt as _, util::SubscriberInitExt as _, Layer as _};

/// A Discord bot host whose modules are hot-reloadable plugins and whose data is never lost.
#[derive(Debug, Parser)]
#[command(name = "arsenal", version)]
struct Cli {
    /// Runtime data: store, backups, config file, and by default the plugins folder.
    #[arg(long, env = "ARSENAL_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// Folder of `<module>.so` files [default: <data-dir>/plugins].
    #[arg(long, env = "ARSENAL_PLUGINS_DIR", global = true)]
    plugins_dir: Option<PathBuf>,
    /// The store in PostgreSQL (`postgres://user@host:5432/database`) instead of the JSON store
    /// in <data-dir>/store; wins over `store = "…"` in arsenal.toml.
    #[arg(long, env = "ARSENAL_STORE_URL", global = true, hide_env_values = true)]
    store_url: Option<String>,
    /// This process's gateway shards: `A..B` (shards A to B-1 of --total-shards, for a bot run
    /// by several processes sharing a PostgreSQL store) or a count (all of them); wins over
    /// `shards = …` in arsenal.toml.
    #[arg(long, global = true, value_name = "A..B")]
    shards: Option<String>,
    /// The bot's total shard count, the same in every process; wins over `total_shards`.
    #[arg(long, global = true, value_name = "N")]
    total_shards: Option<u32>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the bot (the default). Without a token: the local sandbox.
    Run,
    /// Run the local sandbox even if a token is configured.
    Sandbox,
    /// Inspect, fix or copy the store.
    Store {
        #[command(subcommand)]
        action: StoreAction,
    },
}

#[derive(Debug, Subcommand)]
enum StoreAction {
    /// Verify every file and explain any damage.
    Check,
    /// Fix damage, keeping a copy of whatever is removed.
    Repair,
    /// Copy every key from one store to another (a data folder or a postgres:// URL each), then
    /// read both back and verify every key. Stop the bot first.
    Copy {
        /// The store to read: a JSON store folder (e.g. data/store) or a postgres:// URL.
        #[arg(long)]
        from: String,
        /// The store to write: a folder or a postgres:// URL. Must be empty unless --force.
        #[arg(long)]
        to: String,
        /// Replace whatever the target holds (it ends up holding exactly the source).
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    // Kept for a re-exec in place (`arsenal_host::reexec`): the same arguments again.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = Cli::parse();
    // The URL may hold a password: plugins run in this process and must not find it in the
    // environment (the process still has one thread, so changing the environment is safe).
    std::env::remove_var(arsenal_host::config::STORE_URL_VAR);
    let store_url = match arsenal_host::config::store_url(&cli.data_dir, cli.store_url) {
        Ok(url) => url,
        Err(error) => {
            eprintln!("arsenal: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let paths = Paths::new(cli.data_dir, cli.plugins_dir).with_store_url(store_url);
    let command = cli.command.unwrap_or(Command::Run);
    let result = match command {
        Command::Run | Command::Sandbox => run(
            &paths,
            matches!(command, Command::Sandbox),
            (cli.shards.as_deref(), cli.total_shards),
            &args,
        ),
        Command::Store { action } => {
            init_logging(None);
            store_command(&paths, &action)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("arsenal: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, or to `file` (the sandbox, whose console owns the terminal).
fn init_logging(file: Option<&std::path::Path>) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ARSENAL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let log_file = file.and_then(|path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()
    });
    // Beside the log, whatever its level: twilight's 429 retries, counted in the metrics.
    let rate_limits = arsenal_host::metrics::rest::RateLimitLayer.with_filter(
        tracing_subscriber::filter::filter_fn(|meta| meta.target().starts_with("twilight_http")),
    );
    let registry = tracing_subscriber::registry().with(rate_limits);
    match log_file {
        Some(log_file) => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(std::sync::Mutex::new(log_file))
                    .with_filter(filter),
            )
            .init(),
        None => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_filter(filter),
            )
            .init(),
    }
}

fn store_command(paths: &Paths, action: &StoreAction) -> anyhow::Result<ExitCode> {
    let location = paths.store_location();
    match (action, &location) {
        (StoreAction::Check, StoreLocation::Postgres(url)) => {
            let report = arsenal_store::check_postgres(url)
                .with_context(|| format!("checking {location}"))?;
            println!("{report}");
            Ok(if report.is_healthy() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        (StoreAction::Check, StoreLocation::Dir(dir)) => {
            let report =
                arsenal_store::check(dir).with_context(|| format!("checking {}", dir.display()))?;
            println!("{report}");
            Ok(if report.is_healthy() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        (StoreAction::Repair, StoreLocation::Postgres(_)) => {
            anyhow::bail!(
                "{location} is a PostgreSQL store: there is no journal or file to repair (the server keeps its data safe); `arsenal store check` says what a hand edit broke and how to fix it with SQL"
            )
        }
        (StoreAction::Repair, StoreLocation::Dir(dir)) => {
            let report = arsenal_store::repair(dir)
                .with_context(|| format!("repairing {}", dir.display()))?;
            println!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        (StoreAction::Copy { from, to, force }, _) => {
            let (from, to) = (StoreLocation::parse(from), StoreLocation::parse(to));
            if from == to {
                anyhow::bail!("--from and --to are the same store ({from})");
            }
            let report = arsenal_store::copy(&from, &to, *force)
                .with_context(|| format!("copying {from} to {to}"))?;
            println!("{report}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `shard_flags`: `--shards` and `--total-shards`; `args`: the command line, for a re-exec.
fn run(
    paths: &Paths,
    force_sandbox: bool,
    shard_flags: (Option<&str>, Option<u32>),
    args: &[std::ffi::OsString],
) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&paths.data_dir)
        .with_context(|| format!("creating the data folder {}", paths.data_dir.display()))?;
    // Reading the settings removes DISCORD_TOKEN from the environment, so no plugin (they run in
    // this process) can read it there. It happens here, before the async runtime is built and
    // before any plugin is loaded, because the process still has one thread: changing the
    // environment while another thread reads it is a data race in the C library (`setenv`).
    let settings =
        DiscordSettings::load(&paths.data_dir)?.with_shard_flags(shard_flags.0, shard_flags.1)?;
    let sandbox_mode = force_sandbox || settings.token.is_none();
    // The sandbox has its own data folder (see `paths`); its log goes there too.
    let sandbox_paths = paths.sandbox();
    let log_file = sandbox_paths.log_file();
    if sandbox_mode {
        std::fs::create_dir_all(&sandbox_paths.data_dir).with_context(|| {
            format!(
                "creating the sandbox's data folder {}",
                sandbox_paths.data_dir.display()
            )
        })?;
    }
    init_logging(sandbox_mode.then_some(log_file.as_path()));
    if sandbox_mode {
        println!(
            "Sandbox data: {} (the bot's own data is not touched)\nLogs: {}",
            sandbox_paths.data_dir.display(),
            log_file.display()
        );
    }
    // What the re-executed image needs back: the token and the store URL were removed from
    // this process's environment.
    let mut handover = Handover::default();
    if let Some(token) = &settings.token {
        handover
            .env
            .push(("DISCORD_TOKEN".into(), token.expose().into()));
    }
    if let StoreLocation::Postgres(url) = paths.store_location() {
        handover
            .env
            .push((arsenal_host::config::STORE_URL_VAR.into(), url.into()));
    }
    let budget = settings.modules.retired_code_budget;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let re_execute = runtime.block_on(async {
        if sandbox_mode {
            sandbox::run(paths, settings).await?;
            return Ok::<_, anyhow::Error>(false);
        }
        let mut app = App::start(paths, Some(settings)).await?;
        if let Some(dashboard) = &app.dashboard {
            dashboard.announce();
        }
        let trigger = app.enable_reexec(budget);
        tokio::select! {
            () = wait_for_stop_signal() => {
                tracing::info!("stopping: closing the gateway, draining module queues, flushing the store");
                app.shutdown().await?;
                Ok(false)
            }
            reason = trigger.requested() => {
                tracing::info!(%reason, "handing over to a fresh process: closing the shards resumably, draining module queues, flushing the store");
                app.hand_over().await?;
                Ok(true)
            }
        }
    })?;
    if !re_execute {
        return Ok(ExitCode::SUCCESS);
    }
    // Everything was handed over and the store closed; what is left on the runtime (the
    // plugins-folder watcher's blocking loop, idle pool threads) ends with the image. Waiting
    // for it would only lengthen the pause.
    runtime.shutdown_background();
    let error = reexec::exec_self(args, &handover);
    Err(anyhow::anyhow!(
        "re-executing {} failed: {error}; the shards' sessions are saved, so starting arsenal again resumes them",
        args.first().map_or_else(String::new, |a| a.to_string_lossy().into_owned())
    ))
}

async fn wait_for_stop_signal() {
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let term = async {
        match terminate.as_mut() {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}
