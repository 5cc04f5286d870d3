//! Looking after panels: `/rr fix` (re-adds the bot's missing reactions, refreshes labels from
//! the roles' current names, and names roles that were deleted or moved above the bot),
//! `/rr delete`, `/rr list`, and the panel suggestions of the `panel` option.

use arsenal_plugin_api::prelude::*;
use serde::Deserialize;

use crate::{
    emoji,
    manage::{add_reaction, load, problem, refresh, standing, target},
    model::{Panel, Style},
    ReactionRoles,
};

/// A message as `GetMessage` returns it, reduced to its reactions.
#[derive(Deserialize)]
struct MessageReactions {
    #[serde(default)]
    reactions: Vec<Reaction>,
}

#[derive(Deserialize)]
struct Reaction {
    #[serde(default)]
    me: bool,
    emoji: ReactionEmoji,
}

#[derive(Deserialize)]
struct ReactionEmoji {
    #[serde(default)]
    id: Option<Id<arsenal_plugin_api::model::id::marker::EmojiMarker>>,
    #[serde(default)]
    name: Option<String>,
}

impl ReactionEmoji {
    /// The stored form (`name:id`, or the Unicode text).
    fn stored(&self) -> String {
        match (self.id, &self.name) {
            (Some(id), name) => format!("{}:{id}", name.as_deref().unwrap_or("_")),
            (None, name) => name.clone().unwrap_or_default(),
        }
    }
}

/// `/rr fix`.
pub fn fix(
    module: &mut ReactionRoles,
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    written: &str,
) -> Result<Response> {
    let mut panel = load(ctx, tr, guild, written)?;
    let message: MessageReactions = match ctx.discord().execute(&DiscordRequest::GetMessage {
        target: target(&panel),
    }) {
        Ok(message) => message,
        Err(e) if e.is_not_found() => {
            return Err(Error::refused(tr!(
                tr,
                "rr-panel-message-gone",
                id = panel.message.to_string()
            )));
        }
        Err(e) => return Err(e.context("reading the panel message")),
    };
    let standing = standing(module, ctx, guild)?;
    let mut notes = Vec::new();
    for entry in &mut panel.entries {
        match standing.role(entry.role) {
            Some(role) => entry.label.clone_from(&role.name),
            None => notes.push(tr!(
                tr,
                "rr-fix-role-deleted",
                role = entry.role.to_string()
            )),
        }
    }
    let alive: Vec<Id<RoleMarker>> = panel
        .roles()
        .filter(|role| standing.role(*role).is_some())
        .collect();
    if let Err(p) = standing.check(&alive) {
        notes.push(problem(tr, &p));
    }
    refresh(ctx, tr, &panel)?;
    let mut readded = 0_usize;
    if panel.style == Style::Reactions {
        let mine: Vec<String> = message
            .reactions
            .iter()
            .filter(|r| r.me)
            .map(|r| r.emoji.stored())
            .collect();
        for stored in panel.entries.iter().filter_map(|e| e.emoji.as_deref()) {
            if mine.iter().any(|m| emoji::same(m, stored)) {
                continue;
            }
            add_reaction(ctx, &panel, stored).map_err(|e| {
                Error::refused(tr!(
                    tr,
                    "rr-cannot-react",
                    emoji = emoji::display(stored),
                    reason = e.message()
                ))
            })?;
            readded += 1;
        }
    }
    ctx.store().set(&panel.own_key(), &panel)?;
    let mut lines = vec![tr!(
        tr,
        "rr-fixed",
        id = panel.message.to_string(),
        count = readded
    )];
    lines.extend(notes);
    Ok(Reply::text(lines.join("\n"))
        .ephemeral()
        .no_mentions()
        .into())
}

/// `/rr delete`: the record goes; the message too when Discord lets the bot delete it.
pub fn delete(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, written: &str) -> Result<Response> {
    let panel = load(ctx, tr, guild, written)?;
    let deleted = ctx.discord().execute_json(&DiscordRequest::DeleteMessage {
        target: target(&panel),
    });
    ctx.store().delete(&panel.own_key())?;
    Ok(Response::ephemeral(match deleted {
        Ok(_) => tr!(tr, "rr-deleted", id = panel.message.to_string()),
        Err(e) if e.is_not_found() => tr!(tr, "rr-deleted", id = panel.message.to_string()),
        Err(e) => tr!(
            tr,
            "rr-deleted-message-kept",
            id = panel.message.to_string(),
            channel = format!("<#{}>", panel.channel),
            reason = e.message()
        ),
    }))
}

/// `/rr list`.
pub fn list(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>) -> Result<Response> {
    let panels: Vec<(String, Panel)> = ctx.store().list(&Panel::guild_prefix(guild))?;
    if panels.is_empty() {
        return Ok(Response::ephemeral(tr.t("rr-list-empty")));
    }
    let mut lines = vec![tr!(tr, "rr-list-title", count = panels.len())];
    for (_, panel) in &panels {
        lines.push(tr!(
            tr,
            "rr-list-line",
            id = panel.message.to_string(),
            channel = format!("<#{}>", panel.channel),
            title = panel.title.clone(),
            style = tr.t(panel.style.text_id()),
            mode = tr.t(panel.mode.name_id()),
            count = panel.entries.len()
        ));
    }
    let text: String = lines.join("\n").chars().take(2000).collect();
    Ok(Reply::text(text).ephemeral().no_mentions().into())
}

/// The server's panels whose id or title contains what was typed (Discord shows 25).
pub fn autocomplete(ctx: &Context, autocomplete: &AutocompleteInvocation) -> Result<Vec<Choice>> {
    let Some(guild) = autocomplete.invoker.guild_id else {
        return Ok(Vec::new());
    };
    let typed = autocomplete.partial.trim().to_lowercase();
    let panels: Vec<(String, Panel)> = ctx.store().list(&Panel::guild_prefix(guild))?;
    Ok(panels
        .into_iter()
        .map(|(_, panel)| panel)
        .filter(|panel| {
            typed.is_empty()
                || panel.message.to_string().contains(&typed)
                || panel.title.to_lowercase().contains(&typed)
        })
        .take(25)
        .map(|panel| Choice {
            name: format!("{} · {}", panel.title, panel.message)
                .chars()
                .take(100)
                .collect(),
            value: panel.message.to_string(),
        })
        .collect())
}
