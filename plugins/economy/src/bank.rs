//! Money: balance, daily and work rewards with per-guild cooldowns, payments between members,
//! wallet ↔ bank moves, and the admins' set/add/remove.
//!
//! Every change is one store transaction over the accounts it touches, so concurrent commands
//! can never duplicate or lose coins: a transaction that lost a race runs again on fresh values.

use arsenal_plugin_api::{
    model::id::{marker::UserMarker, Id},
    sdk::Transaction,
    tr, Response, Result, Store,
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
    let key = if user == call.user() {
        "economy-balance-self"
    } else {
        "economy-balance-other"
    };
    Ok(Response::text(tr!(
        call.tr,
        key,
        user = user.to_string(),
        wallet = config.money(account.wallet),
        bank = config.money(account.bank),
        total = config.money(account.total())
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
        (Err(wait), Reward::Daily) => {
            refuse(tr!(call.tr, "economy-daily-wait", wait = duration(wait)))
        }
        (Err(wait), Reward::Work) => {
            refuse(tr!(call.tr, "economy-work-wait", wait = duration(wait)))
        }
        (Ok(wallet), Reward::Daily) => Ok(Response::text(tr!(
            call.tr,
            "economy-daily-claimed",
            amount = config.money(amount),
            wallet = config.money(wallet)
        ))),
        (Ok(wallet), Reward::Work) => Ok(Response::text(tr!(
            call.tr,
            "economy-work-done",
            job = call.tr.t(job(now)),
            amount = config.money(amount),
            wallet = config.money(wallet)
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
        return refuse(call.tr.t("economy-pay-who"));
    };
    if target == call.user() {
        return refuse(call.tr.t("economy-pay-self"));
    }
    let target_name = match call.require_human_member(target)? {
        Ok(name) => name,
        Err(refusal) => return refuse(refusal),
    };
    let store = call.ctx.store();
    let paid = transfer(&store, call, target, target_name.as_deref(), amount)?;
    match paid {
        Err(refusal) => refuse(refusal),
        Ok(wallet) => Ok(Response::text(tr!(
            call.tr,
            "economy-paid",
            user = target.to_string(),
            amount = call.config.money(amount),
            wallet = call.config.money(wallet)
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
        return Ok(Err(tr!(
            call.tr,
            "economy-wallet-short",
            wallet = call.config.money(from.wallet)
        )));
    }
    if to.wallet > MAX_AMOUNT - amount {
        return Ok(Err(tr!(
            call.tr,
            "economy-wallet-full",
            user = target.to_string()
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
            Err(_) if text.is_empty() => return refuse(call.tr.t("economy-move-amount")),
            Err(refusal) => return refuse(tr!(call.tr, "economy-move-or-all", refusal = refusal)),
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
            let key = match direction {
                Move::Deposit => "economy-deposit-short",
                Move::Withdraw => "economy-withdraw-short",
            };
            return Ok(Err(tr!(call.tr, key, amount = config.money(from))));
        }
        if to > MAX_AMOUNT - amount {
            return Ok(Err(call.tr.t("economy-bank-full")));
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
        Ok((account, amount)) => Ok(Response::text(tr!(
            call.tr,
            match direction {
                Move::Deposit => "economy-deposited",
                Move::Withdraw => "economy-withdrew",
            },
            amount = config.money(amount),
            wallet = config.money(account.wallet),
            bank = config.money(account.bank)
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
        return refuse(call.tr.t("economy-admin-member"));
    };
    let Some(amount) = amount else {
        return refuse(call.tr.t("economy-admin-amount"));
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
    Ok(Response::ephemeral(tr!(
        call.tr,
        "economy-admin-wallet",
        user = target.to_string(),
        wallet = call.config.money(wallet)
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

/// The message id of the shift worked (`economy-job-<n>`).
fn job(seed: u64) -> &'static str {
    const JOBS: [&str; 6] = [
        "economy-job-0",
        "economy-job-1",
        "economy-job-2",
        "economy-job-3",
        "economy-job-4",
        "economy-job-5",
    ];
    JOBS[(seed % JOBS.len() as u64) as usize]
}
