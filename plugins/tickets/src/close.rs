//! Closing a ticket, in two durable steps.
//!
//! [`begin`] marks the ticket `Closing`, cancels its autoclose and schedules the `close:` timer
//! `close_delay` seconds later; the interaction is answered at once (components are not
//! deferred by the host, and a transcript of a long ticket takes many requests). [`finish`],
//! run by that timer, posts the transcript to the log channel, then deletes or archives the
//! channel. Because the timer is durable, a close survives a restart or reload half-way, and
//! because `finish` acts only on a `Closing` ticket, a timer delivered twice closes once.

use arsenal_plugin_api::{
    i18n::Tr,
    model::id::{
        marker::{ChannelMarker, UserMarker},
        Id,
    },
    protocol::DiscordRequest,
    tr, Context, Reply, Result,
};

use crate::{
    access, activity, config, discord,
    model::{
        clip, close_timer, describe_duration_in, open_key, ticket_key, CloseAction, GuildConfig,
        OpenList, Ticket, TicketStatus,
    },
    transcript,
};

/// Who closes: a member, or the module itself (autoclose).
#[derive(Debug, Clone)]
pub struct Closer {
    pub id: Option<Id<UserMarker>>,
    pub name: String,
}

/// Marks `ticket` as closing and schedules [`finish`]. Returns the announcement to show in
/// the ticket, or `Err(text)` if the ticket is no longer open, both in `tr`'s language.
///
/// # Errors
///
/// The store or the host's timers failed.
pub fn begin(
    ctx: &Context,
    tr: Tr<'_>,
    config: &GuildConfig,
    ticket: &Ticket,
    closer: &Closer,
    reason: Option<&str>,
) -> Result<std::result::Result<String, String>> {
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| clip(r, 1000));
    let channel = ticket.channel_id;
    let mut was_open = false;
    ctx.store()
        .update(&ticket_key(channel), |current: Option<Ticket>| {
            let Some(mut current) = current else {
                was_open = false;
                return Ok(None);
            };
            was_open = current.is_open();
            if was_open {
                current.status = TicketStatus::Closing {
                    by: closer.id,
                    by_name: closer.name.clone(),
                    reason: reason.clone(),
                };
                current.close_request = None;
            }
            Ok(Some(current))
        })?;
    if !was_open {
        return Ok(Err(tr.t("tickets-close-already")));
    }
    activity::cancel_autoclose(ctx, channel)?;
    let delay = config.close_delay_secs.max(1);
    ctx.timers().schedule(
        &close_timer(channel),
        ctx.now().saturating_add(delay.saturating_mul(1000)),
        &serde_json::json!({ "channel": channel }),
    )?;
    let action = match (config.on_close, ticket.thread) {
        (CloseAction::Delete, _) => "deleted",
        (CloseAction::Archive, false) => "archived",
        (CloseAction::Archive, true) => "closed",
    };
    let place = if ticket.thread { "thread" } else { "channel" };
    let by = closer.name.as_str();
    let delay = describe_duration_in(tr, delay);
    Ok(Ok(match reason {
        None => tr!(
            tr,
            "tickets-closing",
            by = by,
            place = place,
            action = action,
            delay = delay
        ),
        Some(reason) => tr!(
            tr,
            "tickets-closing-reason",
            by = by,
            reason = reason,
            place = place,
            action = action,
            delay = delay
        ),
    }))
}

/// The `close:` timer: transcript to the log channel, then delete or archive. On a transcript
/// failure the ticket is reopened and told why, so nothing is deleted unrecorded.
///
/// # Errors
///
/// The store failed.
pub fn finish(ctx: &Context, channel: Id<ChannelMarker>) -> Result<()> {
    let Some(ticket) = ctx.store().get::<Ticket>(&ticket_key(channel))? else {
        return Ok(());
    };
    let TicketStatus::Closing { .. } = &ticket.status else {
        return Ok(());
    };
    let config = config::load(ctx, ticket.guild_id)?;
    let tr = ctx.tr_guild(ticket.guild_id);
    if let Some(log_channel) = config.log_channel {
        let posted = match transcript::fetch(ctx, tr, ticket.channel_id) {
            // The channel was deleted by hand meanwhile: nothing left to save.
            Err(e) if discord::is_gone(&e) => return forget(ctx, &ticket),
            read => read.and_then(|read| post_transcript(ctx, tr, &ticket, log_channel, read)),
        };
        if let Err(e) = posted {
            log::warn!("{}: transcript failed, reopening: {e}", ticket.name());
            reopen(ctx, &config, &ticket)?;
            let text = tr!(
                tr,
                "tickets-transcript-failed",
                error = e.to_string(),
                channel = log_channel
            );
            let _ = discord::send(ctx, tr, channel, Reply::text(clip(&text, 2000)));
            return Ok(());
        }
    }
    match config.on_close {
        CloseAction::Delete => {
            let request = DiscordRequest::DeleteChannel {
                channel_id: channel,
                reason: Some(format!("{} closed", ticket.name())),
            };
            if let Err(e) = discord::act(ctx, &request, &tr.t("tickets-err-delete")) {
                if !discord::is_gone(&e) {
                    log::warn!("{}: {e}", ticket.name());
                    let text = tr!(tr, "tickets-delete-failed", error = e.to_string());
                    let _ = discord::send(ctx, tr, channel, Reply::text(clip(&text, 2000)));
                }
            }
            forget(ctx, &ticket)
        }
        CloseAction::Archive => archive(ctx, tr, &config, ticket),
    }
}

fn post_transcript(
    ctx: &Context,
    tr: Tr<'_>,
    ticket: &Ticket,
    log_channel: Id<ChannelMarker>,
    (messages, truncated): (Vec<transcript::TranscriptMessage>, bool),
) -> Result<()> {
    let content = transcript::format_in(tr, ticket, &messages, truncated);
    let (closer, reason) = match &ticket.status {
        TicketStatus::Closing {
            by_name, reason, ..
        }
        | TicketStatus::Closed {
            by_name, reason, ..
        } => (by_name.as_str(), reason.as_deref()),
        TicketStatus::Open => ("?", None),
    };
    let mut details = String::new();
    if let Some(reason) = reason {
        details.push_str(&tr!(tr, "tickets-summary-reason", reason = reason));
    }
    if let Some(topic) = ticket.topic.as_deref() {
        details.push(' ');
        details.push_str(&tr!(tr, "tickets-summary-topic", topic = topic));
    }
    let summary = tr!(
        tr,
        "tickets-summary",
        name = ticket.name(),
        opener = &ticket.opener_name,
        by = closer,
        details = details,
        count = messages.len()
    );
    discord::act(
        ctx,
        &DiscordRequest::SendFile {
            channel_id: log_channel,
            message: Reply::text(clip(&summary, 2000)),
            file_name: format!("{}.txt", ticket.name()),
            content,
        },
        &tr!(tr, "tickets-err-post-transcript", channel = log_channel),
    )
}

/// Archives: channels are renamed `closed-NNNN`, moved to the archive category and hidden from
/// the opener and added members; threads are renamed (see the README for why not locked).
fn archive(ctx: &Context, tr: Tr<'_>, config: &GuildConfig, mut ticket: Ticket) -> Result<()> {
    let channel = ticket.channel_id;
    let name = format!("closed-{:04}", ticket.number);
    let request = if ticket.thread {
        DiscordRequest::UpdateChannel {
            channel_id: channel,
            name: Some(name),
            topic: None,
            parent_id: None,
            permission_overwrites: None,
        }
    } else {
        let bot = discord::bot_id(ctx)?;
        DiscordRequest::UpdateChannel {
            channel_id: channel,
            name: Some(name),
            topic: None,
            parent_id: config.archive_category,
            permission_overwrites: Some(access::staff_only_overwrites(
                ticket.guild_id,
                bot,
                &access::merge_roles(&ticket.staff_roles, &config.staff_roles),
            )),
        }
    };
    if let Err(e) = discord::act(ctx, &request, &tr.t("tickets-err-archive")) {
        if discord::is_gone(&e) {
            return forget(ctx, &ticket);
        }
        log::warn!("{}: {e}", ticket.name());
        let _ = discord::send(
            ctx,
            tr,
            channel,
            Reply::text(clip(
                &tr!(tr, "tickets-warning", error = e.to_string()),
                2000,
            )),
        );
    }
    if let TicketStatus::Closing {
        by,
        by_name,
        reason,
    } = ticket.status.clone()
    {
        ticket.status = TicketStatus::Closed {
            by,
            by_name,
            reason,
            at_ms: ctx.now(),
        };
    }
    let key = open_key(ticket.guild_id, ticket.opener);
    ctx.store().transaction(|txn| {
        txn.set(&ticket_key(channel), &ticket)?;
        let mut open: OpenList = txn.get(&key)?.unwrap_or_default();
        open.channels.retain(|c| *c != channel);
        txn.set(&key, &open)
    })?;
    let _ = discord::send(ctx, tr, channel, Reply::text(tr.t("tickets-archived")));
    Ok(())
}

/// Puts a closing ticket back to open (the transcript could not be saved).
fn reopen(ctx: &Context, config: &GuildConfig, ticket: &Ticket) -> Result<()> {
    let updated =
        ctx.store()
            .update(&ticket_key(ticket.channel_id), |current: Option<Ticket>| {
                Ok(current.map(|mut t| {
                    t.status = TicketStatus::Open;
                    t.last_activity_ms = ctx.now();
                    t
                }))
            })?;
    if let Some(ticket) = updated {
        activity::schedule_autoclose(ctx, config, &ticket)?;
    }
    Ok(())
}

/// Drops every record of a ticket whose channel is gone: the ticket, its place in the
/// opener's open list, its timers.
///
/// # Errors
///
/// The store or the host's timers failed.
pub fn forget(ctx: &Context, ticket: &Ticket) -> Result<()> {
    let channel = ticket.channel_id;
    let key = open_key(ticket.guild_id, ticket.opener);
    ctx.store().transaction(|txn| {
        txn.delete(&ticket_key(channel));
        let open: Option<OpenList> = txn.get(&key)?;
        if let Some(mut open) = open {
            open.channels.retain(|c| *c != channel);
            if open.channels.is_empty() {
                txn.delete(&key);
            } else {
                txn.set(&key, &open)?;
            }
        }
        Ok(())
    })?;
    activity::cancel_autoclose(ctx, channel)?;
    Ok(())
}

/// A ticket's channel or thread was deleted (by hand, or by [`finish`]): forget it.
///
/// # Errors
///
/// The store failed.
pub fn channel_deleted(ctx: &Context, channel: Id<ChannelMarker>) -> Result<()> {
    match ctx.store().get::<Ticket>(&ticket_key(channel))? {
        Some(ticket) => {
            forget(ctx, &ticket)?;
            ctx.timers().cancel(&close_timer(channel)).map(drop)
        }
        None => Ok(()),
    }
}

impl From<&arsenal_plugin_api::protocol::Invoker> for Closer {
    fn from(invoker: &arsenal_plugin_api::protocol::Invoker) -> Self {
        Self {
            id: Some(invoker.user_id),
            name: invoker.user_name.clone(),
        }
    }
}
