//! Routes what users do to whoever answers it, and sends the answer back.
//!
//! Slash commands and autocomplete route by command name; buttons, select menus and modals by
//! the module prefix of their `custom_id`; prefix commands by the guild's prefix. Permissions are
//! checked here, by the host, before any module runs: a module never has to trust its caller.
//! Every interaction is answered, even one that cannot be read or routed.

mod answer;
mod autocomplete;
mod command;
mod help;
mod interaction;
mod prefix_message;
mod unhandled;

use std::time::Duration;

pub use interaction::interaction;
pub use prefix_message::prefix_message;
pub use unhandled::unparsed_interaction;

/// How long a module may take before a slash command is deferred (Discord allows 3 s).
const DEFER_AFTER: Duration = Duration::from_millis(2500);
