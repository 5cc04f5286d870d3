//! Tests of the prefix parser: matching, tokenizing, filling, converting and the messages.

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
    assert!(
        usage_message("!scale 0.1").contains("out of range for `factor`: type a number, 0.5 to 10")
    );
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
            message
                .ends_with("is not a member for `member`: mention them (@name) or paste their id."),
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
