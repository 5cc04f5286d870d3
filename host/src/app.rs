//! The running host: store, modules, timers, the plugins-folder watcher and the Discord layer,
//! started and stopped in the right order.
//!
//! Shutdown order (SIGINT/SIGTERM, or the sandbox console closing): stop taking events (close
//! the shards), leave the fleet (PostgreSQL), let every module's queue drain, stop timers, then
//! close the store (final compaction). Nothing acknowledged is lost, and nothing queued is
//! dropped. A hand-over to a re-executed process (`reexec`) stops in the same order, but the
//! shards close resumably and save their sessions, and the answers being sent are awaited.

use std::time::Duration;

use anyhow::Context as _;
use arsenal_plugin_api::protocol::{kind, TimerFired};
use arsenal_store::{Store, StoreLocation, StoreOptions};

use crate::{
    config::DiscordSettings,
    dashboard::DashboardServer,
    discord::{self, DiscordHost},
    fleet::Fleet,
    metrics::MetricsServer,
    paths::Paths,
    plugins::{watcher, ManagerConfig, PluginManager, Trigger},
    reexec::{self, ReexecTrigger},
    timers::{Delivery, TimerService},
};

/// A started host.
pub struct App {
    /// The store.
    pub store: Store,
    /// The modules.
    pub manager: PluginManager,
    /// Durable timers.
    pub timers: TimerService,
    /// The Discord connection (absent when started without Discord).
    pub discord: Option<DiscordHost>,
    /// The Prometheus `/metrics` endpoint, when `metrics` is set.
    pub metrics: Option<MetricsServer>,
    /// The web dashboard, when `dashboard` is set (its login secret is taken and shown by
    /// whoever started the host: [`DashboardServer::take_login_secret`]).
    pub dashboard: Option<DashboardServer>,
    /// This process's fleet membership (PostgreSQL store only).
    pub fleet: Option<Fleet>,
    _watcher: Option<watcher::PluginWatcher>,
    timer_task: tokio::task::JoinHandle<()>,
    budget_watch: Option<tokio::task::JoinHandle<()>>,
}

impl App {
    /// Opens the store, loads every module, starts timers and the watcher, and connects to
    /// Discord when `settings` is given.
    ///
    /// # Errors
    ///
    /// The store cannot be opened (damaged, locked), the plugins folder cannot be watched, or
    /// Discord refused the connection.
    pub async fn start(paths: &Paths, settings: Option<DiscordSettings>) -> anyhow::Result<Self> {
        let location = paths.store_location();
        let options = StoreOptions {
            commit_observer: Some(crate::metrics::store::commit_observer()),
            ..StoreOptions::default()
        };
        let store = Store::open_location(&location, options)
            .with_context(|| format!("opening the store at {location}"))?;
        let limits = settings.as_ref().map(|s| s.modules).unwrap_or_default();
        let manager = PluginManager::new(
            ManagerConfig {
                plugins_dir: paths.plugins_dir.clone(),
                backups_dir: paths.backups_dir(),
                keep_backups: 10,
                stall_after: limits.stall_after,
                queue_capacity: limits.queue_capacity,
                call_timeout: limits.call_timeout,
                revert: limits.revert,
            },
            store.clone(),
        )?;
        // Metrics first (a busy address fails the start before anything loads), so the loads
        // and the first events are seen.
        let metrics = match settings.as_ref().and_then(|s| s.metrics) {
            Some(addr) => Some(MetricsServer::bind(addr, manager.clone()).await?),
            None => None,
        };
        let timers = TimerService::new(store.clone()).context("loading the pending timers")?;
        let _ = manager.services().timers.set(timers.clone());
        timers.cover_deliveries_of(limits.call_timeout);
        // Before the loads too: a busy address fails the start before anything loads.
        let dashboard = match settings.as_ref().and_then(|s| s.dashboard) {
            Some(addr) => Some(
                DashboardServer::bind(addr, manager.clone(), store.clone(), timers.clone()).await?,
            ),
            None => None,
        };
        let results = manager.load_all(Trigger::Startup).await;
        let failed = results.iter().filter(|r| r.is_err()).count();
        tracing::info!(loaded = results.len() - failed, failed, plugins_dir = %paths.plugins_dir.display(), "modules loaded");
        // Several processes on one PostgreSQL store are a fleet: registry, fleet reload,
        // status, timers delivered once. The JSON store is one process: no fleet.
        let fleet = match &location {
            StoreLocation::Postgres(url) => {
                // What the status shows of this process's shards (no Discord: none).
                let shards = match settings.as_ref().map(|s| (s.shard_range.clone(), s.shards)) {
                    None => "none".to_owned(),
                    Some((Some(range), Some(total))) => {
                        format!("{}..{} of {total}", range.start, range.end)
                    }
                    Some((_, Some(count))) => format!("0..{count}"),
                    Some((_, None)) => "all".to_owned(),
                };
                let fleet = Fleet::join(url, &shards, &manager, &timers)
                    .await
                    .context("joining the fleet of processes on the PostgreSQL store")?;
                let _ = manager.services().fleet.set(fleet.clone());
                Some(fleet)
            }
            _ => {
                tracing::info!("JSON store: this process runs alone (a fleet of several processes needs the PostgreSQL store)");
                None
            }
        };
        // `[modules] watch = false`: modules change only by command or from the dashboard.
        let watcher = if limits.watch {
            Some(
                watcher::watch(manager.clone(), Duration::from_millis(250))
                    .with_context(|| format!("watching {}", paths.plugins_dir.display()))?,
            )
        } else {
            tracing::info!("the plugins folder is not watched (modules.watch = false): reload with a command or from the dashboard");
            None
        };
        let discord = match settings {
            Some(mut settings) => {
                // `music_folder` defaults to `<data-dir>/music`.
                let folder = settings.voice.music_folder_in(&paths.data_dir);
                settings.voice.music_folder = Some(folder);
                Some(discord::connect(settings, manager.clone(), store.clone()).await?)
            }
            None => None,
        };
        let deliver = {
            let manager = manager.clone();
            move |plugin: String, fired: TimerFired| {
                let manager = manager.clone();
                async move { deliver_timer(&manager, &plugin, &fired).await }
            }
        };
        // With Discord, a timer due at start (it came due while the bot was stopped) waits for
        // every shard's READY: before that its handler could not reach Discord.
        let timer_task = match &discord {
            Some(discord) => timers.start_when(discord.shared.ready.subscribe(), deliver),
            None => timers.start(deliver),
        };
        Ok(Self {
            store,
            manager,
            timers,
            discord,
            metrics,
            dashboard,
            fleet,
            _watcher: watcher,
            timer_task,
            budget_watch: None,
        })
    }

    /// Lets this process re-execute itself in place (`arsenal run`; not the sandbox, nor a
    /// test owning the process): `!module reexec`, and the retired plugin code passing
    /// `budget` bytes (0: never), ask through the returned trigger, which the caller awaits
    /// and answers with [`App::hand_over`] and [`crate::reexec::exec_self`].
    pub fn enable_reexec(&mut self, budget: u64) -> ReexecTrigger {
        let trigger = self
            .manager
            .services()
            .reexec
            .get_or_init(ReexecTrigger::default)
            .clone();
        if self.budget_watch.is_none() {
            self.budget_watch = reexec::watch_budget(&self.manager, budget, trigger.clone());
        }
        trigger
    }

    /// Stops in order: events, module queues, timers, store. The shards' sessions are closed
    /// for good.
    ///
    /// # Errors
    ///
    /// The store could not be closed cleanly (its journal is still intact).
    pub async fn shutdown(self) -> anyhow::Result<()> {
        self.stop(false).await
    }

    /// Stops like [`App::shutdown`], handing the shards' sessions to the next process: each
    /// closes resumably and saves its exact sequence and guild snapshot; the answers being
    /// sent are awaited while the modules still run.
    ///
    /// # Errors
    ///
    /// The store could not be closed cleanly (its journal is still intact).
    pub async fn hand_over(self) -> anyhow::Result<()> {
        self.stop(true).await
    }

    async fn stop(self, hand_over: bool) -> anyhow::Result<()> {
        if let Some(watch) = &self.budget_watch {
            watch.abort();
        }
        if let Some(discord) = self.discord {
            if hand_over {
                discord.hand_over(reexec::ANSWERS_GRACE).await;
            } else {
                discord.close().await;
            }
        }
        // No reload from the fleet while the modules stop; the others see this process go.
        if let Some(fleet) = &self.fleet {
            fleet.leave().await;
        }
        self.manager.shutdown().await;
        if let Some(metrics) = self.metrics {
            metrics.stop().await;
        }
        if let Some(dashboard) = self.dashboard {
            dashboard.stop().await;
        }
        self.timer_task.abort();
        drop(self.timers);
        drop(self.manager);
        self.store.close().context("closing the store")
    }
}

/// Hands a due timer to its module. Any failure keeps the timer for a retry (the timer service
/// backs off): an error the handler returned, a panic, no answer within the manager's call time
/// limit (a call whose caller gave up is never run late, so retries do not pile up).
async fn deliver_timer(manager: &PluginManager, plugin: &str, fired: &TimerFired) -> Delivery {
    let ready = || {
        manager
            .status()
            .iter()
            .any(|s| s.name == plugin && s.state.quarantined.is_none())
    };
    if !ready() {
        return Delivery::NotReady;
    }
    let payload = match serde_json::to_string(fired) {
        Ok(payload) => payload,
        Err(e) => return Delivery::Failed(format!("the timer could not be encoded: {e}")),
    };
    match manager.call(plugin, kind::TIMER, &payload).await {
        Ok(_) => Delivery::Handled,
        // Unloaded or quarantined during the call: wait for it to come back, like before it.
        Err(_) if !ready() => Delivery::NotReady,
        Err(error) => Delivery::Failed(format!("{:?}: {}", error.kind(), error.message)),
    }
}
