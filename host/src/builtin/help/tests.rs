//! The help's texts, what it lists for whom, and how it renders.

use arsenal_plugin_api::{
    i18n::check::check,
    manifest::{option, subcommand},
    model::{application::command::CommandOptionType, guild::Permissions, id::Id},
    CommandSpec,
};

use super::*;
use crate::discord::registry::Audience;

#[test]
fn the_help_texts_exist_in_english_and_french() {
    assert_eq!(check(LOCALES, &[]), Vec::<String>::new());
    let fr = TEXTS.tr(&[Some("fr")]);
    assert_eq!(fr.t("help-title"), "Aide d'Arsenal");
    let en = TEXTS.tr(&[Some("de"), None]);
    assert_eq!(en.t("help-title"), "Arsenal help");
}

fn registry() -> CommandRegistry {
    let mut registry = CommandRegistry::builtins();
    let mut french = std::collections::BTreeMap::new();
    french.insert("fr".to_owned(), "Compter".to_owned());
    let mut count = CommandSpec::new("count", "Count things").with_prefix();
    count.description_localizations = Some(french);
    registry.insert(
        CommandOwner::Plugin("counter".into()),
        count,
        Audience::Members,
    );
    let mut warn = CommandSpec::new("warn", "Moderation")
        .option(subcommand("add", "Warn a member", vec![]))
        .option(subcommand(
            "clear",
            "Clear warnings",
            vec![option(CommandOptionType::User, "member", "Who", true)],
        ));
    warn.subcommand_permissions
        .insert("clear".into(), Permissions::MANAGE_GUILD.bits().to_string());
    registry.insert(
        CommandOwner::Plugin("moderation".into()),
        warn,
        Audience::Members,
    );
    registry
}

fn modules() -> Vec<(String, String)> {
    vec![
        ("counter".into(), "Counts".into()),
        ("moderation".into(), "Keeps order".into()),
    ]
}

/// What the routing's check does, reduced: bot-wide and owners' commands hidden, permissions.
fn member_with(permissions: Permissions) -> impl Fn(&Registered, &[String]) -> bool {
    move |r, path| {
        r.audience == Audience::Members && permissions.contains(r.spec.required_permissions(path))
    }
}

#[test]
fn a_member_sees_only_what_they_may_run() {
    let tr = TEXTS.tr(&[]);
    let member = catalog(
        &registry(),
        &modules(),
        &tr,
        &[],
        member_with(Permissions::empty()),
    );
    let keys: Vec<&str> = member.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["counter", "moderation", BUILTIN]);
    let moderation: Vec<String> = member[1].lines.iter().map(Line::full_name).collect();
    assert_eq!(moderation, ["warn add"], "clear needs Manage Server");
    let builtin: Vec<String> = member[2].lines.iter().map(Line::full_name).collect();
    assert_eq!(builtin, ["help", "simple_help"], "no admin built-in");

    let manager = catalog(
        &registry(),
        &modules(),
        &tr,
        &[],
        member_with(Permissions::MANAGE_GUILD | Permissions::ADMINISTRATOR),
    );
    let moderation: Vec<String> = manager[1].lines.iter().map(Line::full_name).collect();
    assert_eq!(moderation, ["warn add", "warn clear"]);
    assert!(manager[2].lines.iter().any(|l| l.name == "prefix"));
}

#[test]
fn descriptions_follow_the_member_language() {
    let tr = TEXTS.tr(&[Some("fr")]);
    let prefs = [Some("fr"), Some("en-US")];
    let french = catalog(
        &registry(),
        &modules(),
        &tr,
        &prefs,
        member_with(Permissions::empty()),
    );
    assert_eq!(french[0].lines[0].description, "Compter");
    assert_eq!(french[2].title, "Arsenal (intégré)");
    let english = catalog(
        &registry(),
        &modules(),
        &TEXTS.tr(&[]),
        &[Some("en-GB")],
        member_with(Permissions::empty()),
    );
    assert_eq!(english[0].lines[0].description, "Count things");
}

#[test]
fn commands_are_mentions_with_their_prefix_form() {
    let tr = TEXTS.tr(&[]);
    let categories = catalog(
        &registry(),
        &modules(),
        &tr,
        &[],
        member_with(Permissions::empty()),
    );
    let mut ids = CommandIds::new();
    ids.insert("count".into(), Id::new(42));
    let owner = Id::new(7);
    let reply = help(&categories, &tr, &ids, "?", Some("counter"), owner);
    let body = reply.embeds[0].description.clone().unwrap_or_default();
    assert!(
        body.contains("</count:42> · `?count` — Count things"),
        "{body}"
    );
    let reply = help(&categories, &tr, &ids, "?", Some("moderation"), owner);
    let body = reply.embeds[0].description.clone().unwrap_or_default();
    assert!(
        body.contains("`/warn add` — Warn a member"),
        "no id known: {body}"
    );
    let menu = serde_json::to_value(&reply.components).unwrap_or_default();
    assert_eq!(menu[0]["components"][0]["custom_id"], "arsenal.help:7");
    let values: Vec<&str> = menu[0]["components"][0]["options"]
        .as_array()
        .map(|o| o.iter().filter_map(|v| v["value"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(values, [HOME, "counter", "moderation", BUILTIN]);

    let gone = help(&categories, &tr, &ids, "?", Some("tickets"), owner);
    assert!(gone
        .content
        .unwrap_or_default()
        .contains("`tickets` is gone"));
}

#[test]
fn simple_help_fits_one_message_however_many_modules() {
    let tr = TEXTS.tr(&[]);
    let mut registry = registry();
    let mut modules = modules();
    for m in 0..40 {
        let name = format!("module_{m}");
        for c in 0..20 {
            registry.insert(
                CommandOwner::Plugin(name.clone()),
                CommandSpec::new(format!("m{m}_command_{c}"), "Something"),
                Audience::Members,
            );
        }
        modules.push((name, "A module".into()));
    }
    let categories = catalog(
        &registry,
        &modules,
        &tr,
        &[],
        member_with(Permissions::empty()),
    );
    let reply = simple_help(&categories, &tr, &CommandIds::new(), "!");
    let text = reply.content.unwrap_or_default();
    assert!(text.chars().count() <= 2000, "{}", text.chars().count());
    assert!(text.contains("**counter**: `/count`"), "{text}");
    let full = help(
        &categories,
        &tr,
        &CommandIds::new(),
        "!",
        Some("module_3"),
        Id::new(1),
    );
    let body = full.embeds[0].description.clone().unwrap_or_default();
    assert!(body.chars().count() <= MAX_DESCRIPTION_FOR_TESTS);
    let menu = serde_json::to_value(&full.components).unwrap_or_default();
    let options = menu[0]["components"][0]["options"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(options, 25, "Discord allows 25 options");
}

const MAX_DESCRIPTION_FOR_TESTS: usize = 4096;
