//! The records the module keeps in its store namespace, their keys, and the small value types
//! shared by every command (amounts, durations, the clock).
//!
//! Every record carries `v` (its schema version, 1 today) so a later version can migrate old
//! values on read; every field has a serde default so older records keep loading.

use std::collections::BTreeMap;

use arsenal_plugin_api::model::id::{
    marker::{GuildMarker, RoleMarker, UserMarker},
    Id,
};
use serde::{Deserialize, Serialize};

/// The record schema version this code writes.
pub const RECORD_VERSION: u32 = 1;

/// The largest amount any balance, price or payment may reach, so sums never overflow.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

fn record_version() -> u32 {
    RECORD_VERSION
}

/// One member's money, XP and items in one guild (`guild:<g>:user:<u>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    #[serde(default = "record_version")]
    pub v: u32,
    /// Last display name seen, so lists need not mention (and ping) members.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub wallet: i64,
    #[serde(default)]
    pub bank: i64,
    #[serde(default)]
    pub xp: u64,
    #[serde(default)]
    pub level: u32,
    /// Unix seconds of the last `daily` claim.
    #[serde(default)]
    pub last_daily: Option<u64>,
    /// Unix seconds of the last `work`.
    #[serde(default)]
    pub last_work: Option<u64>,
    /// Unix milliseconds of the last message that earned XP.
    #[serde(default)]
    pub last_xp_ms: Option<u64>,
    /// Plain shop items owned, by item id.
    #[serde(default)]
    pub inventory: BTreeMap<String, Owned>,
}

impl Default for Account {
    fn default() -> Self {
        Self {
            v: RECORD_VERSION,
            name: None,
            wallet: 0,
            bank: 0,
            xp: 0,
            level: 0,
            last_daily: None,
            last_work: None,
            last_xp_ms: None,
            inventory: BTreeMap::new(),
        }
    }
}

impl Account {
    /// Wallet plus bank.
    #[must_use]
    pub fn total(&self) -> i64 {
        self.wallet.saturating_add(self.bank)
    }
}

/// Copies of one shop item a member owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Owned {
    /// The item's name when bought (kept if the item leaves the shop).
    pub name: String,
    pub count: u64,
}

/// One guild's settings (`guild:<g>:config`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GuildConfig {
    pub v: u32,
    pub currency_name: String,
    pub currency_symbol: String,
    pub daily_amount: i64,
    pub daily_cooldown_secs: u64,
    pub work_min: i64,
    pub work_max: i64,
    pub work_cooldown_secs: u64,
    pub xp_per_message: u64,
    pub xp_cooldown_secs: u64,
    /// Level → role given on reaching it.
    pub level_roles: BTreeMap<u32, Id<RoleMarker>>,
}

impl Default for GuildConfig {
    fn default() -> Self {
        Self {
            v: RECORD_VERSION,
            currency_name: "coins".to_owned(),
            currency_symbol: "🪙".to_owned(),
            daily_amount: 100,
            daily_cooldown_secs: 24 * 3600,
            work_min: 10,
            work_max: 50,
            work_cooldown_secs: 3600,
            xp_per_message: 15,
            xp_cooldown_secs: 60,
            level_roles: BTreeMap::new(),
        }
    }
}

impl GuildConfig {
    /// `🪙 1,250 coins`.
    #[must_use]
    pub fn money(&self, amount: i64) -> String {
        format!(
            "{} {} {}",
            self.currency_symbol,
            thousands(amount),
            self.currency_name
        )
    }
}

/// An item for sale (`guild:<g>:shop:<id>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopItem {
    #[serde(default = "record_version")]
    pub v: u32,
    pub name: String,
    pub price: i64,
    /// Copies left; `None` is unlimited.
    #[serde(default)]
    pub stock: Option<u64>,
    /// Buying it grants this role instead of an inventory item.
    #[serde(default)]
    pub role: Option<Id<RoleMarker>>,
    #[serde(default)]
    pub description: String,
}

/// Store keys. One key per member keeps transfers to two-key transactions.
pub mod keys {
    use super::{GuildMarker, Id, UserMarker};

    #[must_use]
    pub fn account(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
        format!("guild:{guild}:user:{user}")
    }

    #[must_use]
    pub fn accounts(guild: Id<GuildMarker>) -> String {
        format!("guild:{guild}:user:")
    }

    #[must_use]
    pub fn config(guild: Id<GuildMarker>) -> String {
        format!("guild:{guild}:config")
    }

    #[must_use]
    pub fn item(guild: Id<GuildMarker>, item: &str) -> String {
        format!("guild:{guild}:shop:{item}")
    }

    #[must_use]
    pub fn items(guild: Id<GuildMarker>) -> String {
        format!("guild:{guild}:shop:")
    }

    /// The member id at the end of an account key.
    #[must_use]
    pub fn user_of(key: &str) -> Option<Id<UserMarker>> {
        key.rsplit_once(":user:")
            .and_then(|(_, id)| id.parse::<u64>().ok())
            .and_then(Id::new_checked)
    }
}

/// `1234567` → `1,234,567`.
#[must_use]
pub fn thousands(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    // Digits before the first comma, then groups of three.
    let head = match digits.len() % 3 {
        0 => 3,
        n => n,
    };
    out.push_str(&digits[..head.min(digits.len())]);
    for group in digits.as_bytes()[head.min(digits.len())..].chunks(3) {
        out.push(',');
        out.extend(group.iter().map(|b| char::from(*b)));
    }
    if amount < 0 {
        out.insert(0, '-');
    }
    out
}

/// `3725` → `1h 2m 5s`, the largest two units.
#[must_use]
pub fn duration(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    let parts: Vec<String> = [(d, "d"), (h, "h"), (m, "m"), (s, "s")]
        .into_iter()
        .skip_while(|(n, _)| *n == 0)
        .take(2)
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if parts.is_empty() {
        "0s".to_owned()
    } else {
        parts.join(" ")
    }
}

/// A shop item's id from what a user typed: lowercase letters, digits and `-`.
#[must_use]
pub fn item_id(name: &str) -> String {
    let mut id = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    while id.ends_with('-') {
        id.pop();
    }
    id.chars().take(32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_helpers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(-1000), "-1,000");
        assert_eq!(duration(3725), "1h 2m");
        assert_eq!(duration(86400 + 5), "1d");
        assert_eq!(duration(59), "59s");
        assert_eq!(duration(0), "0s");
        assert_eq!(item_id("  Golden Ticket!! "), "golden-ticket");
        assert_eq!(item_id("VIP"), "vip");
        assert_eq!(item_id("***"), "");
        let key = keys::account(Id::new(1), Id::new(42));
        assert_eq!(keys::user_of(&key), Some(Id::new(42)));
    }

    #[test]
    fn old_records_load_with_defaults() {
        let account: Account = serde_json::from_str(r#"{"wallet": 5}"#).unwrap();
        assert_eq!((account.v, account.wallet, account.bank), (1, 5, 0));
        let config: GuildConfig = serde_json::from_str(r#"{"daily_amount": 7}"#).unwrap();
        assert_eq!((config.daily_amount, config.xp_cooldown_secs), (7, 60));
    }
}
