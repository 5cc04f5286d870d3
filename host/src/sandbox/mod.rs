//! The token-less sandbox: the host against an in-process simulator, driven from a terminal.

pub mod console;
