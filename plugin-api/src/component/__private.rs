//! What `#[derive(CustomId)]` and `#[derive(ModalForm)]` expand to call: compiled once, in the
//! SDK runtime. Not part of the public API.

use twilight_model::channel::message::component::{ActionRow, TextInput, TextInputStyle};
use twilight_model::channel::message::Component;

use super::{ComponentError, CustomIdField, InputEntry, CUSTOM_ID_MAX};
use crate::protocol::{Modal, ModalInvocation};

/// The shortest prefix the host adds: a one-letter module name and `:`.
pub const MIN_PREFIX: usize = 2;

/// The budget of a type's own id when its module's name is `module_len` long.
#[must_use]
pub const fn budget(module_len: usize) -> usize {
    CUSTOM_ID_MAX - module_len - 1
}

/// The longest id of a variant: its tag, then `:` and each field.
#[must_use]
pub const fn variant_len(tag_len: usize, fields: &[Option<usize>]) -> Option<usize> {
    let mut total = tag_len;
    let mut index = 0;
    while index < fields.len() {
        match fields[index] {
            Some(len) => total += 1 + len,
            None => return None,
        }
        index += 1;
    }
    Some(total)
}

/// The longest of the variants' ids (`None` when one is unbounded).
#[must_use]
pub const fn max_len(variants: &[Option<usize>]) -> Option<usize> {
    let mut longest = 0;
    let mut index = 0;
    while index < variants.len() {
        match variants[index] {
            Some(len) if len > longest => longest = len,
            Some(_) => {}
            None => return None,
        }
        index += 1;
    }
    Some(longest)
}

/// Fails the build when a bounded id can exceed `budget`.
pub const fn check_len(max: Option<usize>, budget: usize) {
    if let Some(max) = max {
        assert!(
            max <= budget,
            "this custom_id type can encode to more characters than Discord allows after the host's `<module>:` prefix: shorten the tags (#[custom_id(tag = \"…\")]) or use fewer or narrower fields"
        );
    }
}

/// Appends `text` with `%` and `:` escaped.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            ':' => out.push_str("%3A"),
            c => out.push(c),
        }
    }
}

/// Reverses [`escape`].
#[must_use]
pub fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let code = rest.get(at + 1..at + 3)?;
        out.push(match code {
            "25" => '%',
            "3A" => ':',
            _ => return None,
        });
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    Some(out)
}

/// Reads an id field by field.
#[derive(Debug)]
pub struct Reader<'a> {
    id: &'a str,
    parts: std::str::Split<'a, char>,
}

impl<'a> Reader<'a> {
    /// The id's tag, and a reader of its fields.
    #[must_use]
    pub fn new(id: &'a str) -> (&'a str, Self) {
        let mut parts = id.split(':');
        let tag = parts.next().unwrap_or_default();
        (tag, Self { id, parts })
    }

    /// The next field.
    ///
    /// # Errors
    ///
    /// When it is missing or does not read as `T`.
    pub fn field<T: CustomIdField>(&mut self, name: &str) -> Result<T, ComponentError> {
        self.parts
            .next()
            .and_then(T::decode)
            .ok_or_else(|| field_error(self.id, name, T::WHAT))
    }

    /// Checks nothing is left.
    ///
    /// # Errors
    ///
    /// When the id has more fields than its variant.
    pub fn finish(mut self) -> Result<(), ComponentError> {
        match self.parts.next() {
            None => Ok(()),
            Some(_) => Err(stale(
                self.id,
                "it has more fields than this version writes",
            )),
        }
    }
}

#[inline(never)]
fn field_error(id: &str, name: &str, what: &str) -> ComponentError {
    stale(id, &format!("its `{name}` is not {what}"))
}

#[inline(never)]
fn stale(id: &str, why: &str) -> ComponentError {
    ComponentError::new(format!(
        "This control no longer works (id `{id}`: {why}); it may come from an older version of the module. Run the command again."
    ))
}

/// An id whose tag names no variant.
#[inline(never)]
#[must_use]
pub fn unknown(id: &str) -> ComponentError {
    stale(id, "no control of this module has that name")
}

/// A modal of text inputs.
#[inline(never)]
#[must_use]
pub fn modal(custom_id: String, title: &str, inputs: &[InputEntry]) -> Modal {
    let components = inputs
        .iter()
        .map(|input| {
            #[allow(deprecated)]
            let text = TextInput {
                custom_id: input.id.to_owned(),
                id: None,
                label: Some(input.label.to_owned()),
                max_length: input.max_length,
                min_length: input.min_length,
                placeholder: input.placeholder.map(str::to_owned),
                required: Some(input.required),
                style: if input.paragraph {
                    TextInputStyle::Paragraph
                } else {
                    TextInputStyle::Short
                },
                value: None,
            };
            Component::ActionRow(ActionRow {
                components: vec![Component::TextInput(text)],
                id: None,
            })
        })
        .collect();
    Modal {
        custom_id,
        title: title.chars().take(45).collect(),
        components,
    }
}

/// The value of `input` (`None` when absent or left empty), its lengths checked.
///
/// # Errors
///
/// When it breaks its declared lengths.
#[inline(never)]
pub fn input_text(
    modal: &ModalInvocation,
    input: &InputEntry,
) -> Result<Option<String>, ComponentError> {
    let Some(value) = modal
        .fields
        .iter()
        .find(|field| field.custom_id == input.id)
        .map(|field| field.value.as_str())
        .filter(|value| !value.is_empty())
    else {
        return Ok(None);
    };
    let length = value.chars().count();
    if let Some(min) = input.min_length.filter(|min| length < usize::from(*min)) {
        return Err(ComponentError::new(format!(
            "{} needs at least {min} characters.",
            input.label
        )));
    }
    if let Some(max) = input.max_length.filter(|max| length > usize::from(*max)) {
        return Err(ComponentError::new(format!(
            "{} takes at most {max} characters.",
            input.label
        )));
    }
    Ok(Some(value.to_owned()))
}

/// A required input that was not filled.
#[inline(never)]
#[must_use]
pub fn missing(input: &InputEntry) -> ComponentError {
    ComponentError::new(format!("{} is required.", input.label))
}

/// A field type of a [`super::ModalForm`]: `String` (required) or `Option<String>`.
pub trait InputValue: Sized {
    /// Whether Discord makes the user fill it.
    const REQUIRED: bool;

    /// Reads the input.
    ///
    /// # Errors
    ///
    /// When a required input is missing or a length is broken.
    fn read(modal: &ModalInvocation, input: &InputEntry) -> Result<Self, ComponentError>;
}

impl InputValue for String {
    const REQUIRED: bool = true;

    fn read(modal: &ModalInvocation, input: &InputEntry) -> Result<Self, ComponentError> {
        input_text(modal, input)?.ok_or_else(|| missing(input))
    }
}

impl InputValue for Option<String> {
    const REQUIRED: bool = false;

    fn read(modal: &ModalInvocation, input: &InputEntry) -> Result<Self, ComponentError> {
        input_text(modal, input)
    }
}
