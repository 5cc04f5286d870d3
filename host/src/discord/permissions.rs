//! A member's permissions, computed once for everyone who needs them: prefix commands (from
//! the host's guild cache) and the sandbox console (from the simulated world).
//!
//! Discord's algorithm (<https://discord.com/developers/docs/topics/permissions>): the guild
//! owner and ADMINISTRATOR have everything; otherwise @everyone's permissions plus the member's
//! roles', then the channel's overwrites in order: @everyone's, the member's roles' (denies, then
//! allows), the member's own. A thread has no overwrites of its own: its parent's apply.
//! twilight-util's `PermissionCalculator` implements it; this module feeds it. Slash commands do
//! not need it: Discord sends the member's permissions in the channel with the interaction.

use twilight_cache_inmemory::DefaultInMemoryCache;
use twilight_model::{
    channel::{permission_overwrite::PermissionOverwrite, ChannelType},
    guild::Permissions,
    id::{
        marker::{ChannelMarker, GuildMarker, RoleMarker, UserMarker},
        Id,
    },
};
use twilight_util::permission_calculator::PermissionCalculator;

/// Who is asking, in which server: the inputs of the calculation that do not depend on a
/// channel.
#[derive(Debug, Clone)]
pub struct MemberRoles {
    /// The server.
    pub guild_id: Id<GuildMarker>,
    /// The server's owner, when known (they have every permission).
    pub owner_id: Option<Id<UserMarker>>,
    /// The member.
    pub user_id: Id<UserMarker>,
    /// The @everyone role's permissions.
    pub everyone: Permissions,
    /// The member's other roles and their permissions.
    pub roles: Vec<(Id<RoleMarker>, Permissions)>,
}

impl MemberRoles {
    /// The member's server-wide permissions (no channel).
    #[must_use]
    pub fn in_guild(&self) -> Permissions {
        self.calculator().root()
    }

    /// The member's permissions in a channel of `kind` with `overwrites` (for a thread: its
    /// parent's kind and overwrites).
    #[must_use]
    pub fn in_channel(&self, kind: ChannelType, overwrites: &[PermissionOverwrite]) -> Permissions {
        let permissions = self.calculator().in_channel(kind, overwrites);
        // Discord's implicit permissions: who cannot see a channel can do nothing in it, and
        // who cannot send messages cannot attach, embed or mention @everyone either. The
        // calculator applies these to role and member overwrites but not to @everyone's.
        if !permissions.contains(Permissions::VIEW_CHANNEL) {
            return Permissions::empty();
        }
        if !permissions.contains(Permissions::SEND_MESSAGES) {
            return permissions
                - (Permissions::SEND_TTS_MESSAGES
                    | Permissions::MENTION_EVERYONE
                    | Permissions::EMBED_LINKS
                    | Permissions::ATTACH_FILES);
        }
        permissions
    }

    fn calculator(&self) -> PermissionCalculator<'_> {
        let calculator =
            PermissionCalculator::new(self.guild_id, self.user_id, self.everyone, &self.roles);
        match self.owner_id {
            Some(owner) => calculator.owner_id(owner),
            None => calculator,
        }
    }
}

/// `user`'s permissions in `channel` of `guild`, from the host's guild cache; `roles` are the
/// member's role ids (a message carries them).
///
/// A channel the cache does not know (yet) gives the server-wide permissions: the overwrites
/// are unknown, and refusing everything in a channel created a moment ago would be worse.
#[must_use]
pub fn from_cache(
    cache: &DefaultInMemoryCache,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
    roles: &[Id<RoleMarker>],
    channel: Id<ChannelMarker>,
) -> Permissions {
    let member = MemberRoles {
        guild_id: guild,
        owner_id: cache.guild(guild).map(|g| g.owner_id()),
        user_id: user,
        everyone: cache
            .role(guild.cast())
            .map_or(Permissions::empty(), |r| r.resource().permissions),
        roles: roles
            .iter()
            .filter(|id| id.get() != guild.get())
            .filter_map(|id| cache.role(*id).map(|r| (*id, r.resource().permissions)))
            .collect(),
    };
    let Some(mut found) = cache.channel(channel).map(|c| c.value().clone()) else {
        return member.in_guild();
    };
    if found.kind.is_thread() {
        match found.parent_id.and_then(|parent| cache.channel(parent)) {
            Some(parent) => found = parent.value().clone(),
            None => return member.in_guild(),
        }
    }
    member.in_channel(
        found.kind,
        found.permission_overwrites.as_deref().unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use twilight_model::channel::permission_overwrite::PermissionOverwriteType;

    const GUILD: u64 = 1;
    const USER: u64 = 10;
    const MODS: u64 = 20;
    const MUTED: u64 = 21;

    fn member(everyone: Permissions, roles: &[(u64, Permissions)]) -> MemberRoles {
        MemberRoles {
            guild_id: Id::new(GUILD),
            owner_id: Some(Id::new(99)),
            user_id: Id::new(USER),
            everyone,
            roles: roles.iter().map(|(id, p)| (Id::new(*id), *p)).collect(),
        }
    }

    fn overwrite(
        id: u64,
        kind: PermissionOverwriteType,
        allow: Permissions,
        deny: Permissions,
    ) -> PermissionOverwrite {
        PermissionOverwrite {
            allow,
            deny,
            id: Id::new(id),
            kind,
        }
    }

    const BASE: Permissions = Permissions::VIEW_CHANNEL.union(Permissions::SEND_MESSAGES);

    #[test]
    fn guild_level_is_everyone_plus_roles() {
        let m = member(BASE, &[(MODS, Permissions::MANAGE_MESSAGES)]);
        assert_eq!(m.in_guild(), BASE | Permissions::MANAGE_MESSAGES);
    }

    #[test]
    fn owner_and_administrator_have_everything_even_against_overwrites() {
        let deny_all = [overwrite(
            GUILD,
            PermissionOverwriteType::Role,
            Permissions::empty(),
            Permissions::all(),
        )];
        let mut owner = member(BASE, &[]);
        owner.owner_id = Some(Id::new(USER));
        assert_eq!(
            owner.in_channel(ChannelType::GuildText, &deny_all),
            Permissions::all()
        );
        let admin = member(BASE, &[(MODS, Permissions::ADMINISTRATOR)]);
        assert_eq!(
            admin.in_channel(ChannelType::GuildText, &deny_all),
            Permissions::all()
        );
    }

    /// Discord's order: @everyone overwrite, then role denies, then role allows, then the
    /// member's own overwrite; a role allow beats a role deny, the member's overwrite beats both.
    #[test]
    fn overwrites_apply_in_discords_order() {
        let m = member(
            BASE,
            &[
                (MODS, Permissions::MANAGE_MESSAGES),
                (MUTED, Permissions::empty()),
            ],
        );
        let text = ChannelType::GuildText;
        // A role denies Manage Messages in this channel.
        let denied = [overwrite(
            MUTED,
            PermissionOverwriteType::Role,
            Permissions::empty(),
            Permissions::MANAGE_MESSAGES,
        )];
        assert!(!m
            .in_channel(text, &denied)
            .contains(Permissions::MANAGE_MESSAGES));
        // Another role of theirs allows it: allows of roles win over denies of roles.
        let both = [
            denied[0],
            overwrite(
                MODS,
                PermissionOverwriteType::Role,
                Permissions::MANAGE_MESSAGES,
                Permissions::empty(),
            ),
        ];
        assert!(m
            .in_channel(text, &both)
            .contains(Permissions::MANAGE_MESSAGES));
        // The member's own deny wins over every role allow.
        let own = [
            both[0],
            both[1],
            overwrite(
                USER,
                PermissionOverwriteType::Member,
                Permissions::empty(),
                Permissions::MANAGE_MESSAGES,
            ),
        ];
        assert!(!m
            .in_channel(text, &own)
            .contains(Permissions::MANAGE_MESSAGES));
        // @everyone's overwrite applies first, so a role allow still restores Send Messages.
        let everyone = [
            overwrite(
                GUILD,
                PermissionOverwriteType::Role,
                Permissions::empty(),
                Permissions::SEND_MESSAGES,
            ),
            overwrite(
                MODS,
                PermissionOverwriteType::Role,
                Permissions::SEND_MESSAGES,
                Permissions::empty(),
            ),
        ];
        assert!(m
            .in_channel(text, &everyone)
            .contains(Permissions::SEND_MESSAGES));
        // Overwrites for roles the member does not have change nothing.
        let others = [overwrite(
            555,
            PermissionOverwriteType::Role,
            Permissions::empty(),
            Permissions::all(),
        )];
        assert_eq!(
            m.in_channel(text, &others),
            BASE | Permissions::MANAGE_MESSAGES
        );
    }

    #[test]
    fn a_channel_denied_view_grants_nothing() {
        let m = member(BASE, &[(MODS, Permissions::MANAGE_MESSAGES)]);
        let hidden = [overwrite(
            GUILD,
            PermissionOverwriteType::Role,
            Permissions::empty(),
            Permissions::VIEW_CHANNEL,
        )];
        assert_eq!(
            m.in_channel(ChannelType::GuildText, &hidden),
            Permissions::empty()
        );
    }
}
