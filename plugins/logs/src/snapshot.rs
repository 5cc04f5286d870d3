//! What members, channels, roles and voice connections looked like, so that a change can be
//! logged as before → after (Discord's update events carry only the new state).
//!
//! Kept only for servers that log the matching category, one store key each, written only when
//! something the log shows changed: `mem:<guild>:<user>`, `ch:<guild>:<channel>`,
//! `role:<guild>:<role>`, `vc:<guild>:<user>`.

use std::collections::BTreeSet;

use arsenal_plugin_api::{
    model::{
        channel::Channel,
        guild::{Member, Role},
    },
    prelude::*,
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// A member as the logs show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSnapshot {
    /// Server nickname.
    #[serde(default)]
    pub nick: Option<String>,
    /// Roles.
    #[serde(default)]
    pub roles: BTreeSet<Id<RoleMarker>>,
    /// End of a timeout, Unix seconds.
    #[serde(default)]
    pub timeout_until: Option<i64>,
    /// When they joined, Unix seconds.
    #[serde(default)]
    pub joined_at: Option<i64>,
}

impl MemberSnapshot {
    /// From a member as Discord sends it.
    #[must_use]
    pub fn of(member: &Member) -> Self {
        Self {
            nick: member.nick.clone(),
            roles: member.roles.iter().copied().collect(),
            timeout_until: member.communication_disabled_until.map(|t| t.as_secs()),
            joined_at: member.joined_at.map(|t| t.as_secs()),
        }
    }
}

/// A channel as the logs show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSnapshot {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Topic.
    #[serde(default)]
    pub topic: Option<String>,
    /// Age-restricted.
    #[serde(default)]
    pub nsfw: bool,
    /// Slow mode, seconds.
    #[serde(default)]
    pub slowmode: u16,
    /// Category.
    #[serde(default)]
    pub parent: Option<Id<ChannelMarker>>,
    /// Permission overwrites, as (target id, allow bits, deny bits).
    #[serde(default)]
    pub overwrites: Vec<(u64, u64, u64)>,
}

impl ChannelSnapshot {
    /// From a channel as Discord sends it.
    #[must_use]
    pub fn of(channel: &Channel) -> Self {
        let mut overwrites: Vec<(u64, u64, u64)> = channel
            .permission_overwrites
            .iter()
            .flatten()
            .map(|o| (o.id.get(), o.allow.bits(), o.deny.bits()))
            .collect();
        overwrites.sort_unstable();
        Self {
            name: channel.name.clone(),
            topic: channel.topic.clone(),
            nsfw: channel.nsfw.unwrap_or(false),
            slowmode: channel.rate_limit_per_user.unwrap_or(0),
            parent: channel.parent_id,
            overwrites,
        }
    }
}

/// A role as the logs show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSnapshot {
    /// Name.
    pub name: String,
    /// Colour (RGB).
    #[serde(default)]
    pub color: u32,
    /// Permission bits.
    #[serde(default)]
    pub permissions: u64,
    /// Shown apart in the member list.
    #[serde(default)]
    pub hoist: bool,
    /// Anyone may mention it.
    #[serde(default)]
    pub mentionable: bool,
}

impl RoleSnapshot {
    /// From a role as Discord sends it.
    #[must_use]
    pub fn of(role: &Role) -> Self {
        Self {
            name: role.name.clone(),
            color: role.colors.primary_color,
            permissions: role.permissions.bits(),
            hoist: role.hoist,
            mentionable: role.mentionable,
        }
    }
}

/// The store key of a member's snapshot.
#[must_use]
pub fn member_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("mem:{guild}:{user}")
}

/// The store key of a channel's snapshot.
#[must_use]
pub fn channel_key(guild: Id<GuildMarker>, channel: Id<ChannelMarker>) -> String {
    format!("ch:{guild}:{channel}")
}

/// The store key of a role's snapshot.
#[must_use]
pub fn role_key(guild: Id<GuildMarker>, role: Id<RoleMarker>) -> String {
    format!("role:{guild}:{role}")
}

/// The store key of the voice channel a member is in.
#[must_use]
pub fn voice_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("vc:{guild}:{user}")
}

/// Stores `now` under `key` and returns what was there before; writes nothing when it did not
/// change (`None` deletes).
///
/// # Errors
///
/// When the store cannot be read or written.
pub fn swap<T>(ctx: &Context, key: &str, now: Option<&T>) -> Result<Option<T>>
where
    T: Serialize + DeserializeOwned + PartialEq,
{
    let store = ctx.store();
    let before: Option<T> = store.get(key)?;
    if before.as_ref() != now {
        match now {
            Some(value) => store.set(key, value)?,
            None => {
                store.delete(key)?;
            }
        }
    }
    Ok(before)
}

/// Writes many snapshots at once (a server's state at connection), only those that changed,
/// in one store transaction.
///
/// # Errors
///
/// When the store cannot be read or written.
pub fn store_all<T>(ctx: &Context, entries: &[(String, T)]) -> Result<()>
where
    T: Serialize + DeserializeOwned + PartialEq,
{
    ctx.store().transaction(|txn| {
        for (key, value) in entries {
            let before: Option<T> = txn.get(key)?;
            if before.as_ref() != Some(value) {
                txn.set(key, value)?;
            }
        }
        Ok(())
    })
}
