//! What other modules may ask economy, through the host (`ctx.modules().ask`):
//!
//! - `member.stats` `{ "user_id": "<id>" }` → `{ "balance": i64, "bank": i64, "level": u32,
//!   "xp": u64 }`: that member's wallet, bank, level and XP in the server the host names for the
//!   request (never the payload's), all zeros for a member who never used economy. Read only.
//!   Giveaways asks it for level requirements, profiles to show a member's card.

use arsenal_plugin_api::{
    model::id::{marker::UserMarker, Id},
    protocol::ModuleRequest,
    Context, Error, Result,
};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::{
    levels::level_for,
    model::{keys, Account},
};

/// The methods economy answers (declared in its manifest).
pub const METHODS: &[&str] = &[MEMBER_STATS];
/// A member's balance, bank, level and XP.
pub const MEMBER_STATS: &str = "member.stats";

#[derive(Debug, Deserialize)]
struct StatsRequest {
    user_id: Id<UserMarker>,
}

/// Answers `request`.
///
/// # Errors
///
/// An invalid request (no server, unreadable payload, unknown method), or a store failure.
pub fn answer(ctx: &Context, request: &ModuleRequest) -> Result<Value> {
    match request.method.as_str() {
        MEMBER_STATS => member_stats(ctx, request),
        other => Err(Error::invalid(format!(
            "economy answers no `{other}` (it answers {METHODS:?})"
        ))),
    }
}

fn member_stats(ctx: &Context, request: &ModuleRequest) -> Result<Value> {
    let Some(guild) = request.guild_id else {
        return Err(Error::invalid(
            "`member.stats` is about a server: ask during a member's call or with `ask_in(guild, …)`",
        ));
    };
    let body: StatsRequest = request.parse()?;
    let account = ctx
        .store()
        .get::<Account>(&keys::account(guild, body.user_id))?
        .unwrap_or_default();
    Ok(json!({
        "balance": account.wallet,
        "bank": account.bank,
        // From the XP, as `/economy rank` shows it (the stored level lags an XP change by admins).
        "level": level_for(account.xp),
        "xp": account.xp,
    }))
}
