//! Joins (with account age), leaves, role and nickname changes, timeouts, bans and unbans.

use std::collections::BTreeSet;

use arsenal_plugin_api::{
    model::gateway::payload::incoming::{BanAdd, BanRemove, MemberAdd, MemberRemove, MemberUpdate},
    prelude::*,
};

use crate::{
    config::{self, Category, GuildConfig},
    events::messages::user_line,
    format::{self, color, display_name, truncate, DESCRIPTION_MAX},
    sink::{self, Entry},
    snapshot::{self, MemberSnapshot},
};

/// An account younger than this is flagged on joining (raids use fresh accounts).
const NEW_ACCOUNT_SECS: i64 = 7 * 24 * 3600;

/// Whether the server keeps member snapshots (for leaves, role, nickname and timeout changes).
pub fn keeps_members(config: &GuildConfig) -> bool {
    config.route(Category::Members).is_some() || config.route(Category::Moderation).is_some()
}

fn watching(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
) -> Result<Option<GuildConfig>> {
    Ok(config::load(ctx, guild)?
        .filter(|config| keeps_members(config) && !config.ignored_members.contains(&user)))
}

/// GUILD_MEMBER_ADD: who joined and how old their account is.
pub fn joined(ctx: &Context, event: &MemberAdd) -> Result<()> {
    let user = &event.member.user;
    let Some(config) = watching(ctx, event.guild_id, user.id)? else {
        return Ok(());
    };
    let now = MemberSnapshot::of(&event.member);
    snapshot::swap(
        ctx,
        &snapshot::member_key(event.guild_id, user.id),
        Some(&now),
    )?;
    let Some(route) = config.route(Category::Members) else {
        return Ok(());
    };
    let tr = ctx.tr_guild(event.guild_id);
    let created_secs = i64::try_from(format::created_ms(user.id.get()) / 1000).unwrap_or(0);
    let now_secs = i64::try_from(ctx.now() / 1000).unwrap_or(0);
    let mut body = tr!(
        tr,
        "logs-account-created",
        user = user_line(user.id, &display_name(user)),
        created = format::relative(created_secs),
        date = format::date_time(created_secs)
    );
    if now_secs.saturating_sub(created_secs) < NEW_ACCOUNT_SECS {
        body.push('\n');
        body.push_str(&tr.t("logs-new-account"));
    }
    let embed = EmbedBuilder::new()
        .title(tr.t("logs-member-joined"))
        .description(body)
        .color(color::ADDED)
        .footer(tr!(tr, "logs-user-footer", user = user.id.to_string()))
        .build();
    sink::deliver(ctx, route, Entry { embed, file: None })
}

/// GUILD_MEMBER_REMOVE: who left, when they had joined, their roles.
pub fn left(ctx: &Context, event: &MemberRemove) -> Result<()> {
    let user = &event.user;
    let Some(config) = watching(ctx, event.guild_id, user.id)? else {
        return Ok(());
    };
    let before: Option<MemberSnapshot> =
        snapshot::swap(ctx, &snapshot::member_key(event.guild_id, user.id), None)?;
    let Some(route) = config.route(Category::Members) else {
        return Ok(());
    };
    let tr = ctx.tr_guild(event.guild_id);
    let mut body = user_line(user.id, &display_name(user));
    if let Some(joined) = before.as_ref().and_then(|b| b.joined_at) {
        body.push('\n');
        body.push_str(&tr!(
            tr,
            "logs-joined-at",
            joined = format::relative(joined)
        ));
    }
    if let Some(before) = before.filter(|b| !b.roles.is_empty()) {
        body.push('\n');
        body.push_str(&tr!(tr, "logs-roles", roles = roles(&before.roles)));
    }
    let embed = EmbedBuilder::new()
        .title(tr.t("logs-member-left"))
        .description(truncate(&body, DESCRIPTION_MAX))
        .color(color::REMOVED)
        .footer(tr!(tr, "logs-user-footer", user = user.id.to_string()))
        .build();
    sink::deliver(ctx, route, Entry { embed, file: None })
}

/// GUILD_MEMBER_UPDATE: roles given or taken and nickname changes (members), timeouts
/// (moderation).
pub fn updated(ctx: &Context, event: &MemberUpdate) -> Result<()> {
    let user = &event.user;
    let Some(config) = watching(ctx, event.guild_id, user.id)? else {
        return Ok(());
    };
    let now_secs = i64::try_from(ctx.now() / 1000).unwrap_or(0);
    let now = MemberSnapshot {
        nick: event.nick.clone(),
        roles: event.roles.iter().copied().collect(),
        // A timeout that ended is no timeout (Discord sends no event when it ends).
        timeout_until: event
            .communication_disabled_until
            .map(|t| t.as_secs())
            .filter(|until| *until > now_secs),
        joined_at: event.joined_at.map(|t| t.as_secs()),
    };
    let key = snapshot::member_key(event.guild_id, user.id);
    let Some(before) = snapshot::swap(ctx, &key, Some(&now))? else {
        // First sight of this member: nothing to compare with yet.
        return Ok(());
    };
    let tr = ctx.tr_guild(event.guild_id);
    let who = user_line(user.id, &display_name(user));
    let mut changes = Vec::new();
    let added: BTreeSet<_> = now.roles.difference(&before.roles).copied().collect();
    let removed: BTreeSet<_> = before.roles.difference(&now.roles).copied().collect();
    if !added.is_empty() {
        changes.push(tr!(tr, "logs-roles-added", roles = roles(&added)));
    }
    if !removed.is_empty() {
        changes.push(tr!(tr, "logs-roles-removed", roles = roles(&removed)));
    }
    if before.nick != now.nick {
        let none = tr.t("logs-none");
        changes.push(tr!(
            tr,
            "logs-nickname-changed",
            before = before.nick.as_deref().unwrap_or(&none),
            after = now.nick.as_deref().unwrap_or(&none)
        ));
    }
    if let (false, Some(route)) = (changes.is_empty(), config.route(Category::Members)) {
        let embed = EmbedBuilder::new()
            .title(tr.t("logs-member-updated"))
            .description(truncate(
                &format!("{who}\n{}", changes.join("\n")),
                DESCRIPTION_MAX,
            ))
            .color(color::CHANGED)
            .footer(tr!(tr, "logs-user-footer", user = user.id.to_string()))
            .build();
        sink::deliver(ctx, route, Entry { embed, file: None })?;
    }
    let before_timeout = before.timeout_until.filter(|until| *until > now_secs);
    if before_timeout == now.timeout_until {
        return Ok(());
    }
    let Some(route) = config.route(Category::Moderation) else {
        return Ok(());
    };
    let (title, line) = match now.timeout_until {
        Some(until) => (
            tr.t("logs-timeout"),
            tr!(
                tr,
                "logs-timeout-until",
                user = who,
                until = format::date_time(until),
                relative = format::relative(until)
            ),
        ),
        None => (tr.t("logs-timeout-removed"), who),
    };
    let embed = EmbedBuilder::new()
        .title(title)
        .description(line)
        .color(color::MODERATION)
        .footer(tr!(tr, "logs-user-footer", user = user.id.to_string()))
        .build();
    sink::deliver(ctx, route, Entry { embed, file: None })
}

/// GUILD_BAN_ADD.
pub fn banned(ctx: &Context, event: &BanAdd) -> Result<()> {
    ban_entry(
        ctx,
        event.guild_id,
        &event.user,
        "logs-banned",
        color::REMOVED,
    )
}

/// GUILD_BAN_REMOVE.
pub fn unbanned(ctx: &Context, event: &BanRemove) -> Result<()> {
    ban_entry(
        ctx,
        event.guild_id,
        &event.user,
        "logs-unbanned",
        color::ADDED,
    )
}

fn ban_entry(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: &arsenal_plugin_api::model::user::User,
    title: &str,
    color: u32,
) -> Result<()> {
    let Some(config) = config::load(ctx, guild)? else {
        return Ok(());
    };
    let Some(route) = config.route(Category::Moderation) else {
        return Ok(());
    };
    if config.ignored_members.contains(&user.id) {
        return Ok(());
    }
    let tr = ctx.tr_guild(guild);
    let embed = EmbedBuilder::new()
        .title(tr.t(title))
        .description(user_line(user.id, &display_name(user)))
        .color(color)
        .footer(tr!(tr, "logs-user-footer", user = user.id.to_string()))
        .build();
    sink::deliver(ctx, route, Entry { embed, file: None })
}

/// `<@&1> <@&2>`.
fn roles(roles: &BTreeSet<Id<RoleMarker>>) -> String {
    roles
        .iter()
        .map(|r| format!("<@&{r}>"))
        .collect::<Vec<_>>()
        .join(" ")
}
