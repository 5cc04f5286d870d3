//! The word list (`add_word`, `remove_word`, `list`), exemptions and `simulate`.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Changes the word list and the settings' revision in one transaction.
pub(super) fn change_words(
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

pub(super) fn add_word(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    add: &AddWord,
) -> Result<String> {
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

pub(super) fn remove_word(
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

pub(super) fn list(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>) -> Result<String> {
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

pub(super) fn exempt(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    exempt: &Exempt,
) -> Result<String> {
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

pub(super) fn simulate(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    simulate: &Simulate,
) -> Result<String> {
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
pub(super) fn count_mentions(text: &str) -> usize {
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
