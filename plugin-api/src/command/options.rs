//! Option declarations and the value types an option reads into. Everything here is
//! non-generic, so it is compiled once, in the SDK runtime, whatever the plugin derives.

use std::collections::BTreeMap;

use twilight_model::{
    application::command::{
        CommandOption, CommandOptionChoice, CommandOptionChoiceValue, CommandOptionType,
        CommandOptionValue,
    },
    channel::ChannelType,
    guild::Permissions,
    id::{
        marker::{AttachmentMarker, ChannelMarker, RoleMarker, UserMarker},
        Id,
    },
};

use super::{parse::Word, OptionValue, ParseError, ParseErrorType};
use crate::{
    manifest::{option, subcommand, CommandSpec},
    protocol::{ArgValue, CommandInvocation, ResolvedUser},
};

/// What the derive knows about one option field: its name, description and limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptionMeta {
    /// Option name (the field's, or `#[option(rename = "…")]`).
    pub name: &'static str,
    /// Description (the field's doc comment, or `desc = "…"`).
    pub description: &'static str,
    /// Smallest number accepted (`min_value`).
    pub min_value: Option<f64>,
    /// Largest number accepted (`max_value`).
    pub max_value: Option<f64>,
    /// Fewest characters accepted (`min_length`).
    pub min_length: Option<u16>,
    /// Most characters accepted (`max_length`).
    pub max_length: Option<u16>,
    /// Channel types offered (`channel_types = [GuildText, …]`; empty: all).
    pub channel_types: &'static [ChannelType],
    /// Discord asks the plugin's `on_autocomplete` for suggestions.
    pub autocomplete: bool,
}

/// A user or a role (Discord's "mentionable" option).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentionable {
    /// The raw id (a user's or a role's).
    pub id: u64,
    /// The user, when the id is one the host resolved as a user; `None` for a role.
    pub user: Option<ResolvedUser>,
}

/// Declares an option of `kind` from its field's metadata.
#[inline(never)]
#[must_use]
pub fn build_option(kind: CommandOptionType, required: bool, meta: &OptionMeta) -> CommandOption {
    let bound = |value: f64| match kind {
        // Bounds come from integer literals in the attribute, so the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        CommandOptionType::Integer => CommandOptionValue::Integer(value as i64),
        _ => CommandOptionValue::Number(value),
    };
    CommandOption {
        min_value: meta.min_value.map(bound),
        max_value: meta.max_value.map(bound),
        min_length: meta.min_length,
        max_length: meta.max_length,
        channel_types: (!meta.channel_types.is_empty()).then(|| meta.channel_types.to_vec()),
        autocomplete: meta.autocomplete.then_some(true),
        ..option(kind, meta.name, meta.description, required)
    }
}

/// Declares a subcommand, or a group when `group` (its options are then its subcommands).
#[inline(never)]
#[must_use]
pub fn subcommand_option(
    name: &str,
    description: &str,
    group: bool,
    options: Vec<CommandOption>,
) -> CommandOption {
    let mut declared = subcommand(name, description, options);
    if group {
        declared.kind = CommandOptionType::SubCommandGroup;
    }
    declared
}

/// The whole command's declaration.
#[inline(never)]
#[must_use]
pub fn command_spec(
    name: &str,
    description: &str,
    permissions: Permissions,
    slash: bool,
    prefix: bool,
    options: Vec<CommandOption>,
    subcommand_permissions: Vec<(String, Permissions)>,
) -> CommandSpec {
    let mut spec = CommandSpec::new(name, description);
    spec.options = options;
    spec.slash = slash;
    spec.prefix = prefix;
    if !permissions.is_empty() {
        spec = spec.permissions(permissions);
    }
    spec.subcommand_permissions = subcommand_permissions
        .into_iter()
        .filter(|(_, required)| !required.is_empty())
        .map(|(path, required)| (path, required.bits().to_string()))
        .collect::<BTreeMap<_, _>>();
    spec
}

/// Adds string choices to a declared option.
#[inline(never)]
pub fn add_choices(option: &mut CommandOption, choices: &[(&str, &str)]) {
    option.choices = Some(
        choices
            .iter()
            .map(|(name, value)| CommandOptionChoice {
                name: (*name).to_owned(),
                name_localizations: None,
                value: CommandOptionChoiceValue::String((*value).to_owned()),
            })
            .collect(),
    );
}

/// Which of `choices` the value is (by value, or by shown name for a typed prefix command).
///
/// # Errors
///
/// When it is none of them.
#[inline(never)]
pub fn choice_index(
    value: &ArgValue,
    meta: &OptionMeta,
    choices: &[(&str, &str)],
) -> Result<usize, ParseError> {
    let ArgValue::String(given) = value else {
        return Err(ParseError::wrong(meta.name, "sdk-expect-choice"));
    };
    choices
        .iter()
        .position(|(_, value)| value == given)
        .or_else(|| {
            choices
                .iter()
                .position(|(name, _)| name.eq_ignore_ascii_case(given))
        })
        .ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
            ParseError::sdk(
                ParseErrorType::Invalid,
                meta.name,
                "sdk-option-choice",
                vec![
                    ("option", Word::Plain(meta.name.to_owned())),
                    ("choices", Word::Plain(names.join(", "))),
                ],
            )
        })
}

/// Sets a narrower type's bounds on an integer option when the field declares none.
#[inline(never)]
fn implicit_bounds(option: &mut CommandOption, min: i64, max: i64) {
    // Only types narrower than Discord's range need a declared bound.
    if option.min_value.is_none() && min > -DISCORD_INTEGER_LIMIT {
        option.min_value = Some(CommandOptionValue::Integer(min));
    }
    if option.max_value.is_none() && max < DISCORD_INTEGER_LIMIT {
        option.max_value = Some(CommandOptionValue::Integer(max));
    }
}

/// Discord's integer options span ±2^53; a bound beyond that is no bound to show a user.
const DISCORD_INTEGER_LIMIT: i64 = 1 << 53;

/// A whole number within `meta`'s bounds and the type's `min`..=`max`.
#[inline(never)]
fn integer(value: &ArgValue, meta: &OptionMeta, min: i64, max: i64) -> Result<i64, ParseError> {
    let ArgValue::Integer(given) = value else {
        return Err(ParseError::wrong(meta.name, "sdk-expect-whole-number"));
    };
    // i64 -> f64 only loses precision past 2^53, beyond anything Discord sends.
    #[allow(clippy::cast_precision_loss)]
    let (low, high, as_number) = (
        meta.min_value.unwrap_or(min as f64).max(min as f64),
        meta.max_value.unwrap_or(max as f64).min(max as f64),
        *given as f64,
    );
    if as_number < low || as_number > high {
        #[allow(clippy::cast_precision_loss)]
        let limit = DISCORD_INTEGER_LIMIT as f64;
        return Err(out_of_range(
            meta.name,
            "sdk-expect-whole-number",
            (low > -limit).then_some(low),
            (high < limit).then_some(high),
        ));
    }
    Ok(*given)
}

/// A number within `meta`'s bounds.
#[inline(never)]
fn number(value: &ArgValue, meta: &OptionMeta) -> Result<f64, ParseError> {
    let given = match value {
        ArgValue::Number(given) => *given,
        #[allow(clippy::cast_precision_loss)]
        ArgValue::Integer(given) => *given as f64,
        _ => return Err(ParseError::wrong(meta.name, "sdk-expect-number")),
    };
    let low = meta.min_value.unwrap_or(f64::NEG_INFINITY);
    let high = meta.max_value.unwrap_or(f64::INFINITY);
    if !given.is_finite() || given < low || given > high {
        return Err(out_of_range(
            meta.name,
            "sdk-expect-number",
            meta.min_value,
            meta.max_value,
        ));
    }
    Ok(given)
}

fn out_of_range(name: &str, what: &'static str, low: Option<f64>, high: Option<f64>) -> ParseError {
    let shown = |value: f64| {
        if value.fract() == 0.0 && value.abs() < 1e15 {
            format!("{value:.0}")
        } else {
            value.to_string()
        }
    };
    let mut args = vec![
        ("option", Word::Plain(name.to_owned())),
        ("expected", Word::Text(what)),
    ];
    let key = match (low, high) {
        (Some(low), Some(high)) => {
            args.push(("low", Word::Plain(shown(low))));
            args.push(("high", Word::Plain(shown(high))));
            "sdk-option-range-between"
        }
        (Some(low), None) => {
            args.push(("low", Word::Plain(shown(low))));
            "sdk-option-range-min"
        }
        (None, Some(high)) => {
            args.push(("high", Word::Plain(shown(high))));
            "sdk-option-range-max"
        }
        (None, None) => "sdk-option-wrong-type",
    };
    ParseError::sdk(ParseErrorType::OutOfRange, name, key, args)
}

/// A text within `meta`'s length limits.
#[inline(never)]
fn text(value: &ArgValue, meta: &OptionMeta) -> Result<String, ParseError> {
    let ArgValue::String(given) = value else {
        return Err(ParseError::wrong(meta.name, "sdk-expect-text"));
    };
    let length = given.chars().count();
    let min = usize::from(meta.min_length.unwrap_or(0));
    let max = meta.max_length.map_or(usize::MAX, usize::from);
    if length < min || length > max {
        let mut args = vec![("option", Word::Plain(meta.name.to_owned()))];
        let key = match (meta.min_length, meta.max_length) {
            (Some(min), Some(max)) => {
                args.push(("min", Word::Plain(min.to_string())));
                args.push(("max", Word::Plain(max.to_string())));
                "sdk-option-length-between"
            }
            (Some(min), None) => {
                args.push(("min", Word::Plain(min.to_string())));
                "sdk-option-length-min"
            }
            (None, _) => {
                args.push(("max", Word::Plain(max.to_string())));
                "sdk-option-length-max"
            }
        };
        return Err(ParseError::sdk(
            ParseErrorType::Length,
            meta.name,
            key,
            args,
        ));
    }
    Ok(given.clone())
}

macro_rules! integers {
    ($($int:ty),*) => {$(
        impl OptionValue for $int {
            const KIND: CommandOptionType = CommandOptionType::Integer;

            fn complete(option: &mut CommandOption) {
                implicit_bounds(
                    option,
                    i64::try_from(<$int>::MIN).unwrap_or(i64::MIN),
                    i64::try_from(<$int>::MAX).unwrap_or(i64::MAX),
                );
            }

            fn from_arg(value: &ArgValue, meta: &OptionMeta, _: &CommandInvocation) -> Result<Self, ParseError> {
                let min = i64::try_from(<$int>::MIN).unwrap_or(i64::MIN);
                let max = i64::try_from(<$int>::MAX).unwrap_or(i64::MAX);
                let given = integer(value, meta, min, max)?;
                // `integer` already kept `given` within the type's range.
                <$int>::try_from(given).map_err(|_| out_of_range(meta.name, "sdk-expect-whole-number", None, None))
            }
        }
    )*};
}

integers!(i64, i32, i16, i8, u64, u32, u16, u8);

impl OptionValue for f64 {
    const KIND: CommandOptionType = CommandOptionType::Number;

    fn from_arg(
        value: &ArgValue,
        meta: &OptionMeta,
        _: &CommandInvocation,
    ) -> Result<Self, ParseError> {
        number(value, meta)
    }
}

impl OptionValue for String {
    const KIND: CommandOptionType = CommandOptionType::String;

    fn from_arg(
        value: &ArgValue,
        meta: &OptionMeta,
        _: &CommandInvocation,
    ) -> Result<Self, ParseError> {
        text(value, meta)
    }
}

/// Option types whose value is one variant of [`ArgValue`], copied out.
macro_rules! variants {
    ($($ty:ty => $variant:ident, $expected:literal;)*) => {$(
        impl OptionValue for $ty {
            const KIND: CommandOptionType = CommandOptionType::$variant;

            fn from_arg(value: &ArgValue, meta: &OptionMeta, _: &CommandInvocation) -> Result<Self, ParseError> {
                match value {
                    ArgValue::$variant(given) => Ok(*given),
                    _ => Err(ParseError::wrong(meta.name, $expected)),
                }
            }
        }
    )*};
}

variants! {
    bool => Boolean, "sdk-expect-boolean";
    Id<UserMarker> => User, "sdk-expect-user";
    Id<ChannelMarker> => Channel, "sdk-expect-channel";
    Id<RoleMarker> => Role, "sdk-expect-role";
    Id<AttachmentMarker> => Attachment, "sdk-expect-attachment";
}

impl OptionValue for ResolvedUser {
    const KIND: CommandOptionType = CommandOptionType::User;

    fn from_arg(
        value: &ArgValue,
        meta: &OptionMeta,
        invocation: &CommandInvocation,
    ) -> Result<Self, ParseError> {
        resolved_user(value, meta, invocation)
    }
}

#[inline(never)]
fn resolved_user(
    value: &ArgValue,
    meta: &OptionMeta,
    invocation: &CommandInvocation,
) -> Result<ResolvedUser, ParseError> {
    let ArgValue::User(id) = value else {
        return Err(ParseError::wrong(meta.name, "sdk-expect-user"));
    };
    invocation.resolved_user(*id).cloned().ok_or_else(|| {
        ParseError::sdk(
            ParseErrorType::Unresolved,
            meta.name,
            "sdk-option-unresolved",
            vec![("option", Word::Plain(meta.name.to_owned()))],
        )
    })
}

impl OptionValue for Mentionable {
    const KIND: CommandOptionType = CommandOptionType::Mentionable;

    fn from_arg(
        value: &ArgValue,
        meta: &OptionMeta,
        invocation: &CommandInvocation,
    ) -> Result<Self, ParseError> {
        mentionable(value, meta, invocation)
    }
}

#[inline(never)]
fn mentionable(
    value: &ArgValue,
    meta: &OptionMeta,
    invocation: &CommandInvocation,
) -> Result<Mentionable, ParseError> {
    let id = match value {
        ArgValue::Mentionable(id) => *id,
        ArgValue::User(id) => id.get(),
        ArgValue::Role(id) => id.get(),
        _ => return Err(ParseError::wrong(meta.name, "sdk-expect-mentionable")),
    };
    let user = invocation
        .users
        .iter()
        .find(|user| user.id.get() == id)
        .cloned();
    Ok(Mentionable { id, user })
}

impl<T: OptionValue> OptionValue for Option<T> {
    const KIND: CommandOptionType = T::KIND;
    const REQUIRED: bool = false;

    fn complete(option: &mut CommandOption) {
        T::complete(option);
    }

    fn from_arg(
        value: &ArgValue,
        meta: &OptionMeta,
        invocation: &CommandInvocation,
    ) -> Result<Self, ParseError> {
        T::from_arg(value, meta, invocation).map(Some)
    }

    fn missing(_: &OptionMeta) -> Result<Self, ParseError> {
        Ok(None)
    }
}
