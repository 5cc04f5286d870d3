//! Renders the help: `/help`'s embed with its category select menu, and `/simple_help`'s
//! one-message summary. Slash commands are mentions (`</name sub:id>`, a click runs them) when
//! Discord's id for them is known, else `/name`; prefix forms sit beside them.

use std::collections::HashMap;

use arsenal_plugin_api::{
    builder::{EmbedBuilder, Select},
    i18n::Tr,
    model::{
        channel::message::Component,
        id::{
            marker::{CommandMarker, UserMarker},
            Id,
        },
    },
    tr, Reply,
};

use super::{Category, Line, CUSTOM_ID_PREFIX, HOME};
use crate::discord::respond::fit_content;

/// Discord's limit on an embed's description.
const MAX_DESCRIPTION: usize = 4096;
/// Discord's limits on a select menu: options, and characters of a label or description.
const MAX_OPTIONS: usize = 25;
const MAX_LABEL: usize = 100;
/// The help's colour.
const COLOR: u32 = 0x0058_65F2;

/// The ids Discord gave the registered slash commands, by name.
pub type CommandIds = HashMap<String, Id<CommandMarker>>;

/// `/help`: the overview (`selected` `None` or [`HOME`]) or one category, with a select menu of
/// every category. The menu's id names `owner`, the member it was made for: their pick edits
/// this message, anyone else's gets their own help.
#[must_use]
pub fn help(
    categories: &[Category],
    tr: &Tr<'_>,
    ids: &CommandIds,
    prefix: &str,
    selected: Option<&str>,
    owner: Id<UserMarker>,
) -> Reply {
    if categories.is_empty() {
        return Reply::text(tr.t("help-nothing"));
    }
    let chosen = selected
        .filter(|key| *key != HOME)
        .map(|key| (key, categories.iter().find(|c| c.key == key)));
    let mut reply = Reply::default();
    let embed = match chosen {
        Some((_, Some(category))) => {
            let lines: Vec<String> = category
                .lines
                .iter()
                .map(|line| command_line(line, ids, prefix))
                .collect();
            let body = format!("*{}*\n\n{}", category.description, bounded(&lines, tr));
            EmbedBuilder::new()
                .title(format!("{} — {}", tr.t("help-title"), category.title))
                .description(body)
        }
        gone => {
            if let Some((key, None)) = gone {
                reply.content = Some(tr!(tr, "help-gone", name = key));
            }
            let lines: Vec<String> = categories
                .iter()
                .map(|c| {
                    tr!(
                        tr,
                        "help-category-line",
                        name = c.title.as_str(),
                        description = c.description.as_str(),
                        count = c.lines.len()
                    )
                })
                .collect();
            let body = format!("{}\n\n{}", tr.t("help-intro"), bounded(&lines, tr));
            EmbedBuilder::new()
                .title(tr.t("help-title"))
                .description(body)
        }
    };
    let embed = embed
        .color(COLOR)
        .footer(tr!(tr, "help-prefix", prefix = prefix))
        .build();
    let mut menu = Select::new(format!("{CUSTOM_ID_PREFIX}{owner}"))
        .placeholder(tr.t("help-choose"))
        .described(tr.t("help-home"), HOME, tr.t("help-home-description"));
    for category in categories.iter().take(MAX_OPTIONS - 1) {
        let description = if category.description.trim().is_empty() {
            tr.t("help-no-description")
        } else {
            cut(&category.description, MAX_LABEL)
        };
        menu = menu.described(
            cut(&category.title, MAX_LABEL),
            category.key.clone(),
            description,
        );
    }
    reply.embeds.push(embed);
    reply.row([Component::from(menu)])
}

/// `/simple_help`: every category on one line with its commands, in one message (cut to
/// Discord's 2000 characters at a line if it ever had to be).
#[must_use]
pub fn simple_help(categories: &[Category], tr: &Tr<'_>, ids: &CommandIds, prefix: &str) -> Reply {
    if categories.is_empty() {
        return Reply::text(tr.t("help-nothing"));
    }
    let mut text = tr.t("help-simple-title");
    for category in categories {
        let mut names: Vec<String> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for line in &category.lines {
            if seen.contains(&line.name.as_str()) {
                continue;
            }
            seen.push(&line.name);
            names.push(short_form(line, ids, prefix));
        }
        text.push_str(&format!("\n**{}**: {}", category.title, names.join(" ")));
    }
    Reply::text(fit_content(&text))
}

/// One command of a category: its slash form (a mention when its id is known), its prefix form,
/// and what it does.
fn command_line(line: &Line, ids: &CommandIds, prefix: &str) -> String {
    let full = line.full_name();
    let mut forms = Vec::new();
    if line.slash {
        forms.push(match ids.get(&line.name) {
            Some(id) => format!("</{full}:{id}>"),
            None => format!("`/{full}`"),
        });
    }
    if line.prefix {
        forms.push(format!("`{prefix}{full}`"));
    }
    format!("{} — {}", forms.join(" · "), line.description)
}

/// A command by its top-level name only (`/simple_help`): a mention for a slash command without
/// subcommands whose id is known, else its typed form.
fn short_form(line: &Line, ids: &CommandIds, prefix: &str) -> String {
    match (line.slash, ids.get(&line.name)) {
        (true, Some(id)) if line.path.is_empty() => format!("</{}:{id}>", line.name),
        (true, _) => format!("`/{}`", line.name),
        (false, _) => format!("`{prefix}{}`", line.name),
    }
}

/// `lines` joined, as many as fit an embed description with room for a heading, the rest
/// counted ("…and 3 more").
fn bounded(lines: &[String], tr: &Tr<'_>) -> String {
    let budget = MAX_DESCRIPTION - 600;
    let mut text = String::new();
    for (shown, line) in lines.iter().enumerate() {
        if text.chars().count() + line.chars().count() + 1 > budget {
            let more = lines.len() - shown;
            text.push_str(&tr!(tr, "help-more", count = more));
            return text;
        }
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// At most `max` characters of `text`, with "…" when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max - 1).collect();
    short.push('…');
    short
}
