//! Several host processes sharing one PostgreSQL store: a fleet.
//!
//! - **Registry** ([`registry`]): every process keeps a row of `arsenal_fleet` (id, host, pid,
//!   shards, heartbeat, its modules' versions and hashes), refreshed every [`HEARTBEAT`] and
//!   after every load, reload or unload, deleted on a clean shutdown; a process whose heartbeat
//!   is older than [`registry::GONE_AFTER`] counts as gone.
//! - **Reload** ([`notify`]): a load, reload or unload by command, dropped file or dashboard
//!   in one process is done in every process (LISTEN/NOTIFY, and a table of changes that a
//!   process whose listener reconnected catches up from).
//! - **Status** ([`status`]): `/reload status` lists every live process and its version of each
//!   module, and says when they differ.
//! - **Timers**: every [`HEARTBEAT`] the process takes in the timers others scheduled
//!   ([`TimerService::sync_from_store`]); a due timer is delivered by the one process that claims
//!   it (see `timers::claims`).
//!
//! With the JSON store (one process) there is no fleet: nothing here runs.

mod error;
pub mod notify;
pub mod registry;
pub mod status;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;
use tokio_postgres::{Client, NoTls};

pub use error::{FleetError, FleetErrorType};
pub use notify::{FleetAction, FleetReload};
pub use registry::{ModuleVersion, ProcessInfo};

use crate::plugins::{PluginManager, Trigger};
use crate::timers::TimerService;

/// How often a process refreshes its registry row and takes in other processes' timers.
pub const HEARTBEAT: Duration = Duration::from_secs(2);

/// This process's membership of the fleet. Cheap to clone.
#[derive(Clone)]
pub struct Fleet {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) process_id: String,
    /// The fleet's name: the store's schema (processes on other schemas are other fleets).
    pub(crate) fleet: String,
    shards: String,
    pub(crate) config: tokio_postgres::Config,
    client: tokio::sync::Mutex<Option<Arc<Client>>>,
    /// Whether the reload channel listens now.
    pub(crate) listening: watch::Sender<bool>,
    /// Per module: what went wrong with its last fleet reload here, shown in the status.
    notes: Mutex<BTreeMap<String, String>>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl std::fmt::Debug for Fleet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fleet")
            .field("process_id", &self.shared.process_id)
            .field("fleet", &self.shared.fleet)
            .finish_non_exhaustive()
    }
}

/// A process id unique in the fleet: host, pid, and a number for several hosts in one process
/// (tests).
fn new_process_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "{}-{}-{}",
        registry::host_name(),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

impl Fleet {
    /// Joins the fleet of the PostgreSQL store at `url`: registers this process (serving
    /// `shards`, for people), makes `timers` claim under its id, and starts the heartbeat, the
    /// reload announcer and the reload listener on the current runtime.
    ///
    /// # Errors
    /// The URL is not a PostgreSQL URL, or the server refused the first registration.
    pub async fn join(
        url: &str,
        shards: &str,
        manager: &PluginManager,
        timers: &TimerService,
    ) -> Result<Fleet, FleetError> {
        let config = url
            .parse::<tokio_postgres::Config>()
            .map_err(FleetError::url)?;
        let process_id = new_process_id();
        let client = connect(&config).await?;
        let fleet: String = client
            .query_one("SELECT current_schema()::text", &[])
            .await
            .map_err(|e| FleetError::db("read the store's schema", e))?
            .try_get::<_, Option<String>>(0)
            .map_err(|e| FleetError::db("read the store's schema", e))?
            .unwrap_or_default();
        let shared = Arc::new(Shared {
            process_id,
            fleet,
            shards: shards.to_owned(),
            config,
            client: tokio::sync::Mutex::new(Some(Arc::new(client))),
            listening: watch::channel(false).0,
            notes: Mutex::new(BTreeMap::new()),
            tasks: Mutex::new(Vec::new()),
        });
        timers.set_owner(&shared.process_id);
        registry::beat(
            &*shared.client().await?,
            &shared.process_id,
            &shared.shards,
            &registry::modules_of(manager),
        )
        .await?;
        let tasks = vec![
            tokio::spawn(heartbeat(shared.clone(), manager.clone(), timers.clone())),
            tokio::spawn(announce(
                shared.clone(),
                manager.clone(),
                manager.history().subscribe(),
            )),
            tokio::spawn(notify::listen(shared.clone(), manager.clone())),
        ];
        *lock(&shared.tasks) = tasks;
        tracing::info!(process = %shared.process_id, fleet = %shared.fleet, "joined the fleet");
        Ok(Fleet { shared })
    }

    /// This process's id in the fleet.
    #[must_use]
    pub fn process_id(&self) -> &str {
        &self.shared.process_id
    }

    /// Whether the reload channel listens now.
    #[must_use]
    pub fn listening(&self) -> bool {
        *self.shared.listening.borrow()
    }

    /// Waits until the reload channel listens (at most `limit`); whether it does.
    pub async fn wait_listening(&self, limit: Duration) -> bool {
        let mut rx = self.shared.listening.subscribe();
        tokio::time::timeout(limit, rx.wait_for(|l| *l))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Every live process of the fleet.
    ///
    /// # Errors
    /// PostgreSQL unreachable.
    pub async fn processes(&self) -> Result<Vec<ProcessInfo>, FleetError> {
        registry::live(&*self.shared.client().await?).await
    }

    /// What went wrong with fleet reloads here, per module.
    #[must_use]
    pub fn notes(&self) -> BTreeMap<String, String> {
        lock(&self.shared.notes).clone()
    }

    /// Leaves the fleet: stops the tasks and deletes this process's row.
    pub async fn leave(&self) {
        for task in lock(&self.shared.tasks).drain(..) {
            task.abort();
        }
        let left = match self.shared.client().await {
            Ok(client) => registry::leave(&client, &self.shared.process_id).await,
            Err(e) => Err(e),
        };
        if let Err(e) = left {
            tracing::warn!(error = %e, "could not remove this process from the fleet; it counts as gone once its heartbeat is old");
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn connect(config: &tokio_postgres::Config) -> Result<Client, FleetError> {
    let (client, connection) = config
        .connect(NoTls)
        .await
        .map_err(|e| FleetError::db("connect", e))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %e, "the fleet's PostgreSQL connection closed");
        }
    });
    Ok(client)
}

impl Shared {
    /// The registry connection, reconnected when the server closed it.
    pub(crate) async fn client(&self) -> Result<Arc<Client>, FleetError> {
        let mut slot = self.client.lock().await;
        if let Some(client) = slot.as_ref().filter(|c| !c.is_closed()) {
            return Ok(client.clone());
        }
        let client = Arc::new(connect(&self.config).await?);
        *slot = Some(client.clone());
        Ok(client)
    }

    pub(crate) fn note(&self, module: &str, note: Option<String>) {
        let mut notes = lock(&self.notes);
        match note {
            Some(note) => notes.insert(module.to_owned(), note),
            None => notes.remove(module),
        };
    }

    /// Refreshes this process's row now (after a module changed).
    pub(crate) async fn beat_now(&self, manager: &PluginManager) {
        let modules = registry::modules_of(manager);
        let result = match self.client().await {
            Ok(client) => registry::beat(&client, &self.process_id, &self.shards, &modules).await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not refresh this process's row in the fleet registry");
        }
    }
}

/// Every [`HEARTBEAT`]: refresh the registry row, take in the timers others changed.
async fn heartbeat(shared: Arc<Shared>, manager: PluginManager, timers: TimerService) {
    let mut tick = tokio::time::interval(HEARTBEAT);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        shared.beat_now(&manager).await;
        let timers = timers.clone();
        match tokio::task::spawn_blocking(move || timers.sync_from_store()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not take in the fleet's timers"),
            Err(e) => tracing::warn!(error = %e, "taking in the fleet's timers did not finish"),
        }
    }
}

/// After every load, reload or unload here: refresh the row; after one by command, dropped file
/// or dashboard (not one done for the fleet), tell the other processes.
async fn announce(
    shared: Arc<Shared>,
    manager: PluginManager,
    mut records: broadcast::Receiver<crate::plugins::history::ReloadRecord>,
) {
    loop {
        let record = match records.recv().await {
            Ok(record) => record,
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(
                    missed,
                    "the fleet missed reload records; refreshing its row"
                );
                shared.beat_now(&manager).await;
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        shared.beat_now(&manager).await;
        let by_hand = matches!(
            record.trigger,
            Trigger::Command | Trigger::Watcher | Trigger::Dashboard
        );
        let action = match record.outcome.as_str() {
            "loaded" | "reloaded" => Some(FleetAction::Reload),
            "unloaded" => Some(FleetAction::Unload),
            _ => None,
        };
        if let Some(action) = action.filter(|_| by_hand) {
            let reload = FleetReload {
                fleet: shared.fleet.clone(),
                module: record.plugin.clone(),
                action,
                id: None,
                version: record.new_version.clone(),
                hash: record.new_hash.clone(),
                origin: shared.process_id.clone(),
            };
            match notify::send(&shared, &reload).await {
                Ok(()) => shared.note(&record.plugin, None),
                Err(e) => {
                    tracing::warn!(module = %record.plugin, error = %e, "could not announce a reload to the fleet; the other processes keep their version");
                }
            }
        }
    }
}
