//! The safe SDK plugin authors use: implement [`Plugin`], call [`export_plugin!`](crate::export_plugin).

mod context;
mod error;
pub(crate) mod guard;
mod logging;
mod plugin;
mod store;

pub use context::{Context, Discord, Timers};
pub use error::{Error, ErrorType, Result};
pub use plugin::Plugin;
#[doc(hidden)]
pub use plugin::{instantiate, manifest_json};
pub use store::{Store, Transaction};
