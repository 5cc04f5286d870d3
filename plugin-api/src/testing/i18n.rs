//! Testing a module's languages: every text in every language, and the server language a
//! module's own posts see.

use crate::{
    i18n::{
        check::check,
        commands::{language_texts, localize},
        Locales,
    },
    sdk::manifest,
    testing::TestHarness,
    CommandSpec, Plugin,
};

impl<P: Plugin> TestHarness<P> {
    /// Sets the server's preferred language that [`Context::tr_guild`](crate::Context::tr_guild)
    /// reads (`None`: the host does not know the server).
    pub fn set_guild_locale(&self, locale: Option<&str>) {
        self.host.lock().guild_locale = locale.map(str::to_owned);
    }
}

/// Fails (panics, listing every problem) when `P`'s languages differ: a message, attribute or
/// `{ $variable }` one language has and another lacks, a file that does not parse, or (in every
/// language but the first) a command, option or choice without its `cmd-…` name and
/// description; or when the command texts compiled in by `locales!` differ from those parsed
/// from the sources. Every module's tests call it once:
///
/// ```ignore
/// #[test]
/// fn every_text_exists_in_english_and_french() {
///     arsenal_plugin_api::testing::assert_translated::<MyModule>();
/// }
/// ```
///
/// # Panics
///
/// When a problem is found, or the module ships fewer than two languages.
pub fn assert_translated<P: Plugin>() {
    let locales = P::LOCALES;
    assert!(
        locales.sources().len() >= 2,
        "the module ships {} language(s); declare them with `const LOCALES: Locales = locales!(\"en\", \"fr\")`",
        locales.sources().len()
    );
    let mut problems = check(locales, &manifest::<P>().commands);
    problems.extend(discord_limits(&localized_commands::<P>()));
    assert!(
        problems.is_empty(),
        "{} translation problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    // The manifest is built from the texts `locales!` extracted at compile time; parsing the
    // sources at run time must give the same localisations.
    assert_eq!(
        language_texts(locales),
        language_texts(Locales::new(locales.sources())),
        "the command texts compiled in by `locales!` differ from the .ftl sources"
    );
}

/// Discord's limits on every language's command texts (it refuses the whole registration
/// otherwise): names of 1 to 32 characters, lower case; descriptions and choice names of 1 to
/// 100 characters.
fn discord_limits(commands: &[CommandSpec]) -> Vec<String> {
    fn name(problems: &mut Vec<String>, what: &str, language: &str, text: &str) {
        let length = text.chars().count();
        if length == 0 || length > 32 || text.chars().any(char::is_uppercase) {
            problems.push(format!(
                "{what}: the {language} name {text:?} must be 1 to 32 lower-case characters ({length})"
            ));
        }
    }
    fn text(problems: &mut Vec<String>, what: &str, language: &str, text: &str, kind: &str) {
        let length = text.chars().count();
        if length == 0 || length > 100 {
            problems.push(format!(
                "{what}: the {language} {kind} has {length} characters; Discord takes 1 to 100: {text:?}"
            ));
        }
    }
    fn check_options(
        problems: &mut Vec<String>,
        path: &str,
        list: &[twilight_model::application::command::CommandOption],
    ) {
        for option in list {
            let what = format!("{path} {}", option.name);
            for (language, localized) in option.name_localizations.iter().flatten() {
                name(problems, &what, language, localized);
            }
            for (language, localized) in option.description_localizations.iter().flatten() {
                text(problems, &what, language, localized, "description");
            }
            for choice in option.choices.iter().flatten() {
                let localized = choice.name_localizations.as_ref();
                for (language, localized) in localized.into_iter().flatten() {
                    text(problems, &what, language, localized, "choice name");
                }
            }
            check_options(
                problems,
                &what,
                option.options.as_deref().unwrap_or_default(),
            );
        }
    }
    let mut problems = Vec::new();
    for command in commands {
        let what = format!("/{}", command.name);
        for (language, localized) in command.name_localizations.iter().flatten() {
            name(&mut problems, &what, language, localized);
        }
        for (language, localized) in command.description_localizations.iter().flatten() {
            text(&mut problems, &what, language, localized, "description");
        }
        check_options(&mut problems, &what, &command.options);
    }
    problems
}

/// `P`'s commands as the host registers them with Discord: with the names and descriptions of
/// its other languages (`name_localizations`, …) applied.
#[must_use]
pub fn localized_commands<P: Plugin>() -> Vec<CommandSpec> {
    let manifest = manifest::<P>();
    let mut commands = manifest.commands;
    localize(&mut commands, &manifest.command_texts);
    commands
}
