//! Fleet reload over PostgreSQL's LISTEN/NOTIFY, channel [`CHANNEL`].
//!
//! A process that loaded, reloaded or unloaded a module because of a command, a dropped file or
//! the dashboard sends a [`FleetReload`] (module, what was done, version, file hash, origin
//! process). Every other process of the same fleet (the same schema: one database may hold
//! several fleets, each in its schema) does the same from its own plugins folder, with
//! [`Trigger::Fleet`] in its history. A change done because of a notification is never notified
//! again, so there is no loop. When the file it loaded has another hash than the origin's, the
//! process says so (a warning in the log, and in `/reload status`).
//!
//! The listening connection is dedicated (notifications arrive on the connection that listens)
//! and reconnects after a second when the server closes it. NOTIFY is not kept for a listener
//! that is away, so every change is also a row of `arsenal_fleet_changes`, written by the same
//! statement that notifies; a listener that reconnects first follows the rows after the last id
//! it saw (the latest per module), then the notifications, skipping ids it already followed.

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

/// What was done to a module.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FleetAction {
    /// Loaded or reloaded.
    #[default]
    Reload,
    /// Unloaded.
    Unload,
}

/// What a process announces after loading, reloading or unloading a module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetReload {
    /// The fleet (the store's schema).
    pub fleet: String,
    /// The module.
    pub module: String,
    /// What was done to it.
    #[serde(default)]
    pub action: FleetAction,
    /// Its row in `arsenal_fleet_changes` (set by [`send`]).
    #[serde(default)]
    pub id: Option<i64>,
    /// Its version there.
    #[serde(default)]
    pub version: Option<String>,
    /// Its file's hash there.
    #[serde(default)]
    pub hash: Option<String>,
    /// The process that reloaded it.
    pub origin: String,
}

/// Records `reload` in `arsenal_fleet_changes` and sends it, with its row id, to every process
/// listening: one statement, so a change is never notified without its row or kept without its
/// notification.
pub(crate) async fn send(shared: &Shared, reload: &FleetReload) -> Result<(), FleetError> {
    let change = serde_json::to_value(reload).unwrap_or_default();
    let client = shared.client().await?;
    client
        .execute(
            "WITH c AS (
                 INSERT INTO arsenal_fleet_changes (origin, change) VALUES ($2, $3)
                 RETURNING id, change
             )
             SELECT pg_notify($1, jsonb_set(c.change, '{id}', to_jsonb(c.id))::text) FROM c",
            &[&CHANNEL, &reload.origin, &change],
        )
        .await
        .map_err(|e| FleetError::db("announce a module change to the fleet", e))?;
    // A day of changes is plenty for a listener that reconnects within seconds.
    let _ = client
        .execute(
            "DELETE FROM arsenal_fleet_changes WHERE at < now() - interval '1 day'",
            &[],
        )
        .await;
    Ok(())
}

/// The latest change per module after row `after`, oldest first.
async fn changes_after(
    client: &tokio_postgres::Client,
    after: i64,
) -> Result<Vec<FleetReload>, FleetError> {
    let rows = client
        .query(
            "SELECT id, change FROM (
                 SELECT DISTINCT ON (change->>'module') id, change FROM arsenal_fleet_changes
                 WHERE id > $1 ORDER BY change->>'module', id DESC
             ) latest ORDER BY id",
            &[&after],
        )
        .await
        .map_err(|e| FleetError::db("read the fleet's changes", e))?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let id: i64 = row.try_get(0).ok()?;
            let change: serde_json::Value = row.try_get(1).ok()?;
            let mut reload: FleetReload = serde_json::from_value(change).ok()?;
            reload.id = Some(id);
            Some(reload)
        })
        .collect())
}

/// The id of the newest change (0 when there is none).
async fn last_change(client: &tokio_postgres::Client) -> Result<i64, FleetError> {
    client
        .query_one(
            "SELECT coalesce(max(id), 0) FROM arsenal_fleet_changes",
            &[],
        )
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| FleetError::db("read the fleet's last change", e))
}

/// The `application_name` of process `process_id`'s listening connection.
#[must_use]
pub fn listener_name(process_id: &str) -> String {
    format!("arsenal-listen {process_id}")
}

/// Listens for reloads of other processes for as long as the task runs, reconnecting.
pub(crate) async fn listen(shared: Arc<Shared>, manager: PluginManager) {
    // The last change followed or seen; `None` until the first connection (the modules this
    // process loaded at start are its folder's, newer than any change before it).
    let mut seen = None;
    loop {
        if let Err(e) = listen_once(&shared, &manager, &mut seen).await {
            tracing::warn!(error = %e, "the fleet's reload channel closed; reconnecting in a second");
        }
        shared.listening.send_replace(false);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen_once(
    shared: &Shared,
    manager: &PluginManager,
    seen: &mut Option<i64>,
) -> Result<(), FleetError> {
    // Named, so that an operator (or a test) can tell each process's listener apart.
    let (client, mut connection) = shared
        .config
        .clone()
        .application_name(listener_name(&shared.process_id))
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
    // Listening now: what was changed while this process was not is in the table.
    match *seen {
        None => *seen = Some(last_change(&client).await?),
        Some(after) => {
            for reload in changes_after(&client, after).await? {
                *seen = reload.id.max(*seen);
                if reload.fleet == shared.fleet && reload.origin != shared.process_id {
                    tracing::info!(module = %reload.module, origin = %reload.origin, "following a change the fleet made while this process was not listening");
                    follow(shared, manager, &reload).await;
                }
            }
        }
    }
    shared.listening.send_replace(true);
    while let Some(payload) = rx.recv().await {
        match serde_json::from_str::<FleetReload>(&payload) {
            // Followed already by the catch-up above.
            Ok(reload) if reload.id.is_some() && reload.id <= *seen => {}
            Ok(reload) if reload.fleet == shared.fleet && reload.origin != shared.process_id => {
                *seen = reload.id.max(*seen);
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

/// Does what another process did: reloads (noting a file that differs from the origin's) or
/// unloads.
async fn follow(shared: &Shared, manager: &PluginManager, reload: &FleetReload) {
    let module = &reload.module;
    if reload.action == FleetAction::Unload {
        tracing::info!(module = %module, origin = %reload.origin, "unloading a module the fleet unloaded");
        let note = match manager.unload_by(module, Trigger::Fleet).await {
            Ok(()) => None,
            Err(e) if e.kind() == crate::plugins::ReloadErrorType::NotLoaded => None,
            Err(e) => Some(format!(
                "the fleet unload from `{}` failed here: {e}",
                reload.origin
            )),
        };
        shared.note(module, note);
        shared.beat_now(manager).await;
        return;
    }
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
