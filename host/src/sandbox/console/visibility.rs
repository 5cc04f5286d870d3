//! Which channels the console user sees.

use discord_sim::World;
use twilight_model::channel::permission_overwrite::PermissionOverwriteType;
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
    let mine = |id: u64| id == guild.get() || member.roles.iter().any(|r| r.get() == id);
    let mut perms = w
        .roles(guild)
        .iter()
        .filter(|r| mine(r.id.get()))
        .fold(Permissions::empty(), |p, r| p | r.permissions);
    if perms.contains(Permissions::ADMINISTRATOR) {
        return true;
    }
    let overwrites = c.permission_overwrites.unwrap_or_default();
    let (mut allow, mut deny) = (Permissions::empty(), Permissions::empty());
    for o in &overwrites {
        if o.id.get() == guild.get() {
            perms = (perms - o.deny) | o.allow;
        } else if o.kind == PermissionOverwriteType::Role && mine(o.id.get()) {
            (allow, deny) = (allow | o.allow, deny | o.deny);
        }
    }
    perms = (perms - deny) | allow;
    for o in overwrites
        .iter()
        .filter(|o| o.kind == PermissionOverwriteType::Member && o.id.get() == user.get())
    {
        perms = (perms - o.deny) | o.allow;
    }
    perms.contains(Permissions::VIEW_CHANNEL)
}
