//! The SDK's own texts (`plugin-api/locales/`): what it answers members by itself, in their
//! language (a refused option, an unhandled button), English being the fallback.

use crate::{
    i18n::{Locales, Texts, Tr},
    protocol::Invoker,
};

/// The SDK's texts, parsed on first use.
static SDK_TEXTS: Texts = Texts::new(Locales::new(&[
    ("en", include_str!("../../locales/en.ftl")),
    ("fr", include_str!("../../locales/fr.ftl")),
]));

/// The SDK's languages, for its translation test.
#[cfg(test)]
pub(crate) const SDK_LOCALES: Locales = Locales::new(&[
    ("en", include_str!("../../locales/en.ftl")),
    ("fr", include_str!("../../locales/fr.ftl")),
]);

/// The SDK's texts in `invoker`'s language (theirs, else their server's, else English).
pub(crate) fn sdk_tr(invoker: Option<&Invoker>) -> Tr<'static> {
    match invoker {
        Some(invoker) => {
            SDK_TEXTS.tr(&[invoker.locale.as_deref(), invoker.guild_locale.as_deref()])
        }
        None => SDK_TEXTS.tr(&[]),
    }
}
