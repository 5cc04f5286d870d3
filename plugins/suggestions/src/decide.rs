//! `/suggestion approve|deny|consider|implement <id> [reason]` (staff): the status, its reason
//! and who decided are saved first, then shown on the suggestion's message, copied to the log
//! channel (approved, denied, implemented) and sent to the author by direct message. Each step
//! that Discord refuses is named in the answer to the staff member ("could not DM the author");
//! none undoes the decision. `/suggestion show <id>` lets staff read a suggestion's state and its
//! author, anonymous or not (for moderation).

use arsenal_plugin_api::{
    i18n::Tr,
    prelude::*,
    protocol::{discord_code, Invoker, MessageRef},
};

use crate::{
    command::Decision,
    model::{load_config, suggestion_key, votes_key, GuildConfig, Status, Suggestion, Votes},
    render,
};

/// Manage Server or Administrator: configures the module and decides.
#[must_use]
pub fn is_admin(invoker: &Invoker) -> bool {
    invoker
        .permissions
        .intersects(Permissions::ADMINISTRATOR | Permissions::MANAGE_GUILD)
}

/// Whether the member may decide: an admin, or one of the configured staff roles.
#[must_use]
pub fn is_staff(invoker: &Invoker, config: &GuildConfig) -> bool {
    is_admin(invoker) || invoker.roles.iter().any(|r| config.staff_roles.contains(r))
}

/// Why the record could not take the decision.
enum Refusal {
    Unknown,
    NotPosted,
}

/// Sets `status` on suggestion `decision.id` and tells everyone concerned.
pub fn decide(
    ctx: &Context,
    tr: Tr<'_>,
    invoker: &Invoker,
    guild: Id<GuildMarker>,
    status: Status,
    decision: Decision,
) -> Result<Response> {
    let config = load_config(ctx, guild)?;
    if !is_staff(invoker, &config) {
        return Ok(Response::ephemeral(tr.t("suggestions-not-staff")));
    }
    let Some(number) = u64::try_from(decision.id).ok().filter(|n| *n > 0) else {
        return Ok(Response::ephemeral(tr!(
            tr,
            "suggestions-unknown",
            number = decision.id
        )));
    };
    let reason = decision
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let now = ctx.now();
    let key = suggestion_key(guild, number);
    let mut refusal = None;
    let mut previous = Status::Pending;
    let decided = ctx.store().update(&key, |current: Option<Suggestion>| {
        refusal = None;
        let Some(mut suggestion) = current else {
            refusal = Some(Refusal::Unknown);
            return Ok(None);
        };
        if suggestion.message_id.is_none() {
            refusal = Some(Refusal::NotPosted);
            return Ok(Some(suggestion));
        }
        previous = suggestion.status;
        suggestion.status = status;
        suggestion.reason.clone_from(&reason);
        suggestion.decided_by = Some(invoker.user_id);
        suggestion.decided_ms = Some(now);
        Ok(Some(suggestion))
    })?;
    let suggestion = match (refusal, decided) {
        (None, Some(suggestion)) => suggestion,
        (Some(Refusal::NotPosted), _) => {
            return Ok(Response::ephemeral(tr!(
                tr,
                "suggestions-not-posted",
                number = number
            )))
        }
        _ => {
            return Ok(Response::ephemeral(tr!(
                tr,
                "suggestions-unknown",
                number = number
            )))
        }
    };
    let votes: Votes = ctx
        .store()
        .get(&votes_key(guild, number))?
        .unwrap_or_default();
    let status_name = tr.t(&format!("suggestions-status-{}", status.name()));
    let mut lines = vec![tr!(
        tr,
        "suggestions-decided",
        number = number,
        status = status_name,
        link = render::link(&suggestion)
    )];

    let posted = ctx.tr_guild(guild);
    if let Some(message_id) = suggestion.message_id {
        let edit = ctx
            .discord()
            .execute::<Value>(&DiscordRequest::EditMessage {
                target: MessageRef {
                    channel_id: suggestion.channel_id,
                    message_id,
                },
                message: render::suggestion_message(&posted, &suggestion, &votes),
            });
        if let Err(error) = edit {
            lines.push(
                if error.is_discord_code(&[
                    discord_code::UNKNOWN_MESSAGE,
                    discord_code::UNKNOWN_CHANNEL,
                ]) {
                    tr.t("suggestions-message-gone")
                } else {
                    tr!(
                        tr,
                        "suggestions-edit-failed",
                        reason = crate::model::reason(&error)
                    )
                },
            );
        }
    }

    if let Some(line) = close_or_reopen_thread(ctx, tr, &suggestion, previous) {
        lines.push(line);
    }

    if status.is_final() {
        if let Some(log) = config.log_channel {
            let sent = ctx
                .discord()
                .execute::<Value>(&DiscordRequest::SendMessage {
                    channel_id: log,
                    message: render::log_message(&posted, &suggestion, &votes),
                });
            if let Err(error) = sent {
                lines.push(tr!(
                    tr,
                    "suggestions-log-failed",
                    channel = format!("<#{log}>"),
                    reason = crate::model::reason(&error)
                ));
            }
        }
    }

    if suggestion.author == invoker.user_id {
        lines.push(tr.t("suggestions-own"));
    } else {
        let theirs = ctx.tr_locale(suggestion.author_locale.as_deref());
        let dm = ctx
            .discord()
            .execute::<Value>(&DiscordRequest::SendDirectMessage {
                user_id: suggestion.author,
                message: render::author_dm(&theirs, &suggestion, &votes),
            });
        lines.push(match dm {
            Ok(_) => tr.t("suggestions-author-told"),
            Err(error) if error.is_discord_code(&[discord_code::CANNOT_MESSAGE_USER]) => {
                tr.t("suggestions-dm-closed")
            }
            Err(error) => tr!(
                tr,
                "suggestions-dm-failed",
                reason = crate::model::reason(&error)
            ),
        });
    }
    Ok(Response::ephemeral(lines.join("\n")))
}

/// A decided suggestion's discussion is over: its thread is archived and locked. A decision
/// taken back (to pending or considered) opens it again. Returns the line for the staff
/// member when Discord refuses; a thread that is gone is nothing to report.
fn close_or_reopen_thread(
    ctx: &Context,
    tr: Tr<'_>,
    suggestion: &Suggestion,
    previous: Status,
) -> Option<String> {
    let thread_id = suggestion.thread_id?;
    let close = suggestion.status.is_final();
    if !close && !previous.is_final() {
        return None;
    }
    let done = ctx
        .discord()
        .execute::<Value>(&DiscordRequest::SetThreadArchived {
            thread_id,
            archived: close,
            locked: close,
        });
    match done {
        Ok(_) => None,
        Err(error) if error.is_discord_code(&[discord_code::UNKNOWN_CHANNEL]) => None,
        Err(error) => Some(tr!(
            tr,
            if close {
                "suggestions-thread-close-failed"
            } else {
                "suggestions-thread-reopen-failed"
            },
            thread = format!("<#{thread_id}>"),
            reason = crate::model::reason(&error)
        )),
    }
}

/// `/suggestion show <id>` (staff): the status, the votes and who wrote it, named even when the
/// suggestion is anonymous (the staff answer is ephemeral).
pub fn show(
    ctx: &Context,
    tr: Tr<'_>,
    invoker: &Invoker,
    guild: Id<GuildMarker>,
    id: i64,
) -> Result<Response> {
    let config = load_config(ctx, guild)?;
    if !is_staff(invoker, &config) {
        return Ok(Response::ephemeral(tr.t("suggestions-not-staff")));
    }
    let found = match u64::try_from(id) {
        Ok(number) => ctx
            .store()
            .get::<Suggestion>(&suggestion_key(guild, number))?,
        Err(_) => None,
    };
    let Some(suggestion) = found else {
        return Ok(Response::ephemeral(tr!(
            tr,
            "suggestions-unknown",
            number = id
        )));
    };
    let votes: Votes = ctx
        .store()
        .get(&votes_key(guild, suggestion.number))?
        .unwrap_or_default();
    let (up, down) = votes.counts();
    let author = format!("<@{}>", suggestion.author);
    Ok(Response::ephemeral(tr!(
        tr,
        if suggestion.anonymous {
            "suggestions-show-anonymous"
        } else {
            "suggestions-show"
        },
        number = suggestion.number,
        status = tr.t(&format!("suggestions-status-{}", suggestion.status.name())),
        author = author,
        up = up,
        down = down,
        link = render::link(&suggestion)
    )))
}
