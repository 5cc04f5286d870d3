//! `/help`, `/simple_help` and the help's category menu: the host state the help reads (the
//! registry, the loaded modules' manifests, the commands' ids, the guild's prefix), filtered by
//! the very check that gates running a command ([`permitted`]).
//!
//! The menu's `custom_id` is `arsenal.help:<member>` (see [`help::CUSTOM_ID_PREFIX`]), outside
//! every module's namespace, so the host answers it itself.

use arsenal_plugin_api::{
    i18n::Tr,
    protocol::{CommandInvocation, CommandSource, Invoker, Response},
};
use twilight_model::{application::interaction::Interaction, id::Id};

use super::{answer::answer, command::permitted};
use crate::{
    builtin::help::{self, Category, TEXTS},
    discord::{respond, shared::Shared},
};

/// The member's language preferences: theirs, then their server's.
fn preferences(shared: &Shared, invoker: &Invoker) -> [Option<String>; 2] {
    let guild_locale = invoker
        .guild_locale
        .clone()
        .or_else(|| invoker.guild_id.and_then(|g| shared.guild_locale(g)));
    [invoker.locale.clone(), guild_locale]
}

/// The categories `invoker` sees here, now.
fn categories(
    shared: &Shared,
    invoker: &Invoker,
    tr: &Tr<'_>,
    prefs: &[Option<&str>],
) -> Vec<Category> {
    let registry = shared
        .registry
        .read()
        .map(|r| r.clone())
        .unwrap_or_default();
    let mut modules: Vec<(String, String)> = shared
        .manager
        .status()
        .into_iter()
        .filter_map(|s| s.state.manifest.map(|m| (s.name, m.description)))
        .collect();
    modules.sort();
    let control = shared.settings.control_guild;
    help::catalog(&registry, &modules, tr, prefs, |r, path| {
        permitted(&r.spec, path, r.audience, invoker, control).is_ok()
    })
}

fn command_ids(shared: &Shared) -> help::CommandIds {
    shared
        .command_ids
        .read()
        .map(|ids| ids.clone())
        .unwrap_or_default()
}

/// `/help` and `/simple_help` (slash: only the member sees it; prefix: a reply).
pub(super) fn command(shared: &Shared, invocation: &CommandInvocation) -> Response {
    let invoker = &invocation.invoker;
    let prefs = preferences(shared, invoker);
    let prefs = [prefs[0].as_deref(), prefs[1].as_deref()];
    let tr = TEXTS.tr(&prefs);
    let categories = categories(shared, invoker, &tr, &prefs);
    let ids = command_ids(shared);
    let prefix = shared.guild_prefix(invoker.guild_id);
    let mut reply = if invocation.name == "simple_help" {
        help::simple_help(&categories, &tr, &ids, &prefix)
    } else {
        help::help(&categories, &tr, &ids, &prefix, None, invoker.user_id)
    };
    reply.ephemeral = invocation.source == CommandSource::Slash;
    Response::Message(reply)
}

/// A pick in a help menu made for `owner` (the rest of its `custom_id`): the member who asked
/// sees their message switch category; anyone else gets their own help, only for them (what
/// they may run is not what the owner may).
pub(super) async fn select(
    shared: &Shared,
    interaction: &Interaction,
    owner: &str,
    values: &[String],
    invoker: &Invoker,
) {
    let prefs = preferences(shared, invoker);
    let prefs = [prefs[0].as_deref(), prefs[1].as_deref()];
    let tr = TEXTS.tr(&prefs);
    let categories = categories(shared, invoker, &tr, &prefs);
    let ids = command_ids(shared);
    let prefix = shared.guild_prefix(invoker.guild_id);
    let selected = values.first().map(String::as_str);
    let mine = owner.parse::<u64>().ok().and_then(Id::new_checked) == Some(invoker.user_id);
    // The menu of the answer is the picker's own either way.
    let mut reply = help::help(&categories, &tr, &ids, &prefix, selected, invoker.user_id);
    let response = if mine {
        Response::Update(reply)
    } else {
        reply.ephemeral = true;
        Response::Message(reply)
    };
    answer(
        shared,
        interaction,
        &respond::interaction_response(None, response, true),
    )
    .await;
}
