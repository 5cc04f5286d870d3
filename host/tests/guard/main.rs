//! The server-guard modules (automod, logs, reaction roles, welcome) end to end, through the real
//! host against the simulator: one test binary for the set (every binary is another link step),
//! one file per module.

#[path = "../common/mod.rs"]
mod common;

mod automod;
mod logs;
mod reaction_roles;
mod welcome;
