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
    tr, Context, Result,
};

use crate::{
    cases::{self, NewCase},
    hierarchy::{self, Scene, Verb},
    model::{self, CaseKind, TimerAction, TimerPayload},
};

mod mute;
mod removal;

pub(crate) use mute::apply_mute;
pub use mute::{mute, unmute};
pub use removal::{ban, kick, unban};

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

/// Schedules the durable timer that ends a timed sanction.
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
