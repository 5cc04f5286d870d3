//! Fleet reload over PostgreSQL's LISTEN/NOTIFY, channel [`CHANNEL`].
//!
//! A process that loaded or reloaded a module because of a command or a dropped file sends a
//! [`FleetReload`] (module, version, file hash, origin process). Every other process of the same
//! fleet (the same schema: one database may hold several fleets, each in its schema) reloads
//! that module from its own plugins folder, with [`Trigger::Fleet`] in its history. A reload
//! done because of a notification is never notified again, so there is no loop. When the file
//! it loaded has another hash than the origin's, the process says so (a warning in the log, and
//! in `/reload status`).
//!
//! The listening connection is dedicated (notifications arrive on the connection that listens)
//! and reconnects after a second when the server closes it; a notification sent while it was
//! down is missed, but `/reload status` shows the versions that differ then.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, NoTls};

use super::error::FleetError;
use super::Shared;
use crate::plugins::{PluginManager, Trigger};

/// The channel every process of every fleet listens on; payloads name their fleet.
pub const CHANNEL: &str = "arsenal_fleet";

/// What a process announces after reloading a module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetReload {
    /// The fleet (the store's schema).
    pub fleet: String,
    /// The module reloaded.
    pub module: String,
    /// Its version there.
    #[serde(default)]
    pub version: Option<String>,
    /// Its file's hash there.
    #[serde(default)]
    pub hash: Option<String>,
    /// The process that reloaded it.
    pub origin: String,
}

/// Sends `reload` to every process listening.
pub(crate) async fn send(shared: &Shared, reload: &FleetReload) -> Result<(), FleetError> {
    let payload = serde_json::to_string(reload).unwrap_or_default();
    let client = shared.client().await?;
    client
        .execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])
        .await
        .map_err(|e| FleetError::db("announce a reload to the fleet", e))?;
    Ok(())
}

/// Listens for reloads of other processes for as long as the task runs, reconnecting.
pub(crate) async fn listen(shared: Arc<Shared>, manager: PluginManager) {
    loop {
        if let Err(e) = listen_once(&shared, &manager).await {
            tracing::warn!(error = %e, "the fleet's reload channel closed; reconnecting in a second");
        }
        shared.listening.send_replace(false);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen_once(shared: &Shared, manager: &PluginManager) -> Result<(), FleetError> {
    let (client, mut connection) = shared
        .config
        .connect(NoTls)
        .await
        .map_err(|e| FleetError::db("connect the reload channel", e))?;
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    let driver = tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(n))) => {
                    if tx.send(n.payload().to_owned()).is_err() {
                        return Ok(());
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            }
        }
    });
    client
        .batch_execute(&format!("LISTEN {CHANNEL}"))
        .await
        .map_err(|e| FleetError::db("listen on the reload channel", e))?;
    shared.listening.send_replace(true);
    while let Some(payload) = rx.recv().await {
        match serde_json::from_str::<FleetReload>(&payload) {
            Ok(reload) if reload.fleet == shared.fleet && reload.origin != shared.process_id => {
                follow(shared, manager, &reload).await;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "ignoring a message on the fleet channel that is not a reload")
            }
        }
    }
    drop(client);
    match driver.await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(FleetError::db("keep the reload channel open", e)),
        Err(_) => Ok(()),
    }
}

/// Reloads what another process reloaded, and notes a file that differs from the origin's.
async fn follow(shared: &Shared, manager: &PluginManager, reload: &FleetReload) {
    let module = &reload.module;
    tracing::info!(module = %module, origin = %reload.origin, "reloading a module the fleet reloaded");
    let note = match manager.reload(module, Trigger::Fleet).await {
        Ok(report) if reload.hash.as_deref().is_some_and(|h| h != report.new_hash) => {
            tracing::warn!(module = %module, origin = %reload.origin, here = %report.new_hash,
                there = ?reload.hash, "reloaded for the fleet, but this process's file differs from the origin's; copy the same file to every process's plugins folder");
            Some(format!(
                "reloaded for the fleet from `{}`, but its file here differs from the one there (version {} here, {} there)",
                reload.origin,
                report.new_version,
                reload.version.as_deref().unwrap_or("?")
            ))
        }
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(module = %module, origin = %reload.origin, error = %e, "could not reload a module the fleet reloaded");
            Some(format!(
                "the fleet reload from `{}` failed here: {e}",
                reload.origin
            ))
        }
    };
    shared.note(module, note);
    shared.beat_now(manager).await;
}
