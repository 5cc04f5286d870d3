//! Runs a plugin in-process against an in-memory host, so a plugin's own tests need neither
//! Discord nor `dlopen`. Calls go through the same ABI objects and panic guard as a loaded library.
//!
//! ```
//! use arsenal_plugin_api::{testing::TestHarness, Context, Manifest, Plugin, Response, Result};
//! use arsenal_plugin_api::protocol::CommandInvocation;
//!
//! struct Hello;
//! impl Plugin for Hello {
//!     fn manifest() -> Manifest { Manifest::new("hello", "1.0.0") }
//!     fn new(_: &Context) -> Result<Self> { Ok(Hello) }
//!     fn on_command(&mut self, ctx: &Context, _: &CommandInvocation) -> Result<Response> {
//!         let count: u64 = ctx.store().get("count")?.unwrap_or(0) + 1;
//!         ctx.store().set("count", &count)?;
//!         Ok(Response::text(format!("hello #{count}")))
//!     }
//! }
//!
//! let mut harness = TestHarness::<Hello>::start().unwrap();
//! harness.command(harness.slash("hello")).unwrap();
//! harness.reload().unwrap(); // a new instance, same data
//! let answer = harness.command(harness.slash("hello")).unwrap();
//! assert_eq!(answer, Response::text("hello #2"));
//! ```
//!
//! Beyond calls, the harness scripts the world a module meets: the host's clock
//! ([`TestHarness::set_now`], [`TestHarness::advance`]), Discord's answers
//! ([`TestHarness::answer_next`], [`TestHarness::on_discord`]), lost store races
//! ([`TestHarness::conflict_next_commits`]) and the other modules it asks
//! ([`TestHarness::answer_module`]); [`TestHarness::request`] asks it as another module would.

use std::{
    collections::{BTreeMap, VecDeque},
    marker::PhantomData,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
};

use abi_stable::{
    sabi_trait::TD_Opaque,
    std_types::{RResult, RStr, RString},
};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use twilight_model::{
    guild::Permissions,
    id::{
        marker::{ChannelMarker, GuildMarker, MessageMarker, UserMarker},
        Id,
    },
};

use crate::{
    abi::{AbiError, AbiResult, ErrorCode, HostApi, HostApi_TO, PluginBox},
    protocol::{
        kind, op, Arg, CancelTimer, CommandInvocation, CommandSource, CommitOutcome, CommitRequest,
        ComponentInvocation, DiscordError, DiscordRequest, Invoker, KeyRequest, ListEntry,
        ListRequest, ModalInvocation, Response, ScheduleTimer, SetRequest, TimerFired,
        VersionedValue,
    },
    sdk, Plugin,
};

type DiscordHandler = Box<dyn FnMut(&DiscordRequest) -> Result<Value, DiscordError> + Send>;

/// Discord's answer to one action: its JSON, or its refusal.
pub type DiscordAnswer = Result<Value, DiscordError>;

/// What the in-memory host recorded and holds.
#[derive(Default)]
struct State {
    store: BTreeMap<String, (Value, u64)>,
    next_version: u64,
    timers: BTreeMap<String, ScheduleTimer>,
    discord: Vec<DiscordRequest>,
    logs: Vec<(u8, String)>,
    on_discord: Option<DiscordHandler>,
    /// Answers for the next actions named so (`"ban_member"`), used once each, before `on_discord`.
    scripted: VecDeque<(String, DiscordAnswer)>,
    /// How many of the next conditional commits lose their race.
    conflicts: u32,
    now_ms: u64,
    /// What `guild.locale` answers (`TestHarness::set_guild_locale`).
    guild_locale: Option<String>,
    /// The plugin's own name (a request to it is a cycle).
    name: String,
    /// Modules scripted with `answer_module`.
    modules: BTreeMap<String, modules::ModuleHandler>,
    /// Requests the plugin made to other modules.
    module_asks: Vec<crate::protocol::ModuleAsk>,
    /// Voice connections and tracks.
    voice: voice::VoiceHost,
}

impl State {
    fn new(now_ms: u64, name: String) -> Self {
        Self {
            now_ms,
            name,
            ..Self::default()
        }
    }

    /// The scripted answer for `request`, if one waits for its action.
    fn take_scripted(&mut self, request: &DiscordRequest) -> Option<DiscordAnswer> {
        let action = serde_json::to_value(request).ok()?;
        let action = action.get("action")?.as_str()?;
        let at = self.scripted.iter().position(|(name, _)| name == action)?;
        self.scripted.remove(at).map(|(_, answer)| answer)
    }
}

#[derive(Clone, Default)]
struct TestHost {
    state: Arc<Mutex<State>>,
}

impl TestHost {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn handle(&self, operation: &str, payload: &str) -> Result<String, AbiError> {
        let invalid = |e: serde_json::Error| AbiError::new(ErrorCode::Invalid, e.to_string());
        let mut state = self.lock();
        let answer = match operation {
            op::STORE_GET => {
                let request: KeyRequest = serde_json::from_str(payload).map_err(invalid)?;
                let found = state
                    .store
                    .get(&request.key)
                    .map(|(value, version)| VersionedValue {
                        value: value.clone(),
                        version: *version,
                    });
                serde_json::to_string(&found)
            }
            op::STORE_SET => {
                let request: SetRequest = serde_json::from_str(payload).map_err(invalid)?;
                state.next_version += 1;
                let version = state.next_version;
                state.store.insert(request.key, (request.value, version));
                serde_json::to_string(&version)
            }
            op::STORE_DELETE => {
                let request: KeyRequest = serde_json::from_str(payload).map_err(invalid)?;
                serde_json::to_string(&state.store.remove(&request.key).is_some())
            }
            op::STORE_LIST => {
                let request: ListRequest = serde_json::from_str(payload).map_err(invalid)?;
                let entries: Vec<ListEntry> = state
                    .store
                    .range(request.prefix.clone()..)
                    .take_while(|(key, _)| key.starts_with(&request.prefix))
                    .map(|(key, (value, version))| ListEntry {
                        key: key.clone(),
                        value: value.clone(),
                        version: *version,
                    })
                    .collect();
                serde_json::to_string(&entries)
            }
            op::STORE_COMMIT => {
                let request: CommitRequest = serde_json::from_str(payload).map_err(invalid)?;
                if state.conflicts > 0 && !request.checks.is_empty() {
                    // Another writer won the race: as the store answers, nothing is written.
                    state.conflicts -= 1;
                    let outcome = CommitOutcome::Conflict {
                        key: request.checks[0].key.clone(),
                    };
                    return serde_json::to_string(&outcome).map_err(invalid);
                }
                let conflict = request.checks.iter().find(|check| {
                    state.store.get(&check.key).map(|(_, version)| *version) != check.version
                });
                if let Some(check) = conflict {
                    let outcome = CommitOutcome::Conflict {
                        key: check.key.clone(),
                    };
                    return serde_json::to_string(&outcome).map_err(invalid);
                }
                state.next_version += 1;
                let version = state.next_version;
                for write in request.writes {
                    match write.value {
                        Some(value) => state.store.insert(write.key, (value, version)),
                        None => state.store.remove(&write.key),
                    };
                }
                serde_json::to_string(&CommitOutcome::Committed)
            }
            op::TIMER_SCHEDULE => {
                let request: ScheduleTimer = serde_json::from_str(payload).map_err(invalid)?;
                state.timers.insert(request.key.clone(), request);
                Ok("null".to_owned())
            }
            op::TIMER_CANCEL => {
                let request: CancelTimer = serde_json::from_str(payload).map_err(invalid)?;
                serde_json::to_string(&state.timers.remove(&request.key).is_some())
            }
            op::DISCORD => {
                let request: DiscordRequest = serde_json::from_str(payload).map_err(invalid)?;
                state.discord.push(request.clone());
                let answer = match (state.take_scripted(&request), state.on_discord.as_mut()) {
                    (Some(answer), _) => answer,
                    (None, Some(handler)) => handler(&request),
                    (None, None) => Ok(Value::Null),
                };
                // Exactly as the host answers: Discord's refusal as JSON in the error's text.
                return answer
                    .map(|value| value.to_string())
                    .map_err(|error| AbiError::new(ErrorCode::Discord, error.to_wire()));
            }
            op::CLOCK_NOW => serde_json::to_string(&state.now_ms),
            op::GUILD_LOCALE => serde_json::to_string(&state.guild_locale),
            op::MODULE_ASK => {
                let ask: crate::protocol::ModuleAsk =
                    serde_json::from_str(payload).map_err(invalid)?;
                state.module_asks.push(ask.clone());
                let State {
                    name,
                    modules: answering,
                    ..
                } = &mut *state;
                serde_json::to_string(&modules::answer(name, answering, &ask))
            }
            op::VOICE => {
                let request = serde_json::from_str(payload).map_err(invalid)?;
                return state.voice.handle(request);
            }
            other => {
                return Err(AbiError::new(
                    ErrorCode::Unsupported,
                    format!("the test host has no operation {other:?}"),
                ))
            }
        };
        answer.map_err(invalid)
    }
}

impl HostApi for TestHost {
    fn request(&self, operation: RStr<'_>, payload: RStr<'_>) -> AbiResult {
        self.handle(operation.as_str(), payload.as_str())
            .map(RString::from)
            .into()
    }

    fn log(&self, level: u8, _target: RStr<'_>, message: RStr<'_>) {
        self.lock().logs.push((level, message.to_string()));
    }
}

/// A plugin running against an in-memory host.
pub struct TestHarness<P: Plugin> {
    host: TestHost,
    instance: Option<PluginBox>,
    _plugin: PhantomData<fn() -> P>,
}

/// The guild every harness invocation happens in.
pub const GUILD_ID: Id<GuildMarker> = Id::new(1);
/// The channel every harness invocation happens in.
pub const CHANNEL_ID: Id<ChannelMarker> = Id::new(2);
/// The user the harness acts as by default (an administrator).
pub const ADMIN_ID: Id<UserMarker> = Id::new(10);

impl<P: Plugin> TestHarness<P> {
    /// Instantiates the plugin with an empty store.
    ///
    /// # Errors
    ///
    /// What the plugin's `new` returned, or its panic.
    pub fn start() -> Result<Self, AbiError> {
        let mut harness = Self {
            host: TestHost {
                state: Arc::new(Mutex::new(State::new(
                    sdk::system_now(),
                    sdk::manifest::<P>().name,
                ))),
            },
            instance: None,
            _plugin: PhantomData,
        };
        harness.instantiate()?;
        Ok(harness)
    }

    fn instantiate(&mut self) -> Result<(), AbiError> {
        let host = HostApi_TO::from_value(self.host.clone(), TD_Opaque);
        let instance: Result<PluginBox, AbiError> = sdk::instantiate::<P>(host).into();
        self.instance = Some(instance?);
        Ok(())
    }

    /// Drops the instance (after `on_unload`) and builds a new one on the same store, as a hot
    /// reload does.
    ///
    /// # Errors
    ///
    /// What the new instance's `new` returned.
    pub fn reload(&mut self) -> Result<(), AbiError> {
        if let Some(mut old) = self.instance.take() {
            let _ = old.call(RStr::from_str(kind::UNLOAD), RStr::from_str("null"));
        }
        self.instantiate()
    }

    /// Sends a raw call, exactly as the host's worker would.
    ///
    /// # Errors
    ///
    /// The plugin's error or caught panic.
    pub fn call(&mut self, call: &str, payload: &str) -> Result<String, AbiError> {
        let Some(instance) = self.instance.as_mut() else {
            return Err(AbiError::new(ErrorCode::Failed, "no instance"));
        };
        let answer: RResult<RString, AbiError> =
            instance.call(RStr::from_str(call), RStr::from_str(payload));
        answer.into_result().map(RString::into_string)
    }

    fn typed<T: Serialize, R: DeserializeOwned>(
        &mut self,
        call: &str,
        payload: &T,
    ) -> Result<R, AbiError> {
        let payload = serde_json::to_string(payload)
            .map_err(|e| AbiError::new(ErrorCode::Invalid, e.to_string()))?;
        let answer = self.call(call, &payload)?;
        serde_json::from_str(&answer).map_err(|e| AbiError::new(ErrorCode::Invalid, e.to_string()))
    }

    /// Runs a command.
    ///
    /// # Errors
    ///
    /// The plugin's error or caught panic.
    pub fn command(&mut self, invocation: CommandInvocation) -> Result<Response, AbiError> {
        self.typed(kind::COMMAND, &invocation)
    }

    /// Clicks a component.
    ///
    /// # Errors
    ///
    /// The plugin's error or caught panic.
    pub fn component(&mut self, invocation: ComponentInvocation) -> Result<Response, AbiError> {
        self.typed(kind::COMPONENT, &invocation)
    }

    /// Submits a modal.
    ///
    /// # Errors
    ///
    /// The plugin's error or caught panic.
    pub fn modal(&mut self, invocation: ModalInvocation) -> Result<Response, AbiError> {
        self.typed(kind::MODAL, &invocation)
    }

    /// Delivers a gateway event: its name and Discord's raw `d` payload.
    ///
    /// # Errors
    ///
    /// The plugin's error or caught panic.
    pub fn event(&mut self, name: &str, data: &Value) -> Result<(), AbiError> {
        self.call(&format!("{}{name}", kind::EVENT_PREFIX), &data.to_string())
            .map(drop)
    }

    /// Fires the pending timer `key` now.
    ///
    /// # Errors
    ///
    /// No such timer, or the plugin's error.
    pub fn fire_timer(&mut self, key: &str) -> Result<(), AbiError> {
        let timer = self.host.lock().timers.remove(key);
        let Some(timer) = timer else {
            return Err(AbiError::new(
                ErrorCode::Invalid,
                format!("no timer {key:?} is pending"),
            ));
        };
        let fired = TimerFired {
            key: timer.key,
            at_unix_ms: timer.at_unix_ms,
            payload: timer.payload,
        };
        self.typed::<_, Value>(kind::TIMER, &fired).map(drop)
    }

    /// A slash command invocation by the default administrator, with no options.
    #[must_use]
    pub fn slash(&self, name: &str) -> CommandInvocation {
        CommandInvocation {
            name: name.to_owned(),
            subcommand: Vec::new(),
            args: Vec::new(),
            invoker: Self::invoker(ADMIN_ID, Permissions::ADMINISTRATOR),
            source: CommandSource::Slash,
            users: Vec::new(),
            attachments: Vec::new(),
        }
    }

    /// A slash command with a subcommand path and options, by `user` with `permissions`.
    #[must_use]
    pub fn slash_as(
        &self,
        user: Id<UserMarker>,
        permissions: Permissions,
        name: &str,
        subcommand: &[&str],
        args: Vec<Arg>,
    ) -> CommandInvocation {
        CommandInvocation {
            name: name.to_owned(),
            subcommand: subcommand.iter().map(|s| (*s).to_owned()).collect(),
            args,
            invoker: Self::invoker(user, permissions),
            source: CommandSource::Slash,
            users: Vec::new(),
            attachments: Vec::new(),
        }
    }

    /// An invoker in the harness guild and channel.
    #[must_use]
    pub fn invoker(user: Id<UserMarker>, permissions: Permissions) -> Invoker {
        Invoker {
            user_id: user,
            user_name: format!("user{user}"),
            guild_id: Some(GUILD_ID),
            channel_id: CHANNEL_ID,
            roles: Vec::new(),
            permissions,
            is_owner: false,
            locale: None,
            guild_locale: None,
        }
    }

    /// A component click on `message` by `user`.
    #[must_use]
    pub fn click(
        &self,
        user: Id<UserMarker>,
        message: Id<MessageMarker>,
        custom_id: &str,
    ) -> ComponentInvocation {
        ComponentInvocation {
            custom_id: custom_id.to_owned(),
            values: Vec::new(),
            message_id: message,
            invoker: Self::invoker(user, Permissions::empty()),
        }
    }

    /// Reads a key of the plugin's store.
    #[must_use]
    pub fn stored(&self, key: &str) -> Option<Value> {
        self.host
            .lock()
            .store
            .get(key)
            .map(|(value, _)| value.clone())
    }

    /// The keys of the plugin's store that start with `prefix`, in order.
    #[must_use]
    pub fn stored_keys(&self, prefix: &str) -> Vec<String> {
        self.host
            .lock()
            .store
            .range(prefix.to_owned()..)
            .take_while(|(key, _)| key.starts_with(prefix))
            .map(|(key, _)| key.clone())
            .collect()
    }

    /// Writes a key of the plugin's store directly (test setup).
    pub fn set_stored(&self, key: &str, value: Value) {
        let mut state = self.host.lock();
        state.next_version += 1;
        let version = state.next_version;
        state.store.insert(key.to_owned(), (value, version));
    }

    /// Every Discord action the plugin requested, in order.
    #[must_use]
    pub fn discord_requests(&self) -> Vec<DiscordRequest> {
        self.host.lock().discord.clone()
    }

    /// Answers the plugin's Discord actions (default: `null` for every action). A refusal is a
    /// [`DiscordError`] (`DiscordError::new(404, Some(10007), "Unknown Member")`); plain text
    /// stands for an older host's refusal, without status or code.
    pub fn on_discord<E: Into<DiscordError>>(
        &self,
        mut handler: impl FnMut(&DiscordRequest) -> Result<Value, E> + Send + 'static,
    ) {
        self.host.lock().on_discord = Some(Box::new(move |request| {
            handler(request).map_err(Into::into)
        }));
    }

    /// Answers the next Discord action named `action` (the request's `action` tag: `"ban_member"`,
    /// `"get_member"`, …) with `answer`, once, ahead of [`on_discord`](Self::on_discord).
    /// Scripted answers for the same action are used in order.
    ///
    /// ```
    /// # use arsenal_plugin_api::{protocol::DiscordError, testing::TestHarness};
    /// # fn script<P: arsenal_plugin_api::Plugin>(harness: &TestHarness<P>) {
    /// harness.answer_next("ban_member", Err(DiscordError::new(403, Some(50013), "Missing Permissions")));
    /// # }
    /// ```
    pub fn answer_next(&self, action: &str, answer: DiscordAnswer) {
        self.host
            .lock()
            .scripted
            .push_back((action.to_owned(), answer));
    }

    /// Makes the next `count` store transactions that check a version lose their race, as when
    /// another call wrote the key in between (the SDK's [`Store::transaction`](sdk::Store::transaction)
    /// then retries).
    pub fn conflict_next_commits(&self, count: u32) {
        self.host.lock().conflicts = count;
    }

    /// The host's clock as the plugin reads it (`ctx.now()`), Unix milliseconds. It starts at
    /// the system time when the harness starts and moves only when a test moves it.
    #[must_use]
    pub fn now(&self) -> u64 {
        self.host.lock().now_ms
    }

    /// Sets the host's clock to `unix_ms`.
    pub fn set_now(&self, unix_ms: u64) {
        self.host.lock().now_ms = unix_ms;
    }

    /// Moves the host's clock forward by `by`.
    pub fn advance(&self, by: std::time::Duration) {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        let mut state = self.host.lock();
        state.now_ms = state.now_ms.saturating_add(by);
    }

    /// Fires, in time order, every pending timer due at the current clock; returns their keys.
    ///
    /// # Errors
    ///
    /// The first plugin error (later timers stay pending).
    pub fn fire_due_timers(&mut self) -> Result<Vec<String>, AbiError> {
        let now = self.now();
        let mut due: Vec<(u64, String)> = self
            .timers()
            .into_iter()
            .filter(|timer| timer.at_unix_ms <= now)
            .map(|timer| (timer.at_unix_ms, timer.key))
            .collect();
        due.sort();
        let mut fired = Vec::new();
        for (_, key) in due {
            self.fire_timer(&key)?;
            fired.push(key);
        }
        Ok(fired)
    }

    /// Pending timers by key.
    #[must_use]
    pub fn timers(&self) -> Vec<ScheduleTimer> {
        self.host.lock().timers.values().cloned().collect()
    }

    /// Log records the plugin emitted: (level 1–5, message).
    #[must_use]
    pub fn logs(&self) -> Vec<(u8, String)> {
        self.host.lock().logs.clone()
    }
}

mod i18n;
mod migrate;
mod modules;
mod voice;

pub use i18n::{assert_translated, localized_commands};

#[cfg(test)]
mod tests;
