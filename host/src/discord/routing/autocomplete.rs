//! Autocomplete: the module names of the built-ins, or the owning module's own choices.

use std::sync::Arc;

use arsenal_plugin_api::protocol::{kind, AutocompleteInvocation, Choice};

use crate::discord::{registry::CommandOwner, shared::Shared};

pub(super) async fn autocomplete(
    shared: &Arc<Shared>,
    request: AutocompleteInvocation,
) -> Vec<Choice> {
    let registered = shared
        .registry
        .read()
        .ok()
        .and_then(|r| r.get(&request.name).cloned());
    match registered.map(|r| r.owner) {
        Some(CommandOwner::Builtin) => {
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
        Some(CommandOwner::Unloaded(_)) => Vec::new(),
        Some(CommandOwner::Plugin(plugin)) => {
            let Ok(payload) = serde_json::to_string(&request) else {
                return Vec::new();
            };
            match shared
                .manager
                .call(&plugin, kind::AUTOCOMPLETE, &payload)
                .await
            {
                Ok(answer) => serde_json::from_str(&answer).unwrap_or_default(),
                Err(_) => Vec::new(),
            }
        }
        None => Vec::new(),
    }
}
