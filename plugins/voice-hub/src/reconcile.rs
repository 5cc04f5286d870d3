//! Start-up reconcile: when the module starts (a restart or a reload) and when a guild becomes
//! available (its GUILD_CREATE, which after a restart arrives once the module is loaded), the
//! rooms in the store are compared with who is connected now. Occupied rooms keep their owner and
//! get their members counted again; empty ones are deleted after their delay, as if their last
//! member had just left. Only channels with a room record are touched.

use std::collections::BTreeSet;

use arsenal_plugin_api::{
    model::{
        gateway::payload::incoming::GuildCreate,
        id::{marker::GuildMarker, Id},
    },
    protocol::VoiceConnection,
    Context, Result,
};

use crate::{
    discord,
    model::{presence_key, presence_prefix, room_prefix, Presence, Room, ALL_ROOMS},
    rooms,
};

/// When the module starts: every guild with rooms whose voice states the host already has.
/// A guild the host has not received yet is reconciled by its GUILD_CREATE; a failure is
/// logged, never a reason not to start.
pub fn at_start(ctx: &Context) {
    let stored: Vec<(String, Room)> = match ctx.store().list(ALL_ROOMS) {
        Ok(stored) => stored,
        Err(e) => {
            log::warn!("reading the rooms at start failed: {e}");
            return;
        }
    };
    let guilds: BTreeSet<Id<GuildMarker>> = stored.iter().map(|(_, r)| r.guild_id).collect();
    for guild in guilds {
        let outcome = discord::voice_states(ctx, guild).and_then(|states| match states {
            Some(states) => reconcile(ctx, guild, &states),
            None => Ok(()),
        });
        if let Err(e) = outcome {
            log::info!("guild {guild}: rooms not reconciled at start ({e}); its GUILD_CREATE will");
        }
    }
}

/// GUILD_CREATE: the guild's voice states are in the payload.
///
/// # Errors
///
/// The store or host failed.
pub fn on_guild_create(ctx: &Context, event: &GuildCreate) -> Result<()> {
    let GuildCreate::Available(guild) = event else {
        return Ok(());
    };
    let states: Vec<VoiceConnection> = guild
        .voice_states
        .iter()
        .filter_map(|state| {
            Some(VoiceConnection {
                user_id: state.user_id,
                channel_id: state.channel_id?,
                bot: state.member.as_ref().is_some_and(|m| m.user.bot),
            })
        })
        .collect();
    reconcile(ctx, guild.id, &states)
}

/// Brings `guild`'s rooms and presences in line with `states` (who is connected where now).
///
/// # Errors
///
/// The store or host failed.
pub fn reconcile(ctx: &Context, guild: Id<GuildMarker>, states: &[VoiceConnection]) -> Result<()> {
    let stored: Vec<(String, Room)> = ctx.store().list(&room_prefix(guild))?;
    let mut in_rooms = BTreeSet::new();
    for (_, mut room) in stored {
        let occupants: Vec<_> = states
            .iter()
            .filter(|s| s.channel_id == room.channel_id)
            .map(|s| s.user_id)
            .collect();
        in_rooms.extend(occupants.iter().map(|user| (*user, room.channel_id)));
        if room.occupants != occupants {
            room.occupants = occupants;
            rooms::save(ctx, &room)?;
        }
        if room.occupants.is_empty() {
            rooms::schedule_delete(ctx, &room)?;
        } else {
            rooms::cancel_delete(ctx, &room)?;
        }
    }
    let presences: Vec<(String, Presence)> = ctx.store().list(&presence_prefix(guild))?;
    for (key, presence) in presences {
        let still = in_rooms.iter().any(|(user, channel)| {
            presence_key(guild, *user) == key && *channel == presence.channel_id
        });
        if !still {
            ctx.store().delete(&key)?;
        }
    }
    for (user, channel) in in_rooms {
        ctx.store().set(
            &presence_key(guild, user),
            &Presence {
                channel_id: channel,
            },
        )?;
    }
    Ok(())
}
