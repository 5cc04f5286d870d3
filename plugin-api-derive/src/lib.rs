//! Derives re-exported by `arsenal-plugin-api`: `Command` (a struct of options or an enum of
//! subcommands becomes a command's declaration and its typed parse) and `CommandChoice` (a
//! field-less enum becomes a fixed set of choices). See `arsenal_plugin_api::command`.
//!
//! The expansion is thin: it lists the fields and variants and calls the SDK's non-generic
//! functions, so plugins stay small (they link the SDK as a shared library).

mod attrs;
mod choice;
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
