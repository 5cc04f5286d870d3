//! A member joining voice the way their Discord client would: Discord refuses a channel they
//! cannot see or connect to, and a full one (its `user_limit` reached) unless they may move
//! members. `join_voice` (in the parent module) joins unchecked.

use twilight_model::{
    guild::Permissions,
    id::{
        marker::{ChannelMarker, GuildMarker, UserMarker},
        Id,
    },
};

use super::{err, ScriptError};
use crate::{world::channel_kind, Simulator};

impl Simulator {
    /// `as_user` tries to connect to voice channel `channel` (VOICE_STATE_UPDATE when allowed).
    ///
    /// # Errors
    ///
    /// Not a voice channel; the member lacks View Channel or Connect there; the channel is full.
    pub async fn try_join_voice(
        &self,
        as_user: Id<UserMarker>,
        channel: Id<ChannelMarker>,
    ) -> Result<(), ScriptError> {
        self.shared.with_world(|w| {
            let c = w
                .channel(channel.get())
                .map_err(|e| ScriptError(e.to_string()))?;
            let (Some(guild), channel_kind::GUILD_VOICE) = (c.guild_id, c.kind) else {
                return err(format!("channel {channel} is not a voice channel"));
            };
            let limit = c.user_limit;
            let allowed = Permissions::from_bits_truncate(
                w.channel_permissions(channel.get(), as_user.get()),
            );
            if !allowed.contains(Permissions::VIEW_CHANNEL | Permissions::CONNECT) {
                return err(format!("{as_user} may not connect to {channel}"));
            }
            let inside = w
                .guild(guild)
                .map_err(|e| ScriptError(e.to_string()))?
                .voice
                .values()
                .filter(|v| v.channel_id == channel.get())
                .count();
            let full = limit > 0 && inside >= limit as usize;
            if full && !allowed.contains(Permissions::MOVE_MEMBERS) {
                return err(format!("{channel} is full ({limit} members)"));
            }
            w.voice_update(guild, as_user.get(), Some(channel.get()))
                .map_err(|e| ScriptError(e.to_string()))
        })
    }

    /// `as_user` leaves whatever voice channel of `guild` they are in (VOICE_STATE_UPDATE with
    /// no channel).
    ///
    /// # Errors
    ///
    /// No such guild, or the user is not a member.
    pub fn try_leave_voice(
        &self,
        as_user: Id<UserMarker>,
        guild: Id<GuildMarker>,
    ) -> Result<(), ScriptError> {
        self.shared.with_world(|w| {
            w.voice_update(guild.get(), as_user.get(), None)
                .map_err(|e| ScriptError(e.to_string()))
        })
    }
}
