//! Channel webhooks: create and list (Manage Webhooks), read and execute by token. Executing
//! under the application's id is an interaction follow-up (`interactions::followup`).

use super::context::{ok, Ctx, Reply};
use super::messages::check_new_message;
use crate::world::channel_kind;
use crate::ApiError;
use serde_json::json;
use twilight_model::guild::Permissions;

/// Discord refuses webhook names containing these words.
const RESERVED_NAMES: [&str; 2] = ["clyde", "discord"];

pub(crate) fn create(ctx: &Ctx<'_>) -> Reply {
    let channel = ctx.id("channel_id")?;
    let bot = ctx.bot();
    let name = ctx.str_field("name").unwrap_or_default().to_owned();
    ctx.shared.with_world(|w| {
        let c = w.channel(channel)?;
        if !matches!(
            c.kind,
            channel_kind::GUILD_TEXT | channel_kind::GUILD_VOICE | 5 | 15
        ) {
            return Err(ApiError::new(
                400,
                50024,
                "Cannot execute action on this channel type",
            ));
        }
        w.require_channel(channel, bot, Permissions::MANAGE_WEBHOOKS)?;
        let lower = name.to_lowercase();
        if RESERVED_NAMES.iter().any(|word| lower.contains(word)) {
            return Err(ApiError::invalid_field(
                "name",
                "WEBHOOK_INVALID_NAME",
                &format!(
                    "Webhook names cannot contain \"{}\"",
                    RESERVED_NAMES.join("\" or \"")
                ),
            ));
        }
        let id = w.create_webhook(channel, &name, bot)?;
        let hook = w.webhooks.get(&id).ok_or_else(ApiError::unknown_webhook)?;
        ok(w.webhook_json(hook, true))
    })
}

pub(crate) fn list(ctx: &Ctx<'_>) -> Reply {
    let channel = ctx.id("channel_id")?;
    let bot = ctx.bot();
    let world = crate::lock(&ctx.shared.world);
    world.channel(channel)?;
    world.require_channel(channel, bot, Permissions::MANAGE_WEBHOOKS)?;
    ok(json!(world
        .webhooks
        .values()
        .filter(|h| h.channel_id == channel)
        .map(|h| world.webhook_json(h, h.creator == bot))
        .collect::<Vec<_>>()))
}

/// `GET /webhooks/{id}/{token}`: the webhook, without its token (no bot token needed).
pub(crate) fn get(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("webhook_id")?;
    let world = crate::lock(&ctx.shared.world);
    let hook = world.webhook_by_token(id, ctx.param("webhook_token"))?;
    let mut json = world.webhook_json(hook, false);
    if let Some(obj) = json.as_object_mut() {
        obj.remove("user");
    }
    ok(json)
}

/// `POST /webhooks/{id}/{token}`: a message as the webhook; `?wait=true` answers it.
pub(crate) fn execute(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("webhook_id")?;
    if id == crate::lock(&ctx.shared.world).app.id {
        return super::interactions::followup(ctx);
    }
    let wait = ctx.query_flag("wait");
    let mut input = ctx.message_input();
    ctx.shared.with_world(|w| {
        let hook = w.webhook_by_token(id, ctx.param("webhook_token"))?.clone();
        if !input.components.is_empty() {
            return Err(ApiError::invalid_field(
                "components",
                "COMPONENT_WEBHOOK_NOT_OWNED",
                "Only application-owned webhooks can send components",
            ));
        }
        check_new_message(w, hook.channel_id, &input)?;
        input.webhook_id = Some(hook.id);
        input.flags &= 4 | (1 << 12);
        // Posted as the webhook's own user (a per-message `username` is not modelled).
        let message = w.create_message(hook.channel_id, hook.id, input)?;
        if !wait {
            return Ok((204, None));
        }
        let m = w.message(hook.channel_id, message)?;
        ok(w.message_json(m))
    })
}
