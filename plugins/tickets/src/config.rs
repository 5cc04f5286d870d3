//! `/ticket config` (show or change a guild's settings) and `/ticket staff` (toggle a staff role).

use arsenal_plugin_api::{
    i18n::Tr,
    model::id::{
        marker::{GuildMarker, RoleMarker},
        Id,
    },
    tr, Context, Response, Result,
};

use crate::{
    command::Config,
    model::{
        config_key, describe_duration_in, parse_duration, CloseAction, GuildConfig, TicketMode,
    },
    ui::role_mention,
};

/// Most open tickets a member may have, as an upper bound on the setting.
pub const MAX_LIMIT: i64 = 20;
/// Longest wait between closing and removing a ticket.
pub const MAX_CLOSE_DELAY: i64 = 600;

/// The guild's settings, defaults if never configured.
///
/// # Errors
///
/// The store failed or holds a record of another shape.
pub fn load(ctx: &Context, guild: Id<GuildMarker>) -> Result<GuildConfig> {
    Ok(ctx.store().get(&config_key(guild))?.unwrap_or_default())
}

/// `/ticket config [log_channel] [mode] [on_close] [category] [archive_category] [limit]
/// [ask_reason] [autoclose] [close_delay]`: sets what is given, then shows everything.
pub fn configure(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    command: Config,
) -> Result<Response> {
    let mut config = load(ctx, guild)?;
    let mut changed = Vec::new();
    if let Some(channel) = command.log_channel {
        config.log_channel = Some(channel);
        changed.push("log-channel");
    }
    if let Some(mode) = command.mode {
        config.mode = mode;
        changed.push("mode");
    }
    if let Some(action) = command.on_close {
        config.on_close = action;
        changed.push("on-close");
    }
    if let Some(channel) = command.category {
        config.category = Some(channel);
        changed.push("category");
    }
    if let Some(channel) = command.archive_category {
        config.archive_category = Some(channel);
        changed.push("archive-category");
    }
    if let Some(limit) = command.limit {
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Ok(Response::ephemeral(tr!(
                tr,
                "tickets-limit-range",
                max = MAX_LIMIT.to_string()
            )));
        }
        config.max_open_per_user = u32::try_from(limit).unwrap_or(1);
        changed.push("limit");
    }
    if let Some(ask) = command.ask_reason {
        config.ask_reason = ask;
        changed.push("ask-reason");
    }
    if let Some(text) = command.autoclose {
        let Some(secs) = parse_duration(&text) else {
            return Ok(Response::ephemeral(tr!(
                tr,
                "tickets-bad-duration",
                text = &text
            )));
        };
        config.autoclose_secs = secs;
        changed.push("autoclose");
    }
    if let Some(delay) = command.close_delay {
        if !(1..=MAX_CLOSE_DELAY).contains(&delay) {
            return Ok(Response::ephemeral(tr!(
                tr,
                "tickets-delay-range",
                max = MAX_CLOSE_DELAY.to_string()
            )));
        }
        config.close_delay_secs = u64::try_from(delay).unwrap_or(1);
        changed.push("close-delay");
    }
    if !changed.is_empty() {
        ctx.store().set(&config_key(guild), &config)?;
    }
    let head = if changed.is_empty() {
        tr.t("tickets-settings")
    } else {
        let changed: Vec<String> = changed
            .iter()
            .map(|what| tr.t(&format!("tickets-changed-{what}")))
            .collect();
        tr!(tr, "tickets-saved", changed = changed.join(", "))
    };
    Ok(Response::ephemeral(format!(
        "{head}\n{}",
        describe(tr, &config)
    )))
}

/// `/ticket staff <role>`: adds the role to the guild's staff, or removes it if present.
pub fn toggle_staff(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    role: Id<RoleMarker>,
) -> Result<Response> {
    if role.cast() == guild {
        return Ok(Response::ephemeral(tr.t("tickets-everyone-staff")));
    }
    let mut added = false;
    ctx.store()
        .update(&config_key(guild), |config: Option<GuildConfig>| {
            let mut config = config.unwrap_or_default();
            added = !config.staff_roles.contains(&role);
            if added {
                config.staff_roles.push(role);
            } else {
                config.staff_roles.retain(|r| *r != role);
            }
            Ok(Some(config))
        })?;
    Ok(Response::ephemeral(if added {
        tr!(tr, "tickets-staff-added", role = role)
    } else {
        tr!(tr, "tickets-staff-removed", role = role)
    }))
}

/// The settings as lines, for `/ticket config`.
#[must_use]
pub fn describe(tr: Tr<'_>, config: &GuildConfig) -> String {
    let channel = |c: Option<_>| c.map_or_else(|| tr.t("tickets-not-set"), |c| format!("<#{c}>"));
    let staff = if config.staff_roles.is_empty() {
        tr.t("tickets-no-staff")
    } else {
        config
            .staff_roles
            .iter()
            .map(role_mention)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let log = match config.log_channel {
        Some(c) => format!("<#{c}>"),
        None => tr.t("tickets-no-log"),
    };
    tr!(
        tr,
        "tickets-settings-lines",
        log = log,
        mode = tr.t(match config.mode {
            TicketMode::Channel => "tickets-mode-channel",
            TicketMode::Thread => "tickets-mode-thread",
        }),
        on_close = tr.t(match config.on_close {
            CloseAction::Delete => "tickets-on-close-delete",
            CloseAction::Archive => "tickets-on-close-archive",
        }),
        category = channel(config.category),
        archive = channel(config.archive_category),
        staff = staff,
        limit = config.max_open_per_user.to_string(),
        ask_reason = tr.t(if config.ask_reason {
            "tickets-on"
        } else {
            "tickets-off"
        }),
        autoclose = config.autoclose_secs.map_or_else(
            || tr.t("tickets-off"),
            |s| tr!(
                tr,
                "tickets-autoclose-after",
                delay = describe_duration_in(tr, s)
            )
        ),
        delay = describe_duration_in(tr, config.close_delay_secs),
    )
}
