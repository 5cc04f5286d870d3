//! Warnings: points that expire, thresholds that turn enough active points into an automatic
//! timeout, kick or ban, and each member's warnings and sanctions history.

use arsenal_plugin_api::{
    i18n::Tr,
    model::id::{marker::UserMarker, Id},
    tr, Result,
};

use crate::{
    cases::{self, NewCase},
    duration,
    hierarchy::Verb,
    model::{self, AutoAction, CaseKind, GuildConfig, MemberRecord, Threshold, Warning},
    sanctions::{self, Actor, Env, Said},
};

/// How many cases `/warnings` lists.
const HISTORY_SHOWN: usize = 10;

/// The threshold a warning crosses when active points go from `before` to `after`: the highest
/// one with `before < points <= after`.
#[must_use]
pub fn crossed(thresholds: &[Threshold], before: u32, after: u32) -> Option<&Threshold> {
    thresholds
        .iter()
        .filter(|t| before < t.points && t.points <= after)
        .max_by_key(|t| t.points)
}

/// Warns `target` with `points`; applies a threshold's action if one is crossed.
///
/// # Errors
///
/// The store failed.
pub fn warn(
    env: &Env<'_>,
    actor: Actor<'_>,
    target: Id<UserMarker>,
    reason: String,
    points: u32,
) -> Result<Said> {
    let scene = match sanctions::checked(env, actor, Verb::Warn, target) {
        Ok(scene) => scene,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let name = scene.parties.target_name.clone();
    if scene.member.is_none() {
        return Ok(Err(tr!(env.tr, "moderation-not-member", name = &name)));
    }
    let config = model::config(&env.ctx.store(), env.guild)?;
    let moderator = match actor {
        Actor::Moderator { user, .. } => user,
        Actor::Automatic => env.bot,
    };
    let mut new = NewCase::new(CaseKind::Warn, target, moderator).reason(Some(reason.clone()));
    new.points = Some(points);
    let expires_ms = config
        .warn_expiry_secs
        .map(|s| env.now_ms.saturating_add(s.saturating_mul(1000)));
    let mut before = 0;
    let mut after = 0;
    let now_ms = env.now_ms;
    let case = cases::open(env.ctx, env.guild, &new, now_ms, |record, case| {
        before = record.active_points(now_ms);
        record.warnings.push(Warning {
            case: case.number,
            points,
            reason: reason.clone(),
            moderator,
            created_ms: now_ms,
            expires_ms,
        });
        after = record.active_points(now_ms);
    })?;
    let dm = cases::notify(
        env.ctx,
        env.guild,
        &config,
        target,
        &scene.guild.name,
        &case,
    );
    let note = cases::log(env.ctx, env.guild, env.tr, &config, &case, Some(&name));
    let mut text = tr!(
        env.tr,
        "moderation-warned",
        case = case.number,
        name = &name,
        points = points,
        active = after,
        reason = &reason,
        dm = sanctions::dm_note(env.tr, dm, &config)
    );
    if let Some(note) = note {
        text.push('\n');
        text.push_str(&note);
    }
    if let Some(threshold) = crossed(&config.thresholds, before, after) {
        let outcome = apply_threshold(env, target, threshold)?;
        text.push('\n');
        match outcome {
            Ok(done) => text.push_str(&tr!(
                env.tr,
                "moderation-threshold-done",
                points = threshold.points,
                done = done
            )),
            Err(why) => text.push_str(&tr!(
                env.tr,
                "moderation-threshold-failed",
                points = threshold.points,
                why = why
            )),
        }
    }
    Ok(Ok(text))
}

fn apply_threshold(env: &Env<'_>, target: Id<UserMarker>, threshold: &Threshold) -> Result<Said> {
    // The reason is recorded in the case and shown in the server: the server's language.
    let reason = Some(tr!(
        env.ctx.tr_guild(env.guild),
        "moderation-threshold-reason",
        points = threshold.points
    ));
    match &threshold.action {
        AutoAction::Timeout { secs } => {
            sanctions::mute(env, Actor::Automatic, target, Some(*secs), reason)
        }
        AutoAction::Kick => sanctions::kick(env, Actor::Automatic, target, reason),
        AutoAction::Ban { secs } => sanctions::ban(env, Actor::Automatic, target, *secs, 0, reason),
    }
}

/// `/warnings`: active and expired warnings, then recent cases.
///
/// # Errors
///
/// The store failed.
pub fn list(env: &Env<'_>, target: Id<UserMarker>) -> Result<String> {
    let store = env.ctx.store();
    let record: MemberRecord =
        model::load(&store, &model::member_key(env.guild, target))?.unwrap_or_default();
    if record.cases.is_empty() {
        return Ok(tr!(env.tr, "moderation-history-empty", user = target));
    }
    let mut text = tr!(
        env.tr,
        "moderation-history-points",
        user = target,
        points = record.active_points(env.now_ms)
    );
    text.push('\n');
    if record.warnings.is_empty() {
        text.push_str(&env.tr.t("moderation-history-no-warnings"));
        text.push('\n');
    }
    for w in &record.warnings {
        let state = match w.expires_ms {
            _ if !w.active(env.now_ms) => env.tr.t("moderation-warning-expired"),
            Some(end) => tr!(
                env.tr,
                "moderation-warning-expires",
                time = (end / 1000).to_string()
            ),
            None => String::new(),
        };
        text.push_str(&tr!(
            env.tr,
            "moderation-history-warning",
            case = w.case,
            points = w.points,
            reason = &w.reason,
            state = state,
            user = w.moderator
        ));
        text.push('\n');
    }
    text.push_str(&env.tr.t("moderation-history-title"));
    text.push('\n');
    for number in record.cases.iter().rev().take(HISTORY_SHOWN) {
        if let Some(case) = cases::get(env.ctx, env.guild, *number)? {
            text.push_str(&cases::line(env.tr, &case));
            text.push('\n');
        }
    }
    if record.cases.len() > HISTORY_SHOWN {
        text.push_str(&tr!(
            env.tr,
            "moderation-history-more",
            count = record.cases.len() - HISTORY_SHOWN
        ));
    }
    Ok(text)
}

/// `/delwarn`: removes the warning of case `number` (the case itself stays in the log).
///
/// # Errors
///
/// The store failed.
pub fn delete(env: &Env<'_>, number: u64) -> Result<Said> {
    let Some(case) = cases::get(env.ctx, env.guild, number)? else {
        return Ok(Err(tr!(env.tr, "moderation-no-case", case = number)));
    };
    let (CaseKind::Warn, Some(user)) = (case.kind, case.user) else {
        return Ok(Err(tr!(
            env.tr,
            "moderation-not-a-warning",
            case = number,
            kind = env.tr.t(case.kind.title_key()).to_lowercase()
        )));
    };
    let key = model::member_key(env.guild, user);
    let mut removed = false;
    env.ctx
        .store()
        .update(&key, |record: Option<MemberRecord>| {
            let Some(record) = record else {
                return Ok(None);
            };
            let mut record = model::check(&key, record)?;
            let len = record.warnings.len();
            record.warnings.retain(|w| w.case != number);
            removed = record.warnings.len() != len;
            Ok(Some(record))
        })?;
    Ok(if removed {
        Ok(tr!(
            env.tr,
            "moderation-warning-deleted",
            case = number,
            user = user
        ))
    } else {
        Err(tr!(
            env.tr,
            "moderation-warning-already-deleted",
            case = number
        ))
    })
}

/// `/clearwarns`: removes every warning of a member.
///
/// # Errors
///
/// The store failed.
pub fn clear(env: &Env<'_>, target: Id<UserMarker>) -> Result<Said> {
    let key = model::member_key(env.guild, target);
    let mut removed = 0;
    env.ctx
        .store()
        .update(&key, |record: Option<MemberRecord>| {
            let Some(record) = record else {
                return Ok(None);
            };
            let mut record = model::check(&key, record)?;
            removed = record.warnings.len();
            record.warnings.clear();
            Ok(Some(record))
        })?;
    Ok(if removed == 0 {
        Err(tr!(env.tr, "moderation-no-warnings", user = target))
    } else {
        Ok(tr!(
            env.tr,
            "moderation-warnings-cleared",
            count = removed,
            user = target
        ))
    })
}

/// The thresholds as a sentence per line.
#[must_use]
pub fn describe(tr: Tr<'_>, config: &GuildConfig) -> String {
    if config.thresholds.is_empty() {
        return tr.t("moderation-thresholds-none");
    }
    config
        .thresholds
        .iter()
        .map(|t| {
            let action = match &t.action {
                AutoAction::Timeout { secs } => tr!(
                    tr,
                    "moderation-threshold-mute",
                    duration = duration::format(*secs)
                ),
                AutoAction::Kick => tr.t("moderation-threshold-kick"),
                AutoAction::Ban { secs: Some(secs) } => tr!(
                    tr,
                    "moderation-threshold-tempban",
                    duration = duration::format(*secs)
                ),
                AutoAction::Ban { secs: None } => tr.t("moderation-threshold-ban"),
            };
            format!("{} pt → {action}", t.points)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(points: u32) -> Threshold {
        Threshold {
            points,
            action: AutoAction::Kick,
        }
    }

    #[test]
    fn the_highest_crossed_threshold_wins() {
        let thresholds = [at(3), at(5), at(8)];
        assert_eq!(crossed(&thresholds, 0, 2), None);
        assert_eq!(crossed(&thresholds, 2, 3).map(|t| t.points), Some(3));
        assert_eq!(crossed(&thresholds, 2, 6).map(|t| t.points), Some(5));
        assert_eq!(
            crossed(&thresholds, 3, 4),
            None,
            "already past 3: no repeat"
        );
        assert_eq!(crossed(&thresholds, 0, 100).map(|t| t.points), Some(8));
    }
}
