//! Whether automod's raid mode is on in a server: greetings, goodbyes and welcome DMs pause
//! while it is (roles on join and the new-account notice do not: see the README).
//!
//! Asked of automod through the host's request bus (`raid.status`, the server's id), once per
//! join or leave: automod owns that state and welcome never reads automod's data.

use arsenal_plugin_api::prelude::*;
use serde::Deserialize;

/// Automod's answer to `raid.status`: `{"active": true}` (also read: a bare `true`/`false`, or
/// `"active"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RaidStatus {
    Object { active: bool },
    Flag(bool),
    Word(String),
}

impl RaidStatus {
    fn active(&self) -> bool {
        match self {
            Self::Object { active } | Self::Flag(active) => *active,
            Self::Word(word) => word == "active",
        }
    }
}

/// Whether raid mode is on in `guild`. Anything but a clear "on" greets as usual: automod not
/// loaded (a server without it), or failing, must not silence a server's greetings.
pub fn is_on(ctx: &Context, guild: Id<GuildMarker>) -> bool {
    match ctx
        .modules()
        .ask_in::<_, RaidStatus>(guild, "automod", "raid.status", &guild)
    {
        Ok(status) => status.active(),
        Err(e) if e.module_failure() == Some(ModuleFailure::NotLoaded) => false,
        Err(e) => {
            log::warn!("raid mode unknown in {guild}, greeting as usual: {e}");
            false
        }
    }
}
