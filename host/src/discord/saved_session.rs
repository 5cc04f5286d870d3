//! Each shard's gateway session, kept in the store (host namespace `arsenal.gateway`) so that a
//! process started again — after a crash, a SIGKILL, or the host re-executing itself — RESUMEs
//! its shards instead of identifying: Discord replays what it sent meanwhile, no identify is
//! spent, and no GUILD_CREATE comes, so the shard's part of the guild cache is kept beside the
//! session (`cache_snapshot`).
//!
//! Per shard, two keys written in one transaction: `session:<n>` (session id, last sequence
//! handed to the modules, resume URL, intents, shard count) and `guilds:<n>` (the snapshot,
//! written only when a guild, role, channel, thread or voice state changed since the last
//! write). The shard loop writes every [`SAVE_EVERY`] when the sequence moved, never per event:
//! a write per event would cost a durable store write (an fsync, a PostgreSQL commit) for every
//! frame. The trade-off: after a crash the restarted process resumes from the last write, so
//! the events of the last interval are handed to the modules again (at least once), and events
//! still waiting in a module's queue at the crash are not (the sequence said they were handed
//! on). A stop or a re-exec closes the shards first, drains the module queues and writes the
//! exact sequence: nothing lost, nothing twice. A clean stop (SIGTERM) closes the sessions for
//! good (close 1000: the bot shows offline) and forgets them.

use std::time::Duration;

use arsenal_store::{Store, StoreError, Transaction};
use futures_util::FutureExt as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use twilight_cache_inmemory::DefaultInMemoryCache;
use twilight_gateway::{Intents, Session, Shard};

use super::{cache_snapshot, shared::Shared};

/// The host-owned namespace (modules' namespaces are `plugin.<name>`, so none can reach it).
pub const NAMESPACE: &str = "arsenal.gateway";

/// How often a shard writes its session when the sequence moved.
pub(crate) const SAVE_EVERY: Duration = Duration::from_secs(1);

/// What a shard needs to RESUME, as stored.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SavedSession {
    /// Discord's session id (READY's `session_id`).
    pub session_id: String,
    /// The sequence of the last dispatch handed to the modules.
    pub sequence: u64,
    /// Where to reconnect (READY's `resume_gateway_url`).
    pub resume_url: String,
    /// The intents the session was identified with (bits of [`Intents`]).
    pub intents: u64,
    /// The bot's shard count when it was identified (a resharded bot cannot resume).
    pub total_shards: u32,
}

/// The store key of shard `shard`'s session.
pub fn session_key(shard: u32) -> String {
    format!("session:{shard}")
}

fn guilds_key(shard: u32) -> String {
    format!("guilds:{shard}")
}

/// Writes shard `shard`'s session, and its guild snapshot when given, in one transaction.
pub(crate) fn save(
    store: &Store,
    shard: u32,
    session: &SavedSession,
    guilds: Option<Vec<Value>>,
) -> Result<(), StoreError> {
    let mut txn = Transaction::new().set(
        session_key(shard),
        serde_json::to_value(session).unwrap_or(Value::Null),
    );
    if let Some(guilds) = guilds {
        txn = txn.set(guilds_key(shard), Value::Array(guilds));
    }
    store.commit(NAMESPACE, txn).map(|_| ())
}

/// Forgets shard `shard`'s session (it was closed for good).
pub(crate) fn forget(store: &Store, shard: u32) -> Result<(), StoreError> {
    let txn = Transaction::new()
        .delete(session_key(shard))
        .delete(guilds_key(shard));
    store.commit(NAMESPACE, txn).map(|_| ())
}

/// A session a shard can resume at start.
pub(crate) struct Resumable {
    pub session: Session,
    pub resume_url: String,
    pub intents: Intents,
}

/// Shard `shard`'s saved session if it can be resumed with `wanted` intents on a bot of
/// `total` shards; its guilds are put back into `cache`. A session the process cannot use
/// (other shard count, fewer intents than the modules need now) is left for IDENTIFY.
pub(crate) fn load(
    store: &Store,
    shard: u32,
    total: u32,
    wanted: Intents,
    cache: &DefaultInMemoryCache,
) -> Option<Resumable> {
    let stored = match store.get(NAMESPACE, &session_key(shard)) {
        Ok(stored) => stored?,
        Err(e) => {
            tracing::warn!(
                shard,
                "reading the saved gateway session failed ({e}); identifying"
            );
            return None;
        }
    };
    let saved: SavedSession = match serde_json::from_value(stored.value) {
        Ok(saved) => saved,
        Err(e) => {
            tracing::warn!(
                shard,
                "the saved gateway session did not parse ({e}); identifying"
            );
            return None;
        }
    };
    let intents = Intents::from_bits_truncate(saved.intents);
    if saved.total_shards != total || !intents.contains(wanted) {
        tracing::info!(
            shard,
            saved_total = saved.total_shards,
            total,
            missing = ?(wanted - intents),
            "the saved gateway session does not fit (shard count or intents changed); identifying"
        );
        return None;
    }
    let guilds = match store.get(NAMESPACE, &guilds_key(shard)) {
        Ok(Some(guilds)) => guilds.value.as_array().cloned().unwrap_or_default(),
        Ok(None) => Vec::new(),
        Err(e) => {
            tracing::warn!(shard, "reading the saved guilds failed ({e}); identifying");
            return None;
        }
    };
    let restored = cache_snapshot::restore(cache, &guilds);
    tracing::info!(
        shard,
        sequence = saved.sequence,
        guilds = restored,
        "resuming the saved gateway session"
    );
    Some(Resumable {
        session: Session::new(saved.sequence, saved.session_id),
        resume_url: saved.resume_url,
        intents,
    })
}

/// A shard loop's writer of its session: on each tick, one write when the sequence moved (with
/// the guild snapshot when the cache changed), at most one in flight, off the async runtime.
pub(crate) struct SessionSaver {
    shard: u32,
    /// Session id and sequence of the last write.
    written: Option<(String, u64)>,
    /// `Shared::cache_version` when the last snapshot was taken (`None`: none written yet).
    snapshot_of: Option<u64>,
    in_flight: Option<tokio::task::JoinHandle<bool>>,
}

impl SessionSaver {
    pub(crate) fn new(shard: u32) -> Self {
        Self {
            shard,
            written: None,
            snapshot_of: None,
            in_flight: None,
        }
    }

    /// Starts a write if the session moved since the last one and none is in flight. Called
    /// between frames, so the sequence and the snapshot agree (both are what was handled).
    pub(crate) fn tick<Q>(&mut self, shared: &Shared, shard: &Shard<Q>) {
        if let Some(task) = &mut self.in_flight {
            match task.now_or_never() {
                None => return,
                Some(Ok(true)) => {}
                // Failed (logged): write everything again next time.
                Some(_) => {
                    self.written = None;
                    self.snapshot_of = None;
                }
            }
            self.in_flight = None;
        }
        let Some(record) = record(shard) else { return };
        let version = shared.cache_version();
        let snapshot_due = self.snapshot_of != Some(version);
        let position = (record.session_id.clone(), record.sequence);
        if !snapshot_due && self.written.as_ref() == Some(&position) {
            return;
        }
        let guilds = snapshot_due
            .then(|| cache_snapshot::snapshot(&shared.cache, self.shard, record.total_shards));
        self.written = Some(position);
        self.snapshot_of = Some(version);
        let (store, index) = (shared.store.clone(), self.shard);
        self.in_flight = Some(tokio::task::spawn_blocking(move || {
            match save(&store, index, &record, guilds) {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!(
                        shard = index,
                        "saving the gateway session failed ({e}); a restart now would identify again"
                    );
                    false
                }
            }
        }));
    }

    /// The last write, after the shard closed resumably: its exact session (`record` of the
    /// closed shard) and the snapshot, durable when this returns.
    pub(crate) async fn finish(&mut self, shared: &Shared, session: Option<SavedSession>) {
        if let Some(task) = self.in_flight.take() {
            let _ = task.await;
        }
        let Some(record) = session else {
            tracing::warn!(
                shard = self.shard,
                "no gateway session to hand over; the next process identifies this shard"
            );
            return;
        };
        let guilds = cache_snapshot::snapshot(&shared.cache, self.shard, record.total_shards);
        let (store, index) = (shared.store.clone(), self.shard);
        let saved = tokio::task::spawn_blocking(move || save(&store, index, &record, Some(guilds)));
        match saved.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(shard = index, "saving the gateway session failed: {e}"),
            Err(e) => tracing::warn!(shard = index, "saving the gateway session failed: {e}"),
        }
    }

    /// Forgets the session after the shard closed it for good (a stop).
    pub(crate) async fn forget(&mut self, shared: &Shared) {
        if let Some(task) = self.in_flight.take() {
            let _ = task.await;
        }
        let (store, index) = (shared.store.clone(), self.shard);
        match tokio::task::spawn_blocking(move || forget(&store, index)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(shard = index, "forgetting the gateway session: {e}"),
            Err(e) => tracing::warn!(shard = index, "forgetting the gateway session: {e}"),
        }
    }
}

/// What `shard` would save now; none before its first READY or after its session ended.
pub(crate) fn record<Q>(shard: &Shard<Q>) -> Option<SavedSession> {
    let session = shard.session()?;
    Some(SavedSession {
        session_id: session.id().to_owned(),
        sequence: session.sequence(),
        resume_url: shard.resume_url()?.to_owned(),
        intents: shard.config().intents().bits(),
        total_shards: shard.id().total(),
    })
}
