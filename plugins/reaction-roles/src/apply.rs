//! Members using a panel's buttons and menu, and carrying out a decided change on Discord. The
//! member's roles come with the press itself (`invoker.roles`), so a press costs the role
//! changes and nothing else.

use arsenal_plugin_api::{
    prelude::*,
    protocol::{discord_code, MessageRef},
};

use crate::{
    decide::{decide, Change, Gesture, Outcome, Refusal, Unchanged},
    model::Panel,
    render::{mentions, Pick},
};

/// A button press or a menu choice on a panel.
pub fn on_component(ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
    let tr = ctx.tr(&component.invoker);
    let pick = match Pick::from_component(component) {
        Ok(pick) => pick,
        Err(stale) => return Ok(stale.into()),
    };
    let Some(guild) = component.invoker.guild_id else {
        return Ok(Response::ephemeral(tr.t("rr-guild-only")));
    };
    let Some(panel) = ctx
        .store()
        .get::<Panel>(&Panel::key(guild, component.message_id))?
    else {
        return Ok(Response::ephemeral(tr.t("rr-panel-gone")));
    };
    let gesture = match pick {
        Pick::Role { role } => Gesture::Press(role),
        Pick::Menu => Gesture::Choose(
            component
                .values
                .iter()
                .filter_map(|value| value.parse().ok().and_then(Id::new_checked))
                .collect(),
        ),
    };
    let user = component.invoker.user_id;
    let answer = match decide(&panel, &component.invoker.roles, &gesture) {
        Outcome::Change(change) => match carry_out(ctx, &panel, user, &change) {
            Ok(()) => changed(&tr, &change),
            Err(failure) => failure.text(&tr),
        },
        Outcome::Refused(refusal) => refused(&tr, &refusal),
        Outcome::Unchanged(unchanged) => unchanged_text(&tr, &unchanged),
    };
    Ok(Reply::text(answer).ephemeral().no_mentions().into())
}

/// A role change Discord refused.
#[derive(Debug)]
pub struct Failure {
    role: Id<RoleMarker>,
    error: Error,
}

impl Failure {
    /// What the member is told.
    pub fn text(&self, tr: &Tr) -> String {
        let role = format!("<@&{}>", self.role);
        if self.error.is_discord_code(&[discord_code::UNKNOWN_ROLE]) {
            tr!(tr, "rr-failed-role-gone", role = role)
        } else if self
            .error
            .is_discord_code(&[discord_code::MISSING_PERMISSIONS])
        {
            tr!(tr, "rr-failed-permission", role = role)
        } else {
            tr!(tr, "rr-failed", role = role, reason = self.error.message())
        }
    }
}

/// Gives and takes the roles of `change` (takes first, so a swap never goes over a maximum
/// even for a moment), stopping at the first refusal.
///
/// # Errors
///
/// The role Discord refused, and why.
pub fn carry_out(
    ctx: &Context,
    panel: &Panel,
    user: Id<UserMarker>,
    change: &Change,
) -> std::result::Result<(), Failure> {
    let reason = Some(format!("Reaction roles panel {}", panel.message));
    let requests = change
        .remove
        .iter()
        .map(|role| {
            (
                *role,
                DiscordRequest::RemoveRole {
                    guild_id: panel.guild,
                    user_id: user,
                    role_id: *role,
                    reason: reason.clone(),
                },
            )
        })
        .chain(change.add.iter().map(|role| {
            (
                *role,
                DiscordRequest::AddRole {
                    guild_id: panel.guild,
                    user_id: user,
                    role_id: *role,
                    reason: reason.clone(),
                },
            )
        }));
    for (role, request) in requests {
        ctx.discord()
            .execute_json(&request)
            .map_err(|error| Failure { role, error })?;
    }
    Ok(())
}

/// Removes `user`'s reaction `emoji` from the panel (a refused reaction, or the other reaction of
/// a unique panel). A failure is only logged: the roles are what matter.
pub fn take_reaction(ctx: &Context, panel: &Panel, user: Id<UserMarker>, emoji: &str) {
    let request = DiscordRequest::RemoveReaction {
        target: MessageRef {
            channel_id: panel.channel,
            message_id: panel.message,
        },
        emoji: emoji.to_owned(),
        user_id: user,
    };
    if let Err(e) = ctx.discord().execute_json(&request) {
        log::warn!(
            "could not remove the reaction {emoji} of {user} on panel {}: {e}",
            panel.message
        );
    }
}

fn changed(tr: &Tr, change: &Change) -> String {
    let mut lines = Vec::new();
    if !change.add.is_empty() {
        lines.push(tr!(tr, "rr-given", roles = mentions(&change.add)));
    }
    if !change.remove.is_empty() {
        lines.push(tr!(tr, "rr-taken", roles = mentions(&change.remove)));
    }
    lines.join("\n")
}

/// What a member is told when the panel refuses.
pub fn refused(tr: &Tr, refusal: &Refusal) -> String {
    match refusal {
        Refusal::Forbidden(role) => tr!(tr, "rr-refused-forbidden", role = format!("<@&{role}>")),
        Refusal::MissingRequired(roles) => {
            tr!(tr, "rr-refused-required", roles = mentions(roles))
        }
        Refusal::Limit(max) => tr!(tr, "rr-refused-limit", max = *max),
        Refusal::Locked(role) => tr!(tr, "rr-refused-locked", role = format!("<@&{role}>")),
    }
}

fn unchanged_text(tr: &Tr, unchanged: &Unchanged) -> String {
    match unchanged {
        Unchanged::AlreadyHas(role) => tr!(tr, "rr-already-have", role = format!("<@&{role}>")),
        Unchanged::DoesNotHave(role) => tr!(tr, "rr-do-not-have", role = format!("<@&{role}>")),
        Unchanged::Nothing => tr.t("rr-nothing-changed"),
    }
}
