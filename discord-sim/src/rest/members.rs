//! Guild members: fetch, list, nick, roles, timeouts, voice moves, kicks.

use super::context::{id_of, no_content, ok, Ctx, Reply};
use crate::clock;
use crate::ApiError;
use serde_json::{json, Value};
use twilight_model::guild::Permissions;

/// Longest timeout Discord accepts: 28 days.
const MAX_TIMEOUT_MS: u64 = 28 * 24 * 3600 * 1000;

pub(crate) fn get(ctx: &Ctx<'_>) -> Reply {
    let (guild, user) = (ctx.id("guild_id")?, ctx.id("user_id")?);
    let world = crate::lock(&ctx.shared.world);
    let m = world.member(guild, user)?;
    ok(world.member_json(m, true))
}

pub(crate) fn list(ctx: &Ctx<'_>) -> Reply {
    let guild = ctx.id("guild_id")?;
    let limit = ctx
        .query("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(1usize);
    let after = ctx
        .query("after")
        .and_then(|a| a.parse().ok())
        .unwrap_or(0u64);
    let world = crate::lock(&ctx.shared.world);
    let g = world.guild(guild)?;
    let list: Vec<Value> = g
        .members
        .range(after + 1..)
        .take(limit)
        .map(|(_, m)| world.member_json(m, true))
        .collect();
    ok(json!(list))
}

pub(crate) fn search(ctx: &Ctx<'_>) -> Reply {
    let guild = ctx.id("guild_id")?;
    let q = ctx.query("query").unwrap_or_default().to_lowercase();
    let limit = ctx
        .query("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(1usize);
    let world = crate::lock(&ctx.shared.world);
    let g = world.guild(guild)?;
    let list: Vec<Value> = g
        .members
        .values()
        .filter(|m| {
            let name = world
                .users
                .get(&m.user_id)
                .map(|u| u.username.to_lowercase())
                .unwrap_or_default();
            name.starts_with(&q)
                || m.nick
                    .as_deref()
                    .is_some_and(|n| n.to_lowercase().starts_with(&q))
        })
        .take(limit)
        .map(|m| world.member_json(m, true))
        .collect();
    ok(json!(list))
}

pub(crate) fn update(ctx: &Ctx<'_>) -> Reply {
    let (guild, user) = (ctx.id("guild_id")?, ctx.id("user_id")?);
    let bot = ctx.bot();
    let body = &ctx.body;
    ctx.shared.with_world(|w| {
        w.member(guild, user)?;
        let self_edit = user == bot;
        if body.get("nick").is_some() {
            if self_edit {
                w.require_guild(guild, bot, Permissions::CHANGE_NICKNAME)?;
            } else {
                w.require_guild(guild, bot, Permissions::MANAGE_NICKNAMES)?;
                w.require_above_member(guild, bot, user)?;
            }
        }
        let roles: Option<Vec<u64>> = body
            .get("roles")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(id_of).collect());
        if let Some(roles) = &roles {
            w.require_guild(guild, bot, Permissions::MANAGE_ROLES)?;
            let current = w.member(guild, user)?.roles.clone();
            // Only roles that change must be below the bot; unchanged ones may be above it.
            for role in roles
                .iter()
                .filter(|r| !current.contains(r))
                .chain(current.iter().filter(|r| !roles.contains(r)))
            {
                w.require_above_role(guild, bot, *role)?;
                if w.guild(guild)?
                    .roles
                    .get(role)
                    .is_some_and(|r| r.bot_id.is_some())
                {
                    return Err(ApiError::missing_permissions());
                }
            }
        }
        let timeout = match body.get("communication_disabled_until") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(ts)) => {
                let until = clock::parse_iso_ms(ts).ok_or_else(|| {
                    ApiError::invalid_field(
                        "communication_disabled_until",
                        "DATE_TIME_TYPE_PARSE",
                        "Could not parse timestamp",
                    )
                })?;
                if until > clock::now_ms() + MAX_TIMEOUT_MS {
                    return Err(ApiError::invalid_field(
                        "communication_disabled_until",
                        "BASE_TYPE_BAD_TIME",
                        "Timeout can only be up to 28 days in the future.",
                    ));
                }
                Some(Some(until))
            }
            Some(_) => {
                return Err(ApiError::invalid_field(
                    "communication_disabled_until",
                    "DATE_TIME_TYPE_PARSE",
                    "Not a timestamp",
                ))
            }
        };
        if timeout.is_some() {
            w.require_guild(guild, bot, Permissions::MODERATE_MEMBERS)?;
            w.require_above_member(guild, bot, user)?;
            // Discord refuses to time out administrators.
            let g = w.guild(guild)?;
            if w.guild_permissions(g, user) & Permissions::ADMINISTRATOR.bits() != 0 {
                return Err(ApiError::missing_permissions());
            }
        }
        let voice_move = match body.get("channel_id") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(v) => Some(Some(id_of(v).ok_or_else(ApiError::unknown_channel)?)),
        };
        if let Some(target) = voice_move {
            w.require_guild(guild, bot, Permissions::MOVE_MEMBERS)?;
            if !w.guild(guild)?.voice.contains_key(&user) {
                return Err(ApiError::new(
                    400,
                    40032,
                    "Target user is not connected to voice.",
                ));
            }
            if let Some(c) = target {
                w.channel(c)?;
            }
        }
        for flag in ["mute", "deaf"] {
            if body.get(flag).is_some() {
                let perm = if flag == "mute" {
                    Permissions::MUTE_MEMBERS
                } else {
                    Permissions::DEAFEN_MEMBERS
                };
                w.require_guild(guild, bot, perm)?;
            }
        }
        w.update_member(guild, user, |m| {
            if let Some(nick) = body.get("nick") {
                m.nick = nick.as_str().filter(|n| !n.is_empty()).map(str::to_owned);
            }
            if let Some(roles) = roles {
                m.roles = roles;
            }
            if let Some(t) = timeout {
                m.timeout_until_ms = t;
            }
            if let Some(mute) = body.get("mute").and_then(Value::as_bool) {
                m.mute = mute;
            }
            if let Some(deaf) = body.get("deaf").and_then(Value::as_bool) {
                m.deaf = deaf;
            }
        })?;
        if let Some(target) = voice_move {
            w.voice_update(guild, user, target)?;
        }
        let m = w.member(guild, user)?;
        ok(w.member_json(m, true))
    })
}

pub(crate) fn update_me(ctx: &Ctx<'_>) -> Reply {
    let guild = ctx.id("guild_id")?;
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.require_guild(guild, bot, Permissions::CHANGE_NICKNAME)?;
        let nick = ctx
            .body
            .get("nick")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        w.update_member(guild, bot, |m| m.nick = nick)?;
        let m = w.member(guild, bot)?;
        ok(w.member_json(m, true))
    })
}

pub(crate) fn kick(ctx: &Ctx<'_>) -> Reply {
    let (guild, user) = (ctx.id("guild_id")?, ctx.id("user_id")?);
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.member(guild, user)?;
        w.require_guild(guild, bot, Permissions::KICK_MEMBERS)?;
        w.require_above_member(guild, bot, user)?;
        w.member_leave(guild, user)?;
        no_content()
    })
}

fn change_role(ctx: &Ctx<'_>, add: bool) -> Reply {
    let (guild, user, role) = (ctx.id("guild_id")?, ctx.id("user_id")?, ctx.id("role_id")?);
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.member(guild, user)?;
        w.require_guild(guild, bot, Permissions::MANAGE_ROLES)?;
        w.require_above_role(guild, bot, role)?;
        if role == guild
            || w.guild(guild)?
                .roles
                .get(&role)
                .is_some_and(|r| r.bot_id.is_some())
        {
            return Err(ApiError::missing_permissions());
        }
        let has = w.member(guild, user)?.roles.contains(&role);
        if has != add {
            w.update_member(guild, user, |m| {
                if add {
                    m.roles.push(role);
                } else {
                    m.roles.retain(|r| *r != role);
                }
            })?;
        }
        no_content()
    })
}

pub(crate) fn add_role(ctx: &Ctx<'_>) -> Reply {
    change_role(ctx, true)
}

pub(crate) fn remove_role(ctx: &Ctx<'_>) -> Reply {
    change_role(ctx, false)
}
