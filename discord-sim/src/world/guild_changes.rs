//! Guild changes other than messages — members, roles, channels, voice, DM channels — and the
//! events Discord dispatches for them.

use super::{channel_kind, intent, ChannelRecord, MemberRecord, World};
use crate::ApiError;
use serde_json::json;
use twilight_model::id::{
    marker::{ChannelMarker, UserMarker},
    Id,
};

impl World {
    /// Adds a member and dispatches GUILD_MEMBER_ADD.
    pub(crate) fn member_join(&mut self, guild: u64, member: MemberRecord) -> Result<(), ApiError> {
        let g = self.guild_mut(guild)?;
        let user = member.user_id;
        g.members.insert(user, member);
        self.member_event(guild, user, "GUILD_MEMBER_ADD");
        Ok(())
    }

    /// Removes a member (kick, ban, leave) and dispatches GUILD_MEMBER_REMOVE.
    pub(crate) fn member_leave(&mut self, guild: u64, user: u64) -> Result<(), ApiError> {
        let g = self.guild_mut(guild)?;
        g.members
            .remove(&user)
            .ok_or_else(ApiError::unknown_member)?;
        let had_voice = g.voice.remove(&user).is_some();
        if had_voice {
            let g = self.guild(guild)?;
            let data = self.voice_state_json(g, user, None, false);
            self.emit(
                Some(guild),
                "VOICE_STATE_UPDATE",
                data,
                intent::GUILD_VOICE_STATES,
            );
        }
        let data = json!({ "guild_id": guild.to_string(), "user": self.user_json(user) });
        self.emit(
            Some(guild),
            "GUILD_MEMBER_REMOVE",
            data,
            intent::GUILD_MEMBERS,
        );
        Ok(())
    }

    /// Changes a member through `change` and dispatches GUILD_MEMBER_UPDATE.
    pub(crate) fn update_member(
        &mut self,
        guild: u64,
        user: u64,
        change: impl FnOnce(&mut MemberRecord),
    ) -> Result<(), ApiError> {
        let g = self.guild_mut(guild)?;
        let m = g
            .members
            .get_mut(&user)
            .ok_or_else(ApiError::unknown_member)?;
        change(m);
        self.member_event(guild, user, "GUILD_MEMBER_UPDATE");
        Ok(())
    }

    fn member_event(&mut self, guild: u64, user: u64, name: &'static str) {
        let Some(m) = self.guilds.get(&guild).and_then(|g| g.members.get(&user)) else {
            return;
        };
        let mut data = self.member_json(m, true);
        data["guild_id"] = json!(guild.to_string());
        self.emit(Some(guild), name, data, intent::GUILD_MEMBERS);
    }

    pub(crate) fn role_event(&mut self, guild: u64, role: u64, name: &'static str) {
        let data = match self.guilds.get(&guild).and_then(|g| g.roles.get(&role)) {
            Some(r) if name != "GUILD_ROLE_DELETE" => {
                json!({ "guild_id": guild.to_string(), "role": super::json::role(r) })
            }
            _ => json!({ "guild_id": guild.to_string(), "role_id": role.to_string() }),
        };
        self.emit(Some(guild), name, data, intent::GUILDS);
    }

    /// Dispatches CHANNEL_/THREAD_ CREATE/UPDATE/DELETE for `c` (already stored or removed).
    pub(crate) fn channel_event(&mut self, c: &ChannelRecord, action: &str) {
        let thread = channel_kind::is_thread(c.kind);
        let name = match (thread, action) {
            (false, "create") => "CHANNEL_CREATE",
            (false, "update") => "CHANNEL_UPDATE",
            (false, _) => "CHANNEL_DELETE",
            (true, "create") => "THREAD_CREATE",
            (true, "update") => "THREAD_UPDATE",
            (true, _) => "THREAD_DELETE",
        };
        let mut data = self.channel_json(c);
        if thread && action == "create" {
            data["newly_created"] = json!(true);
        }
        if thread && action == "delete" {
            data = json!({
                "id": c.id.to_string(),
                "guild_id": c.guild_id.map(|g| g.to_string()),
                "parent_id": c.parent_id.map(|p| p.to_string()),
                "type": c.kind,
            });
        }
        // DM channel creation is not dispatched to bots.
        if c.guild_id.is_some() {
            self.emit(c.guild_id, name, data, intent::GUILDS);
        }
    }

    pub(crate) fn voice_update(
        &mut self,
        guild: u64,
        user: u64,
        channel: Option<u64>,
    ) -> Result<(), ApiError> {
        let g = self.guild_mut(guild)?;
        match channel {
            Some(channel_id) => {
                g.voice.insert(
                    user,
                    super::VoiceRecord {
                        channel_id,
                        session_id: format!("sim-voice-{user}-{channel_id}"),
                    },
                );
            }
            None => {
                g.voice.remove(&user);
            }
        }
        let g = self.guild(guild)?;
        let data = self.voice_state_json(g, user, g.voice.get(&user), true);
        self.emit(
            Some(guild),
            "VOICE_STATE_UPDATE",
            data,
            intent::GUILD_VOICE_STATES,
        );
        Ok(())
    }

    /// The DM channel between the bot and `user` (created on first use), as a test opens it;
    /// `None` for an unknown user.
    pub fn open_dm(&mut self, user: Id<UserMarker>) -> Option<Id<ChannelMarker>> {
        self.dm_channel(user.get()).ok().map(Id::new)
    }

    /// The DM channel between the bot and `user`, created on first use.
    pub(crate) fn dm_channel(&mut self, user: u64) -> Result<u64, ApiError> {
        self.user(user)?;
        if let Some(id) = self.dm_channels.get(&user) {
            return Ok(*id);
        }
        let id = self.next_id();
        let mut c = ChannelRecord::new(id, None, channel_kind::DM, None);
        c.recipients = vec![user];
        self.channels.insert(id, c);
        self.dm_channels.insert(user, id);
        Ok(id)
    }
}
