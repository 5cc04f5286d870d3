//! Values and messages: conversion and range checks, usage errors, suggestions, usage lines.

use super::*;

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
