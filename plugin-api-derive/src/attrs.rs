//! Reading `#[command(…)]`, `#[option(…)]`, `#[choice(…)]` and doc comments, with the checks
//! Discord would otherwise only make at registration (names, description lengths).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{
    bracketed, punctuated::Punctuated, spanned::Spanned, Attribute, Expr, ExprLit, Ident, Lit,
    LitBool, LitInt, LitStr, Meta, Token,
};

/// `#[command(…)]` on a type or a variant.
#[derive(Default)]
pub struct CommandAttrs {
    pub name: Option<LitStr>,
    pub desc: Option<LitStr>,
    pub permissions: Option<LitStr>,
    pub prefix: Option<bool>,
    pub slash: Option<bool>,
}

/// `#[option(…)]` on a field.
#[derive(Default)]
pub struct OptionAttrs {
    pub rename: Option<LitStr>,
    pub desc: Option<LitStr>,
    pub min_value: Option<TokenStream>,
    pub max_value: Option<TokenStream>,
    pub min_length: Option<LitInt>,
    pub max_length: Option<LitInt>,
    pub channel_types: Vec<Ident>,
    pub autocomplete: bool,
}

/// `#[choice(…)]` on a variant.
#[derive(Default)]
pub struct ChoiceAttrs {
    pub name: Option<LitStr>,
    pub value: Option<LitStr>,
}

fn flag(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<bool> {
    if meta.input.peek(Token![=]) {
        Ok(meta.value()?.parse::<LitBool>()?.value)
    } else {
        Ok(true)
    }
}

pub fn command(attrs: &[Attribute]) -> syn::Result<CommandAttrs> {
    let mut out = CommandAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("command")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                out.name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("desc") {
                out.desc = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("permissions") {
                out.permissions = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("prefix") {
                out.prefix = Some(flag(&meta)?);
            } else if meta.path.is_ident("slash") {
                out.slash = Some(flag(&meta)?);
            } else {
                return Err(meta.error(
                    "unknown command attribute: use name, desc, permissions, prefix or slash",
                ));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// A bound: an integer or float literal, optionally negative.
fn bound(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<TokenStream> {
    let input = meta.value()?;
    let minus: Option<Token![-]> = input.parse()?;
    let literal: Lit = input.parse()?;
    match literal {
        Lit::Int(_) | Lit::Float(_) => Ok(quote!((#minus #literal) as f64)),
        other => Err(syn::Error::new(other.span(), "expected a number")),
    }
}

pub fn option(attrs: &[Attribute]) -> syn::Result<OptionAttrs> {
    let mut out = OptionAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("option")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                out.rename = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("desc") {
                out.desc = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("min_value") {
                out.min_value = Some(bound(&meta)?);
            } else if meta.path.is_ident("max_value") {
                out.max_value = Some(bound(&meta)?);
            } else if meta.path.is_ident("min_length") {
                out.min_length = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("max_length") {
                out.max_length = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("channel_types") {
                let value = meta.value()?;
                let content;
                bracketed!(content in value);
                let types = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
                out.channel_types = types.into_iter().collect();
            } else if meta.path.is_ident("autocomplete") {
                out.autocomplete = flag(&meta)?;
            } else {
                return Err(meta.error("unknown option attribute: use rename, desc, min_value, max_value, min_length, max_length, channel_types or autocomplete"));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

pub fn choice(attrs: &[Attribute]) -> syn::Result<ChoiceAttrs> {
    let mut out = ChoiceAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("choice")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                out.name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("value") {
                out.value = Some(meta.value()?.parse()?);
            } else {
                return Err(meta.error("unknown choice attribute: use name or value"));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// The doc comment's lines joined with spaces (Discord descriptions are one line).
pub fn doc(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            Meta::NameValue(pair) => match &pair.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(text),
                    ..
                }) => Some(text.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .filter(|line| !line.is_empty())
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

/// The description from `desc = "…"` or the doc comment, checked against Discord's 1 to 100.
pub fn description(desc: Option<&LitStr>, attrs: &[Attribute], span: Span) -> syn::Result<String> {
    let text = desc.map(LitStr::value).or_else(|| doc(attrs));
    let Some(text) = text else {
        return Err(syn::Error::new(
            span,
            "Discord needs a description: add a doc comment or `desc = \"…\"`",
        ));
    };
    let length = text.chars().count();
    if length == 0 || length > 100 {
        return Err(syn::Error::new(
            desc.map_or(span, LitStr::span),
            format!("Discord descriptions are 1 to 100 characters; this one has {length}"),
        ));
    }
    Ok(text)
}

/// A command, subcommand or option name, checked against Discord's rules.
pub fn name(given: Option<&LitStr>, default: &str, span: Span) -> syn::Result<String> {
    let name = given.map_or_else(|| default.to_owned(), LitStr::value);
    let valid = (1..=32).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if valid {
        Ok(name)
    } else {
        Err(syn::Error::new(
            given.map_or(span, LitStr::span),
            format!("{name:?} is not a Discord command name: 1 to 32 of a-z, 0-9, - and _"),
        ))
    }
}

/// `ShowAll` → `show_all`.
pub fn snake_case(ident: &Ident) -> String {
    let mut out = String::new();
    for (index, c) in ident
        .to_string()
        .trim_start_matches("r#")
        .chars()
        .enumerate()
    {
        if c.is_uppercase() {
            if index > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `"MANAGE_GUILD | BAN_MEMBERS"` as a `Permissions` expression; a misspelt flag fails to
/// compile, pointing at the text.
pub fn permissions(text: Option<&LitStr>) -> syn::Result<TokenStream> {
    let path = quote!(::arsenal_plugin_api::model::guild::Permissions);
    let Some(text) = text else {
        return Ok(quote!(#path::empty()));
    };
    let mut flags = Vec::new();
    for word in text
        .value()
        .split(|c: char| c == '|' || c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        let ident: Ident = syn::parse_str(word).map_err(|_| {
            syn::Error::new(
                text.span(),
                format!("{word:?} is not a permission name (like MANAGE_GUILD)"),
            )
        })?;
        flags.push(Ident::new(&ident.to_string(), text.span()));
    }
    Ok(quote!(#path::empty() #(.union(#path::#flags))*))
}

/// Checks a length literal fits Discord's 0 to 6000.
pub fn length(literal: Option<&LitInt>) -> syn::Result<TokenStream> {
    match literal {
        None => Ok(quote!(::core::option::Option::None)),
        Some(literal) => {
            let value: u16 = literal.base10_parse()?;
            if value > 6000 {
                return Err(syn::Error::new(
                    literal.span(),
                    "Discord text options are at most 6000 characters",
                ));
            }
            Ok(quote!(::core::option::Option::Some(#value)))
        }
    }
}

pub fn spanned_error(node: &impl Spanned, message: &str) -> syn::Error {
    syn::Error::new(node.span(), message)
}
