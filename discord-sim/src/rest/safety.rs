//! Native AutoMod rules, incident actions and the guild settings the simulator models
//! (`PATCH /guilds/{id}`: name and verification level). The rules live in `world::safety`.

use super::context::{no_content, ok, Ctx, Reply};
use serde_json::Value;

pub(crate) fn list_rules(ctx: &Ctx<'_>) -> Reply {
    let guild = ctx.id("guild_id")?;
    let world = crate::lock(&ctx.shared.world);
    ok(Value::Array(world.automod_rules(guild)?))
}

pub(crate) fn get_rule(ctx: &Ctx<'_>) -> Reply {
    let (guild, rule) = (ctx.id("guild_id")?, ctx.id("rule_id")?);
    let world = crate::lock(&ctx.shared.world);
    ok(world.automod_rule(guild, rule)?)
}

pub(crate) fn create_rule(ctx: &Ctx<'_>) -> Reply {
    let guild = ctx.id("guild_id")?;
    ctx.shared
        .with_world(|w| w.create_automod_rule(guild, &ctx.body))
        .and_then(ok)
}

pub(crate) fn update_rule(ctx: &Ctx<'_>) -> Reply {
    let (guild, rule) = (ctx.id("guild_id")?, ctx.id("rule_id")?);
    ctx.shared
        .with_world(|w| w.update_automod_rule(guild, rule, &ctx.body))
        .and_then(ok)
}

pub(crate) fn delete_rule(ctx: &Ctx<'_>) -> Reply {
    let (guild, rule) = (ctx.id("guild_id")?, ctx.id("rule_id")?);
    ctx.shared
        .with_world(|w| w.delete_automod_rule(guild, rule))?;
    no_content()
}

pub(crate) fn incident_actions(ctx: &Ctx<'_>) -> Reply {
    let guild = ctx.id("guild_id")?;
    ctx.shared
        .with_world(|w| w.set_incident_actions(guild, &ctx.body))
        .and_then(ok)
}

pub(crate) fn update_guild(ctx: &Ctx<'_>) -> Reply {
    let guild = ctx.id("guild_id")?;
    ctx.shared.with_world(|w| {
        w.update_guild_settings(guild, &ctx.body)?;
        let g = w.guild(guild)?;
        let v = w.guild_json(g, false, false);
        w.emit(
            Some(guild),
            "GUILD_UPDATE",
            v.clone(),
            crate::world::intent::GUILDS,
        );
        ok(v)
    })
}
