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
pub mod __private {
    pub use super::options::{build_option, command_spec, subcommand_option};
    pub use super::parse::join_path;
    use super::{CommandChoice, OptionMeta};
    use twilight_model::{
        application::command::{CommandOption, CommandOptionType},
        guild::Permissions,
    };

    /// Completes a choice option (the derived `OptionValue::complete` of a [`CommandChoice`]).
    pub fn choice_complete<T: CommandChoice>(option: &mut CommandOption) {
        super::options::add_choices(option, T::CHOICES);
    }

    /// Reads a choice (the derived `OptionValue::from_arg` of a [`CommandChoice`]).
    ///
    /// # Errors
    ///
    /// When the value is not one of the choices.
    pub fn choice_from_arg<T: CommandChoice>(
        value: &crate::protocol::ArgValue,
        meta: &OptionMeta,
    ) -> Result<T, super::ParseError> {
        let index = super::options::choice_index(value, meta, T::CHOICES)?;
        T::from_index(index)
            .ok_or_else(|| super::ParseError::wrong_type(meta.name, "one of the listed choices"))
    }

    /// One option of a derived struct, in its static table.
    #[derive(Debug)]
    pub struct OptionEntry {
        /// The field's name, description and limits.
        pub meta: OptionMeta,
        /// `<T as OptionValue>::KIND`.
        pub kind: CommandOptionType,
        /// `<T as OptionValue>::REQUIRED`.
        pub required: bool,
        /// `<T as OptionValue>::complete`.
        pub complete: fn(&mut CommandOption),
    }

    /// One subcommand (or group) of a derived enum, in its static table.
    #[derive(Debug)]
    pub struct SubcommandEntry {
        /// Its name.
        pub name: &'static str,
        /// Its description.
        pub description: &'static str,
        /// What it requires on top of the command's permissions.
        pub permissions: Permissions,
        /// The derived type it holds, if any.
        pub inner: Option<Inner>,
    }

    /// The derived type a subcommand variant holds.
    #[derive(Debug)]
    pub struct Inner {
        /// `<T as CommandModel>::SUBCOMMANDS`: a group.
        pub group: bool,
        /// `<T as CommandModel>::options`.
        pub options: fn() -> Vec<CommandOption>,
        /// `<T as CommandModel>::subcommand_permissions`.
        pub permissions: fn(&str, &mut Vec<(String, Permissions)>),
    }

    /// A derived struct's options, declared.
    #[inline(never)]
    #[must_use]
    pub fn options(entries: &[OptionEntry]) -> Vec<CommandOption> {
        entries
            .iter()
            .map(|entry| {
                let mut option = build_option(entry.kind, entry.required, &entry.meta);
                (entry.complete)(&mut option);
                option
            })
            .collect()
    }

    /// A derived enum's subcommands and groups, declared.
    #[inline(never)]
    #[must_use]
    pub fn subcommands(entries: &[SubcommandEntry]) -> Vec<CommandOption> {
        entries
            .iter()
            .map(|entry| match &entry.inner {
                Some(inner) => subcommand_option(
                    entry.name,
                    entry.description,
                    inner.group,
                    (inner.options)(),
                ),
                None => subcommand_option(entry.name, entry.description, false, Vec::new()),
            })
            .collect()
    }

    /// A derived enum's per-subcommand permissions, keyed by path below `path`.
    #[inline(never)]
    pub fn subcommand_permissions(
        path: &str,
        out: &mut Vec<(String, Permissions)>,
        entries: &[SubcommandEntry],
    ) {
        for entry in entries {
            let here = join_path(path, entry.name);
            if let Some(inner) = &entry.inner {
                (inner.permissions)(&here, out);
            }
            if !entry.permissions.is_empty() {
                out.push((here, entry.permissions));
            }
        }
    }

    /// The whole command's declaration (the derived `Command::spec`).
    #[inline(never)]
    #[must_use]
    pub fn spec(
        name: &str,
        description: &str,
        permissions: Permissions,
        slash: bool,
        prefix: bool,
        options: fn() -> Vec<CommandOption>,
        subcommand_permissions: fn(&str, &mut Vec<(String, Permissions)>),
    ) -> crate::CommandSpec {
        let mut required = Vec::new();
        subcommand_permissions("", &mut required);
        command_spec(
            name,
            description,
            permissions,
            slash,
            prefix,
            options(),
            required,
        )
    }
}
