//! The module's texts, from `locales/en.ftl`.
//!
//! TEMPORARY until the SDK's localisation lands on main: a minimal reader of the English Fluent
//! file (one-line messages, `{ $name }` arguments) with the SDK's call shape (`tr!(tr, "key",
//! name = value)`, `tr.t("key")`, `Tr` per member or per server), so switching to the SDK is a
//! change of imports.

const EN: &str = include_str!("../locales/en.ftl");

/// The texts in one language.
#[derive(Debug, Clone, Copy)]
pub struct Tr;

impl Tr {
    /// The texts for a member (English until the SDK's localisation lands).
    #[must_use]
    pub fn member(
        _ctx: &arsenal_plugin_api::Context,
        _invoker: &arsenal_plugin_api::protocol::Invoker,
    ) -> Self {
        Tr
    }

    /// The texts for a server's logs.
    #[must_use]
    pub fn guild(
        _ctx: &arsenal_plugin_api::Context,
        _guild: arsenal_plugin_api::prelude::Id<arsenal_plugin_api::prelude::GuildMarker>,
    ) -> Self {
        Tr
    }

    /// Message `key` without arguments.
    #[must_use]
    pub fn t(&self, key: &str) -> String {
        self.format(key, &[])
    }

    /// Message `key` with `{ $name }` replaced by its argument.
    #[must_use]
    pub fn format(&self, key: &str, args: &[(&str, String)]) -> String {
        let Some(template) = EN.lines().find_map(|line| {
            let (k, v) = line.split_once('=')?;
            (k.trim() == key && !line.starts_with([' ', '#'])).then(|| v.trim())
        }) else {
            return key.to_owned();
        };
        let mut text = template.to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{ ${name} }}"), value);
        }
        text
    }
}

/// `tr!(tr, "key", name = value, ...)`: message `key` with its arguments.
#[macro_export]
macro_rules! tr {
    ($tr:expr, $key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $tr.format($key, &[$((stringify!($name), ($value).to_string())),*])
    };
}
