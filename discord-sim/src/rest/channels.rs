//! Channels: fetch, edit, delete, permission overwrites, threads, typing.

use super::context::{id_of, no_content, ok, Ctx, Reply};
use super::guilds::parse_overwrites;
use crate::world::{channel_kind, ChannelRecord, MessageInput, Overwrite};
use crate::ApiError;
use serde_json::Value;
use twilight_model::guild::Permissions;

pub(crate) fn get(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("channel_id")?;
    let bot = ctx.bot();
    let world = crate::lock(&ctx.shared.world);
    let c = world.channel(id)?;
    if c.guild_id.is_some() {
        world.require_channel(id, bot, Permissions::empty())?;
    }
    ok(world.channel_json(c))
}

pub(crate) fn update(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("channel_id")?;
    let bot = ctx.bot();
    let body = &ctx.body;
    ctx.shared.with_world(|w| {
        let c = w.channel(id)?.clone();
        let thread = channel_kind::is_thread(c.kind);
        if thread {
            if c.owner_id != Some(bot) {
                w.require_channel(id, bot, Permissions::MANAGE_THREADS)?;
            }
        } else {
            w.require_channel(id, bot, Permissions::MANAGE_CHANNELS)?;
        }
        if body.get("permission_overwrites").is_some() {
            w.require_channel(id, bot, Permissions::MANAGE_ROLES)?;
        }
        let mut c = c;
        if let Some(name) = body.get("name").and_then(Value::as_str) {
            // Discord's per-channel sub-limit: two renames every ten minutes.
            if c.name.as_deref() != Some(name) {
                w.note_rename(id, crate::clock::now_ms())?;
            }
            c.name = Some(name.to_owned());
        }
        if let Some(topic) = body.get("topic") {
            c.topic = topic.as_str().map(str::to_owned);
        }
        if let Some(nsfw) = body.get("nsfw").and_then(Value::as_bool) {
            c.nsfw = nsfw;
        }
        if let Some(p) = body.get("position").and_then(Value::as_i64) {
            c.position = p as i32;
        }
        if let Some(parent) = body.get("parent_id") {
            c.parent_id = id_of(parent);
        }
        if let Some(r) = body.get("rate_limit_per_user").and_then(Value::as_u64) {
            c.rate_limit_per_user = r as u16;
        }
        if let Some(l) = body.get("user_limit").and_then(Value::as_u64) {
            c.user_limit = l as u32;
        }
        if body.get("permission_overwrites").is_some() {
            c.overwrites = parse_overwrites(body.get("permission_overwrites"));
        }
        if let Some(a) = body.get("archived").and_then(Value::as_bool) {
            c.archived = a;
        }
        if let Some(l) = body.get("locked").and_then(Value::as_bool) {
            c.locked = l;
        }
        w.channels.insert(id, c.clone());
        w.channel_event(&c, "update");
        ok(w.channel_json(&c))
    })
}

pub(crate) fn delete(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("channel_id")?;
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        let c = w.channel(id)?.clone();
        if c.guild_id.is_none() {
            // Closing a DM: nothing is deleted on Discord's side.
            return ok(w.channel_json(&c));
        }
        let needed = if channel_kind::is_thread(c.kind) {
            Permissions::MANAGE_THREADS
        } else {
            Permissions::MANAGE_CHANNELS
        };
        w.require_channel(id, bot, needed)?;
        let v = w.channel_json(&c);
        w.channels.remove(&id);
        if let Some(msgs) = w.messages.remove(&id) {
            for m in msgs.keys() {
                w.message_channel.remove(m);
            }
        }
        for child in w
            .channels
            .values_mut()
            .filter(|ch| ch.parent_id == Some(id) && !channel_kind::is_thread(ch.kind))
        {
            child.parent_id = None;
        }
        w.channel_event(&c, "delete");
        ok(v)
    })
}

pub(crate) fn put_overwrite(ctx: &Ctx<'_>) -> Reply {
    let (id, target) = (ctx.id("channel_id")?, ctx.id("overwrite_id")?);
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.require_channel(id, bot, Permissions::MANAGE_ROLES)?;
        let overwrite = Overwrite {
            id: target,
            kind: ctx.body.get("type").and_then(Value::as_u64).unwrap_or(0) as u8,
            allow: ctx.body.get("allow").and_then(id_of).unwrap_or(0),
            deny: ctx.body.get("deny").and_then(id_of).unwrap_or(0),
        };
        let c = w
            .channels
            .get_mut(&id)
            .ok_or_else(ApiError::unknown_channel)?;
        c.overwrites.retain(|o| o.id != target);
        c.overwrites.push(overwrite);
        let c = c.clone();
        w.channel_event(&c, "update");
        no_content()
    })
}

pub(crate) fn delete_overwrite(ctx: &Ctx<'_>) -> Reply {
    let (id, target) = (ctx.id("channel_id")?, ctx.id("overwrite_id")?);
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.require_channel(id, bot, Permissions::MANAGE_ROLES)?;
        let c = w
            .channels
            .get_mut(&id)
            .ok_or_else(ApiError::unknown_channel)?;
        c.overwrites.retain(|o| o.id != target);
        let c = c.clone();
        w.channel_event(&c, "update");
        no_content()
    })
}

/// `POST /channels/{id}/threads` (optionally with a first message, for forums) and
/// `POST /channels/{id}/messages/{message_id}/threads` (the thread takes the message's id).
pub(crate) fn create_thread(ctx: &Ctx<'_>) -> Reply {
    let parent = ctx.id("channel_id")?;
    let from_message = ctx
        .matched
        .param("message_id")
        .and_then(|m| m.parse::<u64>().ok());
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        let p = w.channel(parent)?.clone();
        if p.guild_id.is_none()
            || channel_kind::is_thread(p.kind)
            || p.kind == channel_kind::GUILD_VOICE
            || p.kind == channel_kind::GUILD_CATEGORY
        {
            return Err(ApiError::new(
                400,
                50024,
                "Cannot execute action on this channel type",
            ));
        }
        let kind = match from_message {
            Some(_) => channel_kind::PUBLIC_THREAD,
            None => ctx
                .body
                .get("type")
                .and_then(Value::as_u64)
                .map_or(channel_kind::PRIVATE_THREAD, |t| t as u8),
        };
        let needed = if kind == channel_kind::PRIVATE_THREAD {
            Permissions::CREATE_PRIVATE_THREADS
        } else {
            Permissions::CREATE_PUBLIC_THREADS
        };
        w.require_channel(parent, bot, needed)?;
        let id = match from_message {
            Some(m) => {
                w.message(parent, m)?;
                if w.channels.contains_key(&m) {
                    return Err(ApiError::new(
                        400,
                        160004,
                        "A thread has already been created for this message",
                    ));
                }
                m
            }
            None => w.next_id(),
        };
        let mut c = ChannelRecord::new(
            id,
            p.guild_id,
            kind,
            ctx.str_field("name").map(str::to_owned),
        );
        c.parent_id = Some(parent);
        c.owner_id = Some(bot);
        if let Some(d) = ctx
            .body
            .get("auto_archive_duration")
            .and_then(Value::as_u64)
        {
            c.auto_archive_duration = d as u16;
        }
        w.channels.insert(id, c.clone());
        w.channel_event(&c, "create");
        if let Some(first) = ctx.body.get("message") {
            w.create_message(id, bot, MessageInput::from_body(first, ctx.files.clone()))?;
        }
        let c = w.channel(id)?;
        Ok((201, Some(w.channel_json(c))))
    })
}

pub(crate) fn thread_member(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("channel_id")?;
    let world = crate::lock(&ctx.shared.world);
    let c = world.channel(id)?;
    if !channel_kind::is_thread(c.kind) {
        return Err(ApiError::new(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    }
    no_content()
}

pub(crate) fn typing(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("channel_id")?;
    let bot = ctx.bot();
    let world = crate::lock(&ctx.shared.world);
    world.channel(id)?;
    world.require_channel(id, bot, Permissions::SEND_MESSAGES)?;
    no_content()
}
