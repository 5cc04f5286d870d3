//! Message XP and levels: XP for a member's message at most once per cooldown (measured on
//! Discord's message timestamps), the MEE6-style level curve, a level-up message in the channel,
//! configured level roles, and `/economy rank`.

use arsenal_plugin_api::{
    model::{
        channel::message::MessageType,
        gateway::payload::incoming::MessageCreate,
        id::{
            marker::{ChannelMarker, GuildMarker, RoleMarker, UserMarker},
            Id,
        },
    },
    protocol::{DiscordRequest, Reply},
    tr, Context, Response, Result,
};

use crate::{
    call::{load_config, Call},
    model::{keys, thousands, Account, GuildConfig},
};

/// XP needed to go from `level` to `level + 1`: 5L² + 50L + 100 (MEE6's curve).
#[must_use]
pub fn xp_to_next(level: u32) -> u64 {
    let level = u64::from(level);
    5 * level * level + 50 * level + 100
}

/// Total XP needed to reach `level` from zero.
#[must_use]
pub fn xp_for_level(level: u32) -> u64 {
    (0..level).map(xp_to_next).sum()
}

/// The level a member with `xp` has.
#[must_use]
pub fn level_for(xp: u64) -> u32 {
    let mut level = 0;
    let mut needed = xp_to_next(0);
    let mut left = xp;
    while left >= needed && level < 10_000 {
        left -= needed;
        level += 1;
        needed = xp_to_next(level);
    }
    level
}

/// A guild message: XP for its author unless they are a bot or on cooldown.
pub fn on_message(ctx: &Context, event: &MessageCreate) -> Result<()> {
    let Some(guild) = event.guild_id else {
        return Ok(());
    };
    if event.author.bot
        || event.webhook_id.is_some()
        || !matches!(event.kind, MessageType::Regular | MessageType::Reply)
    {
        return Ok(());
    }
    let config = load_config(ctx, guild)?;
    if config.xp_per_message == 0 {
        return Ok(());
    }
    let now_ms = u64::try_from(event.timestamp.as_micros() / 1000).unwrap_or(0);
    let user = event.author.id;
    let name = event
        .author
        .global_name
        .clone()
        .unwrap_or_else(|| event.author.name.clone());
    let key = keys::account(guild, user);
    let levels = ctx.store().transaction(|txn| {
        let mut account: Account = txn.get(&key)?.unwrap_or_default();
        let ready_at = account
            .last_xp_ms
            .map_or(0, |at| at.saturating_add(config.xp_cooldown_secs * 1000));
        if now_ms < ready_at {
            return Ok(None);
        }
        let before = account.level;
        account.xp = account.xp.saturating_add(config.xp_per_message);
        account.level = level_for(account.xp);
        account.last_xp_ms = Some(now_ms);
        account.name = Some(name.clone());
        txn.set(&key, &account)?;
        Ok(Some((before, account.level)))
    })?;
    let Some((before, after)) = levels else {
        return Ok(());
    };
    if after > before {
        let has: &[Id<RoleMarker>] = event.member.as_ref().map_or(&[], |m| &m.roles);
        level_up(
            ctx,
            &config,
            guild,
            event.channel_id,
            user,
            has,
            before,
            after,
        );
    }
    Ok(())
}

/// Gives the roles of levels `before+1..=after` and announces the new level. Discord refusals
/// are logged and mentioned in the message, never fatal: the XP is already saved.
#[allow(clippy::too_many_arguments)]
fn level_up(
    ctx: &Context,
    config: &GuildConfig,
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
    user: Id<UserMarker>,
    has: &[Id<RoleMarker>],
    before: u32,
    after: u32,
) {
    let tr = ctx.tr_guild(guild);
    let mut text = tr!(
        tr,
        "economy-level-up",
        user = user.to_string(),
        level = after
    );
    for (&level, &role) in config.level_roles.range(before + 1..=after) {
        if has.contains(&role) {
            continue;
        }
        let request = DiscordRequest::AddRole {
            guild_id: guild,
            user_id: user,
            role_id: role,
            reason: Some(format!("economy: reached level {level}")),
        };
        match ctx.discord().execute::<serde_json::Value>(&request) {
            Ok(_) => text.push_str(&tr!(tr, "economy-level-role", role = role.to_string())),
            Err(e) => {
                log::warn!("could not give level role {role} to {user} in {guild}: {e}");
                text.push_str(&tr!(
                    tr,
                    "economy-level-role-failed",
                    role = role.to_string()
                ));
            }
        }
    }
    let message = DiscordRequest::SendMessage {
        channel_id: channel,
        message: Reply::text(text),
    };
    if let Err(e) = ctx.discord().execute::<serde_json::Value>(&message) {
        log::warn!("could not announce level {after} of {user} in channel {channel}: {e}");
    }
}

/// `/economy rank [member]`.
pub fn rank(call: &Call<'_>, member: Option<Id<UserMarker>>) -> Result<Response> {
    let user = member.unwrap_or(call.user());
    let accounts: Vec<(String, Account)> = call.ctx.store().list(&keys::accounts(call.guild))?;
    let mine = accounts
        .iter()
        .find(|(key, _)| keys::user_of(key) == Some(user))
        .map(|(_, a)| a.clone())
        .unwrap_or_default();
    let ahead = accounts.iter().filter(|(_, a)| a.xp > mine.xp).count();
    let level = level_for(mine.xp);
    let into = mine.xp - xp_for_level(level);
    let key = if user == call.user() {
        "economy-rank-self"
    } else {
        "economy-rank-other"
    };
    let place = if mine.xp == 0 {
        call.tr.t("economy-rank-unranked")
    } else {
        tr!(
            call.tr,
            "economy-rank-place",
            rank = (ahead + 1).to_string(),
            count = accounts.len().to_string()
        )
    };
    Ok(Response::text(tr!(
        call.tr,
        key,
        user = user.to_string(),
        level = level.to_string(),
        xp = thousands(mine.xp as i64),
        progress = thousands(into as i64),
        needed = thousands(xp_to_next(level) as i64),
        next = (level + 1).to_string(),
        place = place
    )))
}
