//! Command names and descriptions in other languages, for Discord's `name_localizations` and
//! `description_localizations`.
//!
//! The first language's texts are the ones in the code (the derive's doc comments). Each other
//! language gives every command, subcommand group, subcommand and option a message named by its
//! path, `cmd-<command>[-<group>][-<subcommand>][-<option>]`, whose value is the localised name
//! and whose `.description` attribute the localised description; a choice is
//! `cmd-<option path>-choice-<value>` with its localised display name as value:
//!
//! ```ftl
//! cmd-welcome = bienvenue
//!     .description = Configurer les messages de bienvenue
//! cmd-welcome-channel = salon
//!     .description = Où vont les messages
//! ```
//!
//! Discord's locale codes are used as keys: `fr`, or a shipped tag such as `en-GB`; a bare `en`
//! is sent as `en-US` and `en-GB`, `es` as `es-ES` and `es-419`, `pt` as `pt-BR`, `sv` as
//! `sv-SE`, `zh` as `zh-CN` (Discord knows no bare form of these).
//!
//! Where the work is done: [`locales!`](crate::locales) formats the `cmd-…` messages when the
//! module is compiled; a load only copies that table into the manifest
//! ([`Manifest::command_texts`](crate::Manifest::command_texts), a flat list); the host applies
//! it to the command declarations ([`localize`]) when it registers commands. Building the
//! localised declarations at each load used to be most of the cost of reading a module's
//! manifest (welcome: ~4× the unlocalised manifest, measured with callgrind).

use std::collections::{BTreeMap, HashMap};

use fluent_bundle::{concurrent::FluentBundle, FluentResource};
use twilight_model::application::command::{CommandOption, CommandOptionChoiceValue};

use super::{texts::bundle, Locales};
use crate::manifest::{CommandSpec, LanguageTexts};

/// The message id of a command path (`["economy", "shop", "add"]` → `cmd-economy-shop-add`).
#[must_use]
pub fn key(path: &[&str]) -> String {
    let mut key = "cmd".to_owned();
    for part in path {
        key.push('-');
        key.push_str(part);
    }
    key
}

/// The message id of a choice of the option at `path`.
#[must_use]
pub fn choice_key(path: &[&str], value: &CommandOptionChoiceValue) -> String {
    let value = match value {
        CommandOptionChoiceValue::String(text) => text
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect(),
        CommandOptionChoiceValue::Integer(n) => n.to_string(),
        CommandOptionChoiceValue::Number(n) => n.to_string().replace('.', "_"),
    };
    format!("{}-choice-{value}", key(path))
}

/// Discord's locale codes for a shipped language tag.
#[must_use]
pub fn discord_locales(tag: &str) -> Vec<String> {
    let expanded: &[&str] = match tag {
        "en" => &["en-US", "en-GB"],
        "es" => &["es-ES", "es-419"],
        "pt" => &["pt-BR"],
        "sv" => &["sv-SE"],
        "zh" => &["zh-CN"],
        _ => &[],
    };
    if expanded.is_empty() {
        vec![tag.to_owned()]
    } else {
        expanded.iter().map(|&s| s.to_owned()).collect()
    }
}

/// The command texts of every language of `locales` but the first, for the manifest: those
/// [`locales!`](crate::locales) compiled in, else parsed from the sources (only their `cmd-…`
/// entries). Sorted by id.
#[inline(never)]
#[must_use]
pub fn language_texts(locales: Locales) -> Vec<LanguageTexts> {
    let mut languages = Vec::new();
    for (tag, source) in locales.sources().iter().skip(1) {
        let texts = match locales.command_texts(tag) {
            Some(texts) => texts
                .iter()
                .map(|&(id, name, description)| {
                    (
                        id.to_owned(),
                        name.map(str::to_owned),
                        description.map(str::to_owned),
                    )
                })
                .collect(),
            None => parsed_texts(tag, source),
        };
        if !texts.is_empty() {
            languages.push(LanguageTexts {
                tag: (*tag).to_owned(),
                texts,
            });
        }
    }
    languages
}

/// Fills the localisations of `commands` (Discord's `name_localizations`,
/// `description_localizations`, and the choices' names) from `languages`; a command without
/// such texts keeps none. The host calls it when it registers commands.
#[inline(never)]
pub fn localize(commands: &mut [CommandSpec], languages: &[LanguageTexts]) {
    for language in languages {
        let codes = discord_locales(&language.tag);
        let texts: HashMap<&str, (Option<&str>, Option<&str>)> = language
            .texts
            .iter()
            .map(|(id, name, description)| (id.as_str(), (name.as_deref(), description.as_deref())))
            .collect();
        for command in commands.iter_mut() {
            let path = [command.name.clone()];
            if let Some(&(name, description)) = texts.get(key(&as_strs(&path)).as_str()) {
                insert(&mut command.name_localizations, &codes, name);
                insert(&mut command.description_localizations, &codes, description);
            }
            for option in &mut command.options {
                localize_option(&texts, &codes, &path, option);
            }
        }
    }
}

/// The localisations of `commands` from `locales`, as the host will apply them (for tests and
/// for code holding `Locales` rather than a manifest).
pub fn localize_from(commands: &mut [CommandSpec], locales: Locales) {
    localize(commands, &language_texts(locales));
}

/// The `cmd-…` messages of one source, formatted (as `locales!` does at compile time).
fn parsed_texts(tag: &str, source: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let entries = command_entries(source);
    if entries.is_empty() {
        return Vec::new();
    }
    let bundle = bundle(tag, &entries);
    let mut texts: Vec<_> = entries
        .lines()
        .filter_map(|line| {
            let id = line.strip_prefix("cmd-")?;
            let id = id.split(|c: char| c.is_whitespace() || c == '=').next()?;
            let id = format!("cmd-{id}");
            let (name, description) = lookup(&bundle, &id)?;
            Some((id, name, description))
        })
        .collect();
    texts.sort_by(|a, b| a.0.cmp(&b.0));
    texts
}

/// The formatted value and `.description` of the message `key`, if the language has it.
fn lookup(
    bundle: &FluentBundle<FluentResource>,
    key: &str,
) -> Option<(Option<String>, Option<String>)> {
    let message = bundle.get_message(key)?;
    let mut errors = Vec::new();
    let name = message.value().map(|p| {
        bundle
            .format_pattern(p, None, &mut errors)
            .trim()
            .to_owned()
    });
    let description = message.get_attribute("description").map(|a| {
        bundle
            .format_pattern(a.value(), None, &mut errors)
            .trim()
            .to_owned()
    });
    Some((name, description))
}

/// Only the `cmd-…` entries of a Fluent source: every manifest is built at each load, and the
/// rest of the file (the module's replies) is not needed for it. A Fluent entry starts at the
/// start of a line; its continuation lines are indented (or blank).
pub(crate) fn command_entries(source: &str) -> String {
    let mut kept = String::new();
    let mut keeping = false;
    for line in source.lines() {
        match line.chars().next() {
            Some(c) if !c.is_whitespace() => keeping = line.starts_with("cmd-"),
            _ => {}
        }
        if keeping {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

type Texts<'a> = HashMap<&'a str, (Option<&'a str>, Option<&'a str>)>;

fn localize_option(
    texts: &Texts<'_>,
    codes: &[String],
    parent: &[String],
    option: &mut CommandOption,
) {
    let mut path = parent.to_vec();
    path.push(option.name.clone());
    let strs = as_strs(&path);
    if let Some(&(name, description)) = texts.get(key(&strs).as_str()) {
        insert_hash(&mut option.name_localizations, codes, name);
        insert_hash(&mut option.description_localizations, codes, description);
    }
    for choice in option.choices.iter_mut().flatten() {
        if let Some(&(Some(name), _)) = texts.get(choice_key(&strs, &choice.value).as_str()) {
            insert_hash(&mut choice.name_localizations, codes, Some(name));
        }
    }
    for child in option.options.iter_mut().flatten() {
        localize_option(texts, codes, &path, child);
    }
}

fn as_strs(path: &[String]) -> Vec<&str> {
    path.iter().map(String::as_str).collect()
}

fn insert(map: &mut Option<BTreeMap<String, String>>, codes: &[String], text: Option<&str>) {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return;
    };
    let map = map.get_or_insert_with(BTreeMap::new);
    for code in codes {
        map.insert(code.clone(), text.to_owned());
    }
}

fn insert_hash(map: &mut Option<HashMap<String, String>>, codes: &[String], text: Option<&str>) {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return;
    };
    let map = map.get_or_insert_with(HashMap::new);
    for code in codes {
        map.insert(code.clone(), text.to_owned());
    }
}
