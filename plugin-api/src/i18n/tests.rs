use twilight_model::application::command::{
    CommandOptionChoice, CommandOptionChoiceValue, CommandOptionType,
};

use super::{check::check, commands::localize_from as localize, pick, Arg, Locales, Texts};
use crate::manifest::{option, subcommand, CommandSpec};

const EN: &str = "
greet = Hello { $name }!
shop-items = { $count ->
    [one] one item
   *[other] { $count } items
}
only-english = Only in English
show = Settings
    .channel = Channel: { $channel }
";

const FR: &str = "
greet = Bonjour { $name } !
shop-items = { $count ->
    [one] un article
   *[other] { $count } articles
}
show = Réglages
    .channel = Salon : { $channel }
cmd-shop = boutique
    .description = La boutique
cmd-shop-buy = acheter
    .description = Acheter un article
cmd-shop-buy-item = article
    .description = Lequel
cmd-shop-buy-item-choice-rose = Une rose
";

static BOTH: Locales = Locales::new(&[("en", EN), ("fr", FR)]);

fn shop() -> CommandSpec {
    let mut item = option(CommandOptionType::String, "item", "Which", true);
    item.choices = Some(vec![CommandOptionChoice {
        name: "A rose".to_owned(),
        name_localizations: None,
        value: CommandOptionChoiceValue::String("rose".to_owned()),
    }]);
    CommandSpec::new("shop", "The shop").option(subcommand("buy", "Buy an item", vec![item]))
}

#[test]
fn the_member_then_the_server_then_the_first_language() {
    let tags = ["en", "fr"];
    assert_eq!(pick(tags, &[Some("fr"), Some("en-US")]), 1);
    assert_eq!(
        pick(tags, &[Some("es-ES"), Some("fr")]),
        1,
        "Spanish is not shipped: the server's French"
    );
    assert_eq!(
        pick(tags, &[Some("en-GB"), Some("fr")]),
        0,
        "en-GB is English"
    );
    assert_eq!(pick(tags, &[None, None]), 0);
    assert_eq!(pick(tags, &[Some("de")]), 0);
}

#[test]
fn texts_format_arguments_and_plurals_without_isolation_marks() {
    let texts = Texts::new(BOTH);
    let fr = texts.tr(&[Some("fr")]);
    assert_eq!(fr.locale(), "fr");
    assert_eq!(crate::tr!(fr, "greet", name = "<@5>"), "Bonjour <@5> !");
    let id = twilight_model::id::Id::<twilight_model::id::marker::UserMarker>::new(5);
    assert_eq!(crate::tr!(fr, "greet", name = id), "Bonjour 5 !");
    assert_eq!(crate::tr!(fr, "shop-items", count = 1), "un article");
    assert_eq!(crate::tr!(fr, "shop-items", count = 3_u64), "3 articles");
    assert_eq!(
        crate::tr!(fr, "show.channel", channel = "<#9>"),
        "Salon : <#9>"
    );
    let en = texts.tr(&[Some("en-US")]);
    assert_eq!(en.text("shop-items", &[("count", Arg::from(2))]), "2 items");
    // A text French lacks comes in English; one no language has is its id.
    assert_eq!(fr.t("only-english"), "Only in English");
    assert_eq!(fr.t("nowhere"), "nowhere");
}

#[test]
fn commands_get_discords_localisations_from_cmd_messages() {
    let mut commands = vec![shop()];
    localize(&mut commands, BOTH);
    let spec = &commands[0];
    assert_eq!(
        spec.name_localizations
            .as_ref()
            .and_then(|m| m.get("fr"))
            .map(String::as_str),
        Some("boutique")
    );
    assert_eq!(
        spec.description_localizations
            .as_ref()
            .and_then(|m| m.get("fr"))
            .map(String::as_str),
        Some("La boutique")
    );
    let buy = &spec.options[0];
    assert_eq!(
        buy.name_localizations
            .as_ref()
            .and_then(|m| m.get("fr"))
            .map(String::as_str),
        Some("acheter")
    );
    let item = &buy.options.as_ref().expect("options")[0];
    assert_eq!(
        item.description_localizations
            .as_ref()
            .and_then(|m| m.get("fr"))
            .map(String::as_str),
        Some("Lequel")
    );
    let choice = &item.choices.as_ref().expect("choices")[0];
    assert_eq!(
        choice
            .name_localizations
            .as_ref()
            .and_then(|m| m.get("fr"))
            .map(String::as_str),
        Some("Une rose")
    );

    // A second language written as a bare `en` becomes Discord's two English locales.
    let mut commands = vec![shop()];
    localize(
        &mut commands,
        Locales::new(&[
            ("fr", FR),
            ("en", "cmd-shop = shop\n    .description = The shop\n"),
        ]),
    );
    let names = commands[0].name_localizations.clone().unwrap_or_default();
    assert_eq!(names.keys().collect::<Vec<_>>(), ["en-GB", "en-US"]);
}

#[test]
fn compiled_command_texts_are_used_without_parsing_the_source() {
    // The French source has no `cmd-` entry: what localize finds comes from the compiled table.
    let locales = Locales::new(&[("en", EN), ("fr", "greet = Bonjour\n")]).with_command_texts(&[(
        "fr",
        &[
            ("cmd-shop", Some("magasin"), Some("Le magasin")),
            ("cmd-shop-buy", Some("payer"), None),
        ],
    )]);
    let mut commands = vec![shop()];
    localize(&mut commands, locales);
    let fr = |map: &Option<std::collections::BTreeMap<String, String>>| {
        map.as_ref().and_then(|m| m.get("fr")).cloned()
    };
    assert_eq!(
        fr(&commands[0].name_localizations).as_deref(),
        Some("magasin")
    );
    assert_eq!(
        fr(&commands[0].description_localizations).as_deref(),
        Some("Le magasin")
    );
    let buy = &commands[0].options[0];
    let buy_fr = buy.name_localizations.as_ref().and_then(|m| m.get("fr"));
    assert_eq!(buy_fr.map(String::as_str), Some("payer"));
    assert!(buy.description_localizations.is_none());
}

#[test]
fn only_the_command_entries_are_read_for_the_manifest() {
    let source = "greet = Bonjour\ncmd-shop = boutique\n    .description = La boutique\n\n    et plus\n# comment\nother = x\n    .attr = y\ncmd-shop-buy = acheter\n";
    assert_eq!(
        super::commands::command_entries(source),
        "cmd-shop = boutique\n    .description = La boutique\n\n    et plus\ncmd-shop-buy = acheter\n"
    );
}

#[test]
fn a_complete_set_has_no_problem() {
    let en_complete = EN.to_owned();
    let fr_complete = format!("{FR}only-english = Seulement en anglais\n");
    let locales = Locales::new(Box::leak(Box::new([
        ("en", &*Box::leak(en_complete.into_boxed_str())),
        ("fr", &*Box::leak(fr_complete.into_boxed_str())),
    ])));
    assert_eq!(check(locales, &[shop()]), Vec::<String>::new());
}

#[test]
fn every_missing_text_is_a_problem() {
    // French lacks `only-english`; a French text drops `$name`; a command option has no French
    // name; one `cmd-` names nothing; a file does not parse.
    let fr = FR.replace("Bonjour { $name } !", "Bonjour !").replace(
        "cmd-shop-buy-item = article\n    .description = Lequel\n",
        "",
    ) + "cmd-shop-sell = vendre\n    .description = Vendre\nbroken = { \n";
    let locales = Locales::new(Box::leak(Box::new([
        ("en", EN),
        ("fr", &*Box::leak(fr.into_boxed_str())),
    ])));
    let problems = check(locales, &[shop()]);
    let expect = [
        "fr.ftl lacks `only-english` (in en.ftl)",
        "fr.ftl: `greet` does not use `$name` (used in en.ftl)",
        "fr.ftl lacks `cmd-shop-buy-item` (a command name)",
        "fr.ftl: `cmd-shop-sell` names no command, option or choice",
        "fr.ftl does not parse",
    ];
    for expected in expect {
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "missing {expected:?} in {problems:#?}"
        );
    }
}

#[test]
fn a_cmd_option_without_description_is_a_problem() {
    let fr = FR.replace(
        "cmd-shop-buy = acheter\n    .description = Acheter un article\n",
        "cmd-shop-buy = acheter\n",
    );
    let locales = Locales::new(Box::leak(Box::new([
        ("en", EN),
        ("fr", &*Box::leak(fr.into_boxed_str())),
    ])));
    let problems = check(locales, &[shop()]);
    assert!(
        problems.contains(&"fr.ftl: `cmd-shop-buy` lacks `.description`".to_owned()),
        "{problems:#?}"
    );
}
