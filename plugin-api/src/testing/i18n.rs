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
    let problems = check(locales, &manifest::<P>().commands);
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

/// `P`'s commands as the host registers them with Discord: with the names and descriptions of
/// its other languages (`name_localizations`, …) applied.
#[must_use]
pub fn localized_commands<P: Plugin>() -> Vec<CommandSpec> {
    let manifest = manifest::<P>();
    let mut commands = manifest.commands;
    localize(&mut commands, &manifest.command_texts);
    commands
}
