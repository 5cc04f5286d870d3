//! `World::demo()`: the seeded "Arsenal Sandbox" guild used by tests and the sandbox console.

use super::{channel_kind, World};
use twilight_model::{
    guild::Permissions,
    id::{
        marker::{ChannelMarker, GuildMarker, RoleMarker, UserMarker},
        Id,
    },
};

/// Ids of everything in the demo world, looked up by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoIds {
    pub guild: Id<GuildMarker>,
    pub everyone: Id<RoleMarker>,
    pub admin_role: Id<RoleMarker>,
    pub moderator_role: Id<RoleMarker>,
    pub member_role: Id<RoleMarker>,
    pub bot_role: Id<RoleMarker>,
    pub general: Id<ChannelMarker>,
    pub bot_commands: Id<ChannelMarker>,
    pub logs: Id<ChannelMarker>,
    pub tickets: Id<ChannelMarker>,
    pub lounge: Id<ChannelMarker>,
    pub owner: Id<UserMarker>,
    pub alice: Id<UserMarker>,
    pub bob: Id<UserMarker>,
    pub carol: Id<UserMarker>,
    pub bot: Id<UserMarker>,
}

/// What the bot's managed role may do in the demo guild: enough for moderation, tickets,
/// welcome and reaction roles, but not ADMINISTRATOR, so permission checks stay meaningful.
pub const DEMO_BOT_PERMISSIONS: Permissions = Permissions::VIEW_CHANNEL
    .union(Permissions::SEND_MESSAGES)
    .union(Permissions::SEND_MESSAGES_IN_THREADS)
    .union(Permissions::CREATE_PUBLIC_THREADS)
    .union(Permissions::CREATE_PRIVATE_THREADS)
    .union(Permissions::MANAGE_THREADS)
    .union(Permissions::EMBED_LINKS)
    .union(Permissions::ATTACH_FILES)
    .union(Permissions::READ_MESSAGE_HISTORY)
    .union(Permissions::ADD_REACTIONS)
    .union(Permissions::MANAGE_MESSAGES)
    .union(Permissions::MANAGE_CHANNELS)
    .union(Permissions::MANAGE_ROLES)
    .union(Permissions::MANAGE_NICKNAMES)
    .union(Permissions::KICK_MEMBERS)
    .union(Permissions::BAN_MEMBERS)
    .union(Permissions::MODERATE_MEMBERS)
    .union(Permissions::VIEW_AUDIT_LOG);

impl World {
    /// One guild "Arsenal Sandbox": roles @everyone, Member (1), Moderator (2), the bot's role
    /// (3), Admin (4, ADMINISTRATOR); channels #general, #bot-commands, #logs (hidden from
    /// @everyone), a "tickets" category and the voice channel "Lounge"; users owner (application
    /// owner and guild owner, Admin), alice (Admin), bob and carol (Member), and the bot.
    /// Ids are the same on every run.
    pub fn demo() -> Self {
        let mut w = World::new("Arsenal", "Arsenal", "owner");
        let owner = w.owner_id();
        let alice = w.add_user("alice");
        let bob = w.add_user("bob");
        let carol = w.add_user("carol");
        let guild = w.add_guild("Arsenal Sandbox", owner);
        let member = w.add_role(guild, "Member", 0, 1);
        let moderator = w.add_role(
            guild,
            "Moderator",
            (Permissions::KICK_MEMBERS
                | Permissions::BAN_MEMBERS
                | Permissions::MODERATE_MEMBERS
                | Permissions::MANAGE_MESSAGES
                | Permissions::MANAGE_NICKNAMES)
                .bits(),
            2,
        );
        w.add_bot_role(guild, DEMO_BOT_PERMISSIONS.bits(), 3);
        let admin = w.add_role(guild, "Admin", Permissions::ADMINISTRATOR.bits(), 4);
        w.add_member(guild, owner, &[admin]);
        w.add_member(guild, alice, &[admin]);
        w.add_member(guild, bob, &[member]);
        w.add_member(guild, carol, &[member]);

        w.add_channel(guild, "general", channel_kind::GUILD_TEXT, None);
        w.add_channel(guild, "bot-commands", channel_kind::GUILD_TEXT, None);
        let logs = w.add_channel(guild, "logs", channel_kind::GUILD_TEXT, None);
        w.add_overwrite(logs, guild.get(), 0, 0, Permissions::VIEW_CHANNEL.bits());
        w.add_overwrite(
            logs,
            moderator.get(),
            0,
            Permissions::VIEW_CHANNEL.bits(),
            0,
        );
        let bot = w.bot_user_id();
        w.add_overwrite(
            logs,
            bot.get(),
            1,
            (Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES).bits(),
            0,
        );
        w.add_channel(guild, "tickets", channel_kind::GUILD_CATEGORY, None);
        w.add_channel(guild, "Lounge", channel_kind::GUILD_VOICE, None);
        w
    }

    /// The demo world's ids, or `None` if this world was not built by [`World::demo`].
    pub fn demo_ids(&self) -> Option<DemoIds> {
        let guild = self.guild_by_name("Arsenal Sandbox")?;
        let bot_role = self
            .guilds
            .get(&guild.get())?
            .roles
            .values()
            .find(|r| r.bot_id.is_some())
            .map(|r| Id::new(r.id))?;
        Some(DemoIds {
            guild,
            everyone: guild.cast(),
            admin_role: self.role_by_name(guild, "Admin")?,
            moderator_role: self.role_by_name(guild, "Moderator")?,
            member_role: self.role_by_name(guild, "Member")?,
            bot_role,
            general: self.channel_by_name(guild, "general")?,
            bot_commands: self.channel_by_name(guild, "bot-commands")?,
            logs: self.channel_by_name(guild, "logs")?,
            tickets: self.channel_by_name(guild, "tickets")?,
            lounge: self.channel_by_name(guild, "Lounge")?,
            owner: self.owner_id(),
            alice: self.user_by_name("alice")?,
            bob: self.user_by_name("bob")?,
            carol: self.user_by_name("carol")?,
            bot: self.bot_user_id(),
        })
    }
}
