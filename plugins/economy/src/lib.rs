//! The `economy` module: coins with a wallet and a bank, daily and work rewards, payments, a
//! leaderboard, a shop of roles and items, message XP with levels and level roles, and
//! per-guild settings. Everything lives in the host's store (see `model`), so reloads and
//! restarts lose nothing.
//!
//! One command, `/economy …` (also `!economy …`). Admin subcommands (`admin`, `shop add|remove`,
//! `config` changes) check Manage Server themselves, since the command as a whole is for
//! everyone.

mod bank;
mod call;
mod leaderboard;
mod levels;
mod model;
mod settings;
mod shop;
#[cfg(test)]
mod tests;

use arsenal_plugin_api::{
    manifest::{option, subcommand},
    model::{
        application::command::{CommandOption, CommandOptionType},
        gateway::{payload::incoming::MessageCreate, Intents},
    },
    protocol::ComponentInvocation,
    CommandInvocation, CommandSpec, Context, Events, Manifest, Plugin, Response, Result,
};

use crate::{
    bank::{Move, Reward},
    call::{refuse, Call},
};

pub struct Economy;

impl Plugin for Economy {
    fn manifest() -> Manifest {
        Manifest::new("economy", env!("CARGO_PKG_VERSION"))
            .description("Coins, daily rewards, payments, a shop, message XP and levels")
            .intents(Intents::GUILD_MESSAGES)
            .command(manifest_command())
    }

    fn events(events: &mut Events<Self>) {
        events.on::<MessageCreate>(|_, ctx, event| levels::on_message(ctx, event));
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Economy)
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let Some(call) = Call::new(ctx, command)? else {
            return refuse("The economy lives in servers, not in DMs.");
        };
        let path: Vec<&str> = command.subcommand.iter().map(String::as_str).collect();
        match path.as_slice() {
            ["balance"] => bank::balance(&call),
            ["daily"] => bank::claim(&call, Reward::Daily),
            ["work"] => bank::claim(&call, Reward::Work),
            ["pay" | "transfer"] => bank::pay(&call),
            ["deposit"] => bank::move_money(&call, Move::Deposit),
            ["withdraw"] => bank::move_money(&call, Move::Withdraw),
            ["leaderboard"] => leaderboard::command(&call),
            ["rank"] => levels::rank(&call),
            ["inventory"] => shop::inventory(&call),
            ["shop", "list"] => shop::list(&call),
            ["shop", "buy"] => shop::buy(&call),
            ["shop", "add"] => shop::add(&call),
            ["shop", "remove"] => shop::remove(&call),
            ["admin", action @ ("set" | "add" | "remove")] => bank::admin(&call, action),
            ["config", sub] => settings::command(&call, sub),
            _ => refuse(
                "Use `/economy balance`, `daily`, `work`, `pay`, `deposit`, `withdraw`, \
                 `leaderboard`, `rank`, `inventory`, `shop …`, `admin …` or `config …`.",
            ),
        }
    }

    fn on_component(&mut self, ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
        leaderboard::click(ctx, component)
    }
}

fn manifest_command() -> CommandSpec {
    use CommandOptionType::{Integer, Role, String as Text, User};
    let member = |description: &str, required| option(User, "member", description, required);
    let amount = |description: &str| option(Integer, "amount", description, true);
    let all_or = |description: &str| option(Text, "amount", description, true);
    let item = || option(Text, "item", "The item's name", true);
    let group = |name: &str, description: &str, subcommands: Vec<CommandOption>| CommandOption {
        kind: CommandOptionType::SubCommandGroup,
        ..subcommand(name, description, subcommands)
    };
    CommandSpec::new("economy", "Coins, rewards, the shop and levels")
        .with_prefix()
        .option(subcommand(
            "balance",
            "Show a wallet and bank",
            vec![member("Whose (you if empty)", false)],
        ))
        .option(subcommand("daily", "Claim your daily reward", vec![]))
        .option(subcommand("work", "Work a shift for some coins", vec![]))
        .option(subcommand(
            "pay",
            "Give coins to a member",
            vec![member("Who gets them", true), amount("How many")],
        ))
        .option(subcommand(
            "transfer",
            "Give coins to a member (same as pay)",
            vec![member("Who gets them", true), amount("How many")],
        ))
        .option(subcommand(
            "deposit",
            "Move coins from your wallet to the bank",
            vec![all_or("How many, or all")],
        ))
        .option(subcommand(
            "withdraw",
            "Move coins from the bank to your wallet",
            vec![all_or("How many, or all")],
        ))
        .option(subcommand(
            "leaderboard",
            "The richest members",
            vec![option(Integer, "page", "Page number", false)],
        ))
        .option(subcommand(
            "rank",
            "Level and XP",
            vec![member("Whose (you if empty)", false)],
        ))
        .option(subcommand(
            "inventory",
            "Items owned",
            vec![member("Whose (you if empty)", false)],
        ))
        .option(group(
            "shop",
            "Buy and sell items",
            vec![
                subcommand("list", "What is for sale", vec![]),
                subcommand("buy", "Buy an item", vec![item()]),
                subcommand(
                    "add",
                    "Sell an item or a role (Manage Server)",
                    vec![
                        option(Text, "name", "The item's name", true),
                        option(Integer, "price", "Its price", true),
                        option(
                            Integer,
                            "stock",
                            "How many can be sold (unlimited if empty)",
                            false,
                        ),
                        option(Role, "role", "Buying it grants this role", false),
                        option(Text, "description", "A short description", false),
                    ],
                ),
                subcommand(
                    "remove",
                    "Stop selling an item (Manage Server)",
                    vec![item()],
                ),
            ],
        ))
        .option(group(
            "admin",
            "Change balances (Manage Server)",
            vec![
                subcommand(
                    "set",
                    "Set a member's wallet",
                    vec![member("Whose", true), amount("The new wallet")],
                ),
                subcommand(
                    "add",
                    "Add coins to a member's wallet",
                    vec![member("Whose", true), amount("How many")],
                ),
                subcommand(
                    "remove",
                    "Take coins from a member's wallet",
                    vec![member("Whose", true), amount("How many")],
                ),
            ],
        ))
        .option(group(
            "config",
            "Server settings (changes need Manage Server)",
            vec![
                subcommand("show", "Show the settings", vec![]),
                subcommand(
                    "currency",
                    "Name and symbol of the currency",
                    vec![
                        option(Text, "name", "Like coins or gems", true),
                        option(Text, "symbol", "Like 🪙 or 💎", false),
                    ],
                ),
                subcommand(
                    "daily",
                    "The daily reward",
                    vec![
                        option(Integer, "amount", "Coins per claim", true),
                        option(
                            Integer,
                            "cooldown_hours",
                            "Hours between claims (24 if empty)",
                            false,
                        ),
                    ],
                ),
                subcommand(
                    "work",
                    "The work reward",
                    vec![
                        option(Integer, "min", "Fewest coins per shift", true),
                        option(Integer, "max", "Most coins per shift", true),
                        option(Integer, "cooldown_minutes", "Minutes between shifts", false),
                    ],
                ),
                subcommand(
                    "xp",
                    "XP per message",
                    vec![
                        option(Integer, "amount", "XP per message (0 turns XP off)", true),
                        option(
                            Integer,
                            "cooldown_seconds",
                            "Seconds before a member earns XP again",
                            false,
                        ),
                    ],
                ),
                subcommand(
                    "levelrole",
                    "A role given on reaching a level",
                    vec![
                        option(Integer, "level", "The level", true),
                        option(Role, "role", "The role (empty removes it)", false),
                    ],
                ),
            ],
        ))
}

arsenal_plugin_api::export_plugin!(Economy);
