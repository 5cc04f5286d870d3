//! `/suggestion config` (show or change a server's settings) and `/suggestion staff` (toggle a
//! role that may decide). Both need Manage Server, checked by the caller.

use arsenal_plugin_api::{i18n::Tr, prelude::*};

use crate::{
    command::Config,
    model::{config_key, load_config, GuildConfig},
    submit::describe_wait,
};

/// `/suggestion config [channel] [log_channel] [cooldown] [anonymous] [threads]`: sets what is
/// given, then shows every setting.
pub fn configure(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    command: Config,
) -> Result<Response> {
    let cooldown = match command.cooldown.as_deref().map(str::trim) {
        None => None,
        Some("off" | "0" | "none" | "non" | "aucun") => Some(0),
        Some(text) => match Duration::parse(text) {
            Ok(duration) => Some(duration.as_secs()),
            Err(_) => {
                return Ok(Response::ephemeral(tr!(
                    tr,
                    "suggestions-bad-cooldown",
                    text = text
                )))
            }
        },
    };
    let changed = command.channel.is_some()
        || command.log_channel.is_some()
        || cooldown.is_some()
        || command.anonymous.is_some()
        || command.threads.is_some();
    let config = if changed {
        ctx.store()
            .update(&config_key(guild), |config: Option<GuildConfig>| {
                let mut config = config.unwrap_or_default();
                if let Some(channel) = command.channel {
                    config.channel = Some(channel);
                }
                if let Some(channel) = command.log_channel {
                    config.log_channel = Some(channel);
                }
                if let Some(secs) = cooldown {
                    config.cooldown_secs = secs;
                }
                if let Some(anonymous) = command.anonymous {
                    config.anonymous = anonymous;
                }
                if let Some(threads) = command.threads {
                    config.threads = threads;
                }
                Ok(Some(config))
            })?
            .unwrap_or_default()
    } else {
        load_config(ctx, guild)?
    };
    let head = tr.t(if changed {
        "suggestions-saved"
    } else {
        "suggestions-settings"
    });
    Ok(Response::ephemeral(format!(
        "{head}\n{}",
        describe(tr, &config)
    )))
}

/// `/suggestion staff <role>`: adds the role to those that may decide, or removes it.
pub fn toggle_staff(
    ctx: &Context,
    tr: Tr<'_>,
    guild: Id<GuildMarker>,
    role: Id<RoleMarker>,
) -> Result<Response> {
    if role.cast() == guild {
        return Ok(Response::ephemeral(tr.t("suggestions-everyone-staff")));
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
    Ok(Response::ephemeral(tr!(
        tr,
        if added {
            "suggestions-staff-added"
        } else {
            "suggestions-staff-removed"
        },
        role = format!("<@&{role}>")
    )))
}

/// The settings as lines.
#[must_use]
pub fn describe(tr: Tr<'_>, config: &GuildConfig) -> String {
    let channel = |c: Option<Id<ChannelMarker>>| {
        c.map_or_else(|| tr.t("suggestions-not-set"), |c| format!("<#{c}>"))
    };
    let staff = if config.staff_roles.is_empty() {
        tr.t("suggestions-no-staff")
    } else {
        config
            .staff_roles
            .iter()
            .map(|r| format!("<@&{r}>"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let on_off = |on: bool| {
        tr.t(if on {
            "suggestions-on"
        } else {
            "suggestions-off"
        })
    };
    tr!(
        tr,
        "suggestions-settings-lines",
        channel = channel(config.channel),
        log = channel(config.log_channel),
        staff = staff,
        cooldown = if config.cooldown_secs == 0 {
            tr.t("suggestions-off")
        } else {
            describe_wait(tr, config.cooldown_secs.saturating_mul(1000))
        },
        anonymous = on_off(config.anonymous),
        threads = on_off(config.threads)
    )
}
