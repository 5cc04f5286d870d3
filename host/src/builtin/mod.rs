//! The host's own commands (administrators and owners only). Each renders plain text that the
//! Discord layer sends as an ephemeral reply and the sandbox console prints.

pub mod persistence;
