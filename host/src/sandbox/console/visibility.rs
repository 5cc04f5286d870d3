//! Which channels the console user sees (the host's one permission calculation, fed from the
//! simulated world).

use discord_sim::World;

use crate::discord::permissions::MemberRoles;
use twilight_model::guild::Permissions;
use twilight_model::id::marker::{ChannelMarker, GuildMarker, UserMarker};
use twilight_model::id::Id;

/// Guild text channels and threads, by position.
pub(super) fn text_channels(w: &World, guild: Id<GuildMarker>) -> Vec<(String, Id<ChannelMarker>)> {
    use twilight_model::channel::ChannelType as T;
    w.channels(guild)
        .into_iter()
        .filter(|c| {
            matches!(
                c.kind,
                T::GuildText
                    | T::GuildAnnouncement
                    | T::PublicThread
                    | T::PrivateThread
                    | T::AnnouncementThread
            )
        })
        .map(|c| (c.name.unwrap_or_default(), c.id))
        .collect()
}

/// VIEW_CHANNEL for `user`, computed like Discord: roles, ADMINISTRATOR, then overwrites for
/// @everyone, the member's roles and the member (threads use their parent's). The guild
/// owner is not special-cased: the sim exposes no guild owner (the demo owner is an Admin).
pub(super) fn can_view(
    w: &World,
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
    user: Id<UserMarker>,
) -> bool {
    let Some(mut c) = w.find_channel(channel) else {
        return false;
    };
    if c.guild_id.is_none() {
        return c
            .recipients
            .unwrap_or_default()
            .iter()
            .any(|u| u.id == user);
    }
    if c.kind.is_thread() {
        if let Some(parent) = c.parent_id.and_then(|p| w.find_channel(p)) {
            c = parent;
        }
    }
    let Some(member) = w.find_member(guild, user) else {
        return false;
    };
    let roles = w.roles(guild);
    let member = MemberRoles {
        guild_id: guild,
        owner_id: w.guild_owner(guild),
        user_id: user,
        everyone: roles
            .iter()
            .find(|r| r.id.get() == guild.get())
            .map_or(Permissions::empty(), |r| r.permissions),
        roles: roles
            .iter()
            .filter(|r| r.id.get() != guild.get() && member.roles.contains(&r.id))
            .map(|r| (r.id, r.permissions))
            .collect(),
    };
    member
        .in_channel(
            c.kind,
            c.permission_overwrites.as_deref().unwrap_or_default(),
        )
        .contains(Permissions::VIEW_CHANNEL)
}
