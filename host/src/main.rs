//! The `arsenal` command: run the bot host, or check and repair its data folder.

use std::{path::PathBuf, process::ExitCode, time::Duration};

use anyhow::Context as _;
use arsenal_host::{
    paths::Paths,
    plugins::{watcher, ManagerConfig, PluginManager, Trigger},
};
use arsenal_store::{Store, StoreOptions};
use clap::{Parser, Subcommand};

/// A Discord bot host whose modules are hot-reloadable plugins and whose data is never lost.
#[derive(Debug, Parser)]
#[command(name = "arsenal", version)]
struct Cli {
    /// Runtime data: store, backups, and by default the plugins folder.
    #[arg(long, env = "ARSENAL_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// Folder of `<module>.so` files [default: <data-dir>/plugins].
    #[arg(long, env = "ARSENAL_PLUGINS_DIR", global = true)]
    plugins_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the host (the default).
    Run,
    /// Inspect or fix the data folder.
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
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ARSENAL_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let paths = Paths::new(cli.data_dir, cli.plugins_dir);
    let result = match cli.command.unwrap_or(Command::Run) {
        Command::Run => run(&paths),
        Command::Store { action } => store_command(&paths, &action),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("arsenal: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn store_command(paths: &Paths, action: &StoreAction) -> anyhow::Result<ExitCode> {
    let dir = paths.store_dir();
    match action {
        StoreAction::Check => {
            let report = arsenal_store::check(&dir)
                .with_context(|| format!("checking {}", dir.display()))?;
            println!("{report}");
            Ok(if report.is_healthy() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        StoreAction::Repair => {
            let report = arsenal_store::repair(&dir)
                .with_context(|| format!("repairing {}", dir.display()))?;
            println!("{report}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run(paths: &Paths) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let store_dir = paths.store_dir();
        let store = Store::open(&store_dir, StoreOptions::default())
            .with_context(|| format!("opening the store in {}", store_dir.display()))?;
        let manager = PluginManager::new(
            ManagerConfig {
                plugins_dir: paths.plugins_dir.clone(),
                backups_dir: paths.backups_dir(),
                keep_backups: 10,
                stall_after: Duration::from_secs(5),
            },
            store.clone(),
        )?;
        let results = manager.load_all(Trigger::Startup).await;
        let failed = results.iter().filter(|r| r.is_err()).count();
        tracing::info!(
            loaded = results.len() - failed,
            failed,
            plugins_dir = %paths.plugins_dir.display(),
            "modules loaded"
        );
        let _watcher = watcher::watch(manager.clone(), Duration::from_millis(250))
            .with_context(|| format!("watching {}", paths.plugins_dir.display()))?;
        tracing::warn!("no Discord connection in this build yet: the host runs its modules and hot-reloads them from the plugins folder; Ctrl-C stops it");
        tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
        tracing::info!("stopping: draining module queues, then flushing the store");
        manager.shutdown().await;
        store.close().context("closing the store")?;
        Ok(ExitCode::SUCCESS)
    })
}
