//! The typed read API tests use: world records as twilight-model types.
//!
//! Each accessor goes through the same JSON the REST API returns, so a shape twilight cannot
//! read fails here too (an internal bug, reported with the offending JSON).

use super::{commands::command_json, World};
use serde::de::DeserializeOwned;
use serde_json::Value;
use twilight_model::{
    application::command::Command,
    channel::{Channel, Message},
    guild::{Member, Role},
    id::{
        marker::{ChannelMarker, GuildMarker, MessageMarker, RoleMarker, UserMarker},
        Id,
    },
    user::User,
};

fn typed<T: DeserializeOwned>(what: &str, value: Value) -> T {
    match serde_json::from_value(value.clone()) {
        Ok(v) => v,
        Err(e) => panic!("discord-sim bug: its {what} JSON does not deserialize into twilight-model ({e}): {value}"),
    }
}

impl World {
    /// Messages in a channel, oldest first (ephemeral interaction responses excluded).
    pub fn messages(&self, channel: Id<ChannelMarker>) -> Vec<Message> {
        self.messages
            .get(&channel.get())
            .into_iter()
            .flat_map(|m| m.values())
            .filter(|m| !m.ephemeral)
            .map(|m| typed("message", self.message_json(m)))
            .collect()
    }

    /// Any message by id, including ephemeral ones.
    pub fn find_message(&self, id: Id<MessageMarker>) -> Option<Message> {
        let channel = self.message_channel.get(&id.get())?;
        let m = self.messages.get(channel)?.get(&id.get())?;
        Some(typed("message", self.message_json(m)))
    }

    /// The newest non-ephemeral message in a channel.
    pub fn last_message(&self, channel: Id<ChannelMarker>) -> Option<Message> {
        self.messages(channel).pop()
    }

    /// Bytes of an uploaded file (e.g. a ticket transcript), by message and file name.
    pub fn attachment_bytes(&self, message: Id<MessageMarker>, filename: &str) -> Option<Vec<u8>> {
        let channel = self.message_channel.get(&message.get())?;
        let m = self.messages.get(channel)?.get(&message.get())?;
        m.attachments
            .iter()
            .find(|a| a.filename == filename)
            .map(|a| a.bytes.clone())
    }

    /// Messages the bot sent to `user` in DMs, oldest first.
    pub fn dms_to(&self, user: Id<UserMarker>) -> Vec<Message> {
        self.dm_channels
            .get(&user.get())
            .map(|c| self.messages(Id::new(*c)))
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.author.id == self.bot_user_id())
            .collect()
    }

    /// Guild channels (and threads), by position.
    pub fn channels(&self, guild: Id<GuildMarker>) -> Vec<Channel> {
        let mut list: Vec<_> = self
            .channels
            .values()
            .filter(|c| c.guild_id == Some(guild.get()))
            .collect();
        list.sort_by_key(|c| (c.position, c.id));
        list.into_iter()
            .map(|c| typed("channel", self.channel_json(c)))
            .collect()
    }

    pub fn find_channel(&self, id: Id<ChannelMarker>) -> Option<Channel> {
        let c = self.channels.get(&id.get())?;
        Some(typed("channel", self.channel_json(c)))
    }

    pub fn roles(&self, guild: Id<GuildMarker>) -> Vec<Role> {
        self.guilds
            .get(&guild.get())
            .into_iter()
            .flat_map(|g| g.roles.values())
            .map(|r| typed("role", super::json::role(r)))
            .collect()
    }

    /// The owner of `guild` (they have every permission there).
    pub fn guild_owner(&self, guild: Id<GuildMarker>) -> Option<Id<UserMarker>> {
        self.guilds.get(&guild.get()).map(|g| Id::new(g.owner_id))
    }

    pub fn find_role(&self, guild: Id<GuildMarker>, role: Id<RoleMarker>) -> Option<Role> {
        let r = self.guilds.get(&guild.get())?.roles.get(&role.get())?;
        Some(typed("role", super::json::role(r)))
    }

    pub fn members(&self, guild: Id<GuildMarker>) -> Vec<Member> {
        self.guilds
            .get(&guild.get())
            .into_iter()
            .flat_map(|g| g.members.values())
            .map(|m| typed("member", self.member_json(m, true)))
            .collect()
    }

    pub fn find_member(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) -> Option<Member> {
        let m = self.guilds.get(&guild.get())?.members.get(&user.get())?;
        Some(typed("member", self.member_json(m, true)))
    }

    pub fn find_user(&self, user: Id<UserMarker>) -> Option<User> {
        self.users
            .get(&user.get())
            .map(|u| typed("user", super::json::user(u)))
    }

    /// Banned users with the ban reason and the `delete_message_seconds` the bot asked for.
    pub fn bans(&self, guild: Id<GuildMarker>) -> Vec<(Id<UserMarker>, Option<String>, u64)> {
        self.guilds
            .get(&guild.get())
            .into_iter()
            .flat_map(|g| g.bans.iter())
            .map(|(u, b)| (Id::new(*u), b.reason.clone(), b.delete_message_seconds))
            .collect()
    }

    /// The voice channel `user` is connected to.
    pub fn voice_channel_of(
        &self,
        guild: Id<GuildMarker>,
        user: Id<UserMarker>,
    ) -> Option<Id<ChannelMarker>> {
        let vs = self.guilds.get(&guild.get())?.voice.get(&user.get())?;
        Some(Id::new(vs.channel_id))
    }

    pub fn global_commands(&self) -> Vec<Command> {
        self.commands
            .list(None)
            .iter()
            .map(|c| typed("command", command_json(c, self.app.id)))
            .collect()
    }

    pub fn guild_commands(&self, guild: Id<GuildMarker>) -> Vec<Command> {
        self.commands
            .list(Some(guild.get()))
            .iter()
            .map(|c| typed("command", command_json(c, self.app.id)))
            .collect()
    }

    /// Command write counters for one scope (`None` = global).
    pub fn command_stats(&self, guild: Option<Id<GuildMarker>>) -> super::CommandStats {
        self.commands
            .stats
            .get(&guild.map(Id::get))
            .copied()
            .unwrap_or_default()
    }
}
