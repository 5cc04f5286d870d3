//! `#[derive(CommandChoice)]`: a field-less enum as a string option with fixed choices.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use crate::attrs;

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let Data::Enum(data) = &input.data else {
        return Err(attrs::spanned_error(
            ident,
            "derive CommandChoice on a field-less enum",
        ));
    };
    if !input.generics.params.is_empty() || data.variants.is_empty() {
        return Err(attrs::spanned_error(
            ident,
            "derive CommandChoice on a non-generic enum with variants",
        ));
    }
    let mut choices = Vec::new();
    let mut from_index = Vec::new();
    let mut values = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (index, variant) in data.variants.iter().enumerate() {
        let variant_ident = &variant.ident;
        if !matches!(variant.fields, Fields::Unit) {
            return Err(attrs::spanned_error(
                variant_ident,
                "a choice is a variant without fields",
            ));
        }
        let choice = attrs::choice(&variant.attrs)?;
        let name = choice
            .name
            .as_ref()
            .map_or_else(|| variant_ident.to_string(), syn::LitStr::value);
        let value = choice
            .value
            .as_ref()
            .map_or_else(|| attrs::snake_case(variant_ident), syn::LitStr::value);
        for (what, text) in [("name", &name), ("value", &value)] {
            if text.is_empty() || text.chars().count() > 100 {
                return Err(attrs::spanned_error(
                    variant_ident,
                    &format!("a choice {what} is 1 to 100 characters"),
                ));
            }
        }
        if seen.iter().any(|(n, v)| *n == name || *v == value) {
            return Err(attrs::spanned_error(
                variant_ident,
                "two choices share a name or a value: Discord needs distinct ones",
            ));
        }
        choices.push(quote!((#name, #value)));
        values.push(quote!(Self::#variant_ident => #value));
        seen.push((name, value));
        from_index.push(quote!(#index => ::core::option::Option::Some(Self::#variant_ident)));
    }
    Ok(quote! {
        impl ::arsenal_plugin_api::command::CommandChoice for #ident {
            const CHOICES: &'static [(&'static str, &'static str)] = &[#(#choices),*];

            fn from_index(index: usize) -> ::core::option::Option<Self> {
                match index {
                    #(#from_index,)*
                    _ => ::core::option::Option::None,
                }
            }

            fn value(&self) -> &'static str {
                match self {
                    #(#values,)*
                }
            }
        }

        impl ::arsenal_plugin_api::command::OptionValue for #ident {
            const KIND: ::arsenal_plugin_api::model::application::command::CommandOptionType =
                ::arsenal_plugin_api::model::application::command::CommandOptionType::String;

            fn complete(option: &mut ::arsenal_plugin_api::model::application::command::CommandOption) {
                ::arsenal_plugin_api::command::__private::choice_complete::<Self>(option);
            }

            fn from_arg(
                value: &::arsenal_plugin_api::protocol::ArgValue,
                meta: &::arsenal_plugin_api::command::OptionMeta,
                _: &::arsenal_plugin_api::CommandInvocation,
            ) -> ::core::result::Result<Self, ::arsenal_plugin_api::command::ParseError> {
                ::arsenal_plugin_api::command::__private::choice_from_arg::<Self>(value, meta)
            }
        }
    })
}
