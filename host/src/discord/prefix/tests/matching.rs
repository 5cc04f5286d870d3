//! Matching a message to a command: prefixes, names, quoting, subcommands and options.

use super::*;

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
