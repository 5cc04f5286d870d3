//! Inactivity autoclose: every member message in an open ticket moves its `autoclose:` timer
//! to "now + the configured delay"; when the timer fires, [`autoclose`] checks the recorded
//! last activity again and either closes the ticket or waits the remaining time.
//!
//! To spare the store a durable write per message, activity is recorded at most once per
//! twentieth of the delay (and at least once a minute), so a ticket closes at most 5% late.

use arsenal_plugin_api::{
    model::{
        gateway::payload::incoming::MessageCreate,
        id::{marker::ChannelMarker, Id},
    },
    tr, Context, Reply, Result,
};

use crate::{
    close::{self, Closer},
    config, discord,
    model::{autoclose_timer, describe_duration_in, ticket_key, GuildConfig, Ticket},
};

/// (Re)schedules the autoclose of an open ticket from its last activity; nothing if off.
///
/// # Errors
///
/// The host could not store the timer.
pub fn schedule_autoclose(ctx: &Context, config: &GuildConfig, ticket: &Ticket) -> Result<()> {
    match config.autoclose_secs {
        Some(secs) if ticket.is_open() => ctx.timers().schedule(
            &autoclose_timer(ticket.channel_id),
            due(ticket.last_activity_ms, secs),
            &serde_json::json!({ "channel": ticket.channel_id }),
        ),
        _ => Ok(()),
    }
}

/// Cancels the autoclose of a ticket (closed, or autoclose turned off).
///
/// # Errors
///
/// The host could not record the cancellation.
pub fn cancel_autoclose(ctx: &Context, channel: Id<ChannelMarker>) -> Result<()> {
    ctx.timers().cancel(&autoclose_timer(channel)).map(drop)
}

fn due(last_activity_ms: u64, secs: u64) -> u64 {
    last_activity_ms.saturating_add(secs.saturating_mul(1000))
}

/// How often activity is written: a twentieth of the delay, at most a minute.
#[must_use]
pub fn record_every_ms(autoclose_secs: Option<u64>) -> u64 {
    autoclose_secs.map_or(60_000, |secs| (secs.saturating_mul(1000) / 20).min(60_000))
}

/// MESSAGE_CREATE: a member wrote in a ticket, so it is active.
///
/// # Errors
///
/// The store or the host's timers failed.
pub fn on_message(ctx: &Context, message: &MessageCreate) -> Result<()> {
    if message.author.bot || message.guild_id.is_none() {
        return Ok(());
    }
    let Some(ticket) = ctx.store().get::<Ticket>(&ticket_key(message.channel_id))? else {
        return Ok(());
    };
    if !ticket.is_open() {
        return Ok(());
    }
    let config = config::load(ctx, ticket.guild_id)?;
    let now = ctx.now();
    if now.saturating_sub(ticket.last_activity_ms) < record_every_ms(config.autoclose_secs) {
        return Ok(());
    }
    let updated =
        ctx.store()
            .update(&ticket_key(ticket.channel_id), |current: Option<Ticket>| {
                Ok(current.map(|mut t| {
                    t.last_activity_ms = t.last_activity_ms.max(now);
                    t
                }))
            })?;
    match updated {
        Some(ticket) => schedule_autoclose(ctx, &config, &ticket),
        None => Ok(()),
    }
}

/// The `autoclose:` timer fired.
///
/// # Errors
///
/// The store or the host's timers failed.
pub fn autoclose(ctx: &Context, channel: Id<ChannelMarker>) -> Result<()> {
    let Some(ticket) = ctx.store().get::<Ticket>(&ticket_key(channel))? else {
        return Ok(());
    };
    if !ticket.is_open() {
        return Ok(());
    }
    let config = config::load(ctx, ticket.guild_id)?;
    let Some(secs) = config.autoclose_secs else {
        return Ok(());
    };
    if ctx.now() < due(ticket.last_activity_ms, secs) {
        // Activity came after this timer was set: wait for the rest.
        return schedule_autoclose(ctx, &config, &ticket);
    }
    let tr = ctx.tr_guild(ticket.guild_id);
    let closer = Closer {
        id: None,
        name: tr.t("tickets-autoclose-name"),
    };
    let reason = tr!(
        tr,
        "tickets-autoclose-reason",
        delay = describe_duration_in(tr, secs)
    );
    if let Ok(announcement) = close::begin(ctx, tr, &config, &ticket, &closer, Some(&reason))? {
        if let Err(e) = discord::send(ctx, tr, channel, Reply::text(announcement)) {
            log::warn!("{}: the autoclose notice failed: {e}", ticket.name());
        }
    }
    Ok(())
}
