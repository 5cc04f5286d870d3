//! Ticket transcripts: every message of the channel, oldest first, as a text file.
//!
//! Messages are read with `GetMessages` pages of 100, newest first, walking backwards with
//! `before` until a short page; then reversed. Only the fields a transcript needs are parsed, so
//! an unusual message (a system message, a new Discord field) never breaks a close.

use arsenal_plugin_api::{
    i18n::Tr,
    model::id::{
        marker::{ChannelMarker, MessageMarker, UserMarker},
        Id,
    },
    protocol::DiscordRequest,
    tr, Context, Result,
};
use serde::Deserialize;

use crate::model::{Ticket, TicketStatus};

/// Messages per page: Discord's maximum.
const PAGE: u16 = 100;
/// Stop after this many messages (100 requests); the file says it was cut.
pub const MAX_MESSAGES: usize = 10_000;

/// What a transcript keeps of a message.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TranscriptMessage {
    pub id: Id<MessageMarker>,
    pub author: Author,
    #[serde(default)]
    pub content: String,
    /// Discord's ISO 8601 timestamp.
    #[serde(default)]
    pub timestamp: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub embeds: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Author {
    pub id: Id<UserMarker>,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub global_name: Option<String>,
    #[serde(default)]
    pub bot: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Attachment {
    #[serde(default)]
    pub filename: String,
    #[serde(default)]
    pub url: String,
}

/// Reads the whole channel, oldest first. `truncated` when [`MAX_MESSAGES`] was reached. A
/// failure is worded in `tr`'s language.
///
/// # Errors
///
/// Discord's refusal (the bot cannot read the channel's history).
pub fn fetch(
    ctx: &Context,
    tr: Tr<'_>,
    channel: Id<ChannelMarker>,
) -> Result<(Vec<TranscriptMessage>, bool)> {
    let mut messages: Vec<TranscriptMessage> = Vec::new();
    let mut before = None;
    loop {
        let page: Vec<TranscriptMessage> = ctx
            .discord()
            .execute(&DiscordRequest::GetMessages {
                channel_id: channel,
                limit: PAGE,
                before,
            })
            .map_err(|e| e.context(tr!(tr, "tickets-err-read-history", channel = channel)))?;
        let full = page.len() >= usize::from(PAGE);
        // Pages are newest first; the oldest of this page is where the next one starts.
        let oldest = page.iter().map(|m| m.id).min();
        messages.extend(page);
        if messages.len() >= MAX_MESSAGES {
            messages.sort_by_key(|m| m.id);
            let cut = messages.len() - MAX_MESSAGES;
            messages.drain(..cut);
            return Ok((messages, true));
        }
        match oldest {
            Some(oldest) if full && Some(oldest) != before => before = Some(oldest),
            _ => break,
        }
    }
    // Snowflakes grow with time: sorting by id is chronological, and drops any page overlap.
    messages.sort_by_key(|m| m.id);
    messages.dedup_by_key(|m| m.id);
    Ok((messages, false))
}

/// `2026-11-21 10:00:05` from Discord's `2026-11-21T10:00:05.123000+00:00`.
#[must_use]
pub fn short_time(timestamp: &str) -> String {
    match timestamp.get(..19) {
        Some(head) if head.is_char_boundary(10) && head.as_bytes().get(10) == Some(&b'T') => {
            head.replacen('T', " ", 1)
        }
        _ => timestamp.to_owned(),
    }
}

/// [`format_in`] in English (the fallback language), for tests.
#[cfg(test)]
#[must_use]
pub fn format(ticket: &Ticket, messages: &[TranscriptMessage], truncated: bool) -> String {
    use arsenal_plugin_api::Plugin;
    let texts = arsenal_plugin_api::i18n::Texts::new(crate::Tickets::LOCALES);
    format_in(texts.tr(&[]), ticket, messages, truncated)
}

/// The transcript file, its labels in `tr`'s language: a header about the ticket, then
/// `[time] name: content` per message. Continuation lines of a multi-line message are indented;
/// attachments and embeds get a line.
#[must_use]
pub fn format_in(
    tr: Tr<'_>,
    ticket: &Ticket,
    messages: &[TranscriptMessage],
    truncated: bool,
) -> String {
    let mut out = tr!(
        tr,
        "tickets-transcript-head",
        name = ticket.name(),
        opener = &ticket.opener_name,
        id = ticket.opener
    );
    out.push('\n');
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    if let Some(topic) = &ticket.topic {
        line(tr!(tr, "tickets-transcript-topic", topic = topic));
    }
    if let Some(reason) = &ticket.reason {
        line(tr!(
            tr,
            "tickets-transcript-reason",
            reason = one_line(reason)
        ));
    }
    if let TicketStatus::Closing {
        by_name, reason, ..
    }
    | TicketStatus::Closed {
        by_name, reason, ..
    } = &ticket.status
    {
        line(tr!(tr, "tickets-transcript-closed-by", by = by_name));
        if let Some(reason) = reason {
            line(tr!(
                tr,
                "tickets-transcript-close-reason",
                reason = one_line(reason)
            ));
        }
    }
    let count = messages.len().to_string();
    line(if truncated {
        tr!(
            tr,
            "tickets-transcript-count-cut",
            count = count,
            max = MAX_MESSAGES.to_string()
        )
    } else {
        tr!(tr, "tickets-transcript-count", count = count)
    });
    out.push('\n');
    for message in messages {
        let name = message
            .author
            .global_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(&message.author.username);
        let bot = if message.author.bot { " [bot]" } else { "" };
        let mut lines = message.content.lines();
        let first = lines.next().unwrap_or_default();
        out.push_str(&format!(
            "[{}] {name}{bot}: {first}\n",
            short_time(&message.timestamp)
        ));
        for line in lines {
            out.push_str(&format!("    {line}\n"));
        }
        for attachment in &message.attachments {
            out.push_str(&format!(
                "    {}\n",
                tr!(
                    tr,
                    "tickets-transcript-attachment",
                    name = &attachment.filename,
                    url = &attachment.url
                )
            ));
        }
        if !message.embeds.is_empty() {
            out.push_str(&format!(
                "    {}\n",
                tr!(
                    tr,
                    "tickets-transcript-embeds",
                    count = message.embeds.len().to_string()
                )
            ));
        }
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
