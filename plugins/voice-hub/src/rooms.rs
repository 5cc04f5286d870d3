//! Rooms in the store: reading, saving, forgetting, and their deletion once empty (a durable
//! timer, so a restart during the delay still deletes the room; a member coming back cancels
//! it). Only channels with a room record are ever deleted.

use arsenal_plugin_api::{
    model::id::{
        marker::{ChannelMarker, GuildMarker, UserMarker},
        Id,
    },
    protocol::{DiscordRequest, MessageRef},
    Context, Result,
};

use crate::{
    discord,
    model::{delete_timer, presence_key, rename_timer, room_key, room_prefix, Presence, Room},
    ui,
};

/// Room `channel` of `guild`, if the module made it.
///
/// # Errors
///
/// The store failed.
pub fn load(
    ctx: &Context,
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
) -> Result<Option<Room>> {
    ctx.store().get(&room_key(guild, channel))
}

/// Writes `room`.
///
/// # Errors
///
/// The store failed.
pub fn save(ctx: &Context, room: &Room) -> Result<()> {
    ctx.store()
        .set(&room_key(room.guild_id, room.channel_id), room)
}

/// The room `user` owns in `guild`, if any.
///
/// # Errors
///
/// The store failed.
pub fn owned_by(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
) -> Result<Option<Room>> {
    let rooms: Vec<(String, Room)> = ctx.store().list(&room_prefix(guild))?;
    Ok(rooms.into_iter().map(|(_, r)| r).find(|r| r.owner == user))
}

/// Drops everything kept about `room` (its channel is gone): the record, its timers and the
/// presence of whoever was still counted in it.
///
/// # Errors
///
/// The store or the host failed.
pub fn forget(ctx: &Context, room: &Room) -> Result<()> {
    let (guild, channel) = (room.guild_id, room.channel_id);
    ctx.timers().cancel(&delete_timer(guild, channel))?;
    ctx.timers().cancel(&rename_timer(guild, channel))?;
    for user in &room.occupants {
        let key = presence_key(guild, *user);
        if ctx.store().get::<Presence>(&key)?.map(|p| p.channel_id) == Some(channel) {
            ctx.store().delete(&key)?;
        }
    }
    ctx.store().delete(&room_key(guild, channel))?;
    Ok(())
}

/// Schedules the deletion of the (now empty) `room` after its delay.
///
/// # Errors
///
/// The host failed.
pub fn schedule_delete(ctx: &Context, room: &Room) -> Result<()> {
    let at = ctx
        .now()
        .saturating_add(room.empty_delay_secs.saturating_mul(1000));
    ctx.timers()
        .schedule(&delete_timer(room.guild_id, room.channel_id), at, &())
}

/// Cancels a pending deletion of `room` (someone joined).
///
/// # Errors
///
/// The host failed.
pub fn cancel_delete(ctx: &Context, room: &Room) -> Result<()> {
    ctx.timers()
        .cancel(&delete_timer(room.guild_id, room.channel_id))
        .map(drop)
}

/// The `delete:` timer: deletes the room if it is still empty, and forgets it.
///
/// # Errors
///
/// Discord refused the deletion (kept and retried by the host), or the store failed.
pub fn delete_if_empty(
    ctx: &Context,
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
) -> Result<()> {
    let Some(room) = load(ctx, guild, channel)? else {
        return Ok(());
    };
    if !room.occupants.is_empty() {
        return Ok(());
    }
    delete_now(ctx, &room)
}

/// Deletes `room`'s channel and forgets it (also when Discord says it is already gone).
///
/// # Errors
///
/// Discord refused the deletion, or the store failed.
pub fn delete_now(ctx: &Context, room: &Room) -> Result<()> {
    let request = DiscordRequest::DeleteChannel {
        channel_id: room.channel_id,
        reason: Some("Temporary voice channel empty".to_owned()),
    };
    match discord::act(ctx, &request, "deleting an empty voice room") {
        Ok(()) => {}
        Err(e) if discord::is_gone(&e) => {}
        Err(e) => return Err(e),
    }
    forget(ctx, room)
}

/// Re-renders the panel posted in the room's chat after a change (best effort: the change is
/// made whether or not the panel could be updated).
pub fn refresh_panel(ctx: &Context, room: &Room) {
    let Some(message) = room.panel_message else {
        return;
    };
    let request = DiscordRequest::EditMessage {
        target: MessageRef {
            channel_id: room.channel_id,
            message_id: message,
        },
        message: ui::panel(ctx.tr_guild(room.guild_id), room),
    };
    if let Err(e) = discord::act(ctx, &request, "updating the room's panel") {
        log::info!("room {}: {e}", room.channel_id);
    }
}
