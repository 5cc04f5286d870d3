//! The sanctions themselves: mute (timeout or mute role), unmute, kick, ban and tempban, unban,
//! and the durable timers and rejoin handling that make timed sanctions hold. Each checks the
//! hierarchy first, acts on Discord, then records a case, logs it and tells the member.
//!
//! Every function answers `Ok(Ok(text))` when the action happened, `Ok(Err(text))` when it was
//! refused (a plain sentence: hierarchy, not a member, Discord's refusal), and `Err` only when the
//! store failed.

use arsenal_plugin_api::{
    i18n::Tr,
    model::id::{
        marker::{GuildMarker, RoleMarker, UserMarker},
        Id,
    },
    protocol::DiscordRequest,
    tr, Context, Result,
};

use crate::{
    cases::{self, NewCase},
    duration, guild,
    hierarchy::{self, Scene, Verb},
    model::{self, ActiveMute, CaseKind, MuteMethod, TempBan, TimerAction, TimerPayload},
};

/// Discord's longest timeout.
pub const MAX_TIMEOUT_SECS: u64 = 28 * 86_400;

/// What a sanction function answers: the confirmation, or why it did not happen.
pub type Said = std::result::Result<String, String>;

/// Where and when an action happens.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub ctx: &'a Context,
    pub guild: Id<GuildMarker>,
    pub bot: Id<UserMarker>,
    pub now_ms: u64,
    /// The language of the answer: the moderator's, or the server's for what the module does on
    /// its own (timers, rejoins).
    pub tr: Tr<'a>,
}

/// Who acts: a moderator (whose rank is checked) or the module itself.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Moderator {
        user: Id<UserMarker>,
        roles: &'a [Id<RoleMarker>],
    },
    Automatic,
}

impl Actor<'_> {
    fn id(&self, env: &Env<'_>) -> Id<UserMarker> {
        match self {
            Self::Moderator { user, .. } => *user,
            Self::Automatic => env.bot,
        }
    }
}

/// Reads the scene and checks the hierarchy; `Err` is the refusal sentence.
///
/// # Errors
///
/// Outer: never (Discord read failures become refusals too, readable).
pub fn checked(
    env: &Env<'_>,
    actor: Actor<'_>,
    verb: Verb,
    target: Id<UserMarker>,
) -> std::result::Result<Scene, String> {
    let moderator = match actor {
        Actor::Moderator { user, roles } => Some((user, roles)),
        Actor::Automatic => None,
    };
    let scene = hierarchy::scene(env.ctx, env.guild, env.bot, moderator, target)
        .map_err(|e| tr!(env.tr, "moderation-roles-unreadable", error = e.to_string()))?;
    hierarchy::decide(env.tr, verb, &scene.parties)?;
    Ok(scene)
}

fn new_case(
    env: &Env<'_>,
    actor: Actor<'_>,
    kind: CaseKind,
    target: Id<UserMarker>,
    reason: Option<String>,
) -> NewCase {
    let case = NewCase::new(kind, target, actor.id(env)).reason(reason);
    match actor {
        Actor::Automatic => case.automatic(),
        Actor::Moderator { .. } => case,
    }
}

/// `" (I could not DM them.)"` when a DM was wanted and did not arrive.
pub(crate) fn dm_note(tr: Tr<'_>, dm: bool, config: &model::GuildConfig) -> String {
    if dm || !config.dm_members {
        String::new()
    } else {
        tr.t("moderation-dm-failed")
    }
}

fn with_log_note(mut text: String, note: Option<String>) -> String {
    if let Some(note) = note {
        text.push('\n');
        text.push_str(&note);
    }
    text
}

fn reason_suffix(tr: Tr<'_>, reason: Option<&str>) -> String {
    reason
        .map(|r| tr!(tr, "moderation-reason-suffix", reason = r))
        .unwrap_or_default()
}

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

pub(crate) fn schedule(
    env: &Env<'_>,
    action: TimerAction,
    user: Id<UserMarker>,
    case: u64,
    at_ms: u64,
) -> Result<()> {
    let payload = TimerPayload {
        v: model::VERSION,
        action,
        guild: env.guild,
        user,
        case,
        attempt: 0,
    };
    env.ctx
        .timers()
        .schedule(&model::timer_key(action, env.guild, user), at_ms, &payload)
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

/// The end of a mute or tempban, after Discord agreed: forget the stored sanction, cancel its
/// timer (unless that timer is what fired), and open the case.
// The sanction, its timer and its case each need their own piece; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn lift(
    env: &Env<'_>,
    actor: Actor<'_>,
    key: &str,
    timer: TimerAction,
    kind: CaseKind,
    target: Id<UserMarker>,
    reason: &Option<String>,
    expired_case: Option<u64>,
) -> Result<(model::GuildConfig, model::Case)> {
    let store = env.ctx.store();
    store.delete(key)?;
    if expired_case.is_none() {
        env.ctx
            .timers()
            .cancel(&model::timer_key(timer, env.guild, target))?;
    }
    let config = model::config(&store, env.guild)?;
    let case = cases::open(
        env.ctx,
        env.guild,
        &new_case(env, actor, kind, target, reason.clone()),
        env.now_ms,
        |_, _| {},
    )?;
    Ok((config, case))
}

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
