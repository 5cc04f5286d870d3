//! Message and reaction changes and the gateway events Discord emits for them.
//!
//! Callers (REST handlers, scripted users) check permissions first; these functions only apply
//! the change and queue the matching dispatch, so both paths produce identical events.

use super::{
    channel_kind, intent, json::emoji_json, AttachmentRecord, EmojiKey, MessageRecord,
    PendingEvent, ReactionRecord, World,
};
use crate::ApiError;
use serde_json::{json, Value};

/// What a new message is made of (from a REST body, an interaction response or a script).
#[derive(Clone, Debug, Default)]
pub struct MessageInput {
    pub content: String,
    pub embeds: Vec<Value>,
    pub components: Vec<Value>,
    pub attachments: Vec<NewAttachment>,
    pub flags: u64,
    pub tts: bool,
    pub reference: Option<Value>,
    pub webhook_id: Option<u64>,
    pub interaction_metadata: Option<Value>,
    pub ephemeral: bool,
    /// Message type (0 default, 19 reply, 20 chat input command response).
    pub kind: u8,
}

/// A file uploaded with a message.
#[derive(Clone, Debug, Default)]
pub struct NewAttachment {
    pub filename: String,
    pub content_type: Option<String>,
    pub description: Option<String>,
    pub bytes: Vec<u8>,
}

impl MessageInput {
    /// Reads the message fields of a Discord request body (create message, interaction
    /// response data, webhook execute). Unknown fields are ignored: the OpenAPI validator has
    /// already checked the shape.
    pub(crate) fn from_body(body: &Value, files: Vec<NewAttachment>) -> Self {
        let list = |key: &str| {
            body.get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let mut attachments = files;
        // `attachments[i].description` / `filename` may rename uploaded files.
        for (i, meta) in list("attachments").iter().enumerate() {
            if let Some(file) = attachments.get_mut(i) {
                if let Some(desc) = meta.get("description").and_then(Value::as_str) {
                    file.description = Some(desc.to_owned());
                }
                if let Some(name) = meta.get("filename").and_then(Value::as_str) {
                    file.filename = name.to_owned();
                }
            }
        }
        Self {
            content: body
                .get("content")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            embeds: list("embeds").into_iter().map(normalize_embed).collect(),
            components: list("components"),
            attachments,
            flags: body.get("flags").and_then(Value::as_u64).unwrap_or(0),
            tts: body.get("tts").and_then(Value::as_bool).unwrap_or(false),
            reference: body
                .get("message_reference")
                .filter(|v| !v.is_null())
                .cloned(),
            ..Self::default()
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.content.is_empty()
            && self.embeds.is_empty()
            && self.components.is_empty()
            && self.attachments.is_empty()
    }
}

/// Discord fills in `type: "rich"` on embeds it stores.
fn normalize_embed(mut embed: Value) -> Value {
    if let Some(obj) = embed.as_object_mut() {
        obj.entry("type").or_insert_with(|| json!("rich"));
        if let Some(fields) = obj.get_mut("fields").and_then(Value::as_array_mut) {
            for f in fields.iter_mut().filter_map(Value::as_object_mut) {
                f.entry("inline").or_insert(json!(false));
            }
        }
    }
    embed
}

/// Parses an emoji as it appears in a reaction route or script: `👍`, `name:id`, `a:name:id`.
pub(crate) fn parse_emoji(raw: &str) -> EmojiKey {
    let parts: Vec<&str> = raw.split(':').collect();
    match parts.as_slice() {
        ["a", name, id] if id.parse::<u64>().is_ok() => EmojiKey {
            id: id.parse().ok(),
            name: (*name).to_owned(),
            animated: true,
        },
        [name, id] if id.parse::<u64>().is_ok() => EmojiKey {
            id: id.parse().ok(),
            name: (*name).to_owned(),
            animated: false,
        },
        _ => EmojiKey {
            id: None,
            name: raw.to_owned(),
            animated: false,
        },
    }
}

/// User and role ids mentioned in `content` (`<@id>`, `<@!id>`, `<@&id>`) and `@everyone`.
fn parse_mentions(content: &str) -> (Vec<u64>, Vec<u64>, bool) {
    let (mut users, mut roles) = (Vec::new(), Vec::new());
    for chunk in content.split("<@").skip(1) {
        let Some(end) = chunk.find('>') else { continue };
        let inner = &chunk[..end];
        if let Some(role) = inner.strip_prefix('&') {
            roles.extend(role.parse::<u64>().ok());
        } else {
            users.extend(inner.trim_start_matches('!').parse::<u64>().ok());
        }
    }
    users.dedup();
    roles.dedup();
    (users, roles, content.contains("@everyone"))
}

impl World {
    /// Stores a message and dispatches MESSAGE_CREATE (not for ephemeral messages).
    pub(crate) fn create_message(
        &mut self,
        channel: u64,
        author: u64,
        input: MessageInput,
    ) -> Result<u64, ApiError> {
        let chan = self.channel(channel)?;
        let guild_id = chan.guild_id;
        if chan.kind == channel_kind::GUILD_CATEGORY {
            return Err(ApiError::new(
                400,
                50008,
                "Cannot send messages in a non-text channel",
            ));
        }
        let id = self.next_id();
        let (mentions, mention_roles, mention_everyone) = parse_mentions(&input.content);
        let attachments = input
            .attachments
            .into_iter()
            .map(|a| AttachmentRecord {
                id: self.ids.next(),
                filename: a.filename,
                content_type: a.content_type,
                description: a.description,
                bytes: a.bytes,
            })
            .collect();
        let kind = match (input.kind, &input.reference) {
            (0, Some(_)) => 19,
            (k, _) => k,
        };
        let record = MessageRecord {
            id,
            channel_id: channel,
            guild_id,
            author_id: author,
            content: input.content,
            embeds: input.embeds,
            components: input.components,
            attachments,
            flags: input.flags,
            edited_ms: None,
            kind,
            reactions: Vec::new(),
            webhook_id: input.webhook_id,
            interaction_metadata: input.interaction_metadata,
            reference: input.reference,
            tts: input.tts,
            pinned: false,
            mentions,
            mention_roles,
            mention_everyone,
            ephemeral: input.ephemeral,
        };
        let data = self.message_json(&record);
        let gated = guild_id.is_some()
            && author != self.bot_user_id
            && !record.mentions.contains(&self.bot_user_id);
        let ephemeral = record.ephemeral;
        self.messages.entry(channel).or_default().insert(id, record);
        self.message_channel.insert(id, channel);
        if !ephemeral {
            if let Some(c) = self.channels.get_mut(&channel) {
                c.last_message_id = Some(id);
            }
            self.outbox.push(PendingEvent {
                guild_id,
                name: "MESSAGE_CREATE",
                data,
                intent: message_intent(guild_id),
                content_gated: gated,
            });
        }
        Ok(id)
    }

    /// Applies a message edit body (`content`, `embeds`, `components`, `flags`, `attachments`)
    /// and dispatches MESSAGE_UPDATE.
    pub(crate) fn edit_message(
        &mut self,
        channel: u64,
        id: u64,
        body: &Value,
        files: Vec<NewAttachment>,
    ) -> Result<(), ApiError> {
        let new_ids: Vec<u64> = files.iter().map(|_| self.ids.next()).collect();
        let msg = self
            .messages
            .get_mut(&channel)
            .and_then(|m| m.get_mut(&id))
            .ok_or_else(ApiError::unknown_message)?;
        if let Some(content) = body.get("content") {
            msg.content = content.as_str().unwrap_or_default().to_owned();
            let (users, roles, everyone) = parse_mentions(&msg.content);
            msg.mentions = users;
            msg.mention_roles = roles;
            msg.mention_everyone = everyone;
        }
        if let Some(embeds) = body.get("embeds") {
            msg.embeds = embeds
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(normalize_embed)
                .collect();
        }
        if let Some(components) = body.get("components") {
            msg.components = components.as_array().cloned().unwrap_or_default();
        }
        if let Some(flags) = body.get("flags").and_then(Value::as_u64) {
            // Only SUPPRESS_EMBEDS may be toggled by an edit; LOADING clears on the first edit.
            msg.flags = (msg.flags & !4) | (flags & 4);
        }
        msg.flags &= !128;
        if let Some(keep) = body.get("attachments").and_then(Value::as_array) {
            let keep_ids: Vec<u64> = keep
                .iter()
                .filter_map(|a| a.get("id"))
                .filter_map(|id| id.as_str().and_then(|s| s.parse().ok()).or(id.as_u64()))
                .collect();
            msg.attachments.retain(|a| keep_ids.contains(&a.id));
        }
        for (file, new_id) in files.into_iter().zip(new_ids) {
            msg.attachments.push(AttachmentRecord {
                id: new_id,
                filename: file.filename,
                content_type: file.content_type,
                description: file.description,
                bytes: file.bytes,
            });
        }
        msg.edited_ms = Some(crate::clock::now_ms());
        let (guild_id, ephemeral) = (msg.guild_id, msg.ephemeral);
        let gated = guild_id.is_some() && msg.author_id != self.bot_user_id;
        let msg = msg.clone();
        if !ephemeral {
            let data = self.message_json(&msg);
            self.outbox.push(PendingEvent {
                guild_id,
                name: "MESSAGE_UPDATE",
                data,
                intent: message_intent(guild_id),
                content_gated: gated,
            });
        }
        Ok(())
    }

    pub(crate) fn delete_message(&mut self, channel: u64, id: u64) -> Result<(), ApiError> {
        let msg = self
            .messages
            .get_mut(&channel)
            .and_then(|m| m.remove(&id))
            .ok_or_else(ApiError::unknown_message)?;
        self.message_channel.remove(&id);
        if !msg.ephemeral {
            let mut data = json!({ "id": id.to_string(), "channel_id": channel.to_string() });
            if let Some(g) = msg.guild_id {
                data["guild_id"] = json!(g.to_string());
            }
            self.emit(
                msg.guild_id,
                "MESSAGE_DELETE",
                data,
                message_intent(msg.guild_id),
            );
        }
        Ok(())
    }

    pub(crate) fn bulk_delete(&mut self, channel: u64, ids: &[u64]) {
        let guild_id = self.channels.get(&channel).and_then(|c| c.guild_id);
        let mut deleted = Vec::new();
        for id in ids {
            if self
                .messages
                .get_mut(&channel)
                .and_then(|m| m.remove(id))
                .is_some()
            {
                self.message_channel.remove(id);
                deleted.push(id.to_string());
            }
        }
        let mut data = json!({ "ids": deleted, "channel_id": channel.to_string() });
        if let Some(g) = guild_id {
            data["guild_id"] = json!(g.to_string());
        }
        self.emit(
            guild_id,
            "MESSAGE_DELETE_BULK",
            data,
            message_intent(guild_id),
        );
    }

    /// Adds `user`'s reaction (idempotent, like Discord) and dispatches MESSAGE_REACTION_ADD.
    pub(crate) fn add_reaction(
        &mut self,
        channel: u64,
        message: u64,
        user: u64,
        emoji: EmojiKey,
    ) -> Result<(), ApiError> {
        let msg = self
            .messages
            .get_mut(&channel)
            .and_then(|m| m.get_mut(&message))
            .ok_or_else(ApiError::unknown_message)?;
        let entry = match msg.reactions.iter_mut().position(|r| r.emoji == emoji) {
            Some(i) => &mut msg.reactions[i],
            None => {
                msg.reactions.push(ReactionRecord {
                    emoji: emoji.clone(),
                    users: Vec::new(),
                });
                msg.reactions
                    .last_mut()
                    .ok_or_else(ApiError::unknown_message)?
            }
        };
        if entry.users.contains(&user) {
            return Ok(());
        }
        entry.users.push(user);
        let (guild_id, author) = (msg.guild_id, msg.author_id);
        let mut data = reaction_json(channel, message, user, guild_id, &emoji);
        data["message_author_id"] = json!(author.to_string());
        if let Some(m) = guild_id
            .and_then(|g| self.guilds.get(&g))
            .and_then(|g| g.members.get(&user))
        {
            data["member"] = self.member_json(m, true);
        }
        self.emit(
            guild_id,
            "MESSAGE_REACTION_ADD",
            data,
            reaction_intent(guild_id),
        );
        Ok(())
    }

    pub(crate) fn remove_reaction(
        &mut self,
        channel: u64,
        message: u64,
        user: u64,
        emoji: &EmojiKey,
    ) -> Result<(), ApiError> {
        let msg = self
            .messages
            .get_mut(&channel)
            .and_then(|m| m.get_mut(&message))
            .ok_or_else(ApiError::unknown_message)?;
        let Some(i) = msg.reactions.iter().position(|r| &r.emoji == emoji) else {
            return Ok(());
        };
        let before = msg.reactions[i].users.len();
        msg.reactions[i].users.retain(|u| *u != user);
        if msg.reactions[i].users.len() == before {
            return Ok(());
        }
        if msg.reactions[i].users.is_empty() {
            msg.reactions.remove(i);
        }
        let guild_id = msg.guild_id;
        let data = reaction_json(channel, message, user, guild_id, emoji);
        self.emit(
            guild_id,
            "MESSAGE_REACTION_REMOVE",
            data,
            reaction_intent(guild_id),
        );
        Ok(())
    }

    pub(crate) fn remove_all_reactions(
        &mut self,
        channel: u64,
        message: u64,
    ) -> Result<(), ApiError> {
        let msg = self
            .messages
            .get_mut(&channel)
            .and_then(|m| m.get_mut(&message))
            .ok_or_else(ApiError::unknown_message)?;
        msg.reactions.clear();
        let guild_id = msg.guild_id;
        let mut data =
            json!({ "channel_id": channel.to_string(), "message_id": message.to_string() });
        if let Some(g) = guild_id {
            data["guild_id"] = json!(g.to_string());
        }
        self.emit(
            guild_id,
            "MESSAGE_REACTION_REMOVE_ALL",
            data,
            reaction_intent(guild_id),
        );
        Ok(())
    }
}

fn message_intent(guild: Option<u64>) -> u64 {
    if guild.is_some() {
        intent::GUILD_MESSAGES
    } else {
        intent::DIRECT_MESSAGES
    }
}

fn reaction_intent(guild: Option<u64>) -> u64 {
    if guild.is_some() {
        intent::GUILD_MESSAGE_REACTIONS
    } else {
        intent::DIRECT_MESSAGE_REACTIONS
    }
}

fn reaction_json(
    channel: u64,
    message: u64,
    user: u64,
    guild: Option<u64>,
    emoji: &EmojiKey,
) -> Value {
    let mut data = json!({
        "user_id": user.to_string(),
        "channel_id": channel.to_string(),
        "message_id": message.to_string(),
        "emoji": emoji_json(emoji),
        "burst": false,
        "type": 0,
    });
    if let Some(g) = guild {
        data["guild_id"] = json!(g.to_string());
    }
    data
}
