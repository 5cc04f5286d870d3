//! `/automod toggle` and `/automod config …`: levels, rules, escalation, links, log channel, raid detection.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn toggle(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    toggle: &Toggle,
) -> Result<String> {
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

pub(super) fn rule(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    options: &RuleOptions,
) -> Result<String> {
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

pub(super) fn escalation(
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

pub(super) fn links(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    options: &LinksOptions,
) -> Result<String> {
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

pub(super) fn log_channel(
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

pub(super) fn raid_config(
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
