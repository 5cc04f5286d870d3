//! What a violation does: the message is deleted, a strike recorded, the escalation step
//! reached applied (warn, timeout, kick, ban: each recorded as a moderation case when the
//! moderation module is loaded) and the violation posted in the log channel.

use arsenal_plugin_api::{model::id::marker::MessageMarker, prelude::*, protocol::MessageRef};

use crate::{
    cases,
    config::{GuildConfig, RuleKind, Sanction, Step},
    engine::{Detail, Hit},
    escalation,
};

/// A timeout when a step names none.
const DEFAULT_TIMEOUT_SECS: u64 = 600;
/// Discord's longest timeout.
pub const MAX_TIMEOUT_SECS: u64 = 28 * 24 * 3600;

/// The message that broke a rule.
#[derive(Debug, Clone, Copy)]
pub struct Offence {
    pub guild: Id<GuildMarker>,
    pub channel: Id<ChannelMarker>,
    pub message: Id<MessageMarker>,
    pub user: Id<UserMarker>,
}

/// The rule's name in the server's language.
#[must_use]
pub fn rule_name(tr: &Tr, rule: RuleKind) -> String {
    tr.t(&format!("automod-rule-{}", rule.name().replace('_', "-")))
}

/// Why the rule fired, in the server's language.
#[must_use]
pub fn describe(tr: &Tr, hit: &Hit) -> String {
    match &hit.detail {
        Detail::Word(word) => tr!(tr, "automod-why-word", word = word.clone()),
        Detail::Regex(regex) => tr!(tr, "automod-why-regex", regex = regex.clone()),
        Detail::Invite(invite) => tr!(tr, "automod-why-invite", invite = invite.clone()),
        Detail::Link(host) => tr!(tr, "automod-why-link", host = host.clone()),
        Detail::Count { count, limit } => tr!(
            tr,
            "automod-why-count",
            rule = rule_name(tr, hit.rule),
            count = *count,
            limit = u64::from(*limit)
        ),
        Detail::Caps { percent, limit } => tr!(
            tr,
            "automod-why-caps",
            percent = u64::from(*percent),
            limit = u64::from(*limit)
        ),
        Detail::Window { count, seconds } => tr!(
            tr,
            if hit.rule == RuleKind::Duplicates {
                "automod-why-duplicates"
            } else {
                "automod-why-rate"
            },
            count = *count,
            seconds = u64::from(*seconds)
        ),
    }
}

/// Handles a violation. Discord refusing one step (the bot may not delete here, or is below
/// the member) is logged and the other steps still run.
///
/// # Errors
///
/// A store failure.
pub fn violation(ctx: &Context, config: &GuildConfig, offence: Offence, hit: &Hit) -> Result<()> {
    let tr = ctx.tr_guild(offence.guild);
    let discord = ctx.discord();
    if let Err(e) = discord.execute::<serde_json::Value>(&DiscordRequest::DeleteMessage {
        target: MessageRef {
            channel_id: offence.channel,
            message_id: offence.message,
        },
    }) {
        if !e.is_not_found() {
            log::warn!(
                "automod: could not delete message {} in channel {}: {e}",
                offence.message,
                offence.channel
            );
        }
    }
    let now = ctx.now();
    let (recent, step) = escalation::strike(ctx, offence.guild, offence.user, now, &config.steps)?;
    let why = describe(&tr, hit);
    let reason = tr!(
        tr,
        "automod-case-reason",
        rule = rule_name(&tr, hit.rule),
        why = why.clone()
    );
    let action = match step {
        Some(step) => apply(ctx, &tr, offence, step, &reason),
        None => tr.t("automod-action-deleted"),
    };
    if let Some(log_channel) = config.log_channel {
        let text = tr!(
            tr,
            "automod-log-violation",
            user = format!("<@{}>", offence.user),
            channel = format!("<#{}>", offence.channel),
            rule = rule_name(&tr, hit.rule),
            why = why,
            action = action,
            count = recent
        );
        let post = DiscordRequest::SendMessage {
            channel_id: log_channel,
            message: Reply::text(text).no_mentions(),
        };
        if let Err(e) = discord.execute::<serde_json::Value>(&post) {
            log::warn!("automod: could not post in the log channel {log_channel}: {e}");
        }
    }
    Ok(())
}

/// Applies an escalation step; returns what was done, for the log.
fn apply(ctx: &Context, tr: &Tr, offence: Offence, step: Step, reason: &str) -> String {
    let discord = ctx.discord();
    let audit = Some(reason.chars().take(500).collect::<String>());
    let (guild_id, user_id) = (offence.guild, offence.user);
    let mut duration_secs = None;
    let done = match step.sanction {
        Sanction::Delete | Sanction::Remove => return tr.t("automod-action-deleted"),
        Sanction::Warn => discord.execute::<serde_json::Value>(&DiscordRequest::SendMessage {
            channel_id: offence.channel,
            message: Reply::text(tr!(
                tr,
                "automod-warn-notice",
                user = format!("<@{user_id}>"),
                reason = reason.to_owned()
            ))
            .mention_only([user_id]),
        }),
        Sanction::Timeout => {
            let secs = step
                .timeout_secs
                .unwrap_or(DEFAULT_TIMEOUT_SECS)
                .clamp(1, MAX_TIMEOUT_SECS);
            duration_secs = Some(secs);
            let until = ctx.now() / 1000 + secs;
            discord.execute::<serde_json::Value>(&DiscordRequest::TimeoutMember {
                guild_id,
                user_id,
                until_unix_secs: Some(i64::try_from(until).unwrap_or(i64::MAX)),
                reason: audit,
            })
        }
        Sanction::Kick => discord.execute::<serde_json::Value>(&DiscordRequest::KickMember {
            guild_id,
            user_id,
            reason: audit,
        }),
        Sanction::Ban => discord.execute::<serde_json::Value>(&DiscordRequest::BanMember {
            guild_id,
            user_id,
            delete_message_seconds: 0,
            reason: audit,
        }),
    };
    let sanction = tr.t(&format!("automod-sanction-{}", step.sanction.name()));
    if let Err(e) = done {
        log::warn!(
            "automod: {} of {user_id} in {guild_id} failed: {e}",
            step.sanction.name()
        );
        return tr!(
            tr,
            "automod-action-failed",
            sanction = sanction,
            error = e.to_string()
        );
    }
    let case = cases::record(ctx, offence, step.sanction, reason, duration_secs);
    match case {
        Ok(Some(number)) => tr!(
            tr,
            "automod-action-case",
            sanction = sanction,
            case = number
        ),
        Ok(None) => sanction,
        Err(e) => tr!(
            tr,
            "automod-action-no-case",
            sanction = sanction,
            error = e.to_string()
        ),
    }
}
