//! What other modules may ask moderation, through the host (`ctx.modules().ask`):
//!
//! - `case.record` `{ user_id, kind: "warn" | "timeout" | "kick" | "ban", reason?, duration_secs? }`
//!   → `{ number }`: records a sanction another module already applied (automod's escalation)
//!   as an automatic case, by the bot, numbered and posted to the mod-log like moderation's own.
//!   No warning points are added (thresholds stay moderation's business) and the member is not
//!   messaged again. The server is the one the host names for the request, never the payload's.

use arsenal_plugin_api::{
    model::id::{marker::UserMarker, Id},
    protocol::ModuleRequest,
    Context, Error, Result,
};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::{
    cases::{self, NewCase},
    model::{self, CaseKind},
    spec::MAX_REASON,
};

/// The methods moderation answers (declared in its manifest).
pub const METHODS: &[&str] = &[CASE_RECORD];
/// Records a case.
pub const CASE_RECORD: &str = "case.record";

#[derive(Debug, Deserialize)]
struct RecordCase {
    user_id: Id<UserMarker>,
    kind: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    duration_secs: Option<u64>,
}

/// Answers `request`.
///
/// # Errors
///
/// An invalid request (no server, unknown kind, unreadable payload), or a store failure.
pub fn answer(ctx: &Context, bot: Id<UserMarker>, request: &ModuleRequest) -> Result<Value> {
    match request.method.as_str() {
        CASE_RECORD => record(ctx, bot, request),
        other => Err(Error::invalid(format!(
            "moderation answers no `{other}` (it answers {METHODS:?})"
        ))),
    }
}

fn record(ctx: &Context, bot: Id<UserMarker>, request: &ModuleRequest) -> Result<Value> {
    let Some(guild) = request.guild_id else {
        return Err(Error::invalid(
            "`case.record` is about a server: ask with `ask_in(guild, …)`",
        ));
    };
    let body: RecordCase = request.parse()?;
    let kind = match body.kind.as_str() {
        "warn" => CaseKind::Warn,
        "timeout" | "mute" => CaseKind::Mute,
        "kick" => CaseKind::Kick,
        "ban" => CaseKind::Ban,
        other => {
            return Err(Error::invalid(format!(
                "`case.record`: no case kind `{other}` (warn, timeout, kick, ban)"
            )))
        }
    };
    let reason = body
        .reason
        .map(|r| r.chars().take(MAX_REASON).collect::<String>());
    let new = NewCase::new(kind, body.user_id, bot)
        .reason(reason)
        .duration(body.duration_secs)
        .automatic();
    let case = cases::open(ctx, guild, &new, ctx.now(), |_, _| {})?;
    let config = model::config(&ctx.store(), guild)?;
    // A mod-log that cannot be posted to does not undo the case (as for moderation's own).
    let _ = cases::log(ctx, guild, ctx.tr_guild(guild), &config, &case, None);
    Ok(json!({ "number": case.number }))
}
