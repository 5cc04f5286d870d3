//! `/automod status`: the whole configuration and state, one line per part.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn status(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>) -> Result<String> {
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

pub(super) fn list_or_none(tr: &Tr, items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        tr.t("automod-none")
    } else {
        items.join(", ")
    }
}

pub(super) fn steps_line(tr: &Tr, steps: &[Step]) -> String {
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

pub(super) fn raid_config_line(tr: &Tr, config: &GuildConfig) -> String {
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
