//! The `logs` module: a server's activity posted to log channels, per category — message edits
//! (before and after) and deletes with their content, bulk deletes as a text file, joins (with
//! account age) and leaves, role and nickname changes, bans, unbans and timeouts, channel and
//! role changes, voice joins, moves and leaves.
//!
//! Configured with `/logs` (Manage Server). Everything is in the module's store namespace:
//! settings (`cfg:<guild>`, [`config`]), the message cache ([`cache`]), snapshots for
//! before/after ([`snapshot`]) and each log channel's webhook ([`sink`]); the instance holds
//! only an index of the cache, rebuilt from the store, so a reload or restart loses nothing.

pub mod cache;
pub mod commands;
pub mod config;
pub mod events;
pub mod format;
pub mod sink;
pub mod snapshot;
pub mod sweep;

use arsenal_plugin_api::{
    model::gateway::payload::incoming::{
        BanAdd, BanRemove, ChannelCreate, ChannelDelete, ChannelUpdate, GuildCreate, MemberAdd,
        MemberRemove, MemberUpdate, MessageCreate, MessageDelete, MessageDeleteBulk, MessageUpdate,
        RoleCreate, RoleDelete, RoleUpdate, VoiceStateUpdate,
    },
    prelude::*,
    protocol::TimerFired,
};

use crate::events::{members, messages, server, voice};

/// The module.
#[derive(Debug, Default)]
pub struct Logs {
    /// Which messages each channel's cache holds (rebuilt from the store after a reload).
    pub cache: cache::MessageCache,
}

impl Plugin for Logs {
    const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");
    // Version 1: the layout described in the module docs (no migration yet).
    const DATA_VERSION: u32 = 1;

    fn manifest() -> Manifest {
        Manifest::new("logs", env!("CARGO_PKG_VERSION"))
            .description("Server logs: message edits and deletes, members, moderation, server and voice changes")
            .intents(
                Intents::GUILDS
                    | Intents::GUILD_MEMBERS
                    | Intents::GUILD_MODERATION
                    | Intents::GUILD_MESSAGES
                    | Intents::MESSAGE_CONTENT
                    | Intents::GUILD_VOICE_STATES,
            )
            .command(commands::LogsCommand::spec())
    }

    fn events(events: &mut Events<Self>) {
        events
            .on::<MessageCreate>(messages::created)
            .on::<MessageUpdate>(messages::updated)
            .on::<MessageDelete>(messages::deleted)
            .on::<MessageDeleteBulk>(messages::bulk_deleted)
            .on::<MemberAdd>(|_, ctx, e| members::joined(ctx, e))
            .on::<MemberRemove>(|_, ctx, e| members::left(ctx, e))
            .on::<MemberUpdate>(|_, ctx, e| members::updated(ctx, e))
            .on::<BanAdd>(|_, ctx, e| members::banned(ctx, e))
            .on::<BanRemove>(|_, ctx, e| members::unbanned(ctx, e))
            .on::<ChannelCreate>(|_, ctx, e| server::channel_created(ctx, e))
            .on::<ChannelUpdate>(|_, ctx, e| server::channel_updated(ctx, e))
            .on::<ChannelDelete>(|_, ctx, e| server::channel_deleted(ctx, e))
            .on::<RoleCreate>(|_, ctx, e| server::role_created(ctx, e))
            .on::<RoleUpdate>(|_, ctx, e| server::role_updated(ctx, e))
            .on::<RoleDelete>(|_, ctx, e| server::role_deleted(ctx, e))
            .on::<GuildCreate>(|_, ctx, e| server::guild_created(ctx, e))
            .on::<VoiceStateUpdate>(|_, ctx, e| voice::state_updated(ctx, e));
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Logs::default())
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        commands::run(self, ctx, command)
    }

    fn on_timer(&mut self, ctx: &Context, timer: &TimerFired) -> Result<()> {
        if timer.key.starts_with("sweep:") {
            return sweep::run(self, ctx, &timer.payload);
        }
        log::warn!("unknown timer {:?} dropped", timer.key);
        Ok(())
    }
}

arsenal_plugin_api::export_plugin!(Logs);

#[cfg(test)]
mod tests;
