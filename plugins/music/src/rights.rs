//! The DJ rules. Without a DJ role, every member may control the music. With one, only its
//! members and managers (Manage Channels, Manage Server, administrators, the bot's owners)
//! may skip without a vote, remove or move tracks others queued, clear, shuffle, seek, loop,
//! change the volume, pause, resume or make the bot leave; anyone may still queue, vote to
//! skip, remove their own tracks and skip a track they queued themselves.

use arsenal_plugin_api::{prelude::*, protocol::Invoker};

use crate::model::{keys, Settings};

/// Whether `invoker` manages the server's music whatever the DJ role.
pub fn is_manager(invoker: &Invoker) -> bool {
    invoker.is_owner
        || invoker.permissions.intersects(
            Permissions::ADMINISTRATOR | Permissions::MANAGE_GUILD | Permissions::MANAGE_CHANNELS,
        )
}

/// Whether `invoker` may control the music for everyone under `settings`.
pub fn may_control(invoker: &Invoker, settings: &Settings) -> bool {
    match settings.dj_role {
        None => true,
        Some(role) => is_manager(invoker) || invoker.roles.contains(&role),
    }
}

/// The server's settings.
///
/// # Errors
///
/// The store failed.
pub fn settings(ctx: &Context, guild: Id<GuildMarker>) -> Result<Settings> {
    Ok(ctx.store().get(&keys::settings(guild))?.unwrap_or_default())
}

/// `Ok(())` when `invoker` may control the music, else the refusal naming the DJ role.
///
/// # Errors
///
/// The store failed.
pub fn require_control(
    ctx: &Context,
    tr: &Tr<'_>,
    guild: Id<GuildMarker>,
    invoker: &Invoker,
) -> Result<std::result::Result<(), Response>> {
    let settings = settings(ctx, guild)?;
    if may_control(invoker, &settings) {
        return Ok(Ok(()));
    }
    let role = settings.dj_role.map(|r| r.to_string()).unwrap_or_default();
    Ok(Err(Response::ephemeral(tr!(
        tr,
        "music-dj-only",
        role = role
    ))))
}
