//! Members entering and leaving with the giveaway's button, and the count on the message. An
//! entry is one transaction over the giveaway and the entrant's key, refused once the giveaway
//! ended (or its end passed while the draw waits for its timer). The message is not edited at
//! every press: the first press after an edit schedules a refresh a few seconds later, which
//! shows every entry made meanwhile, so a burst of entries costs one edit.

use arsenal_plugin_api::prelude::*;

use crate::{
    model::{keys, Entrant, Giveaway, Status, TimerTarget},
    render::{self, Ui},
    requirements,
};

/// How long entries are gathered before the message's count is refreshed.
pub const REFRESH_AFTER_MS: u64 = 3_000;

enum Entered {
    Gone,
    Closed,
    Already(u32),
    In { weight: u32, schedule: bool },
}

/// A press on a giveaway's button, or on the leave button of its answer.
pub fn on_component(ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
    let tr = ctx.tr(&component.invoker);
    let ui = match Ui::from_component(component) {
        Ok(ui) => ui,
        Err(stale) => return Ok(stale.into()),
    };
    let Some(guild) = component.invoker.guild_id else {
        return Ok(Response::ephemeral(tr.t("giveaway-guild-only")));
    };
    match ui {
        Ui::Enter => enter(ctx, &tr, guild, component.message_id, component),
        Ui::Leave { giveaway } => leave(ctx, &tr, guild, giveaway, component.invoker.user_id),
        Ui::Form => Ok(Response::ephemeral(tr.t("giveaway-gone"))),
    }
}

fn enter(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    message: Id<MessageMarker>,
    component: &ComponentInvocation,
) -> Result<Response> {
    let key = keys::giveaway(guild, message);
    let user = component.invoker.user_id;
    let Some(giveaway) = ctx.store().get::<Giveaway>(&key)? else {
        return Ok(Response::ephemeral(tr.t("giveaway-gone")));
    };
    let now = ctx.now();
    if giveaway.status != Status::Open || now >= giveaway.ends_at_ms {
        return Ok(Response::ephemeral(tr.t("giveaway-closed")));
    }
    let entry_key = keys::entrant(guild, message, user);
    if let Some(entrant) = ctx.store().get::<Entrant>(&entry_key)? {
        return Ok(already(tr, message, entrant.weight));
    }
    let weight = requirements::weight(ctx, tr, &giveaway, &component.invoker)?;
    let outcome = ctx.store().transaction(|txn| {
        let Some(mut giveaway) = txn.get::<Giveaway>(&key)? else {
            return Ok(Entered::Gone);
        };
        if giveaway.status != Status::Open || now >= giveaway.ends_at_ms {
            return Ok(Entered::Closed);
        }
        if let Some(entrant) = txn.get::<Entrant>(&entry_key)? {
            return Ok(Entered::Already(entrant.weight));
        }
        giveaway.entrants += 1;
        let schedule = !giveaway.refresh_pending;
        giveaway.refresh_pending = true;
        txn.set(&key, &giveaway)?;
        txn.set(&entry_key, &Entrant { weight })?;
        Ok(Entered::In { weight, schedule })
    })?;
    Ok(match outcome {
        Entered::Gone => Response::ephemeral(tr.t("giveaway-gone")),
        Entered::Closed => Response::ephemeral(tr.t("giveaway-closed")),
        Entered::Already(weight) => already(tr, message, weight),
        Entered::In { weight, schedule } => {
            if schedule {
                schedule_refresh(ctx, guild, message, now);
            }
            let leave = Button::secondary(
                tr.t("giveaway-leave-button"),
                &Ui::Leave { giveaway: message },
            );
            Reply::text(tr!(tr, "giveaway-entered", entries = weight))
                .ephemeral()
                .buttons([leave])
                .into()
        }
    })
}

fn already(tr: &Tr, message: Id<MessageMarker>, weight: u32) -> Response {
    let leave = Button::secondary(
        tr.t("giveaway-leave-button"),
        &Ui::Leave { giveaway: message },
    );
    Reply::text(tr!(tr, "giveaway-already-in", entries = weight))
        .ephemeral()
        .buttons([leave])
        .into()
}

fn leave(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    message: Id<MessageMarker>,
    user: Id<UserMarker>,
) -> Result<Response> {
    let key = keys::giveaway(guild, message);
    let entry_key = keys::entrant(guild, message, user);
    let now = ctx.now();
    // Some(schedule) when they left, None when there was nothing to leave.
    let left = ctx.store().transaction(|txn| {
        let Some(mut giveaway) = txn.get::<Giveaway>(&key)? else {
            return Ok(Err("giveaway-gone"));
        };
        if giveaway.status != Status::Open || now >= giveaway.ends_at_ms {
            return Ok(Err("giveaway-closed"));
        }
        if txn.get::<Entrant>(&entry_key)?.is_none() {
            return Ok(Err("giveaway-not-in"));
        }
        giveaway.entrants = giveaway.entrants.saturating_sub(1);
        let schedule = !giveaway.refresh_pending;
        giveaway.refresh_pending = true;
        txn.set(&key, &giveaway)?;
        txn.delete(&entry_key);
        Ok(Ok(schedule))
    })?;
    match left {
        Ok(schedule) => {
            if schedule {
                schedule_refresh(ctx, guild, message, now);
            }
            Ok(Response::ephemeral(tr.t("giveaway-left")))
        }
        Err(text) => Ok(Response::ephemeral(tr.t(text))),
    }
}

/// Schedules the count's refresh; if the timer cannot be stored, the flag is cleared so the
/// next press tries again.
fn schedule_refresh(ctx: &Context, guild: Id<GuildMarker>, message: Id<MessageMarker>, now: u64) {
    let target = TimerTarget { guild, message };
    let timer = keys::refresh_timer(guild, message);
    if let Err(e) = ctx
        .timers()
        .schedule(&timer, now + REFRESH_AFTER_MS, &target)
    {
        log::warn!("could not schedule the count refresh of giveaway {message}: {e}");
        let _ = ctx
            .store()
            .update::<Giveaway, _>(&keys::giveaway(guild, message), |g| {
                Ok(g.map(|mut g| {
                    g.refresh_pending = false;
                    g
                }))
            });
    }
}

/// The refresh timer: shows the current count on an open giveaway's message.
///
/// # Errors
///
/// A store failure (the host retries the timer).
pub fn refresh(ctx: &Context, target: TimerTarget) -> Result<()> {
    let key = keys::giveaway(target.guild, target.message);
    let giveaway = ctx.store().update::<Giveaway, _>(&key, |g| {
        Ok(g.map(|mut g| {
            g.refresh_pending = false;
            g
        }))
    })?;
    let Some(giveaway) = giveaway else {
        return Ok(());
    };
    if giveaway.status != Status::Open {
        return Ok(());
    }
    let edit = DiscordRequest::EditMessage {
        target: render::target(&giveaway),
        message: render::message(&giveaway, &ctx.tr_guild(target.guild)),
    };
    if let Err(e) = ctx.discord().execute_json(&edit) {
        // The count is shown again at the next refresh and at the end; a gone message is the
        // administrators' to notice (the end says so).
        log::warn!("could not refresh giveaway {}: {e}", target.message);
    }
    Ok(())
}
