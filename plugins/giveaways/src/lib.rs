//! The `giveaways` module (`/giveaway start|end|reroll|list|delete`): prizes drawn among the
//! members who press a giveaway's button, with several winners, requirements (a role, an
//! account age, an economy level asked of the economy module), bonus entries by role, a durable
//! end timer (a giveaway whose end passed while the bot was down ends right after it starts),
//! an idempotent end, entrants forgotten 30 days after the end, rerolls that leave earlier winners out, and a verifiable draw (`draw`).
//!
//! Every giveaway and entrant is a key in the module's store namespace (`model`); buttons route
//! by a stable `custom_id` and the message they sit on, so giveaways keep working after reloads
//! and restarts.

use arsenal_plugin_api::{
    prelude::*,
    protocol::{ModalInvocation, TimerFired},
};

mod command;
mod draw;
mod entry;
mod finish;
mod manage;
mod model;
mod render;
mod requirements;
mod start;

#[cfg(test)]
mod tests;

use command::GiveawayCommand;
use model::TimerTarget;

/// The module; it keeps nothing in memory.
pub struct Giveaways;

impl Plugin for Giveaways {
    const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");

    fn manifest() -> Manifest {
        Manifest::new("giveaways", env!("CARGO_PKG_VERSION"))
            .description("Giveaways with requirements, bonus entries and a verifiable draw")
            .command(GiveawayCommand::spec())
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Self)
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let tr = ctx.tr(&command.invoker);
        let Some(guild) = command.invoker.guild_id else {
            return Ok(Response::ephemeral(tr.t("giveaway-guild-only")));
        };
        let parsed = match GiveawayCommand::parse(command) {
            Ok(parsed) => parsed,
            Err(refusal) => return Ok(refusal.into()),
        };
        match parsed {
            GiveawayCommand::Start(start) => start::command(ctx, &tr, command, start),
            GiveawayCommand::End(target) => manage::end(ctx, &tr, guild, &target),
            GiveawayCommand::Reroll(reroll) => manage::reroll(ctx, &tr, guild, &reroll),
            GiveawayCommand::List => manage::list(ctx, &tr, guild),
            GiveawayCommand::Delete(target) => manage::delete(ctx, &tr, guild, &target),
        }
    }

    fn on_component(&mut self, ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
        entry::on_component(ctx, component)
    }

    fn on_autocomplete(
        &mut self,
        ctx: &Context,
        autocomplete: &AutocompleteInvocation,
    ) -> Result<Vec<Choice>> {
        manage::autocomplete(ctx, autocomplete)
    }

    fn on_modal(&mut self, ctx: &Context, modal: &ModalInvocation) -> Result<Response> {
        let tr = ctx.tr(&modal.invoker);
        match render::Ui::from_modal(modal) {
            Ok(render::Ui::Form) => start::form(ctx, &tr, modal),
            _ => Ok(Response::ephemeral(tr.t("giveaway-old-form"))),
        }
    }

    fn on_timer(&mut self, ctx: &Context, timer: &TimerFired) -> Result<()> {
        let target: TimerTarget = serde_json::from_value(timer.payload.clone()).map_err(|e| {
            // Kept and retried by the host, so a timer written by a newer version fires once
            // that version is loaded again.
            Error::invalid(format!(
                "timer {:?} has a payload this version cannot read",
                timer.key
            ))
            .with_source(e)
        })?;
        if timer.key.starts_with("refresh:") {
            return entry::refresh(ctx, target);
        }
        if timer.key.starts_with("forget:") {
            return finish::forget_entries(ctx, target);
        }
        if timer.key.starts_with("forget:") {
            return finish::forget_entries(ctx, target);
        }
        match finish::end(ctx, target.guild, target.message)? {
            finish::Ended::Drawn(_, Some(e)) | finish::Ended::Already(Some(e)) => {
                // The draw is kept; `end` scheduled another try of the announcement.
                log::warn!(
                    "giveaway {}: the announcement failed, retrying in a minute: {e}",
                    target.message
                );
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

arsenal_plugin_api::export_plugin!(Giveaways);
