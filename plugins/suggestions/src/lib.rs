//! The `suggestions` module: `/suggest` posts a member's suggestion as an embed with 👍 / 👎
//! buttons (one vote per member, changeable, counts on the message) and a discussion thread;
//! staff (configured roles, or Manage Server) approve, deny, consider or implement it by number
//! with a reason, which recolours the embed, copies decided suggestions to a log channel and
//! tells the author by direct message when their DMs are open. Anonymous suggestions keep their
//! author in the store only. A per-member cooldown stops floods.
//!
//! Everything lives in the store (see [`model`]); buttons carry only the suggestion's number (see
//! [`render::Ballot`]), so suggestions keep working after restarts and reloads. The instance
//! holds nothing.

mod command;
mod config;
mod decide;
mod model;
mod render;
mod submit;
mod vote;

#[cfg(test)]
mod tests;

use arsenal_plugin_api::prelude::*;

use crate::{
    command::{Suggest, SuggestionCommand},
    model::Status,
};

/// The plugin. Stateless: every handler reads the store.
pub struct Suggestions;

impl Plugin for Suggestions {
    const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");

    fn manifest() -> Manifest {
        Manifest::new("suggestions", env!("CARGO_PKG_VERSION"))
            .description("Suggestions with votes, discussion threads and staff decisions")
            .command(Suggest::spec())
            .command(SuggestionCommand::spec())
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Self)
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let invoker = &command.invoker;
        let tr = ctx.tr(invoker);
        let Some(guild) = invoker.guild_id else {
            return Ok(Response::ephemeral(tr.t("suggestions-guild-only")));
        };
        if command.name == "suggest" {
            return match Suggest::parse(command) {
                Ok(suggest) => submit::suggest(ctx, tr, invoker, guild, suggest),
                Err(refusal) => Ok(refusal.into()),
            };
        }
        let parsed = match SuggestionCommand::parse(command) {
            Ok(parsed) => parsed,
            Err(refusal) => return Ok(refusal.into()),
        };
        let admin_only = matches!(
            parsed,
            SuggestionCommand::Config(_) | SuggestionCommand::Staff(_)
        );
        if admin_only && !decide::is_admin(invoker) {
            return Ok(Response::ephemeral(tr.t("suggestions-need-manage-server")));
        }
        match parsed {
            SuggestionCommand::Approve(d) => {
                decide::decide(ctx, tr, invoker, guild, Status::Approved, d)
            }
            SuggestionCommand::Deny(d) => {
                decide::decide(ctx, tr, invoker, guild, Status::Denied, d)
            }
            SuggestionCommand::Consider(d) => {
                decide::decide(ctx, tr, invoker, guild, Status::Considered, d)
            }
            SuggestionCommand::Implement(d) => {
                decide::decide(ctx, tr, invoker, guild, Status::Implemented, d)
            }
            SuggestionCommand::Show(show) => decide::show(ctx, tr, invoker, guild, show.id),
            SuggestionCommand::Config(settings) => config::configure(ctx, tr, guild, settings),
            SuggestionCommand::Staff(staff) => config::toggle_staff(ctx, tr, guild, staff.role),
        }
    }

    fn on_component(&mut self, ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
        vote::on_component(ctx, component)
    }
}

arsenal_plugin_api::export_plugin!(Suggestions);
