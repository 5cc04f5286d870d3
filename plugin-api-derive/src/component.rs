//! `#[derive(CustomId)]` (an enum or struct ↔ a short `custom_id`) and `#[derive(ModalForm)]`
//! (a struct of text inputs).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, LitInt, LitStr};

use crate::attrs;

/// `#[custom_id(tag = "…")]` on a variant, `#[custom_id(module = "…", tag = "…")]` on the type.
#[derive(Default)]
struct IdAttrs {
    tag: Option<LitStr>,
    module: Option<LitStr>,
}

fn id_attrs(list: &[syn::Attribute]) -> syn::Result<IdAttrs> {
    let mut out = IdAttrs::default();
    for attr in list.iter().filter(|a| a.path().is_ident("custom_id")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("tag") {
                out.tag = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("module") {
                out.module = Some(meta.value()?.parse()?);
            } else {
                return Err(meta.error("expected `tag = \"…\"` or `module = \"…\"`"));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn tag(given: Option<&LitStr>, ident: &syn::Ident) -> syn::Result<String> {
    let tag = given.map_or_else(|| attrs::snake_case(ident), LitStr::value);
    if tag.is_empty() || tag.contains(':') || tag.contains('%') {
        return Err(attrs::spanned_error(
            ident,
            "a custom_id tag is non-empty and has no `:` or `%`",
        ));
    }
    Ok(tag)
}

/// One variant (or the struct): its encode arm, parse arm and length.
struct Shape {
    tag: String,
    pattern: TokenStream,
    encode: Vec<TokenStream>,
    build: TokenStream,
    lengths: Vec<TokenStream>,
}

fn shape(path: TokenStream, tag: String, fields: &Fields) -> Shape {
    let mut encode = Vec::new();
    let mut lengths = Vec::new();
    let mut reads = Vec::new();
    let mut bindings = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let ty = &field.ty;
        let binding = format_ident!("__f{index}");
        let name = field
            .ident
            .as_ref()
            .map_or_else(|| index.to_string(), ToString::to_string);
        encode.push(quote! {
            __out.push(':');
            <#ty as __Field>::encode(#binding, &mut __out);
        });
        lengths.push(quote!(<#ty as __Field>::MAX_LEN));
        reads.push(quote!(__reader.field::<#ty>(#name)?));
        bindings.push((field.ident.clone(), binding));
    }
    let (pattern, build) = match fields {
        Fields::Named(_) => {
            let names: Vec<_> = bindings.iter().filter_map(|(n, _)| n.clone()).collect();
            let binds: Vec<_> = bindings.iter().map(|(_, b)| b).collect();
            (
                quote!(#path { #(#names: #binds),* }),
                quote!(#path { #(#names: #reads),* }),
            )
        }
        Fields::Unnamed(_) => {
            let binds: Vec<_> = bindings.iter().map(|(_, b)| b).collect();
            (quote!(#path(#(#binds),*)), quote!(#path(#(#reads),*)))
        }
        Fields::Unit => (path.clone(), path),
    };
    Shape {
        tag,
        pattern,
        encode,
        build,
        lengths,
    }
}

pub fn expand_custom_id(input: &DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(attrs::spanned_error(
            &input.generics,
            "a custom_id type cannot be generic",
        ));
    }
    let top = id_attrs(&input.attrs)?;
    let shapes = match &input.data {
        Data::Enum(data) => {
            if data.variants.is_empty() {
                return Err(attrs::spanned_error(
                    ident,
                    "a custom_id enum needs a variant",
                ));
            }
            let mut shapes: Vec<Shape> = Vec::new();
            for variant in &data.variants {
                let v = &variant.ident;
                let tag = tag(id_attrs(&variant.attrs)?.tag.as_ref(), v)?;
                if shapes.iter().any(|s| s.tag == tag) {
                    return Err(attrs::spanned_error(
                        v,
                        &format!("two variants have the tag `{tag}`: rename one with #[custom_id(tag = \"…\")]"),
                    ));
                }
                shapes.push(shape(quote!(Self::#v), tag, &variant.fields));
            }
            shapes
        }
        Data::Struct(data) => vec![shape(
            quote!(Self),
            tag(top.tag.as_ref(), ident)?,
            &data.fields,
        )],
        Data::Union(_) => {
            return Err(attrs::spanned_error(
                ident,
                "derive CustomId on an enum or a struct",
            ))
        }
    };
    let budget = match &top.module {
        Some(module) => {
            let len = module.value().len();
            quote!(__private::budget(#len))
        }
        None => quote!(__private::budget(__private::MIN_PREFIX - 1)),
    };
    let mut encode_arms = Vec::new();
    let mut parse_arms = Vec::new();
    let mut lengths = Vec::new();
    for shape in &shapes {
        let Shape {
            tag,
            pattern,
            encode,
            build,
            lengths: fields,
        } = shape;
        let tag_len = tag.len();
        encode_arms.push(quote! {
            #pattern => {
                let mut __out = ::std::string::String::from(#tag);
                #(#encode)*
                __out
            }
        });
        parse_arms.push(quote!(#tag => #build));
        lengths.push(quote!(__private::variant_len(#tag_len, &[#(#fields),*])));
    }
    Ok(quote! {
        const _: () = {
            use ::arsenal_plugin_api::component::{CustomIdField as __Field, __private};

            impl ::arsenal_plugin_api::component::CustomId for #ident {
                const MAX_LEN: ::core::option::Option<usize> = __private::max_len(&[#(#lengths),*]);

                #[allow(unused_variables)]
                fn custom_id(&self) -> ::std::string::String {
                    match self {
                        #(#encode_arms)*
                    }
                }

                #[allow(unused_mut)]
                fn parse_custom_id(
                    id: &str,
                ) -> ::core::result::Result<Self, ::arsenal_plugin_api::component::ComponentError> {
                    let (__tag, mut __reader) = __private::Reader::new(id);
                    let __value = match __tag {
                        #(#parse_arms,)*
                        _ => return ::core::result::Result::Err(__private::unknown(id)),
                    };
                    __reader.finish()?;
                    ::core::result::Result::Ok(__value)
                }
            }

            const _: () = __private::check_len(
                <#ident as ::arsenal_plugin_api::component::CustomId>::MAX_LEN,
                #budget,
            );
        };
    })
}

/// `#[input(paragraph, min_length = 1, max_length = 100, placeholder = "…", label = "…")]`.
#[derive(Default)]
struct InputAttrs {
    paragraph: bool,
    min_length: Option<LitInt>,
    max_length: Option<LitInt>,
    placeholder: Option<LitStr>,
    label: Option<LitStr>,
}

fn input_attrs(list: &[syn::Attribute]) -> syn::Result<InputAttrs> {
    let mut out = InputAttrs::default();
    for attr in list.iter().filter(|a| a.path().is_ident("input")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("paragraph") {
                out.paragraph = true;
            } else if meta.path.is_ident("min_length") {
                out.min_length = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("max_length") {
                out.max_length = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("placeholder") {
                out.placeholder = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("label") {
                out.label = Some(meta.value()?.parse()?);
            } else {
                return Err(
                    meta.error("expected paragraph, min_length, max_length, placeholder or label")
                );
            }
            Ok(())
        })?;
    }
    Ok(out)
}

pub fn expand_modal_form(input: &DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    let Data::Struct(data) = &input.data else {
        return Err(attrs::spanned_error(
            ident,
            "derive ModalForm on a struct whose named fields are the text inputs",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(attrs::spanned_error(
            ident,
            "a form's inputs are named fields: `struct Report { subject: String }`",
        ));
    };
    if named.named.is_empty() || named.named.len() > 5 {
        return Err(attrs::spanned_error(
            ident,
            "a modal holds 1 to 5 text inputs",
        ));
    }
    let mut entries = Vec::new();
    let mut reads = Vec::new();
    for (index, field) in named.named.iter().enumerate() {
        let Some(field_ident) = &field.ident else {
            continue;
        };
        let options = input_attrs(&field.attrs)?;
        let id = field_ident.to_string().trim_start_matches("r#").to_owned();
        let label = attrs::description(options.label.as_ref(), &field.attrs, field_ident.span())?;
        if label.chars().count() > 45 {
            return Err(attrs::spanned_error(
                field_ident,
                "an input's label is at most 45 characters: shorten the doc comment or give `label = \"…\"`",
            ));
        }
        let paragraph = options.paragraph;
        let min_length = attrs::length(options.min_length.as_ref())?;
        let max_length = attrs::length(options.max_length.as_ref())?;
        let placeholder = options
            .placeholder
            .map_or(quote!(None), |p| quote!(Some(#p)));
        let ty = &field.ty;
        entries.push(quote! {
            ::arsenal_plugin_api::component::InputEntry {
                id: #id,
                label: #label,
                paragraph: #paragraph,
                required: <#ty as __Input>::REQUIRED,
                min_length: #min_length,
                max_length: #max_length,
                placeholder: #placeholder,
            }
        });
        reads.push(quote!(#field_ident: <#ty as __Input>::read(modal, &Self::INPUTS[#index])?));
    }
    Ok(quote! {
        const _: () = {
            use ::arsenal_plugin_api::component::__private::InputValue as __Input;

            impl ::arsenal_plugin_api::component::ModalForm for #ident {
                const INPUTS: &'static [::arsenal_plugin_api::component::InputEntry] = &[#(#entries),*];

                fn from_modal(
                    modal: &::arsenal_plugin_api::protocol::ModalInvocation,
                ) -> ::core::result::Result<Self, ::arsenal_plugin_api::component::ComponentError> {
                    ::core::result::Result::Ok(Self { #(#reads),* })
                }
            }
        };
    })
}
