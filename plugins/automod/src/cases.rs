//! Recording automod's sanctions as moderation cases. Modules never read each other's data:
//! automod asks the moderation module, through the host (`ctx.modules().ask_in`), to record
//! the case (`case.record`, answered by `plugins/moderation/src/requests.rs`), in the server
//! of the violation. Without moderation loaded, no case is recorded and that is no error.

use arsenal_plugin_api::{prelude::*, protocol::ModuleFailure};
use serde::{Deserialize, Serialize};

use crate::{config::Sanction, enforce::Offence};

/// The moderation module's request.
#[derive(Debug, Serialize)]
struct RecordCase<'a> {
    user_id: Id<UserMarker>,
    kind: &'static str,
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_secs: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct Recorded {
    number: u64,
}

/// Records `sanction` as a moderation case; `Ok(None)` when it is no case (a deletion) or
/// moderation is not loaded.
///
/// # Errors
///
/// Moderation failed or refused to record it.
pub fn record(
    ctx: &Context,
    offence: Offence,
    sanction: Sanction,
    reason: &str,
    duration_secs: Option<u64>,
) -> Result<Option<u64>> {
    let kind = match sanction {
        Sanction::Warn => "warn",
        Sanction::Timeout => "timeout",
        Sanction::Kick => "kick",
        Sanction::Ban => "ban",
        Sanction::Delete | Sanction::Remove => return Ok(None),
    };
    let request = RecordCase {
        user_id: offence.user,
        kind,
        reason,
        duration_secs,
    };
    match ctx
        .modules()
        .ask_in::<_, Recorded>(offence.guild, "moderation", "case.record", &request)
    {
        Ok(recorded) => Ok(Some(recorded.number)),
        Err(e) if e.module_failure() == Some(ModuleFailure::NotLoaded) => Ok(None),
        Err(e) => Err(e),
    }
}
