//! `command_texts!("en", "fr")`: the command names and descriptions of every language but the
//! first, read from `locales/<tag>.ftl` when the module is compiled, so that building the
//! manifest at each load parses no Fluent (see `arsenal_plugin_api::i18n::commands`).
//!
//! Each `cmd-…` message is formatted here exactly as the SDK formats it at run time (a Fluent
//! bundle without isolation marks, the result trimmed); a message that needs arguments cannot
//! name a command and is refused with its file and id.

use std::path::PathBuf;

use fluent_bundle::{FluentBundle, FluentResource};
use fluent_syntax::ast::Entry;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{parse::Parser, punctuated::Punctuated, LitStr, Token};

/// One `cmd-…` message: its id, formatted value and `.description`.
struct CommandText {
    key: String,
    name: Option<String>,
    description: Option<String>,
}

pub(crate) fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let tags = Punctuated::<LitStr, Token![,]>::parse_terminated.parse2(input)?;
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| syn::Error::new(Span::call_site(), "CARGO_MANIFEST_DIR is not set"))?;
    let mut languages = Vec::new();
    for tag in tags.iter().skip(1) {
        let path = dir.join("locales").join(format!("{}.ftl", tag.value()));
        let source = std::fs::read_to_string(&path).map_err(|error| {
            syn::Error::new(
                tag.span(),
                format!("cannot read {}: {error}", path.display()),
            )
        })?;
        let texts = command_texts(&tag.value(), source)
            .map_err(|message| syn::Error::new(tag.span(), message))?;
        let entries = texts.iter().map(|t| {
            let key = &t.key;
            let name = option(t.name.as_deref());
            let description = option(t.description.as_deref());
            quote!((#key, #name, #description))
        });
        let tag = tag.value();
        languages.push(quote!((#tag, &[#(#entries),*] as &[_])));
    }
    Ok(quote!(&[#(#languages),*]))
}

fn option(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    }
}

/// The `cmd-…` messages of one language's source, sorted by id (the SDK searches them).
fn command_texts(tag: &str, source: String) -> Result<Vec<CommandText>, String> {
    let resource = FluentResource::try_new(source)
        .map_err(|(_, errors)| format!("{tag}.ftl does not parse: {:?}", errors.first()))?;
    let keys: Vec<String> = resource
        .entries()
        .filter_map(|entry| match entry {
            Entry::Message(message) if message.id.name.starts_with("cmd-") => {
                Some(message.id.name.to_owned())
            }
            _ => None,
        })
        .collect();
    let mut bundle = FluentBundle::new(vec![tag.parse().unwrap_or_default()]);
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errors| format!("{tag}.ftl: {:?}", errors.first()))?;
    let mut texts = Vec::with_capacity(keys.len());
    for key in keys {
        let Some(message) = bundle.get_message(&key) else {
            continue;
        };
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
        if let Some(error) = errors.first() {
            return Err(format!(
                "{tag}.ftl: `{key}` names a command and cannot use arguments or other messages ({error:?})"
            ));
        }
        texts.push(CommandText {
            key,
            name,
            description,
        });
    }
    texts.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(texts)
}
