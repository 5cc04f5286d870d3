//! The `welcome` module: greets members who join and says goodbye to those who leave, per
//! server, as Carl-bot, Dyno and YAGPDB do: texts with placeholders (`{user}`, `{name}`,
//! `{username}`, `{server}`, `{count}`), several texts picked at random, plain or as an embed,
//! an optional direct message, roles given on join (after the rules screening on servers that
//! use it), a notice about very new accounts, deleting the greeting of a member who leaves
//! quickly, and a pause while automod's raid mode is on.
//!
//! Everything lives in the host's store (see [`config`]), so it survives reloads and restarts:
//! nothing is ever set up twice. Commands are in [`command`], their handling in [`setup`],
//! member events in [`members`].

mod command;
mod config;
mod members;
mod raid;
mod setup;
mod template;

use arsenal_plugin_api::{
    model::gateway::payload::incoming::{MemberAdd, MemberRemove, MemberUpdate},
    prelude::*,
    protocol::TimerFired,
    sdk::migrate::Data,
};

pub use command::WelcomeCommand;

pub struct Welcome;

impl Plugin for Welcome {
    const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");
    const DATA_VERSION: u32 = config::DATA_VERSION;

    fn migrate(from: u32, data: &mut Data) -> Result<()> {
        config::migrate(from, data)
    }

    fn manifest() -> Manifest {
        Manifest::new("welcome", env!("CARGO_PKG_VERSION"))
            .description("Greets members who join, says goodbye to those who leave")
            .intents(Intents::GUILD_MEMBERS)
            .command(WelcomeCommand::spec())
    }

    fn events(events: &mut Events<Self>) {
        events
            .on::<MemberAdd>(|_, ctx, event| members::joined(ctx, event))
            .on::<MemberUpdate>(|_, ctx, event| members::updated(ctx, event))
            .on::<MemberRemove>(|_, ctx, event| members::left(ctx, event));
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Welcome)
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        setup::run(ctx, command)
    }

    fn on_timer(&mut self, ctx: &Context, timer: &TimerFired) -> Result<()> {
        members::forget(ctx, timer)
    }
}

arsenal_plugin_api::export_plugin!(Welcome);

#[cfg(test)]
mod tests;
