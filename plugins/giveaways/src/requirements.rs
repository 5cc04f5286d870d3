//! Whether a member may enter, and with how many tickets. The role and the bonus roles come
//! with the press itself (`invoker.roles`), the account's age from the member's id; the level
//! is asked of the economy module through the host (`member.stats`). When economy cannot
//! answer, the member is told the requirement cannot be checked now: never admitted unchecked.

use arsenal_plugin_api::{prelude::*, protocol::Invoker};
use serde::Deserialize;

use crate::model::{account_created_ms, Giveaway};

/// The economy module and what it answers.
pub const ECONOMY: &str = "economy";
pub const MEMBER_STATS: &str = "member.stats";

#[derive(Debug, Deserialize)]
struct Stats {
    level: u32,
}

/// `user`'s economy level in the server of the call being handled.
fn level(ctx: &Context, user: Id<UserMarker>) -> Result<u32> {
    let stats: Stats = ctx.modules().ask(
        ECONOMY,
        MEMBER_STATS,
        &json!({ "user_id": user.to_string() }),
    )?;
    Ok(stats.level)
}

/// Why economy could not answer, for a member or an administrator.
fn unavailable(tr: &Tr, error: &Error) -> String {
    match error.module_failure() {
        Some(ModuleFailure::NotLoaded | ModuleFailure::UnknownMethod) => {
            tr.t("giveaway-economy-not-loaded")
        }
        _ => tr!(tr, "giveaway-economy-failed", reason = error.message()),
    }
}

/// Refuses a level requirement when economy does not answer (at start).
///
/// # Errors
///
/// A refusal saying why.
pub fn economy_available(ctx: &Context, tr: &Tr, user: Id<UserMarker>) -> Result<()> {
    level(ctx, user).map(drop).map_err(|e| {
        Error::refused(tr!(
            tr,
            "giveaway-level-needs-economy",
            why = unavailable(tr, &e)
        ))
    })
}

/// Checks `invoker` against the giveaway's requirements and returns their weight.
///
/// # Errors
///
/// A refusal naming the requirement not met, or the one that cannot be checked now.
pub fn weight(ctx: &Context, tr: &Tr, giveaway: &Giveaway, invoker: &Invoker) -> Result<u32> {
    let needs = &giveaway.requirements;
    if let Some(role) = needs.role {
        if !invoker.roles.contains(&role) {
            return Err(Error::refused(tr!(
                tr,
                "giveaway-needs-role",
                role = format!("<@&{role}>")
            )));
        }
    }
    if let Some(secs) = needs.min_account_age_secs {
        let age_ms = ctx
            .now()
            .saturating_sub(account_created_ms(invoker.user_id));
        if age_ms < secs.saturating_mul(1000) {
            return Err(Error::refused(tr!(
                tr,
                "giveaway-needs-age",
                days = secs.div_ceil(86_400)
            )));
        }
    }
    if let Some(min) = needs.min_level {
        let level = level(ctx, invoker.user_id).map_err(|e| {
            Error::refused(tr!(
                tr,
                "giveaway-level-unchecked",
                why = unavailable(tr, &e)
            ))
        })?;
        if level < min {
            return Err(Error::refused(tr!(
                tr,
                "giveaway-needs-level",
                level = min,
                yours = level
            )));
        }
    }
    let extra: u32 = giveaway
        .bonus
        .iter()
        .filter(|bonus| invoker.roles.contains(&bonus.role))
        .map(|bonus| bonus.extra)
        .sum();
    Ok(1 + extra)
}
