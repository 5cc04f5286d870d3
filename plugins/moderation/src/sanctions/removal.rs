//! Kick, ban and tempban, unban: the member is told before they leave the server.

use arsenal_plugin_api::{
    model::id::{marker::UserMarker, Id},
    protocol::DiscordRequest,
    tr, Result,
};

use super::{
    checked, dm_note, lift, new_case, reason_suffix, schedule, with_log_note, Actor, Env, Said,
};
use crate::{
    cases::{self, NewCase},
    duration, guild,
    hierarchy::{Scene, Verb},
    model::{self, CaseKind, TempBan, TimerAction},
};

/// Kicks `target`.
///
/// # Errors
///
/// The store failed.
pub fn kick(
    env: &Env<'_>,
    actor: Actor<'_>,
    target: Id<UserMarker>,
    reason: Option<String>,
) -> Result<Said> {
    let scene = match checked(env, actor, Verb::Kick, target) {
        Ok(scene) => scene,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let name = scene.parties.target_name.clone();
    if scene.member.is_none() {
        return Ok(Err(tr!(env.tr, "moderation-not-member", name = &name)));
    }
    let config = model::config(&env.ctx.store(), env.guild)?;
    let new = new_case(env, actor, CaseKind::Kick, target, reason.clone());
    // Tell them first: after the kick the bot may share no server with them.
    let dm = notify_before(env, &config, target, &scene, &new);
    let request = DiscordRequest::KickMember {
        guild_id: env.guild,
        user_id: target,
        reason: reason.clone(),
    };
    if let Err(e) = guild::act(env.ctx, &request) {
        return Ok(Err(tr!(
            env.tr,
            "moderation-kick-failed",
            name = &name,
            error = e.to_string()
        )));
    }
    let case = cases::open(env.ctx, env.guild, &new, env.now_ms, |_, _| {})?;
    let note = cases::log(env.ctx, env.guild, env.tr, &config, &case, Some(&name));
    Ok(Ok(with_log_note(
        tr!(
            env.tr,
            "moderation-kicked",
            case = case.number,
            name = &name,
            reason = reason_suffix(env.tr, reason.as_deref()),
            dm = dm_note(env.tr, dm, &config)
        ),
        note,
    )))
}

/// The DM sent before a kick or ban, without a case number (the case is opened only once Discord
/// carried the action out).
fn notify_before(
    env: &Env<'_>,
    config: &model::GuildConfig,
    target: Id<UserMarker>,
    scene: &Scene,
    new: &NewCase,
) -> bool {
    if scene.member.is_none() {
        return false;
    }
    let preview = model::Case {
        v: model::VERSION,
        number: 0,
        kind: new.kind,
        user: new.user,
        moderator: new.moderator,
        reason: new.reason.clone(),
        created_ms: env.now_ms,
        duration_secs: new.duration_secs,
        points: None,
        count: None,
        automatic: new.automatic,
    };
    cases::notify(
        env.ctx,
        env.guild,
        config,
        target,
        &scene.guild.name,
        &preview,
    )
}

/// Bans `target` (a member or any user), for `secs` if given.
///
/// # Errors
///
/// The store failed.
pub fn ban(
    env: &Env<'_>,
    actor: Actor<'_>,
    target: Id<UserMarker>,
    secs: Option<u64>,
    delete_days: u32,
    reason: Option<String>,
) -> Result<Said> {
    let scene = match checked(env, actor, Verb::Ban, target) {
        Ok(scene) => scene,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let name = scene.parties.target_name.clone();
    let config = model::config(&env.ctx.store(), env.guild)?;
    let kind = if secs.is_some() {
        CaseKind::TempBan
    } else {
        CaseKind::Ban
    };
    let new = new_case(env, actor, kind, target, reason.clone()).duration(secs);
    let dm = notify_before(env, &config, target, &scene, &new);
    let request = DiscordRequest::BanMember {
        guild_id: env.guild,
        user_id: target,
        delete_message_seconds: delete_days.min(7) * 86_400,
        reason: reason.clone(),
    };
    if let Err(e) = guild::act(env.ctx, &request) {
        return Ok(Err(tr!(
            env.tr,
            "moderation-ban-failed",
            name = &name,
            error = e.to_string()
        )));
    }
    let case = cases::open(env.ctx, env.guild, &new, env.now_ms, |_, _| {})?;
    let key = model::tempban_key(env.guild, target);
    match secs {
        Some(secs) => {
            let until_ms = env.now_ms.saturating_add(secs.saturating_mul(1000));
            env.ctx.store().set(
                &key,
                &TempBan {
                    v: model::VERSION,
                    case: case.number,
                    until_ms,
                },
            )?;
            schedule(env, TimerAction::Unban, target, case.number, until_ms)?;
        }
        None => {
            // A permanent ban replaces a running tempban.
            env.ctx.store().delete(&key)?;
            env.ctx
                .timers()
                .cancel(&model::timer_key(TimerAction::Unban, env.guild, target))?;
        }
    }
    let note = cases::log(env.ctx, env.guild, env.tr, &config, &case, Some(&name));
    let length = secs
        .map(|s| {
            format!(
                " {}",
                tr!(env.tr, "moderation-for", duration = duration::format(s))
            )
        })
        .unwrap_or_default();
    let dm_text = if scene.member.is_some() {
        dm_note(env.tr, dm, &config)
    } else {
        String::new()
    };
    Ok(Ok(with_log_note(
        tr!(
            env.tr,
            "moderation-banned",
            case = case.number,
            name = &name,
            length = length,
            reason = reason_suffix(env.tr, reason.as_deref()),
            dm = dm_text
        ),
        note,
    )))
}

/// Lifts a ban. `expired_case` is set when the tempban timer of that case fired.
///
/// # Errors
///
/// The store failed.
pub fn unban(
    env: &Env<'_>,
    actor: Actor<'_>,
    target: Id<UserMarker>,
    reason: Option<String>,
    expired_case: Option<u64>,
) -> Result<Said> {
    let store = env.ctx.store();
    let key = model::tempban_key(env.guild, target);
    if let Some(case) = expired_case {
        let record: Option<TempBan> = model::load(&store, &key)?;
        if record.is_none_or(|r| r.case != case) {
            return Ok(Err(format!(
                "the tempban of case #{case} was already lifted or replaced"
            )));
        }
    }
    let request = DiscordRequest::UnbanMember {
        guild_id: env.guild,
        user_id: target,
        reason: reason.clone(),
    };
    match guild::act(env.ctx, &request) {
        Ok(()) => {}
        Err(e) if guild::is_unknown(&e) => {
            store.delete(&key)?;
            env.ctx
                .timers()
                .cancel(&model::timer_key(TimerAction::Unban, env.guild, target))?;
            return Ok(Err(tr!(env.tr, "moderation-not-banned", user = target)));
        }
        Err(e) => {
            return Ok(Err(tr!(
                env.tr,
                "moderation-unban-failed",
                user = target,
                error = e.to_string()
            )))
        }
    }
    let (config, case) = lift(
        env,
        actor,
        &key,
        TimerAction::Unban,
        CaseKind::Unban,
        target,
        &reason,
        expired_case,
    )?;
    let note = cases::log(env.ctx, env.guild, env.tr, &config, &case, None);
    Ok(Ok(with_log_note(
        tr!(
            env.tr,
            "moderation-unbanned",
            case = case.number,
            user = target,
            reason = reason_suffix(env.tr, reason.as_deref())
        ),
        note,
    )))
}
