//! Prefix commands (`!name args…`): the one place that turns a chat message into the same
//! command shape a slash command yields, checked against the command's declared options.
//!
//! Rules, in the order they apply:
//! - The message starts with the guild's prefix (ASCII case ignored, so a phone's `Arsenal ping`
//!   works), then a command-shaped word. Anything else, like `! wow` or `!!!`, is
//!   [`PrefixError::NotACommand`] so that ordinary chat gets no reply.
//! - Command and subcommand names match case-insensitively; groups and subcommands are the
//!   leading words (`!ticket panel create #support`).
//! - The rest splits on whitespace; `"double quotes"` (and a phone's “smart quotes”) group
//!   words, `\"` is a literal quote, and an unclosed quote runs to the end of the message.
//! - Options fill in declared order; `name=value` fills any option by name; the last string
//!   option takes the rest of the line verbatim, up to the next `name=value`.
//! - Each value is converted and range-checked as Discord checks slash-command options.
//!
//! Error messages echo at most a short, backtick-free piece of the user's input; the caller still
//! sends replies with mentions disabled.

use std::fmt;
use std::num::IntErrorKind;

use arsenal_plugin_api::manifest::CommandSpec;
use arsenal_plugin_api::protocol::{Arg, ArgValue};
use twilight_model::application::command::{
    CommandOption, CommandOptionChoiceValue, CommandOptionType, CommandOptionValue,
};
use twilight_model::id::Id;

/// The prefix [`usage`] shows; the host's default when a guild has not set its own.
const DEFAULT_PREFIX: &str = "!";

/// How many names an [`PrefixError::UnknownCommand`] suggests at most.
const MAX_SUGGESTIONS: usize = 3;

/// A prefix command matched to its declaration, with every value converted and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCommand {
    /// The command's declared name (not as typed).
    pub name: String,
    /// Subcommand group and subcommand, outermost first, as declared.
    pub subcommand: Vec<String>,
    /// The given options, in declared order.
    pub args: Vec<Arg>,
}

/// Why a message is not a runnable prefix command.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PrefixError {
    /// Not addressed to the bot (no prefix, a bare prefix, chat like `! wow`): ignore it.
    NotACommand,
    /// The word after the prefix names no command.
    UnknownCommand {
        /// The name as typed.
        name: String,
        /// Up to three close command names, closest first.
        suggestions: Vec<String>,
    },
    /// The command exists but the words after it do not fit its options.
    Usage {
        /// Command and subcommand path as declared, without the prefix (`economy pay`).
        command: String,
        /// What is wrong and what to do, in one sentence.
        message: String,
        /// The command's usage line with the guild's prefix ([`usage_with_prefix`]).
        usage: String,
    },
}

impl fmt::Display for PrefixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotACommand => f.write_str("not a prefix command"),
            Self::UnknownCommand { name, suggestions } if suggestions.is_empty() => {
                write!(
                    f,
                    "there is no command `{}`; `/help` lists them",
                    echo(name)
                )
            }
            Self::UnknownCommand { name, suggestions } => write!(
                f,
                "there is no command `{}`; did you mean {}?",
                echo(name),
                or_list(suggestions)
            ),
            Self::Usage { message, usage, .. } => write!(f, "{message}\nUsage: `{usage}`"),
        }
    }
}

impl std::error::Error for PrefixError {}

/// Parses `content`, a whole message, as a prefix command.
///
/// `prefix` is the guild's prefix (`!`, `?`, `arsenal `); `commands` are the prefix-enabled
/// commands of every loaded plugin plus the host's built-ins.
///
/// # Errors
///
/// [`PrefixError::NotACommand`] when the message is not addressed to the bot,
/// [`PrefixError::UnknownCommand`] when no command has that name, and [`PrefixError::Usage`]
/// when the subcommand or a value is missing, unknown, malformed or out of range.
pub fn parse(
    content: &str,
    prefix: &str,
    commands: &[&CommandSpec],
) -> Result<ParsedCommand, PrefixError> {
    let rest = strip_prefix(content, prefix).ok_or(PrefixError::NotACommand)?;
    let (typed, args_text) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let Some(spec) = commands.iter().copied().find(|c| same_word(&c.name, typed)) else {
        if !looks_like_command(typed) {
            return Err(PrefixError::NotACommand);
        }
        return Err(PrefixError::UnknownCommand {
            name: typed.to_owned(),
            suggestions: closest(typed, commands.iter().map(|c| c.name.as_str())),
        });
    };

    let tokens = tokenize(args_text);
    let mut target = Target {
        prefix,
        spec,
        path: Vec::new(),
    };
    let mut options = spec.options.as_slice();
    let mut next = 0;
    // Discord does not mix subcommands with values on one level; when both are declared, the
    // subcommands win, as they would on Discord's side.
    loop {
        let subs = subcommands(options);
        if subs.is_empty() {
            break;
        }
        let names: Vec<&str> = subs.iter().map(|o| o.name.as_str()).collect();
        let Some(token) = tokens.get(next) else {
            return Err(target.usage_error(format!(
                "`{}` needs a subcommand: {}.",
                target.shown(),
                or_list(&names)
            )));
        };
        let Some(sub) = subs.iter().find(|o| same_word(&o.name, &token.text)) else {
            let hint = match closest(&token.text, names.iter().copied()).first() {
                Some(near) => format!("did you mean `{near}`? "),
                None => String::new(),
            };
            return Err(target.usage_error(format!(
                "`{}` has no subcommand `{}`; {hint}pick one of {}.",
                target.shown(),
                echo(&token.text),
                or_list(&names)
            )));
        };
        target.path.push(sub.name.clone());
        options = sub.options.as_deref().unwrap_or_default();
        next += 1;
    }

    let fields: Vec<&CommandOption> = options.iter().filter(|o| !is_subcommand(o)).collect();
    let args = fill(
        &target,
        &fields,
        tokens.get(next..).unwrap_or_default(),
        args_text,
    )?;
    Ok(ParsedCommand {
        name: spec.name.clone(),
        subcommand: target.path,
        args,
    })
}

/// The usage line of a command or subcommand with the default `!` prefix, like
/// `!economy pay <member> <amount> [note]` (required `<>`, optional `[]`).
///
/// Where a subcommand is still to be chosen, lists the choices: `!economy <balance|pay>`.
/// Prefer [`usage_with_prefix`] when the guild's prefix is at hand.
#[must_use]
pub fn usage(spec: &CommandSpec, subcommand: &[String]) -> String {
    usage_with_prefix(DEFAULT_PREFIX, spec, subcommand)
}

/// [`usage`] with the guild's own prefix.
#[must_use]
pub fn usage_with_prefix(prefix: &str, spec: &CommandSpec, subcommand: &[String]) -> String {
    let mut line = shown_name(prefix, &spec.name);
    let mut options = spec.options.as_slice();
    let mut wanted = subcommand.iter();
    loop {
        let subs = subcommands(options);
        if subs.is_empty() {
            break;
        }
        let chosen = wanted
            .next()
            .and_then(|name| subs.iter().find(|o| same_word(&o.name, name)));
        let Some(sub) = chosen else {
            let names: Vec<&str> = subs.iter().map(|o| o.name.as_str()).collect();
            line.push_str(&format!(" <{}>", names.join("|")));
            return line;
        };
        line.push(' ');
        line.push_str(&sub.name);
        options = sub.options.as_deref().unwrap_or_default();
    }
    // Files cannot be typed into a message, so they are not part of the prefix form.
    for option in options
        .iter()
        .filter(|o| !is_subcommand(o) && o.kind != CommandOptionType::Attachment)
    {
        if option.required == Some(true) {
            line.push_str(&format!(" <{}>", option.name));
        } else {
            line.push_str(&format!(" [{}]", option.name));
        }
    }
    line
}

/// The command being parsed, for error messages.
struct Target<'a> {
    prefix: &'a str,
    spec: &'a CommandSpec,
    path: Vec<String>,
}

impl Target<'_> {
    /// The declared path without the prefix: `economy pay`.
    fn path_text(&self) -> String {
        let mut path = self.spec.name.clone();
        for sub in &self.path {
            path.push(' ');
            path.push_str(sub);
        }
        path
    }

    /// How the user would type it: `!economy pay`.
    fn shown(&self) -> String {
        shown_name(self.prefix, &self.path_text())
    }

    fn usage_error(&self, message: String) -> PrefixError {
        PrefixError::Usage {
            command: self.path_text(),
            message,
            usage: usage_with_prefix(self.prefix, self.spec, &self.path),
        }
    }
}

/// A word-like prefix (`arsenal`) needs a space before the command name.
fn shown_name(prefix: &str, name: &str) -> String {
    if prefix.ends_with(char::is_alphanumeric) {
        format!("{prefix} {name}")
    } else {
        format!("{prefix}{name}")
    }
}

/// The text after the prefix and any space allowed after it, when the message is addressed to
/// the bot.
fn strip_prefix<'a>(content: &'a str, prefix: &str) -> Option<&'a str> {
    // An empty prefix would make every message in the guild a command attempt.
    if prefix.trim().is_empty() {
        return None;
    }
    let content = content.trim_start();
    let head = content.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = content.get(prefix.len()..)?;
    let spaced = rest.starts_with(char::is_whitespace);
    // A symbol prefix is chat when a space follows (`! wow`, `? ok`); a word prefix is chat
    // when none does (`arsenals are…`); a mention or `a!` prefix reads fine either way.
    if prefix.chars().all(|c| c.is_ascii_punctuation()) && spaced {
        return None;
    }
    if prefix.ends_with(char::is_alphanumeric) && !spaced {
        return None;
    }
    let rest = rest.trim_start();
    (!rest.is_empty()).then_some(rest)
}

/// Whether an unmatched word is worth an "unknown command" reply rather than silence.
fn looks_like_command(word: &str) -> bool {
    word.chars().any(char::is_alphabetic)
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

fn is_subcommand(option: &CommandOption) -> bool {
    matches!(
        option.kind,
        CommandOptionType::SubCommand | CommandOptionType::SubCommandGroup
    )
}

fn subcommands(options: &[CommandOption]) -> Vec<&CommandOption> {
    options.iter().filter(|o| is_subcommand(o)).collect()
}

/// Case-insensitive comparison that is also right outside ASCII.
fn same_word(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// One word of the arguments.
#[derive(Debug)]
struct Token {
    /// Byte range of the raw word in the argument text, quotes included.
    start: usize,
    end: usize,
    /// The word with quotes removed and `\"` unescaped.
    text: String,
    /// The first `=` outside quotes: its byte index in `text` and in the argument text.
    equals: Option<(usize, usize)>,
}

fn is_quote(c: char) -> bool {
    // Phones turn `"` into “ and ” as the user types.
    matches!(c, '"' | '“' | '”')
}

fn tokenize(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut token = Token {
            start,
            end: start,
            text: String::new(),
            equals: None,
        };
        let mut quoted = false;
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() && !quoted {
                break;
            }
            chars.next();
            token.end = at + c.len_utf8();
            if c == '\\' {
                if let Some((at, quote)) = chars.next_if(|&(_, next)| is_quote(next)) {
                    token.text.push(quote);
                    token.end = at + quote.len_utf8();
                    continue;
                }
            }
            if is_quote(c) {
                quoted = !quoted;
                continue;
            }
            if c == '=' && !quoted && token.equals.is_none() {
                token.equals = Some((token.text.len(), at));
            }
            token.text.push(c);
        }
        tokens.push(token);
    }
    tokens
}

/// The option a `name=value` word names, if it names one.
fn named_field(fields: &[&CommandOption], token: &Token) -> Option<usize> {
    let (at, _) = token.equals?;
    let name = token.text.get(..at)?;
    fields.iter().position(|o| same_word(&o.name, name))
}

/// Fills `fields` from `tokens` (positional, by name, and the greedy last string option).
fn fill(
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

/// What an option takes ("a member") and how to give it ("mention them (@name) or …").
///
/// `slash` is the command path, for pointing file options at the slash command.
fn expectation(option: &CommandOption, slash: &str) -> (&'static str, String) {
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
fn convert(option: &CommandOption, input: &str, slash: &str) -> Result<ArgValue, String> {
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
fn mention(kind: CommandOptionType, input: &str) -> Option<ArgValue> {
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
fn snowflake(input: &str, openers: &[&str]) -> Option<u64> {
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

/// Up to [`MAX_SUGGESTIONS`] of `names` that `typed` may be a typo or a start of, closest first.
fn closest<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let typed: Vec<char> = typed.chars().flat_map(char::to_lowercase).collect();
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|name| {
            let lower: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
            let distance = edit_distance(&typed, &lower);
            let common = typed.iter().zip(&lower).take_while(|(a, b)| a == b).count();
            // Short words are close to everything: `econ` is three edits from `ban`.
            let shorter = typed.len().min(lower.len());
            let typo = distance <= (shorter / 2).clamp(1, 3);
            let start = common >= 3 || (common >= 2 && common == typed.len().min(lower.len()));
            (typo || start).then_some((distance, name))
        })
        .collect();
    scored.sort_unstable();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, name)| name.to_owned())
        .collect()
}

/// Optimal string alignment distance: like Levenshtein, plus a swapped pair (`mdoule`) is one
/// typo.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i][j] = if i == 0 || j == 0 {
                i + j
            } else {
                let substitute = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
                let mut best = substitute.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len()][b.len()]
}

/// A short, backtick-free copy of user input for an error message.
fn echo(input: &str) -> String {
    const MAX: usize = 40;
    let mut shown: String = input
        .chars()
        .take(MAX)
        // Newlines would break the error's two-line shape; backticks its code span.
        .map(|c| match c {
            '`' => '\'',
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        })
        .collect();
    if input.chars().nth(MAX).is_some() {
        shown.push('…');
    }
    shown
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn or_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use twilight_model::application::command::CommandOptionChoice;
    use CommandOptionType as Kind;

    fn opt(kind: Kind, name: &str, required: bool) -> CommandOption {
        CommandOption {
            autocomplete: None,
            channel_types: None,
            choices: None,
            description: format!("the {name}"),
            description_localizations: None,
            kind,
            max_length: None,
            max_value: None,
            min_length: None,
            min_value: None,
            name: name.to_owned(),
            name_localizations: None,
            options: None,
            file_types: None,
            required: Some(required),
        }
    }

    fn group(kind: Kind, name: &str, options: Vec<CommandOption>) -> CommandOption {
        CommandOption {
            options: Some(options),
            required: None,
            ..opt(kind, name, false)
        }
    }

    fn choice(name: &str, value: CommandOptionChoiceValue) -> CommandOptionChoice {
        CommandOptionChoice {
            name: name.to_owned(),
            name_localizations: None,
            value,
        }
    }

    fn command(name: &str, options: Vec<CommandOption>) -> CommandSpec {
        let mut spec = CommandSpec::new(name, format!("{name} things")).with_prefix();
        spec.options = options;
        spec
    }

    fn specs() -> Vec<CommandSpec> {
        let amount = CommandOption {
            min_value: Some(CommandOptionValue::Integer(1)),
            ..opt(Kind::Integer, "amount", true)
        };
        let level = CommandOption {
            choices: Some(vec![
                choice("Very high", CommandOptionChoiceValue::String("vh".into())),
                choice("Low", CommandOptionChoiceValue::String("low".into())),
            ]),
            ..opt(Kind::String, "level", false)
        };
        let size = CommandOption {
            choices: Some(vec![
                choice("small", CommandOptionChoiceValue::Integer(1)),
                choice("big", CommandOptionChoiceValue::Integer(10)),
            ]),
            ..opt(Kind::Integer, "size", false)
        };
        let days = CommandOption {
            min_value: Some(CommandOptionValue::Integer(0)),
            max_value: Some(CommandOptionValue::Integer(7)),
            ..opt(Kind::Integer, "days", false)
        };
        let factor = CommandOption {
            min_value: Some(CommandOptionValue::Number(0.5)),
            max_value: Some(CommandOptionValue::Integer(10)),
            ..opt(Kind::Number, "factor", true)
        };
        let nick = CommandOption {
            min_length: Some(2),
            max_length: Some(5),
            ..opt(Kind::String, "nick", true)
        };
        vec![
            command(
                "economy",
                vec![
                    group(
                        Kind::SubCommand,
                        "balance",
                        vec![opt(Kind::User, "member", false)],
                    ),
                    group(
                        Kind::SubCommand,
                        "pay",
                        vec![
                            opt(Kind::User, "member", true),
                            amount,
                            opt(Kind::String, "note", false),
                        ],
                    ),
                ],
            ),
            command(
                "module",
                vec![
                    group(Kind::SubCommand, "list", vec![]),
                    group(
                        Kind::SubCommand,
                        "reload",
                        vec![opt(Kind::String, "module", true)],
                    ),
                ],
            ),
            command(
                "ticket",
                vec![
                    group(
                        Kind::SubCommandGroup,
                        "panel",
                        vec![
                            group(
                                Kind::SubCommand,
                                "create",
                                vec![
                                    opt(Kind::Channel, "channel", true),
                                    opt(Kind::String, "title", false),
                                ],
                            ),
                            group(Kind::SubCommand, "delete", vec![]),
                        ],
                    ),
                    group(
                        Kind::SubCommand,
                        "close",
                        vec![opt(Kind::String, "reason", false)],
                    ),
                ],
            ),
            command(
                "warn",
                vec![
                    opt(Kind::User, "member", true),
                    opt(Kind::String, "reason", true),
                ],
            ),
            command(
                "ban",
                vec![
                    opt(Kind::User, "member", true),
                    opt(Kind::String, "reason", false),
                    days,
                ],
            ),
            command("set", vec![opt(Kind::Boolean, "flag", true)]),
            command("config", vec![level, size]),
            command("ping", vec![]),
            command(
                "give",
                vec![
                    opt(Kind::Mentionable, "target", true),
                    opt(Kind::Role, "role", false),
                ],
            ),
            command("scale", vec![factor]),
            command("nick", vec![nick, opt(Kind::Integer, "extra", false)]),
            command("upload", vec![opt(Kind::Attachment, "file", true)]),
            command(
                "remind",
                vec![
                    opt(Kind::String, "text", true),
                    opt(Kind::Integer, "minutes", true),
                ],
            ),
        ]
    }

    fn run(content: &str) -> Result<ParsedCommand, PrefixError> {
        let specs = specs();
        let refs: Vec<&CommandSpec> = specs.iter().collect();
        parse(content, "!", &refs)
    }

    fn ok(content: &str) -> ParsedCommand {
        run(content).unwrap_or_else(|e| panic!("{content:?}: {e}"))
    }

    fn usage_message(content: &str) -> String {
        match run(content) {
            Err(PrefixError::Usage { message, .. }) => message,
            other => panic!("{content:?}: expected a usage error, got {other:?}"),
        }
    }

    fn arg(parsed: &ParsedCommand, name: &str) -> ArgValue {
        parsed
            .args
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.clone())
            .unwrap_or_else(|| panic!("no {name} in {parsed:?}"))
    }

    fn text(s: &str) -> ArgValue {
        ArgValue::String(s.to_owned())
    }

    fn user(id: u64) -> ArgValue {
        ArgValue::User(Id::new(id))
    }

    #[test]
    fn messages_not_addressed_to_the_bot_are_not_commands() {
        for content in [
            "",
            "hello",
            "!",
            "  !  ",
            "! ping",
            "!!!",
            "!?",
            "!100",
            "?ping",
            "ping!",
            "!\"ping\"",
        ] {
            assert_eq!(run(content), Err(PrefixError::NotACommand), "{content:?}");
        }
        let specs = specs();
        let refs: Vec<&CommandSpec> = specs.iter().collect();
        assert_eq!(parse("!ping", "", &refs), Err(PrefixError::NotACommand));
        assert_eq!(
            parse("arsenalping", "arsenal", &refs),
            Err(PrefixError::NotACommand)
        );
        assert_eq!(parse("ünicode", "ü", &refs), Err(PrefixError::NotACommand));
    }

    #[test]
    fn prefixes_of_every_shape_are_accepted() {
        let specs = specs();
        let refs: Vec<&CommandSpec> = specs.iter().collect();
        for (content, prefix) in [
            ("?ping", "?"),
            ("  !ping", "!"),
            ("arsenal ping", "arsenal "),
            ("Arsenal   ping", "arsenal "),
            ("arsenal ping", "arsenal"),
            ("<@42> ping", "<@42>"),
            ("<@42>ping", "<@42>"),
            ("a! ping", "a!"),
            ("€ping", "€"),
            ("€ ping", "€"),
        ] {
            let parsed = parse(content, prefix, &refs);
            assert_eq!(parsed.map(|p| p.name), Ok("ping".to_owned()), "{content:?}");
        }
    }

    #[test]
    fn command_and_subcommand_names_match_case_insensitively() {
        let parsed = ok("!ECONOMY Pay <@5> 10");
        assert_eq!(parsed.name, "economy");
        assert_eq!(parsed.subcommand, ["pay"]);
        assert_eq!(ok("!PiNg").name, "ping");
    }

    #[test]
    fn quotes_group_words_and_escapes_keep_quotes() {
        assert_eq!(
            arg(&ok("!module reload \"two words\""), "module"),
            text("two words")
        );
        assert_eq!(
            arg(&ok(r#"!module reload "say \"hi\"""#), "module"),
            text(r#"say "hi""#)
        );
        assert_eq!(
            arg(&ok("!module reload “smart quotes”"), "module"),
            text("smart quotes")
        );
        // An unclosed quote runs to the end rather than failing.
        assert_eq!(
            arg(&ok("!remind minutes=5 \"never closed"), "text"),
            text("never closed")
        );
        let tokens = tokenize(r#"a "b c"d e\"f"#);
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["a", "b cd", "e\"f"]);
    }

    #[test]
    fn subcommands_and_groups_are_leading_words() {
        let parsed = ok("!module reload economy");
        assert_eq!(
            (parsed.subcommand.as_slice(), parsed.args.len()),
            (&["reload".to_owned()][..], 1)
        );
        assert_eq!(arg(&parsed, "module"), text("economy"));
        let parsed = ok("!ticket panel create <#123>");
        assert_eq!(parsed.subcommand, ["panel", "create"]);
        assert_eq!(arg(&parsed, "channel"), ArgValue::Channel(Id::new(123)));
        assert_eq!(ok("!ticket close").subcommand, ["close"]);
        assert_eq!(ok("!module list").args, []);
    }

    #[test]
    fn a_missing_or_unknown_subcommand_lists_the_valid_ones() {
        let err = run("!economy").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`!economy` needs a subcommand: `balance` or `pay`.\nUsage: `!economy <balance|pay>`"
        );
        let message = usage_message("!economy pya");
        assert!(message.contains("did you mean `pay`?"), "{message}");
        assert!(message.contains("`balance` or `pay`"), "{message}");
        let message = usage_message("!ticket panel");
        assert!(message.contains("`create` or `delete`"), "{message}");
        match run("!ticket panel nope") {
            Err(PrefixError::Usage { command, usage, .. }) => {
                assert_eq!(command, "ticket panel");
                assert_eq!(usage, "!ticket panel <create|delete>");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_last_string_option_takes_the_rest_of_the_line_verbatim() {
        let parsed = ok("!warn <@7> spamming in   #general \"a lot\"");
        assert_eq!(arg(&parsed, "member"), user(7));
        assert_eq!(
            arg(&parsed, "reason"),
            text("spamming in   #general \"a lot\"")
        );
        let parsed = ok("!warn 7 line one\nline two");
        assert_eq!(arg(&parsed, "reason"), text("line one\nline two"));
        // A single quoted word is unquoted; by name, the rest of the line still follows.
        assert_eq!(arg(&ok("!warn 7 \"quoted\""), "reason"), text("quoted"));
        assert_eq!(
            arg(&ok("!warn reason=being rude member=7"), "reason"),
            text("being rude")
        );
        assert_eq!(
            arg(&ok("!economy pay <@1> 5 thanks for lunch"), "note"),
            text("thanks for lunch")
        );
    }

    #[test]
    fn name_equals_value_fills_any_option_in_any_order() {
        let parsed = ok("!economy pay amount=5 member=<@1>");
        assert_eq!(
            parsed.args,
            [
                Arg {
                    name: "member".into(),
                    value: user(1)
                },
                Arg {
                    name: "amount".into(),
                    value: ArgValue::Integer(5)
                },
            ]
        );
        // Named options are skipped by position; the greedy text stops at the next name.
        let parsed = ok("!ban days=3 <@9> spam links");
        assert_eq!(arg(&parsed, "reason"), text("spam links"));
        let parsed = ok("!ban <@9> spam links DAYS=2");
        assert_eq!(
            (arg(&parsed, "reason"), arg(&parsed, "days")),
            (text("spam links"), ArgValue::Integer(2))
        );
        assert_eq!(arg(&ok("!ban 9 note=x y"), "reason"), text("note=x y"));
        assert_eq!(arg(&ok("!ban 9 \"days=3\""), "reason"), text("days=3"));
        assert!(usage_message("!ban 9 days=1 days=2").contains("`days` is given twice"));
    }

    #[test]
    fn strings_check_length_and_choices() {
        assert_eq!(arg(&ok("!nick abc"), "nick"), text("abc"));
        assert!(usage_message("!nick a").contains("too short (1 characters): type 2 to 5"));
        assert!(usage_message("!nick abcdef").contains("too long (6 characters)"));
        assert_eq!(arg(&ok("!nick ééé"), "nick"), text("ééé"));
        assert_eq!(arg(&ok("!config very high"), "level"), text("vh"));
        assert_eq!(arg(&ok("!config level=LOW"), "level"), text("low"));
        assert_eq!(arg(&ok("!config level=vh"), "level"), text("vh"));
        let message = usage_message("!config level=medium");
        assert_eq!(
            message,
            "`medium` is not a choice for `level`: pick one of `Very high` or `Low`."
        );
    }

    #[test]
    fn numbers_check_form_range_and_choices() {
        assert_eq!(
            arg(&ok("!economy pay 1 +250"), "amount"),
            ArgValue::Integer(250)
        );
        assert!(usage_message("!economy pay 1 0")
            .contains("out of range for `amount`: type a whole number, at least 1"));
        assert!(usage_message("!economy pay 1 lots").contains("`lots` is not a whole number"));
        assert!(usage_message("!economy pay 1 2.5").contains("not a whole number"));
        assert!(usage_message("!economy pay 1 99999999999999999999999").contains("out of range"));
        assert!(usage_message("!economy pay 1 9007199254740992").contains("out of range"));
        assert!(usage_message("!ban 1 days=8").contains("type a whole number, 0 to 7"));
        assert_eq!(arg(&ok("!config size=big"), "size"), ArgValue::Integer(10));
        assert_eq!(arg(&ok("!config size=1"), "size"), ArgValue::Integer(1));
        assert!(usage_message("!config size=2")
            .contains("not a choice for `size`: pick one of `small` or `big`"));
        assert_eq!(arg(&ok("!scale 2.5"), "factor"), ArgValue::Number(2.5));
        assert_eq!(arg(&ok("!scale 1e1"), "factor"), ArgValue::Number(10.0));
        for bad in ["NaN", "inf", "-infinity", "two"] {
            assert!(
                usage_message(&format!("!scale {bad}")).contains("is not a number"),
                "{bad}"
            );
        }
        assert!(usage_message("!scale 0.1")
            .contains("out of range for `factor`: type a number, 0.5 to 10"));
        assert!(usage_message("!scale 1e300").contains("out of range"));
    }

    #[test]
    fn booleans_take_the_usual_words() {
        for (word, value) in [
            ("yes", true),
            ("No", false),
            ("TRUE", true),
            ("false", false),
            ("on", true),
            ("off", false),
            ("1", true),
            ("0", false),
        ] {
            assert_eq!(
                arg(&ok(&format!("!set {word}")), "flag"),
                ArgValue::Boolean(value),
                "{word}"
            );
        }
        assert_eq!(
            usage_message("!set maybe"),
            "`maybe` is not yes or no for `flag`: type yes or no."
        );
    }

    #[test]
    fn mentions_and_ids_convert_by_kind() {
        for input in ["<@12>", "<@!12>", "12"] {
            assert_eq!(
                arg(&ok(&format!("!warn {input} x")), "member"),
                user(12),
                "{input}"
            );
        }
        for bad in [
            "<@&12>",
            "<#12>",
            "-12",
            "0",
            "<@0>",
            "+12",
            "<@12",
            "bob",
            "99999999999999999999",
        ] {
            let message = usage_message(&format!("!warn {bad} x"));
            assert!(
                message.ends_with(
                    "is not a member for `member`: mention them (@name) or paste their id."
                ),
                "{message}"
            );
        }
        assert_eq!(
            arg(&ok("!ticket panel create 55"), "channel"),
            ArgValue::Channel(Id::new(55))
        );
        assert!(usage_message("!ticket panel create <@55>").contains("not a channel"));
        let parsed = ok("!give <@&3> <@&4>");
        assert_eq!(
            (arg(&parsed, "target"), arg(&parsed, "role")),
            (ArgValue::Mentionable(3), ArgValue::Role(Id::new(4)))
        );
        for input in ["<@3>", "<@!3>", "3"] {
            assert_eq!(
                arg(&ok(&format!("!give {input}")), "target"),
                ArgValue::Mentionable(3)
            );
        }
        assert!(usage_message("!give 3 <@4>").contains("not a role for `role`"));
        assert!(usage_message("!give <#3>").contains("not a member or role"));
    }

    #[test]
    fn missing_and_extra_values_are_usage_errors() {
        let err = run("!economy pay").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`!economy pay` needs a member for `member`: mention them (@name) or paste their id.\n\
             Usage: `!economy pay <member> <amount> [note]`"
        );
        assert_eq!(
            usage_message("!economy pay <@1>"),
            "`!economy pay` needs a whole number for `amount`: type a whole number, at least 1."
        );
        // Whatever follows the greedy text went into it, so the hint is the name form.
        assert_eq!(
            usage_message("!remind buy milk 10"),
            "`!remind` needs a whole number for `minutes`: write it as `minutes=…`, since `text` takes the rest of the line."
        );
        assert_eq!(
            arg(&ok("!remind buy milk minutes=10"), "text"),
            text("buy milk")
        );
        assert_eq!(
            usage_message("!ping hello there"),
            "`!ping` takes nothing after it; remove `hello there`."
        );
        assert!(usage_message("!set yes no").contains("`no` is extra"));
        assert!(usage_message("!economy pay 1 amount=").contains("`amount` is empty"));
        assert!(usage_message("!warn 1 \"\"").contains("`reason` is empty"));
    }

    #[test]
    fn files_point_at_the_slash_command() {
        assert_eq!(
            run("!upload").unwrap_err().to_string(),
            "`!upload` needs a file for `file`: prefix commands cannot carry files, so use `/upload` instead.\nUsage: `!upload`"
        );
        assert!(usage_message("!upload file=x").contains("use `/upload` instead"));
        assert!(usage_message("!upload x").contains("`x` is extra"));
    }

    #[test]
    fn unknown_commands_suggest_close_names() {
        let suggested = |content: &str| match run(content) {
            Err(PrefixError::UnknownCommand { suggestions, .. }) => suggestions,
            other => panic!("{content:?}: {other:?}"),
        };
        assert_eq!(suggested("!modul"), ["module"]);
        assert_eq!(suggested("!mdoule reload x"), ["module"]);
        assert_eq!(suggested("!econ"), ["economy"]);
        assert_eq!(suggested("!xyzzy"), Vec::<String>::new());
        assert!(suggested("!bn").len() <= MAX_SUGGESTIONS);
        assert_eq!(suggested("!ben")[0], "ban");
        assert_eq!(
            run("!modul").unwrap_err().to_string(),
            "there is no command `modul`; did you mean `module`?"
        );
        assert_eq!(
            run("!xyzzy").unwrap_err().to_string(),
            "there is no command `xyzzy`; `/help` lists them"
        );
        let err = PrefixError::UnknownCommand {
            name: "a`b".into(),
            suggestions: vec!["x".into(), "y".into(), "z".into()],
        };
        assert_eq!(
            err.to_string(),
            "there is no command `a'b`; did you mean `x`, `y` or `z`?"
        );
        assert_eq!(edit_distance(&['a', 'b'], &['b', 'a']), 1);
    }

    #[test]
    fn usage_lines_show_required_optional_and_subcommand_choices() {
        let specs = specs();
        let spec = |name: &str| specs.iter().find(|s| s.name == name).unwrap();
        let path = |words: &[&str]| words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            usage(spec("economy"), &path(&["pay"])),
            "!economy pay <member> <amount> [note]"
        );
        assert_eq!(usage(spec("economy"), &[]), "!economy <balance|pay>");
        assert_eq!(
            usage(spec("economy"), &path(&["nope"])),
            "!economy <balance|pay>"
        );
        assert_eq!(
            usage(spec("ticket"), &path(&["PANEL"])),
            "!ticket panel <create|delete>"
        );
        assert_eq!(
            usage(spec("ticket"), &path(&["panel", "create"])),
            "!ticket panel create <channel> [title]"
        );
        assert_eq!(
            usage_with_prefix("arsenal", spec("ping"), &[]),
            "arsenal ping"
        );
        assert_eq!(
            usage_with_prefix("?", spec("ban"), &[]),
            "?ban <member> [reason] [days]"
        );
    }

    #[test]
    fn errors_use_the_guilds_prefix() {
        let specs = specs();
        let refs: Vec<&CommandSpec> = specs.iter().collect();
        let err = parse("arsenal economy pay", "arsenal ", &refs).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("`arsenal economy pay` needs a member"),
            "{err}"
        );
        assert!(
            err.to_string()
                .ends_with("Usage: `arsenal economy pay <member> <amount> [note]`"),
            "{err}"
        );
    }

    #[test]
    fn odd_inputs_never_panic() {
        const PIECES: &[&str] = &[
            "",
            " ",
            "!",
            "\"",
            "\\",
            "\\\"",
            "“",
            "”",
            "=",
            "==",
            "economy",
            "pay",
            "ticket",
            "panel",
            "create",
            "<@",
            "<@!",
            "<@&",
            "<#",
            ">",
            "<@123>",
            "-1",
            "0",
            "18446744073709551616",
            "99999999999999999999999999",
            "1e308",
            "-1e999",
            "NaN",
            "é",
            "🦀",
            "\u{200b}",
            "\n",
            "\t",
            "member=",
            "amount=",
            "days=",
            "reason=",
            "text=",
            "`",
            "yes",
            "abc",
            "ü",
            "ß",
            "İ",
            "ping",
            "set",
            "give",
            "scale",
            "nick",
            "upload",
            "remind",
            "config",
            "warn",
            "ban",
            "modul",
        ];
        let specs = specs();
        let refs: Vec<&CommandSpec> = specs.iter().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..20_000 {
            let mut content = String::new();
            for _ in 0..next() % 12 {
                content.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
                if next() % 3 == 0 {
                    content.push(' ');
                }
            }
            let prefix = ["!", "arsenal ", "ü", "<@42>", "?"][round % 5];
            for content in [
                content.clone(),
                format!("{prefix}{content}"),
                "!".repeat(round % 7),
            ] {
                match parse(&content, prefix, &refs) {
                    Ok(parsed) => assert!(refs.iter().any(|s| s.name == parsed.name)),
                    Err(err @ PrefixError::Usage { .. }) => {
                        let shown = err.to_string();
                        assert_eq!(shown.lines().count(), 2, "{content:?}: {shown}");
                    }
                    Err(err) => drop(err.to_string()),
                }
            }
        }
        let huge = format!("!warn 1 {}", "\"a ".repeat(10_000));
        assert!(run(&huge).is_ok());
        assert!(run(&format!("!{}", "a".repeat(5_000))).is_err());
    }
}
