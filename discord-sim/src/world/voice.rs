//! Voice-channel rules the voice hub relies on: Discord's limit of two name changes per channel
//! every ten minutes (a third is answered 429, like Discord's per-channel rename sub-limit), and
//! a test-facing way to change what a role may do (giving the bot Move Members).

use super::World;
use crate::ApiError;
use twilight_model::id::{
    marker::{GuildMarker, RoleMarker},
    Id,
};

/// Name changes Discord allows per channel within [`RENAME_WINDOW_MS`].
pub const RENAMES_PER_WINDOW: usize = 2;
/// The rename window: ten minutes.
pub const RENAME_WINDOW_MS: u64 = 10 * 60 * 1000;

impl World {
    /// Records a name change of `channel` at `now_ms`, or refuses it with 429 when the channel
    /// was already renamed [`RENAMES_PER_WINDOW`] times in the last ten minutes.
    pub(crate) fn note_rename(&mut self, channel: u64, now_ms: u64) -> Result<(), ApiError> {
        let log = self.renames.entry(channel).or_default();
        log.retain(|at| now_ms.saturating_sub(*at) < RENAME_WINDOW_MS);
        if log.len() >= RENAMES_PER_WINDOW {
            return Err(ApiError::new(429, 0, "You are being rate limited."));
        }
        log.push(now_ms);
        Ok(())
    }

    /// Replaces what `role` may do in `guild` (a test setting up the bot's permissions). No
    /// event is sent.
    pub fn set_role_permissions(
        &mut self,
        guild: Id<GuildMarker>,
        role: Id<RoleMarker>,
        permissions: u64,
    ) {
        if let Some(r) = self
            .guilds
            .get_mut(&guild.get())
            .and_then(|g| g.roles.get_mut(&role.get()))
        {
            r.permissions = permissions;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_third_rename_within_ten_minutes_is_rate_limited() {
        let mut w = World::new("a", "b", "c");
        assert!(w.note_rename(7, 1_000).is_ok());
        assert!(w.note_rename(7, 2_000).is_ok());
        let refused = w.note_rename(7, 3_000).unwrap_err();
        assert_eq!(refused.status, 429);
        // Another channel has its own allowance.
        assert!(w.note_rename(8, 3_000).is_ok());
        // Ten minutes after the first, one more is allowed.
        assert!(w.note_rename(7, 1_000 + RENAME_WINDOW_MS).is_ok());
        assert!(w.note_rename(7, 1_500 + RENAME_WINDOW_MS).is_err());
    }
}
