//! Mute (Discord's timeout, or the server's mute role past 28 days or when configured), unmute,
//! and the durable timer that lifts a timed mute.

use arsenal_plugin_api::{
    model::id::{marker::UserMarker, Id},
    protocol::DiscordRequest,
    tr, Result,
};

use super::{
    checked, dm_note, lift, new_case, reason_suffix, schedule, with_log_note, Actor, Env, Said,
    MAX_TIMEOUT_SECS,
};
use crate::{
    cases::{self},
    duration, guild,
    hierarchy::Verb,
    model::{self, ActiveMute, CaseKind, MuteMethod, TimerAction},
};

/// Mutes `target` for `secs` (`None`: until unmuted, which needs the mute role).
///
/// # Errors
///
/// The store failed.
pub fn mute(
    env: &Env<'_>,
    actor: Actor<'_>,
    target: Id<UserMarker>,
    secs: Option<u64>,
    reason: Option<String>,
) -> Result<Said> {
    let config = model::config(&env.ctx.store(), env.guild)?;
    let method = match (config.mute_role, secs) {
        (Some(role), _) if config.always_mute_role => MuteMethod::Role { role },
        (_, Some(secs)) if secs <= MAX_TIMEOUT_SECS => MuteMethod::Timeout,
        (Some(role), _) => MuteMethod::Role { role },
        (None, _) => return Ok(Err(env.tr.t("moderation-mute-too-long"))),
    };
    let verb = if method == MuteMethod::Timeout {
        Verb::Timeout
    } else {
        Verb::Mute
    };
    let scene = match checked(env, actor, verb, target) {
        Ok(scene) => scene,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let name = scene.parties.target_name.clone();
    if scene.member.is_none() {
        return Ok(Err(tr!(env.tr, "moderation-not-member", name = &name)));
    }
    let until_ms = secs.map(|s| env.now_ms.saturating_add(s.saturating_mul(1000)));
    if let Err(e) = apply_mute(env, target, method, until_ms, reason.clone()) {
        return Ok(Err(tr!(
            env.tr,
            "moderation-mute-failed",
            name = &name,
            error = e.to_string()
        )));
    }
    let case = cases::open(
        env.ctx,
        env.guild,
        &new_case(env, actor, CaseKind::Mute, target, reason.clone()).duration(secs),
        env.now_ms,
        |_, _| {},
    )?;
    let record = ActiveMute {
        v: model::VERSION,
        case: case.number,
        until_ms,
        method,
        reason: reason.clone(),
    };
    env.ctx
        .store()
        .set(&model::mute_key(env.guild, target), &record)?;
    let timer = model::timer_key(TimerAction::Unmute, env.guild, target);
    match until_ms {
        Some(at) => schedule(env, TimerAction::Unmute, target, case.number, at)?,
        None => drop(env.ctx.timers().cancel(&timer)?),
    }
    let dm = cases::notify(
        env.ctx,
        env.guild,
        &config,
        target,
        &scene.guild.name,
        &case,
    );
    let note = cases::log(env.ctx, env.guild, env.tr, &config, &case, Some(&name));
    let length = secs.map_or_else(
        || env.tr.t("moderation-until-unmuted"),
        |s| tr!(env.tr, "moderation-for", duration = duration::format(s)),
    );
    let how = match method {
        MuteMethod::Timeout => env.tr.t("moderation-by-timeout"),
        MuteMethod::Role { .. } => env.tr.t("moderation-by-role"),
    };
    Ok(Ok(with_log_note(
        tr!(
            env.tr,
            "moderation-muted",
            case = case.number,
            name = &name,
            length = length,
            how = how,
            reason = reason_suffix(env.tr, reason.as_deref()),
            dm = dm_note(env.tr, dm, &config)
        ),
        note,
    )))
}

pub(crate) fn apply_mute(
    env: &Env<'_>,
    target: Id<UserMarker>,
    method: MuteMethod,
    until_ms: Option<u64>,
    reason: Option<String>,
) -> Result<()> {
    let request = match method {
        MuteMethod::Timeout => DiscordRequest::TimeoutMember {
            guild_id: env.guild,
            user_id: target,
            until_unix_secs: until_ms.and_then(|ms| i64::try_from(ms / 1000).ok()),
            reason,
        },
        MuteMethod::Role { role } => DiscordRequest::AddRole {
            guild_id: env.guild,
            user_id: target,
            role_id: role,
            reason,
        },
    };
    guild::act(env.ctx, &request)
}

/// Lifts a mute. `expired_case` is set when the unmute timer of that case fired.
///
/// # Errors
///
/// The store failed.
pub fn unmute(
    env: &Env<'_>,
    actor: Actor<'_>,
    target: Id<UserMarker>,
    reason: Option<String>,
    expired_case: Option<u64>,
) -> Result<Said> {
    let store = env.ctx.store();
    let key = model::mute_key(env.guild, target);
    let record: Option<ActiveMute> = model::load(&store, &key)?;
    if let Some(case) = expired_case {
        if record.as_ref().is_none_or(|r| r.case != case) {
            return Ok(Err(format!(
                "the mute of case #{case} was already lifted or replaced"
            ))); // Only logged (a timer's outcome), so English.
        }
    }
    let member = match guild::member(env.ctx, env.guild, target) {
        Ok(member) => member,
        Err(e) => {
            return Ok(Err(tr!(
                env.tr,
                "moderation-member-unreadable",
                error = e.to_string()
            )))
        }
    };
    let timed_out = member
        .as_ref()
        .is_some_and(|m| m.communication_disabled_until.is_some());
    if record.is_none() && !timed_out {
        let name = member
            .as_ref()
            .map_or_else(|| format!("<@{target}>"), |m| m.user.display().to_owned());
        return Ok(Err(tr!(env.tr, "moderation-not-muted", name = &name)));
    }
    let scene = match actor {
        Actor::Moderator { .. } => match checked(env, actor, Verb::Unmute, target) {
            Ok(scene) => Some(scene),
            Err(refusal) => return Ok(Err(refusal)),
        },
        Actor::Automatic => None,
    };
    let name = member
        .as_ref()
        .map_or_else(|| format!("<@{target}>"), |m| m.user.display().to_owned());
    if member.is_some() {
        let role = record.as_ref().and_then(|r| match r.method {
            MuteMethod::Role { role } => Some(role),
            MuteMethod::Timeout => None,
        });
        if let Some(role) = role {
            let request = DiscordRequest::RemoveRole {
                guild_id: env.guild,
                user_id: target,
                role_id: role,
                reason: reason.clone(),
            };
            if let Err(e) = guild::act(env.ctx, &request) {
                return Ok(Err(tr!(
                    env.tr,
                    "moderation-unmute-failed",
                    name = &name,
                    error = e.to_string()
                )));
            }
        }
        // An expired timeout is already lifted by Discord; a manual unmute lifts it now.
        if timed_out && expired_case.is_none() {
            let request = DiscordRequest::TimeoutMember {
                guild_id: env.guild,
                user_id: target,
                until_unix_secs: None,
                reason: reason.clone(),
            };
            if let Err(e) = guild::act(env.ctx, &request) {
                return Ok(Err(tr!(
                    env.tr,
                    "moderation-unmute-failed",
                    name = &name,
                    error = e.to_string()
                )));
            }
        }
    }
    let (config, case) = lift(
        env,
        actor,
        &key,
        TimerAction::Unmute,
        CaseKind::Unmute,
        target,
        &reason,
        expired_case,
    )?;
    let guild_name = match &scene {
        Some(scene) => scene.guild.name.clone(),
        None => guild::guild(env.ctx, env.guild)
            .map(|g| g.name)
            .unwrap_or_else(|_| env.tr.t("moderation-the-server")),
    };
    let dm =
        member.is_some() && cases::notify(env.ctx, env.guild, &config, target, &guild_name, &case);
    let note = cases::log(env.ctx, env.guild, env.tr, &config, &case, Some(&name));
    Ok(Ok(with_log_note(
        tr!(
            env.tr,
            "moderation-unmuted",
            case = case.number,
            name = &name,
            reason = reason_suffix(env.tr, reason.as_deref()),
            dm = if member.is_some() {
                dm_note(env.tr, dm, &config)
            } else {
                String::new()
            }
        ),
        note,
    )))
}
