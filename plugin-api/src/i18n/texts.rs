//! Parsed Fluent bundles and the per-answer translator, [`Tr`].
//!
//! Everything here is non-generic and `inline(never)` where it formats, so Fluent's code sits in
//! the SDK runtime every plugin shares, not in each plugin library.

use std::{borrow::Cow, sync::OnceLock};

use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource, FluentValue};

use super::Locales;

/// One language's bundle.
struct Language {
    tag: &'static str,
    bundle: FluentBundle<FluentResource>,
}

/// A module's texts, parsed on first use (parsing costs a reload nothing that way).
pub struct Texts {
    locales: Locales,
    parsed: OnceLock<Vec<Language>>,
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Texts")
            .field("languages", &self.tags().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Texts {
    /// The texts of `locales`, parsed when first needed.
    #[must_use]
    pub const fn new(locales: Locales) -> Self {
        Self {
            locales,
            parsed: OnceLock::new(),
        }
    }

    /// The language tags shipped, the fallback first.
    pub fn tags(&self) -> impl Iterator<Item = &'static str> {
        self.locales.sources().iter().map(|(tag, _)| *tag)
    }

    /// A translator for the first of `preferences` shipped (see [`super::pick`]).
    #[must_use]
    pub fn tr(&self, preferences: &[Option<&str>]) -> Tr<'_> {
        Tr {
            texts: self,
            index: super::pick(self.tags(), preferences),
        }
    }

    fn languages(&self) -> &[Language] {
        self.parsed.get_or_init(|| parse_all(self.locales))
    }
}

#[inline(never)]
fn parse_all(locales: Locales) -> Vec<Language> {
    locales
        .sources()
        .iter()
        .map(|(tag, source)| Language {
            tag,
            bundle: bundle(tag, source),
        })
        .collect()
}

/// A bundle for `tag` holding `source`, without Unicode isolation marks (Discord shows them and
/// they would break mentions). A source that does not fully parse keeps what did parse; the
/// problems are logged (and [`super::check`] fails the module's tests on them).
#[inline(never)]
pub(crate) fn bundle(tag: &str, source: &str) -> FluentBundle<FluentResource> {
    let language = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    bundle.set_use_isolating(false);
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            log::warn!(
                "{tag}.ftl: {} syntax error(s), first: {:?}",
                errors.len(),
                errors.first()
            );
            resource
        }
    };
    if let Err(errors) = bundle.add_resource(resource) {
        log::warn!("{tag}.ftl: {errors:?}");
    }
    bundle
}

/// A value for a message's `{ $argument }`: text, or a number (which also selects plural
/// variants).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text, inserted as is.
    Text(String),
    /// A number.
    Number(f64),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Self::Text(value.clone())
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(value: $t) -> Self {
                Self::Number(value as f64)
            }
        }
    )*};
}

number_args!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize, f32, f64);

/// Formats messages in one language: built by [`Context::tr`](crate::Context::tr) for the member
/// who acted, or [`Texts::tr`]. Use [`tr!`](crate::tr) for messages with arguments.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    texts: &'a Texts,
    index: usize,
}

impl std::fmt::Debug for Tr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Tr").field(&self.locale()).finish()
    }
}

impl<'a> Tr<'a> {
    /// The language tag this translator writes (`""` when the module ships none).
    #[must_use]
    pub fn locale(&self) -> &'static str {
        self.texts.tags().nth(self.index).unwrap_or_default()
    }

    /// The message `key`, without arguments.
    #[must_use]
    pub fn t(&self, key: &str) -> String {
        self.text(key, &[])
    }

    /// The message `key` with `args`; in the fallback language when this one lacks it, and the
    /// key itself when no language has it (logged: the module's translation test catches it).
    #[must_use]
    #[inline(never)]
    pub fn text(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let languages = self.texts.languages();
        let (dotted_key, attribute) = match key.split_once('.') {
            Some((key, attribute)) => (key, Some(attribute)),
            None => (key, None),
        };
        let chosen = languages
            .get(self.index)
            .into_iter()
            .chain(languages.first());
        for language in chosen {
            if let Some(text) = format(language, dotted_key, attribute, args) {
                return text;
            }
        }
        log::warn!("no text `{key}` in any language");
        key.to_owned()
    }
}

fn format(
    language: &Language,
    key: &str,
    attribute: Option<&str>,
    args: &[(&str, Arg)],
) -> Option<String> {
    let message = language.bundle.get_message(key)?;
    let pattern = match attribute {
        Some(attribute) => message.get_attribute(attribute)?.value(),
        None => message.value()?,
    };
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        let value: FluentValue<'_> = match value {
            Arg::Text(text) => FluentValue::String(Cow::Borrowed(text.as_str())),
            Arg::Number(number) => FluentValue::from(*number),
        };
        fluent_args.set(*name, value);
    }
    let mut errors = Vec::new();
    let text = language
        .bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        log::warn!("{}.ftl `{key}`: {errors:?}", language.tag);
    }
    Some(text.into_owned())
}
