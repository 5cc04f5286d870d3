//! The administrators' subcommands besides start: `end`, `reroll`, `list`, `delete`.

use arsenal_plugin_api::prelude::*;

use crate::{
    command::{Reroll, Target},
    finish::{self, Ended, Rerolled},
    model::{keys, Giveaway, Status},
    render,
};

/// How many giveaways `/giveaway list` shows (the newest).
const LIST_MAX: usize = 20;

/// The giveaway a member named by its message id (or a link to its message).
///
/// # Errors
///
/// A refusal when the id does not read or names no giveaway of this server.
pub fn load(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, written: &str) -> Result<Giveaway> {
    let written = written.trim();
    let last = written
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(written);
    let message = last
        .parse::<u64>()
        .ok()
        .and_then(Id::<MessageMarker>::new_checked)
        .ok_or_else(|| Error::refused(tr!(tr, "giveaway-bad-id", id = written)))?;
    ctx.store()
        .get::<Giveaway>(&keys::giveaway(guild, message))?
        .ok_or_else(|| Error::refused(tr!(tr, "giveaway-unknown", id = message.to_string())))
}

fn answer(text: String) -> Response {
    Reply::text(text).ephemeral().no_mentions().into()
}

/// `/giveaway end`.
pub fn end(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, target: &Target) -> Result<Response> {
    let giveaway = load(ctx, tr, guild, &target.giveaway)?;
    let id = giveaway.message.to_string();
    Ok(answer(match finish::end(ctx, guild, giveaway.message)? {
        Ended::Gone => tr!(tr, "giveaway-unknown", id = id),
        Ended::Drawn(giveaway, None) => drawn_text(tr, &giveaway),
        Ended::Drawn(giveaway, Some(e)) => format!(
            "{}\n{}",
            drawn_text(tr, &giveaway),
            tr!(
                tr,
                "giveaway-announce-failed",
                channel = format!("<#{}>", giveaway.channel),
                reason = e.message()
            )
        ),
        Ended::Already(..) => tr!(tr, "giveaway-already-ended", id = id),
    }))
}

fn drawn_text(tr: &Tr, giveaway: &Giveaway) -> String {
    if giveaway.winners.is_empty() {
        tr!(tr, "giveaway-ended-nobody", prize = giveaway.prize.clone())
    } else {
        tr!(
            tr,
            "giveaway-ended-now",
            prize = giveaway.prize.clone(),
            winners = render::users(&giveaway.winners)
        )
    }
}

/// `/giveaway reroll`.
pub fn reroll(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, reroll: &Reroll) -> Result<Response> {
    let giveaway = load(ctx, tr, guild, &reroll.giveaway)?;
    let id = giveaway.message.to_string();
    let count = reroll.winners.unwrap_or(1);
    Ok(answer(
        match finish::reroll(ctx, guild, giveaway.message, count)? {
            Rerolled::Gone => tr!(tr, "giveaway-unknown", id = id),
            Rerolled::StillOpen => tr!(tr, "giveaway-reroll-open", id = id),
            Rerolled::Forgotten => tr!(tr, "giveaway-reroll-forgotten", id = id),
            Rerolled::Drawn(new, giveaway) => {
                let posted = finish::announce(ctx, &giveaway, &new, true);
                let mut text = if new.is_empty() {
                    tr.t("giveaway-reroll-nobody")
                } else {
                    tr!(tr, "giveaway-rerolled", winners = render::users(&new))
                };
                if let Err(e) = posted {
                    text.push('\n');
                    text.push_str(&tr!(
                        tr,
                        "giveaway-reroll-announce-failed",
                        channel = format!("<#{}>", giveaway.channel),
                        reason = e.message()
                    ));
                }
                text
            }
        },
    ))
}

/// `/giveaway list`: the newest giveaways of this server.
pub fn list(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>) -> Result<Response> {
    let all = ctx.store().list::<Giveaway>(&keys::giveaways(guild))?;
    if all.is_empty() {
        return Ok(answer(tr.t("giveaway-list-empty")));
    }
    let mut giveaways: Vec<Giveaway> = all.into_iter().map(|(_, g)| g).collect();
    giveaways.sort_by_key(|g| std::cmp::Reverse((g.started_at_ms, g.message)));
    let total = giveaways.len();
    let mut lines = vec![tr!(tr, "giveaway-list-title", count = total)];
    for g in giveaways.iter().take(LIST_MAX) {
        lines.push(match g.status {
            Status::Open => tr!(
                tr,
                "giveaway-list-open",
                id = g.message.to_string(),
                prize = g.prize.clone(),
                channel = format!("<#{}>", g.channel),
                when = render::relative(g.ends_at_ms),
                count = g.entrants
            ),
            Status::Ended => tr!(
                tr,
                "giveaway-list-ended",
                id = g.message.to_string(),
                prize = g.prize.clone(),
                channel = format!("<#{}>", g.channel),
                count = g.entrants,
                winners = if g.winners.is_empty() {
                    "—".to_owned()
                } else {
                    render::users(&g.winners)
                }
            ),
        });
    }
    if total > LIST_MAX {
        lines.push(tr!(tr, "giveaway-list-more", count = total - LIST_MAX));
    }
    let text: String = lines.join("\n").chars().take(2000).collect();
    Ok(answer(text))
}

/// Suggestions for the `giveaway` option: this server's giveaways matching what was typed (its
/// prize or id), the ones the subcommand applies to first (running ones for `end`, ended ones
/// for `reroll`), newest first.
///
/// # Errors
///
/// A store failure.
pub fn autocomplete(ctx: &Context, autocomplete: &AutocompleteInvocation) -> Result<Vec<Choice>> {
    let Some(guild) = autocomplete.invoker.guild_id else {
        return Ok(Vec::new());
    };
    let tr = ctx.tr(&autocomplete.invoker);
    let typed = autocomplete.partial.trim().to_lowercase();
    let wanted = match autocomplete.subcommand.first().map(String::as_str) {
        Some("end") => Some(Status::Open),
        Some("reroll") => Some(Status::Ended),
        _ => None,
    };
    let mut giveaways: Vec<Giveaway> = ctx
        .store()
        .list::<Giveaway>(&keys::giveaways(guild))?
        .into_iter()
        .map(|(_, g)| g)
        .filter(|g| {
            typed.is_empty()
                || g.message.to_string().contains(&typed)
                || g.prize.to_lowercase().contains(&typed)
        })
        .collect();
    giveaways.sort_by_key(|g| {
        (
            wanted.is_some_and(|w| w != g.status),
            std::cmp::Reverse((g.started_at_ms, g.message)),
        )
    });
    Ok(giveaways
        .into_iter()
        .take(25)
        .map(|g| {
            let state = match g.status {
                Status::Open => tr.t("giveaway-choice-open"),
                Status::Ended => tr.t("giveaway-choice-ended"),
            };
            Choice {
                name: format!("{} · {state} · {}", g.prize, g.message)
                    .chars()
                    .take(100)
                    .collect(),
                value: g.message.to_string(),
            }
        })
        .collect())
}

/// `/giveaway delete`: the giveaway, its entrants, its timers and its message.
pub fn delete(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, target: &Target) -> Result<Response> {
    let giveaway = load(ctx, tr, guild, &target.giveaway)?;
    let message = giveaway.message;
    let entrants = ctx
        .store()
        .list::<serde_json::Value>(&keys::entrants(guild, message))?;
    ctx.store().transaction(|txn| {
        txn.delete(&keys::giveaway(guild, message));
        for (key, _) in &entrants {
            txn.delete(key);
        }
        Ok(())
    })?;
    ctx.timers().cancel(&keys::end_timer(guild, message))?;
    ctx.timers().cancel(&keys::refresh_timer(guild, message))?;
    let mut text = tr!(tr, "giveaway-deleted", prize = giveaway.prize.clone());
    if let Err(e) = ctx.discord().execute_json(&DiscordRequest::DeleteMessage {
        target: render::target(&giveaway),
    }) {
        if !e.is_not_found() {
            text.push('\n');
            text.push_str(&tr!(
                tr,
                "giveaway-delete-message-failed",
                reason = e.message()
            ));
        }
    }
    Ok(answer(text))
}
