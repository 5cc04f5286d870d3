//! Whether automod's raid mode is on in a server: greetings, goodbyes and welcome DMs pause
//! while it is.
//!
//! WORK IN PROGRESS: asks automod through the inter-module request bus once it lands on main;
//! until then raid mode is never seen as on.

use arsenal_plugin_api::prelude::*;

/// Whether raid mode is on in `guild`. Anything but a clear "on" (automod not loaded, or not
/// answering) greets as usual: a missing module must not silence a server's greetings.
pub fn is_on(ctx: &Context, guild: Id<GuildMarker>) -> bool {
    let _ = (ctx, guild);
    false
}
