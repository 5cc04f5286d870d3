//! Guilds, guild channels, roles and bans.

use super::context::{id_of, no_content, ok, Ctx, Reply};
use crate::world::{channel_kind, intent, ChannelRecord, World};
use crate::ApiError;
use serde_json::{json, Value};
use twilight_model::guild::Permissions;

pub(crate) fn get(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("guild_id")?;
    let world = crate::lock(&ctx.shared.world);
    let g = world.guild(id)?;
    let mut v = world.guild_json(g, false, false);
    if ctx.query_flag("with_counts") {
        v["approximate_member_count"] = json!(g.members.len());
        v["approximate_presence_count"] = json!(0);
    }
    ok(v)
}

pub(crate) fn channels(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("guild_id")?;
    let world = crate::lock(&ctx.shared.world);
    world.guild(id)?;
    let list: Vec<Value> = world
        .channels
        .values()
        .filter(|c| c.guild_id == Some(id) && !channel_kind::is_thread(c.kind))
        .map(|c| world.channel_json(c))
        .collect();
    ok(json!(list))
}

/// Reads `permission_overwrites` entries (`{id, type, allow, deny}`).
pub(crate) fn parse_overwrites(v: Option<&Value>) -> Vec<crate::world::Overwrite> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|o| {
            Some(crate::world::Overwrite {
                id: id_of(o.get("id")?)?,
                kind: o.get("type").and_then(Value::as_u64).unwrap_or(0) as u8,
                allow: o.get("allow").and_then(id_of).unwrap_or(0),
                deny: o.get("deny").and_then(id_of).unwrap_or(0),
            })
        })
        .collect()
}

pub(crate) fn create_channel(ctx: &Ctx<'_>) -> Reply {
    let guild = ctx.id("guild_id")?;
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.require_guild(guild, bot, Permissions::MANAGE_CHANNELS)?;
        let kind = ctx.body.get("type").and_then(Value::as_u64).unwrap_or(0) as u8;
        if channel_kind::is_thread(kind) || kind == channel_kind::DM {
            return Err(ApiError::invalid_field(
                "type",
                "BASE_TYPE_CHOICES",
                "Value must be one of {0, 2, 4, 5, 13, 15, 16}.",
            ));
        }
        let parent = ctx.id_field("parent_id");
        if let Some(p) = parent {
            let pc = w.channel(p)?;
            if pc.kind != channel_kind::GUILD_CATEGORY || pc.guild_id != Some(guild) {
                return Err(ApiError::invalid_field(
                    "parent_id",
                    "CHANNEL_PARENT_INVALID",
                    "Not a category",
                ));
            }
        }
        let id = w.next_id();
        let name = ctx.str_field("name").unwrap_or_default().to_owned();
        let mut c = ChannelRecord::new(id, Some(guild), kind, Some(name));
        c.parent_id = parent;
        c.topic = ctx.str_field("topic").map(str::to_owned);
        c.nsfw = ctx
            .body
            .get("nsfw")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        c.position = ctx
            .body
            .get("position")
            .and_then(Value::as_i64)
            .map_or_else(
                || {
                    w.channels
                        .values()
                        .filter(|c| c.guild_id == Some(guild))
                        .count() as i32
                },
                |p| p as i32,
            );
        c.rate_limit_per_user = ctx
            .body
            .get("rate_limit_per_user")
            .and_then(Value::as_u64)
            .unwrap_or(0) as u16;
        c.user_limit = ctx
            .body
            .get("user_limit")
            .and_then(Value::as_u64)
            .unwrap_or(0) as u32;
        c.overwrites = parse_overwrites(ctx.body.get("permission_overwrites"));
        if !c.overwrites.is_empty() {
            w.require_guild(guild, bot, Permissions::MANAGE_ROLES)?;
        }
        w.channels.insert(id, c.clone());
        w.channel_event(&c, "create");
        ok(w.channel_json(&c))
    })
}

pub(crate) fn roles(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("guild_id")?;
    let world = crate::lock(&ctx.shared.world);
    let g = world.guild(id)?;
    ok(json!(g
        .roles
        .values()
        .map(crate::world::json::role)
        .collect::<Vec<_>>()))
}

pub(crate) fn role(ctx: &Ctx<'_>) -> Reply {
    let (guild, role) = (ctx.id("guild_id")?, ctx.id("role_id")?);
    let world = crate::lock(&ctx.shared.world);
    let r = world
        .guild(guild)?
        .roles
        .get(&role)
        .ok_or_else(ApiError::unknown_role)?;
    ok(crate::world::json::role(r))
}

/// A bot may not grant permissions it does not have itself.
fn require_grantable(w: &World, guild: u64, bot: u64, perms: u64) -> Result<(), ApiError> {
    let g = w.guild(guild)?;
    let own = w.guild_permissions(g, bot);
    if perms & !own != 0 {
        return Err(ApiError::missing_permissions());
    }
    Ok(())
}

fn apply_role_fields(ctx: &Ctx<'_>, r: &mut crate::world::RoleRecord) {
    if let Some(name) = ctx.str_field("name") {
        r.name = name.to_owned();
    }
    if let Some(p) = ctx.body.get("permissions").and_then(id_of) {
        r.permissions = p;
    }
    if let Some(c) = ctx.body.get("color").and_then(Value::as_u64) {
        r.color = c as u32;
    }
    if let Some(h) = ctx.body.get("hoist").and_then(Value::as_bool) {
        r.hoist = h;
    }
    if let Some(m) = ctx.body.get("mentionable").and_then(Value::as_bool) {
        r.mentionable = m;
    }
}

pub(crate) fn create_role(ctx: &Ctx<'_>) -> Reply {
    let guild = ctx.id("guild_id")?;
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.require_guild(guild, bot, Permissions::MANAGE_ROLES)?;
        let perms = ctx.body.get("permissions").and_then(id_of).unwrap_or(0);
        require_grantable(w, guild, bot, perms)?;
        let id = w.next_id();
        let g = w.guild_mut(guild)?;
        // New roles go right above @everyone; everything else moves up one.
        for r in g.roles.values_mut().filter(|r| r.position >= 1) {
            r.position += 1;
        }
        let mut role = crate::world::RoleRecord {
            id,
            name: "new role".to_owned(),
            permissions: 0,
            position: 1,
            color: 0,
            hoist: false,
            mentionable: false,
            bot_id: None,
        };
        apply_role_fields(ctx, &mut role);
        let v = crate::world::json::role(&role);
        g.roles.insert(id, role);
        w.role_event(guild, id, "GUILD_ROLE_CREATE");
        ok(v)
    })
}

pub(crate) fn update_role(ctx: &Ctx<'_>) -> Reply {
    let (guild, role) = (ctx.id("guild_id")?, ctx.id("role_id")?);
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.require_guild(guild, bot, Permissions::MANAGE_ROLES)?;
        w.require_above_role(guild, bot, role)?;
        if let Some(p) = ctx.body.get("permissions").and_then(id_of) {
            require_grantable(w, guild, bot, p)?;
        }
        let g = w.guild_mut(guild)?;
        let r = g.roles.get_mut(&role).ok_or_else(ApiError::unknown_role)?;
        apply_role_fields(ctx, r);
        let v = crate::world::json::role(r);
        w.role_event(guild, role, "GUILD_ROLE_UPDATE");
        ok(v)
    })
}

pub(crate) fn delete_role(ctx: &Ctx<'_>) -> Reply {
    let (guild, role) = (ctx.id("guild_id")?, ctx.id("role_id")?);
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.require_guild(guild, bot, Permissions::MANAGE_ROLES)?;
        w.require_above_role(guild, bot, role)?;
        let g = w.guild_mut(guild)?;
        if role == guild || g.roles.get(&role).is_some_and(|r| r.bot_id.is_some()) {
            return Err(ApiError::new(400, 50028, "Invalid Role"));
        }
        g.roles.remove(&role);
        for m in g.members.values_mut() {
            m.roles.retain(|r| *r != role);
        }
        w.role_event(guild, role, "GUILD_ROLE_DELETE");
        no_content()
    })
}

pub(crate) fn bans(ctx: &Ctx<'_>) -> Reply {
    let guild = ctx.id("guild_id")?;
    let bot = ctx.bot();
    let world = crate::lock(&ctx.shared.world);
    world.require_guild(guild, bot, Permissions::BAN_MEMBERS)?;
    let list: Vec<Value> = world
        .guild(guild)?
        .bans
        .iter()
        .map(|(u, b)| json!({ "reason": b.reason, "user": world.user_json(*u) }))
        .collect();
    ok(json!(list))
}

pub(crate) fn ban(ctx: &Ctx<'_>) -> Reply {
    let (guild, user) = (ctx.id("guild_id")?, ctx.id("user_id")?);
    let bot = ctx.bot();
    let world = crate::lock(&ctx.shared.world);
    world.require_guild(guild, bot, Permissions::BAN_MEMBERS)?;
    let b = world
        .guild(guild)?
        .bans
        .get(&user)
        .ok_or_else(ApiError::unknown_ban)?;
    ok(json!({ "reason": b.reason, "user": world.user_json(user) }))
}

pub(crate) fn create_ban(ctx: &Ctx<'_>) -> Reply {
    let (guild, user) = (ctx.id("guild_id")?, ctx.id("user_id")?);
    let bot = ctx.bot();
    let delete_secs = ctx
        .body
        .get("delete_message_seconds")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    ctx.shared.with_world(|w| {
        w.require_guild(guild, bot, Permissions::BAN_MEMBERS)?;
        w.user(user)?;
        if w.guild(guild)?.members.contains_key(&user) {
            w.require_above_member(guild, bot, user)?;
            w.member_leave(guild, user)?;
        } else if w.guild(guild)?.owner_id == user {
            return Err(ApiError::missing_permissions());
        }
        w.guild_mut(guild)?.bans.insert(
            user,
            crate::world::BanRecord {
                reason: ctx.reason.clone(),
                delete_message_seconds: delete_secs,
            },
        );
        if delete_secs > 0 {
            let cutoff = crate::clock::now_ms().saturating_sub(delete_secs * 1000);
            let channels: Vec<u64> = w
                .channels
                .values()
                .filter(|c| c.guild_id == Some(guild))
                .map(|c| c.id)
                .collect();
            for channel in channels {
                let ids: Vec<u64> = w
                    .messages
                    .get(&channel)
                    .into_iter()
                    .flat_map(|m| m.values())
                    .filter(|m| m.author_id == user && crate::clock::snowflake_ms(m.id) >= cutoff)
                    .map(|m| m.id)
                    .collect();
                if !ids.is_empty() {
                    w.bulk_delete(channel, &ids);
                }
            }
        }
        let data = json!({ "guild_id": guild.to_string(), "user": w.user_json(user) });
        w.emit(Some(guild), "GUILD_BAN_ADD", data, intent::GUILD_MODERATION);
        no_content()
    })
}

pub(crate) fn delete_ban(ctx: &Ctx<'_>) -> Reply {
    let (guild, user) = (ctx.id("guild_id")?, ctx.id("user_id")?);
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.require_guild(guild, bot, Permissions::BAN_MEMBERS)?;
        w.guild_mut(guild)?
            .bans
            .remove(&user)
            .ok_or_else(ApiError::unknown_ban)?;
        let data = json!({ "guild_id": guild.to_string(), "user": w.user_json(user) });
        w.emit(
            Some(guild),
            "GUILD_BAN_REMOVE",
            data,
            intent::GUILD_MODERATION,
        );
        no_content()
    })
}
