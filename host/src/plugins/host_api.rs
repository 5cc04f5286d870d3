//! The host object a plugin instance calls: its store namespace, Discord, timers, other
//! modules (`module.ask`, routed by `manager::ask`), logging.
//!
//! **Invariant:** the namespace is fixed here from the plugin's name, never taken from the
//! request, so a plugin can only ever touch its own data.

use std::sync::{Arc, OnceLock};

use abi_stable::{
    sabi_trait::TD_Opaque,
    std_types::{RStr, RString},
};
use arsenal_plugin_api::{
    abi::{AbiError, AbiResult, ErrorCode, HostApi, HostApi_TO, HostBox},
    protocol::{
        op, CancelTimer, CommitOutcome, CommitRequest, DiscordRequest, KeyRequest, ListEntry,
        ListRequest, ModuleAnswer, ModuleAsk, ModuleFailure, ScheduleTimer, SetRequest,
        VersionedValue, VoiceRequest,
    },
};
use arsenal_store::{Store, Transaction};
use twilight_model::id::{marker::GuildMarker, Id};

use crate::timers::TimerService;
use serde::de::DeserializeOwned;

/// On whose behalf a plugin call runs, which bounds what its Discord actions may reach.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CallScope {
    /// The host's own calls (gateway events, timers, unload): the module acts as itself.
    #[default]
    Host,
    /// A member's command, button, form or autocomplete in a server: its actions stay in that
    /// server.
    Guild(Id<GuildMarker>),
    /// A user's command or button in a direct message: its actions reach no server at all.
    DirectMessage,
}

impl CallScope {
    /// The scope of a call made for a user where `guild` is the server it was used in (`None`:
    /// a direct message).
    #[must_use]
    pub fn for_member(guild: Option<Id<GuildMarker>>) -> Self {
        guild.map_or(Self::DirectMessage, Self::Guild)
    }
}

thread_local! {
    /// The scope of the plugin call running on this worker thread.
    static CALL_SCOPE: std::cell::Cell<CallScope> = const { std::cell::Cell::new(CallScope::Host) };
}

/// Runs `f` (one plugin call) in `scope`, as [`current_call_scope`] reads it on this thread.
pub(crate) fn with_call_scope<R>(scope: CallScope, f: impl FnOnce() -> R) -> R {
    let previous = CALL_SCOPE.with(|g| g.replace(scope));
    let result = f();
    CALL_SCOPE.with(|g| g.set(previous));
    result
}

/// The scope of the plugin call running on this thread.
#[must_use]
pub fn current_call_scope() -> CallScope {
    CALL_SCOPE.with(std::cell::Cell::get)
}

/// The store namespace holding plugin `name`'s data.
#[must_use]
pub fn plugin_namespace(name: &str) -> String {
    format!("plugin.{name}")
}

/// What every plugin host object shares. Discord and timers are attached once they start.
#[derive(Clone)]
pub struct HostServices {
    /// The durable store.
    pub store: Store,
    /// The REST client and the runtime to run it on, once connected.
    pub discord: Arc<OnceLock<DiscordBridge>>,
    /// The durable timers, once started.
    pub timers: Arc<OnceLock<TimerService>>,
    /// Requests between modules, once a manager runs them.
    pub modules: Arc<OnceLock<super::manager::ModuleRouter>>,
    /// This process's fleet membership (PostgreSQL store only), once joined.
    pub fleet: Arc<OnceLock<crate::fleet::Fleet>>,
    /// Re-executing the process in place, when the process runs `arsenal run` (not the
    /// sandbox, nor a test owning the process).
    pub reexec: Arc<OnceLock<crate::reexec::ReexecTrigger>>,
    /// The voice connections, once connected to Discord.
    pub voice: Arc<OnceLock<crate::voice::VoiceService>>,
}

impl HostServices {
    /// Services with only the store attached.
    #[must_use]
    pub fn new(store: Store) -> Self {
        Self {
            store,
            discord: Arc::new(OnceLock::new()),
            timers: Arc::new(OnceLock::new()),
            modules: Arc::new(OnceLock::new()),
            fleet: Arc::new(OnceLock::new()),
            reexec: Arc::new(OnceLock::new()),
            voice: Arc::new(OnceLock::new()),
        }
    }
}

/// How plugin workers (plain threads) reach Discord: the host's client on the host's runtime.
#[derive(Clone)]
pub struct DiscordBridge {
    /// The REST client.
    pub http: Arc<twilight_http::Client>,
    /// The runtime the requests run on.
    pub runtime: tokio::runtime::Handle,
    /// The host's guild cache: which server each channel and role belongs to, to keep a
    /// module answering a member inside that member's server.
    pub cache: Arc<twilight_cache_inmemory::DefaultInMemoryCache>,
}

/// The host handle a module's constructor receives, scoped to `plugin`'s own namespace: what a
/// worker passes to `instantiate`, for tools that instantiate a library outside a worker (the
/// reload benchmark's raw floor).
#[must_use]
pub fn host_handle(plugin: &str, services: HostServices) -> HostBox {
    HostApi_TO::from_value(PluginHost::new(Arc::from(plugin), services), TD_Opaque)
}

/// The [`HostApi`] implementation for one plugin.
pub(crate) struct PluginHost {
    plugin: Arc<str>,
    namespace: String,
    services: HostServices,
}

impl PluginHost {
    pub(crate) fn new(plugin: Arc<str>, services: HostServices) -> Self {
        Self {
            namespace: plugin_namespace(&plugin),
            plugin,
            services,
        }
    }

    fn handle(&self, operation: &str, payload: &str) -> Result<String, AbiError> {
        let store = &self.services.store;
        let ns = self.namespace.as_str();
        match operation {
            op::STORE_GET => {
                let request: KeyRequest = parse(payload)?;
                let found = store.get(ns, &request.key).map_err(store_error)?;
                to_json(&found.map(|v| VersionedValue {
                    value: v.value,
                    version: v.version,
                }))
            }
            op::STORE_SET => {
                let request: SetRequest = parse(payload)?;
                to_json(
                    &store
                        .set(ns, &request.key, request.value)
                        .map_err(store_error)?,
                )
            }
            op::STORE_DELETE => {
                let request: KeyRequest = parse(payload)?;
                to_json(&store.delete(ns, &request.key).map_err(store_error)?)
            }
            op::STORE_LIST => {
                let request: ListRequest = parse(payload)?;
                let entries: Vec<ListEntry> = store
                    .list(ns, &request.prefix)
                    .map_err(store_error)?
                    .into_iter()
                    .map(|(key, v)| ListEntry {
                        key,
                        value: v.value,
                        version: v.version,
                    })
                    .collect();
                to_json(&entries)
            }
            op::STORE_COMMIT => {
                let request: CommitRequest = parse(payload)?;
                let txn = Transaction {
                    checks: request
                        .checks
                        .into_iter()
                        .map(|c| (c.key, c.version))
                        .collect(),
                    writes: request
                        .writes
                        .into_iter()
                        .map(|w| (w.key, w.value))
                        .collect(),
                };
                let outcome = match store.commit(ns, txn).map_err(store_error)? {
                    arsenal_store::CommitOutcome::Committed { .. } => CommitOutcome::Committed,
                    arsenal_store::CommitOutcome::Conflict { key, .. } => {
                        CommitOutcome::Conflict { key }
                    }
                };
                to_json(&outcome)
            }
            op::DISCORD => {
                let request: DiscordRequest = parse(payload)?;
                let Some(bridge) = self.services.discord.get() else {
                    return Err(AbiError::new(
                        ErrorCode::Unsupported,
                        "not connected to Discord",
                    ));
                };
                let measure = crate::metrics::rest::Measure::start(payload);
                let result = bridge.runtime.block_on(async {
                    let allowed = match current_call_scope() {
                        CallScope::Host => None,
                        CallScope::Guild(guild) => Some(Some(guild)),
                        CallScope::DirectMessage => Some(None),
                    };
                    if let Some(guild) = allowed {
                        crate::discord::guild_scope::check_request(
                            &bridge.cache,
                            &bridge.http,
                            guild,
                            &request,
                        )
                        .await?;
                    }
                    // voice hub: read from the gateway cache, not REST.
                    if let DiscordRequest::GetVoiceStates { guild_id } = request {
                        return crate::discord::actions::voice_states(&bridge.cache, guild_id);
                    }
                    crate::discord::actions::execute(&bridge.http, &self.plugin, request).await
                });
                measure.finish(&result);
                result
            }
            op::VOICE => {
                let request: VoiceRequest = parse(payload)?;
                let (Some(voice), Some(bridge)) =
                    (self.services.voice.get(), self.services.discord.get())
                else {
                    return Err(AbiError::new(
                        ErrorCode::Unsupported,
                        "voice needs the connection to Discord, and this host has none",
                    ));
                };
                let scope = current_call_scope();
                bridge
                    .runtime
                    .block_on(voice.handle(&self.plugin, scope, request))
                    .map_err(AbiError::from)
            }
            op::TIMER_SCHEDULE => {
                let request: ScheduleTimer = parse(payload)?;
                let timers = self.timers()?;
                timers
                    .schedule(
                        &self.plugin,
                        &request.key,
                        request.at_unix_ms,
                        request.payload,
                    )
                    .map_err(|e| AbiError::new(ErrorCode::Failed, e.to_string()))?;
                Ok("null".to_owned())
            }
            op::TIMER_CANCEL => {
                let request: CancelTimer = parse(payload)?;
                let cancelled = self
                    .timers()?
                    .cancel(&self.plugin, &request.key)
                    .map_err(|e| AbiError::new(ErrorCode::Failed, e.to_string()))?;
                to_json(&cancelled)
            }
            op::CLOCK_NOW => to_json(&crate::timers::now_unix_ms()),
            op::GUILD_LOCALE => {
                let guild: Id<GuildMarker> = parse(payload)?;
                let locale = self.services.discord.get().and_then(|bridge| {
                    bridge
                        .cache
                        .guild(guild)
                        .map(|g| g.preferred_locale().to_owned())
                });
                to_json(&locale)
            }
            op::MODULE_ASK => {
                let ask: ModuleAsk = parse(payload)?;
                let answer = match self.services.modules.get() {
                    Some(router) => router.ask(&self.plugin, ask, current_call_scope()),
                    None => ModuleAnswer::Failed {
                        failure: ModuleFailure::NotLoaded,
                        message: format!(
                            "module `{}` is not loaded: this host runs no other modules",
                            ask.module
                        ),
                    },
                };
                to_json(&answer)
            }
            other => Err(AbiError::new(
                ErrorCode::Unsupported,
                format!("unknown host operation {other:?} (is the plugin newer than the host?)"),
            )),
        }
    }
}

impl PluginHost {
    fn timers(&self) -> Result<&TimerService, AbiError> {
        self.services.timers.get().ok_or_else(|| {
            AbiError::new(ErrorCode::Unsupported, "the timer service is not running")
        })
    }
}

impl HostApi for PluginHost {
    fn request(&self, operation: RStr<'_>, payload: RStr<'_>) -> AbiResult {
        self.handle(operation.as_str(), payload.as_str())
            .map(RString::from)
            .into()
    }

    fn log(&self, level: u8, target: RStr<'_>, message: RStr<'_>) {
        let (plugin, target, message) = (&*self.plugin, target.as_str(), message.as_str());
        match level {
            1 => tracing::error!(plugin, target, "{message}"),
            2 => tracing::warn!(plugin, target, "{message}"),
            3 => tracing::info!(plugin, target, "{message}"),
            4 => tracing::debug!(plugin, target, "{message}"),
            _ => tracing::trace!(plugin, target, "{message}"),
        }
    }
}

fn parse<T: DeserializeOwned>(payload: &str) -> Result<T, AbiError> {
    serde_json::from_str(payload)
        .map_err(|e| AbiError::new(ErrorCode::Invalid, format!("malformed request: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AbiError> {
    serde_json::to_string(value).map_err(|e| AbiError::new(ErrorCode::Failed, e.to_string()))
}

fn store_error(error: arsenal_store::StoreError) -> AbiError {
    AbiError::new(ErrorCode::Failed, format!("store: {error}"))
}
