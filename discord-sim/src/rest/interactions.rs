//! Interaction responses: `POST /interactions/{id}/{token}/callback`, follow-ups and the
//! `@original` / follow-up message routes under `/webhooks/{application_id}/{token}`.
//!
//! These routes authenticate by the interaction token alone (no bot token), like Discord.

use super::context::{no_content, ok, Ctx, Reply};
use super::messages::check_new_message;
use crate::world::{InteractionRecord, MessageInput, World};
use crate::ApiError;
use serde_json::{json, Value};

const EPHEMERAL: u64 = 1 << 6;
const LOADING: u64 = 1 << 7;

fn metadata(w: &World, rec: &InteractionRecord) -> Value {
    let mut owners = json!({ "1": rec.user_id.to_string() });
    if let Some(g) = rec.guild_id {
        owners["0"] = json!(g.to_string());
    }
    let mut v = json!({
        "id": rec.id.to_string(),
        "type": rec.kind,
        "user": w.user_json(rec.user_id),
        "authorizing_integration_owners": owners,
    });
    if let Some(m) = rec.message_id {
        v["interacted_message_id"] = json!(m.to_string());
    }
    v
}

/// The interaction a webhook token belongs to (`webhook_id` must be the application id).
fn by_token<'w>(ctx: &Ctx<'_>, w: &'w World) -> Result<&'w InteractionRecord, ApiError> {
    let app = ctx.id("webhook_id")?;
    let token = ctx.param("webhook_token");
    if app != w.app.id {
        return Err(ApiError::unknown_webhook());
    }
    w.interactions
        .values()
        .find(|i| i.token == token)
        .ok_or_else(ApiError::unknown_webhook)
}

pub(crate) fn callback(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.id("interaction_id")?;
    let token = ctx.param("interaction_token").to_owned();
    let kind = ctx.body.get("type").and_then(Value::as_u64).unwrap_or(0);
    let data = ctx.body.get("data").cloned().unwrap_or(Value::Null);
    let with_response = ctx.query_flag("with_response");
    ctx.shared.with_world(|w| {
        let rec = w
            .interactions
            .get(&id)
            .filter(|i| i.token == token)
            .cloned()
            .ok_or_else(ApiError::unknown_interaction)?;
        if rec.callback.is_some() {
            return Err(ApiError::new(
                400,
                40060,
                "Interaction has already been acknowledged.",
            ));
        }
        // Which callback types each interaction type accepts (2 command, 3 component,
        // 4 autocomplete, 5 modal submit).
        let allowed = match kind {
            4 | 5 => matches!(rec.kind, 2 | 3 | 5),
            6 | 7 => matches!(rec.kind, 3 | 5) && rec.message_id.is_some(),
            8 => rec.kind == 4,
            9 => matches!(rec.kind, 2 | 3),
            _ => false,
        };
        if !allowed {
            return Err(ApiError::invalid_field(
                "type",
                "INTERACTION_CALLBACK_TYPE_INVALID",
                &format!(
                    "Callback type {kind} is not valid for an interaction of type {}",
                    rec.kind
                ),
            ));
        }
        let flags = data.get("flags").and_then(Value::as_u64).unwrap_or(0);
        let mut original = None;
        match kind {
            4 => {
                let mut input = MessageInput::from_body(&data, ctx.files.clone());
                check_new_message(w, rec.channel_id, &input)?;
                input.flags = flags & (EPHEMERAL | 4);
                input.ephemeral = flags & EPHEMERAL != 0;
                input.webhook_id = Some(w.app.id);
                input.interaction_metadata = Some(metadata(w, &rec));
                input.kind = if rec.kind == 2 { 20 } else { 0 };
                original = Some(w.create_message(rec.channel_id, w.app.id, input)?);
            }
            5 => {
                let input = MessageInput {
                    flags: LOADING | (flags & EPHEMERAL),
                    ephemeral: flags & EPHEMERAL != 0,
                    webhook_id: Some(w.app.id),
                    interaction_metadata: Some(metadata(w, &rec)),
                    kind: if rec.kind == 2 { 20 } else { 0 },
                    ..MessageInput::default()
                };
                original = Some(w.create_message(rec.channel_id, w.app.id, input)?);
            }
            7 => {
                let message = rec.message_id.ok_or_else(ApiError::unknown_message)?;
                w.edit_message(rec.channel_id, message, &data, ctx.files.clone())?;
                original = Some(message);
            }
            6 => original = rec.message_id,
            _ => {}
        }
        if let Some(r) = w.interactions.get_mut(&id) {
            r.callback = Some(ctx.body.clone());
            r.original_message = original;
        }
        if !with_response {
            return no_content();
        }
        let message = original
            .and_then(|m| w.message(rec.channel_id, m).ok())
            .map(|m| w.message_json(m));
        ok(json!({
            "interaction": {
                "id": id.to_string(),
                "type": rec.kind,
                "activity_instance_id": null,
                "response_message_id": original.map(|m| m.to_string()),
                "response_message_loading": kind == 5,
                "response_message_ephemeral": flags & EPHEMERAL != 0,
            },
            "resource": { "type": kind, "message": message },
        }))
    })
}

/// `POST /webhooks/{application_id}/{token}`: a follow-up message. After a deferred response
/// (type 5) the first follow-up replaces the "thinking…" message, as on Discord.
pub(crate) fn followup(ctx: &Ctx<'_>) -> Reply {
    let input = ctx.message_input();
    ctx.shared.with_world(|w| {
        let rec = by_token(ctx, w)?.clone();
        if rec.callback.is_none() {
            return Err(ApiError::unknown_webhook());
        }
        check_new_message(w, rec.channel_id, &input)?;
        let loading_original = rec
            .original_message
            .filter(|_| rec.followups.is_empty())
            .and_then(|m| w.message(rec.channel_id, m).ok())
            .filter(|m| m.flags & LOADING != 0)
            .map(|m| m.id);
        let id = match loading_original {
            Some(m) => {
                w.edit_message(rec.channel_id, m, &ctx.body, ctx.files.clone())?;
                m
            }
            None => {
                let mut input = input;
                input.ephemeral = input.flags & EPHEMERAL != 0;
                input.flags &= EPHEMERAL | 4;
                input.webhook_id = Some(w.app.id);
                input.interaction_metadata = Some(metadata(w, &rec));
                w.create_message(rec.channel_id, w.app.id, input)?
            }
        };
        if let Some(r) = w.interactions.get_mut(&rec.id) {
            r.followups.push(id);
        }
        let m = w.message(rec.channel_id, id)?;
        ok(w.message_json(m))
    })
}

/// GET / PATCH / DELETE of `@original` or a follow-up message.
pub(crate) fn webhook_message(ctx: &Ctx<'_>) -> Reply {
    ctx.shared.with_world(|w| {
        let rec = by_token(ctx, w)?.clone();
        let message = match ctx.matched.param("message_id") {
            None => rec.original_message.ok_or_else(ApiError::unknown_message)?,
            Some(m) => {
                let m = m.parse::<u64>().map_err(|_| ApiError::unknown_message())?;
                if rec.original_message != Some(m) && !rec.followups.contains(&m) {
                    return Err(ApiError::unknown_message());
                }
                m
            }
        };
        match ctx.method {
            "GET" => {
                let m = w.message(rec.channel_id, message)?;
                ok(w.message_json(m))
            }
            "PATCH" => {
                if let Some(content) = ctx.body.get("content").and_then(Value::as_str) {
                    if content.chars().count() > 2000 {
                        return Err(ApiError::invalid_field(
                            "content",
                            "BASE_TYPE_MAX_LENGTH",
                            "Must be 2000 or fewer in length.",
                        ));
                    }
                }
                w.edit_message(rec.channel_id, message, &ctx.body, ctx.files.clone())?;
                let m = w.message(rec.channel_id, message)?;
                ok(w.message_json(m))
            }
            "DELETE" => {
                w.delete_message(rec.channel_id, message)?;
                no_content()
            }
            _ => Err(ApiError::not_found()),
        }
    })
}
