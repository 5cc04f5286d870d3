//! The community modules (giveaways, suggestions, profiles, voice hub) end to end, through the
//! real host against the simulator: one test binary for the set, one file per module.

#[path = "../common/mod.rs"]
mod common;

mod giveaways;
mod profiles;
mod suggestions;
mod voice_hub;
