//! `/economy config …`: per-guild settings (currency, rewards, XP, level roles). Changing them
//! needs Manage Server; `show` is for everyone.

use arsenal_plugin_api::{protocol::ArgValue, Response, Result};

use crate::{
    call::{refuse, Call},
    model::{duration, keys, GuildConfig, MAX_AMOUNT},
};

const MAX_LEVEL_ROLES: usize = 25;
const MAX_COOLDOWN_HOURS: i64 = 24 * 30;

/// Routes `/economy config <sub>`.
pub fn command(call: &Call<'_>, sub: &str) -> Result<Response> {
    if sub == "show" {
        return Ok(Response::ephemeral(show(&call.config)));
    }
    if let Err(refusal) = call.require_admin() {
        return refuse(refusal);
    }
    let mut config = call.config.clone();
    let changed = match sub {
        "currency" => currency(call, &mut config),
        "daily" => daily(call, &mut config),
        "work" => work(call, &mut config),
        "xp" => xp(call, &mut config),
        "levelrole" => level_role(call, &mut config),
        _ => Err(
            "Use `/economy config show`, `currency`, `daily`, `work`, `xp` or `levelrole`."
                .to_owned(),
        ),
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

fn currency(call: &Call<'_>, config: &mut GuildConfig) -> Result<String, String> {
    let name = call
        .text("name")
        .ok_or("Give the currency's name: `name:gems`.")?;
    if name.chars().count() > 32 || name.contains(['`', '@', '\n']) {
        return Err("The name must be at most 32 characters, without ` or @.".to_owned());
    }
    if let Some(symbol) = call.text("symbol") {
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

fn daily(call: &Call<'_>, config: &mut GuildConfig) -> Result<String, String> {
    let amount = call
        .number("amount", 0..=MAX_AMOUNT)?
        .ok_or("Give the daily amount: `amount:100`.")?;
    if let Some(hours) = call.number("cooldown_hours", 1..=MAX_COOLDOWN_HOURS)? {
        config.daily_cooldown_secs = hours.unsigned_abs() * 3600;
    }
    config.daily_amount = amount;
    Ok(format!(
        "`daily` now gives {} every {}.",
        config.money(amount),
        duration(config.daily_cooldown_secs)
    ))
}

fn work(call: &Call<'_>, config: &mut GuildConfig) -> Result<String, String> {
    let min = call
        .number("min", 0..=MAX_AMOUNT)?
        .ok_or("Give `min` and `max`.")?;
    let max = call
        .number("max", 0..=MAX_AMOUNT)?
        .ok_or("Give `min` and `max`.")?;
    if min > max {
        return Err("`min` must not be above `max`.".to_owned());
    }
    if let Some(minutes) = call.number("cooldown_minutes", 1..=MAX_COOLDOWN_HOURS * 60)? {
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

fn xp(call: &Call<'_>, config: &mut GuildConfig) -> Result<String, String> {
    let amount = call
        .number("amount", 0..=1000)?
        .ok_or("Give the XP per message: `amount:15` (0 turns XP off).")?;
    if let Some(seconds) = call.number("cooldown_seconds", 0..=86_400)? {
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

fn level_role(call: &Call<'_>, config: &mut GuildConfig) -> Result<String, String> {
    let level = call
        .number("level", 1..=1000)?
        .ok_or("Give a level: `level:5 role:@Regular`.")?;
    let level = u32::try_from(level).map_err(|_| "That level is out of range.".to_owned())?;
    match call.command.arg("role") {
        None => Ok(match config.level_roles.remove(&level) {
            Some(role) => format!("Level {level} no longer gives <@&{role}>."),
            None => format!("Level {level} gave no role."),
        }),
        Some(ArgValue::Role(role)) if role.get() == call.guild.get() => {
            Err("Everyone already has @everyone; pick another role.".to_owned())
        }
        Some(ArgValue::Role(role)) => {
            if !config.level_roles.contains_key(&level)
                && config.level_roles.len() >= MAX_LEVEL_ROLES
            {
                return Err(format!("At most {MAX_LEVEL_ROLES} level roles."));
            }
            config.level_roles.insert(level, *role);
            Ok(format!(
                "Reaching level {level} now gives <@&{role}> (my role must be above it)."
            ))
        }
        Some(_) => Err("`role` must be a role.".to_owned()),
    }
}
