//! Users, the application, DMs and gateway discovery.

use super::context::{ok, Ctx, Reply};
use crate::ApiError;
use serde_json::json;

pub(crate) fn gateway(ctx: &Ctx<'_>) -> Reply {
    ok(json!({ "url": ctx.shared.gateway_url }))
}

pub(crate) fn gateway_bot(ctx: &Ctx<'_>) -> Reply {
    ok(json!({
        "url": ctx.shared.gateway_url,
        "shards": ctx.shared.shards,
        "session_start_limit": { "total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1 },
    }))
}

pub(crate) fn current_user(ctx: &Ctx<'_>) -> Reply {
    let world = crate::lock(&ctx.shared.world);
    let mut user = world.user_json(world.bot_user_id);
    user["verified"] = json!(true);
    user["mfa_enabled"] = json!(true);
    user["locale"] = json!("en-US");
    user["email"] = json!(null);
    ok(user)
}

pub(crate) fn user(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("user_id")?;
    let world = crate::lock(&ctx.shared.world);
    world.user(id)?;
    ok(world.user_json(id))
}

pub(crate) fn current_user_guilds(ctx: &Ctx<'_>) -> Reply {
    let world = crate::lock(&ctx.shared.world);
    let bot = world.bot_user_id;
    let guilds: Vec<_> = world
        .guilds
        .values()
        .filter(|g| g.members.contains_key(&bot))
        .map(|g| {
            json!({
                "id": g.id.to_string(),
                "name": g.name,
                "icon": null,
                "banner": null,
                "owner": g.owner_id == bot,
                "permissions": world.guild_permissions(g, bot).to_string(),
                "features": [],
            })
        })
        .collect();
    ok(json!(guilds))
}

pub(crate) fn create_dm(ctx: &Ctx<'_>) -> Reply {
    let user = ctx.id_field("recipient_id").ok_or_else(|| {
        ApiError::invalid_field(
            "recipient_id",
            "BASE_TYPE_REQUIRED",
            "This field is required",
        )
    })?;
    ctx.shared.with_world(|w| {
        let id = w.dm_channel(user)?;
        let c = w.channel(id)?;
        ok(w.channel_json(c))
    })
}

pub(crate) fn application(ctx: &Ctx<'_>) -> Reply {
    ok(crate::lock(&ctx.shared.world).application_json())
}
