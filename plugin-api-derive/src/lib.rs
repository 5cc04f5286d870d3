//! Derives re-exported by `arsenal-plugin-api`: `Command` (a struct of options or an enum of
//! subcommands becomes a command's declaration and its typed parse) and `CommandChoice` (a
//! field-less enum becomes a fixed set of choices). See `arsenal_plugin_api::command`. `CustomId`
//! (a type ↔ a component's `custom_id`) and `ModalForm` (a struct of a modal's text inputs): see
//! `arsenal_plugin_api::component`.
//!
//! The expansion is thin: it lists the fields and variants and calls the SDK's non-generic
//! functions, so plugins stay small (they link the SDK as a shared library).

mod attrs;
mod choice;
mod component;
mod locales;
mod model;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Derives `CommandModel` (and `Command` when the type has `#[command(name = "…")]`).
///
/// A struct's named fields are options; an enum's variants are subcommands (a unit variant, or
/// one holding a derived struct) or subcommand groups (a variant holding a derived enum).
#[proc_macro_derive(Command, attributes(command, option))]
pub fn derive_command(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    model::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `CommandChoice` and `OptionValue` for a field-less enum: a string option with a
/// fixed set of choices.
#[proc_macro_derive(CommandChoice, attributes(choice))]
pub fn derive_command_choice(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    choice::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `CustomId`: an enum (each variant a tag and its fields) or a struct ↔ a short
/// `custom_id` such as `close:42`, length-checked at build time when every field is bounded.
#[proc_macro_derive(CustomId, attributes(custom_id))]
pub fn derive_custom_id(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    component::expand_custom_id(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `ModalForm`: a struct whose `String` / `Option<String>` fields are a modal's text
/// inputs (doc comments are the labels).
#[proc_macro_derive(ModalForm, attributes(input))]
pub fn derive_modal_form(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    component::expand_modal_form(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// The command texts of every language but the first, compiled in from
/// `locales/<tag>.ftl` (used by `arsenal_plugin_api::locales!`; not meant to be called directly).
#[doc(hidden)]
#[proc_macro]
pub fn command_texts(input: TokenStream) -> TokenStream {
    locales::expand(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
