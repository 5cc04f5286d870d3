//! The web dashboard (off by default; `dashboard = "127.0.0.1:8480"` in arsenal.toml or
//! `ARSENAL_DASHBOARD` turns it on): server-rendered pages over axum on the host's runtime, no
//! script. Modules with their state and a reload/load/unload button, the reload history, the
//! store (namespaces, keys, a key's JSON edited through a version-checked transaction), the
//! timers due and the shards.
//!
//! Only for the operator: a loopback address unless `dashboard_allow_remote` (checked in
//! [`crate::config`]), a login secret random at every start and kept hashed ([`auth`]), a CSRF
//! token on every form ([`csrf`]). Every action goes through the path the chat commands use
//! (the manager's reload and unload, recorded in the reload history with trigger `dashboard`;
//! a store edit is logged with its namespace, key and versions).

pub mod auth;
pub mod csrf;
mod page;
mod pages;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use anyhow::Context as _;
use arsenal_store::Store;
use axum::{
    response::Redirect,
    routing::{get, post},
    Router,
};
use tokio::{net::TcpListener, sync::watch, task::JoinHandle};

use crate::{plugins::PluginManager, timers::TimerService};

/// What every page reads and acts on. Cheap to clone.
#[derive(Clone)]
pub struct Dashboard {
    manager: PluginManager,
    store: Store,
    timers: TimerService,
    sessions: Arc<auth::Sessions>,
}

/// A running dashboard; stops when [`DashboardServer::stop`]ped (or its task is dropped with
/// the runtime).
pub struct DashboardServer {
    addr: SocketAddr,
    /// The login secret until taken to be shown ([`DashboardServer::take_login_secret`]).
    secret: Mutex<Option<String>>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl DashboardServer {
    /// Listens on `addr` (port 0: any free port) with a new login secret.
    ///
    /// # Errors
    ///
    /// The address cannot be listened on (in use, not this machine's, no permission), or the
    /// operating system gave no random bytes for the secret.
    pub async fn bind(
        addr: SocketAddr,
        manager: PluginManager,
        store: Store,
        timers: TimerService,
    ) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(addr).await.with_context(|| {
            format!("dashboard: cannot listen on {addr}; choose another address for `dashboard` in arsenal.toml (or ARSENAL_DASHBOARD), or remove it")
        })?;
        let addr = listener
            .local_addr()
            .context("dashboard: reading the bound address")?;
        let (kept, secret) = auth::LoginSecret::generate()
            .map_err(|e| anyhow::anyhow!("dashboard: no random bytes for the login secret: {e}"))?;
        let state = Dashboard {
            manager,
            store,
            timers,
            sessions: Arc::new(auth::Sessions::new(kept)),
        };
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            };
            if let Err(error) = axum::serve(listener, router(state))
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::error!("the dashboard stopped: {error}");
            }
        });
        tracing::info!(%addr, "serving the dashboard at http://{addr}/");
        Ok(Self {
            addr,
            secret: Mutex::new(Some(secret)),
            stop,
            task,
        })
    }

    /// The address listened on (the real port when bound to port 0).
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The login secret, once: whoever starts the host shows it to the operator; afterwards
    /// only its hash is left.
    pub fn take_login_secret(&self) -> Option<String> {
        self.secret
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Prints the address and the login secret on standard output, once (not to the log: a
    /// log file outlives the process, the secret need not).
    pub fn announce(&self) {
        if let Some(secret) = self.take_login_secret() {
            println!(
                "Dashboard: http://{}/ — dashboard login secret (shown once, new at every start): {secret}",
                self.addr
            );
        }
    }

    /// Stops listening and waits for the server to end.
    pub async fn stop(self) {
        self.stop.send_replace(true);
        let abort = self.task.abort_handle();
        if tokio::time::timeout(Duration::from_secs(1), self.task)
            .await
            .is_err()
        {
            abort.abort();
        }
    }
}

fn router(state: Dashboard) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/modules") }))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(
            "/modules",
            get(pages::modules::show).post(pages::modules::act),
        )
        .route("/history", get(pages::history::show))
        .route("/store", get(pages::store::namespaces))
        .route("/store/keys", get(pages::store::keys))
        .route(
            "/store/key",
            get(pages::store::key).post(pages::store::edit),
        )
        .route("/runtime", get(pages::runtime::show))
        .with_state(state)
}
