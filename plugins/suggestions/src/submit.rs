//! `/suggest`: checks the member may suggest now (set up, anonymous allowed, cooldown), takes
//! the server's next number and records the suggestion in one transaction, posts it, opens its
//! discussion thread, and only then starts the member's cooldown.
//!
//! Nothing is lost on a refusal: if Discord refuses the post, the record is removed, the
//! cooldown is not started and the member gets their text back to try again.

use arsenal_plugin_api::{
    i18n::Tr,
    prelude::*,
    protocol::{Invoker, MessageRef},
};
use serde::Deserialize;

use crate::{
    command::Suggest,
    model::{
        cooldown_key, counter_key, load_config, suggestion_key, Status, Suggestion, Votes,
        RECORD_VERSION,
    },
    render,
};

/// The id of something Discord created.
#[derive(Deserialize)]
#[serde(bound = "")]
struct Created<M> {
    id: Id<M>,
}

/// Discord's limit on a thread name.
const THREAD_NAME: usize = 100;

/// `/suggest <suggestion> [anonymous]`.
pub fn suggest(
    ctx: &Context,
    tr: Tr<'_>,
    invoker: &Invoker,
    guild: Id<GuildMarker>,
    command: Suggest,
) -> Result<Response> {
    let config = load_config(ctx, guild)?;
    let Some(channel) = config.channel else {
        return Ok(Response::ephemeral(tr.t("suggestions-not-set-up")));
    };
    let anonymous = command.anonymous.unwrap_or(false);
    if anonymous && !config.anonymous {
        return Ok(Response::ephemeral(tr.t("suggestions-no-anonymous")));
    }
    let content = command.suggestion.trim().to_owned();
    if content.is_empty() {
        return Ok(Response::ephemeral(tr.t("suggestions-empty")));
    }
    let now = ctx.now();
    let cooldown_ms = config.cooldown_secs.saturating_mul(1000);
    if cooldown_ms > 0 {
        let last: Option<u64> = ctx.store().get(&cooldown_key(guild, invoker.user_id))?;
        if let Some(wait) = last
            .map(|last| last.saturating_add(cooldown_ms))
            .filter(|until| *until > now)
            .map(|until| until - now)
        {
            return Ok(Response::ephemeral(tr!(
                tr,
                "suggestions-cooldown",
                wait = describe_wait(tr, wait)
            )));
        }
    }

    // The number and the record in one transaction: two members suggesting at once get two
    // numbers.
    let number = ctx.store().transaction(|txn| {
        let number = txn.get::<u64>(&counter_key(guild))?.unwrap_or(0) + 1;
        txn.set(&counter_key(guild), &number)?;
        txn.set(
            &suggestion_key(guild, number),
            &Suggestion {
                v: RECORD_VERSION,
                guild_id: guild,
                number,
                author: invoker.user_id,
                anonymous,
                author_locale: invoker.locale.clone(),
                content: content.clone(),
                channel_id: channel,
                message_id: None,
                thread_id: None,
                status: Status::Pending,
                reason: None,
                decided_by: None,
                created_ms: now,
                decided_ms: None,
            },
        )?;
        Ok(number)
    })?;
    let key = suggestion_key(guild, number);
    let Some(mut suggestion) = ctx.store().get::<Suggestion>(&key)? else {
        return Err(Error::failed("the suggestion just recorded is missing"));
    };

    let posted = ctx.tr_guild(guild);
    let message = render::suggestion_message(&posted, &suggestion, &Votes::default());
    let created: Result<Created<MessageMarker>> =
        ctx.discord().execute(&DiscordRequest::SendMessage {
            channel_id: channel,
            message,
        });
    let message_id = match created {
        Ok(created) => created.id,
        Err(error) => {
            ctx.store().delete(&key)?;
            return Ok(Response::ephemeral(tr!(
                tr,
                "suggestions-post-failed",
                channel = format!("<#{channel}>"),
                reason = crate::model::reason(&error),
                text = content
            )));
        }
    };
    suggestion.message_id = Some(message_id);
    ctx.store().set(&key, &suggestion)?;
    ctx.store()
        .set(&cooldown_key(guild, invoker.user_id), &now)?;

    let mut answer = tr!(
        tr,
        "suggestions-posted",
        number = number,
        link = render::link(&suggestion)
    );
    if config.threads {
        let name = crate::model::clip(
            &format!("#{number} {}", first_line(&suggestion.content)),
            THREAD_NAME,
        );
        let thread: Result<Created<ChannelMarker>> =
            ctx.discord()
                .execute(&DiscordRequest::CreateThreadFromMessage {
                    target: MessageRef {
                        channel_id: channel,
                        message_id,
                    },
                    name,
                });
        match thread {
            Ok(thread) => {
                ctx.store().update(&key, |current: Option<Suggestion>| {
                    Ok(current.map(|mut s| {
                        s.thread_id = Some(thread.id);
                        s
                    }))
                })?;
            }
            Err(error) => {
                answer.push('\n');
                answer.push_str(&tr!(
                    tr,
                    "suggestions-thread-failed",
                    reason = crate::model::reason(&error)
                ));
            }
        }
    }
    Ok(Response::ephemeral(answer))
}

/// The first line of `text`, for the thread's name.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// `4 min 10 s`, `1 h 5 min`: the wait, in the member's language.
#[must_use]
pub fn describe_wait(tr: Tr<'_>, ms: u64) -> String {
    let secs = ms.div_ceil(1000);
    let (hours, minutes, seconds) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut parts = Vec::new();
    if hours > 0 {
        parts.push(tr!(tr, "suggestions-hours", n = hours));
    }
    if minutes > 0 {
        parts.push(tr!(tr, "suggestions-minutes", n = minutes));
    }
    if seconds > 0 && hours == 0 {
        parts.push(tr!(tr, "suggestions-seconds", n = seconds));
    }
    parts.join(" ")
}
