//! `/help` and `/simple_help`: what a member may run here, generated from the commands of the
//! modules loaded right now (so it follows every load, reload and unload).
//!
//! This is a built-in of the host, not a module: it reads every module's manifest, the command
//! registry, the ids Discord gave the registered commands and the member's permissions — all
//! host state that a module could only reach through new host operations exposing all of it.
//!
//! This file gathers the [`Category`]s a member sees (one per loaded module, plus the host's
//! own); [`view`] renders them. The caller decides what "may run" means (the same check the
//! routing applies before running a command), so nothing here can disagree with it.

mod view;

use arsenal_plugin_api::{
    i18n::{Locales, Texts, Tr},
    model::application::command::{CommandOption, CommandOptionType},
};

pub use view::{help, simple_help, CommandIds};

use crate::discord::registry::{CommandOwner, CommandRegistry, Registered};

/// Every help select menu's `custom_id` starts with this, then the id of the member the menu was
/// made for. A module's ids are `<module>:…` with a module name of `[a-z0-9_]`, so the dot keeps
/// this out of every module's namespace.
pub const CUSTOM_ID_PREFIX: &str = "arsenal.help:";

/// The select-menu value of the host's own category (never a module name: it has a `-`).
pub const BUILTIN: &str = "arsenal-host";

/// The select-menu value of the overview.
pub const HOME: &str = "arsenal-home";

/// The help's own texts (`host/locales/help/*.ftl`), English first.
pub static TEXTS: Texts = Texts::new(LOCALES);

const LOCALES: Locales = Locales::new(&[
    ("en", include_str!("../../../locales/help/en.ftl")),
    ("fr", include_str!("../../../locales/help/fr.ftl")),
]);

/// One runnable command (or subcommand) of a category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The top-level command.
    pub name: String,
    /// The subcommand path under it (group, subcommand), empty for a plain command.
    pub path: Vec<String>,
    /// Its description in the member's language when the manifest has it.
    pub description: String,
    /// Registered with Discord as a slash command.
    pub slash: bool,
    /// Usable with the guild's prefix.
    pub prefix: bool,
}

impl Line {
    /// `name sub …`, as typed after `/` or the prefix.
    #[must_use]
    pub fn full_name(&self) -> String {
        std::iter::once(self.name.as_str())
            .chain(self.path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A module (or the host) and the commands of it the member may run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The select-menu value: the module's name, or [`BUILTIN`].
    pub key: String,
    /// Shown name.
    pub title: String,
    /// One line about it.
    pub description: String,
    /// Its commands the member may run, in name order.
    pub lines: Vec<Line>,
}

/// The categories `visible` lets a member see: each loaded module of `modules` (name,
/// description) with a command they may run, then the host's own. `visible(command, path)` is
/// the permission check for that command and subcommand path. `preferences` are the member's
/// then the server's locale, for the manifests' localised descriptions.
pub fn catalog(
    registry: &CommandRegistry,
    modules: &[(String, String)],
    tr: &Tr<'_>,
    preferences: &[Option<&str>],
    visible: impl Fn(&Registered, &[String]) -> bool,
) -> Vec<Category> {
    let lines_of = |owner: &CommandOwner| -> Vec<Line> {
        registry
            .iter()
            .filter(|r| &r.owner == owner && (r.spec.slash || r.spec.prefix))
            .flat_map(|r| lines(r, preferences, &visible))
            .collect()
    };
    let mut categories: Vec<Category> = modules
        .iter()
        .map(|(name, description)| Category {
            key: name.clone(),
            title: name.clone(),
            description: description.clone(),
            lines: lines_of(&CommandOwner::Plugin(name.clone())),
        })
        .collect();
    categories.push(Category {
        key: BUILTIN.to_owned(),
        title: tr.t("help-builtin"),
        description: tr.t("help-builtin-description"),
        lines: lines_of(&CommandOwner::Builtin),
    });
    categories.retain(|c| !c.lines.is_empty());
    categories
}

/// The runnable lines of one command: itself, or each of its subcommands the member may run.
fn lines(
    registered: &Registered,
    preferences: &[Option<&str>],
    visible: &impl Fn(&Registered, &[String]) -> bool,
) -> Vec<Line> {
    let spec = &registered.spec;
    let line = |path: Vec<String>, description: String| Line {
        name: spec.name.clone(),
        path,
        description,
        slash: spec.slash,
        prefix: spec.prefix,
    };
    let mut paths: Vec<(Vec<String>, &CommandOption)> = Vec::new();
    for option in &spec.options {
        match option.kind {
            CommandOptionType::SubCommand => paths.push((vec![option.name.clone()], option)),
            CommandOptionType::SubCommandGroup => {
                for sub in option.options.iter().flatten() {
                    paths.push((vec![option.name.clone(), sub.name.clone()], sub));
                }
            }
            _ => {}
        }
    }
    if paths.is_empty() {
        if !visible(registered, &[]) {
            return Vec::new();
        }
        let description = localized(
            &spec.description,
            spec.description_localizations
                .iter()
                .flatten()
                .map(|(k, v)| (k.as_str(), v.as_str())),
            preferences,
        );
        return vec![line(Vec::new(), description)];
    }
    paths
        .into_iter()
        .filter(|(path, _)| visible(registered, path))
        .map(|(path, option)| {
            let description = localized(
                &option.description,
                option
                    .description_localizations
                    .iter()
                    .flatten()
                    .map(|(k, v)| (k.as_str(), v.as_str())),
                preferences,
            );
            line(path, description)
        })
        .collect()
}

/// The text of `localizations` (Discord locale → text) for the first of `preferences` it has
/// (the full tag, else its language: `fr` for `fr-CA`), else `default`.
#[must_use]
pub fn localized<'a>(
    default: &str,
    localizations: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    preferences: &[Option<&str>],
) -> String {
    let primary = |tag: &str| tag.split(['-', '_']).next().unwrap_or(tag).to_owned();
    for wanted in preferences.iter().flatten() {
        let found = localizations
            .clone()
            .find(|(tag, _)| tag.eq_ignore_ascii_case(wanted))
            .or_else(|| {
                localizations
                    .clone()
                    .find(|(tag, _)| primary(tag).eq_ignore_ascii_case(&primary(wanted)))
            });
        if let Some((_, text)) = found {
            return text.to_owned();
        }
    }
    default.to_owned()
}

#[cfg(test)]
mod tests;
