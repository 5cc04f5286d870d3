//! Messages, pins and reactions.

use super::context::{id_of, no_content, ok, Ctx, Reply};
use crate::world::{channel_kind, json::emoji_json, parse_emoji, MessageInput, World};
use crate::ApiError;
use serde_json::{json, Value};
use twilight_model::guild::Permissions;

/// Bots may send at most 2000 characters (the spec's 4000 is the Nitro limit for users).
const MAX_CONTENT: usize = 2000;
/// Bulk delete only works on messages younger than two weeks.
const BULK_DELETE_MAX_AGE_MS: u64 = 14 * 24 * 3600 * 1000;

/// Checks the rules for a new message that the JSON schema cannot express.
pub(crate) fn check_new_message(
    w: &World,
    channel: u64,
    input: &MessageInput,
) -> Result<(), ApiError> {
    if input.is_empty() {
        return Err(ApiError::new(400, 50006, "Cannot send an empty message"));
    }
    if input.content.chars().count() > MAX_CONTENT {
        return Err(ApiError::invalid_field(
            "content",
            "BASE_TYPE_MAX_LENGTH",
            "Must be 2000 or fewer in length.",
        ));
    }
    if let Some(reference) = &input.reference {
        let target = reference.get("message_id").and_then(id_of);
        let in_channel = reference
            .get("channel_id")
            .and_then(id_of)
            .unwrap_or(channel);
        let fail_if_missing = reference
            .get("fail_if_not_exists")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        if let Some(target) = target {
            if fail_if_missing && w.message(in_channel, target).is_err() {
                return Err(ApiError::invalid_field(
                    "message_reference",
                    "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                    "Unknown message",
                ));
            }
        }
    }
    Ok(())
}

fn require_read(w: &World, channel: u64, bot: u64) -> Result<(), ApiError> {
    w.channel(channel)?;
    w.require_channel(channel, bot, Permissions::READ_MESSAGE_HISTORY)
}

pub(crate) fn list(ctx: &Ctx<'_>) -> Reply {
    let channel = ctx.id("channel_id")?;
    let bot = ctx.bot();
    let limit = ctx
        .query("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(50usize);
    let world = crate::lock(&ctx.shared.world);
    require_read(&world, channel, bot)?;
    let all: Vec<_> = world
        .messages
        .get(&channel)
        .into_iter()
        .flat_map(|m| m.values())
        .filter(|m| !m.ephemeral)
        .collect();
    let q = |name: &str| ctx.query(name).and_then(|v| v.parse::<u64>().ok());
    // Discord returns newest first.
    let picked: Vec<_> = if let Some(before) = q("before") {
        all.iter()
            .rev()
            .filter(|m| m.id < before)
            .take(limit)
            .collect()
    } else if let Some(after) = q("after") {
        let mut v: Vec<_> = all.iter().filter(|m| m.id > after).take(limit).collect();
        v.reverse();
        v
    } else if let Some(around) = q("around") {
        let mut v: Vec<_> = all.iter().collect();
        v.sort_by_key(|m| m.id.abs_diff(around));
        v.truncate(limit);
        v.sort_by_key(|m| std::cmp::Reverse(m.id));
        v
    } else {
        all.iter().rev().take(limit).collect()
    };
    ok(json!(picked
        .iter()
        .map(|m| world.message_json(m))
        .collect::<Vec<_>>()))
}

pub(crate) fn create(ctx: &Ctx<'_>) -> Reply {
    let channel = ctx.id("channel_id")?;
    let bot = ctx.bot();
    let input = ctx.message_input();
    ctx.shared.with_world(|w| {
        let c = w.channel(channel)?;
        let send = if channel_kind::is_thread(c.kind) {
            Permissions::SEND_MESSAGES_IN_THREADS
        } else {
            Permissions::SEND_MESSAGES
        };
        if c.kind == channel_kind::DM
            && c.recipients
                .iter()
                .any(|u| w.users.get(u).is_some_and(|u| u.bot))
        {
            return Err(ApiError::new(
                400,
                50007,
                "Cannot send messages to this user",
            ));
        }
        // A user who closed their DMs: the request is well formed, Discord refuses it (403).
        if c.kind == channel_kind::DM && c.recipients.iter().any(|u| w.refuses_dms(*u)) {
            return Err(ApiError::new(
                403,
                50007,
                "Cannot send messages to this user",
            ));
        }
        if c.archived && c.locked {
            return Err(ApiError::missing_permissions());
        }
        w.require_channel(channel, bot, send)?;
        if !input.attachments.is_empty() {
            w.require_channel(channel, bot, Permissions::ATTACH_FILES)?;
        }
        check_new_message(w, channel, &input)?;
        let id = w.create_message(channel, bot, input)?;
        let m = w.message(channel, id)?;
        ok(w.message_json(m))
    })
}

pub(crate) fn get(ctx: &Ctx<'_>) -> Reply {
    let (channel, id) = (ctx.id("channel_id")?, ctx.id("message_id")?);
    let bot = ctx.bot();
    let world = crate::lock(&ctx.shared.world);
    require_read(&world, channel, bot)?;
    let m = world.message(channel, id)?;
    if m.ephemeral {
        return Err(ApiError::unknown_message());
    }
    ok(world.message_json(m))
}

pub(crate) fn edit(ctx: &Ctx<'_>) -> Reply {
    let (channel, id) = (ctx.id("channel_id")?, ctx.id("message_id")?);
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        let m = w.message(channel, id)?;
        if m.author_id != bot {
            let only_flags = ctx
                .body
                .as_object()
                .is_some_and(|o| o.keys().all(|k| k == "flags"));
            if !only_flags {
                return Err(ApiError::new(
                    403,
                    50005,
                    "Cannot edit a message authored by another user",
                ));
            }
            w.require_channel(channel, bot, Permissions::MANAGE_MESSAGES)?;
        }
        if let Some(content) = ctx.body.get("content").and_then(Value::as_str) {
            if content.chars().count() > MAX_CONTENT {
                return Err(ApiError::invalid_field(
                    "content",
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 2000 or fewer in length.",
                ));
            }
        }
        w.edit_message(channel, id, &ctx.body, ctx.files.clone())?;
        let m = w.message(channel, id)?;
        ok(w.message_json(m))
    })
}

pub(crate) fn delete(ctx: &Ctx<'_>) -> Reply {
    let (channel, id) = (ctx.id("channel_id")?, ctx.id("message_id")?);
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        let m = w.message(channel, id)?;
        if m.author_id != bot {
            if m.guild_id.is_none() {
                return Err(ApiError::new(
                    403,
                    50003,
                    "Cannot execute action on a DM channel",
                ));
            }
            w.require_channel(channel, bot, Permissions::MANAGE_MESSAGES)?;
        }
        w.delete_message(channel, id)?;
        no_content()
    })
}

pub(crate) fn bulk_delete(ctx: &Ctx<'_>) -> Reply {
    let channel = ctx.id("channel_id")?;
    let bot = ctx.bot();
    let ids: Vec<u64> = ctx
        .body
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(id_of)
        .collect();
    ctx.shared.with_world(|w| {
        w.channel(channel)?;
        w.require_channel(channel, bot, Permissions::MANAGE_MESSAGES)?;
        let now = crate::clock::now_ms();
        if ids
            .iter()
            .any(|id| now.saturating_sub(crate::clock::snowflake_ms(*id)) > BULK_DELETE_MAX_AGE_MS)
        {
            return Err(ApiError::new(
                400,
                50034,
                "You can only bulk delete messages that are under 14 days old.",
            ));
        }
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        if unique.len() != ids.len() {
            return Err(ApiError::invalid_field(
                "messages",
                "BASE_TYPE_UNIQUE",
                "Duplicate message ids.",
            ));
        }
        w.bulk_delete(channel, &ids);
        no_content()
    })
}

pub(crate) fn pin(ctx: &Ctx<'_>) -> Reply {
    let (channel, id) = (ctx.id("channel_id")?, ctx.id("message_id")?);
    let bot = ctx.bot();
    let pinned = ctx.method == "PUT";
    ctx.shared.with_world(|w| {
        w.require_channel(channel, bot, Permissions::MANAGE_MESSAGES)?;
        let m = w.messages.get_mut(&channel).and_then(|m| m.get_mut(&id)).ok_or_else(ApiError::unknown_message)?;
        m.pinned = pinned;
        let guild = m.guild_id;
        let mut data = json!({ "channel_id": channel.to_string(), "last_pin_timestamp": crate::clock::now_iso() });
        if let Some(g) = guild {
            data["guild_id"] = json!(g.to_string());
        }
        w.emit(guild, "CHANNEL_PINS_UPDATE", data, crate::world::intent::GUILDS);
        no_content()
    })
}

pub(crate) fn react(ctx: &Ctx<'_>) -> Reply {
    let (channel, id) = (ctx.id("channel_id")?, ctx.id("message_id")?);
    let emoji = parse_emoji(ctx.param("emoji_name"));
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.channel(channel)?;
        w.require_channel(
            channel,
            bot,
            Permissions::READ_MESSAGE_HISTORY | Permissions::ADD_REACTIONS,
        )?;
        if emoji.name.is_empty() {
            return Err(ApiError::unknown_emoji());
        }
        w.add_reaction(channel, id, bot, emoji)?;
        no_content()
    })
}

pub(crate) fn unreact(ctx: &Ctx<'_>) -> Reply {
    let (channel, id) = (ctx.id("channel_id")?, ctx.id("message_id")?);
    let emoji = parse_emoji(ctx.param("emoji_name"));
    let bot = ctx.bot();
    let user = match ctx.matched.param("user_id") {
        Some(u) => u.parse::<u64>().map_err(|_| ApiError::unknown_user())?,
        None => bot,
    };
    ctx.shared.with_world(|w| {
        w.channel(channel)?;
        if user != bot {
            w.require_channel(channel, bot, Permissions::MANAGE_MESSAGES)?;
        }
        w.message(channel, id)?;
        w.remove_reaction(channel, id, user, &emoji)?;
        no_content()
    })
}

pub(crate) fn reactors(ctx: &Ctx<'_>) -> Reply {
    let (channel, id) = (ctx.id("channel_id")?, ctx.id("message_id")?);
    let emoji = parse_emoji(ctx.param("emoji_name"));
    let bot = ctx.bot();
    let world = crate::lock(&ctx.shared.world);
    require_read(&world, channel, bot)?;
    let m = world.message(channel, id)?;
    let users: Vec<Value> = m
        .reactions
        .iter()
        .find(|r| r.emoji == emoji)
        .map(|r| r.users.iter().map(|u| world.user_json(*u)).collect())
        .unwrap_or_default();
    ok(json!(users))
}

pub(crate) fn clear_reactions(ctx: &Ctx<'_>) -> Reply {
    let (channel, id) = (ctx.id("channel_id")?, ctx.id("message_id")?);
    let only = ctx.matched.param("emoji_name").map(parse_emoji);
    let bot = ctx.bot();
    ctx.shared.with_world(|w| {
        w.channel(channel)?;
        w.require_channel(channel, bot, Permissions::MANAGE_MESSAGES)?;
        match only {
            None => w.remove_all_reactions(channel, id)?,
            Some(emoji) => {
                let m = w.messages.get_mut(&channel).and_then(|m| m.get_mut(&id)).ok_or_else(ApiError::unknown_message)?;
                m.reactions.retain(|r| r.emoji != emoji);
                let guild = m.guild_id;
                let mut data = json!({ "channel_id": channel.to_string(), "message_id": id.to_string(), "emoji": emoji_json(&emoji) });
                if let Some(g) = guild {
                    data["guild_id"] = json!(g.to_string());
                }
                w.emit(guild, "MESSAGE_REACTION_REMOVE_EMOJI", data, crate::world::intent::GUILD_MESSAGE_REACTIONS);
            }
        }
        no_content()
    })
}
