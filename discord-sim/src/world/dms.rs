//! Users who closed their direct messages: Discord still opens the DM channel
//! (`POST /users/@me/channels`) but refuses the message with 50007 "Cannot send messages to this
//! user", as it does for a member who turned off DMs from server members or blocked the bot.

use twilight_model::id::{marker::UserMarker, Id};

use super::World;

impl World {
    /// Makes `user` refuse the bot's direct messages (50007), until [`World::open_dms`].
    pub fn close_dms(&mut self, user: Id<UserMarker>) {
        self.closed_dms.insert(user.get());
    }

    /// Lets `user` receive the bot's direct messages again.
    pub fn open_dms(&mut self, user: Id<UserMarker>) {
        self.closed_dms.remove(&user.get());
    }

    /// Whether `user` refuses direct messages.
    pub(crate) fn refuses_dms(&self, user: u64) -> bool {
        self.closed_dms.contains(&user)
    }
}
