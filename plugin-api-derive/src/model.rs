//! `#[derive(Command)]`: a struct of options or an enum of subcommands (and groups).

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, Type};

use crate::attrs;

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    if !input.generics.params.is_empty() {
        return Err(attrs::spanned_error(
            &input.generics,
            "a command type cannot be generic",
        ));
    }
    let command = attrs::command(&input.attrs)?;
    let model = match &input.data {
        Data::Struct(data) => options(input, &data.fields)?,
        Data::Enum(data) => subcommands(input, data)?,
        Data::Union(_) => {
            return Err(attrs::spanned_error(
                &input.ident,
                "derive Command on a struct of options or an enum of subcommands",
            ))
        }
    };
    let top = match &command.name {
        Some(_) => top_level(input, &command)?,
        None => {
            if command.permissions.is_some() || command.prefix.is_some() || command.slash.is_some()
            {
                return Err(attrs::spanned_error(
                    &input.ident,
                    "permissions, prefix and slash need a command: add `name = \"…\"` (or put them on the enum variant)",
                ));
            }
            TokenStream::new()
        }
    };
    Ok(quote! {
        const _: () = {
            use ::arsenal_plugin_api::command::{
                CommandModel as __Model, OptionMeta as __Meta, OptionValue as __Value,
                Args as __Args, ParseError as __Error, __private,
            };
            use ::arsenal_plugin_api::model::application::command::CommandOption as __Option;
            #model
            #top
        };
    })
}

/// `impl Command`: the top-level declaration.
fn top_level(input: &DeriveInput, command: &attrs::CommandAttrs) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let name = attrs::name(command.name.as_ref(), "", ident.span())?;
    let description = attrs::description(command.desc.as_ref(), &input.attrs, ident.span())?;
    let permissions = attrs::permissions(command.permissions.as_ref())?;
    let slash = command.slash.unwrap_or(true);
    let prefix = command.prefix.unwrap_or(false);
    if !slash && !prefix {
        return Err(attrs::spanned_error(
            ident,
            "a command with slash = false needs prefix",
        ));
    }
    Ok(quote! {
        impl ::arsenal_plugin_api::command::Command for #ident {
            fn spec() -> ::arsenal_plugin_api::CommandSpec {
                __private::spec(
                    #name, #description, #permissions, #slash, #prefix,
                    <Self as __Model>::options, <Self as __Model>::subcommand_permissions,
                )
            }
        }
    })
}

/// A struct: each named field is an option.
fn options(input: &DeriveInput, fields: &Fields) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let fields: Vec<&syn::Field> = match fields {
        Fields::Named(named) => named.named.iter().collect(),
        Fields::Unit => Vec::new(),
        Fields::Unnamed(_) => {
            return Err(attrs::spanned_error(
                ident,
                "options are named fields: `struct Pay { amount: i64 }`",
            ))
        }
    };
    let mut entries = Vec::new();
    let mut parsed = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut seen_optional = None;
    for (index, field) in fields.iter().enumerate() {
        let Some(field_ident) = &field.ident else {
            continue;
        };
        let option = attrs::option(&field.attrs)?;
        let default = field_ident.to_string().trim_start_matches("r#").to_owned();
        let name = attrs::name(option.rename.as_ref(), &default, field_ident.span())?;
        if names.contains(&name) {
            return Err(attrs::spanned_error(
                field_ident,
                &format!("two options are named `{name}`: Discord needs distinct names"),
            ));
        }
        names.push(name.clone());
        let description =
            attrs::description(option.desc.as_ref(), &field.attrs, field_ident.span())?;
        // Discord refuses a required option after an optional one: say so at compile time.
        if is_option(&field.ty) {
            seen_optional.get_or_insert(field_ident);
        } else if let Some(optional) = seen_optional {
            return Err(attrs::spanned_error(
                field_ident,
                &format!("Discord lists required options first: move `{field_ident}` before the optional `{optional}`"),
            ));
        }
        let min_value = option.min_value.map_or(quote!(None), |v| quote!(Some(#v)));
        let max_value = option.max_value.map_or(quote!(None), |v| quote!(Some(#v)));
        let min_length = attrs::length(option.min_length.as_ref())?;
        let max_length = attrs::length(option.max_length.as_ref())?;
        let channel_types = &option.channel_types;
        let autocomplete = option.autocomplete;
        let ty = &field.ty;
        entries.push(quote! {
            __private::OptionEntry {
                meta: __Meta {
                    name: #name,
                    description: #description,
                    min_value: #min_value,
                    max_value: #max_value,
                    min_length: #min_length,
                    max_length: #max_length,
                    channel_types: &[#(::arsenal_plugin_api::model::channel::ChannelType::#channel_types),*],
                    autocomplete: #autocomplete,
                },
                kind: <#ty as __Value>::KIND,
                required: <#ty as __Value>::REQUIRED,
                complete: <#ty as __Value>::complete,
            }
        });
        parsed.push(quote!(#field_ident: args.option::<#ty>(&__OPTIONS[#index].meta)?));
    }
    let build = if fields.is_empty()
        && matches!(input.data, Data::Struct(ref s) if matches!(s.fields, Fields::Unit))
    {
        quote!(Self)
    } else {
        quote!(Self { #(#parsed),* })
    };
    let args = if parsed.is_empty() {
        quote!(_)
    } else {
        quote!(args)
    };
    Ok(quote! {
        static __OPTIONS: &[__private::OptionEntry] = &[#(#entries),*];

        impl __Model for #ident {
            const SUBCOMMANDS: bool = false;

            fn options() -> ::std::vec::Vec<__Option> {
                __private::options(__OPTIONS)
            }

            fn from_args(#args: &mut __Args<'_>) -> ::core::result::Result<Self, __Error> {
                ::core::result::Result::Ok(#build)
            }
        }
    })
}

/// Whether a field's type is spelled `Option<…>` (only used to order options; the type
/// itself decides what is required).
fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// An enum: each variant is a subcommand (unit, or holding a derived struct) or a group
/// (holding a derived enum).
fn subcommands(input: &DeriveInput, data: &syn::DataEnum) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    if data.variants.is_empty() {
        return Err(attrs::spanned_error(
            ident,
            "an enum of subcommands needs a variant",
        ));
    }
    let mut names = Vec::new();
    let mut entries = Vec::new();
    let mut arms = Vec::new();
    let count = data.variants.len();
    for (index, variant) in data.variants.iter().enumerate() {
        let variant_ident = &variant.ident;
        let command = attrs::command(&variant.attrs)?;
        if command.prefix.is_some() || command.slash.is_some() {
            return Err(attrs::spanned_error(
                variant_ident,
                "prefix and slash apply to the whole command, not to a subcommand",
            ));
        }
        let name = attrs::name(
            command.name.as_ref(),
            &attrs::snake_case(variant_ident),
            variant_ident.span(),
        )?;
        if names.contains(&name) {
            return Err(attrs::spanned_error(
                variant_ident,
                &format!("two subcommands are named `{name}`: Discord needs distinct names"),
            ));
        }
        let description =
            attrs::description(command.desc.as_ref(), &variant.attrs, variant_ident.span())?;
        let required = attrs::permissions(command.permissions.as_ref())?;
        let pattern = if index + 1 == count {
            quote!(_)
        } else {
            quote!(#index)
        };
        match &variant.fields {
            Fields::Unit => {
                entries.push(quote!(__private::SubcommandEntry {
                    name: #name, description: #description, permissions: #required,
                    inner: ::core::option::Option::None,
                }));
                arms.push(quote!(#pattern => ::core::result::Result::Ok(Self::#variant_ident)));
            }
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                let inner = &fields.unnamed[0].ty;
                entries.push(quote!(__private::SubcommandEntry {
                    name: #name, description: #description, permissions: #required,
                    inner: ::core::option::Option::Some(__private::Inner {
                        group: <#inner as __Model>::SUBCOMMANDS,
                        options: <#inner as __Model>::options,
                        permissions: <#inner as __Model>::subcommand_permissions,
                    }),
                }));
                arms.push(quote!(#pattern => ::core::result::Result::Ok(
                    Self::#variant_ident(<#inner as __Model>::from_args(args)?)
                )));
            }
            _ => {
                return Err(attrs::spanned_error(
                    variant_ident,
                    "a subcommand is a unit variant or holds one derived type: `Pay(Pay)`",
                ))
            }
        }
        names.push(name);
    }
    Ok(quote! {
        static __SUBCOMMANDS: &[__private::SubcommandEntry] = &[#(#entries),*];

        impl __Model for #ident {
            const SUBCOMMANDS: bool = true;

            fn options() -> ::std::vec::Vec<__Option> {
                __private::subcommands(__SUBCOMMANDS)
            }

            fn subcommand_permissions(
                path: &str,
                out: &mut ::std::vec::Vec<(::std::string::String, ::arsenal_plugin_api::model::guild::Permissions)>,
            ) {
                __private::subcommand_permissions(path, out, __SUBCOMMANDS);
            }

            fn from_args(args: &mut __Args<'_>) -> ::core::result::Result<Self, __Error> {
                match args.subcommand(&[#(#names),*])? {
                    #(#arms,)*
                }
            }
        }
    })
}
