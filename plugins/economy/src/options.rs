//! The economy's own option types for the derived command (`command.rs`): they declare options
//! exactly as Discord saw them before, and read values with the module's wording (an amount may
//! be written `1,000`; a number out of range names its bounds). Each implements the SDK's
//! [`OptionValue`]; their bodies call non-generic functions so the plugin file stays small.

use arsenal_plugin_api::{
    command::{OptionMeta, OptionValue, ParseError, ParseErrorType},
    model::application::command::{CommandOption, CommandOptionType},
    protocol::ArgValue,
    CommandInvocation,
};

use crate::model::{thousands, MAX_AMOUNT};

/// A required option (Discord asks for it) that the module still reads as `None` when a
/// hand-made or old call leaves it out, so the handler answers with its own sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given<T>(pub Option<T>);

impl<T: OptionValue> OptionValue for Given<T> {
    const KIND: CommandOptionType = T::KIND;

    fn complete(option: &mut CommandOption) {
        T::complete(option);
    }

    fn from_arg(
        value: &ArgValue,
        meta: &OptionMeta,
        invocation: &CommandInvocation,
    ) -> Result<Self, ParseError> {
        T::from_arg(value, meta, invocation).map(|value| Self(Some(value)))
    }

    fn missing(_: &OptionMeta) -> Result<Self, ParseError> {
        Ok(Self(None))
    }
}

/// A positive amount of money, at most [`MAX_AMOUNT`]; a text like `1,000` reads too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub i64);

impl OptionValue for Amount {
    const KIND: CommandOptionType = CommandOptionType::Integer;

    fn from_arg(
        value: &ArgValue,
        meta: &OptionMeta,
        _: &CommandInvocation,
    ) -> Result<Self, ParseError> {
        amount(value, meta.name).map(Self)
    }

    fn missing(meta: &OptionMeta) -> Result<Self, ParseError> {
        Err(refusal(
            ParseErrorType::Missing,
            meta.name,
            format!("Give an amount: `{}:100`.", meta.name),
        ))
    }
}

/// A whole number in `MIN..=MAX` (declared to Discord without bounds, as before; checked here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whole<const MIN: i64, const MAX: i64>(pub i64);

impl<const MIN: i64, const MAX: i64> OptionValue for Whole<MIN, MAX> {
    const KIND: CommandOptionType = CommandOptionType::Integer;

    fn from_arg(
        value: &ArgValue,
        meta: &OptionMeta,
        _: &CommandInvocation,
    ) -> Result<Self, ParseError> {
        whole(value, meta.name, MIN, MAX).map(Self)
    }
}

/// Text with surrounding blanks removed; an empty one means "not given" to the handlers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl Text {
    /// The text, or `None` when blank.
    #[must_use]
    pub fn given(self) -> Option<String> {
        (!self.0.is_empty()).then_some(self.0)
    }
}

impl OptionValue for Text {
    const KIND: CommandOptionType = CommandOptionType::String;

    fn from_arg(
        value: &ArgValue,
        meta: &OptionMeta,
        _: &CommandInvocation,
    ) -> Result<Self, ParseError> {
        text(value, meta.name).map(Self)
    }

    /// Read as blank: the handler names what is missing.
    fn missing(_: &OptionMeta) -> Result<Self, ParseError> {
        Ok(Self::default())
    }
}

fn refusal(kind: ParseErrorType, name: &str, message: String) -> ParseError {
    ParseError::new(kind, name, message)
}

#[inline(never)]
fn amount(value: &ArgValue, name: &str) -> Result<i64, ParseError> {
    let checked = match value {
        ArgValue::Integer(value) => check_amount(*value),
        #[allow(clippy::cast_possible_truncation)]
        ArgValue::Number(value) if value.fract() == 0.0 => check_amount(*value as i64),
        ArgValue::String(text) => parse_amount(text),
        _ => {
            return Err(refusal(
                ParseErrorType::WrongType,
                name,
                format!("Give an amount: `{name}:100`."),
            ))
        }
    };
    checked.map_err(|message| refusal(ParseErrorType::OutOfRange, name, message))
}

#[inline(never)]
fn whole(value: &ArgValue, name: &str, min: i64, max: i64) -> Result<i64, ParseError> {
    let wrong = || {
        refusal(
            ParseErrorType::WrongType,
            name,
            format!("`{name}` must be a whole number."),
        )
    };
    let value = match value {
        ArgValue::Integer(value) => *value,
        ArgValue::String(text) => text.trim().parse().map_err(|_| wrong())?,
        _ => return Err(wrong()),
    };
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(refusal(
            ParseErrorType::OutOfRange,
            name,
            format!("`{name}` must be between {min} and {max}."),
        ))
    }
}

#[inline(never)]
fn text(value: &ArgValue, name: &str) -> Result<String, ParseError> {
    match value {
        ArgValue::String(text) => Ok(text.trim().to_owned()),
        _ => Err(refusal(
            ParseErrorType::WrongType,
            name,
            format!("`{name}` must be a text."),
        )),
    }
}

fn check_amount(value: i64) -> Result<i64, String> {
    if value <= 0 {
        Err("The amount must be a positive whole number.".to_owned())
    } else if value > MAX_AMOUNT {
        Err(format!(
            "That is too much: at most {} at a time.",
            thousands(MAX_AMOUNT)
        ))
    } else {
        Ok(value)
    }
}

/// `1000`, `1,000`, `1_000` (not `all`: callers handle it).
///
/// # Errors
///
/// A sentence saying why `text` is not an amount.
pub fn parse_amount(text: &str) -> Result<i64, String> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    match digits.parse::<i64>() {
        Ok(value) => check_amount(value),
        Err(_) if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) => {
            check_amount(i64::MAX)
        }
        Err(_) if digits.starts_with('-') => check_amount(-1),
        Err(_) => Err(format!(
            "`{}` is not an amount: give a whole number like `250`.",
            text.chars().take(20).collect::<String>().replace('`', "")
        )),
    }
}

impl<const MIN: i64, const MAX: i64> Given<Whole<MIN, MAX>> {
    /// The number, or `None` when not given.
    #[must_use]
    pub fn value(&self) -> Option<i64> {
        self.0.map(|Whole(value)| value)
    }
}
