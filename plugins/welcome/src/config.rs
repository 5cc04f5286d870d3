//! What the module stores, each piece under its own key of the module's namespace:
//!
//! - `guild:<guild>`: a server's settings ([`GuildConfig`], data version 2);
//! - `greeting:<guild>:<user>`: the greeting posted for a member who just joined, kept while
//!   "delete the greeting if they leave this soon" may still apply ([`Greeting`]); a durable
//!   timer `forget:<guild>:<user>` removes it when the window closes;
//! - `pending:<guild>:<user>`: a member whose roles wait for the server's rules screening.

use arsenal_plugin_api::{prelude::*, sdk::migrate::Data};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::command::Style;

/// The schema of `guild:<id>`: version 1 (before versions were declared) held one optional
/// `welcome` and one optional `goodbye` text; version 2 holds lists to pick from, and the rest.
pub const DATA_VERSION: u32 = 2;

/// One server's settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GuildConfig {
    /// Where greetings and goodbyes go.
    #[serde(default)]
    pub channel: Option<Id<ChannelMarker>>,
    /// Welcome templates, one picked at random (none: the default greeting).
    #[serde(default)]
    pub welcome: Vec<String>,
    /// Goodbye templates (none: no goodbye).
    #[serde(default)]
    pub goodbye: Vec<String>,
    /// Text or embed.
    #[serde(default)]
    pub style: Style,
    /// A direct message to each new member.
    #[serde(default)]
    pub dm: Option<String>,
    /// Roles given on join (once the rules are accepted, on screened servers).
    #[serde(default)]
    pub roles: Vec<Id<RoleMarker>>,
    /// The notice about very new accounts.
    #[serde(default)]
    pub new_accounts: Option<NewAccountNotice>,
    /// Delete the greeting when the member leaves within this many seconds.
    #[serde(default)]
    pub delete_within_secs: Option<u64>,
}

/// "Accounts younger than `days` get a notice in `channel` (else the welcome channel)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccountNotice {
    pub days: u32,
    #[serde(default)]
    pub channel: Option<Id<ChannelMarker>>,
}

/// A greeting that may still be deleted if its member leaves quickly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Greeting {
    pub channel: Id<ChannelMarker>,
    pub message: Id<MessageMarker>,
    /// When the member joined (host clock, Unix ms).
    pub joined_ms: u64,
}

pub fn config_key(guild: Id<GuildMarker>) -> String {
    format!("guild:{guild}")
}

pub fn greeting_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("greeting:{guild}:{user}")
}

/// The durable timer that forgets a greeting once it may no longer be deleted.
pub fn forget_timer_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("forget:{guild}:{user}")
}

pub fn pending_key(guild: Id<GuildMarker>, user: Id<UserMarker>) -> String {
    format!("pending:{guild}:{user}")
}

/// Rewrites version-1 settings (`"welcome": "text"`, `"goodbye": "text"` or null) into lists.
///
/// # Errors
///
/// A stored setting that is not an object, or a text that is neither a string nor null.
pub fn migrate(from: u32, data: &mut Data) -> Result<()> {
    if from < 2 {
        for key in data.keys("guild:") {
            let Some(mut config) = data.get_json(&key) else {
                continue;
            };
            let Some(fields) = config.as_object_mut() else {
                return Err(Error::invalid(format!("{key} is not an object: {config}")));
            };
            for field in ["welcome", "goodbye"] {
                let list = match fields.remove(field) {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::String(text)) => vec![Value::String(text)],
                    Some(other) => {
                        return Err(Error::invalid(format!(
                            "{key}: `{field}` is neither a text nor null: {other}"
                        )))
                    }
                };
                fields.insert(field.to_owned(), Value::Array(list));
            }
            data.set_json(&key, config);
        }
    }
    Ok(())
}
