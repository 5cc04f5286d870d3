//! Panels: the messages members open tickets from. `/ticket panel`, `topic-add`, `topic-remove`,
//! `panels`, `panel-delete` (all Manage Server).

use arsenal_plugin_api::{
    model::id::{marker::GuildMarker, Id},
    protocol::{DiscordRequest, MessageRef},
    Context, Response, Result,
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

const DEFAULT_TITLE: &str = "Support tickets";
const DEFAULT_DESCRIPTION: &str =
    "Need help? Open a ticket: a private channel with our staff will be created for you.";

/// Reads panel `id` of `guild`.
///
/// # Errors
///
/// The store failed.
pub fn load(ctx: &Context, guild: Id<GuildMarker>, id: u32) -> Result<Option<Panel>> {
    ctx.store().get(&panel_key(guild, id))
}

fn missing(id: i64) -> Response {
    Response::ephemeral(format!(
        "There is no panel #{id} in this server: `/ticket panels` lists them."
    ))
}

/// Panel `id` of `guild`, or the answer to give when there is none.
fn named_panel(
    ctx: &Context,
    guild: Id<GuildMarker>,
    id: i64,
) -> Result<std::result::Result<Panel, Response>> {
    let panel = u32::try_from(id)
        .ok()
        .map(|id| load(ctx, guild, id))
        .transpose()?
        .flatten();
    Ok(panel.ok_or_else(|| missing(id)))
}

/// `/ticket panel <channel> [title] [description]`: posts a new panel.
pub fn create(ctx: &Context, guild: Id<GuildMarker>, command: NewPanel) -> Result<Response> {
    let title = command.title.as_deref().map_or(DEFAULT_TITLE, str::trim);
    let description = command
        .description
        .as_deref()
        .map_or(DEFAULT_DESCRIPTION, str::trim);
    if title.is_empty() || title.chars().count() > 256 {
        return Ok(Response::ephemeral(
            "The title must be 1 to 256 characters.",
        ));
    }
    if description.chars().count() > 4000 {
        return Ok(Response::ephemeral(
            "The description must be at most 4000 characters.",
        ));
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
    let message = match discord::send(ctx, panel.channel_id, ui::panel_message(&panel)?) {
        Ok(message) => message,
        Err(e) => {
            return Ok(Response::ephemeral(format!(
                "{e}. Give me View Channel, Send Messages and Embed Links there and try again."
            )))
        }
    };
    panel.message_id = Some(message);
    ctx.store().set(&panel_key(guild, panel.id), &panel)?;
    Ok(Response::ephemeral(format!(
        "Panel #{} posted in <#{}>. Add ticket categories with `/ticket topic-add panel:{}` to offer a menu instead of one button.",
        panel.id, panel.channel_id, panel.id
    )))
}

/// `/ticket topic-add <panel> <name> [description] [staff] [category]`: adds a topic, or
/// updates the one with that name (a staff role is added to its roles).
pub fn add_topic(ctx: &Context, guild: Id<GuildMarker>, command: TopicAdd) -> Result<Response> {
    let mut panel = match named_panel(ctx, guild, command.panel)? {
        Ok(panel) => panel,
        Err(answer) => return Ok(answer),
    };
    let name = command.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Ok(Response::ephemeral(
            "The topic name must be 1 to 80 characters.",
        ));
    }
    let description = command
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if description.is_some_and(|d| d.chars().count() > 100) {
        return Ok(Response::ephemeral(
            "The topic description must be at most 100 characters.",
        ));
    }
    let staff = command.staff;
    if staff.is_some_and(|role| role.cast() == guild) {
        return Ok(Response::ephemeral("@everyone cannot be ticket staff."));
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
        "updated"
    } else {
        if panel.topics.len() >= MAX_TOPICS {
            return Ok(Response::ephemeral(format!(
                "A panel offers at most {MAX_TOPICS} topics (Discord's menu limit)."
            )));
        }
        panel.topics.push(Topic {
            key,
            name: name.to_owned(),
            description: description.map(str::to_owned),
            staff_roles: staff.into_iter().collect(),
            category,
        });
        "added"
    };
    ctx.store().set(&panel_key(guild, panel.id), &panel)?;
    let note = refresh(ctx, &panel)?;
    Ok(Response::ephemeral(format!(
        "Topic **{}** {verb} on panel #{}.{note}",
        clip(name, 80),
        panel.id
    )))
}

/// `/ticket topic-remove <panel> <name>`.
pub fn remove_topic(
    ctx: &Context,
    guild: Id<GuildMarker>,
    command: TopicRemove,
) -> Result<Response> {
    let mut panel = match named_panel(ctx, guild, command.panel)? {
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
        return Ok(Response::ephemeral(format!(
            "Panel #{} has no topic `{}`. Its topics: {}.",
            panel.id,
            clip(name, 80),
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        )));
    }
    ctx.store().set(&panel_key(guild, panel.id), &panel)?;
    let note = refresh(ctx, &panel)?;
    Ok(Response::ephemeral(format!(
        "Topic removed from panel #{}.{note}",
        panel.id
    )))
}

/// `/ticket panels`: every panel of the guild.
pub fn list(ctx: &Context, guild: Id<GuildMarker>) -> Result<Response> {
    let panels: Vec<(String, Panel)> = ctx.store().list(&panel_prefix(guild))?;
    if panels.is_empty() {
        return Ok(Response::ephemeral(
            "No panels yet: `/ticket panel #channel` posts one.",
        ));
    }
    let mut lines = vec!["**Ticket panels**".to_owned()];
    let mut panels: Vec<Panel> = panels.into_iter().map(|(_, p)| p).collect();
    panels.sort_by_key(|p| p.id);
    for panel in panels {
        let topics: Vec<&str> = panel.topics.iter().map(|t| t.name.as_str()).collect();
        lines.push(format!(
            "#{} in <#{}>: {} — {}",
            panel.id,
            panel.channel_id,
            clip(&panel.title, 60),
            if topics.is_empty() {
                "one button".to_owned()
            } else {
                format!("topics: {}", topics.join(", "))
            }
        ));
    }
    Ok(Response::ephemeral(lines.join("\n")))
}

/// `/ticket panel-delete <panel>`: removes the panel and its message (open tickets stay).
pub fn delete(ctx: &Context, guild: Id<GuildMarker>, panel: i64) -> Result<Response> {
    let panel = match named_panel(ctx, guild, panel)? {
        Ok(panel) => panel,
        Err(answer) => return Ok(answer),
    };
    ctx.store().delete(&panel_key(guild, panel.id))?;
    let mut note = String::new();
    if let Some(message) = panel.message_id {
        let request = DiscordRequest::DeleteMessage {
            target: MessageRef {
                channel_id: panel.channel_id,
                message_id: message,
            },
        };
        if let Err(e) = discord::act(ctx, &request, "I could not delete the panel message") {
            if !discord::is_gone(&e) {
                note = format!(" {e}; delete it by hand.");
            }
        }
    }
    Ok(Response::ephemeral(format!(
        "Panel #{} deleted; open tickets are not affected.{note}",
        panel.id
    )))
}

/// Re-renders the panel message after a change; a note for the admin if that failed.
fn refresh(ctx: &Context, panel: &Panel) -> Result<String> {
    let Some(message) = panel.message_id else {
        return Ok(String::new());
    };
    Ok(
        match discord::edit(ctx, panel.channel_id, message, ui::panel_message(panel)?) {
            Ok(()) => String::new(),
            Err(e) if discord::is_gone(&e) => format!(
                " The panel message was deleted: `/ticket panel-delete panel:{}` and post a new one.",
                panel.id
            ),
            Err(e) => format!(" The panel message could not be updated: {e}."),
        },
    )
}
