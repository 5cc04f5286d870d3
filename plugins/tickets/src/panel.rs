//! Panels: the messages members open tickets from. `/ticket panel`, `topic-add`, `topic-remove`,
//! `panels`, `panel-delete` (all Manage Server).

use arsenal_plugin_api::{
    i18n::Tr,
    model::id::{marker::GuildMarker, Id},
    protocol::{DiscordRequest, MessageRef},
    tr, Context, Response, Result,
};

use crate::{
    command::{NewPanel, TopicAdd, TopicRemove},
    discord,
    model::{
        clip, counter_key, panel_key, panel_prefix, slug, Counters, Panel, Topic, MAX_TOPICS,
        RECORD_VERSION,
    },
    ui,
};

/// Reads panel `id` of `guild`.
///
/// # Errors
///
/// The store failed.
pub fn load(ctx: &Context, guild: Id<GuildMarker>, id: u32) -> Result<Option<Panel>> {
    ctx.store().get(&panel_key(guild, id))
}

fn missing(tr: Tr<'_>, id: i64) -> Response {
    Response::ephemeral(tr!(tr, "tickets-no-panel", panel = id.to_string()))
}

/// Panel `id` of `guild`, or the answer to give when there is none.
fn named_panel(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    id: i64,
) -> Result<std::result::Result<Panel, Response>> {
    let panel = u32::try_from(id)
        .ok()
        .map(|id| load(ctx, guild, id))
        .transpose()?
        .flatten();
    Ok(panel.ok_or_else(|| missing(tr, id)))
}

/// `/ticket panel <channel> [title] [description]`: posts a new panel.
///
/// The default title and description, and the button or menu, are in the server's language:
/// the panel is for every member.
pub fn create(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    command: NewPanel,
) -> Result<Response> {
    let posted = ctx.tr_guild(guild);
    let default_title = posted.t("tickets-panel-title");
    let default_description = posted.t("tickets-panel-description");
    let title = command
        .title
        .as_deref()
        .map_or(default_title.as_str(), str::trim);
    let description = command
        .description
        .as_deref()
        .map_or(default_description.as_str(), str::trim);
    if title.is_empty() || title.chars().count() > 256 {
        return Ok(Response::ephemeral(tr.t("tickets-title-length")));
    }
    if description.chars().count() > 4000 {
        return Ok(Response::ephemeral(tr.t("tickets-description-length")));
    }
    let counters = ctx
        .store()
        .update(&counter_key(guild), |c: Option<Counters>| {
            let mut c = c.unwrap_or_default();
            c.panels += 1;
            Ok(Some(c))
        })?
        .unwrap_or_default();
    let mut panel = Panel {
        v: RECORD_VERSION,
        id: counters.panels,
        guild_id: guild,
        channel_id: command.channel,
        message_id: None,
        title: title.to_owned(),
        description: description.replace("\\n", "\n"),
        topics: Vec::new(),
    };
    let message = match discord::send(
        ctx,
        tr,
        panel.channel_id,
        ui::panel_message(posted, &panel)?,
    ) {
        Ok(message) => message,
        Err(e) => {
            return Ok(Response::ephemeral(tr!(
                tr,
                "tickets-panel-post-failed",
                error = e.to_string()
            )))
        }
    };
    panel.message_id = Some(message);
    ctx.store().set(&panel_key(guild, panel.id), &panel)?;
    Ok(Response::ephemeral(tr!(
        tr,
        "tickets-panel-posted",
        panel = panel.id.to_string(),
        channel = panel.channel_id
    )))
}

/// `/ticket topic-add <panel> <name> [description] [staff] [category]`: adds a topic, or
/// updates the one with that name (a staff role is added to its roles).
pub fn add_topic(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    command: TopicAdd,
) -> Result<Response> {
    let mut panel = match named_panel(ctx, tr, guild, command.panel)? {
        Ok(panel) => panel,
        Err(answer) => return Ok(answer),
    };
    let name = command.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Ok(Response::ephemeral(tr.t("tickets-topic-name-length")));
    }
    let description = command
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if description.is_some_and(|d| d.chars().count() > 100) {
        return Ok(Response::ephemeral(
            tr.t("tickets-topic-description-length"),
        ));
    }
    let staff = command.staff;
    if staff.is_some_and(|role| role.cast() == guild) {
        return Ok(Response::ephemeral(tr.t("tickets-everyone-topic-staff")));
    }
    let category = command.category;
    let key = slug(name);
    let existing = panel
        .topics
        .iter_mut()
        .find(|t| t.key == key || t.name.eq_ignore_ascii_case(name));
    let verb = if let Some(topic) = existing {
        topic.name = name.to_owned();
        if description.is_some() {
            topic.description = description.map(str::to_owned);
        }
        if let Some(role) = staff.filter(|r| !topic.staff_roles.contains(r)) {
            topic.staff_roles.push(role);
        }
        if category.is_some() {
            topic.category = category;
        }
        "tickets-topic-updated"
    } else {
        if panel.topics.len() >= MAX_TOPICS {
            return Ok(Response::ephemeral(tr!(
                tr,
                "tickets-too-many-topics",
                max = MAX_TOPICS.to_string()
            )));
        }
        panel.topics.push(Topic {
            key,
            name: name.to_owned(),
            description: description.map(str::to_owned),
            staff_roles: staff.into_iter().collect(),
            category,
        });
        "tickets-topic-added"
    };
    ctx.store().set(&panel_key(guild, panel.id), &panel)?;
    let note = refresh(ctx, tr, &panel)?;
    Ok(Response::ephemeral(tr!(
        tr,
        verb,
        name = clip(name, 80),
        panel = panel.id.to_string(),
        note = note
    )))
}

/// `/ticket topic-remove <panel> <name>`.
pub fn remove_topic(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    command: TopicRemove,
) -> Result<Response> {
    let mut panel = match named_panel(ctx, tr, guild, command.panel)? {
        Ok(panel) => panel,
        Err(answer) => return Ok(answer),
    };
    let name = command.name.trim();
    let before = panel.topics.len();
    panel
        .topics
        .retain(|t| !(t.name.eq_ignore_ascii_case(name) || t.key == slug(name)));
    if panel.topics.len() == before {
        let names: Vec<&str> = panel.topics.iter().map(|t| t.name.as_str()).collect();
        return Ok(Response::ephemeral(tr!(
            tr,
            "tickets-no-such-topic",
            panel = panel.id.to_string(),
            name = clip(name, 80),
            topics = if names.is_empty() {
                tr.t("tickets-none")
            } else {
                names.join(", ")
            }
        )));
    }
    ctx.store().set(&panel_key(guild, panel.id), &panel)?;
    let note = refresh(ctx, tr, &panel)?;
    Ok(Response::ephemeral(tr!(
        tr,
        "tickets-topic-removed",
        panel = panel.id.to_string(),
        note = note
    )))
}

/// `/ticket panels`: every panel of the guild.
pub fn list(ctx: &Context, tr: Tr<'_>, guild: Id<GuildMarker>) -> Result<Response> {
    let panels: Vec<(String, Panel)> = ctx.store().list(&panel_prefix(guild))?;
    if panels.is_empty() {
        return Ok(Response::ephemeral(tr.t("tickets-no-panels")));
    }
    let mut lines = vec![tr.t("tickets-panels-title")];
    let mut panels: Vec<Panel> = panels.into_iter().map(|(_, p)| p).collect();
    panels.sort_by_key(|p| p.id);
    for panel in panels {
        let topics: Vec<&str> = panel.topics.iter().map(|t| t.name.as_str()).collect();
        lines.push(tr!(
            tr,
            "tickets-panel-line",
            panel = panel.id.to_string(),
            channel = panel.channel_id,
            title = clip(&panel.title, 60),
            what = if topics.is_empty() {
                tr.t("tickets-panel-one-button")
            } else {
                tr!(tr, "tickets-panel-topics", topics = topics.join(", "))
            }
        ));
    }
    Ok(Response::ephemeral(lines.join("\n")))
}

/// `/ticket panel-delete <panel>`: removes the panel and its message (open tickets stay).
pub fn delete(ctx: &Context, tr: Tr<'_>, guild: Id<GuildMarker>, panel: i64) -> Result<Response> {
    let panel = match named_panel(ctx, tr, guild, panel)? {
        Ok(panel) => panel,
        Err(answer) => return Ok(answer),
    };
    ctx.store().delete(&panel_key(guild, panel.id))?;
    let mut failed = None;
    if let Some(message) = panel.message_id {
        let request = DiscordRequest::DeleteMessage {
            target: MessageRef {
                channel_id: panel.channel_id,
                message_id: message,
            },
        };
        if let Err(e) = discord::act(ctx, &request, &tr.t("tickets-err-delete-panel")) {
            if !discord::is_gone(&e) {
                failed = Some(e);
            }
        }
    }
    let number = panel.id.to_string();
    Ok(Response::ephemeral(match failed {
        None => tr!(tr, "tickets-panel-deleted", panel = number),
        Some(e) => tr!(
            tr,
            "tickets-panel-deleted-note",
            panel = number,
            error = e.to_string()
        ),
    }))
}

/// Re-renders the panel message after a change; a note for the admin if that failed.
/// The panel itself is re-rendered in the server's language, the note in the admin's (`tr`).
fn refresh(ctx: &Context, tr: Tr<'_>, panel: &Panel) -> Result<String> {
    let Some(message) = panel.message_id else {
        return Ok(String::new());
    };
    let rendered = ui::panel_message(ctx.tr_guild(panel.guild_id), panel)?;
    let note = match discord::edit(ctx, tr, panel.channel_id, message, rendered) {
        Ok(()) => return Ok(String::new()),
        Err(e) if discord::is_gone(&e) => tr!(
            tr,
            "tickets-panel-message-gone",
            panel = panel.id.to_string()
        ),
        Err(e) => tr!(tr, "tickets-panel-not-updated", error = e.to_string()),
    };
    // The note follows a sentence of the answer.
    Ok(format!(" {note}"))
}
