//! Reading an invocation level by level, and the error that names what did not fit.

use std::{error::Error as StdError, fmt};

use crate::{
    protocol::{ArgValue, CommandInvocation, Response},
    sdk::{Error, ErrorType},
};

use super::{OptionMeta, OptionValue};

/// The invocation being read by a derived [`CommandModel`](super::CommandModel): its arguments
/// and how far down the subcommand path the reading is.
#[derive(Debug)]
pub struct Args<'a> {
    invocation: &'a CommandInvocation,
    depth: usize,
}

impl<'a> Args<'a> {
    /// Starts reading `invocation` at the top level.
    #[must_use]
    pub fn new(invocation: &'a CommandInvocation) -> Self {
        Self {
            invocation,
            depth: 0,
        }
    }

    /// The invocation being read.
    #[must_use]
    pub fn invocation(&self) -> &'a CommandInvocation {
        self.invocation
    }

    /// The raw value of option `name`, if given.
    #[must_use]
    pub fn raw(&self, name: &str) -> Option<&'a ArgValue> {
        self.invocation.arg(name)
    }

    /// Reads option `meta.name` as a `T`.
    ///
    /// # Errors
    ///
    /// When it is missing (and `T` is not an `Option`) or does not fit `T` or `meta`'s limits.
    pub fn option<T: OptionValue>(&self, meta: &OptionMeta) -> Result<T, ParseError> {
        match self.raw(meta.name) {
            Some(value) => T::from_arg(value, meta, self.invocation),
            None => T::missing(meta),
        }
    }

    /// Takes the next subcommand of the path and returns its index in `names`.
    ///
    /// # Errors
    ///
    /// When the path ends here or names no subcommand in `names`.
    pub fn subcommand(&mut self, names: &[&str]) -> Result<usize, ParseError> {
        let given = self.invocation.subcommand.get(self.depth);
        let found = given.and_then(|given| names.iter().position(|name| name == given));
        match found {
            Some(index) => {
                self.depth += 1;
                Ok(index)
            }
            None => Err(ParseError::unknown_subcommand(
                &self.invocation.name,
                &self.invocation.subcommand[..self.depth.min(self.invocation.subcommand.len())],
                given.map(String::as_str),
                names,
            )),
        }
    }
}

/// An invocation that does not fit the command's type: the message names the option.
///
/// Answer the user with it: `Response::from(error)` is an ephemeral refusal (a reply to a prefix
/// command). As an [`Error`] it is [`ErrorType::Invalid`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    kind: ParseErrorType,
    option: String,
    message: String,
}

/// What kind of [`ParseError`] it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorType {
    /// A required option was not given.
    Missing,
    /// The value is of another type than the option's (a text where a number was expected).
    WrongType,
    /// A number outside the option's range.
    OutOfRange,
    /// A text shorter or longer than the option allows.
    Length,
    /// A text that does not read as the option's type (a duration, a choice).
    Invalid,
    /// A user named in the option that the host did not resolve.
    Unresolved,
    /// No subcommand, or one the command does not have.
    UnknownSubcommand,
}

impl ParseError {
    /// An error of `kind` about `option`, with the sentence shown to the user.
    #[must_use]
    pub fn new(kind: ParseErrorType, option: &str, message: String) -> Self {
        Self {
            kind,
            option: option.to_owned(),
            message,
        }
    }

    /// Option `option` is required and was not given.
    #[must_use]
    pub fn missing(option: &str) -> Self {
        Self::new(
            ParseErrorType::Missing,
            option,
            format!("The option `{option}` is required."),
        )
    }

    /// Option `option` holds another type than `expected` (a few words: "a whole number").
    #[must_use]
    pub fn wrong_type(option: &str, expected: &str) -> Self {
        Self::new(
            ParseErrorType::WrongType,
            option,
            format!("The option `{option}` must be {expected}."),
        )
    }

    fn unknown_subcommand(
        command: &str,
        path: &[String],
        given: Option<&str>,
        names: &[&str],
    ) -> Self {
        let at = std::iter::once(command)
            .chain(path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        let choose = names.join("`, `");
        let message = match given {
            Some(given) => format!("`{at}` has no subcommand `{given}`: use `{choose}`."),
            None => format!("`{at}` needs a subcommand: `{choose}`."),
        };
        Self::new(
            ParseErrorType::UnknownSubcommand,
            given.unwrap_or_default(),
            message,
        )
    }

    /// The kind.
    #[must_use]
    pub const fn kind(&self) -> ParseErrorType {
        self.kind
    }

    /// The option (or subcommand) at fault.
    #[must_use]
    pub fn option(&self) -> &str {
        &self.option
    }

    /// The sentence shown to the user.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for ParseError {}

impl From<ParseError> for Response {
    fn from(error: ParseError) -> Self {
        Response::ephemeral(error.message)
    }
}

impl From<ParseError> for Error {
    fn from(error: ParseError) -> Self {
        Error::new(ErrorType::Invalid, error.message)
    }
}

/// `path` and `name` joined with a space (a subcommand path: `"shop add"`).
#[must_use]
pub fn join_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path} {name}")
    }
}
