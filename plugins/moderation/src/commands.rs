//! Reads and checks each command's options, then hands over to the sanction, warning and config
//! code. Misuse gets an ephemeral sentence saying what to type; nothing here trusts its input.

use arsenal_plugin_api::{
    model::id::{marker::UserMarker, Id},
    protocol::{CommandSource, DiscordRequest},
    CommandInvocation, Response, Result,
};

use crate::{
    cases::{self, NewCase},
    config, duration, guild,
    model::{self, CaseKind},
    sanctions::{self, Actor, Env, Said},
    spec::MAX_REASON,
    warnings,
};

/// Bulk deletion only takes messages younger than 14 days.
const BULK_DELETE_MAX_AGE_MS: u64 = 14 * 86_400 * 1000;

fn answer(said: Said) -> Response {
    match said {
        Ok(text) => Response::text(text),
        Err(text) => Response::ephemeral(text),
    }
}

fn misuse(text: impl Into<String>) -> Response {
    Response::ephemeral(text)
}

fn user(command: &CommandInvocation, name: &str) -> std::result::Result<Id<UserMarker>, Response> {
    command.user_arg(name).ok_or_else(|| {
        misuse(format!(
            "Say who: `/{} {name}:@someone` or `!{} @someone`.",
            command.name, command.name
        ))
    })
}

fn reason(command: &CommandInvocation) -> std::result::Result<Option<String>, Response> {
    let text = command.str_arg("reason").map(str::trim).unwrap_or_default();
    if text.chars().count() > MAX_REASON {
        return Err(misuse(format!(
            "The reason must be at most {MAX_REASON} characters."
        )));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// Runs one of the module's commands in a guild.
///
/// # Errors
///
/// The store failed.
pub fn run(env: &Env<'_>, command: &CommandInvocation) -> Result<Response> {
    match dispatch(env, command) {
        Ok(result) => result,
        Err(misuse) => Ok(misuse),
    }
}

/// The outer `Err` is a misuse answer; the inner `Result` is the store.
fn dispatch(
    env: &Env<'_>,
    command: &CommandInvocation,
) -> std::result::Result<Result<Response>, Response> {
    let actor = Actor::Moderator {
        user: command.invoker.user_id,
        roles: &command.invoker.roles,
    };
    Ok(match command.name.as_str() {
        "warn" => {
            let target = user(command, "member")?;
            let reason = reason(command)?
                .ok_or_else(|| misuse("Give a reason: `/warn @member spamming`."))?;
            let points = match command.int_arg("points") {
                None => 1,
                Some(p) => u32::try_from(p)
                    .ok()
                    .filter(|p| (1..=100).contains(p))
                    .ok_or_else(|| misuse("Points must be 1 to 100."))?,
            };
            warnings::warn(env, actor, target, reason, points).map(answer)
        }
        "warnings" => {
            let target = user(command, "member")?;
            warnings::list(env, target).map(Response::ephemeral)
        }
        "delwarn" => {
            let number = case_number(command, "case")?;
            warnings::delete(env, number).map(answer)
        }
        "clearwarns" => {
            let target = user(command, "member")?;
            warnings::clear(env, target).map(answer)
        }
        "mute" => {
            let target = user(command, "member")?;
            let text = command.str_arg("duration").unwrap_or_default();
            let secs = if duration::is_never(text) {
                None
            } else {
                Some(duration::parse(text).map_err(misuse)?)
            };
            sanctions::mute(env, actor, target, secs, reason(command)?).map(answer)
        }
        "unmute" => {
            let target = user(command, "member")?;
            sanctions::unmute(env, actor, target, reason(command)?, None).map(answer)
        }
        "kick" => {
            let target = user(command, "member")?;
            sanctions::kick(env, actor, target, reason(command)?).map(answer)
        }
        "ban" => {
            let target = user(command, "member")?;
            let (secs, reason) = ban_length(command)?;
            let delete_days = match command.int_arg("delete_days") {
                None => 0,
                Some(d) => u32::try_from(d)
                    .ok()
                    .filter(|d| *d <= 7)
                    .ok_or_else(|| misuse("delete_days must be 0 to 7."))?,
            };
            sanctions::ban(env, actor, target, secs, delete_days, reason).map(answer)
        }
        "unban" => {
            let target = user(command, "user")?;
            sanctions::unban(env, actor, target, reason(command)?, None).map(answer)
        }
        "purge" => purge(env, command)?,
        "case" => {
            let number = case_number(command, "number")?;
            cases::get(env.ctx, env.guild, number).map(|case| match case {
                Some(case) => Response::ephemeral(cases::line(&case)),
                None => misuse(format!("There is no case #{number}.")),
            })
        }
        "modlog" => config::modlog(env.ctx, env.guild, command).map(answer),
        "modconfig" => config::modconfig(env.ctx, env.guild, command).map(|said| match said {
            Ok(text) | Err(text) => Response::ephemeral(text),
        }),
        other => Ok(misuse(format!(
            "The moderation module has no command `{}`.",
            duration::echo(other)
        ))),
    })
}

fn case_number(command: &CommandInvocation, name: &str) -> std::result::Result<u64, Response> {
    command
        .int_arg(name)
        .and_then(|n| u64::try_from(n).ok())
        .filter(|n| *n >= 1)
        .ok_or_else(|| misuse("Give a case number, like `12`."))
}

/// A ban's length and reason. From a prefix command, a first word that is not a duration is
/// the start of the reason (`!ban @bob spamming links` is a permanent ban).
fn ban_length(
    command: &CommandInvocation,
) -> std::result::Result<(Option<u64>, Option<String>), Response> {
    let reason = reason(command)?;
    let Some(text) = command
        .str_arg("duration")
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return Ok((None, reason));
    };
    if duration::is_never(text) {
        return Ok((None, reason));
    }
    match duration::parse(text) {
        Ok(secs) => Ok((Some(secs), reason)),
        Err(_) if matches!(command.source, CommandSource::Prefix { .. }) => {
            let joined = match reason {
                Some(rest) => format!("{text} {rest}"),
                None => text.to_owned(),
            };
            if joined.chars().count() > MAX_REASON {
                return Err(misuse(format!(
                    "The reason must be at most {MAX_REASON} characters."
                )));
            }
            Ok((None, Some(joined)))
        }
        Err(e) => Err(misuse(e)),
    }
}

/// `/purge count [member]`: deletes recent messages in the invoking channel (never the prefix
/// command's own message, which the answer replies to; never pinned ones).
fn purge(
    env: &Env<'_>,
    command: &CommandInvocation,
) -> std::result::Result<Result<Response>, Response> {
    let count = command
        .int_arg("count")
        .and_then(|c| usize::try_from(c).ok())
        .filter(|c| (1..=100).contains(c))
        .ok_or_else(|| misuse("Give a count of 1 to 100."))?;
    let filter = command.user_arg("member");
    let skip = match command.source {
        CommandSource::Prefix { message_id } => Some(message_id),
        CommandSource::Slash => None,
    };
    let channel = command.invoker.channel_id;
    let messages = match guild::messages(env.ctx, channel, 100) {
        Ok(messages) => messages,
        Err(e) => {
            return Ok(Ok(misuse(format!(
                "I could not read this channel's messages: {e}"
            ))))
        }
    };
    let oldest = env.now_ms.saturating_sub(BULK_DELETE_MAX_AGE_MS);
    let ids: Vec<_> = messages
        .iter()
        .filter(|m| Some(m.id) != skip && !m.pinned)
        .filter(|m| filter.is_none_or(|u| m.author.id == u))
        .filter(|m| guild::snowflake_ms(m.id.get()) > oldest)
        .take(count)
        .map(|m| m.id)
        .collect();
    if ids.is_empty() {
        return Ok(Ok(misuse(
            "No messages to delete (only messages younger than 14 days can be purged).",
        )));
    }
    let request = DiscordRequest::DeleteMessages {
        channel_id: channel,
        message_ids: ids.clone(),
    };
    if let Err(e) = guild::act(env.ctx, &request) {
        return Ok(Ok(misuse(format!("I could not delete the messages: {e}"))));
    }
    let deleted = u32::try_from(ids.len()).unwrap_or(u32::MAX);
    let result = (|| {
        let mut new = NewCase::new(
            CaseKind::Purge,
            command.invoker.user_id,
            command.invoker.user_id,
        );
        new.user = filter;
        new.count = Some(deleted);
        new.reason = Some(format!("in <#{channel}>"));
        let case = cases::open(env.ctx, env.guild, &new, env.now_ms, |_, _| {})?;
        let config = model::config(&env.ctx.store(), env.guild)?;
        let note = cases::log(env.ctx, &config, &case, None);
        let mut text = format!("Case #{} · deleted {deleted} messages.", case.number);
        if let Some(note) = note {
            text.push('\n');
            text.push_str(&note);
        }
        Ok(Response::ephemeral(text))
    })();
    Ok(result)
}
