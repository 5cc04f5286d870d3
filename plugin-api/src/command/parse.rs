//! Reading an invocation level by level, and the error that names what did not fit.

use std::{error::Error as StdError, fmt};

use crate::{
    i18n::{Arg, Tr},
    protocol::{ArgValue, CommandInvocation, Invoker, Response},
    sdk::{sdk_tr, Error, ErrorType},
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
        let read = match self.raw(meta.name) {
            Some(value) => T::from_arg(value, meta, self.invocation),
            None => T::missing(meta),
        };
        read.map_err(|error| error.for_invoker(&self.invocation.invoker))
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
            )
            .for_invoker(&self.invocation.invoker)),
        }
    }
}

/// An invocation that does not fit the command's type: the message names the option.
///
/// Answer the user with it: `Response::from(error)` is an ephemeral refusal (a reply to a prefix
/// command), in the invoker's language when the SDK made the error while reading their
/// invocation (English otherwise). As an [`Error`] it is [`ErrorType::Invalid`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    kind: ParseErrorType,
    option: String,
    message: String,
    /// The SDK's text the message renders (absent for a module's own [`ParseError::new`]).
    text: Option<Text>,
}

/// One of the SDK's texts (`plugin-api/locales/`) and its arguments, kept to render the error
/// again in the invoker's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text {
    key: &'static str,
    args: Vec<(&'static str, Word)>,
}

/// An argument of a [`Text`]: shown as is, or another SDK text (a type's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Word {
    Plain(String),
    Text(&'static str),
}

impl Text {
    fn render(&self, tr: Tr<'_>) -> String {
        let args: Vec<(&str, Arg)> = self
            .args
            .iter()
            .map(|(name, word)| {
                let value = match word {
                    Word::Plain(text) => text.clone(),
                    Word::Text(key) => tr.t(key),
                };
                (*name, Arg::Text(value))
            })
            .collect();
        tr.text(self.key, &args)
    }
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
    /// An error of `kind` about `option`, with the sentence shown to the user (as given: a
    /// module translates its own sentences).
    #[must_use]
    pub fn new(kind: ParseErrorType, option: &str, message: String) -> Self {
        Self {
            kind,
            option: option.to_owned(),
            message,
            text: None,
        }
    }

    /// An error whose sentence is the SDK's text `key` with `args` (English until
    /// [`ParseError::for_invoker`]).
    #[inline(never)]
    pub(crate) fn sdk(
        kind: ParseErrorType,
        option: &str,
        key: &'static str,
        args: Vec<(&'static str, Word)>,
    ) -> Self {
        let text = Text { key, args };
        Self {
            kind,
            option: option.to_owned(),
            message: text.render(sdk_tr(None)),
            text: Some(text),
        }
    }

    /// The same error, its sentence in `invoker`'s language (theirs, else their server's, else
    /// English) when it is one of the SDK's; a module's own sentence is kept as is.
    #[must_use]
    #[inline(never)]
    pub fn for_invoker(mut self, invoker: &Invoker) -> Self {
        if let Some(text) = &self.text {
            self.message = text.render(sdk_tr(Some(invoker)));
        }
        self
    }

    /// Option `option` is required and was not given.
    #[must_use]
    pub fn missing(option: &str) -> Self {
        Self::sdk(
            ParseErrorType::Missing,
            option,
            "sdk-option-missing",
            vec![("option", Word::Plain(option.to_owned()))],
        )
    }

    /// Option `option` holds another type than `expected` (a few words: "a whole number"; shown
    /// as given, in every language).
    #[must_use]
    pub fn wrong_type(option: &str, expected: &str) -> Self {
        Self::expected(option, Word::Plain(expected.to_owned()))
    }

    /// Option `option` holds another type than the SDK's text `expected` names
    /// (`sdk-expect-number`).
    pub(crate) fn wrong(option: &str, expected: &'static str) -> Self {
        Self::expected(option, Word::Text(expected))
    }

    fn expected(option: &str, expected: Word) -> Self {
        Self::sdk(
            ParseErrorType::WrongType,
            option,
            "sdk-option-wrong-type",
            vec![
                ("option", Word::Plain(option.to_owned())),
                ("expected", expected),
            ],
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
        let mut args = vec![
            ("at", Word::Plain(at)),
            ("choices", Word::Plain(names.join("`, `"))),
        ];
        let key = match given {
            Some(given) => {
                args.push(("given", Word::Plain(given.to_owned())));
                "sdk-subcommand-unknown"
            }
            None => "sdk-subcommand-missing",
        };
        Self::sdk(
            ParseErrorType::UnknownSubcommand,
            given.unwrap_or_default(),
            key,
            args,
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
