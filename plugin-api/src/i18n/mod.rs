//! Localisation: a module's texts in several languages, through [Fluent](https://projectfluent.org).
//!
//! A module ships one `.ftl` file per language in `locales/`, compiled into the library by
//! [`locales!`](crate::locales) (English first: the fallback). A handler picks the language of
//! the member who acted ([`Context::tr`](crate::Context::tr): their Discord locale, else the
//! server's preferred locale, else the first language) and formats a message with [`tr!`](crate::tr):
//!
//! ```ignore
//! const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");
//! let tr = ctx.tr(&command.invoker);
//! Response::ephemeral(tr!(tr, "welcome-channel-set", channel = format!("<#{channel}>")))
//! ```
//!
//! The files are parsed the first time a text is needed, not at load, so they cost a reload
//! nothing. Command names and descriptions in other languages are `cmd-…` messages (see
//! [`commands`]); [`check`] lists what one language has and another lacks.

pub mod check;
pub mod commands;
mod texts;

pub use texts::{Arg, Texts, Tr};

#[doc(hidden)]
pub use arsenal_plugin_api_derive::command_texts as __command_texts;

/// The languages a module ships: `(language tag, Fluent source)`, the first being the fallback.
/// Built by [`locales!`](crate::locales).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locales {
    sources: &'static [(&'static str, &'static str)],
    commands: &'static [(&'static str, &'static [CommandText])],
}

/// A `cmd-…` message compiled in by [`locales!`](crate::locales): its id, its value (a
/// command's or option's name, a choice's display name) and its `.description`.
pub type CommandText = (&'static str, Option<&'static str>, Option<&'static str>);

impl Locales {
    /// No texts: every lookup answers the message id itself.
    pub const NONE: Self = Self::new(&[]);

    /// The languages of `sources`, the first being the fallback.
    #[must_use]
    pub const fn new(sources: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            sources,
            commands: &[],
        }
    }

    /// The same languages with their command texts already extracted (per language but the
    /// first, sorted by id), so the manifest is built without parsing Fluent at each load.
    #[must_use]
    pub const fn with_command_texts(
        self,
        commands: &'static [(&'static str, &'static [CommandText])],
    ) -> Self {
        Self { commands, ..self }
    }

    /// Each language's tag and Fluent source, the fallback first.
    #[must_use]
    pub const fn sources(&self) -> &'static [(&'static str, &'static str)] {
        self.sources
    }

    /// The command texts compiled in for `tag`, if [`locales!`](crate::locales) extracted them.
    #[must_use]
    pub fn command_texts(&self, tag: &str) -> Option<&'static [CommandText]> {
        self.commands
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|&(_, texts)| texts)
    }

    /// Whether no language is shipped.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

/// The languages of a module, read at compile time from `locales/<tag>.ftl` in the crate that
/// invokes it (its `CARGO_MANIFEST_DIR`). The first tag is the fallback language. The other
/// languages' command names and descriptions (`cmd-…` messages) are also extracted then, so a
/// load builds the localised manifest without parsing Fluent.
///
/// ```ignore
/// const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");
/// ```
#[macro_export]
macro_rules! locales {
    ($($tag:literal),+ $(,)?) => {
        $crate::i18n::Locales::new(&[$(
            ($tag, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/", $tag, ".ftl"))),
        )+])
        .with_command_texts($crate::i18n::__command_texts!($($tag),+))
    };
}

/// Formats the message `key` in `tr`'s language, with named arguments:
/// `tr!(tr, "shop-bought", item = name, price = 30)`. Numbers select plural variants.
#[macro_export]
macro_rules! tr {
    ($tr:expr, $key:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $tr.text($key, &[$((stringify!($name), $crate::i18n::Arg::from($value))),*])
    };
}

/// The language to answer in, from what is known of the person and the place: the first of
/// `preferences` (most preferred first) that `available` ships, matching the full tag
/// (`en-GB`) or its language (`en`); else the fallback (index 0).
#[must_use]
pub fn pick<'a>(
    available: impl IntoIterator<Item = &'a str>,
    preferences: &[Option<&str>],
) -> usize {
    let available: Vec<&str> = available.into_iter().collect();
    for wanted in preferences.iter().flatten() {
        if let Some(index) = available
            .iter()
            .position(|tag| tag.eq_ignore_ascii_case(wanted))
        {
            return index;
        }
        let language = primary(wanted);
        if let Some(index) = available
            .iter()
            .position(|tag| primary(tag).eq_ignore_ascii_case(language))
        {
            return index;
        }
    }
    0
}

fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

#[cfg(test)]
mod tests;
