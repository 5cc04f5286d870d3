//! The richest members, ten per page, with ◀ ▶ buttons (`lb:<page>`; the host namespaces them).
//! A click edits the same message (`Response::Update`) with the requested page, computed fresh.

use arsenal_plugin_api::{
    i18n::Tr,
    model::{
        channel::message::{
            component::{ActionRow, Button, ButtonStyle},
            Component,
        },
        id::{marker::GuildMarker, Id},
    },
    protocol::ComponentInvocation,
    tr, Context, Reply, Response, Result,
};

use crate::{
    call::{load_config, Call},
    model::{keys, Account, GuildConfig},
};

/// Members per page.
pub const PAGE_SIZE: usize = 10;
/// The `custom_id` prefix of the page buttons.
const BUTTON_PREFIX: &str = "lb:";

/// `/economy leaderboard [page]` (the page already checked to be 1 to 10000).
pub fn command(call: &Call<'_>, page: Option<i64>) -> Result<Response> {
    let page = usize::try_from(page.unwrap_or(1)).unwrap_or(1);
    Ok(Response::Message(render(
        call.ctx,
        call.tr,
        &call.config,
        call.guild,
        page,
    )?))
}

/// A click on a page button.
pub fn click(ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
    let page = component
        .custom_id
        .strip_prefix(BUTTON_PREFIX)
        .and_then(|p| p.parse::<usize>().ok());
    let tr = ctx.tr(&component.invoker);
    let (Some(page), Some(guild)) = (page, component.invoker.guild_id) else {
        return Ok(Response::ephemeral(tr.t("economy-lb-stale")));
    };
    let config = load_config(ctx, guild)?;
    Ok(Response::Update(render(ctx, tr, &config, guild, page)?))
}

/// Page `page` (clamped to the pages there are), with buttons when there is more than one.
///
/// # Errors
///
/// When the store fails.
pub fn render(
    ctx: &Context,
    tr: Tr<'_>,
    config: &GuildConfig,
    guild: Id<GuildMarker>,
    page: usize,
) -> Result<Reply> {
    let accounts: Vec<(String, Account)> = ctx.store().list(&keys::accounts(guild))?;
    let mut ranked: Vec<(u64, String, i64)> = accounts
        .into_iter()
        .filter(|(_, a)| a.total() > 0)
        .filter_map(|(key, a)| {
            let user = keys::user_of(&key)?;
            let name = a
                .name
                .as_deref()
                .map_or_else(|| format!("<@{user}>"), escape);
            Some((user.get(), name, a.total()))
        })
        .collect();
    if ranked.is_empty() {
        return Ok(Reply::text(tr!(
            tr,
            "economy-lb-empty",
            currency = &config.currency_name
        )));
    }
    ranked.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let pages = ranked.len().div_ceil(PAGE_SIZE);
    let page = page.clamp(1, pages);
    let mut text = tr!(
        tr,
        "economy-lb-title",
        page = page.to_string(),
        pages = pages.to_string()
    );
    let start = (page - 1) * PAGE_SIZE;
    for (i, (_, name, total)) in ranked.iter().enumerate().skip(start).take(PAGE_SIZE) {
        text.push_str(&format!(
            "\n**{}.** {name} — {}",
            i + 1,
            config.money(*total)
        ));
    }
    let mut reply = Reply::text(text);
    if pages > 1 {
        reply = reply.component(Component::ActionRow(ActionRow {
            id: None,
            components: vec![
                button(&tr.t("economy-lb-previous"), page - 1, page == 1),
                button(&tr.t("economy-lb-next"), page + 1, page == pages),
            ],
        }));
    }
    Ok(reply)
}

fn button(label: &str, page: usize, disabled: bool) -> Component {
    Component::Button(Button {
        custom_id: Some(format!("{BUTTON_PREFIX}{page}")),
        disabled,
        emoji: None,
        id: None,
        label: Some(label.to_owned()),
        sku_id: None,
        style: ButtonStyle::Secondary,
        url: None,
    })
}

/// A display name with Discord's markdown characters escaped.
fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '*' | '_' | '`' | '~' | '|' | '\\' | '>' | '#' | '@') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
