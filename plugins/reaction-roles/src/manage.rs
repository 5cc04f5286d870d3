//! Making and changing panels: `/rr create`, `add`, `remove`, `settings`. Every role a panel
//! offers is checked against the bot's standing first; the panel message is posted or edited
//! before the record is saved, so a panel is never stored for a message Discord refused.

use arsenal_plugin_api::{
    prelude::*,
    protocol::{discord_code, MessageRef},
};
use serde::Deserialize;

use crate::{
    command::{Add, Create, Remove, Settings},
    emoji::{self, Pair, SpecError},
    hierarchy::{Problem, Standing},
    model::{Entry, Panel, Style},
    render::{mentions, panel_message},
    ReactionRoles,
};

/// `/rr create`: checks the roles, posts the panel, adds its reactions, saves it.
pub fn create(
    module: &mut ReactionRoles,
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    create: Create,
) -> Result<Response> {
    let pairs =
        emoji::parse_pairs(&create.roles).map_err(|e| Error::refused(spec_error(tr, &e)))?;
    let style = create.style.unwrap_or_default();
    if pairs.len() > style.capacity() {
        return Err(Error::refused(tr!(
            tr,
            "rr-too-many-roles",
            max = style.capacity(),
            style = tr.t(style.text_id())
        )));
    }
    for (i, pair) in pairs.iter().enumerate() {
        let earlier = &pairs[..i];
        if earlier.iter().any(|p| p.role == pair.role) {
            return Err(Error::refused(tr!(
                tr,
                "rr-duplicate-role",
                role = format!("<@&{}>", pair.role)
            )));
        }
        check_emoji(
            tr,
            style,
            pair,
            earlier.iter().filter_map(|p| p.emoji.as_deref()),
        )?;
    }
    let roles: Vec<Id<RoleMarker>> = pairs.iter().map(|p| p.role).collect();
    let standing = standing(module, ctx, guild)?;
    standing
        .check(&roles)
        .map_err(|p| Error::refused(problem(tr, &p)))?;
    let entries = pairs
        .into_iter()
        .map(|pair| Entry {
            label: role_name(&standing, pair.role),
            role: pair.role,
            emoji: pair.emoji,
        })
        .collect();
    let panel_tr = ctx.tr_guild(guild);
    let mut panel = Panel {
        v: 1,
        guild,
        channel: create.channel,
        message: Id::new(1),
        style,
        mode: create.mode.unwrap_or_default(),
        max: create.max,
        required: Vec::new(),
        forbidden: Vec::new(),
        title: create
            .title
            .unwrap_or_else(|| panel_tr.t("rr-default-title")),
        description: create.description,
        entries,
    };
    #[derive(Deserialize)]
    struct Posted {
        id: Id<MessageMarker>,
    }
    let posted: Posted = ctx
        .discord()
        .execute(&DiscordRequest::SendMessage {
            channel_id: create.channel,
            message: panel_message(&panel, &panel_tr),
        })
        .map_err(|e| cannot_post(tr, create.channel, e))?;
    panel.message = posted.id;
    if panel.style == Style::Reactions {
        for entry in &panel.entries {
            let Some(stored) = &entry.emoji else { continue };
            if let Err(e) = add_reaction(ctx, &panel, stored) {
                let _ = ctx.discord().execute_json(&DiscordRequest::DeleteMessage {
                    target: target(&panel),
                });
                return Err(Error::refused(tr!(
                    tr,
                    "rr-cannot-react",
                    emoji = emoji::display(stored),
                    reason = e.message()
                )));
            }
        }
    }
    ctx.store().set(&panel.own_key(), &panel)?;
    Ok(Response::ephemeral(tr!(
        tr,
        "rr-created",
        channel = format!("<#{}>", panel.channel),
        count = panel.entries.len(),
        id = panel.message.to_string()
    )))
}

/// `/rr add`: one more role on a panel.
pub fn add(
    module: &mut ReactionRoles,
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    add: &Add,
) -> Result<Response> {
    let mut panel = load(ctx, tr, guild, &add.panel)?;
    if panel.entries.len() >= panel.style.capacity() {
        return Err(Error::refused(tr!(
            tr,
            "rr-too-many-roles",
            max = panel.style.capacity(),
            style = tr.t(panel.style.text_id())
        )));
    }
    if panel.entry(add.role).is_some() {
        return Err(Error::refused(tr!(
            tr,
            "rr-role-already-on-panel",
            role = format!("<@&{}>", add.role)
        )));
    }
    let emoji = match add.emoji.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(written) => Some(
            emoji::emoji_word(written)
                .ok_or_else(|| Error::refused(tr!(tr, "rr-bad-emoji", emoji = written)))?,
        ),
    };
    let pair = Pair {
        emoji,
        role: add.role,
    };
    check_emoji(
        tr,
        panel.style,
        &pair,
        panel.entries.iter().filter_map(|e| e.emoji.as_deref()),
    )?;
    let standing = standing(module, ctx, guild)?;
    standing
        .check(&[add.role])
        .map_err(|p| Error::refused(problem(tr, &p)))?;
    panel.entries.push(Entry {
        label: role_name(&standing, add.role),
        role: add.role,
        emoji: pair.emoji.clone(),
    });
    refresh(ctx, tr, &panel)?;
    if let (Style::Reactions, Some(stored)) = (panel.style, &pair.emoji) {
        add_reaction(ctx, &panel, stored).map_err(|e| {
            Error::refused(tr!(
                tr,
                "rr-cannot-react",
                emoji = emoji::display(stored),
                reason = e.message()
            ))
        })?;
    }
    ctx.store().set(&panel.own_key(), &panel)?;
    Ok(Response::ephemeral(tr!(
        tr,
        "rr-added",
        role = format!("<@&{}>", add.role),
        count = panel.entries.len()
    )))
}

/// `/rr remove`: takes a role off a panel (a panel keeps at least one).
pub fn remove(
    module: &mut ReactionRoles,
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    remove: &Remove,
) -> Result<Response> {
    let mut panel = load(ctx, tr, guild, &remove.panel)?;
    let role = format!("<@&{}>", remove.role);
    let Some(at) = panel.entries.iter().position(|e| e.role == remove.role) else {
        return Err(Error::refused(tr!(tr, "rr-role-not-on-panel", role = role)));
    };
    if panel.entries.len() == 1 {
        return Err(Error::refused(tr.t("rr-last-role")));
    }
    let entry = panel.entries.remove(at);
    refresh(ctx, tr, &panel)?;
    if let (Style::Reactions, Some(stored)) = (panel.style, &entry.emoji) {
        let bot = module.bot_id(ctx)?;
        crate::apply::take_reaction(ctx, &panel, bot, stored);
    }
    ctx.store().set(&panel.own_key(), &panel)?;
    Ok(Response::ephemeral(tr!(tr, "rr-removed", role = role)))
}

/// `/rr settings`: mode, maximum, required and forbidden roles (each toggled), or the current
/// settings when nothing is given.
pub fn settings(
    ctx: &Context,
    tr: &Tr,
    guild: Id<GuildMarker>,
    settings: &Settings,
) -> Result<Response> {
    let mut panel = load(ctx, tr, guild, &settings.panel)?;
    let changes = settings.mode.is_some()
        || settings.max.is_some()
        || settings.require.is_some()
        || settings.forbid.is_some();
    if changes {
        if let Some(mode) = settings.mode {
            panel.mode = mode;
        }
        if let Some(max) = settings.max {
            panel.max = (max > 0).then_some(max);
        }
        if let Some(role) = settings.require {
            toggle(&mut panel.required, role);
        }
        if let Some(role) = settings.forbid {
            toggle(&mut panel.forbidden, role);
        }
        if let Some(both) = panel.required.iter().find(|r| panel.forbidden.contains(r)) {
            return Err(Error::refused(tr!(
                tr,
                "rr-required-and-forbidden",
                role = format!("<@&{both}>")
            )));
        }
        refresh(ctx, tr, &panel)?;
        ctx.store().set(&panel.own_key(), &panel)?;
    }
    let none = tr.t("rr-none");
    let text = tr!(
        tr,
        "rr-settings",
        id = panel.message.to_string(),
        mode = tr.t(panel.mode.name_id()),
        max = panel.max.map_or_else(|| none.clone(), |m| m.to_string()),
        required = if panel.required.is_empty() {
            none.clone()
        } else {
            mentions(&panel.required)
        },
        forbidden = if panel.forbidden.is_empty() {
            none.clone()
        } else {
            mentions(&panel.forbidden)
        }
    );
    Ok(Reply::text(text).ephemeral().no_mentions().into())
}

fn toggle(roles: &mut Vec<Id<RoleMarker>>, role: Id<RoleMarker>) {
    if let Some(at) = roles.iter().position(|r| *r == role) {
        roles.remove(at);
    } else {
        roles.push(role);
    }
}

/// The panel named by a message id typed by the member.
///
/// # Errors
///
/// A refusal when the id does not read or names no panel of this server.
pub fn load(ctx: &Context, tr: &Tr, guild: Id<GuildMarker>, written: &str) -> Result<Panel> {
    let written = written.trim();
    let message = written
        .parse::<u64>()
        .ok()
        .and_then(Id::new_checked)
        .ok_or_else(|| Error::refused(tr!(tr, "rr-bad-panel-id", id = written)))?;
    ctx.store()
        .get::<Panel>(&Panel::key(guild, message))?
        .ok_or_else(|| Error::refused(tr!(tr, "rr-no-panel", id = message.to_string())))
}

/// Edits the panel message to show `panel` as it now is.
///
/// # Errors
///
/// A refusal when the message is gone or the bot may not edit it.
pub fn refresh(ctx: &Context, tr: &Tr, panel: &Panel) -> Result<()> {
    let panel_tr = ctx.tr_guild(panel.guild);
    match ctx.discord().execute_json(&DiscordRequest::EditMessage {
        target: target(panel),
        message: panel_message(panel, &panel_tr),
    }) {
        Ok(_) => Ok(()),
        Err(e) if e.is_not_found() => Err(Error::refused(tr!(
            tr,
            "rr-panel-message-gone",
            id = panel.message.to_string()
        ))),
        Err(e) => Err(Error::refused(tr!(
            tr,
            "rr-cannot-edit",
            channel = format!("<#{}>", panel.channel),
            reason = e.message()
        ))),
    }
}

pub fn target(panel: &Panel) -> MessageRef {
    MessageRef {
        channel_id: panel.channel,
        message_id: panel.message,
    }
}

pub fn add_reaction(ctx: &Context, panel: &Panel, stored: &str) -> Result<()> {
    ctx.discord()
        .execute_json(&DiscordRequest::AddReaction {
            target: target(panel),
            emoji: stored.to_owned(),
        })
        .map(drop)
}

/// The server's roles and the bot's, for the hierarchy check.
pub fn standing(
    module: &mut ReactionRoles,
    ctx: &Context,
    guild: Id<GuildMarker>,
) -> Result<Standing> {
    let bot = module.bot_id(ctx)?;
    Standing::fetch(ctx, guild, bot)
}

fn role_name(standing: &Standing, role: Id<RoleMarker>) -> String {
    standing
        .role(role)
        .map_or_else(|| role.to_string(), |r| r.name.clone())
}

/// Refuses an emoji a panel cannot use: missing on a reaction panel, or already used.
fn check_emoji<'a>(
    tr: &Tr,
    style: Style,
    pair: &Pair,
    mut used: impl Iterator<Item = &'a str>,
) -> Result<()> {
    match &pair.emoji {
        None if style == Style::Reactions => Err(Error::refused(tr!(
            tr,
            "rr-emoji-needed",
            role = format!("<@&{}>", pair.role)
        ))),
        Some(stored) if used.any(|u| emoji::same(u, stored)) => Err(Error::refused(tr!(
            tr,
            "rr-duplicate-emoji",
            emoji = emoji::display(stored)
        ))),
        _ => Ok(()),
    }
}

fn cannot_post(tr: &Tr, channel: Id<ChannelMarker>, e: Error) -> Error {
    if e.is_discord_code(&[
        discord_code::MISSING_PERMISSIONS,
        discord_code::MISSING_ACCESS,
    ]) {
        Error::refused(tr!(tr, "rr-cannot-post", channel = format!("<#{channel}>")))
    } else {
        e.context(format!("posting the panel in channel {channel}"))
    }
}

fn spec_error(tr: &Tr, error: &SpecError) -> String {
    match error {
        SpecError::Empty => tr.t("rr-spec-empty"),
        SpecError::UnknownWord(word) => tr!(tr, "rr-spec-unknown-word", word = word),
        SpecError::EmojiWithoutRole(emoji) => tr!(tr, "rr-spec-emoji-without-role", emoji = emoji),
    }
}

/// What an administrator is told when the bot cannot hand out a role.
pub fn problem(tr: &Tr, problem: &Problem) -> String {
    match problem {
        Problem::NoManageRoles => tr.t("rr-bot-needs-manage-roles"),
        Problem::NotInServer(role) => tr!(tr, "rr-role-not-here", role = role.to_string()),
        Problem::Everyone => tr.t("rr-role-everyone"),
        Problem::Managed(name) => tr!(tr, "rr-role-managed", role = name),
        Problem::Above {
            role,
            top: Some(top),
        } => tr!(tr, "rr-role-above", role = role, top = top),
        Problem::Above { role, top: None } => tr!(tr, "rr-role-above-no-role", role = role),
    }
}
