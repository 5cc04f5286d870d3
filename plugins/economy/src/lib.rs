//! The `economy` module: coins with a wallet and a bank, daily and work rewards, payments, a
//! leaderboard, a shop of roles and items, message XP with levels and level roles, and
//! per-guild settings. Everything lives in the host's store (see `model`), so reloads and
//! restarts lose nothing.
//!
//! One command, `/economy …` (also `!economy …`), derived from the types in `command`. Admin
//! subcommands (`admin`, `config` changes) declare Manage Server, which the host enforces;
//! those and `shop add|remove` also check it themselves, since the command as a whole is for
//! everyone.

mod bank;
mod call;
mod command;
mod leaderboard;
mod levels;
mod model;
mod options;
mod requests;
mod settings;
mod shop;
#[cfg(test)]
mod tests;

use arsenal_plugin_api::{
    command::{ParseError, ParseErrorType},
    i18n::{Locales, Tr},
    model::gateway::{payload::incoming::MessageCreate, Intents},
    protocol::ComponentInvocation,
    tr, Command, CommandInvocation, Context, Events, Manifest, Plugin, Response, Result,
};

use crate::{
    bank::{Move, Reward},
    call::{refuse, Call},
    command::{EconomyCommand, ShopCommand},
};

pub struct Economy;

impl Plugin for Economy {
    const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");

    fn manifest() -> Manifest {
        Manifest::new("economy", env!("CARGO_PKG_VERSION"))
            .description("Coins, daily rewards, payments, a shop, message XP and levels")
            .intents(Intents::GUILD_MESSAGES)
            .command(EconomyCommand::spec())
            .answers(requests::MEMBER_STATS)
    }

    fn events(events: &mut Events<Self>) {
        events.on::<MessageCreate>(|_, ctx, event| levels::on_message(ctx, event));
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Economy)
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let Some(call) = Call::new(ctx, command)? else {
            return refuse(ctx.tr(&command.invoker).t("economy-dm"));
        };
        let parsed = match EconomyCommand::parse(command) {
            Ok(parsed) => parsed,
            Err(error) => return refuse(refusal(call.tr, &error)),
        };
        match parsed {
            EconomyCommand::Balance(whose) => bank::balance(&call, whose.member),
            EconomyCommand::Daily => bank::claim(&call, Reward::Daily),
            EconomyCommand::Work => bank::claim(&call, Reward::Work),
            EconomyCommand::Pay(payment) | EconomyCommand::Transfer(payment) => {
                bank::pay(&call, payment)
            }
            EconomyCommand::Deposit(moved) => bank::move_money(&call, Move::Deposit, moved),
            EconomyCommand::Withdraw(moved) => bank::move_money(&call, Move::Withdraw, moved),
            EconomyCommand::Leaderboard(page) => {
                leaderboard::command(&call, page.page.map(|page| page.0))
            }
            EconomyCommand::Rank(whose) => levels::rank(&call, whose.member),
            EconomyCommand::Inventory(whose) => shop::inventory(&call, whose.member),
            EconomyCommand::Shop(ShopCommand::List) => shop::list(&call),
            EconomyCommand::Shop(ShopCommand::Buy(item)) => shop::buy(&call, item),
            EconomyCommand::Shop(ShopCommand::Add(new)) => shop::add(&call, new),
            EconomyCommand::Shop(ShopCommand::Remove(item)) => shop::remove(&call, item),
            EconomyCommand::Admin(admin) => bank::admin(&call, admin),
            EconomyCommand::Config(config) => settings::command(&call, config),
        }
    }

    fn on_component(&mut self, ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
        leaderboard::click(ctx, component)
    }

    fn on_request(
        &mut self,
        ctx: &Context,
        request: &arsenal_plugin_api::protocol::ModuleRequest,
    ) -> Result<serde_json::Value> {
        requests::answer(ctx, request)
    }
}

/// The answer to an invocation that does not fit the command: the option's own sentence, or
/// the list of subcommands when none (or an unknown one) was named.
fn refusal(tr: Tr<'_>, error: &ParseError) -> String {
    match error.kind() {
        ParseErrorType::UnknownSubcommand => tr.t("economy-usage"),
        _ if error.option() == "price" => {
            tr!(tr, "economy-price-refusal", message = error.message())
        }
        _ => error.message().to_owned(),
    }
}

arsenal_plugin_api::export_plugin!(Economy);
