//! Each server's connection kept in the store, so a restart (a crash, a stop, a re-exec)
//! resumes the music where it was: namespace [`NAMESPACE`], key = the server's id, a readable
//! JSON [`Saved`] record. Written on every change (joined, played, paused, volume, seek) and
//! every [`TICK`] while a track plays (its position), in order, by one writer thread (the
//! store is synchronous, and a later write must never be overtaken by an earlier one).

use std::{
    sync::{mpsc, Arc},
    time::Duration,
};

use arsenal_plugin_api::protocol::{AudioSource, TrackInfo, VoiceEventKind};
use arsenal_store::Store;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker},
    Id,
};

use super::Inner;

/// The store namespace of the saved connections.
pub const NAMESPACE: &str = "arsenal.voice";
/// How long a saved connection's server may take to arrive after READY before it is given up.
const GUILD_WAIT: Duration = Duration::from_secs(30);
/// How often a playing track's position is saved (a restart resumes within about this much).
pub const TICK: Duration = Duration::from_secs(2);

/// One server's saved connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    /// The owning module.
    pub owner: String,
    /// Its voice channel.
    pub channel_id: Id<ChannelMarker>,
    /// Its volume, in percent.
    pub volume: u16,
    /// What played, if anything.
    #[serde(default)]
    pub track: Option<SavedTrack>,
}

/// The track a saved connection played.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedTrack {
    /// The module's tag.
    pub tag: String,
    /// Its source.
    pub source: AudioSource,
    /// How far it had played, in ms.
    pub position_ms: u64,
    /// Whether it was paused.
    #[serde(default)]
    pub paused: bool,
    /// Its length and title.
    #[serde(default)]
    pub info: TrackInfo,
}

enum Write {
    Set(Id<GuildMarker>, Option<serde_json::Value>),
    Flush(tokio::sync::oneshot::Sender<()>),
}

/// The writer thread's queue.
pub(crate) struct Persister {
    queue: mpsc::Sender<Write>,
    store: Store,
}

impl Persister {
    pub(crate) fn start(store: Store) -> Self {
        let (queue, writes) = mpsc::channel::<Write>();
        let writer = store.clone();
        let spawned = std::thread::Builder::new()
            .name("arsenal-voice-store".to_owned())
            .spawn(move || {
                let store = writer;
                for write in writes {
                    match write {
                        Write::Set(guild, value) => {
                            let key = guild.to_string();
                            let done = match value {
                                Some(value) => store.set(NAMESPACE, &key, value).map(drop),
                                None => store.delete(NAMESPACE, &key).map(drop),
                            };
                            if let Err(e) = done {
                                tracing::error!(%guild, "saving the voice connection failed (a restart may not resume it): {e}");
                            }
                        }
                        Write::Flush(done) => {
                            let _ = done.send(());
                        }
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!("the voice store writer could not start ({e}); connections will not survive a restart");
        }
        Self { queue, store }
    }

    /// Saves (`Some`) or forgets (`None`) `guild`'s record, after every earlier write.
    pub(crate) fn write(&self, guild: Id<GuildMarker>, saved: Option<Saved>) {
        let value = saved.and_then(|s| serde_json::to_value(s).ok());
        let _ = self.queue.send(Write::Set(guild, value));
    }

    /// Waits until every queued write is in the store.
    pub(crate) async fn flush(&self) {
        let (done, wait) = tokio::sync::oneshot::channel();
        if self.queue.send(Write::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

impl Inner {
    /// Queues `guild`'s current state for the store (nothing while the host stops: the records
    /// are the restart's).
    pub(super) fn save(&self, guild: Id<GuildMarker>) {
        if self.is_stopping() {
            return;
        }
        self.save_now(guild);
    }

    fn save_now(&self, guild: Id<GuildMarker>) {
        let saved = self
            .guilds()
            .get(&guild)
            .filter(|g| !g.restoring)
            .map(|g| Saved {
                owner: g.owner.to_string(),
                channel_id: g.channel,
                volume: g.volume,
                track: g.track.as_ref().map(|t| SavedTrack {
                    tag: t.tag.clone(),
                    source: t.source.clone(),
                    position_ms: t.position_ms,
                    paused: t.paused,
                    info: t.info.clone(),
                }),
            });
        if saved.is_some() {
            self.persist.write(guild, saved);
        }
    }
}

/// Reads every playing track's position from the mixer into the guild state.
async fn refresh_positions(inner: &Inner) -> Vec<Id<GuildMarker>> {
    let playing: Vec<_> = inner
        .guilds()
        .iter()
        .filter_map(|(guild, g)| Some((*guild, g.track.as_ref()?.handle.clone())))
        .collect();
    let mut changed = Vec::new();
    for (guild, handle) in playing {
        let Ok(state) = handle.get_info().await else {
            continue;
        };
        let position = u64::try_from(state.position.as_millis()).unwrap_or(u64::MAX);
        let mut guilds = inner.guilds();
        if let Some(track) = guilds
            .get_mut(&guild)
            .and_then(|g| g.track.as_mut())
            .filter(|t| t.handle.uuid() == handle.uuid())
        {
            if track.position_ms != position {
                track.position_ms = position;
                changed.push(guild);
            }
        }
    }
    changed
}

/// Saves the playing tracks' positions every [`TICK`], for ever.
pub(super) async fn tick(inner: &Inner) {
    let mut every = tokio::time::interval(TICK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        for guild in refresh_positions(inner).await {
            inner.save(guild);
        }
    }
}

/// The last save before the host stops.
pub(super) async fn save_positions(inner: &Inner) {
    refresh_positions(inner).await;
    let guilds: Vec<_> = inner.guilds().keys().copied().collect();
    for guild in guilds {
        inner.save_now(guild);
    }
}

/// Every saved connection.
#[must_use]
pub fn load(store: &Store) -> Vec<(Id<GuildMarker>, Saved)> {
    let entries = match store.list(NAMESPACE, "") {
        Ok(entries) => entries,
        Err(e) => {
            tracing::error!("the saved voice connections cannot be read ({e}); none resumes");
            return Vec::new();
        }
    };
    entries
        .into_iter()
        .filter_map(|(key, v)| {
            let guild = key.parse::<u64>().ok().and_then(Id::new_checked);
            let saved = serde_json::from_value::<Saved>(v.value);
            match (guild, saved) {
                (Some(guild), Ok(saved)) => Some((guild, saved)),
                (_, Err(e)) => {
                    tracing::warn!(
                        key,
                        "a saved voice connection is damaged ({e}); it is not resumed"
                    );
                    None
                }
                (None, _) => {
                    tracing::warn!(
                        key,
                        "a saved voice connection has no server id as its key; it is not resumed"
                    );
                    None
                }
            }
        })
        .collect()
}

/// Once `ready`, rejoins each saved connection and resumes its track at its saved position;
/// the owner hears `Connected` and `TrackStarted` (or `TrackFailed`/`Disconnected` with why).
pub(super) async fn resume(inner: Arc<Inner>, mut ready: watch::Receiver<bool>) {
    if ready.wait_for(|r| *r).await.is_err() {
        return;
    }
    let store = inner.persist.store.clone();
    let saved = tokio::task::spawn_blocking(move || load(&store))
        .await
        .unwrap_or_default();
    for (guild, saved) in saved {
        // In a fleet, each process resumes the servers of its own shards.
        let shard = super::gateway::shard_of(guild, inner.link.total_shards);
        if !inner.link.shard_range.contains(&shard) {
            continue;
        }
        let inner = Arc::clone(&inner);
        tokio::spawn(async move { resume_one(&inner, guild, saved).await });
    }
}

async fn resume_one(inner: &Arc<Inner>, guild: Id<GuildMarker>, saved: Saved) {
    let owner: Arc<str> = Arc::from(saved.owner.as_str());
    // READY lists the servers; each arrives in its GUILD_CREATE just after (its channels are
    // needed to rejoin).
    let known = tokio::time::timeout(GUILD_WAIT, async {
        while inner.link.cache.guild(guild).is_none() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    if known.is_err() {
        tracing::warn!(%guild, "the saved voice connection's server did not arrive from Discord within {GUILD_WAIT:?}; not rejoined");
        inner.persist.write(guild, None);
        inner.emit_to(owner, guild, VoiceEventKind::Disconnected);
        return;
    }
    tracing::info!(%guild, owner = %owner, channel = %saved.channel_id, "rejoining the voice channel saved before the restart");
    if let Err(e) = inner.join(&owner, guild, saved.channel_id, true).await {
        tracing::warn!(%guild, "the saved voice connection could not be rejoined: {e}");
        inner.persist.write(guild, None);
        inner.emit_to(owner, guild, VoiceEventKind::Disconnected);
        return;
    }
    restore_track(inner, guild, owner, saved).await;
    // Restored (or given up): from now on it is saved as it is.
    if let Some(g) = inner.guilds().get_mut(&guild) {
        g.restoring = false;
    }
    inner.save(guild);
}

/// Sets the saved volume and plays the saved track from its position, paused if it was.
async fn restore_track(inner: &Arc<Inner>, guild: Id<GuildMarker>, owner: Arc<str>, saved: Saved) {
    if let Err(e) = inner.volume(guild, saved.volume) {
        tracing::warn!(%guild, "the saved volume could not be set: {e}");
    }
    let Some(track) = saved.track else {
        return;
    };
    match inner
        .play(guild, track.source, track.tag.clone(), track.position_ms)
        .await
    {
        Ok(_) if track.paused => {
            if let Err(e) = inner.set_paused(guild, true) {
                tracing::warn!(%guild, "the resumed track could not be paused again: {e}");
            }
        }
        Ok(_) => {}
        Err(e) => {
            tracing::warn!(%guild, tag = track.tag, "the saved track could not be resumed: {e}");
            inner.emit_to(
                owner,
                guild,
                VoiceEventKind::TrackFailed {
                    tag: track.tag,
                    error: format!("it could not be resumed after the restart: {e}"),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_connections_load_and_damaged_ones_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), arsenal_store::StoreOptions::default()).unwrap();
        let saved = Saved {
            owner: "music".to_owned(),
            channel_id: Id::new(5),
            volume: 80,
            track: Some(SavedTrack {
                tag: "q1".to_owned(),
                source: AudioSource::Local {
                    path: "a.ogg".to_owned(),
                },
                position_ms: 61_000,
                paused: true,
                info: TrackInfo::default(),
            }),
        };
        store
            .set(NAMESPACE, "1", serde_json::to_value(&saved).unwrap())
            .unwrap();
        store
            .set(NAMESPACE, "2", serde_json::json!({"owner": 3}))
            .unwrap();
        store
            .set(
                NAMESPACE,
                "not-a-guild",
                serde_json::to_value(&saved).unwrap(),
            )
            .unwrap();
        assert_eq!(load(&store), vec![(Id::new(1), saved)]);
    }
}
