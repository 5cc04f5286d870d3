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

fn truncate(text: String) -> String {
    if text.chars().count() <= MAX_ANSWER {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_ANSWER).collect();
    cut.push('…');
    cut
}

fn refuse(text: String) -> Result<String> {
    Err(Error::refused(text))
}

/// Syncs Discord's rules and says how it went, as a line to append.
fn sync_line(
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

fn status(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>) -> Result<String> {
    let config = config::load(ctx, guild)?;
    let words = config::load_words(ctx, guild)?;
    let native = native::load(ctx, guild)?;
    let mut lines = vec![tr!(tr, "automod-status-level", level = config.level.name())];
    for rule in RuleKind::ALL {
        let e = config.effective(rule);
        let state = if e.enabled {
            tr.t("automod-on")
        } else {
            tr.t("automod-off")
        };
        let mut line = format!(
            "{} {}: {state}",
            if e.enabled { "●" } else { "○" },
            enforce::rule_name(tr, rule)
        );
        if rule.has_limit() {
            line.push_str(&tr!(tr, "automod-status-limit", limit = u64::from(e.limit)));
        }
        if rule.has_window() {
            line.push_str(&tr!(
                tr,
                "automod-status-window",
                seconds = u64::from(e.seconds)
            ));
        }
        if e.overridden {
            line.push(' ');
            line.push_str(&tr.t("automod-status-own"));
        }
        if rule.is_native() && native.id(rule).is_some() {
            line.push(' ');
            line.push_str(&tr.t("automod-status-in-discord"));
        }
        lines.push(line);
    }
    lines.push(tr!(
        tr,
        "automod-status-words",
        words = words.words.len(),
        regexes = words.regexes.len()
    ));
    lines.push(steps_line(tr, &config.steps));
    lines.push(tr!(
        tr,
        "automod-status-exempt",
        roles = list_or_none(tr, config.exempt_roles.iter().map(|r| format!("<@&{r}>"))),
        channels = list_or_none(tr, config.exempt_channels.iter().map(|c| format!("<#{c}>")))
    ));
    lines.push(tr!(
        tr,
        "automod-status-links",
        links = list_or_none(tr, config.allowed_links.iter().cloned())
    ));
    lines.push(match config.log_channel {
        Some(c) => tr!(tr, "automod-status-log", channel = format!("<#{c}>")),
        None => tr.t("automod-status-no-log"),
    });
    lines.push(raid_config_line(tr, &config));
    if let Some(state) = raid::load(ctx, guild)? {
        lines.push(tr!(
            tr,
            "automod-raid-active",
            since = format!("<t:{}:R>", state.since_ms / 1000)
        ));
    }
    if let Some(error) = native.last_error {
        lines.push(tr!(tr, "automod-native-failed", error = error));
    }
    Ok(lines.join("\n"))
}

fn list_or_none(tr: &Tr, items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        tr.t("automod-none")
    } else {
        items.join(", ")
    }
}

fn steps_line(tr: &Tr, steps: &[Step]) -> String {
    if steps.is_empty() {
        return tr.t("automod-steps-none");
    }
    let steps: Vec<String> = steps
        .iter()
        .map(|s| {
            let mut sanction = tr.t(&format!("automod-sanction-{}", s.sanction.name()));
            if let (Sanction::Timeout, Some(secs)) = (s.sanction, s.timeout_secs) {
                sanction = format!("{sanction} {}", Duration::from_secs(secs));
            }
            tr!(
                tr,
                "automod-step",
                count = u64::from(s.count),
                minutes = u64::from(s.minutes),
                sanction = sanction
            )
        })
        .collect();
    tr!(tr, "automod-steps", steps = steps.join("; "))
}

fn raid_config_line(tr: &Tr, config: &GuildConfig) -> String {
    if !config.raid.enabled {
        return tr.t("automod-raid-config-off");
    }
    let action = match config.raid.action {
        config::RaidAction::PauseInvites => "pause-invites",
        config::RaidAction::Verification => "verification",
        config::RaidAction::Both => "both",
        config::RaidAction::Alert => "alert",
    };
    tr!(
        tr,
        "automod-raid-config",
        joins = u64::from(config.raid.joins),
        seconds = u64::from(config.raid.seconds),
        action = tr.t(&format!("automod-raid-action-{action}"))
    )
}

fn toggle(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, toggle: &Toggle) -> Result<String> {
    let config = config::update(ctx, guild, |config| {
        let next = match toggle.level {
            Some(level) => level,
            None if config.level != Level::Off => Level::Off,
            None => config.last_level.unwrap_or(Level::Medium),
        };
        if config.level != Level::Off {
            config.last_level = Some(config.level);
        }
        config.level = next;
        Ok(())
    })?;
    let head = if config.level == Level::Off {
        tr.t("automod-toggled-off")
    } else {
        tr!(tr, "automod-toggled", level = config.level.name())
    };
    Ok(format!("{head}\n{}", sync_line(ctx, tr, guild, &config)?))
}

fn rule(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, options: &RuleOptions) -> Result<String> {
    let rule = options.rule;
    let name = enforce::rule_name(tr, rule);
    if options.limit.is_some() && !rule.has_limit() {
        return refuse(tr!(tr, "automod-rule-no-limit", rule = name));
    }
    if options.seconds.is_some() && !rule.has_window() {
        return refuse(tr!(tr, "automod-rule-no-window", rule = name));
    }
    let limit = options.limit.map(|l| u32::try_from(l).unwrap_or(u32::MAX));
    if let Some(limit) = limit {
        if limit > rule.max_limit() {
            return refuse(tr!(
                tr,
                "automod-rule-limit-too-high",
                rule = name,
                max = u64::from(rule.max_limit())
            ));
        }
    }
    let seconds = options
        .seconds
        .map(|s| u32::try_from(s).unwrap_or(u32::MAX));
    let reset = options.enabled.is_none() && limit.is_none() && seconds.is_none();
    let config = config::update(ctx, guild, |config| {
        if reset {
            config.rules.remove(&rule);
            return Ok(());
        }
        let own = config
            .rules
            .entry(rule)
            .or_insert_with(RuleSetting::default);
        own.enabled = options.enabled.or(own.enabled);
        own.limit = limit.or(own.limit);
        own.seconds = seconds.or(own.seconds);
        Ok(())
    })?;
    let e = config.effective(rule);
    let mut text = if reset {
        tr!(
            tr,
            "automod-rule-reset",
            rule = name.clone(),
            level = config.level.name()
        )
    } else {
        tr!(tr, "automod-rule-saved", rule = name.clone())
    };
    text.push('\n');
    text.push_str(&if e.enabled {
        tr!(tr, "automod-rule-now-on", rule = name)
    } else {
        tr!(tr, "automod-rule-now-off", rule = name)
    });
    if rule.has_limit() {
        text.push_str(&tr!(tr, "automod-status-limit", limit = u64::from(e.limit)));
    }
    if rule.has_window() {
        text.push_str(&tr!(
            tr,
            "automod-status-window",
            seconds = u64::from(e.seconds)
        ));
    }
    if rule.is_native() {
        text.push('\n');
        text.push_str(&sync_line(ctx, tr, guild, &config)?);
    }
    Ok(text)
}

fn escalation(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    options: &EscalationOptions,
) -> Result<String> {
    let count = u32::try_from(options.count).unwrap_or(1);
    let minutes = u32::try_from(options.minutes).unwrap_or(1);
    let timeout_secs = match (options.action, options.duration) {
        (Sanction::Timeout, Some(d)) if d.as_secs() > MAX_TIMEOUT_SECS => {
            return refuse(tr.t("automod-timeout-too-long"));
        }
        (Sanction::Timeout, d) => Some(d.map_or(600, |d| d.as_secs())),
        (_, Some(_)) => return refuse(tr.t("automod-duration-only-timeout")),
        (_, None) => None,
    };
    let mut missing = false;
    let mut full = false;
    let config = config::update(ctx, guild, |config| {
        let existed = config.steps.iter().any(|s| s.count == count);
        config.steps.retain(|s| s.count != count);
        if options.action == Sanction::Remove {
            missing = !existed;
            return Ok(());
        }
        if config.steps.len() >= MAX_STEPS {
            full = true;
            return Ok(());
        }
        config.steps.push(Step {
            count,
            minutes,
            sanction: options.action,
            timeout_secs,
        });
        config.steps.sort_by_key(|s| s.count);
        Ok(())
    })?;
    if full {
        return refuse(tr!(tr, "automod-steps-full", max = MAX_STEPS));
    }
    if missing {
        return refuse(tr!(tr, "automod-step-missing", count = u64::from(count)));
    }
    Ok(steps_line(tr, &config.steps))
}

fn links(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, options: &LinksOptions) -> Result<String> {
    let Some(domain) = content::normalise_domain(&options.domain) else {
        return refuse(tr!(
            tr,
            "automod-links-bad",
            domain = options.domain.clone()
        ));
    };
    let mut added = false;
    let mut full = false;
    let config = config::update(ctx, guild, |config| {
        if let Some(at) = config.allowed_links.iter().position(|d| *d == domain) {
            config.allowed_links.remove(at);
            added = false;
        } else if config.allowed_links.len() >= MAX_ALLOWED_LINKS {
            full = true;
        } else {
            config.allowed_links.push(domain.clone());
            added = true;
        }
        Ok(())
    })?;
    if full {
        return refuse(tr!(tr, "automod-links-full", max = MAX_ALLOWED_LINKS));
    }
    let head = if added {
        tr!(tr, "automod-links-added", domain = domain)
    } else {
        tr!(tr, "automod-links-removed", domain = domain)
    };
    Ok(format!(
        "{head}\n{}",
        tr!(
            tr,
            "automod-status-links",
            links = list_or_none(tr, config.allowed_links.iter().cloned())
        )
    ))
}

fn log_channel(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    options: &LogOptions,
) -> Result<String> {
    let config = config::update(ctx, guild, |config| {
        config.log_channel = options.channel;
        Ok(())
    })?;
    let head = match options.channel {
        Some(c) => tr!(tr, "automod-log-set", channel = format!("<#{c}>")),
        None => tr.t("automod-log-cleared"),
    };
    Ok(format!("{head}\n{}", sync_line(ctx, tr, guild, &config)?))
}

fn raid_config(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    options: &RaidOptions,
) -> Result<String> {
    let config = config::update(ctx, guild, |config| {
        if let Some(joins) = options.joins {
            config.raid.joins = u32::try_from(joins).unwrap_or(10);
        }
        if let Some(seconds) = options.seconds {
            config.raid.seconds = u32::try_from(seconds).unwrap_or(30);
        }
        if let Some(action) = options.action {
            config.raid.action = action;
        }
        if let Some(enabled) = options.enabled {
            config.raid.enabled = enabled;
        }
        Ok(())
    })?;
    let mut text = raid_config_line(tr, &config);
    if config.level == Level::Off {
        text.push('\n');
        text.push_str(&tr.t("automod-raid-needs-level"));
    }
    Ok(text)
}

/// Changes the word list and the settings' revision in one transaction.
fn change_words(
    ctx: &Context,
    guild: Id<GuildMarker>,
    mut change: impl FnMut(&mut WordList) -> Result<bool>,
) -> Result<Option<GuildConfig>> {
    ctx.store().transaction(|txn| {
        let words_key = config::words_key(guild);
        let mut words: WordList = txn.get(&words_key)?.unwrap_or_default();
        if !change(&mut words)? {
            return Ok(None);
        }
        let config_key = config::config_key(guild);
        let mut config: GuildConfig = txn.get(&config_key)?.unwrap_or_default();
        let revision = words.revision.max(config.words_revision) + 1;
        words.revision = revision;
        words.v = config::VERSION;
        config.words_revision = revision;
        txn.set(&words_key, &words)?;
        txn.set(&config_key, &config)?;
        Ok(Some(config))
    })
}

fn add_word(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, add: &AddWord) -> Result<String> {
    let entry = add.word.trim().to_owned();
    let is_regex = add.regex.unwrap_or(false);
    if is_regex {
        if entry.chars().count() > MAX_REGEX_CHARS {
            return refuse(tr!(tr, "automod-regex-too-long", max = MAX_REGEX_CHARS));
        }
        if let Err(words::PatternError::Regex(reason)) = words::compile_regex(&entry) {
            return refuse(tr!(tr, "automod-regex-bad", regex = entry, reason = reason));
        }
    } else {
        if entry.chars().count() > MAX_WORD_CHARS {
            return refuse(tr!(tr, "automod-word-too-long", max = MAX_WORD_CHARS));
        }
        if words::check_word(&entry).is_err() {
            return refuse(tr.t("automod-word-empty"));
        }
    }
    let mut outcome = "";
    let config = change_words(ctx, guild, |list| {
        let (items, max) = if is_regex {
            (&mut list.regexes, MAX_REGEXES)
        } else {
            (&mut list.words, MAX_WORDS)
        };
        if items.iter().any(|w| w.eq_ignore_ascii_case(&entry)) {
            outcome = "duplicate";
            return Ok(false);
        }
        if items.len() >= max {
            outcome = "full";
            return Ok(false);
        }
        items.push(entry.clone());
        Ok(true)
    })?;
    let Some(config) = config else {
        return refuse(match outcome {
            "duplicate" => tr!(tr, "automod-word-duplicate", word = entry),
            _ if is_regex => tr!(tr, "automod-regexes-full", max = MAX_REGEXES),
            _ => tr!(tr, "automod-words-full", max = MAX_WORDS),
        });
    };
    let head = if is_regex {
        tr!(tr, "automod-regex-added", regex = entry)
    } else {
        tr!(
            tr,
            "automod-word-added",
            word = entry,
            form = normalize::skeleton(&add.word).trim().to_owned()
        )
    };
    let mut text = head;
    if !config.effective(RuleKind::Words).enabled {
        text.push('\n');
        text.push_str(&tr.t("automod-words-rule-off"));
    }
    text.push('\n');
    text.push_str(&sync_line(ctx, tr, guild, &config)?);
    Ok(text)
}

fn remove_word(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    remove: &RemoveWord,
) -> Result<String> {
    let entry = remove.word.trim().to_owned();
    let config = change_words(ctx, guild, |list| {
        let before = list.words.len() + list.regexes.len();
        list.words.retain(|w| !w.eq_ignore_ascii_case(&entry));
        list.regexes.retain(|r| *r != entry);
        Ok(list.words.len() + list.regexes.len() != before)
    })?;
    let Some(config) = config else {
        return refuse(tr!(tr, "automod-word-missing", word = entry));
    };
    Ok(format!(
        "{}\n{}",
        tr!(tr, "automod-word-removed", word = entry),
        sync_line(ctx, tr, guild, &config)?
    ))
}

fn list(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>) -> Result<String> {
    let words = config::load_words(ctx, guild)?;
    if words.words.is_empty() && words.regexes.is_empty() {
        return Ok(tr.t("automod-list-empty"));
    }
    let mut text = tr!(
        tr,
        "automod-status-words",
        words = words.words.len(),
        regexes = words.regexes.len()
    );
    if !words.words.is_empty() {
        text.push('\n');
        text.push_str(
            &words
                .words
                .iter()
                .map(|w| format!("`{}`", w.replace('`', "'")))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    for regex in &words.regexes {
        text.push_str(&format!("\n/`{}`/", regex.replace('`', "'")));
    }
    Ok(text)
}

fn exempt(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, exempt: &Exempt) -> Result<String> {
    if exempt.role.is_none() && exempt.channel.is_none() {
        return refuse(tr.t("automod-exempt-nothing"));
    }
    let mut lines = Vec::new();
    let mut full = None;
    let config = config::update(ctx, guild, |config| {
        lines.clear();
        full = None;
        if let Some(role) = exempt.role {
            if let Some(at) = config.exempt_roles.iter().position(|r| *r == role) {
                config.exempt_roles.remove(at);
                lines.push(("automod-exempt-role-removed", format!("<@&{role}>")));
            } else if config.exempt_roles.len() >= MAX_EXEMPT_ROLES {
                full = Some(tr!(tr, "automod-exempt-roles-full", max = MAX_EXEMPT_ROLES));
            } else {
                config.exempt_roles.push(role);
                lines.push(("automod-exempt-role-added", format!("<@&{role}>")));
            }
        }
        if let Some(channel) = exempt.channel {
            if let Some(at) = config.exempt_channels.iter().position(|c| *c == channel) {
                config.exempt_channels.remove(at);
                lines.push(("automod-exempt-channel-removed", format!("<#{channel}>")));
            } else if config.exempt_channels.len() >= MAX_EXEMPT_CHANNELS {
                full = Some(tr!(
                    tr,
                    "automod-exempt-channels-full",
                    max = MAX_EXEMPT_CHANNELS
                ));
            } else {
                config.exempt_channels.push(channel);
                lines.push(("automod-exempt-channel-added", format!("<#{channel}>")));
            }
        }
        match &full {
            Some(text) => Err(Error::refused(text.clone())),
            None => Ok(()),
        }
    })?;
    let mut text: Vec<String> = lines
        .iter()
        .map(|(key, target)| tr!(tr, *key, target = target.clone()))
        .collect();
    text.push(sync_line(ctx, tr, guild, &config)?);
    Ok(text.join("\n"))
}

fn simulate(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, simulate: &Simulate) -> Result<String> {
    let config = config::load(ctx, guild)?;
    let words = config::load_words(ctx, guild)?;
    let engine = Engine::new(config, &words);
    let text = normalize::Normalized::new(&simulate.text);
    let facts = MessageFacts {
        content: &simulate.text,
        mentions: count_mentions(&simulate.text),
        attachments: 0,
    };
    let mut lines = vec![tr!(
        tr,
        "automod-simulate-normalised",
        text = text.skeleton.replace('`', "'")
    )];
    match engine.content_hit(&facts, &text) {
        Some(hit) => lines.push(tr!(
            tr,
            "automod-simulate-hit",
            rule = enforce::rule_name(tr, hit.rule),
            why = enforce::describe(tr, &hit)
        )),
        None => lines.push(tr.t("automod-simulate-clean")),
    }
    if engine.config.level == Level::Off && !engine.config.any_bot_side() {
        lines.push(tr.t("automod-simulate-off"));
    }
    Ok(lines.join("\n"))
}

/// Mentions in a typed text: `<@id>`, `<@!id>`, `<@&id>` (distinct), plus @everyone/@here.
fn count_mentions(text: &str) -> usize {
    let mut ids: Vec<&str> = text
        .split("<@")
        .skip(1)
        .filter_map(|rest| {
            let id = rest.trim_start_matches(['!', '&']);
            let end = id.find('>')?;
            let id = &id[..end];
            (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len() + usize::from(text.contains("@everyone") || text.contains("@here"))
}

fn raid_status(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>) -> Result<String> {
    let config = config::load(ctx, guild)?;
    Ok(match raid::load(ctx, guild)? {
        Some(state) => format!(
            "{}\n{}",
            state_line(tr, &state),
            raid_config_line(tr, &config)
        ),
        None => format!(
            "{}\n{}",
            tr.t("automod-raid-inactive"),
            raid_config_line(tr, &config)
        ),
    })
}

fn state_line(tr: &Tr, state: &raid::RaidState) -> String {
    let mut lines = vec![tr!(
        tr,
        "automod-raid-active",
        since = format!("<t:{}:R>", state.since_ms / 1000)
    )];
    if let Some(until) = state.invites_paused_until {
        lines.push(tr!(
            tr,
            "automod-raid-invites-paused",
            until = format!("<t:{until}:f>")
        ));
    }
    if state.previous_verification.is_some() {
        lines.push(tr.t("automod-raid-verification-raised"));
    }
    for problem in &state.problems {
        lines.push(tr!(tr, "automod-raid-problem", problem = problem.clone()));
    }
    lines.join("\n")
}

fn raid_start(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    by: Id<UserMarker>,
) -> Result<String> {
    let config = config::load(ctx, guild)?;
    match raid::start(ctx, guild, &config, 0, Some(by))? {
        Some(state) => {
            raid_alert(ctx, guild, &config, &state);
            Ok(format!(
                "{}\n{}",
                tr.t("automod-raid-started"),
                state_line(tr, &state)
            ))
        }
        None => refuse(tr.t("automod-raid-already")),
    }
}

fn raid_end(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, by: Id<UserMarker>) -> Result<String> {
    let ended = match raid::end(ctx, guild) {
        Ok(ended) => ended,
        Err(e) if matches!(e.kind(), ErrorType::Discord { .. }) => {
            return refuse(tr!(tr, "automod-raid-end-failed", error = e.to_string()));
        }
        Err(e) => return Err(e),
    };
    let Some(_) = ended else {
        return refuse(tr.t("automod-raid-inactive"));
    };
    let config = config::load(ctx, guild)?;
    if let Some(channel) = config.log_channel {
        let gtr = ctx.tr_guild(guild);
        post(
            ctx,
            channel,
            tr!(gtr, "automod-raid-ended-log", user = format!("<@{by}>")),
        );
    }
    Ok(tr.t("automod-raid-ended"))
}

/// Tells the moderators raid mode started (the log channel; nowhere if none is set).
pub(crate) fn raid_alert(
    ctx: &Context,
    guild: Id<GuildMarker>,
    config: &GuildConfig,
    state: &raid::RaidState,
) {
    let Some(channel) = config.log_channel else {
        log::warn!("automod: raid mode started in server {guild}, and it has no log channel");
        return;
    };
    let tr = ctx.tr_guild(guild);
    let head = match state.started_by {
        Some(user) => tr!(tr, "automod-raid-alert-manual", user = format!("<@{user}>")),
        None => tr!(
            tr,
            "automod-raid-alert",
            joins = u64::from(state.joins),
            seconds = u64::from(config.raid.seconds)
        ),
    };
    post(ctx, channel, format!("{head}\n{}", state_line(&tr, state)));
}

fn post(ctx: &Context, channel: Id<ChannelMarker>, text: String) {
    let request = DiscordRequest::SendMessage {
        channel_id: channel,
        message: Reply::text(truncate(text)).no_mentions(),
    };
    if let Err(e) = ctx.discord().execute::<serde_json::Value>(&request) {
        log::warn!("automod: could not post in channel {channel}: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::count_mentions;

    #[test]
    fn typed_mentions_are_counted_once_each() {
        assert_eq!(count_mentions("<@1> <@!1> <@&2> @here"), 3);
        assert_eq!(count_mentions("no <@mention>"), 0);
    }
}
