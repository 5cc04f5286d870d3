//! Starting a giveaway: from `/giveaway start`'s options, or from the form it opens when no
//! prize is given (the other options wait in a draft meanwhile). The message is posted first,
//! then the giveaway is stored and its end timer scheduled; if either fails the message is
//! taken down again, so no giveaway exists without its timer or its message.

use arsenal_plugin_api::{
    prelude::*,
    protocol::{discord_code, CommandSource, Invoker, ModalInvocation},
};
use serde::Deserialize;

use crate::{
    command::Start,
    draw,
    model::{keys, Bonus, Draft, Giveaway, Requirements, Status, TimerTarget},
    render::{self, FORM_DESCRIPTION, FORM_DURATION, FORM_PRIZE, FORM_WINNERS},
    requirements,
};

/// Most winners a giveaway may have.
pub const MAX_WINNERS: u32 = 50;
/// Most bonus roles.
const MAX_BONUS_ROLES: usize = 10;
/// Most extra entries one role gives.
const MAX_EXTRA: u32 = 100;

/// What a new giveaway is made of, however it was asked for.
#[derive(Debug, Clone)]
pub struct NewGiveaway {
    pub prize: String,
    pub description: Option<String>,
    pub duration_ms: u64,
    pub winners: u32,
    pub channel: Id<ChannelMarker>,
    pub requirements: Requirements,
    pub bonus: Vec<Bonus>,
}

/// `/giveaway start`.
pub fn command(
    ctx: &Context,
    tr: &Tr,
    command: &CommandInvocation,
    start: Start,
) -> Result<Response> {
    let invoker = &command.invoker;
    let bonus = match &start.bonus {
        Some(text) => parse_bonus(tr, text)?,
        None => Vec::new(),
    };
    let requirements = Requirements {
        role: start.required_role,
        min_account_age_secs: start.min_account_age.map(Duration::as_secs),
        min_level: start.min_level,
    };
    let prize = start
        .prize
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let (Some(prize), Some(duration)) = (prize, start.duration) else {
        if prize.is_some() || start.duration.is_some() {
            return Err(Error::refused(tr.t("giveaway-prize-and-duration")));
        }
        if matches!(command.source, CommandSource::Prefix { .. }) {
            return Err(Error::refused(tr.t("giveaway-prefix-usage")));
        }
        let guild = guild(invoker, tr)?;
        let draft = Draft {
            channel: start.channel,
            requirements,
            bonus,
            winners: start.winners,
        };
        ctx.store()
            .set(&keys::draft(guild, invoker.user_id), &draft)?;
        return Ok(Response::modal(render::form(tr)?));
    };
    let new = NewGiveaway {
        prize: prize.to_owned(),
        description: start.description.filter(|d| !d.trim().is_empty()),
        duration_ms: duration.as_millis(),
        winners: start.winners.unwrap_or(1),
        channel: start.channel.unwrap_or(invoker.channel_id),
        requirements,
        bonus,
    };
    begin(ctx, tr, invoker, new)
}

/// The start form, submitted.
pub fn form(ctx: &Context, tr: &Tr, modal: &ModalInvocation) -> Result<Response> {
    let invoker = &modal.invoker;
    let guild = guild(invoker, tr)?;
    let field = |id: &str| {
        modal
            .fields
            .iter()
            .find(|f| f.custom_id == id)
            .map(|f| f.value.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let Some(prize) = field(FORM_PRIZE) else {
        return Err(Error::refused(tr.t("giveaway-form-no-prize")));
    };
    let written = field(FORM_DURATION).unwrap_or_default();
    let duration = Duration::parse(&written).map_err(|_| {
        Error::refused(tr!(tr, "giveaway-bad-duration", duration = written.clone()))
    })?;
    let draft_key = keys::draft(guild, invoker.user_id);
    let draft: Draft = ctx.store().get(&draft_key)?.unwrap_or_default();
    let winners = match field(FORM_WINNERS) {
        None => draft.winners.unwrap_or(1),
        Some(text) => match text.parse::<u32>() {
            Ok(n) if (1..=MAX_WINNERS).contains(&n) => n,
            _ => {
                return Err(Error::refused(tr!(
                    tr,
                    "giveaway-bad-winners",
                    winners = text,
                    max = MAX_WINNERS
                )))
            }
        },
    };
    let new = NewGiveaway {
        prize: prize.chars().take(200).collect(),
        description: field(FORM_DESCRIPTION),
        duration_ms: duration.as_millis(),
        winners,
        channel: draft.channel.unwrap_or(invoker.channel_id),
        requirements: draft.requirements,
        bonus: draft.bonus,
    };
    let answer = begin(ctx, tr, invoker, new)?;
    ctx.store().delete(&draft_key)?;
    Ok(answer)
}

fn guild(invoker: &Invoker, tr: &Tr) -> Result<Id<GuildMarker>> {
    invoker
        .guild_id
        .ok_or_else(|| Error::refused(tr.t("giveaway-guild-only")))
}

/// Posts, stores and schedules a new giveaway.
fn begin(ctx: &Context, tr: &Tr, invoker: &Invoker, new: NewGiveaway) -> Result<Response> {
    let guild = guild(invoker, tr)?;
    if new.requirements.min_level.is_some() {
        requirements::economy_available(ctx, tr, invoker.user_id)?;
    }
    let seed = draw::new_seed()
        .map_err(|e| Error::failed(format!("the operating system gave no random seed: {e}")))?;
    let now = ctx.now();
    let mut giveaway = Giveaway {
        v: 1,
        guild,
        channel: new.channel,
        message: Id::new(1),
        host: invoker.user_id,
        prize: new.prize,
        description: new.description,
        winner_count: new.winners,
        started_at_ms: now,
        ends_at_ms: now.saturating_add(new.duration_ms),
        requirements: new.requirements,
        bonus: new.bonus,
        seed: draw::hex(&seed),
        commitment: draw::commitment(&seed),
        status: Status::Open,
        entrants: 0,
        winners: Vec::new(),
        next_counter: 0,
        ended_at_ms: None,
        announced: false,
        refresh_pending: false,
        entries_forgotten: false,
    };
    #[derive(Deserialize)]
    struct Posted {
        id: Id<MessageMarker>,
    }
    let posted: Posted = ctx
        .discord()
        .execute(&DiscordRequest::SendMessage {
            channel_id: new.channel,
            message: render::message(&giveaway, &ctx.tr_guild(guild)),
        })
        .map_err(|e| cannot_post(tr, new.channel, e))?;
    giveaway.message = posted.id;
    let key = keys::giveaway(guild, posted.id);
    let target = TimerTarget {
        guild,
        message: posted.id,
    };
    let stored = ctx.store().set(&key, &giveaway).and_then(|()| {
        ctx.timers().schedule(
            &keys::end_timer(guild, posted.id),
            giveaway.ends_at_ms,
            &target,
        )
    });
    if let Err(e) = stored {
        let _ = ctx.store().delete(&key);
        let _ = ctx.discord().execute_json(&DiscordRequest::DeleteMessage {
            target: render::target(&giveaway),
        });
        return Err(e.context("saving the new giveaway"));
    }
    Ok(Reply::text(tr!(
        tr,
        "giveaway-started",
        channel = format!("<#{}>", giveaway.channel),
        id = giveaway.message.to_string(),
        when = render::relative(giveaway.ends_at_ms),
        hash = giveaway.commitment.clone()
    ))
    .ephemeral()
    .no_mentions()
    .into())
}

fn cannot_post(tr: &Tr, channel: Id<ChannelMarker>, e: Error) -> Error {
    if e.is_discord_code(&[
        discord_code::MISSING_PERMISSIONS,
        discord_code::MISSING_ACCESS,
    ]) {
        Error::refused(tr!(
            tr,
            "giveaway-cannot-post",
            channel = format!("<#{channel}>")
        ))
    } else if e.is_refused() {
        e
    } else {
        Error::refused(tr!(
            tr,
            "giveaway-post-failed",
            channel = format!("<#{channel}>"),
            reason = e.message()
        ))
    }
}

/// Reads `@Booster 2 @VIP 1` (mentions or ids, each followed by its extra entries).
///
/// # Errors
///
/// A refusal naming the word that does not fit.
pub fn parse_bonus(tr: &Tr, text: &str) -> Result<Vec<Bonus>> {
    let mut bonus: Vec<Bonus> = Vec::new();
    let mut words = text.split_whitespace();
    while let Some(word) = words.next() {
        let digits = word
            .strip_prefix("<@&")
            .and_then(|w| w.strip_suffix('>'))
            .unwrap_or(word);
        let Some(role) = digits.parse::<u64>().ok().and_then(Id::new_checked) else {
            return Err(Error::refused(tr!(
                tr,
                "giveaway-bonus-not-role",
                word = word
            )));
        };
        let extra = match words.next().map(|w| (w, w.parse::<u32>())) {
            Some((_, Ok(n))) if (1..=MAX_EXTRA).contains(&n) => n,
            Some((w, _)) => {
                return Err(Error::refused(tr!(
                    tr,
                    "giveaway-bonus-bad-count",
                    word = w,
                    max = MAX_EXTRA
                )))
            }
            None => {
                return Err(Error::refused(tr!(
                    tr,
                    "giveaway-bonus-no-count",
                    role = format!("<@&{role}>")
                )))
            }
        };
        if bonus.iter().any(|b| b.role == role) {
            return Err(Error::refused(tr!(
                tr,
                "giveaway-bonus-twice",
                role = format!("<@&{role}>")
            )));
        }
        bonus.push(Bonus { role, extra });
    }
    if bonus.len() > MAX_BONUS_ROLES {
        return Err(Error::refused(tr!(
            tr,
            "giveaway-bonus-too-many",
            max = MAX_BONUS_ROLES
        )));
    }
    Ok(bonus)
}
