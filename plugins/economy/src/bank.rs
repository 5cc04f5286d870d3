//! Money: balance, daily and work rewards with per-guild cooldowns, payments between members,
//! wallet ↔ bank moves, and the admins' set/add/remove.
//!
//! Every change is one store transaction over the accounts it touches, so concurrent commands
//! can never duplicate or lose coins: a transaction that lost a race runs again on fresh values.

use arsenal_plugin_api::{
    model::id::{marker::UserMarker, Id},
    sdk::Transaction,
    Response, Result, Store,
};

use crate::{
    call::{refuse, Call, Refusal},
    command::{AdminCommand, ChangeWallet, Moved, Payment, SetWallet},
    model::{duration, keys, Account, MAX_AMOUNT},
    options::{parse_amount, Amount, Given, Whole},
};

/// `/economy balance [member]`.
pub fn balance(call: &Call<'_>, member: Option<Id<UserMarker>>) -> Result<Response> {
    let user = member.unwrap_or(call.user());
    let account = call.account(user)?;
    let config = &call.config;
    let who = if user == call.user() {
        "You have".to_owned()
    } else {
        format!("<@{user}> has")
    };
    Ok(Response::text(format!(
        "{who} {} in the wallet and {} in the bank (total {}).",
        config.money(account.wallet),
        config.money(account.bank),
        config.money(account.total())
    )))
}

/// Which timed reward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reward {
    Daily,
    Work,
}

/// `/economy daily` and `/economy work`: a reward at most once per cooldown.
pub fn claim(call: &Call<'_>, reward: Reward) -> Result<Response> {
    let config = &call.config;
    let (amount, cooldown) = match reward {
        Reward::Daily => (config.daily_amount, config.daily_cooldown_secs),
        Reward::Work => (
            random_in(config.work_min, config.work_max, call.user().get()),
            config.work_cooldown_secs,
        ),
    };
    // The host's clock (settable in tests); claim times are stored in Unix seconds.
    let now = call.ctx.now() / 1000;
    let key = call.key(call.user());
    let name = call.name();
    let outcome = call.ctx.store().transaction(|txn| {
        let mut account: Account = txn.get(&key)?.unwrap_or_default();
        let last = match reward {
            Reward::Daily => &mut account.last_daily,
            Reward::Work => &mut account.last_work,
        };
        if let Some(wait) = last.and_then(|at| (at + cooldown).checked_sub(now)) {
            if wait > 0 {
                return Ok(Err(wait));
            }
        }
        *last = Some(now);
        account.wallet = account.wallet.saturating_add(amount).min(MAX_AMOUNT);
        account.name.clone_from(&name);
        txn.set(&key, &account)?;
        Ok(Ok(account.wallet))
    })?;
    match (outcome, reward) {
        (Err(wait), Reward::Daily) => refuse(format!(
            "You already claimed your daily reward. Come back in {}.",
            duration(wait)
        )),
        (Err(wait), Reward::Work) => refuse(format!(
            "You are still tired from your last shift. Work again in {}.",
            duration(wait)
        )),
        (Ok(wallet), Reward::Daily) => Ok(Response::text(format!(
            "You claimed your daily {}. Wallet: {}.",
            config.money(amount),
            config.money(wallet)
        ))),
        (Ok(wallet), Reward::Work) => Ok(Response::text(format!(
            "You {} and earned {}. Wallet: {}.",
            job(now),
            config.money(amount),
            config.money(wallet)
        ))),
    }
}

/// `/economy pay <member> <amount>` (also `transfer`).
pub fn pay(call: &Call<'_>, payment: Payment) -> Result<Response> {
    let Payment {
        member: Given(Some(target)),
        amount: Amount(amount),
    } = payment
    else {
        return refuse("Who should get the money? `/economy pay member:@someone amount:100`.");
    };
    if target == call.user() {
        return refuse("You can't pay yourself.");
    }
    let target_name = match call.require_human_member(target)? {
        Ok(name) => name,
        Err(refusal) => return refuse(refusal),
    };
    let store = call.ctx.store();
    let paid = transfer(&store, call, target, target_name.as_deref(), amount)?;
    match paid {
        Err(refusal) => refuse(refusal),
        Ok(wallet) => Ok(Response::text(format!(
            "You paid <@{target}> {}. Your wallet: {}.",
            call.config.money(amount),
            call.config.money(wallet)
        ))),
    }
}

/// Moves `amount` from the invoker's wallet to `target`'s, all or nothing; returns the
/// invoker's new wallet.
pub fn transfer(
    store: &Store,
    call: &Call<'_>,
    target: Id<UserMarker>,
    target_name: Option<&str>,
    amount: i64,
) -> Result<Result<i64, Refusal>> {
    let names = (call.name(), target_name.map(str::to_owned));
    store.transaction(|txn| transfer_in(txn, call, target, amount, names.clone()))
}

/// The body of [`transfer`]: reads both accounts and buffers both writes, or refuses.
pub fn transfer_in(
    txn: &mut Transaction<'_>,
    call: &Call<'_>,
    target: Id<UserMarker>,
    amount: i64,
    (from_name, to_name): (Option<String>, Option<String>),
) -> Result<Result<i64, Refusal>> {
    let (from_key, to_key) = (call.key(call.user()), call.key(target));
    let mut from: Account = txn.get(&from_key)?.unwrap_or_default();
    let mut to: Account = txn.get(&to_key)?.unwrap_or_default();
    if from.wallet < amount {
        return Ok(Err(format!(
            "You only have {} in your wallet.",
            call.config.money(from.wallet)
        )));
    }
    if to.wallet > MAX_AMOUNT - amount {
        return Ok(Err(format!(
            "<@{target}>'s wallet cannot hold that much more."
        )));
    }
    from.wallet -= amount;
    to.wallet += amount;
    from.name = from_name.or(from.name);
    to.name = to_name.or(to.name);
    txn.set(&from_key, &from)?;
    txn.set(&to_key, &to)?;
    Ok(Ok(from.wallet))
}

/// Which way money moves between wallet and bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Deposit,
    Withdraw,
}

/// `/economy deposit <amount|all>` and `/economy withdraw <amount|all>`.
pub fn move_money(call: &Call<'_>, direction: Move, Moved { amount }: Moved) -> Result<Response> {
    let text = amount.0;
    let wanted = if text.eq_ignore_ascii_case("all") {
        None
    } else {
        match parse_amount(&text) {
            Ok(amount) => Some(amount),
            Err(_) if text.is_empty() => return refuse("Give an amount or `all`."),
            Err(refusal) => return refuse(format!("{refusal} (or `all`)")),
        }
    };
    let key = call.key(call.user());
    let config = &call.config;
    let outcome = call.ctx.store().transaction(|txn| {
        let mut account: Account = txn.get(&key)?.unwrap_or_default();
        let (from, to) = match direction {
            Move::Deposit => (account.wallet, account.bank),
            Move::Withdraw => (account.bank, account.wallet),
        };
        let amount = wanted.unwrap_or(from);
        if amount > from || amount == 0 {
            return Ok(Err(match direction {
                Move::Deposit => format!("You have {} in your wallet.", config.money(from)),
                Move::Withdraw => format!("You have {} in the bank.", config.money(from)),
            }));
        }
        if to > MAX_AMOUNT - amount {
            return Ok(Err("That would hold more than the bank allows.".to_owned()));
        }
        let (from, to) = (from - amount, to + amount);
        (account.wallet, account.bank) = match direction {
            Move::Deposit => (from, to),
            Move::Withdraw => (to, from),
        };
        txn.set(&key, &account)?;
        Ok(Ok((account, amount)))
    })?;
    match outcome {
        Err(refusal) => refuse(refusal),
        Ok((account, amount)) => Ok(Response::text(format!(
            "{} {}. Wallet: {}, bank: {}.",
            match direction {
                Move::Deposit => "Deposited",
                Move::Withdraw => "Withdrew",
            },
            config.money(amount),
            config.money(account.wallet),
            config.money(account.bank)
        ))),
    }
}

/// `/economy admin set|add|remove <member> <amount>` (Manage Server).
pub fn admin(call: &Call<'_>, command: AdminCommand) -> Result<Response> {
    if let Err(refusal) = call.require_admin() {
        return refuse(refusal);
    }
    let (action, member, amount) = match command {
        AdminCommand::Set(SetWallet { member, amount }) => {
            (Admin::Set, member, amount.0.map(|Whole(amount)| amount))
        }
        AdminCommand::Add(ChangeWallet { member, amount }) => (Admin::Add, member, Some(amount.0)),
        AdminCommand::Remove(ChangeWallet { member, amount }) => {
            (Admin::Remove, member, Some(amount.0))
        }
    };
    let Given(Some(target)) = member else {
        return refuse("Name a member: `member:@someone`.");
    };
    let Some(amount) = amount else {
        return refuse("Give an amount: `amount:100`.");
    };
    let name = match call.require_human_member(target)? {
        Ok(name) => name,
        Err(refusal) => return refuse(refusal),
    };
    let key = keys::account(call.guild, target);
    let account = call.ctx.store().update(&key, |account: Option<Account>| {
        let mut account = account.unwrap_or_default();
        account.wallet = match action {
            Admin::Set => amount,
            Admin::Add => account.wallet.saturating_add(amount).min(MAX_AMOUNT),
            Admin::Remove => (account.wallet - amount).max(0),
        };
        account.name = name.clone().or(account.name);
        Ok(Some(account))
    })?;
    let wallet = account.map_or(0, |a| a.wallet);
    Ok(Response::ephemeral(format!(
        "<@{target}>'s wallet is now {}.",
        call.config.money(wallet)
    )))
}

/// What `/economy admin` does to a wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Admin {
    Set,
    Add,
    Remove,
}

/// A number in `min..=max` that differs between users and calls (no cryptographic needs).
fn random_in(min: i64, max: i64, salt: u64) -> i64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    // splitmix64
    let mut z = salt ^ u64::from(nanos).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let span = max.saturating_sub(min).max(0) as u64 + 1;
    min + (z % span) as i64
}

fn job(seed: u64) -> &'static str {
    const JOBS: [&str; 6] = [
        "brewed coffee for the regulars",
        "fixed a stubborn printer",
        "walked the neighbour's dogs",
        "delivered pizzas in the rain",
        "tutored a confused student",
        "debugged a legacy codebase",
    ];
    JOBS[(seed % JOBS.len() as u64) as usize]
}
