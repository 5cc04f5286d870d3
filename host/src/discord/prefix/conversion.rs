//! Converts one typed value to the option's type and checks it as Discord checks a slash
//! command's option (ranges, lengths, choices, mentions and ids).

use std::num::IntErrorKind;

use arsenal_plugin_api::protocol::ArgValue;
use twilight_model::{
    application::command::{
        CommandOption, CommandOptionChoiceValue, CommandOptionType, CommandOptionValue,
    },
    id::Id,
};

use super::{echo, or_list, same_word};

/// What an option takes ("a member") and how to give it ("mention them (@name) or …").
///
/// `slash` is the command path, for pointing file options at the slash command.
pub(super) fn expectation(option: &CommandOption, slash: &str) -> (&'static str, String) {
    if let Some(choices) = option.choices.as_deref().filter(|c| !c.is_empty()) {
        let names: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
        return ("a choice", format!("pick one of {}", or_list(&names)));
    }
    let (noun, how) = match option.kind {
        CommandOptionType::Integer => ("a whole number", "type digits, like 250"),
        CommandOptionType::Number => ("a number", "type a number, like 2.5"),
        CommandOptionType::Boolean => ("yes or no", "type yes or no"),
        CommandOptionType::User => ("a member", "mention them (@name) or paste their id"),
        CommandOptionType::Channel => ("a channel", "mention it (#name) or paste its id"),
        CommandOptionType::Role => ("a role", "mention it (@role) or paste its id"),
        CommandOptionType::Mentionable => ("a member or role", "mention them or paste an id"),
        CommandOptionType::Attachment => {
            let how = format!("prefix commands cannot carry files, so use `/{slash}` instead");
            return ("a file", how);
        }
        _ => ("text", "type it after the command"),
    };
    let shown = |value: CommandOptionValue| match value {
        CommandOptionValue::Integer(n) => n.to_string(),
        CommandOptionValue::Number(n) => n.to_string(),
    };
    let (min, max) = if noun == "text" {
        let length = |n: Option<u16>| n.map(|n| n.to_string());
        (length(option.min_length), length(option.max_length))
    } else {
        (option.min_value.map(shown), option.max_value.map(shown))
    };
    let range = match (min, max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => return (noun, how.to_owned()),
    };
    match option.kind {
        CommandOptionType::Integer | CommandOptionType::Number => {
            (noun, format!("type {noun}, {range}"))
        }
        _ => (noun, format!("type {range} characters")),
    }
}

/// Converts and checks one value; the error is the message for [`PrefixError::Usage`].
pub(super) fn convert(
    option: &CommandOption,
    input: &str,
    slash: &str,
) -> Result<ArgValue, String> {
    let name = &option.name;
    let (noun, how) = expectation(option, slash);
    let not_a = || format!("`{}` is not {noun} for `{name}`: {how}.", echo(input));
    let out_of_range = || format!("`{}` is out of range for `{name}`: {how}.", echo(input));
    if input.trim().is_empty() {
        return Err(format!("`{name}` is empty: {how}."));
    }
    let choices = option.choices.as_deref().unwrap_or_default();
    // A choice is picked by its shown name or by its value.
    if let Some(choice) = choices.iter().find(|c| same_word(&c.name, input)) {
        return Ok(match &choice.value {
            CommandOptionChoiceValue::String(s) => ArgValue::String(s.clone()),
            CommandOptionChoiceValue::Integer(n) => ArgValue::Integer(*n),
            CommandOptionChoiceValue::Number(n) => ArgValue::Number(*n),
        });
    }
    let (value, given) = match option.kind {
        CommandOptionType::String => {
            let length = input.chars().count();
            let short = option
                .min_length
                .is_some_and(|min| length < usize::from(min));
            let long = option
                .max_length
                .is_some_and(|max| length > usize::from(max));
            if short || long {
                let which = if short { "too short" } else { "too long" };
                return Err(format!("`{name}` is {which} ({length} characters): {how}."));
            }
            if choices.is_empty() {
                return Ok(ArgValue::String(input.to_owned()));
            }
            let chosen = choices.iter().find_map(|c| match &c.value {
                CommandOptionChoiceValue::String(v) if same_word(v, input) => Some(v.clone()),
                _ => None,
            });
            return chosen.map(ArgValue::String).ok_or_else(not_a);
        }
        CommandOptionType::Integer => match input.parse::<i64>() {
            // Slash commands cannot carry more than Discord's ±2^53, so neither do prefix ones.
            Ok(n) if CommandOptionValue::INTEGER_RANGE.contains(&n) => {
                (ArgValue::Integer(n), n as f64)
            }
            Err(e)
                if !matches!(
                    e.kind(),
                    IntErrorKind::PosOverflow | IntErrorKind::NegOverflow
                ) =>
            {
                return Err(not_a())
            }
            _ => return Err(out_of_range()),
        },
        CommandOptionType::Number => match input.parse::<f64>() {
            Ok(n) if CommandOptionValue::NUMBER_RANGE.contains(&n) => (ArgValue::Number(n), n),
            Ok(n) if n.is_finite() => return Err(out_of_range()),
            // Rust also reads `inf` and `NaN`, which are no Discord number.
            _ => return Err(not_a()),
        },
        CommandOptionType::Boolean => match input.to_ascii_lowercase().as_str() {
            "yes" | "true" | "on" | "1" => return Ok(ArgValue::Boolean(true)),
            "no" | "false" | "off" | "0" => return Ok(ArgValue::Boolean(false)),
            _ => return Err(not_a()),
        },
        kind => return mention(kind, input).ok_or_else(not_a),
    };
    let as_f64 = |v: CommandOptionValue| match v {
        CommandOptionValue::Integer(n) => n as f64,
        CommandOptionValue::Number(n) => n,
    };
    let below = option.min_value.is_some_and(|min| given < as_f64(min));
    let above = option.max_value.is_some_and(|max| given > as_f64(max));
    if below || above {
        return Err(out_of_range());
    }
    let is_choice = |c: &CommandOptionChoiceValue| match *c {
        CommandOptionChoiceValue::Integer(n) => n as f64 == given,
        CommandOptionChoiceValue::Number(n) => n == given,
        CommandOptionChoiceValue::String(_) => false,
    };
    if !choices.is_empty() && !choices.iter().any(|c| is_choice(&c.value)) {
        return Err(format!(
            "`{}` is not a choice for `{name}`: {how}.",
            echo(input)
        ));
    }
    Ok(value)
}

/// A user, channel, role or mentionable from a mention or a raw id; `None` for anything else.
pub(super) fn mention(kind: CommandOptionType, input: &str) -> Option<ArgValue> {
    let id = |openers: &[&str]| snowflake(input, openers);
    match kind {
        CommandOptionType::User => id(&["<@!", "<@"])
            .and_then(Id::new_checked)
            .map(ArgValue::User),
        CommandOptionType::Channel => id(&["<#"]).and_then(Id::new_checked).map(ArgValue::Channel),
        CommandOptionType::Role => id(&["<@&"]).and_then(Id::new_checked).map(ArgValue::Role),
        CommandOptionType::Mentionable => id(&["<@!", "<@&", "<@"]).map(ArgValue::Mentionable),
        _ => None,
    }
}

/// The id in a mention (`<@123>`, `<#123>`, …, with one of `openers`) or a raw id.
pub(super) fn snowflake(input: &str, openers: &[&str]) -> Option<u64> {
    let digits = openers
        .iter()
        .find_map(|open| input.strip_prefix(open)?.strip_suffix('>'))
        .unwrap_or(input);
    // `u64::from_str` would also take a leading `+`; ids are digits only. Zero is no id.
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&id| id != 0)
}
