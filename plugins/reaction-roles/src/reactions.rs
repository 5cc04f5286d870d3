//! Classic reaction panels, from the raw gateway events: `MESSAGE_REACTION_ADD` carries the
//! reacting member (and their roles), `MESSAGE_REACTION_REMOVE` only the user, whose roles are
//! read back. Both name the message by id, so a panel posted before a restart works as well as a
//! new one. The bot's reactions, and other bots', are ignored. A refused reaction is taken off
//! again, and on a unique panel the member's other reaction goes with its role.

use arsenal_plugin_api::{
    model::{
        channel::message::EmojiReactionType,
        gateway::payload::incoming::{
            MessageDelete, MessageDeleteBulk, ReactionAdd, ReactionRemove,
        },
    },
    prelude::*,
};
use serde::Deserialize;

use crate::{
    apply::{carry_out, take_reaction},
    decide::{decide, Gesture, Outcome},
    emoji,
    model::{Panel, Style},
    ReactionRoles,
};

/// A member as `GetMember` returns it, reduced to what a decision needs.
#[derive(Deserialize)]
struct MemberRoles {
    #[serde(default)]
    roles: Vec<Id<RoleMarker>>,
    user: UserFlags,
}

#[derive(Deserialize)]
struct UserFlags {
    #[serde(default)]
    bot: bool,
}

impl ReactionRoles {
    pub(crate) fn reaction_added(&mut self, ctx: &Context, event: &ReactionAdd) -> Result<()> {
        if event.member.as_ref().is_some_and(|member| member.user.bot) {
            return Ok(());
        }
        let Some((panel, role, stored)) =
            panel_entry(ctx, event.guild_id, event.message_id, &event.emoji)?
        else {
            return Ok(());
        };
        if event.user_id == self.bot_id(ctx)? {
            return Ok(());
        }
        let held = match &event.member {
            Some(member) => member.roles.clone(),
            None => match member_roles(ctx, panel.guild, event.user_id)? {
                Some(roles) => roles,
                None => return Ok(()),
            },
        };
        match decide(&panel, &held, &Gesture::React(role)) {
            Outcome::Change(change) => {
                if let Err(failure) = carry_out(ctx, &panel, event.user_id, &change) {
                    log::warn!(
                        "panel {}: could not change the roles of {}: {failure:?}",
                        panel.message,
                        event.user_id
                    );
                    take_reaction(ctx, &panel, event.user_id, &stored);
                    return Ok(());
                }
                if panel.mode.one_role() {
                    for entry in panel
                        .entries
                        .iter()
                        .filter(|e| change.remove.contains(&e.role))
                    {
                        if let Some(other) = &entry.emoji {
                            take_reaction(ctx, &panel, event.user_id, other);
                        }
                    }
                }
            }
            Outcome::Refused(refusal) => {
                log::info!(
                    "panel {}: {} was refused {role}: {refusal:?}",
                    panel.message,
                    event.user_id
                );
                take_reaction(ctx, &panel, event.user_id, &stored);
            }
            Outcome::Unchanged(_) => {}
        }
        Ok(())
    }

    pub(crate) fn reaction_removed(&mut self, ctx: &Context, event: &ReactionRemove) -> Result<()> {
        let Some((panel, role, _)) =
            panel_entry(ctx, event.guild_id, event.message_id, &event.emoji)?
        else {
            return Ok(());
        };
        if event.user_id == self.bot_id(ctx)? {
            return Ok(());
        }
        let Some(held) = member_roles(ctx, panel.guild, event.user_id)? else {
            return Ok(());
        };
        if let Outcome::Change(change) = decide(&panel, &held, &Gesture::Unreact(role)) {
            if let Err(failure) = carry_out(ctx, &panel, event.user_id, &change) {
                log::warn!(
                    "panel {}: could not change the roles of {}: {failure:?}",
                    panel.message,
                    event.user_id
                );
            }
        }
        Ok(())
    }

    /// A deleted panel message takes its panel with it.
    pub(crate) fn message_deleted(&mut self, ctx: &Context, event: &MessageDelete) -> Result<()> {
        if let Some(guild) = event.guild_id {
            forget(ctx, guild, event.id)?;
        }
        Ok(())
    }

    pub(crate) fn messages_deleted(
        &mut self,
        ctx: &Context,
        event: &MessageDeleteBulk,
    ) -> Result<()> {
        if let Some(guild) = event.guild_id {
            for message in &event.ids {
                forget(ctx, guild, *message)?;
            }
        }
        Ok(())
    }
}

fn forget(ctx: &Context, guild: Id<GuildMarker>, message: Id<MessageMarker>) -> Result<()> {
    if ctx.store().delete(&Panel::key(guild, message))? {
        log::info!("panel {message} of server {guild} was deleted with its message");
    }
    Ok(())
}

/// The reaction panel on `message` and the role and stored emoji `emoji` stands for there.
fn panel_entry(
    ctx: &Context,
    guild: Option<Id<GuildMarker>>,
    message: Id<MessageMarker>,
    reaction: &EmojiReactionType,
) -> Result<Option<(Panel, Id<RoleMarker>, String)>> {
    let Some(guild) = guild else {
        return Ok(None);
    };
    let Some(panel) = ctx.store().get::<Panel>(&Panel::key(guild, message))? else {
        return Ok(None);
    };
    if panel.style != Style::Reactions {
        return Ok(None);
    }
    let found = panel.entries.iter().find_map(|entry| {
        let stored = entry.emoji.as_deref()?;
        emoji::matches(stored, reaction).then(|| (entry.role, stored.to_owned()))
    });
    Ok(found.map(|(role, stored)| (panel, role, stored)))
}

/// The roles of `user`, or `None` when they left the server or are a bot.
fn member_roles(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
) -> Result<Option<Vec<Id<RoleMarker>>>> {
    match ctx
        .discord()
        .execute::<MemberRoles>(&DiscordRequest::GetMember {
            guild_id: guild,
            user_id: user,
        }) {
        Ok(member) if member.user.bot => Ok(None),
        Ok(member) => Ok(Some(member.roles)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e.context(format!("reading member {user} of server {guild}"))),
    }
}
