//! `/queue`, `/remove`, `/move`, `/shuffle` and `/clear`: looking at and editing the tracks
//! after the one playing. A member may remove their own tracks; the rest follows the DJ rules.

use arsenal_plugin_api::prelude::*;

use crate::{
    command::{Move, QueueCmd, Remove},
    controls::Env,
    player,
    queue::{self, EditError},
    render, rights,
};

fn refusal(env: &Env<'_>, error: EditError) -> Response {
    Response::ephemeral(match error {
        EditError::Empty => env.tr.t("music-queue-empty"),
        EditError::BadPosition(len) => tr!(env.tr, "music-bad-position", count = len),
        EditError::Full => tr!(env.tr, "music-queue-full", max = crate::model::MAX_QUEUE),
    })
}

fn position(value: i64) -> usize {
    usize::try_from(value).unwrap_or(0)
}

/// `/queue [page]`.
///
/// # Errors
///
/// The store failed.
pub fn show(env: &Env<'_>, args: &QueueCmd) -> Result<Response> {
    let queue = player::load(env.ctx, env.guild)?;
    let page = position(args.page.unwrap_or(1));
    let pages = render::pages(queue.upcoming.len());
    if page > pages {
        return Ok(Response::ephemeral(tr!(
            env.tr,
            "music-bad-page",
            page = page,
            pages = pages
        )));
    }
    Ok(Response::Message(render::queue_page(&env.tr, &queue, page)))
}

/// A page button of `/queue`: the page as it is now.
///
/// # Errors
///
/// The store failed.
pub fn page(ctx: &Context, tr: &Tr<'_>, guild: Id<GuildMarker>, page: u32) -> Result<Response> {
    let queue = player::load(ctx, guild)?;
    let page = usize::try_from(page).unwrap_or(1);
    Ok(Response::update(render::queue_page(tr, &queue, page)))
}

/// `/remove <n>`.
///
/// # Errors
///
/// The store failed.
pub fn remove(env: &Env<'_>, args: &Remove) -> Result<Response> {
    let at = position(args.position);
    let queue = player::load(env.ctx, env.guild)?;
    let index = match queue::index(&queue, at) {
        Ok(index) => index,
        Err(e) => return Ok(refusal(env, e)),
    };
    let target = &queue.upcoming[index];
    if target.requester != env.invoker.user_id {
        if let Some(refused) =
            rights::require_control(env.ctx, &env.tr, env.guild, env.invoker)?.err()
        {
            return Ok(refused);
        }
    }
    let id = target.id;
    let (_, removed) = player::edit(env.ctx, env.guild, |q| {
        // Remove the very track the member saw, even if the queue moved meanwhile.
        let at = q.upcoming.iter().position(|e| e.id == id)?;
        Some(q.upcoming.remove(at))
    })?;
    Ok(match removed {
        Some(entry) => Response::Message(
            Reply::text(tr!(
                env.tr,
                "music-removed",
                title = render::title(&entry.title)
            ))
            .no_mentions(),
        ),
        None => env_say(env, "music-queue-changed"),
    })
}

fn env_say(env: &Env<'_>, key: &str) -> Response {
    Response::ephemeral(env.tr.t(key))
}

/// `/move <from> <to>`.
///
/// # Errors
///
/// The store failed.
pub fn move_track(env: &Env<'_>, args: &Move) -> Result<Response> {
    if let Some(refused) = rights::require_control(env.ctx, &env.tr, env.guild, env.invoker)?.err()
    {
        return Ok(refused);
    }
    let (from, to) = (position(args.from), position(args.to));
    let (_, moved) = player::edit(env.ctx, env.guild, |q| queue::move_to(q, from, to))?;
    Ok(match moved {
        Ok(entry) => Response::Message(
            Reply::text(tr!(
                env.tr,
                "music-moved",
                title = render::title(&entry.title),
                to = to
            ))
            .no_mentions(),
        ),
        Err(e) => refusal(env, e),
    })
}

/// `/shuffle`.
///
/// # Errors
///
/// The store failed.
pub fn shuffle(env: &Env<'_>) -> Result<Response> {
    if let Some(refused) = rights::require_control(env.ctx, &env.tr, env.guild, env.invoker)?.err()
    {
        return Ok(refused);
    }
    let mut seed = [0u8; 8];
    if getrandom::getrandom(&mut seed).is_err() {
        // The clock is a fine seed for a playlist's order.
        seed = env.ctx.now().to_le_bytes();
    }
    let seed = u64::from_le_bytes(seed);
    let (queue, shuffled) = player::edit(env.ctx, env.guild, |q| queue::shuffle(q, seed))?;
    Ok(match shuffled {
        Ok(()) => Response::text(tr!(env.tr, "music-shuffled", count = queue.upcoming.len())),
        Err(e) => refusal(env, e),
    })
}

/// `/clear`.
///
/// # Errors
///
/// The store failed.
pub fn clear(env: &Env<'_>) -> Result<Response> {
    if let Some(refused) = rights::require_control(env.ctx, &env.tr, env.guild, env.invoker)?.err()
    {
        return Ok(refused);
    }
    let (_, cleared) = player::edit(env.ctx, env.guild, queue::clear)?;
    Ok(match cleared {
        Ok(count) => Response::text(tr!(env.tr, "music-cleared", count = count)),
        Err(e) => refusal(env, e),
    })
}
