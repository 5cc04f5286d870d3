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

mod arguments;
mod conversion;
mod suggestions;
#[cfg(test)]
mod tests;
mod tokenizer;

use std::fmt;

use arsenal_plugin_api::manifest::CommandSpec;
use arsenal_plugin_api::protocol::Arg;
use twilight_model::application::command::{CommandOption, CommandOptionType};

use arguments::fill;
use suggestions::closest;
#[cfg(test)]
use suggestions::edit_distance;
use tokenizer::tokenize;

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
