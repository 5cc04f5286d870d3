//! Voice: the host owns every voice connection and songbird's audio driver; modules drive them
//! through `op::VOICE` ([`VoiceRequest`]) and hear back through `kind::VOICE` ([`VoiceEvent`]).
//!
//! songbird 0.6's `twilight` feature pins twilight ≤ 0.17, so the host uses its driver alone:
//! it sends gateway op 4 through the shard owning the server itself, takes the bot's own
//! VOICE_STATE_UPDATE (session) and the VOICE_SERVER_UPDATE (endpoint, token) from its gateway
//! loop ([`VoiceService::voice_state`], [`VoiceService::voice_server`]), and hands them to
//! [`songbird::Driver::connect`]. Every driver shares songbird's default config and mixer
//! scheduler, on the host's runtime.
//!
//! **Ownership.** The module that last joined a server's channel owns its connection: only it
//! may drive it (another module's request, `Join` included, is refused naming the owner), and
//! only it receives its events. A call made for a member of server A may not touch server B's
//! audio, as with Discord actions (`guild_scope`).
//!
//! **Reloads and restarts.** The driver belongs to the host, not to the module's instance: a
//! reload leaves the audio playing, and events go to whichever version serves when they
//! happen. Each server's owner, channel, track (source, tag, position, paused) and volume are
//! kept in the store (`arsenal.voice`, [`persist`]) on every change and every
//! [`persist::TICK`] while playing; once the shards are READY after a start, the host rejoins
//! and resumes each track where it was, and tells its owner (`TrackStarted`). Stopping the host
//! is a restart, not a leave: the records stay.

mod error;
mod events;
mod gateway;
mod guild;
pub mod persist;
mod playback;
mod settings;
mod sources;

pub use error::{VoiceError, VoiceErrorKind};
pub use events::deliver_events;
pub use settings::{VoiceSettings, DEFAULT_YT_DLP};
pub use sources::INSTALL_HINT;

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex, MutexGuard, RwLock,
    },
    time::Duration,
};

use arsenal_plugin_api::protocol::{VoiceEvent, VoiceEventKind, VoiceRequest, VoiceStatus};
use arsenal_store::Store;
use tokio::sync::{mpsc, watch};
use twilight_cache_inmemory::DefaultInMemoryCache;
use twilight_gateway::MessageSender;
use twilight_model::id::{
    marker::{GuildMarker, UserMarker},
    Id,
};

use crate::plugins::host_api::CallScope;
use guild::GuildVoice;
use sources::Sources;

/// How long a join may take in all: Discord answering op 4 with the bot's voice state and the
/// voice server, then the voice server accepting the driver. The module's call waits that long,
/// so it stays under the manager's stall threshold (5 s by default); Discord usually takes well
/// under a second.
pub const JOIN_TIMEOUT: Duration = Duration::from_millis(4_500);
/// How long a reconnection to a moved voice server may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The shards' senders, filled by each shard loop once its session is ready (op 4 goes through
/// the shard owning the server).
pub type ShardSenders = Arc<RwLock<HashMap<u32, MessageSender>>>;

/// What the voice service needs from the Discord layer.
pub struct VoiceLink {
    /// Each running shard's sender, by shard number.
    pub senders: ShardSenders,
    /// The bot's shard count (a server's shard is `(guild_id >> 22) % total_shards`).
    pub total_shards: u32,
    /// The shards this process runs (the others' servers are other processes' to resume).
    pub shard_range: std::ops::Range<u32>,
    /// The bot's own user (its voice states are the connection's).
    pub bot_user_id: Id<UserMarker>,
    /// The guild cache (to check a channel before joining it).
    pub cache: Arc<DefaultInMemoryCache>,
}

/// Every voice connection of this process. Cheap to clone.
#[derive(Clone)]
pub struct VoiceService {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    guilds: Mutex<HashMap<Id<GuildMarker>, GuildVoice>>,
    /// Bumped whenever the gateway brought voice credentials (joins wait on it).
    updates: watch::Sender<u64>,
    link: VoiceLink,
    sources: Sources,
    events: mpsc::UnboundedSender<(Arc<str>, VoiceEvent)>,
    persist: persist::Persister,
    /// Every driver's config, sharing one mixer scheduler started on the host's runtime (not
    /// songbird's process-wide default, which lives on whichever runtime used it first).
    config: songbird::Config,
    /// Set when the host stops: track ends are a restart then, not news for the modules.
    stopping: AtomicBool,
}

/// Events waiting for delivery to their module (see [`deliver_events`]).
pub type VoiceEvents = mpsc::UnboundedReceiver<(Arc<str>, VoiceEvent)>;

impl VoiceService {
    /// A service with no connection yet; its events come out of the returned receiver, for
    /// [`deliver_events`]. Call on the host's runtime (its mixer scheduler starts there).
    #[must_use]
    pub fn new(
        link: VoiceLink,
        store: Store,
        music_folder: PathBuf,
        yt_dlp: &str,
    ) -> (Self, VoiceEvents) {
        let (events, receiver) = mpsc::unbounded_channel();
        let http = http_client();
        let inner = Arc::new(Inner {
            guilds: Mutex::new(HashMap::new()),
            updates: watch::channel(0).0,
            link,
            sources: Sources {
                music_folder,
                // songbird's YoutubeDl borrows its program's name for 'static; one per host.
                yt_dlp: Box::leak(yt_dlp.to_owned().into_boxed_str()),
                http,
            },
            events,
            persist: persist::Persister::start(store),
            config: songbird::Config::default().scheduler(songbird::driver::Scheduler::new(
                songbird::driver::SchedulerConfig::default(),
            )),
            stopping: AtomicBool::new(false),
        });
        (Self { inner }, receiver)
    }

    /// Handles `plugin`'s request made in `scope` → the answer's JSON.
    ///
    /// # Errors
    ///
    /// The request is out of the call's scope, the connection is another module's, or the
    /// action failed; the error says which, readably.
    pub async fn handle(
        &self,
        plugin: &str,
        scope: CallScope,
        request: VoiceRequest,
    ) -> Result<String, VoiceError> {
        let guild = request.guild_id();
        match scope {
            CallScope::Guild(home) if home != guild => {
                return Err(VoiceError::new(
                    VoiceErrorKind::Forbidden,
                    format!("while answering a member of server {home}, a module may not drive voice in another server ({guild})"),
                ))
            }
            CallScope::DirectMessage => {
                return Err(VoiceError::new(
                    VoiceErrorKind::Forbidden,
                    "a command used in a direct message may not drive voice in a server",
                ))
            }
            _ => {}
        }
        if self.inner.stopping.load(Ordering::Acquire) {
            return Err(VoiceError::new(
                VoiceErrorKind::Unavailable,
                "the bot is restarting; try again in a moment",
            ));
        }
        if !matches!(request, VoiceRequest::Status { .. }) {
            self.inner.check_owner(plugin, guild)?;
        }
        match request {
            VoiceRequest::Join { channel_id, .. } => {
                json(&self.inner.join(plugin, guild, channel_id, false).await?)
            }
            VoiceRequest::Leave { .. } => {
                self.inner.leave(guild);
                json(&())
            }
            VoiceRequest::Play {
                source,
                tag,
                start_ms,
                ..
            } => json(&self.inner.play(guild, source, tag, start_ms).await?),
            VoiceRequest::Pause { .. } => json(&self.inner.set_paused(guild, true)?),
            VoiceRequest::Resume { .. } => json(&self.inner.set_paused(guild, false)?),
            VoiceRequest::Stop { .. } => json(&self.inner.stop(guild)?),
            VoiceRequest::Seek { position_ms, .. } => {
                json(&self.inner.seek(guild, position_ms).await?)
            }
            VoiceRequest::Volume { percent, .. } => json(&self.inner.volume(guild, percent)?),
            VoiceRequest::Status { .. } => json(&self.status(guild)),
            other => Err(VoiceError::new(
                VoiceErrorKind::Invalid,
                format!("this host does not know the voice request {other:?} (is the module newer than the host?)"),
            )),
        }
    }

    /// `guild`'s connection as the host sees it.
    #[must_use]
    pub fn status(&self, guild: Id<GuildMarker>) -> VoiceStatus {
        self.inner.guilds().get(&guild).map_or_else(
            || VoiceStatus {
                channel_id: None,
                connected: false,
                track: None,
                volume_percent: 100,
            },
            GuildVoice::status,
        )
    }

    /// The module owning `guild`'s connection, if any.
    #[must_use]
    pub fn owner(&self, guild: Id<GuildMarker>) -> Option<String> {
        self.inner.guilds().get(&guild).map(|g| g.owner.to_string())
    }

    /// Keeps the positions saved while tracks play, and rejoins the saved connections once
    /// `ready` (every shard's READY) is true. Runs until the host stops.
    pub async fn run(self, ready: watch::Receiver<bool>) {
        // One task, so aborting it (the host stopping) ends both.
        tokio::join!(
            persist::resume(Arc::clone(&self.inner), ready),
            persist::tick(&self.inner)
        );
    }

    /// Stops for a restart: saves every position one last time and drops the drivers, without
    /// telling the modules (their saved connections resume at the next start).
    pub async fn shutdown(&self) {
        self.inner.stopping.store(true, Ordering::Release);
        persist::save_positions(&self.inner).await;
        let guilds: Vec<GuildVoice> = self.inner.guilds().drain().map(|(_, g)| g).collect();
        for guild in &guilds {
            if let Some(track) = &guild.track {
                track.ending.silence();
            }
        }
        drop(guilds);
        self.inner.persist.flush().await;
    }
}

impl Inner {
    fn guilds(&self) -> MutexGuard<'_, HashMap<Id<GuildMarker>, GuildVoice>> {
        self.guilds
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Refuses `plugin` when another module owns `guild`'s connection.
    fn check_owner(&self, plugin: &str, guild: Id<GuildMarker>) -> Result<(), VoiceError> {
        match self.guilds().get(&guild) {
            Some(g) if &*g.owner != plugin => Err(VoiceError::new(
                VoiceErrorKind::Forbidden,
                format!(
                    "module `{}` owns the voice connection in this server (it joined last): only it may drive it; it must leave before another module can join",
                    g.owner
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Queues `kind` for `guild`'s owner (nothing when no module owns it).
    fn emit(&self, guild: Id<GuildMarker>, kind: VoiceEventKind) {
        let owner = self.guilds().get(&guild).map(|g| Arc::clone(&g.owner));
        if let Some(owner) = owner {
            self.emit_to(owner, guild, kind);
        }
    }

    fn emit_to(&self, owner: Arc<str>, guild_id: Id<GuildMarker>, kind: VoiceEventKind) {
        let _ = self.events.send((owner, VoiceEvent { guild_id, kind }));
    }
}

/// The one HTTP client for attachments and yt-dlp's streams. It trusts the system's roots and,
/// when set, the certificates in `SSL_CERT_FILE` (the sandbox's and tests' simulator CA).
fn http_client() -> reqwest::Client {
    let mut builder = reqwest::Client::builder().user_agent("arsenal-bot (voice)");
    if let Some(path) = std::env::var_os("SSL_CERT_FILE") {
        match std::fs::read(&path) {
            Ok(pem) => match reqwest::Certificate::from_pem_bundle(&pem) {
                Ok(certs) => {
                    for cert in certs {
                        builder = builder.add_root_certificate(cert);
                    }
                }
                Err(e) => {
                    tracing::warn!(path = ?path, "SSL_CERT_FILE is not PEM certificates ({e}); attachments use the system's roots only")
                }
            },
            Err(e) => {
                tracing::warn!(path = ?path, "SSL_CERT_FILE cannot be read ({e}); attachments use the system's roots only")
            }
        }
    }
    builder.build().unwrap_or_else(|e| {
        tracing::warn!("the HTTP client for attachments could not be built with its settings ({e}); using the defaults");
        reqwest::Client::new()
    })
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, VoiceError> {
    serde_json::to_string(value)
        .map_err(|e| VoiceError::new(VoiceErrorKind::Invalid, e.to_string()))
}
