//! Tests of the prefix parser: the commands they parse against and helpers; the tests are in
//! `matching` (prefixes, names, words, subcommands, options) and `values` (conversion, errors,
//! usage lines).

mod matching;
mod values;

use super::*;
use arsenal_plugin_api::protocol::ArgValue;
use twilight_model::application::command::{
    CommandOptionChoice, CommandOptionChoiceValue, CommandOptionValue,
};
use twilight_model::id::Id;
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
