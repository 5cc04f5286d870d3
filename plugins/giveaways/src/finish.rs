//! Ending and rerolling. The draw is one store transaction that reads the giveaway and writes
//! it ended with its winners: a manual `/giveaway end` and the end timer may both arrive, but
//! only the first commit draws; the other finds it ended (and at most announces what the first
//! could not). The announcement (winners pinged, the seed, the entrant list attached) follows
//! the commit, so a failed announcement never loses or redoes a draw: it is retried.

use arsenal_plugin_api::{prelude::*, protocol::discord_code};

use crate::{
    draw,
    model::{keys, Entrant, Giveaway, Status, TimerTarget, ENTRIES_KEPT_MS},
    render,
};

/// How soon a failed announcement is tried again.
const RETRY_ANNOUNCE_MS: u64 = 60_000;

/// What an end did.
#[derive(Debug)]
pub enum Ended {
    /// No such giveaway.
    Gone,
    /// This call drew (and announced, or failed to with the error).
    Drawn(Box<Giveaway>, Option<Error>),
    /// Already drawn before; announced now if it was not yet.
    Already(Option<Error>),
}

/// The entrants of a giveaway as `(user id, weight)`.
///
/// # Errors
///
/// A store failure.
pub fn entrants(ctx: &Context, giveaway: &Giveaway) -> Result<Vec<(u64, u32)>> {
    Ok(ctx
        .store()
        .list::<Entrant>(&keys::entrants(giveaway.guild, giveaway.message))?
        .into_iter()
        .filter_map(|(key, entrant)| Some((keys::user_of(&key)?, entrant.weight)))
        .collect())
}

fn ids(users: &[u64]) -> Vec<Id<UserMarker>> {
    users.iter().filter_map(|u| Id::new_checked(*u)).collect()
}

fn seed_of(giveaway: &Giveaway) -> Result<Vec<u8>> {
    draw::unhex(&giveaway.seed).ok_or_else(|| {
        Error::invalid(format!(
            "giveaway {} has an unreadable seed",
            giveaway.message
        ))
    })
}

/// Ends the giveaway on `message` (idempotent): draws once, announces once.
///
/// # Errors
///
/// A store failure.
pub fn end(ctx: &Context, guild: Id<GuildMarker>, message: Id<MessageMarker>) -> Result<Ended> {
    let key = keys::giveaway(guild, message);
    let now = ctx.now();
    let outcome = ctx.store().transaction(|txn| {
        let Some(mut giveaway) = txn.get::<Giveaway>(&key)? else {
            return Ok(None);
        };
        if giveaway.status == Status::Ended {
            return Ok(Some((giveaway, false)));
        }
        // Every entry wrote the giveaway's key, which this transaction read: an entry made
        // after this listing makes the commit fail and the draw run again with it.
        let entrants = entrants(ctx, &giveaway)?;
        let tickets = draw::tickets(&entrants);
        let seed = seed_of(&giveaway)?;
        let drawn = draw::draw(&seed, &tickets, &[], 0, giveaway.winner_count as usize);
        giveaway.status = Status::Ended;
        giveaway.winners = ids(&drawn.winners);
        giveaway.next_counter = drawn.next_counter;
        giveaway.entrants = entrants.len() as u64;
        giveaway.ended_at_ms = Some(now);
        giveaway.refresh_pending = false;
        txn.set(&key, &giveaway)?;
        Ok(Some((giveaway, true)))
    })?;
    let Some((giveaway, drew)) = outcome else {
        return Ok(Ended::Gone);
    };
    let failure = if giveaway.announced {
        None
    } else {
        let new = giveaway.winners.clone();
        announce(ctx, &giveaway, &new, false).err()
    };
    let target = TimerTarget { guild, message };
    if failure.is_none() {
        // Nothing left for the end timer (a manual end): a no-op if it already fired.
        let _ = ctx.timers().cancel(&keys::end_timer(guild, message));
        if !giveaway.entries_forgotten {
            let ended = giveaway.ended_at_ms.unwrap_or(now);
            ctx.timers().schedule(
                &keys::forget_timer(guild, message),
                ended + ENTRIES_KEPT_MS,
                &target,
            )?;
        }
    } else {
        ctx.timers().schedule(
            &keys::end_timer(guild, message),
            now + RETRY_ANNOUNCE_MS,
            &target,
        )?;
    }
    Ok(if drew {
        Ended::Drawn(Box::new(giveaway), failure)
    } else {
        Ended::Already(failure)
    })
}

/// Posts the draw: edits the giveaway message (winners, seed, disabled button) and sends the
/// announcement with the entrant list; on success marks the giveaway announced.
///
/// # Errors
///
/// Discord's refusal (the draw stays recorded; the caller retries or tells the administrator).
/// A message or channel that is gone is given up on (logged), not retried.
pub fn announce(
    ctx: &Context,
    giveaway: &Giveaway,
    new: &[Id<UserMarker>],
    reroll: bool,
) -> Result<()> {
    let tr = ctx.tr_guild(giveaway.guild);
    let edit = DiscordRequest::EditMessage {
        target: render::target(giveaway),
        message: render::message(giveaway, &tr),
    };
    if let Err(e) = ctx.discord().execute_json(&edit) {
        log::warn!(
            "could not show the end on giveaway {}: {e}",
            giveaway.message
        );
    }
    let list = entrants(ctx, giveaway)?;
    let send = DiscordRequest::SendFile {
        channel_id: giveaway.channel,
        message: render::announcement(giveaway, new, reroll, &tr),
        file_name: format!("giveaway-{}-entrants.txt", giveaway.message),
        content: render::entrant_file(giveaway, &list),
    };
    match ctx.discord().execute_json(&send) {
        Ok(_) => {}
        Err(e) if e.is_discord_code(&[discord_code::UNKNOWN_CHANNEL]) => {
            log::warn!(
                "giveaway {}: its channel is gone, the draw is not announced: {e}",
                giveaway.message
            );
        }
        Err(e) => return Err(e),
    }
    if !reroll {
        ctx.store().update::<Giveaway, _>(
            &keys::giveaway(giveaway.guild, giveaway.message),
            |g| {
                Ok(g.map(|mut g| {
                    g.announced = true;
                    g
                }))
            },
        )?;
    }
    Ok(())
}

/// Deletes the entrants of an ended giveaway (its [`keys::forget_timer`]): one transaction
/// that also marks the giveaway, so a reroll after it says why it cannot draw.
///
/// # Errors
///
/// A store failure (the host retries the timer).
pub fn forget_entries(ctx: &Context, target: TimerTarget) -> Result<()> {
    let key = keys::giveaway(target.guild, target.message);
    ctx.store().transaction(|txn| {
        let Some(mut giveaway) = txn.get::<Giveaway>(&key)? else {
            return Ok(());
        };
        if giveaway.status != Status::Ended || giveaway.entries_forgotten {
            return Ok(());
        }
        for (entrant, _) in ctx
            .store()
            .list::<Entrant>(&keys::entrants(target.guild, target.message))?
        {
            txn.delete(&entrant);
        }
        giveaway.entries_forgotten = true;
        txn.set(&key, &giveaway)
    })
}

/// What a reroll did.
#[derive(Debug)]
pub enum Rerolled {
    Gone,
    StillOpen,
    /// Ended more than [`ENTRIES_KEPT_MS`] ago: the entrants were forgotten.
    Forgotten,
    /// The new winners (maybe none: nobody left), and the giveaway after.
    Drawn(Vec<Id<UserMarker>>, Box<Giveaway>),
}

/// Draws `count` more winners, leaving out every earlier one, from the next counter.
///
/// # Errors
///
/// A store failure.
pub fn reroll(
    ctx: &Context,
    guild: Id<GuildMarker>,
    message: Id<MessageMarker>,
    count: u32,
) -> Result<Rerolled> {
    let key = keys::giveaway(guild, message);
    ctx.store().transaction(|txn| {
        let Some(mut giveaway) = txn.get::<Giveaway>(&key)? else {
            return Ok(Rerolled::Gone);
        };
        if giveaway.status != Status::Ended {
            return Ok(Rerolled::StillOpen);
        }
        if giveaway.entries_forgotten {
            return Ok(Rerolled::Forgotten);
        }
        let tickets = draw::tickets(&entrants(ctx, &giveaway)?);
        let earlier: Vec<u64> = giveaway.winners.iter().map(|u| u.get()).collect();
        let seed = seed_of(&giveaway)?;
        let drawn = draw::draw(
            &seed,
            &tickets,
            &earlier,
            giveaway.next_counter,
            count as usize,
        );
        let new = ids(&drawn.winners);
        giveaway.winners.extend(new.iter().copied());
        giveaway.next_counter = drawn.next_counter;
        txn.set(&key, &giveaway)?;
        Ok(Rerolled::Drawn(new, Box::new(giveaway)))
    })
}
