//! The `profiles` module (`/profile config|view|test_style|reset|announce`): a bio, a writing
//! style and a colour theme per member and server; statistics gathered from events (messages,
//! voice time) and from economy when it is loaded (coins, level, asked through the host);
//! achievements unlocked by them and announced; a privacy switch per field; and `/profile view`
//! posting a profile card drawn as a PNG (tiny-skia, the shipped DejaVu Sans subset).
//!
//! State lives in the module's store namespace (see `model`); message counts wait in memory and
//! are written in batches (see `stats` for what a crash can lose).

use arsenal_plugin_api::{
    model::gateway::payload::incoming::{MessageCreate, VoiceStateUpdate},
    prelude::*,
    protocol::TimerFired,
};

mod achievements;
pub mod card;
mod command;
mod model;
mod settings;
mod stats;
mod style;
pub mod theme;
mod view;

#[cfg(test)]
mod tests;

use command::ProfileCommand;

/// The module: message counts waiting to be written.
pub struct Profiles {
    counters: stats::Counters,
}

impl Plugin for Profiles {
    const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");

    fn manifest() -> Manifest {
        Manifest::new("profiles", env!("CARGO_PKG_VERSION"))
            .description("Member profiles: bio, writing style, theme, statistics, achievements and a profile card")
            .intents(Intents::GUILD_MESSAGES | Intents::GUILD_VOICE_STATES)
            .command(ProfileCommand::spec())
    }

    fn events(events: &mut Events<Self>) {
        events
            .on::<MessageCreate>(|plugin, ctx, event| plugin.counters.message(ctx, &event.message))
            .on::<VoiceStateUpdate>(|_, ctx, event| stats::voice(ctx, &event.0));
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Self {
            counters: stats::Counters::default(),
        })
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let tr = ctx.tr(&command.invoker);
        let Some(guild) = command.invoker.guild_id else {
            return Ok(Response::ephemeral(tr.t("profile-guild-only")));
        };
        let parsed = match ProfileCommand::parse(command) {
            Ok(parsed) => parsed,
            Err(refusal) => return Ok(refusal.into()),
        };
        let invoker = &command.invoker;
        match parsed {
            ProfileCommand::Config(config) => settings::config(ctx, &tr, guild, invoker, config),
            ProfileCommand::View(view) => view::view(self, ctx, &tr, guild, invoker, view),
            ProfileCommand::TestStyle(test) => {
                settings::test_style(ctx, &tr, guild, invoker.user_id, &test)
            }
            ProfileCommand::Reset => settings::reset(ctx, &tr, guild, invoker.user_id),
            ProfileCommand::Announce(announce) => {
                settings::announce(ctx, &tr, guild, invoker, &announce)
            }
        }
    }

    fn on_timer(&mut self, ctx: &Context, timer: &TimerFired) -> Result<()> {
        if timer.key == stats::FLUSH_TIMER {
            return self.counters.flush(ctx);
        }
        log::warn!("unknown timer {:?} dropped", timer.key);
        Ok(())
    }

    fn on_unload(&mut self, ctx: &Context) -> Result<()> {
        self.counters.flush(ctx)
    }
}

arsenal_plugin_api::export_plugin!(Profiles);
