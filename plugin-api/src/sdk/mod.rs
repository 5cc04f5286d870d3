//! The safe SDK plugin authors use: implement [`Plugin`], call [`export_plugin!`](crate::export_plugin).

mod context;
mod error;
mod events;
pub(crate) mod guard;
mod logging;
pub mod migrate;
mod modules;
mod plugin;
mod store;
mod texts;
mod voice;

pub(crate) use context::system_now;
pub use context::{Context, Discord, Timers};
pub use error::{Error, ErrorType, Result};
pub use events::{Events, GatewayEvent};
pub use modules::Modules;
pub use plugin::Plugin;
#[doc(hidden)]
pub use plugin::{instantiate, manifest, manifest_json};
pub use store::{Store, Transaction};
pub(crate) use texts::sdk_tr;
#[cfg(test)]
pub(crate) use texts::SDK_LOCALES;
pub use voice::Voice;
