//! Fills a command's declared options from its words: positional, `name=value`, and the last
//! string option taking the rest of the line.

use arsenal_plugin_api::protocol::{Arg, ArgValue};
use twilight_model::application::command::{CommandOption, CommandOptionType};

use super::{
    conversion::{convert, expectation},
    echo, same_word,
    tokenizer::Token,
    PrefixError, Target,
};

/// The option a `name=value` word names, if it names one.
pub(super) fn named_field(fields: &[&CommandOption], token: &Token) -> Option<usize> {
    let (at, _) = token.equals?;
    let name = token.text.get(..at)?;
    fields.iter().position(|o| same_word(&o.name, name))
}

/// Fills `fields` from `tokens` (positional, by name, and the greedy last string option).
pub(super) fn fill(
    target: &Target<'_>,
    fields: &[&CommandOption],
    tokens: &[Token],
    text: &str,
) -> Result<Vec<Arg>, PrefixError> {
    let named: Vec<Option<usize>> = tokens.iter().map(|t| named_field(fields, t)).collect();
    let greedy = fields
        .iter()
        .rposition(|o| o.kind == CommandOptionType::String);
    let mut values: Vec<Option<ArgValue>> = vec![None; fields.len()];
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        let (field, single, raw_start) = match named.get(i).copied().flatten() {
            Some(field) => {
                let (at, raw_at) = token.equals.unwrap_or_default();
                (
                    field,
                    token.text.get(at + 1..).unwrap_or_default(),
                    raw_at + 1,
                )
            }
            None => {
                // Options named anywhere in the message are skipped by position.
                let open = (0..fields.len()).find(|&f| {
                    values.get(f).is_some_and(Option::is_none)
                        && !named.contains(&Some(f))
                        && fields
                            .get(f)
                            .is_some_and(|o| o.kind != CommandOptionType::Attachment)
                });
                let Some(field) = open else {
                    let extra = echo(text.get(token.start..).unwrap_or_default().trim_end());
                    let shown = target.shown();
                    return Err(target.usage_error(if fields.is_empty() {
                        format!("`{shown}` takes nothing after it; remove `{extra}`.")
                    } else {
                        format!("`{shown}` got more than it takes: `{extra}` is extra; put text with spaces in \"quotes\".")
                    }));
                };
                (field, token.text.as_str(), token.start)
            }
        };
        let Some(option) = fields.get(field) else {
            break;
        };
        if values.get(field).is_some_and(Option::is_some) {
            return Err(target.usage_error(format!(
                "`{}` is given twice; give it once, or put text containing `{}=` in \"quotes\".",
                option.name, option.name
            )));
        }
        // The greedy option runs to the next `name=value`, so later options stay reachable.
        let stop = if Some(field) == greedy {
            (i + 1..tokens.len())
                .find(|&j| named.get(j).copied().flatten().is_some())
                .unwrap_or(tokens.len())
        } else {
            i + 1
        };
        let input = match tokens.get(stop - 1) {
            Some(last) if stop > i + 1 => text.get(raw_start..last.end).unwrap_or_default().trim(),
            _ => single,
        };
        let value =
            convert(option, input, &target.path_text()).map_err(|m| target.usage_error(m))?;
        if let Some(slot) = values.get_mut(field) {
            *slot = Some(value);
        }
        i = stop;
    }

    let mut args = Vec::new();
    for (index, (option, value)) in fields.iter().zip(values).enumerate() {
        match value {
            Some(value) => args.push(Arg {
                name: option.name.clone(),
                value,
            }),
            None if option.required == Some(true) => {
                let (noun, how) = expectation(option, &target.path_text());
                let how = match greedy.and_then(|g| fields.get(g)) {
                    // Words after the greedy option went into it; only a name reaches this one.
                    Some(rest) if greedy < Some(index) => format!(
                        "write it as `{}=…`, since `{}` takes the rest of the line",
                        option.name, rest.name
                    ),
                    _ => how,
                };
                return Err(target.usage_error(format!(
                    "`{}` needs {noun} for `{}`: {how}.",
                    target.shown(),
                    option.name
                )));
            }
            None => {}
        }
    }
    Ok(args)
}
