//! Reads each command as its typed form (see [`spec`](crate::spec)), then hands over to the sanction, warning and config
//! code. Misuse gets an ephemeral sentence saying what to type; nothing here trusts its input.

use arsenal_plugin_api::{
    command::{Command, ParseError, ParseErrorType},
    i18n::Tr,
    protocol::{CommandSource, DiscordRequest},
    tr, CommandInvocation, Response, Result,
};

use crate::{
    cases::{self, NewCase},
    config, duration, guild,
    model::{self, CaseKind},
    sanctions::{self, Actor, Env, Said},
    spec::{
        Ban, Case, ClearWarns, DelWarn, Kick, ModLog, Mute, Purge, Unban, Unmute, Warn, Warnings,
        MAX_REASON,
    },
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

/// Reads the invocation as command `T`; a misfit is answered with a sentence saying what to type.
fn parsed<T: Command>(
    env: &Env<'_>,
    command: &CommandInvocation,
) -> std::result::Result<T, Response> {
    T::parse(command).map_err(|error| refusal(env.ctx.tr(&command.invoker), command, error))
}

/// The SDK's refusal, with this module's own hints where they say more.
fn refusal(tr: Tr<'_>, command: &CommandInvocation, error: ParseError) -> Response {
    let name = command.name.as_str();
    match (error.option(), error.kind()) {
        (option @ ("member" | "user"), ParseErrorType::Missing | ParseErrorType::WrongType) => {
            misuse(tr!(
                tr,
                "moderation-say-who",
                command = name,
                option = option
            ))
        }
        ("reason", ParseErrorType::Missing) => misuse(tr.t("moderation-give-reason")),
        ("count", _) if name == "purge" => misuse(tr.t("moderation-purge-count")),
        _ => error.into(),
    }
}

/// A reason as given, trimmed; blank is none.
fn reason(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A number the declaration bounds to `1..=MAX_CASE` (or another positive range).
fn positive(number: i64) -> u64 {
    u64::try_from(number).unwrap_or(1)
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
            let warn: Warn = parsed(env, command)?;
            let reason = reason(Some(warn.reason))
                .ok_or_else(|| misuse(env.tr.t("moderation-give-reason")))?;
            let points = warn.points.map_or(1, |p| u32::try_from(p).unwrap_or(1));
            warnings::warn(env, actor, warn.member, reason, points).map(answer)
        }
        "warnings" => {
            let Warnings { member } = parsed(env, command)?;
            warnings::list(env, member).map(Response::ephemeral)
        }
        "delwarn" => {
            let DelWarn { case } = parsed(env, command)?;
            warnings::delete(env, positive(case)).map(answer)
        }
        "clearwarns" => {
            let ClearWarns { member } = parsed(env, command)?;
            warnings::clear(env, member).map(answer)
        }
        "mute" => {
            let mute: Mute = parsed(env, command)?;
            let secs = if duration::is_never(&mute.duration) {
                None
            } else {
                Some(duration::parse(env.tr, &mute.duration).map_err(misuse)?)
            };
            sanctions::mute(env, actor, mute.member, secs, reason(mute.reason)).map(answer)
        }
        "unmute" => {
            let unmute: Unmute = parsed(env, command)?;
            sanctions::unmute(env, actor, unmute.member, reason(unmute.reason), None).map(answer)
        }
        "kick" => {
            let kick: Kick = parsed(env, command)?;
            sanctions::kick(env, actor, kick.member, reason(kick.reason)).map(answer)
        }
        "ban" => {
            let ban: Ban = parsed(env, command)?;
            let delete_days = ban.delete_days.map_or(0, |d| u32::try_from(d).unwrap_or(0));
            let (secs, reason) = ban_length(env, command, ban.duration, reason(ban.reason))?;
            sanctions::ban(env, actor, ban.member, secs, delete_days, reason).map(answer)
        }
        "unban" => {
            let unban: Unban = parsed(env, command)?;
            sanctions::unban(env, actor, unban.user, reason(unban.reason), None).map(answer)
        }
        "purge" => purge(env, command, parsed(env, command)?)?,
        "case" => {
            let number = positive(parsed::<Case>(env, command)?.number);
            cases::get(env.ctx, env.guild, number).map(|case| match case {
                Some(case) => Response::ephemeral(cases::line(env.tr, &case)),
                None => misuse(tr!(env.tr, "moderation-no-case", case = number)),
            })
        }
        "modlog" => {
            let ModLog { channel } = parsed(env, command)?;
            config::modlog(env.ctx, env.tr, env.guild, channel).map(answer)
        }
        "modconfig" => {
            config::modconfig(env.ctx, env.tr, env.guild, parsed(env, command)?).map(|said| {
                match said {
                    Ok(text) | Err(text) => Response::ephemeral(text),
                }
            })
        }
        other => Ok(misuse(tr!(
            env.tr,
            "moderation-unknown-command",
            command = duration::echo(other)
        ))),
    })
}

/// A ban's length and reason. From a prefix command, a first word that is not a duration is
/// the start of the reason (`!ban @bob spamming links` is a permanent ban).
fn ban_length(
    env: &Env<'_>,
    command: &CommandInvocation,
    duration: Option<String>,
    reason: Option<String>,
) -> std::result::Result<(Option<u64>, Option<String>), Response> {
    let Some(text) = duration.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok((None, reason));
    };
    if duration::is_never(text) {
        return Ok((None, reason));
    }
    match duration::parse(env.tr, text) {
        Ok(secs) => Ok((Some(secs), reason)),
        Err(_) if matches!(command.source, CommandSource::Prefix { .. }) => {
            let joined = match reason {
                Some(rest) => format!("{text} {rest}"),
                None => text.to_owned(),
            };
            if joined.chars().count() > MAX_REASON {
                return Err(misuse(tr!(
                    env.tr,
                    "moderation-reason-too-long",
                    max = MAX_REASON
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
    Purge { count, member }: Purge,
) -> std::result::Result<Result<Response>, Response> {
    let count = usize::try_from(count).unwrap_or(1);
    let filter = member;
    let skip = match command.source {
        CommandSource::Prefix { message_id } => Some(message_id),
        CommandSource::Slash => None,
    };
    let channel = command.invoker.channel_id;
    let messages = match guild::messages(env.ctx, channel, 100) {
        Ok(messages) => messages,
        Err(e) => {
            return Ok(Ok(misuse(tr!(
                env.tr,
                "moderation-purge-unreadable",
                error = e.to_string()
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
        return Ok(Ok(misuse(env.tr.t("moderation-purge-nothing"))));
    }
    let request = DiscordRequest::DeleteMessages {
        channel_id: channel,
        message_ids: ids.clone(),
    };
    if let Err(e) = guild::act(env.ctx, &request) {
        return Ok(Ok(misuse(tr!(
            env.tr,
            "moderation-purge-failed",
            error = e.to_string()
        ))));
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
        // Recorded in the case and shown in the server: the server's language.
        new.reason = Some(tr!(
            env.ctx.tr_guild(env.guild),
            "moderation-purge-reason",
            channel = channel
        ));
        let case = cases::open(env.ctx, env.guild, &new, env.now_ms, |_, _| {})?;
        let config = model::config(&env.ctx.store(), env.guild)?;
        let note = cases::log(env.ctx, env.guild, env.tr, &config, &case, None);
        let mut text = tr!(
            env.tr,
            "moderation-purged",
            case = case.number,
            count = deleted
        );
        if let Some(note) = note {
            text.push('\n');
            text.push_str(&note);
        }
        Ok(Response::ephemeral(text))
    })();
    Ok(result)
}
