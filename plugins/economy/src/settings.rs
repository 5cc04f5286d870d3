//! `/economy config …`: per-guild settings (currency, rewards, XP, level roles). Changing them
//! needs Manage Server; `show` is for everyone.

use arsenal_plugin_api::{
    i18n::Tr,
    model::id::{marker::RoleMarker, Id},
    tr, Response, Result,
};

use crate::{
    call::{refuse, Call},
    command::{ConfigCommand, Currency, DailyReward, LevelRole, WorkReward, XpRate},
    model::{duration, keys, GuildConfig},
    options::{Text, Whole},
};

const MAX_LEVEL_ROLES: usize = 25;

/// Runs `/economy config <sub>`.
pub fn command(call: &Call<'_>, command: ConfigCommand) -> Result<Response> {
    // The host already checked Manage Server for changes (the variants' `permissions`); a
    // call that bypassed it (a test harness, an older host) is refused the same way.
    if !matches!(command, ConfigCommand::Show) {
        if let Err(refusal) = call.require_admin() {
            return refuse(refusal);
        }
    }
    let mut config = call.config.clone();
    let tr = call.tr;
    let changed = match command {
        ConfigCommand::Show => return Ok(Response::ephemeral(show(tr, &call.config))),
        ConfigCommand::Currency(options) => currency(tr, options, &mut config),
        ConfigCommand::Daily(options) => daily(tr, options, &mut config),
        ConfigCommand::Work(options) => work(tr, options, &mut config),
        ConfigCommand::Xp(options) => xp(tr, options, &mut config),
        ConfigCommand::LevelRole(options) => level_role(call, options, &mut config),
    };
    match changed {
        Err(refusal) => refuse(refusal),
        Ok(done) => {
            call.ctx.store().set(&keys::config(call.guild), &config)?;
            Ok(Response::ephemeral(done))
        }
    }
}

fn show(tr: Tr<'_>, config: &GuildConfig) -> String {
    let roles: Vec<String> = config
        .level_roles
        .iter()
        .map(|(level, role)| {
            tr!(
                tr,
                "economy-config-level-role",
                level = level.to_string(),
                role = role.to_string()
            )
        })
        .collect();
    tr!(
        tr,
        "economy-config-show",
        symbol = &config.currency_symbol,
        currency = &config.currency_name,
        daily = config.money(config.daily_amount),
        daily_cooldown = duration(config.daily_cooldown_secs),
        work_min = config.money(config.work_min),
        work_max = config.money(config.work_max),
        work_cooldown = duration(config.work_cooldown_secs),
        xp = config.xp_per_message.to_string(),
        xp_cooldown = duration(config.xp_cooldown_secs),
        roles = if roles.is_empty() {
            tr.t("economy-none")
        } else {
            roles.join(", ")
        }
    )
}

fn currency(
    tr: Tr<'_>,
    Currency { name, symbol }: Currency,
    config: &mut GuildConfig,
) -> Result<String, String> {
    let name = name
        .given()
        .ok_or_else(|| tr.t("economy-config-currency-name"))?;
    if name.chars().count() > 32 || name.contains(['`', '@', '\n']) {
        return Err(tr.t("economy-config-currency-name-long"));
    }
    if let Some(symbol) = symbol.and_then(Text::given) {
        if symbol.chars().count() > 32 || symbol.contains(['`', '@', '\n']) {
            return Err(tr.t("economy-config-symbol-long"));
        }
        config.currency_symbol = symbol;
    }
    config.currency_name = name;
    Ok(tr!(
        tr,
        "economy-config-currency",
        symbol = &config.currency_symbol,
        currency = &config.currency_name
    ))
}

fn daily(tr: Tr<'_>, options: DailyReward, config: &mut GuildConfig) -> Result<String, String> {
    let amount = options
        .amount
        .value()
        .ok_or_else(|| tr.t("economy-config-daily-amount"))?;
    if let Some(Whole(hours)) = options.cooldown_hours {
        config.daily_cooldown_secs = hours.unsigned_abs() * 3600;
    }
    config.daily_amount = amount;
    Ok(tr!(
        tr,
        "economy-config-daily",
        amount = config.money(amount),
        cooldown = duration(config.daily_cooldown_secs)
    ))
}

fn work(tr: Tr<'_>, options: WorkReward, config: &mut GuildConfig) -> Result<String, String> {
    let (Some(min), Some(max)) = (options.min.value(), options.max.value()) else {
        return Err(tr.t("economy-config-work-range"));
    };
    if min > max {
        return Err(tr.t("economy-config-work-order"));
    }
    if let Some(Whole(minutes)) = options.cooldown_minutes {
        config.work_cooldown_secs = minutes.unsigned_abs() * 60;
    }
    (config.work_min, config.work_max) = (min, max);
    Ok(tr!(
        tr,
        "economy-config-work",
        min = config.money(min),
        max = config.money(max),
        cooldown = duration(config.work_cooldown_secs)
    ))
}

fn xp(tr: Tr<'_>, options: XpRate, config: &mut GuildConfig) -> Result<String, String> {
    let amount = options
        .amount
        .value()
        .ok_or_else(|| tr.t("economy-config-xp-amount"))?;
    if let Some(Whole(seconds)) = options.cooldown_seconds {
        config.xp_cooldown_secs = seconds.unsigned_abs();
    }
    config.xp_per_message = amount.unsigned_abs();
    Ok(if amount == 0 {
        tr.t("economy-config-xp-off")
    } else {
        tr!(
            tr,
            "economy-config-xp",
            amount = amount.to_string(),
            cooldown = duration(config.xp_cooldown_secs)
        )
    })
}

fn level_role(
    call: &Call<'_>,
    options: LevelRole,
    config: &mut GuildConfig,
) -> Result<String, String> {
    let tr = call.tr;
    let level = options
        .level
        .value()
        .ok_or_else(|| tr.t("economy-config-level"))?;
    let level = u32::try_from(level).map_err(|_| tr.t("economy-config-level-range"))?;
    let shown = level.to_string();
    match options.role {
        None => Ok(match config.level_roles.remove(&level) {
            Some(role) => tr!(
                tr,
                "economy-config-level-removed",
                level = shown,
                role = role.to_string()
            ),
            None => tr!(tr, "economy-config-level-none", level = shown),
        }),
        Some(role) if is_everyone(call, role) => Err(tr.t("economy-everyone")),
        Some(role) => {
            if !config.level_roles.contains_key(&level)
                && config.level_roles.len() >= MAX_LEVEL_ROLES
            {
                return Err(tr!(tr, "economy-config-level-max", max = MAX_LEVEL_ROLES));
            }
            config.level_roles.insert(level, role);
            Ok(tr!(
                tr,
                "economy-config-level-set",
                level = shown,
                role = role.to_string()
            ))
        }
    }
}

/// Whether `role` is the guild's @everyone (its id is the guild's).
pub fn is_everyone(call: &Call<'_>, role: Id<RoleMarker>) -> bool {
    role.get() == call.guild.get()
}
