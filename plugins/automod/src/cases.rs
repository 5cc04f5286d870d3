//! Recording automod's sanctions as moderation cases, through the host's request bus.
//! WORK IN PROGRESS: the bus lands on main at about 08:40; until then nothing is recorded.

use arsenal_plugin_api::prelude::*;

use crate::{config::Sanction, enforce::Offence};

/// Records `sanction` as a case; `Ok(None)` when no case was recorded.
///
/// # Errors
///
/// The moderation module refused the case.
pub fn record(
    _ctx: &Context,
    _offence: Offence,
    _sanction: Sanction,
    _reason: &str,
    _duration_secs: Option<u64>,
) -> Result<Option<u64>> {
    Ok(None)
}
