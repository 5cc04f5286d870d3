//! The JSON schemas carried over the ABI: call kinds, invocations, responses and host operations.
//!
//! Every struct here evolves only by adding fields with `#[serde(default)]`, so a plugin built
//! against an older SDK keeps loading. Names are part of the protocol: renaming one is a break.
//! Errors carry their structured detail as JSON in the frozen error's text (see [`DiscordError`]).

mod attachment;
mod automod;
mod discord;
mod error;
mod invocation;
mod migration;
mod module;
mod response;
mod store;
mod timer;
mod voice;

pub use attachment::{decode_base64, encode_base64, ReplyFile};
pub use automod::{AutoModRule, AutoModTrigger};
pub use discord::{DiscordRequest, MessageRef, TextFile};
pub use error::{discord_code, DiscordError};
pub use invocation::{
    Arg, ArgValue, AutocompleteInvocation, CommandAttachment, CommandInvocation, CommandSource,
    ComponentInvocation, Invoker, ModalField, ModalInvocation, ResolvedUser,
};
pub use migration::{MigratedData, PendingMigration};
pub use module::{ModuleAnswer, ModuleAsk, ModuleFailure, ModuleRequest};
pub use response::{Choice, Modal, Reply, Response};
pub use store::{
    CommitOutcome, CommitRequest, KeyRequest, ListEntry, ListRequest, SetRequest, VersionCheck,
    VersionedValue, Write,
};
pub use timer::{CancelTimer, ScheduleTimer, TimerFired};
pub use voice::{
    AudioSource, EndReason, PlayingTrack, TrackInfo, VoiceConnection, VoiceEvent, VoiceEventKind,
    VoiceRequest, VoiceStatus,
};

/// Call kinds the host sends to [`PluginInstance::call`](crate::abi::PluginInstance::call).
pub mod kind {
    /// Prefix of gateway events: `event:MESSAGE_CREATE`; the payload is Discord's raw `d`.
    pub const EVENT_PREFIX: &str = "event:";
    /// A slash or prefix command: [`CommandInvocation`](super::CommandInvocation) → [`Response`](super::Response).
    pub const COMMAND: &str = "command";
    /// A button or select menu: [`ComponentInvocation`](super::ComponentInvocation) → [`Response`](super::Response).
    pub const COMPONENT: &str = "component";
    /// A modal submission: [`ModalInvocation`](super::ModalInvocation) → [`Response`](super::Response).
    pub const MODAL: &str = "modal";
    /// Autocomplete: [`AutocompleteInvocation`](super::AutocompleteInvocation) → `Vec<Choice>`.
    pub const AUTOCOMPLETE: &str = "autocomplete";
    /// A durable timer fired: [`TimerFired`](super::TimerFired) → `null`.
    pub const TIMER: &str = "timer";
    /// The instance is about to be dropped (reload, unload, shutdown): `null` → `null`.
    pub const UNLOAD: &str = "unload";
    /// Another module asks this one: [`ModuleRequest`](super::ModuleRequest) → the answer's
    /// JSON (see `Plugin::on_request`).
    pub const REQUEST: &str = "request";
    /// Something happened to the audio of a server whose voice connection this module owns:
    /// [`VoiceEvent`](super::VoiceEvent) → `null`.
    pub const VOICE: &str = "voice";
}

/// Host operations a plugin can request through [`HostApi::request`](crate::abi::HostApi::request).
pub mod op {
    /// [`KeyRequest`](super::KeyRequest) → `Option<VersionedValue>`.
    pub const STORE_GET: &str = "store.get";
    /// [`SetRequest`](super::SetRequest) → `u64` (new version).
    pub const STORE_SET: &str = "store.set";
    /// [`KeyRequest`](super::KeyRequest) → `bool` (whether it existed).
    pub const STORE_DELETE: &str = "store.delete";
    /// [`ListRequest`](super::ListRequest) → `Vec<ListEntry>` sorted by key.
    pub const STORE_LIST: &str = "store.list";
    /// [`CommitRequest`](super::CommitRequest) → [`CommitOutcome`](super::CommitOutcome).
    pub const STORE_COMMIT: &str = "store.commit";
    /// [`DiscordRequest`](super::DiscordRequest) → the Discord object it returns, as JSON.
    pub const DISCORD: &str = "discord";
    /// [`ScheduleTimer`](super::ScheduleTimer) → `null`.
    pub const TIMER_SCHEDULE: &str = "timer.schedule";
    /// [`CancelTimer`](super::CancelTimer) → `bool` (whether it was pending).
    pub const TIMER_CANCEL: &str = "timer.cancel";
    /// `null` → `u64`: the host's clock, Unix milliseconds (settable in tests).
    pub const CLOCK_NOW: &str = "clock.now";
    /// Guild id → `Option<String>`: the server's preferred language (`fr`, `en-US`), when the
    /// host knows the server.
    pub const GUILD_LOCALE: &str = "guild.locale";
    /// `null` → `Option<`[`PendingMigration`](super::PendingMigration)`>`: asked by the SDK
    /// while a new version is instantiated; `Some` when the stored data is older than the
    /// version's `data_version` (see `sdk::migrate`). Hosts without migrations answer
    /// `Unsupported`, read as `None`.
    pub const MIGRATION_PENDING: &str = "migration.pending";
    /// [`MigratedData`](super::MigratedData) → `null`: the migration's result, which the host
    /// writes with the new data version in one store transaction.
    pub const MIGRATION_APPLY: &str = "migration.apply";
    /// [`ModuleAsk`](super::ModuleAsk) → [`ModuleAnswer`](super::ModuleAnswer): asks another
    /// module and waits for its answer (at most the host's call timeout). Failures are
    /// answers too (`ModuleAnswer::Failed`), so their kind crosses the frozen error type.
    pub const MODULE_ASK: &str = "module.ask";
    /// [`VoiceRequest`](super::VoiceRequest) → its answer (see each variant): the host joins,
    /// plays and controls audio for the module. Hosts without voice answer `Unsupported`.
    pub const VOICE: &str = "voice";
}
