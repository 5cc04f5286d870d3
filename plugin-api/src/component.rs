//! Components and forms as types.
//!
//! `#[derive(CustomId)]` on an enum (or a struct) gives a short, stable `custom_id` and its typed
//! parse: `Ticket::Close { ticket: 42 }` ↔ `close:42`. The host puts `<module>:` in front of every
//! id, and Discord allows 100 characters in all, so a type whose fields are all bounded (numbers,
//! ids, `bool`) is checked at build time against `100 − 2` (the shortest module name), or against
//! the real budget with `#[custom_id(module = "tickets")]`; text fields are checked at run time
//! (the SDK refuses a response whose ids do not fit, naming the id).
//!
//! `#[derive(ModalForm)]` on a struct of `String` / `Option<String>` fields declares a modal's text
//! inputs and reads the submission by field.
//!
//! ```
//! use arsenal_plugin_api::prelude::*;
//!
//! #[derive(Debug, PartialEq, CustomId)]
//! #[custom_id(module = "tickets")]
//! enum TicketButton {
//!     Close { ticket: u64 },
//!     #[custom_id(tag = "c")]
//!     Claim(u64),
//!     Refresh,
//! }
//!
//! /// Report a problem
//! #[derive(ModalForm)]
//! struct Report {
//!     /// Subject
//!     #[input(max_length = 100)]
//!     subject: String,
//!     /// What happened
//!     #[input(paragraph, placeholder = "Steps, links…")]
//!     details: Option<String>,
//! }
//!
//! let close = TicketButton::Close { ticket: 42 };
//! assert_eq!(close.custom_id(), "close:42");
//! assert_eq!(TicketButton::parse_custom_id("c:7"), Ok(TicketButton::Claim(7)));
//! assert!(TicketButton::parse_custom_id("close:x").is_err());
//! let modal = Report::modal(&close, "Report");
//! assert_eq!(modal.components.len(), 2);
//! ```
//!
//! A type whose ids cannot fit fails to build:
//! ```compile_fail,E0080
//! # use arsenal_plugin_api::prelude::*;
//! #[derive(CustomId)]
//! #[custom_id(module = "a_rather_long_module_name_here")]
//! enum Wide {
//!     Many { a: u64, b: u64, c: u64, d: u64 },
//! }
//! ```

use std::fmt;

pub use arsenal_plugin_api_derive::{CustomId, ModalForm};
use twilight_model::id::Id;

use crate::protocol::{ComponentInvocation, Modal, ModalInvocation, Response};

/// Discord's limit on a `custom_id`, the host's `<module>:` prefix included.
pub const CUSTOM_ID_MAX: usize = 100;

/// A typed `custom_id` (derive it).
pub trait CustomId: Sized {
    /// The longest id this type encodes to, or `None` when a field is unbounded text.
    const MAX_LEN: Option<usize>;

    /// The id, without the host's `<module>:` prefix.
    fn custom_id(&self) -> String;

    /// Reads an id this type wrote.
    ///
    /// # Errors
    ///
    /// When the id names no variant or a field does not read (an id from an older version).
    fn parse_custom_id(id: &str) -> Result<Self, ComponentError>;

    /// Reads the id of a pressed button or a chosen select menu.
    ///
    /// # Errors
    ///
    /// As [`CustomId::parse_custom_id`].
    fn from_component(component: &ComponentInvocation) -> Result<Self, ComponentError> {
        Self::parse_custom_id(&component.custom_id)
    }

    /// Reads the id of a submitted modal.
    ///
    /// # Errors
    ///
    /// As [`CustomId::parse_custom_id`].
    fn from_modal(modal: &ModalInvocation) -> Result<Self, ComponentError> {
        Self::parse_custom_id(&modal.custom_id)
    }
}

/// A modal's text inputs as a struct (derive it).
pub trait ModalForm: Sized {
    /// The inputs, in order.
    const INPUTS: &'static [InputEntry];

    /// The modal to open, routed back to `on_modal` with `custom_id`.
    fn modal(custom_id: &impl CustomId, title: &str) -> Modal {
        __private::modal(custom_id.custom_id(), title, Self::INPUTS)
    }

    /// The submitted values, by field.
    ///
    /// # Errors
    ///
    /// When a required input is missing or a value breaks its declared length.
    fn from_modal(modal: &ModalInvocation) -> Result<Self, ComponentError>;
}

/// One text input of a [`ModalForm`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputEntry {
    /// Its `custom_id` (the field's name).
    pub id: &'static str,
    /// The label (the field's doc comment), up to 45 characters.
    pub label: &'static str,
    /// A multi-line input.
    pub paragraph: bool,
    /// Whether Discord makes the user fill it (`String`: yes, `Option<String>`: no).
    pub required: bool,
    /// Shortest accepted value.
    pub min_length: Option<u16>,
    /// Longest accepted value.
    pub max_length: Option<u16>,
    /// Grey hint text.
    pub placeholder: Option<&'static str>,
}

/// Why a `custom_id` or a modal submission did not read. Show it to the user with
/// `Response::from(error)` (ephemeral), or return it with `?` (an [`crate::Error`] of kind
/// `Invalid`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentError {
    message: String,
}

impl ComponentError {
    /// An error with this text.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// What went wrong, for the user.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ComponentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ComponentError {}

impl From<ComponentError> for Response {
    fn from(error: ComponentError) -> Self {
        Self::ephemeral(error.message)
    }
}

impl From<ComponentError> for crate::Error {
    fn from(error: ComponentError) -> Self {
        Self::invalid(error.message)
    }
}

/// A value a `custom_id` can carry. `MAX_LEN` is its longest encoding (`None`: unbounded).
pub trait CustomIdField {
    /// The longest encoding, or `None`.
    const MAX_LEN: Option<usize>;
    /// What it is, for errors ("a whole number").
    const WHAT: &'static str;

    /// Appends its encoding (never containing `:`).
    fn encode(&self, out: &mut String);

    /// Reads its encoding.
    fn decode(text: &str) -> Option<Self>
    where
        Self: Sized;
}

macro_rules! integer_fields {
    ($($ty:ty => $len:expr),*) => {$(
        impl CustomIdField for $ty {
            const MAX_LEN: Option<usize> = Some($len);
            const WHAT: &'static str = "a whole number";

            fn encode(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }

            fn decode(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}

integer_fields!(u8 => 3, u16 => 5, u32 => 10, u64 => 20, i8 => 4, i16 => 6, i32 => 11, i64 => 20);

impl CustomIdField for bool {
    const MAX_LEN: Option<usize> = Some(1);
    const WHAT: &'static str = "1 or 0";

    fn encode(&self, out: &mut String) {
        out.push(if *self { '1' } else { '0' });
    }

    fn decode(text: &str) -> Option<Self> {
        match text {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }
    }
}

impl<T> CustomIdField for Id<T> {
    const MAX_LEN: Option<usize> = Some(20);
    const WHAT: &'static str = "a Discord id";

    fn encode(&self, out: &mut String) {
        out.push_str(&self.get().to_string());
    }

    fn decode(text: &str) -> Option<Self> {
        text.parse().ok().and_then(Id::new_checked)
    }
}

impl CustomIdField for String {
    const MAX_LEN: Option<usize> = None;
    const WHAT: &'static str = "text";

    fn encode(&self, out: &mut String) {
        __private::escape(self, out);
    }

    fn decode(text: &str) -> Option<Self> {
        __private::unescape(text)
    }
}

/// Where the derived code's work is done (non-generic, in the SDK runtime). Not public API.
#[doc(hidden)]
pub mod __private;

#[cfg(test)]
mod tests;
