//! Renames within Discord's allowance: two per channel every ten minutes. The module keeps when
//! each room was renamed, applies a rename at once when allowed, and otherwise queues it on a
//! durable `rename:` timer set for the moment Discord allows the next one (a later request
//! replaces the queued name). It never sends a rename Discord would refuse.

use arsenal_plugin_api::{
    model::id::{
        marker::{ChannelMarker, GuildMarker},
        Id,
    },
    protocol::DiscordRequest,
    Context, Result,
};

use crate::{
    discord,
    model::{rename_timer, Room, RENAMES_PER_WINDOW, RENAME_WINDOW_MS},
    rooms,
};

/// What became of a rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renamed {
    /// Applied now.
    Now,
    /// Queued until this moment (Unix ms).
    Queued { at_ms: u64 },
}

/// When the next rename is allowed, given the renames of the last ten minutes; `None`: now.
#[must_use]
pub fn next_allowed(renames_ms: &[u64], now_ms: u64) -> Option<u64> {
    let recent: Vec<u64> = renames_ms
        .iter()
        .copied()
        .filter(|at| now_ms.saturating_sub(*at) < RENAME_WINDOW_MS)
        .collect();
    if recent.len() < RENAMES_PER_WINDOW {
        return None;
    }
    // The oldest of the recent ones leaves the window first.
    recent.iter().min().map(|oldest| oldest + RENAME_WINDOW_MS)
}

/// Renames `room` to `name` now or queues it; `room` is saved either way.
///
/// # Errors
///
/// Discord refused the rename (other than its rate limit), or the store or host failed.
pub fn request(ctx: &Context, room: &mut Room, name: &str) -> Result<Renamed> {
    let now = ctx.now();
    room.renames_ms
        .retain(|at| now.saturating_sub(*at) < RENAME_WINDOW_MS);
    let waiting = room.pending_name.is_some();
    let mut limited = false;
    if let (None, false) = (next_allowed(&room.renames_ms, now), waiting) {
        match apply(ctx, room, name) {
            Ok(()) => {
                rooms::save(ctx, room)?;
                return Ok(Renamed::Now);
            }
            // Renamed by hand in Discord meanwhile: Discord's window is fuller than ours.
            Err(e) if e.discord_status() == Some(429) => {
                room.renames_ms.push(now);
                limited = true;
            }
            Err(e) => return Err(e),
        }
    }
    let at_ms = match next_allowed(&room.renames_ms, now) {
        Some(at_ms) => at_ms,
        None if limited => now + RENAME_WINDOW_MS,
        // A queued rename whose moment has come: its timer applies this name instead.
        None => now,
    };
    room.pending_name = Some(name.to_owned());
    rooms::save(ctx, room)?;
    ctx.timers()
        .schedule(&rename_timer(room.guild_id, room.channel_id), at_ms, &())?;
    Ok(Renamed::Queued { at_ms })
}

/// Sends the rename and records it.
fn apply(ctx: &Context, room: &mut Room, name: &str) -> Result<()> {
    discord::act(
        ctx,
        &DiscordRequest::UpdateVoiceChannel {
            channel_id: room.channel_id,
            name: Some(name.to_owned()),
            user_limit: None,
            permission_overwrites: None,
        },
        "renaming the room",
    )?;
    room.renames_ms.push(ctx.now());
    room.name = name.to_owned();
    Ok(())
}

/// The `rename:` timer: applies the queued name, or waits again if the window is still full.
///
/// # Errors
///
/// Discord refused the rename (kept and retried by the host), or the store failed.
pub fn fire(ctx: &Context, guild: Id<GuildMarker>, channel: Id<ChannelMarker>) -> Result<()> {
    let Some(mut room) = rooms::load(ctx, guild, channel)? else {
        return Ok(());
    };
    let Some(name) = room.pending_name.clone() else {
        return Ok(());
    };
    let now = ctx.now();
    room.renames_ms
        .retain(|at| now.saturating_sub(*at) < RENAME_WINDOW_MS);
    if let Some(at_ms) = next_allowed(&room.renames_ms, now) {
        rooms::save(ctx, &room)?;
        return ctx
            .timers()
            .schedule(&rename_timer(guild, channel), at_ms, &());
    }
    match apply(ctx, &mut room, &name) {
        Ok(()) => {}
        Err(e) if discord::is_gone(&e) => return rooms::forget(ctx, &room),
        Err(e) if e.discord_status() == Some(429) => {
            room.renames_ms.push(now);
            rooms::save(ctx, &room)?;
            let at_ms = next_allowed(&room.renames_ms, now).unwrap_or(now + RENAME_WINDOW_MS);
            return ctx
                .timers()
                .schedule(&rename_timer(guild, channel), at_ms, &());
        }
        Err(e) => return Err(e),
    }
    room.pending_name = None;
    rooms::save(ctx, &room)?;
    rooms::refresh_panel(ctx, &room);
    Ok(())
}
