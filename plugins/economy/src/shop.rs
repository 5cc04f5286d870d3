//! The shop: admins sell role items and plain items with a price and an optional stock; members
//! buy them (role items are granted through Discord and refunded if Discord refuses) and list
//! what they own.

use arsenal_plugin_api::{
    model::id::{
        marker::{RoleMarker, UserMarker},
        Id,
    },
    protocol::DiscordRequest,
    Response, Result,
};

use crate::{
    call::{refuse, Call},
    command::{Item, NewItem},
    model::{item_id, keys, Account, Owned, ShopItem, MAX_AMOUNT, RECORD_VERSION},
    options::Whole,
    settings::is_everyone,
};

/// Items one guild may sell.
pub const MAX_ITEMS: usize = 50;
const MAX_NAME: usize = 50;
const MAX_DESCRIPTION: usize = 200;

/// `/economy shop list`.
pub fn list(call: &Call<'_>) -> Result<Response> {
    let mut items: Vec<(String, ShopItem)> = call.ctx.store().list(&keys::items(call.guild))?;
    if items.is_empty() {
        return Ok(Response::text(
            "The shop is empty. Admins add items with `/economy shop add`.",
        ));
    }
    items.sort_by(|a, b| a.1.price.cmp(&b.1.price).then(a.0.cmp(&b.0)));
    let mut text = "**Shop** — buy with `/economy shop buy item:<name>`".to_owned();
    for (key, item) in &items {
        let id = key.rsplit(':').next().unwrap_or_default();
        text.push_str(&format!(
            "\n**{}** (`{id}`) — {}",
            item.name,
            call.config.money(item.price)
        ));
        if let Some(role) = item.role {
            text.push_str(&format!(" · role <@&{role}>"));
        }
        match item.stock {
            Some(0) => text.push_str(" · sold out"),
            Some(left) => text.push_str(&format!(" · {left} left")),
            None => {}
        }
        if !item.description.is_empty() {
            text.push_str(&format!("\n  {}", item.description));
        }
    }
    Ok(Response::text(text))
}

/// `/economy shop add <name> <price> [stock] [role] [description]` (Manage Server); replaces an
/// item of the same name, so it also restocks and reprices.
pub fn add(call: &Call<'_>, new: NewItem) -> Result<Response> {
    if let Err(refusal) = call.require_admin() {
        return refuse(refusal);
    }
    let name = new.name.0;
    let id = item_id(&name);
    if id.is_empty() || name.chars().count() > MAX_NAME {
        return refuse(format!(
            "The item needs a name of 1 to {MAX_NAME} characters with at least one letter or digit."
        ));
    }
    let price = new.price.0;
    let stock = new.stock.map(|Whole(stock)| stock.unsigned_abs());
    let role = new.role;
    if role.is_some_and(|role| is_everyone(call, role)) {
        return refuse("Everyone already has @everyone; pick another role.");
    }
    let description = new.description.unwrap_or_default().0;
    if description.chars().count() > MAX_DESCRIPTION {
        return refuse(format!(
            "The description can be at most {MAX_DESCRIPTION} characters."
        ));
    }
    let store = call.ctx.store();
    let key = keys::item(call.guild, &id);
    let count = store.list::<ShopItem>(&keys::items(call.guild))?.len();
    let existed = store.get::<ShopItem>(&key)?.is_some();
    if !existed && count >= MAX_ITEMS {
        return refuse(format!(
            "The shop is full ({MAX_ITEMS} items); remove one first."
        ));
    }
    let item = ShopItem {
        v: RECORD_VERSION,
        name: name.clone(),
        price,
        stock,
        role,
        description,
    };
    store.set(&key, &item)?;
    let stock = stock.map_or("unlimited stock".to_owned(), |s| format!("{s} in stock"));
    let role = role.map_or(String::new(), |r| format!(", grants <@&{r}>"));
    Ok(Response::ephemeral(format!(
        "{} **{name}** (`{id}`): {}, {stock}{role}.",
        if existed { "Updated" } else { "Added" },
        call.config.money(price)
    )))
}

/// `/economy shop remove <item>` (Manage Server).
pub fn remove(call: &Call<'_>, Item { item }: Item) -> Result<Response> {
    if let Err(refusal) = call.require_admin() {
        return refuse(refusal);
    }
    let id = item_id(&item.0);
    if !id.is_empty() && call.ctx.store().delete(&keys::item(call.guild, &id))? {
        Ok(Response::ephemeral(format!(
            "Removed `{id}` from the shop. Members keep what they bought."
        )))
    } else {
        refuse("No such item; `/economy shop list` shows them.")
    }
}

/// `/economy shop buy <item>`.
pub fn buy(call: &Call<'_>, Item { item }: Item) -> Result<Response> {
    let id = item_id(&item.0);
    let store = call.ctx.store();
    let item_key = keys::item(call.guild, &id);
    let Some(item) = (if id.is_empty() {
        None
    } else {
        store.get::<ShopItem>(&item_key)?
    }) else {
        return refuse("No such item; `/economy shop list` shows them.");
    };
    if let Some(role) = item.role {
        if call.invoker().roles.contains(&role) {
            return refuse(format!("You already have <@&{role}>."));
        }
    }
    let key = call.key(call.user());
    let name = call.name();
    let config = &call.config;
    let bought = store.transaction(|txn| {
        let Some(mut item) = txn.get::<ShopItem>(&item_key)? else {
            return Ok(Err("That item was just removed from the shop.".to_owned()));
        };
        let mut account: Account = txn.get(&key)?.unwrap_or_default();
        if item.stock == Some(0) {
            return Ok(Err(format!("**{}** is sold out.", item.name)));
        }
        if account.wallet < item.price {
            return Ok(Err(format!(
                "**{}** costs {}; you have {} in your wallet.",
                item.name,
                config.money(item.price),
                config.money(account.wallet)
            )));
        }
        account.wallet -= item.price;
        item.stock = item.stock.map(|s| s - 1);
        if item.role.is_none() {
            let owned = account.inventory.entry(id.clone()).or_insert(Owned {
                name: item.name.clone(),
                count: 0,
            });
            owned.count += 1;
        }
        account.name.clone_from(&name);
        txn.set(&item_key, &item)?;
        txn.set(&key, &account)?;
        Ok(Ok((item, account.wallet)))
    })?;
    let (item, wallet) = match bought {
        Ok(bought) => bought,
        Err(refusal) => return refuse(refusal),
    };
    let Some(role) = item.role else {
        return Ok(Response::text(format!(
            "You bought **{}** for {}. Wallet: {}.",
            item.name,
            config.money(item.price),
            config.money(wallet)
        )));
    };
    let grant = DiscordRequest::AddRole {
        guild_id: call.guild,
        user_id: call.user(),
        role_id: role,
        reason: Some(format!("economy: bought {}", item.name)),
    };
    match call.ctx.discord().execute::<serde_json::Value>(&grant) {
        Ok(_) => Ok(Response::text(format!(
            "You bought **{}** for {} and now have <@&{role}>. Wallet: {}.",
            item.name,
            config.money(item.price),
            config.money(wallet)
        ))),
        Err(e) => {
            log::warn!(
                "could not grant role {role} bought by {} in {}: {e}",
                call.user(),
                call.guild
            );
            refund(call, &item_key, &key, item.price, role)?;
            refuse(format!(
                "Discord would not give you <@&{role}>, so your {} were refunded. An admin should \
                 check that my role is above it and that I have Manage Roles. ({e})",
                config.money(item.price)
            ))
        }
    }
}

/// Gives the price back and returns the copy to the stock, after Discord refused the role.
fn refund(
    call: &Call<'_>,
    item_key: &str,
    key: &str,
    price: i64,
    role: Id<RoleMarker>,
) -> Result<()> {
    call.ctx.store().transaction(|txn| {
        let mut account: Account = txn.get(key)?.unwrap_or_default();
        account.wallet = account.wallet.saturating_add(price).min(MAX_AMOUNT);
        txn.set(key, &account)?;
        if let Some(mut item) = txn.get::<ShopItem>(item_key)? {
            if item.role == Some(role) {
                item.stock = item.stock.map(|s| s + 1);
                txn.set(item_key, &item)?;
            }
        }
        Ok(())
    })
}

/// `/economy inventory [member]`.
pub fn inventory(call: &Call<'_>, member: Option<Id<UserMarker>>) -> Result<Response> {
    let user = member.unwrap_or(call.user());
    let account = call.account(user)?;
    let who = if user == call.user() {
        "You own".to_owned()
    } else {
        format!("<@{user}> owns")
    };
    if account.inventory.is_empty() {
        return Ok(Response::text(format!("{who} no items yet.")));
    }
    let items: Vec<String> = account
        .inventory
        .values()
        .map(|owned| format!("**{}** × {}", owned.name, owned.count))
        .collect();
    Ok(Response::text(format!("{who}: {}.", items.join(", "))))
}
