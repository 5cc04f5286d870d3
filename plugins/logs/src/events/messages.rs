//! Message edits, deletes and bulk deletes, with the content the cache kept.

use arsenal_plugin_api::{
    model::{
        channel::Message,
        gateway::payload::incoming::{
            MessageCreate, MessageDelete, MessageDeleteBulk, MessageUpdate,
        },
    },
    prelude::*,
    protocol::TextFile,
};

use crate::{
    cache::{CachedMessage, MessageCache},
    config::{self, Category, GuildConfig},
    format::{self, color, display_name, truncate, FIELD_MAX},
    sink::{self, Entry},
    Logs,
};

fn retention_ms(config: &GuildConfig) -> u64 {
    config.retention_secs.saturating_mul(1000)
}

/// The config of a message's server, when its messages are watched.
fn watched(ctx: &Context, message: &Message) -> Result<Option<(Id<GuildMarker>, GuildConfig)>> {
    let Some(guild) = message.guild_id else {
        return Ok(None);
    };
    if message.webhook_id.is_some() {
        // Webhook messages (the log entries among them) have no member behind them.
        return Ok(None);
    }
    let Some(config) = config::load(ctx, guild)? else {
        return Ok(None);
    };
    let watched = config.watches_message(message.channel_id, message.author.id, message.author.bot);
    Ok(watched.then_some((guild, config)))
}

fn snapshot(ctx: &Context, message: &Message) -> CachedMessage {
    CachedMessage {
        author: message.author.id,
        name: display_name(&message.author),
        content: message.content.clone(),
        files: message
            .attachments
            .iter()
            .map(|a| a.filename.clone())
            .collect(),
        at: ctx.now(),
    }
}

/// MESSAGE_CREATE: keep what the message says.
pub fn created(logs: &mut Logs, ctx: &Context, event: &MessageCreate) -> Result<()> {
    let Some((guild, config)) = watched(ctx, event)? else {
        return Ok(());
    };
    let cached = snapshot(ctx, event);
    if cached.content.is_empty() && cached.files.is_empty() {
        return Ok(());
    }
    logs.cache.remember(
        ctx,
        guild,
        event.channel_id,
        event.id,
        &cached,
        retention_ms(&config),
    )
}

/// MESSAGE_UPDATE: log the old and the new text, keep the new one.
pub fn updated(logs: &mut Logs, ctx: &Context, event: &MessageUpdate) -> Result<()> {
    let Some((guild, config)) = watched(ctx, event)? else {
        return Ok(());
    };
    let Some(route) = config.route(Category::Messages) else {
        return Ok(());
    };
    let retention = retention_ms(&config);
    let before = MessageCache::get(ctx, guild, event.channel_id, event.id, retention)?;
    let mut after = snapshot(ctx, event);
    match &before {
        // Discord also sends an update when it adds a link preview: the text is the same.
        Some(before) if before.content == after.content => return Ok(()),
        Some(before) => {
            after.at = before.at;
            MessageCache::replace(ctx, guild, event.channel_id, event.id, &after)?;
        }
        None => logs
            .cache
            .remember(ctx, guild, event.channel_id, event.id, &after, retention)?,
    }
    let tr = ctx.tr_guild(guild);
    let before_text = before.map_or_else(|| tr.t("logs-not-cached"), |b| shown(&tr, &b.content));
    let embed = EmbedBuilder::new()
        .title(tr.t("logs-message-edited"))
        .url(format::message_link(guild, event.channel_id, event.id))
        .description(tr!(
            tr,
            "logs-by-in",
            user = user_line(event.author.id, &after.name),
            channel = channel_name(event.channel_id)
        ))
        .color(color::CHANGED)
        .field(
            tr.t("logs-before"),
            truncate(&before_text, FIELD_MAX),
            false,
        )
        .field(
            tr.t("logs-after"),
            truncate(&shown(&tr, &after.content), FIELD_MAX),
            false,
        )
        .footer(tr!(
            tr,
            "logs-message-footer",
            user = event.author.id.to_string(),
            message = event.id.to_string()
        ))
        .build();
    sink::deliver(ctx, route, Entry { embed, file: None })
}

/// MESSAGE_DELETE: log what the message said, if the cache has it.
pub fn deleted(logs: &mut Logs, ctx: &Context, event: &MessageDelete) -> Result<()> {
    let Some(guild) = event.guild_id else {
        return Ok(());
    };
    let Some(config) = config::load(ctx, guild)? else {
        return Ok(());
    };
    let Some(route) = config.route(Category::Messages) else {
        return Ok(());
    };
    let taken = logs.cache.take(
        ctx,
        guild,
        event.channel_id,
        &[event.id],
        retention_ms(&config),
    )?;
    // Unknown messages (sent before logging started, expired, a bot's or an ignored member's)
    // have nothing to show.
    let Some((_, Some(message))) = taken.into_iter().next() else {
        return Ok(());
    };
    let tr = ctx.tr_guild(guild);
    let mut body = tr!(
        tr,
        "logs-by-in",
        user = user_line(message.author, &message.name),
        channel = channel_name(event.channel_id)
    );
    body.push_str("\n\n");
    body.push_str(&shown(&tr, &message.content));
    if !message.files.is_empty() {
        body.push_str("\n\n");
        body.push_str(&tr!(
            tr,
            "logs-attachments",
            files = message.files.join(", ")
        ));
    }
    let embed = EmbedBuilder::new()
        .title(tr.t("logs-message-deleted"))
        .description(truncate(&body, format::DESCRIPTION_MAX))
        .color(color::REMOVED)
        .footer(tr!(
            tr,
            "logs-message-footer",
            user = message.author.to_string(),
            message = event.id.to_string()
        ))
        .build();
    sink::deliver(ctx, route, Entry { embed, file: None })
}

/// MESSAGE_DELETE_BULK: one entry, the known messages in an attached text file.
pub fn bulk_deleted(logs: &mut Logs, ctx: &Context, event: &MessageDeleteBulk) -> Result<()> {
    let Some(guild) = event.guild_id else {
        return Ok(());
    };
    let Some(config) = config::load(ctx, guild)? else {
        return Ok(());
    };
    let Some(route) = config.route(Category::Messages) else {
        return Ok(());
    };
    if config.is_log_channel(event.channel_id)
        || config.ignored_channels.contains(&event.channel_id)
    {
        return Ok(());
    }
    let mut ids = event.ids.clone();
    ids.sort_unstable();
    let taken = logs
        .cache
        .take(ctx, guild, event.channel_id, &ids, retention_ms(&config))?;
    let tr = ctx.tr_guild(guild);
    let known: Vec<(Id<MessageMarker>, CachedMessage)> = taken
        .into_iter()
        .filter_map(|(id, message)| Some((id, message?)))
        .collect();
    let mut lines = String::new();
    for (id, message) in &known {
        lines.push_str(&format!(
            "[{}] {} ({}) [{id}]: {}\n",
            format::utc(message.at),
            message.name,
            message.author,
            message.content
        ));
        for file in &message.files {
            lines.push_str(&format!("    + {file}\n"));
        }
    }
    let description = tr!(
        tr,
        "logs-bulk-description",
        count = ids.len(),
        known = known.len(),
        channel = channel_name(event.channel_id)
    );
    let embed = EmbedBuilder::new()
        .title(tr!(tr, "logs-bulk-deleted", count = ids.len()))
        .description(description)
        .color(color::REMOVED)
        .build();
    let file = (!known.is_empty()).then(|| TextFile {
        name: format!("deleted-messages-{}.txt", event.channel_id),
        content: lines,
    });
    sink::deliver(ctx, route, Entry { embed, file })
}

/// A message's text as shown in an entry (an empty one says so).
fn shown(tr: &Tr<'_>, content: &str) -> String {
    if content.is_empty() {
        tr.t("logs-empty")
    } else {
        content.to_owned()
    }
}

/// `<#id>`: a channel mention renders as its current name.
pub fn channel_name(channel: Id<ChannelMarker>) -> String {
    format!("<#{channel}>")
}

/// `<@id> (name)`.
pub fn user_line(user: Id<UserMarker>, name: &str) -> String {
    format!("<@{user}> ({name})")
}
