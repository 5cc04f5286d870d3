//! Autocomplete: the module names of the built-ins, or the owning module's own choices.
//!
//! The module list is shown only to whoever may run the command: the names of a bot's modules
//! are bot-wide information, like the status views.

use std::sync::Arc;

use arsenal_plugin_api::protocol::{kind, AutocompleteInvocation, Choice};

use super::command::permitted;
use crate::discord::{registry::CommandOwner, shared::Shared};

/// The choices for the option being typed; empty when there are none or the invoker may not
/// run the command.
pub(super) async fn autocomplete(
    shared: &Arc<Shared>,
    request: AutocompleteInvocation,
) -> Vec<Choice> {
    let registered = shared
        .registry
        .read()
        .ok()
        .and_then(|r| r.get(&request.name).cloned());
    let Some(registered) = registered else {
        return Vec::new();
    };
    match registered.owner {
        CommandOwner::Builtin => {
            let control_guild = shared.settings.control_guild;
            if permitted(
                &registered.spec,
                &request.subcommand,
                registered.audience,
                &request.invoker,
                control_guild,
            )
            .is_err()
            {
                return Vec::new();
            }
            let partial = request.partial.to_lowercase();
            let mut names = shared.manager.available();
            for loaded in shared.manager.loaded() {
                if !names.contains(&loaded) {
                    names.push(loaded);
                }
            }
            names
                .into_iter()
                .filter(|n| n.contains(&partial))
                .map(|n| Choice {
                    name: n.clone(),
                    value: n,
                })
                .collect()
        }
        CommandOwner::Unloaded(_) => Vec::new(),
        CommandOwner::Plugin(plugin) => {
            let Ok(payload) = serde_json::to_string(&request) else {
                return Vec::new();
            };
            match shared
                .manager
                .call_for(
                    &plugin,
                    kind::AUTOCOMPLETE,
                    &payload,
                    request.invoker.guild_id,
                )
                .await
            {
                Ok(answer) => serde_json::from_str(&answer).unwrap_or_default(),
                Err(_) => Vec::new(),
            }
        }
    }
}
