//! The hourly sweep of expired message contents: a durable timer per server (`sweep:<guild>`),
//! so contents of quiet channels go on time too, across restarts.

use arsenal_plugin_api::prelude::*;

use crate::{config, config::Category, Logs};

/// How often a server's expired contents are removed.
pub const EVERY_MS: u64 = 3600 * 1000;

fn timer_key(guild: Id<GuildMarker>) -> String {
    format!("sweep:{guild}")
}

/// Schedules `guild`'s next sweep an hour from now.
///
/// # Errors
///
/// When the host could not store the timer.
pub fn schedule(ctx: &Context, guild: Id<GuildMarker>) -> Result<()> {
    ctx.timers().schedule(
        &timer_key(guild),
        ctx.now().saturating_add(EVERY_MS),
        &guild,
    )
}

/// Cancels `guild`'s sweeps.
///
/// # Errors
///
/// When the host could not record it.
pub fn cancel(ctx: &Context, guild: Id<GuildMarker>) -> Result<()> {
    ctx.timers().cancel(&timer_key(guild)).map(drop)
}

/// A sweep came due: removes the expired contents and schedules the next one while the server
/// logs messages (all contents go when it stopped).
///
/// # Errors
///
/// When the store cannot be read or written, or the timer cannot be stored.
pub fn run(logs: &mut Logs, ctx: &Context, payload: &serde_json::Value) -> Result<()> {
    let guild: Id<GuildMarker> = serde_json::from_value(payload.clone())
        .map_err(|e| Error::invalid("a sweep timer without its server").with_source(e))?;
    let config = config::load(ctx, guild)?.filter(|c| c.route(Category::Messages).is_some());
    match config {
        Some(config) => {
            let removed =
                logs.cache
                    .sweep(ctx, guild, config.retention_secs.saturating_mul(1000))?;
            if removed > 0 {
                log::info!("removed {removed} expired message contents of server {guild}");
            }
            schedule(ctx, guild)
        }
        None => logs.cache.sweep(ctx, guild, 0).map(drop),
    }
}
