//! The tracks a server played (and each member's, for `/history me`): the newest
//! [`HISTORY_KEPT`] of each, newest first, failures marked.

use arsenal_plugin_api::prelude::*;

use crate::{
    command::History,
    model::{keys, Entry, Played, HISTORY_KEPT},
    render,
};

/// Puts `entry` at the top of the server's and its requester's history.
///
/// # Errors
///
/// The store failed.
pub fn record(
    ctx: &Context,
    guild: Id<GuildMarker>,
    entry: &Entry,
    error: Option<&str>,
) -> Result<()> {
    let played = Played {
        title: entry.title.clone(),
        source: entry.source.clone(),
        requester: entry.requester,
        at_ms: ctx.now(),
        error: error.map(str::to_owned),
    };
    for key in [
        keys::history(guild),
        keys::member_history(guild, entry.requester),
    ] {
        ctx.store().update(&key, |list: Option<Vec<Played>>| {
            let mut list = list.unwrap_or_default();
            list.insert(0, played.clone());
            list.truncate(HISTORY_KEPT);
            Ok(Some(list))
        })?;
    }
    Ok(())
}

/// `/history [page] [me]`.
///
/// # Errors
///
/// The store failed.
pub fn command(
    ctx: &Context,
    tr: &Tr<'_>,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
    args: &History,
) -> Result<Response> {
    let key = if args.me == Some(true) {
        keys::member_history(guild, user)
    } else {
        keys::history(guild)
    };
    let played: Vec<Played> = ctx.store().get(&key)?.unwrap_or_default();
    let page = usize::try_from(args.page.unwrap_or(1)).unwrap_or(1);
    if page > render::pages(played.len()) && !played.is_empty() {
        return Ok(Response::ephemeral(tr!(
            tr,
            "music-bad-page",
            page = page,
            pages = render::pages(played.len())
        )));
    }
    let text = render::history_page(tr, &played, page);
    Ok(Response::Message(
        Reply::text(text).no_mentions().ephemeral(),
    ))
}
