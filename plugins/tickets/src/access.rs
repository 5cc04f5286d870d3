//! Who may do what: the permission overwrites of a ticket channel, and the staff checks.

use arsenal_plugin_api::{
    model::{
        channel::permission_overwrite::{PermissionOverwrite, PermissionOverwriteType},
        guild::Permissions,
        id::{
            marker::{GuildMarker, RoleMarker, UserMarker},
            Id,
        },
    },
    protocol::Invoker,
};

use crate::model::{GuildConfig, Ticket};

/// What the opener and added members may do in a ticket channel.
pub const MEMBER_ALLOW: Permissions = Permissions::VIEW_CHANNEL
    .union(Permissions::SEND_MESSAGES)
    .union(Permissions::READ_MESSAGE_HISTORY)
    .union(Permissions::ATTACH_FILES)
    .union(Permissions::EMBED_LINKS)
    .union(Permissions::ADD_REACTIONS);

/// What staff roles may do: members' rights plus tidying messages.
pub const STAFF_ALLOW: Permissions = MEMBER_ALLOW.union(Permissions::MANAGE_MESSAGES);

/// What the bot keeps for itself. Without its own overwrite a channel that denies @everyone
/// would lock the bot out (Discord answers 50001 Missing Access on the next call).
pub const BOT_ALLOW: Permissions = MEMBER_ALLOW
    .union(Permissions::MANAGE_CHANNELS)
    .union(Permissions::MANAGE_MESSAGES);

fn role(id: Id<RoleMarker>, allow: Permissions, deny: Permissions) -> PermissionOverwrite {
    PermissionOverwrite {
        allow,
        deny,
        id: id.cast(),
        kind: PermissionOverwriteType::Role,
    }
}

/// A member overwrite granting [`MEMBER_ALLOW`].
#[must_use]
pub fn member_overwrite(user: Id<UserMarker>) -> PermissionOverwrite {
    PermissionOverwrite {
        allow: MEMBER_ALLOW,
        deny: Permissions::empty(),
        id: user.cast(),
        kind: PermissionOverwriteType::Member,
    }
}

/// The overwrites of an open ticket channel: @everyone denied, the bot, staff roles, the
/// opener and added members allowed.
#[must_use]
pub fn ticket_overwrites(
    guild: Id<GuildMarker>,
    bot: Id<UserMarker>,
    staff: &[Id<RoleMarker>],
    members: &[Id<UserMarker>],
) -> Vec<PermissionOverwrite> {
    let mut list = staff_only_overwrites(guild, bot, staff);
    for member in members {
        if *member != bot && !list.iter().any(|o| o.id == member.cast()) {
            list.push(member_overwrite(*member));
        }
    }
    list
}

/// The overwrites of an archived ticket: only staff (and the bot) still see it.
#[must_use]
pub fn staff_only_overwrites(
    guild: Id<GuildMarker>,
    bot: Id<UserMarker>,
    staff: &[Id<RoleMarker>],
) -> Vec<PermissionOverwrite> {
    // @everyone's role id is the guild id.
    let mut list = vec![role(
        guild.cast(),
        Permissions::empty(),
        Permissions::VIEW_CHANNEL,
    )];
    list.push(PermissionOverwrite {
        allow: BOT_ALLOW,
        deny: Permissions::empty(),
        id: bot.cast(),
        kind: PermissionOverwriteType::Member,
    });
    for staff_role in staff {
        if staff_role.cast() != guild && !list.iter().any(|o| o.id == staff_role.cast()) {
            list.push(role(*staff_role, STAFF_ALLOW, Permissions::empty()));
        }
    }
    list
}

/// Manage Server or Administrator: configures the module and counts as staff everywhere.
#[must_use]
pub fn is_admin(invoker: &Invoker) -> bool {
    invoker
        .permissions
        .intersects(Permissions::ADMINISTRATOR | Permissions::MANAGE_GUILD)
}

/// Staff of `ticket`: an admin, or a member with one of its (or the guild's) staff roles.
#[must_use]
pub fn is_staff(invoker: &Invoker, ticket: &Ticket, config: &GuildConfig) -> bool {
    is_admin(invoker)
        || invoker
            .roles
            .iter()
            .any(|r| ticket.staff_roles.contains(r) || config.staff_roles.contains(r))
}

/// Union of two role lists, order kept, no duplicates.
#[must_use]
pub fn merge_roles(a: &[Id<RoleMarker>], b: &[Id<RoleMarker>]) -> Vec<Id<RoleMarker>> {
    let mut out = a.to_vec();
    for role in b {
        if !out.contains(role) {
            out.push(*role);
        }
    }
    out
}
