//! Membership screening: a server that makes newcomers accept its rules first. Discord sends
//! GUILD_MEMBER_ADD with `pending: true`, then GUILD_MEMBER_UPDATE with `pending: false` once
//! the member accepted them.

use twilight_model::id::{
    marker::{GuildMarker, UserMarker},
    Id,
};

use super::{err, or_panic, ScriptError};
use crate::{world::new_member, Simulator};

impl Simulator {
    /// A new user `name` joins `guild`, which screens its members: GUILD_MEMBER_ADD with
    /// `pending: true`. Returns their id.
    pub async fn member_join_screened(&self, guild: Id<GuildMarker>, name: &str) -> Id<UserMarker> {
        or_panic(self.shared.with_world(|w| {
            let id = w.next_id();
            w.users.insert(
                id,
                crate::world::UserRecord {
                    id,
                    username: name.to_owned(),
                    global_name: Some(name.to_owned()),
                    bot: false,
                },
            );
            let mut member = new_member(id);
            member.pending = true;
            w.member_join(guild.get(), member)
                .map_err(|e| ScriptError(e.to_string()))?;
            Ok(Id::new(id))
        }))
    }

    /// `user` accepts `guild`'s rules: GUILD_MEMBER_UPDATE with `pending: false`.
    ///
    /// # Panics
    ///
    /// If `user` is not a member, or already passed the screening.
    pub async fn accept_rules(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) {
        or_panic(self.shared.with_world(|w| {
            let pending = w
                .guild(guild.get())
                .map_err(|e| ScriptError(e.to_string()))?
                .members
                .get(&user.get())
                .is_some_and(|m| m.pending);
            if !pending {
                return err(format!("{user} has no pending screening in {guild}"));
            }
            w.update_member(guild.get(), user.get(), |m| m.pending = false)
                .map_err(|e| ScriptError(e.to_string()))
        }));
    }
}
