//! Channels and roles created, changed or deleted, and the server's state at connection (the
//! "before" of later changes).

use arsenal_plugin_api::{
    model::{
        channel::{Channel, ChannelType},
        gateway::payload::incoming::{
            ChannelCreate, ChannelDelete, ChannelUpdate, GuildCreate, RoleCreate, RoleDelete,
            RoleUpdate,
        },
    },
    prelude::*,
};

use crate::{
    config::{self, Category, GuildConfig},
    events::members::keeps_members,
    format::{color, permission_names, truncate, DESCRIPTION_MAX},
    sink::{self, Entry},
    snapshot::{self, ChannelSnapshot, MemberSnapshot, RoleSnapshot},
};

fn server_route(ctx: &Context, guild: Id<GuildMarker>) -> Result<Option<Id<ChannelMarker>>> {
    Ok(config::load(ctx, guild)?.and_then(|c| c.route(Category::Server)))
}

/// Threads come as THREAD_* events; only channels are logged here.
fn is_channel(channel: &Channel) -> bool {
    !matches!(
        channel.kind,
        ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::AnnouncementThread
    )
}

fn entry(title: String, body: String, color: u32, footer: String) -> Entry {
    Entry {
        embed: EmbedBuilder::new()
            .title(title)
            .description(truncate(&body, DESCRIPTION_MAX))
            .color(color)
            .footer(footer)
            .build(),
        file: None,
    }
}

fn on_off(tr: &Tr<'_>, on: bool) -> String {
    tr.t(if on { "logs-on" } else { "logs-off" })
}

/// CHANNEL_CREATE.
pub fn channel_created(ctx: &Context, event: &ChannelCreate) -> Result<()> {
    let Some(guild) = event.guild_id.filter(|_| is_channel(event)) else {
        return Ok(());
    };
    let Some(route) = server_route(ctx, guild)? else {
        return Ok(());
    };
    let now = ChannelSnapshot::of(event);
    snapshot::swap(ctx, &snapshot::channel_key(guild, event.id), Some(&now))?;
    let tr = ctx.tr_guild(guild);
    let body = tr!(
        tr,
        "logs-channel-line",
        channel = format!("<#{}>", event.id),
        name = now.name.clone().unwrap_or_default()
    );
    let footer = tr!(tr, "logs-channel-footer", channel = event.id.to_string());
    sink::deliver(
        ctx,
        route,
        entry(tr.t("logs-channel-created"), body, color::ADDED, footer),
    )
}

/// CHANNEL_UPDATE: what changed, when the module saw the channel before.
pub fn channel_updated(ctx: &Context, event: &ChannelUpdate) -> Result<()> {
    let Some(guild) = event.guild_id.filter(|_| is_channel(event)) else {
        return Ok(());
    };
    let Some(route) = server_route(ctx, guild)? else {
        return Ok(());
    };
    let now = ChannelSnapshot::of(event);
    let before = snapshot::swap(ctx, &snapshot::channel_key(guild, event.id), Some(&now))?;
    let tr = ctx.tr_guild(guild);
    let changes = match &before {
        Some(before) => channel_changes(&tr, before, &now),
        None => vec![tr.t("logs-no-before")],
    };
    if changes.is_empty() {
        // A change the log does not show (position, say).
        return Ok(());
    }
    let body = format!(
        "{}\n{}",
        tr!(
            tr,
            "logs-channel-line",
            channel = format!("<#{}>", event.id),
            name = now.name.clone().unwrap_or_default()
        ),
        changes.join("\n")
    );
    let footer = tr!(tr, "logs-channel-footer", channel = event.id.to_string());
    sink::deliver(
        ctx,
        route,
        entry(tr.t("logs-channel-updated"), body, color::CHANGED, footer),
    )
}

fn channel_changes(tr: &Tr<'_>, before: &ChannelSnapshot, now: &ChannelSnapshot) -> Vec<String> {
    let none = tr.t("logs-none");
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| none.clone());
    let mut changes = Vec::new();
    if before.name != now.name {
        changes.push(tr!(
            tr,
            "logs-changed-name",
            before = text(&before.name),
            after = text(&now.name)
        ));
    }
    if before.topic != now.topic {
        changes.push(tr!(
            tr,
            "logs-changed-topic",
            before = text(&before.topic),
            after = text(&now.topic)
        ));
    }
    if before.nsfw != now.nsfw {
        changes.push(tr!(
            tr,
            "logs-changed-nsfw",
            before = on_off(tr, before.nsfw),
            after = on_off(tr, now.nsfw)
        ));
    }
    if before.slowmode != now.slowmode {
        changes.push(tr!(
            tr,
            "logs-changed-slowmode",
            before = before.slowmode,
            after = now.slowmode
        ));
    }
    if before.parent != now.parent {
        let parent =
            |p: Option<Id<ChannelMarker>>| p.map_or_else(|| none.clone(), |p| format!("<#{p}>"));
        changes.push(tr!(
            tr,
            "logs-changed-category",
            before = parent(before.parent),
            after = parent(now.parent)
        ));
    }
    if before.overwrites != now.overwrites {
        changes.push(tr.t("logs-changed-overwrites"));
    }
    changes
}

/// CHANNEL_DELETE.
pub fn channel_deleted(ctx: &Context, event: &ChannelDelete) -> Result<()> {
    let Some(guild) = event.guild_id.filter(|_| is_channel(event)) else {
        return Ok(());
    };
    let Some(route) = server_route(ctx, guild)? else {
        return Ok(());
    };
    snapshot::swap::<ChannelSnapshot>(ctx, &snapshot::channel_key(guild, event.id), None)?;
    let tr = ctx.tr_guild(guild);
    let body = format!("#{}", event.name.clone().unwrap_or_default());
    let footer = tr!(tr, "logs-channel-footer", channel = event.id.to_string());
    sink::deliver(
        ctx,
        route,
        entry(tr.t("logs-channel-deleted"), body, color::REMOVED, footer),
    )
}

/// GUILD_ROLE_CREATE.
pub fn role_created(ctx: &Context, event: &RoleCreate) -> Result<()> {
    let Some(route) = server_route(ctx, event.guild_id)? else {
        return Ok(());
    };
    let now = RoleSnapshot::of(&event.role);
    snapshot::swap(
        ctx,
        &snapshot::role_key(event.guild_id, event.role.id),
        Some(&now),
    )?;
    let tr = ctx.tr_guild(event.guild_id);
    let body = format!("<@&{}> ({})", event.role.id, now.name);
    let footer = tr!(tr, "logs-role-footer", role = event.role.id.to_string());
    sink::deliver(
        ctx,
        route,
        entry(tr.t("logs-role-created"), body, color::ADDED, footer),
    )
}

/// GUILD_ROLE_UPDATE: what changed, when the module saw the role before.
pub fn role_updated(ctx: &Context, event: &RoleUpdate) -> Result<()> {
    let Some(route) = server_route(ctx, event.guild_id)? else {
        return Ok(());
    };
    let now = RoleSnapshot::of(&event.role);
    let before = snapshot::swap(
        ctx,
        &snapshot::role_key(event.guild_id, event.role.id),
        Some(&now),
    )?;
    let tr = ctx.tr_guild(event.guild_id);
    let changes = match &before {
        Some(before) => role_changes(&tr, before, &now),
        None => vec![tr.t("logs-no-before")],
    };
    if changes.is_empty() {
        return Ok(());
    }
    let body = format!(
        "<@&{}> ({})\n{}",
        event.role.id,
        now.name,
        changes.join("\n")
    );
    let footer = tr!(tr, "logs-role-footer", role = event.role.id.to_string());
    sink::deliver(
        ctx,
        route,
        entry(tr.t("logs-role-updated"), body, color::CHANGED, footer),
    )
}

fn role_changes(tr: &Tr<'_>, before: &RoleSnapshot, now: &RoleSnapshot) -> Vec<String> {
    let mut changes = Vec::new();
    if before.name != now.name {
        changes.push(tr!(
            tr,
            "logs-changed-name",
            before = &before.name,
            after = &now.name
        ));
    }
    if before.color != now.color {
        changes.push(tr!(
            tr,
            "logs-changed-color",
            before = format!("#{:06X}", before.color),
            after = format!("#{:06X}", now.color)
        ));
    }
    let granted = now.permissions & !before.permissions;
    let revoked = before.permissions & !now.permissions;
    if granted != 0 {
        changes.push(tr!(
            tr,
            "logs-permissions-granted",
            permissions = permission_names(granted)
        ));
    }
    if revoked != 0 {
        changes.push(tr!(
            tr,
            "logs-permissions-revoked",
            permissions = permission_names(revoked)
        ));
    }
    if before.hoist != now.hoist {
        changes.push(tr!(
            tr,
            "logs-changed-hoist",
            before = on_off(tr, before.hoist),
            after = on_off(tr, now.hoist)
        ));
    }
    if before.mentionable != now.mentionable {
        changes.push(tr!(
            tr,
            "logs-changed-mentionable",
            before = on_off(tr, before.mentionable),
            after = on_off(tr, now.mentionable)
        ));
    }
    changes
}

/// GUILD_ROLE_DELETE: the role's name from the snapshot, if known.
pub fn role_deleted(ctx: &Context, event: &RoleDelete) -> Result<()> {
    let Some(route) = server_route(ctx, event.guild_id)? else {
        return Ok(());
    };
    let before: Option<RoleSnapshot> = snapshot::swap(
        ctx,
        &snapshot::role_key(event.guild_id, event.role_id),
        None,
    )?;
    let tr = ctx.tr_guild(event.guild_id);
    let body = before.map_or_else(|| tr.t("logs-no-before"), |role| role.name);
    let footer = tr!(tr, "logs-role-footer", role = event.role_id.to_string());
    sink::deliver(
        ctx,
        route,
        entry(tr.t("logs-role-deleted"), body, color::REMOVED, footer),
    )
}

/// GUILD_CREATE: remembers the server's channels, roles, members and voice connections as
/// they are, for the categories it logs, so later changes show what they were.
pub fn guild_created(ctx: &Context, event: &GuildCreate) -> Result<()> {
    let GuildCreate::Available(guild) = event else {
        return Ok(());
    };
    let Some(config) = config::load(ctx, guild.id)? else {
        return Ok(());
    };
    remember_guild(ctx, guild, &config)
}

/// Stores the snapshots of `guild` the categories of `config` need.
///
/// # Errors
///
/// When the store cannot be written.
pub fn remember_guild(
    ctx: &Context,
    guild: &arsenal_plugin_api::model::guild::Guild,
    config: &GuildConfig,
) -> Result<()> {
    if config.route(Category::Server).is_some() {
        let channels: Vec<_> = guild
            .channels
            .iter()
            .filter(|c| is_channel(c))
            .map(|c| {
                (
                    snapshot::channel_key(guild.id, c.id),
                    ChannelSnapshot::of(c),
                )
            })
            .collect();
        snapshot::store_all(ctx, &channels)?;
        let roles: Vec<_> = guild
            .roles
            .iter()
            .map(|r| (snapshot::role_key(guild.id, r.id), RoleSnapshot::of(r)))
            .collect();
        snapshot::store_all(ctx, &roles)?;
    }
    if keeps_members(config) {
        let members: Vec<_> = guild
            .members
            .iter()
            .filter(|m| !config.ignored_members.contains(&m.user.id))
            .map(|m| {
                (
                    snapshot::member_key(guild.id, m.user.id),
                    MemberSnapshot::of(m),
                )
            })
            .collect();
        snapshot::store_all(ctx, &members)?;
    }
    if config.route(Category::Voice).is_some() {
        let voice: Vec<_> = guild
            .voice_states
            .iter()
            .filter_map(|v| Some((snapshot::voice_key(guild.id, v.user_id), v.channel_id?)))
            .collect();
        snapshot::store_all(ctx, &voice)?;
    }
    Ok(())
}
