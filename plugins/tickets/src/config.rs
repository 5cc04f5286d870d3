//! `/ticket config` (show or change a guild's settings) and `/ticket staff` (toggle a staff role).

use arsenal_plugin_api::{
    model::id::{
        marker::{GuildMarker, RoleMarker},
        Id,
    },
    Context, Response, Result,
};

use crate::{
    command::Config,
    model::{config_key, describe_duration, parse_duration, CloseAction, GuildConfig, TicketMode},
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
pub fn configure(ctx: &Context, guild: Id<GuildMarker>, command: Config) -> Result<Response> {
    let mut config = load(ctx, guild)?;
    let mut changed = Vec::new();
    if let Some(channel) = command.log_channel {
        config.log_channel = Some(channel);
        changed.push("log channel");
    }
    if let Some(mode) = command.mode {
        config.mode = mode;
        changed.push("mode");
    }
    if let Some(action) = command.on_close {
        config.on_close = action;
        changed.push("close action");
    }
    if let Some(channel) = command.category {
        config.category = Some(channel);
        changed.push("category");
    }
    if let Some(channel) = command.archive_category {
        config.archive_category = Some(channel);
        changed.push("archive category");
    }
    if let Some(limit) = command.limit {
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Ok(Response::ephemeral(format!(
                "The limit of open tickets per member must be 1 to {MAX_LIMIT}."
            )));
        }
        config.max_open_per_user = u32::try_from(limit).unwrap_or(1);
        changed.push("limit");
    }
    if let Some(ask) = command.ask_reason {
        config.ask_reason = ask;
        changed.push("reason form");
    }
    if let Some(text) = command.autoclose {
        let Some(secs) = parse_duration(&text) else {
            return Ok(Response::ephemeral(format!(
                "`{text}` is not a duration: use e.g. `48h`, `2d`, `30m`, or `off`."
            )));
        };
        config.autoclose_secs = secs;
        changed.push("autoclose");
    }
    if let Some(delay) = command.close_delay {
        if !(1..=MAX_CLOSE_DELAY).contains(&delay) {
            return Ok(Response::ephemeral(format!(
                "The close delay must be 1 to {MAX_CLOSE_DELAY} seconds."
            )));
        }
        config.close_delay_secs = u64::try_from(delay).unwrap_or(1);
        changed.push("close delay");
    }
    if !changed.is_empty() {
        ctx.store().set(&config_key(guild), &config)?;
    }
    let head = if changed.is_empty() {
        "**Ticket settings**".to_owned()
    } else {
        format!("Saved ({}).", changed.join(", "))
    };
    Ok(Response::ephemeral(format!(
        "{head}\n{}",
        describe(&config)
    )))
}

/// `/ticket staff <role>`: adds the role to the guild's staff, or removes it if present.
pub fn toggle_staff(
    ctx: &Context,
    guild: Id<GuildMarker>,
    role: Id<RoleMarker>,
) -> Result<Response> {
    if role.cast() == guild {
        return Ok(Response::ephemeral(
            "@everyone cannot be ticket staff: every member would see every ticket.",
        ));
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
        format!(
            "{} is now ticket staff: it sees and handles new tickets.",
            role_mention(&role)
        )
    } else {
        format!(
            "{} is no longer ticket staff (tickets already open keep it).",
            role_mention(&role)
        )
    }))
}

/// The settings as lines, for `/ticket config`.
#[must_use]
pub fn describe(config: &GuildConfig) -> String {
    let channel = |c: Option<_>| c.map_or("not set".to_owned(), |c| format!("<#{c}>"));
    let staff = if config.staff_roles.is_empty() {
        "none (only Manage Server)".to_owned()
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
        None => "not set: tickets close without a transcript".to_owned(),
    };
    format!(
        "Transcripts: {log}\nMode: {}\nOn close: {}\nCategory: {}\nArchive category: {}\nStaff: {staff}\nOpen tickets per member: {}\nReason form: {}\nAutoclose: {}\nClose delay: {}",
        match config.mode {
            TicketMode::Channel => "private channel",
            TicketMode::Thread => "private thread",
        },
        match config.on_close {
            CloseAction::Delete => "delete",
            CloseAction::Archive => "archive",
        },
        channel(config.category),
        channel(config.archive_category),
        config.max_open_per_user,
        if config.ask_reason { "on" } else { "off" },
        config
            .autoclose_secs
            .map_or("off".to_owned(), |s| format!("after {} without messages", describe_duration(s))),
        describe_duration(config.close_delay_secs),
    )
}
