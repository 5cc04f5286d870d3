//! The `reaction_roles` module (`/rr`): panels whose buttons, select menu or classic reactions
//! give members roles, as Carl-bot, YAGPDB and Red's cogs offer them. Modes: normal, unique (one
//! role of the panel), verify (add only), drop (remove only), reversed, binding (chosen once for
//! good); a maximum per member; required and forbidden roles. Before a panel offers a role the
//! bot checks it can hand it out (Manage Roles, the role below its own highest) and says which
//! role is not. `/rr fix` re-adds missing reactions.
//!
//! Every panel is one store key (`panel:<guild>:<message>`); buttons and menus route by their
//! `custom_id` and the message they sit on, reactions by the raw gateway events (which carry
//! the message id even for messages sent before a restart), so panels keep working after
//! restarts and reloads with nothing set up twice.

use arsenal_plugin_api::{
    model::gateway::payload::incoming::{
        MessageDelete, MessageDeleteBulk, ReactionAdd, ReactionRemove,
    },
    prelude::*,
};
use serde::Deserialize;

mod apply;
mod command;
mod decide;
mod emoji;
mod hierarchy;
mod maintain;
mod manage;
mod model;
mod reactions;
mod render;

#[cfg(test)]
mod tests;

use command::Rr;

/// The module. It keeps only the bot's user id in memory (read once per instance).
pub struct ReactionRoles {
    bot: Option<Id<UserMarker>>,
}

impl ReactionRoles {
    /// The bot's own user id, to ignore its own reactions and find its roles.
    fn bot_id(&mut self, ctx: &Context) -> Result<Id<UserMarker>> {
        #[derive(Deserialize)]
        struct BotUser {
            id: Id<UserMarker>,
        }
        if let Some(bot) = self.bot {
            return Ok(bot);
        }
        let user: BotUser = ctx.discord().execute(&DiscordRequest::GetBotUser)?;
        self.bot = Some(user.id);
        Ok(user.id)
    }
}

impl Plugin for ReactionRoles {
    const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");

    fn manifest() -> Manifest {
        Manifest::new("reaction_roles", env!("CARGO_PKG_VERSION"))
            .description("Panels of buttons, menus or reactions that give members roles")
            .intents(Intents::GUILD_MESSAGE_REACTIONS | Intents::GUILD_MESSAGES)
            .command(Rr::spec())
    }

    fn events(events: &mut Events<Self>) {
        events
            .on::<ReactionAdd>(Self::reaction_added)
            .on::<ReactionRemove>(Self::reaction_removed)
            .on::<MessageDelete>(Self::message_deleted)
            .on::<MessageDeleteBulk>(Self::messages_deleted);
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Self { bot: None })
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let tr = ctx.tr(&command.invoker);
        let Some(guild) = command.invoker.guild_id else {
            return Ok(Response::ephemeral(tr.t("rr-guild-only")));
        };
        let parsed = match Rr::parse(command) {
            Ok(parsed) => parsed,
            Err(refusal) => return Ok(refusal.into()),
        };
        match parsed {
            Rr::Create(create) => manage::create(self, ctx, &tr, guild, create),
            Rr::Add(add) => manage::add(self, ctx, &tr, guild, &add),
            Rr::Remove(remove) => manage::remove(self, ctx, &tr, guild, &remove),
            Rr::Settings(settings) => manage::settings(ctx, &tr, guild, &settings),
            Rr::Fix(panel) => maintain::fix(self, ctx, &tr, guild, &panel.panel),
            Rr::Delete(panel) => maintain::delete(ctx, &tr, guild, &panel.panel),
            Rr::List => maintain::list(ctx, &tr, guild),
        }
    }

    fn on_component(&mut self, ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
        apply::on_component(ctx, component)
    }

    fn on_autocomplete(
        &mut self,
        ctx: &Context,
        autocomplete: &AutocompleteInvocation,
    ) -> Result<Vec<Choice>> {
        maintain::autocomplete(ctx, autocomplete)
    }
}

arsenal_plugin_api::export_plugin!(ReactionRoles);
