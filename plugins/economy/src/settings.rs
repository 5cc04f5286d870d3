//! `/economy config …`: per-guild settings (currency, rewards, XP, level roles). Changing them
//! needs Manage Server; `show` is for everyone.

use arsenal_plugin_api::{
    model::id::{marker::RoleMarker, Id},
    Response, Result,
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
    let changed = match command {
        ConfigCommand::Show => return Ok(Response::ephemeral(show(&call.config))),
        ConfigCommand::Currency(options) => currency(options, &mut config),
        ConfigCommand::Daily(options) => daily(options, &mut config),
        ConfigCommand::Work(options) => work(options, &mut config),
        ConfigCommand::Xp(options) => xp(options, &mut config),
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

fn show(config: &GuildConfig) -> String {
    let roles: Vec<String> = config
        .level_roles
        .iter()
        .map(|(level, role)| format!("level {level} → <@&{role}>"))
        .collect();
    format!(
        "Currency: {} {}\nDaily: {} every {}\nWork: {} to {} every {}\nXP: {} per message, at most every {}\nLevel roles: {}",
        config.currency_symbol,
        config.currency_name,
        config.money(config.daily_amount),
        duration(config.daily_cooldown_secs),
        config.money(config.work_min),
        config.money(config.work_max),
        duration(config.work_cooldown_secs),
        config.xp_per_message,
        duration(config.xp_cooldown_secs),
        if roles.is_empty() { "none".to_owned() } else { roles.join(", ") }
    )
}

fn currency(
    Currency { name, symbol }: Currency,
    config: &mut GuildConfig,
) -> Result<String, String> {
    let name = name
        .given()
        .ok_or("Give the currency's name: `name:gems`.")?;
    if name.chars().count() > 32 || name.contains(['`', '@', '\n']) {
        return Err("The name must be at most 32 characters, without ` or @.".to_owned());
    }
    if let Some(symbol) = symbol.and_then(Text::given) {
        if symbol.chars().count() > 32 || symbol.contains(['`', '@', '\n']) {
            return Err("The symbol must be at most 32 characters (an emoji works).".to_owned());
        }
        config.currency_symbol = symbol;
    }
    config.currency_name = name;
    Ok(format!(
        "The currency is now {} {}.",
        config.currency_symbol, config.currency_name
    ))
}

fn daily(options: DailyReward, config: &mut GuildConfig) -> Result<String, String> {
    let amount = options
        .amount
        .value()
        .ok_or("Give the daily amount: `amount:100`.")?;
    if let Some(Whole(hours)) = options.cooldown_hours {
        config.daily_cooldown_secs = hours.unsigned_abs() * 3600;
    }
    config.daily_amount = amount;
    Ok(format!(
        "`daily` now gives {} every {}.",
        config.money(amount),
        duration(config.daily_cooldown_secs)
    ))
}

fn work(options: WorkReward, config: &mut GuildConfig) -> Result<String, String> {
    let (Some(min), Some(max)) = (options.min.value(), options.max.value()) else {
        return Err("Give `min` and `max`.".to_owned());
    };
    if min > max {
        return Err("`min` must not be above `max`.".to_owned());
    }
    if let Some(Whole(minutes)) = options.cooldown_minutes {
        config.work_cooldown_secs = minutes.unsigned_abs() * 60;
    }
    (config.work_min, config.work_max) = (min, max);
    Ok(format!(
        "`work` now pays {} to {} every {}.",
        config.money(min),
        config.money(max),
        duration(config.work_cooldown_secs)
    ))
}

fn xp(options: XpRate, config: &mut GuildConfig) -> Result<String, String> {
    let amount = options
        .amount
        .value()
        .ok_or("Give the XP per message: `amount:15` (0 turns XP off).")?;
    if let Some(Whole(seconds)) = options.cooldown_seconds {
        config.xp_cooldown_secs = seconds.unsigned_abs();
    }
    config.xp_per_message = amount.unsigned_abs();
    Ok(if amount == 0 {
        "Messages no longer earn XP.".to_owned()
    } else {
        format!(
            "Messages now earn {amount} XP, at most every {}.",
            duration(config.xp_cooldown_secs)
        )
    })
}

fn level_role(
    call: &Call<'_>,
    options: LevelRole,
    config: &mut GuildConfig,
) -> Result<String, String> {
    let level = options
        .level
        .value()
        .ok_or("Give a level: `level:5 role:@Regular`.")?;
    let level = u32::try_from(level).map_err(|_| "That level is out of range.".to_owned())?;
    match options.role {
        None => Ok(match config.level_roles.remove(&level) {
            Some(role) => format!("Level {level} no longer gives <@&{role}>."),
            None => format!("Level {level} gave no role."),
        }),
        Some(role) if is_everyone(call, role) => {
            Err("Everyone already has @everyone; pick another role.".to_owned())
        }
        Some(role) => {
            if !config.level_roles.contains_key(&level)
                && config.level_roles.len() >= MAX_LEVEL_ROLES
            {
                return Err(format!("At most {MAX_LEVEL_ROLES} level roles."));
            }
            config.level_roles.insert(level, role);
            Ok(format!(
                "Reaching level {level} now gives <@&{role}> (my role must be above it)."
            ))
        }
    }
}

/// Whether `role` is the guild's @everyone (its id is the guild's).
pub fn is_everyone(call: &Call<'_>, role: Id<RoleMarker>) -> bool {
    role.get() == call.guild.get()
}
