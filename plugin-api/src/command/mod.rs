//! Commands as types: `#[derive(Command)]` on a struct of options or an enum of subcommands gives
//! the command's [`CommandSpec`] and the typed parse of a [`CommandInvocation`], slash and prefix
//! alike (the host turns both into the same argument list).
//!
//! An option is named once, as a field: a misspelt option or a wrong type fails to compile. The
//! derived code is thin glue over the non-generic functions of this module, so it lands in the
//! SDK runtime rather than in every plugin.
//!
//! ```
//! use arsenal_plugin_api::prelude::*;
//!
//! /// Pay a member
//! #[derive(Command)]
//! #[command(name = "pay", prefix)]
//! struct Pay {
//!     /// Who to pay
//!     to: Id<UserMarker>,
//!     /// How many coins
//!     #[option(min_value = 1)]
//!     amount: i64,
//! }
//!
//! fn answer(invocation: &CommandInvocation) -> Response {
//!     match Pay::parse(invocation) {
//!         Ok(pay) => Response::text(format!("Paid <@{}> {} coins.", pay.to, pay.amount)),
//!         Err(refusal) => refusal.into(),
//!     }
//! }
//! # assert_eq!(Pay::spec().options.len(), 2);
//! ```
//!
//! What the types rule out at compile time (these examples must fail to build):
//!
//! A misspelt option:
//! ```compile_fail,E0609
//! # use arsenal_plugin_api::prelude::*;
//! # /// Pay a member
//! # #[derive(Command)]
//! # #[command(name = "pay")]
//! # struct Pay {
//! #     /// How many coins
//! #     amount: i64,
//! # }
//! fn coins(pay: &Pay) -> i64 {
//!     pay.amout
//! }
//! ```
//! An option read as the wrong type:
//! ```compile_fail,E0308
//! # use arsenal_plugin_api::prelude::*;
//! # /// Pay a member
//! # #[derive(Command)]
//! # #[command(name = "pay")]
//! # struct Pay {
//! #     /// How many coins
//! #     amount: i64,
//! # }
//! fn coins(pay: &Pay) -> &str {
//!     pay.amount
//! }
//! ```
//! A field of a type no option can hold:
//! ```compile_fail,E0277
//! # use arsenal_plugin_api::prelude::*;
//! /// Tag things
//! #[derive(Command)]
//! #[command(name = "tag")]
//! struct Tag {
//!     /// Tags
//!     tags: Vec<String>,
//! }
//! ```
//! A misspelt permission:
//! ```compile_fail,E0599
//! # use arsenal_plugin_api::prelude::*;
//! /// Settings
//! #[derive(Command)]
//! #[command(name = "settings", permissions = "MANAGE_GUIL")]
//! struct Settings;
//! ```
//! Two options under one name:
//! ```compile_fail
//! # use arsenal_plugin_api::prelude::*;
//! /// Pay a member
//! #[derive(Command)]
//! #[command(name = "pay")]
//! struct Pay {
//!     /// How many coins
//!     amount: i64,
//!     /// How many gems
//!     #[option(rename = "amount")]
//!     gems: i64,
//! }
//! ```
//! An option without a description (Discord requires one):
//! ```compile_fail
//! # use arsenal_plugin_api::prelude::*;
//! /// Settings
//! #[derive(Command)]
//! #[command(name = "settings")]
//! struct Settings {
//!     level: i64,
//! }
//! ```

mod duration;
mod options;
mod parse;
#[cfg(test)]
mod tests;

use twilight_model::{application::command::CommandOption, guild::Permissions};

pub use arsenal_plugin_api_derive::{Command, CommandChoice};
pub use duration::{Duration, DurationError};
pub use options::{Mentionable, OptionMeta};
pub use parse::{Args, ParseError, ParseErrorType};

use crate::{manifest::CommandSpec, protocol::CommandInvocation};

/// A set of options (a derived struct) or of subcommands (a derived enum), at any level of a
/// command. Derive it with [`Command`](derive@Command); implementing it by hand is possible but
/// not needed.
pub trait CommandModel: Sized {
    /// `true` for a set of subcommands (an enum): as an enum variant it becomes a subcommand
    /// group, not a subcommand.
    const SUBCOMMANDS: bool;

    /// The options (or subcommands) at this level, as Discord describes them.
    fn options() -> Vec<CommandOption>;

    /// Adds the permissions each subcommand below `path` requires, keyed by subcommand path.
    fn subcommand_permissions(path: &str, out: &mut Vec<(String, Permissions)>) {
        let _ = (path, out);
    }

    /// Reads this level from the invocation.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] naming the option (or subcommand) that is missing or does not fit.
    fn from_args(args: &mut Args<'_>) -> Result<Self, ParseError>;
}

/// A whole command: a [`CommandModel`] with a name (`#[command(name = "…")]` on the type).
pub trait Command: CommandModel {
    /// The command's declaration, for [`Manifest::command`](crate::Manifest::command).
    fn spec() -> CommandSpec;

    /// Reads an invocation of this command into the typed value.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] naming the option that is missing or does not fit; turn it into the
    /// user's answer with `Response::from(error)` (an ephemeral refusal, or a reply to a prefix
    /// command).
    fn parse(invocation: &CommandInvocation) -> Result<Self, ParseError> {
        let mut args = Args::new(invocation);
        Self::from_args(&mut args)
    }
}

/// A type an option's value is read into: numbers, text, users, channels, durations, …, a
/// [`CommandChoice`] enum, and `Option<T>` for an optional one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a command option",
    label = "not an option type",
    note = "options are integers, f64, String, bool, Id<UserMarker>, ResolvedUser, Id<ChannelMarker>, Id<RoleMarker>, Mentionable, Id<AttachmentMarker>, Duration, a #[derive(CommandChoice)] enum, or Option<T> of one"
)]
pub trait OptionValue: Sized {
    /// Discord's option type.
    const KIND: twilight_model::application::command::CommandOptionType;
    /// Whether the user must give it (`false` only for `Option<T>`).
    const REQUIRED: bool = true;

    /// Adds what the type implies to the declared option (choices, implicit bounds).
    fn complete(option: &mut CommandOption) {
        let _ = option;
    }

    /// Reads a given value.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] naming the option when the value does not fit.
    fn from_arg(
        value: &crate::protocol::ArgValue,
        meta: &OptionMeta,
        invocation: &CommandInvocation,
    ) -> Result<Self, ParseError>;

    /// The value when the option was not given.
    ///
    /// # Errors
    ///
    /// [`ParseErrorType::Missing`] unless the option is optional.
    fn missing(meta: &OptionMeta) -> Result<Self, ParseError> {
        Err(ParseError::missing(meta.name))
    }
}

/// A fixed set of string choices (`#[derive(CommandChoice)]` on a field-less enum, which also
/// implements [`OptionValue`] for it).
pub trait CommandChoice: Sized {
    /// Every choice: (shown name, value sent), in declaration order.
    const CHOICES: &'static [(&'static str, &'static str)];

    /// The variant at `index` of [`CHOICES`](Self::CHOICES).
    fn from_index(index: usize) -> Option<Self>;

    /// The value sent for this choice.
    #[must_use]
    fn value(&self) -> &'static str;
}

/// What the derive expands to; not part of the public API.
#[doc(hidden)]
#[path = "expansion.rs"]
pub mod __private;
