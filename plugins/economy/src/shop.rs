//! The shop: admins sell role items and plain items with a price and an optional stock; members
//! buy them (role items are granted through Discord and refunded if Discord refuses) and list
//! what they own.

use arsenal_plugin_api::{
    model::id::{
        marker::{RoleMarker, UserMarker},
        Id,
    },
    protocol::DiscordRequest,
    tr, Response, Result,
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
        return Ok(Response::text(call.tr.t("economy-shop-empty")));
    }
    items.sort_by(|a, b| a.1.price.cmp(&b.1.price).then(a.0.cmp(&b.0)));
    let mut text = call.tr.t("economy-shop-title");
    for (key, item) in &items {
        let id = key.rsplit(':').next().unwrap_or_default();
        text.push_str(&format!(
            "\n**{}** (`{id}`) — {}",
            item.name,
            call.config.money(item.price)
        ));
        if let Some(role) = item.role {
            text.push(' ');
            text.push_str(&tr!(call.tr, "economy-shop-role", role = role.to_string()));
        }
        match item.stock {
            Some(0) => {
                text.push(' ');
                text.push_str(&call.tr.t("economy-shop-sold-out"));
            }
            Some(left) => {
                text.push(' ');
                text.push_str(&tr!(call.tr, "economy-shop-left", left = left.to_string()));
            }
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
        return refuse(tr!(call.tr, "economy-shop-name", max = MAX_NAME));
    }
    let price = new.price.0;
    let stock = new.stock.map(|Whole(stock)| stock.unsigned_abs());
    let role = new.role;
    if role.is_some_and(|role| is_everyone(call, role)) {
        return refuse(call.tr.t("economy-everyone"));
    }
    let description = new.description.unwrap_or_default().0;
    if description.chars().count() > MAX_DESCRIPTION {
        return refuse(tr!(
            call.tr,
            "economy-shop-description-long",
            max = MAX_DESCRIPTION
        ));
    }
    let store = call.ctx.store();
    let key = keys::item(call.guild, &id);
    let count = store.list::<ShopItem>(&keys::items(call.guild))?.len();
    let existed = store.get::<ShopItem>(&key)?.is_some();
    if !existed && count >= MAX_ITEMS {
        return refuse(tr!(call.tr, "economy-shop-full", max = MAX_ITEMS));
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
    let stock = stock.map_or_else(
        || call.tr.t("economy-shop-unlimited"),
        |s| tr!(call.tr, "economy-shop-stock", stock = s.to_string()),
    );
    let role = role.map_or(String::new(), |r| {
        tr!(call.tr, "economy-shop-grants", role = r.to_string())
    });
    Ok(Response::ephemeral(tr!(
        call.tr,
        if existed {
            "economy-shop-updated"
        } else {
            "economy-shop-added"
        },
        name = name,
        id = id,
        price = call.config.money(price),
        stock = stock,
        role = role
    )))
}

/// `/economy shop remove <item>` (Manage Server).
pub fn remove(call: &Call<'_>, Item { item }: Item) -> Result<Response> {
    if let Err(refusal) = call.require_admin() {
        return refuse(refusal);
    }
    let id = item_id(&item.0);
    if !id.is_empty() && call.ctx.store().delete(&keys::item(call.guild, &id))? {
        Ok(Response::ephemeral(tr!(
            call.tr,
            "economy-shop-removed",
            id = id
        )))
    } else {
        refuse(call.tr.t("economy-shop-no-item"))
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
        return refuse(call.tr.t("economy-shop-no-item"));
    };
    if let Some(role) = item.role {
        if call.invoker().roles.contains(&role) {
            return refuse(tr!(
                call.tr,
                "economy-shop-has-role",
                role = role.to_string()
            ));
        }
    }
    let key = call.key(call.user());
    let name = call.name();
    let config = &call.config;
    let bought = store.transaction(|txn| {
        let Some(mut item) = txn.get::<ShopItem>(&item_key)? else {
            return Ok(Err(call.tr.t("economy-shop-gone")));
        };
        let mut account: Account = txn.get(&key)?.unwrap_or_default();
        if item.stock == Some(0) {
            return Ok(Err(tr!(
                call.tr,
                "economy-shop-sold-out-item",
                name = &item.name
            )));
        }
        if account.wallet < item.price {
            return Ok(Err(tr!(
                call.tr,
                "economy-shop-too-expensive",
                name = &item.name,
                price = config.money(item.price),
                wallet = config.money(account.wallet)
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
        return Ok(Response::text(tr!(
            call.tr,
            "economy-shop-bought",
            name = &item.name,
            price = config.money(item.price),
            wallet = config.money(wallet)
        )));
    };
    let grant = DiscordRequest::AddRole {
        guild_id: call.guild,
        user_id: call.user(),
        role_id: role,
        reason: Some(format!("economy: bought {}", item.name)),
    };
    match call.ctx.discord().execute::<serde_json::Value>(&grant) {
        Ok(_) => Ok(Response::text(tr!(
            call.tr,
            "economy-shop-bought-role",
            name = &item.name,
            price = config.money(item.price),
            role = role.to_string(),
            wallet = config.money(wallet)
        ))),
        Err(e) => {
            log::warn!(
                "could not grant role {role} bought by {} in {}: {e}",
                call.user(),
                call.guild
            );
            refund(call, &item_key, &key, item.price, role)?;
            refuse(tr!(
                call.tr,
                "economy-shop-refunded",
                role = role.to_string(),
                price = config.money(item.price),
                error = e.to_string()
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
    let mine = user == call.user();
    if account.inventory.is_empty() {
        let key = if mine {
            "economy-inventory-empty-self"
        } else {
            "economy-inventory-empty-other"
        };
        return Ok(Response::text(tr!(call.tr, key, user = user.to_string())));
    }
    let items: Vec<String> = account
        .inventory
        .values()
        .map(|owned| format!("**{}** × {}", owned.name, owned.count))
        .collect();
    let key = if mine {
        "economy-inventory-self"
    } else {
        "economy-inventory-other"
    };
    Ok(Response::text(tr!(
        call.tr,
        key,
        user = user.to_string(),
        items = items.join(", ")
    )))
}
