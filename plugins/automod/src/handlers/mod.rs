//! `/automod`'s subcommands. Every answer is ephemeral and in the member's language; a change
//! to what Discord's native rules hold is synced right away, and a sync Discord refuses is
//! told with what to do (the setting itself is saved: bot-side rules use it already).

use arsenal_plugin_api::prelude::*;

use crate::{
    commands::{
        AddWord, Automod as Cmd, Config, EscalationOptions, Exempt, LinksOptions, LogOptions, Raid,
        RaidOptions, RemoveWord, RuleOptions, Simulate, Toggle,
    },
    config::{
        self, GuildConfig, Level, RuleKind, RuleSetting, Sanction, Step, WordList,
        MAX_ALLOWED_LINKS, MAX_EXEMPT_CHANNELS, MAX_EXEMPT_ROLES, MAX_REGEXES, MAX_REGEX_CHARS,
        MAX_STEPS, MAX_WORDS, MAX_WORD_CHARS,
    },
    enforce::{self, MAX_TIMEOUT_SECS},
    engine::{content, words, Engine, MessageFacts},
    native, normalize, raid, Automod,
};

mod raid_mode;
mod settings;
mod status;
mod word_list;

use self::{raid_mode::*, settings::*, status::*, word_list::*};
pub(crate) use raid_mode::raid_alert;

/// Longest answer (Discord allows 2000 characters).
const MAX_ANSWER: usize = 1900;

pub(crate) fn command(
    module: &mut Automod,
    ctx: &Context,
    command: &CommandInvocation,
) -> Result<Response> {
    let tr = ctx.tr(&command.invoker);
    let Some(guild) = command.invoker.guild_id else {
        return Ok(Response::ephemeral(tr.t("automod-server-only")));
    };
    let parsed = match Cmd::parse(command) {
        Ok(parsed) => parsed,
        Err(refusal) => return Ok(refusal.into()),
    };
    let text = match parsed {
        Cmd::Status => status(ctx, &tr, guild)?,
        Cmd::Toggle(toggle) => self::toggle(ctx, &tr, guild, &toggle)?,
        Cmd::Config(Config::Rule(options)) => rule(ctx, &tr, guild, &options)?,
        Cmd::Config(Config::Escalation(options)) => escalation(ctx, &tr, guild, &options)?,
        Cmd::Config(Config::Links(options)) => links(ctx, &tr, guild, &options)?,
        Cmd::Config(Config::Log(options)) => log_channel(ctx, &tr, guild, &options)?,
        Cmd::Config(Config::Raid(options)) => raid_config(ctx, &tr, guild, &options)?,
        Cmd::AddWord(add) => add_word(ctx, &tr, guild, &add)?,
        Cmd::RemoveWord(remove) => remove_word(ctx, &tr, guild, &remove)?,
        Cmd::List => list(ctx, &tr, guild)?,
        Cmd::Exempt(exempt) => self::exempt(ctx, &tr, guild, &exempt)?,
        Cmd::Simulate(simulate) => self::simulate(ctx, &tr, guild, &simulate)?,
        Cmd::Raid(Raid::Status) => raid_status(ctx, &tr, guild)?,
        Cmd::Raid(Raid::Start) => raid_start(ctx, &tr, guild, command.invoker.user_id)?,
        Cmd::Raid(Raid::End) => raid_end(ctx, &tr, guild, command.invoker.user_id)?,
    };
    module.invalidate(guild);
    Ok(Response::ephemeral(truncate(text)))
}

pub(super) fn truncate(text: String) -> String {
    if text.chars().count() <= MAX_ANSWER {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_ANSWER).collect();
    cut.push('…');
    cut
}

pub(super) fn refuse(text: String) -> Result<String> {
    Err(Error::refused(text))
}

/// Syncs Discord's rules and says how it went, as a line to append.
pub(super) fn sync_line(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    config: &GuildConfig,
) -> Result<String> {
    let words = config::load_words(ctx, guild)?;
    Ok(match native::sync(ctx, guild, config, &words) {
        Ok(report) if report.active.is_empty() => tr.t("automod-native-none"),
        Ok(report) => tr!(
            tr,
            "automod-native-synced",
            rules = report
                .active
                .iter()
                .map(|r| enforce::rule_name(tr, *r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Err(e) if matches!(e.kind(), ErrorType::Discord { .. }) => {
            tr!(tr, "automod-native-failed", error = e.to_string())
        }
        Err(e) => return Err(e),
    })
}

#[cfg(test)]
mod tests {
    use super::word_list::count_mentions;

    #[test]
    fn typed_mentions_are_counted_once_each() {
        assert_eq!(count_mentions("<@1> <@!1> <@&2> @here"), 3);
        assert_eq!(count_mentions("no <@mention>"), 0);
    }
}
