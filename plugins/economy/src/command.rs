//! `/economy` (and `!economy`) as typed values: the derive declares the command to Discord and
//! parses each invocation into [`EconomyCommand`]. Options are read with the module's own types
//! (`options.rs`), so the wording of refusals and the declared options are as before.
//! Changing balances and settings needs Manage Server, which the host enforces
//! (`permissions` on the variants); the handlers check it again for callers that bypass it.

use arsenal_plugin_api::{
    model::id::{
        marker::{RoleMarker, UserMarker},
        Id,
    },
    Command,
};

use crate::{
    model::MAX_AMOUNT,
    options::{Amount, Given, Text, Whole},
};

/// Longest daily cooldown, in hours.
pub const MAX_COOLDOWN_HOURS: i64 = 24 * 30;
const MAX_COOLDOWN_MINUTES: i64 = MAX_COOLDOWN_HOURS * 60;
const MAX_STOCK: i64 = 1_000_000;

/// The whole command.
#[derive(Debug, Command)]
#[command(name = "economy", desc = "Coins, rewards, the shop and levels", prefix)]
pub enum EconomyCommand {
    /// Show a wallet and bank
    Balance(Whose),
    /// Claim your daily reward
    Daily,
    /// Work a shift for some coins
    Work,
    /// Give coins to a member
    Pay(Payment),
    /// Give coins to a member (same as pay)
    Transfer(Payment),
    /// Move coins from your wallet to the bank
    Deposit(Moved),
    /// Move coins from the bank to your wallet
    Withdraw(Moved),
    /// The richest members
    Leaderboard(Page),
    /// Level and XP
    Rank(Whose),
    /// Items owned
    Inventory(Whose),
    /// Buy and sell items
    Shop(ShopCommand),
    /// Change balances (Manage Server)
    #[command(permissions = "MANAGE_GUILD")]
    Admin(AdminCommand),
    /// Server settings (changes need Manage Server)
    Config(ConfigCommand),
}

/// An optional member (the invoker when empty).
#[derive(Debug, Command)]
pub struct Whose {
    /// Whose (you if empty)
    pub member: Option<Id<UserMarker>>,
}

/// `pay` and `transfer`.
#[derive(Debug, Command)]
pub struct Payment {
    /// Who gets them
    pub member: Given<Id<UserMarker>>,
    /// How many
    pub amount: Amount,
}

/// `deposit` and `withdraw`: a number or `all`, read by the handler.
#[derive(Debug, Command)]
pub struct Moved {
    /// How many, or all
    pub amount: Text,
}

/// `leaderboard`.
#[derive(Debug, Command)]
pub struct Page {
    /// Page number
    pub page: Option<Whole<1, 10_000>>,
}

/// `/economy shop …`.
#[derive(Debug, Command)]
pub enum ShopCommand {
    /// What is for sale
    List,
    /// Buy an item
    Buy(Item),
    /// Sell an item or a role (Manage Server)
    #[command(permissions = "MANAGE_GUILD")]
    Add(NewItem),
    /// Stop selling an item (Manage Server)
    #[command(permissions = "MANAGE_GUILD")]
    Remove(Item),
}

/// An item named by the user.
#[derive(Debug, Command)]
pub struct Item {
    /// The item's name
    pub item: Text,
}

/// `shop add`.
#[derive(Debug, Command)]
pub struct NewItem {
    /// The item's name
    pub name: Text,
    /// Its price
    pub price: Amount,
    /// How many can be sold (unlimited if empty)
    pub stock: Option<Whole<0, MAX_STOCK>>,
    /// Buying it grants this role
    pub role: Option<Id<RoleMarker>>,
    /// A short description
    pub description: Option<Text>,
}

/// `/economy admin …`.
#[derive(Debug, Command)]
pub enum AdminCommand {
    /// Set a member's wallet
    Set(SetWallet),
    /// Add coins to a member's wallet
    Add(ChangeWallet),
    /// Take coins from a member's wallet
    Remove(ChangeWallet),
}

/// `admin set`.
#[derive(Debug, Command)]
pub struct SetWallet {
    /// Whose
    pub member: Given<Id<UserMarker>>,
    /// The new wallet
    pub amount: Given<Whole<0, MAX_AMOUNT>>,
}

/// `admin add` and `admin remove`.
#[derive(Debug, Command)]
pub struct ChangeWallet {
    /// Whose
    pub member: Given<Id<UserMarker>>,
    /// How many
    pub amount: Amount,
}

/// `/economy config …`.
#[derive(Debug, Command)]
pub enum ConfigCommand {
    /// Show the settings
    Show,
    /// Name and symbol of the currency
    #[command(permissions = "MANAGE_GUILD")]
    Currency(Currency),
    /// The daily reward
    #[command(permissions = "MANAGE_GUILD")]
    Daily(DailyReward),
    /// The work reward
    #[command(permissions = "MANAGE_GUILD")]
    Work(WorkReward),
    /// XP per message
    #[command(permissions = "MANAGE_GUILD")]
    Xp(XpRate),
    /// A role given on reaching a level
    #[command(name = "levelrole", permissions = "MANAGE_GUILD")]
    LevelRole(LevelRole),
}

/// `config currency`.
#[derive(Debug, Command)]
pub struct Currency {
    /// Like coins or gems
    pub name: Text,
    /// Like 🪙 or 💎
    pub symbol: Option<Text>,
}

/// `config daily`.
#[derive(Debug, Command)]
pub struct DailyReward {
    /// Coins per claim
    pub amount: Given<Whole<0, MAX_AMOUNT>>,
    /// Hours between claims (24 if empty)
    pub cooldown_hours: Option<Whole<1, MAX_COOLDOWN_HOURS>>,
}

/// `config work`.
#[derive(Debug, Command)]
pub struct WorkReward {
    /// Fewest coins per shift
    pub min: Given<Whole<0, MAX_AMOUNT>>,
    /// Most coins per shift
    pub max: Given<Whole<0, MAX_AMOUNT>>,
    /// Minutes between shifts
    pub cooldown_minutes: Option<Whole<1, MAX_COOLDOWN_MINUTES>>,
}

/// `config xp`.
#[derive(Debug, Command)]
pub struct XpRate {
    /// XP per message (0 turns XP off)
    pub amount: Given<Whole<0, 1000>>,
    /// Seconds before a member earns XP again
    pub cooldown_seconds: Option<Whole<0, 86_400>>,
}

/// `config levelrole`.
#[derive(Debug, Command)]
pub struct LevelRole {
    /// The level
    pub level: Given<Whole<1, 1000>>,
    /// The role (empty removes it)
    pub role: Option<Id<RoleMarker>>,
}
