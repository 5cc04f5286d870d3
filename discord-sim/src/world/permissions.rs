//! Discord's permission arithmetic: base permissions from roles, channel overwrites, timeouts,
//! and the role hierarchy that decides who may act on whom.

use super::{GuildRecord, World};
use crate::ApiError;
use twilight_model::guild::Permissions;

/// What @everyone gets in a fresh guild (view, send, history, reactions, connect, speak, ...).
pub(crate) const DEFAULT_EVERYONE: u64 = Permissions::VIEW_CHANNEL.bits()
    | Permissions::SEND_MESSAGES.bits()
    | Permissions::SEND_MESSAGES_IN_THREADS.bits()
    | Permissions::CREATE_PUBLIC_THREADS.bits()
    | Permissions::READ_MESSAGE_HISTORY.bits()
    | Permissions::ADD_REACTIONS.bits()
    | Permissions::EMBED_LINKS.bits()
    | Permissions::ATTACH_FILES.bits()
    | Permissions::USE_EXTERNAL_EMOJIS.bits()
    | Permissions::CONNECT.bits()
    | Permissions::SPEAK.bits()
    | Permissions::USE_VAD.bits()
    | Permissions::CHANGE_NICKNAME.bits()
    | Permissions::USE_SLASH_COMMANDS.bits();

const ALL: u64 = u64::MAX >> 1;

/// What a timed-out member keeps (Discord strips everything else).
const TIMED_OUT_KEEPS: u64 =
    Permissions::VIEW_CHANNEL.bits() | Permissions::READ_MESSAGE_HISTORY.bits();

impl World {
    /// Guild-level permissions of `user` (owner and ADMINISTRATOR get everything).
    pub(crate) fn guild_permissions(&self, guild: &GuildRecord, user: u64) -> u64 {
        if guild.owner_id == user {
            return ALL;
        }
        let Some(member) = guild.members.get(&user) else {
            return 0;
        };
        let mut perms = guild.roles.get(&guild.id).map_or(0, |r| r.permissions);
        for role in &member.roles {
            if let Some(r) = guild.roles.get(role) {
                perms |= r.permissions;
            }
        }
        if perms & Permissions::ADMINISTRATOR.bits() != 0 {
            return ALL;
        }
        if member
            .timeout_until_ms
            .is_some_and(|until| until > crate::clock::now_ms())
        {
            perms &= TIMED_OUT_KEEPS;
        }
        perms
    }

    /// Permissions of `user` in `channel` (threads inherit their parent's overwrites; DMs allow
    /// the basics).
    pub(crate) fn channel_permissions(&self, channel: u64, user: u64) -> u64 {
        let Some(mut chan) = self.channels.get(&channel) else {
            return 0;
        };
        let Some(guild_id) = chan.guild_id else {
            return DEFAULT_EVERYONE;
        };
        if super::channel_kind::is_thread(chan.kind) {
            if let Some(parent) = chan.parent_id.and_then(|p| self.channels.get(&p)) {
                chan = parent;
            }
        }
        let Some(guild) = self.guilds.get(&guild_id) else {
            return 0;
        };
        let base = self.guild_permissions(guild, user);
        if base == ALL {
            return ALL;
        }
        let Some(member) = guild.members.get(&user) else {
            return 0;
        };
        let mut perms = base;
        if let Some(o) = chan
            .overwrites
            .iter()
            .find(|o| o.kind == 0 && o.id == guild_id)
        {
            perms = (perms & !o.deny) | o.allow;
        }
        let (mut allow, mut deny) = (0, 0);
        for o in chan
            .overwrites
            .iter()
            .filter(|o| o.kind == 0 && member.roles.contains(&o.id))
        {
            allow |= o.allow;
            deny |= o.deny;
        }
        perms = (perms & !deny) | allow;
        if let Some(o) = chan.overwrites.iter().find(|o| o.kind == 1 && o.id == user) {
            perms = (perms & !o.deny) | o.allow;
        }
        perms
    }

    /// Fails with 50013 unless `user` has all of `needed` in `channel`.
    pub(crate) fn require_channel(
        &self,
        channel: u64,
        user: u64,
        needed: Permissions,
    ) -> Result<(), ApiError> {
        let perms = self.channel_permissions(channel, user);
        if perms & Permissions::VIEW_CHANNEL.bits() == 0 {
            return Err(ApiError::missing_access());
        }
        if perms & needed.bits() != needed.bits() {
            return Err(ApiError::missing_permissions());
        }
        Ok(())
    }

    /// Fails with 50013 unless `user` has all of `needed` guild-wide.
    pub(crate) fn require_guild(
        &self,
        guild: u64,
        user: u64,
        needed: Permissions,
    ) -> Result<(), ApiError> {
        let g = self.guild(guild)?;
        if self.guild_permissions(g, user) & needed.bits() != needed.bits() {
            return Err(ApiError::missing_permissions());
        }
        Ok(())
    }

    /// Position of the member's highest role (@everyone is 0; the owner is above everyone).
    pub(crate) fn highest_position(&self, guild: &GuildRecord, user: u64) -> i64 {
        if guild.owner_id == user {
            return i64::MAX;
        }
        guild.members.get(&user).map_or(0, |m| {
            m.roles
                .iter()
                .filter_map(|r| guild.roles.get(r))
                .map(|r| r.position)
                .max()
                .unwrap_or(0)
        })
    }

    /// Discord's hierarchy rule: `actor` may only act on members strictly below its highest role,
    /// never on the owner.
    pub(crate) fn require_above_member(
        &self,
        guild: u64,
        actor: u64,
        target: u64,
    ) -> Result<(), ApiError> {
        let g = self.guild(guild)?;
        if g.owner_id == target
            || self.highest_position(g, actor) <= self.highest_position(g, target)
        {
            return Err(ApiError::missing_permissions());
        }
        Ok(())
    }

    /// `actor` may only manage roles strictly below its highest role.
    pub(crate) fn require_above_role(
        &self,
        guild: u64,
        actor: u64,
        role: u64,
    ) -> Result<(), ApiError> {
        let g = self.guild(guild)?;
        let r = g.roles.get(&role).ok_or_else(ApiError::unknown_role)?;
        if self.highest_position(g, actor) <= r.position {
            return Err(ApiError::missing_permissions());
        }
        Ok(())
    }
}
