//! `/logs`: routing categories to channels, ignore lists, bots, retention, and the settings.

use arsenal_plugin_api::prelude::*;

use crate::{
    config::{self, Category, GuildConfig, Which, MAX_RETENTION_SECS, MIN_RETENTION_SECS},
    format::color,
    sink::{self, Entry},
    sweep, Logs,
};

/// `/logs` and `!logs`: the command's declaration and its parsed form.
#[derive(Debug, Command)]
#[command(
    name = "logs",
    desc = "Server logs: edits, deletes, members, moderation, server and voice changes",
    permissions = "MANAGE_GUILD",
    prefix
)]
pub enum LogsCommand {
    /// Send a category of logs (or all) to a channel
    Channel(Route),
    /// Stop logging a category (or all)
    Disable(Pick),
    /// Ignore a channel's messages, or a member
    Ignore(Target),
    /// Stop ignoring a channel or a member
    Unignore(Target),
    /// Whether bots' messages are logged
    Bots(Bots),
    /// How long deleted and edited messages' contents are kept
    Retention(Retention),
    /// Show the settings
    Show,
}

/// `/logs channel`.
#[derive(Debug, Command)]
pub struct Route {
    /// Which logs
    pub category: Which,
    /// Where they go
    #[option(channel_types = [GuildText, GuildAnnouncement])]
    pub channel: Id<ChannelMarker>,
}

/// `/logs disable`.
#[derive(Debug, Command)]
pub struct Pick {
    /// Which logs
    pub category: Which,
}

/// `/logs ignore` and `/logs unignore`.
#[derive(Debug, Command)]
pub struct Target {
    /// A channel whose messages are not logged
    pub channel: Option<Id<ChannelMarker>>,
    /// A member whose messages and changes are not logged
    pub member: Option<ResolvedUser>,
}

/// `/logs bots`.
#[derive(Debug, Command)]
pub struct Bots {
    /// Log bots' messages too
    pub log: bool,
}

/// `/logs retention`.
#[derive(Debug, Command)]
pub struct Retention {
    /// How long, from 1h to 30d (e.g. 12h, 7d)
    pub duration: Duration,
}

/// Answers `/logs`.
///
/// # Errors
///
/// When the store cannot be read or written.
pub fn run(logs: &mut Logs, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
    let tr = ctx.tr(&command.invoker);
    let Some(guild) = command.invoker.guild_id else {
        return Ok(Response::ephemeral(tr.t("logs-only-in-servers")));
    };
    let parsed = match LogsCommand::parse(command) {
        Ok(parsed) => parsed,
        Err(refusal) => return Ok(refusal.into()),
    };
    let store = ctx.store();
    let key = config::key(guild);
    let current: GuildConfig = store.get(&key)?.unwrap_or_default();
    match parsed {
        LogsCommand::Channel(Route { category, channel }) => {
            let categories = category.categories();
            sink::reset(ctx, channel)?;
            let names = names(&categories);
            let tr_guild = ctx.tr_guild(guild);
            let embed = EmbedBuilder::new()
                .title(tr_guild.t("logs-here-title"))
                .description(tr!(
                    tr_guild,
                    "logs-here",
                    categories = &names,
                    user = format!("<@{}>", command.invoker.user_id)
                ))
                .color(color::ADDED)
                .build();
            if let Err(e) = sink::deliver(ctx, channel, Entry { embed, file: None }) {
                return Ok(Response::ephemeral(tr!(
                    tr,
                    "logs-cannot-post",
                    channel = format!("<#{channel}>"),
                    error = e.message()
                )));
            }
            let mut config = current;
            for category in &categories {
                config.routes.insert(*category, channel);
            }
            store.set(&key, &config)?;
            if categories.contains(&Category::Messages) {
                sweep::schedule(ctx, guild)?;
            }
            Ok(Response::ephemeral(tr!(
                tr,
                "logs-routed",
                categories = names,
                channel = format!("<#{channel}>")
            )))
        }
        LogsCommand::Disable(Pick { category }) => {
            let categories = category.categories();
            let mut config = current;
            let before = config.routes.len();
            for category in &categories {
                config.routes.remove(category);
            }
            if config.routes.len() == before {
                return Ok(Response::ephemeral(tr.t("logs-nothing-to-disable")));
            }
            let forgot = if config.route(Category::Messages).is_none() {
                // Nothing is logged from the kept contents any more: they go now (privacy).
                let removed = logs.cache.sweep(ctx, guild, 0)?;
                sweep::cancel(ctx, guild)?;
                removed
            } else {
                0
            };
            if config.routes.is_empty() {
                store.delete(&key)?;
            } else {
                store.set(&key, &config)?;
            }
            Ok(Response::ephemeral(tr!(
                tr,
                "logs-disabled",
                categories = names(&categories),
                forgotten = forgot
            )))
        }
        LogsCommand::Ignore(target) | LogsCommand::Unignore(target)
            if target.channel.is_none() && target.member.is_none() =>
        {
            Ok(Response::ephemeral(tr.t("logs-ignore-what")))
        }
        LogsCommand::Ignore(Target { channel, member }) => {
            let mut config = current;
            if let Some(channel) = channel {
                config.ignored_channels.insert(channel);
            }
            if let Some(member) = &member {
                config.ignored_members.insert(member.id);
            }
            store.set(&key, &config)?;
            Ok(Response::ephemeral(tr!(
                tr,
                "logs-ignored",
                targets = targets(channel, member.as_ref())
            )))
        }
        LogsCommand::Unignore(Target { channel, member }) => {
            let mut config = current;
            let mut changed = false;
            if let Some(channel) = channel {
                changed |= config.ignored_channels.remove(&channel);
            }
            if let Some(member) = &member {
                changed |= config.ignored_members.remove(&member.id);
            }
            if !changed {
                return Ok(Response::ephemeral(tr.t("logs-not-ignored")));
            }
            store.set(&key, &config)?;
            Ok(Response::ephemeral(tr!(
                tr,
                "logs-unignored",
                targets = targets(channel, member.as_ref())
            )))
        }
        LogsCommand::Bots(Bots { log }) => {
            let mut config = current;
            config.log_bots = log;
            store.set(&key, &config)?;
            Ok(Response::ephemeral(if log {
                tr.t("logs-bots-on")
            } else {
                tr.t("logs-bots-off")
            }))
        }
        LogsCommand::Retention(Retention { duration }) => {
            let secs = duration.as_secs();
            if !(MIN_RETENTION_SECS..=MAX_RETENTION_SECS).contains(&secs) {
                return Ok(Response::ephemeral(tr.t("logs-retention-range")));
            }
            let mut config = current;
            config.retention_secs = secs;
            store.set(&key, &config)?;
            let removed = logs.cache.sweep(ctx, guild, secs.saturating_mul(1000))?;
            Ok(Response::ephemeral(tr!(
                tr,
                "logs-retention-set",
                duration = duration_text(secs),
                removed = removed
            )))
        }
        LogsCommand::Show => Ok(Response::ephemeral(show(&tr, &current))),
    }
}

fn names(categories: &[Category]) -> String {
    categories
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn targets(channel: Option<Id<ChannelMarker>>, member: Option<&ResolvedUser>) -> String {
    channel
        .map(|c| format!("<#{c}>"))
        .into_iter()
        .chain(member.map(|m| format!("<@{}>", m.id)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `7d`, `12h`, `1d 6h`.
fn duration_text(secs: u64) -> String {
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    let parts: Vec<String> = [(days, "d"), (hours, "h"), (minutes, "m")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if parts.is_empty() {
        format!("{secs}s")
    } else {
        parts.join(" ")
    }
}

fn show(tr: &Tr<'_>, config: &GuildConfig) -> String {
    let off = tr.t("logs-off");
    let mut lines = vec![tr.t("logs-show-title")];
    for category in Category::ALL {
        let channel = config
            .route(category)
            .map_or_else(|| off.clone(), |c| format!("<#{c}>"));
        lines.push(format!("- {}: {channel}", category.name()));
    }
    let list = |items: Vec<String>| {
        if items.is_empty() {
            tr.t("logs-none")
        } else {
            items.join(", ")
        }
    };
    lines.push(tr!(
        tr,
        "logs-show-ignored-channels",
        channels = list(
            config
                .ignored_channels
                .iter()
                .map(|c| format!("<#{c}>"))
                .collect()
        )
    ));
    lines.push(tr!(
        tr,
        "logs-show-ignored-members",
        members = list(
            config
                .ignored_members
                .iter()
                .map(|m| format!("<@{m}>"))
                .collect()
        )
    ));
    lines.push(if config.log_bots {
        tr.t("logs-bots-on")
    } else {
        tr.t("logs-bots-off")
    });
    lines.push(tr!(
        tr,
        "logs-show-retention",
        duration = duration_text(config.retention_secs)
    ));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::duration_text;

    #[test]
    fn durations_read_as_typed() {
        assert_eq!(duration_text(7 * 86_400), "7d");
        assert_eq!(duration_text(30 * 3600), "1d 6h");
        assert_eq!(duration_text(3600), "1h");
    }
}
