//! How a plugin answers a user. One shape for slash and prefix commands: the host turns a
//! [`Response`] into an interaction callback or a channel message, and namespaces every
//! `custom_id` so components route back to this plugin after restarts and reloads.

use serde::{Deserialize, Serialize};
use twilight_model::channel::message::{Component, Embed};

/// The answer to a command, component or modal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// Send a message (ephemeral when possible if asked).
    Message(Reply),
    /// Edit the message the component belongs to (components only; others send a message).
    Update(Reply),
    /// Open a modal (slash commands and components only).
    Modal(Modal),
    /// Acknowledge without a visible answer.
    Nothing,
}

/// A message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// Text, up to 2000 characters.
    #[serde(default)]
    pub content: Option<String>,
    /// Embeds, up to 10.
    #[serde(default)]
    pub embeds: Vec<Embed>,
    /// Action rows.
    #[serde(default)]
    pub components: Vec<Component>,
    /// Only the invoking user sees it (slash commands and components).
    #[serde(default)]
    pub ephemeral: bool,
}

/// A modal dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Modal {
    /// Routed back to the plugin's `on_modal`.
    pub custom_id: String,
    /// Title, up to 45 characters.
    pub title: String,
    /// Action rows of text inputs.
    pub components: Vec<Component>,
}

/// An autocomplete suggestion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Shown to the user.
    pub name: String,
    /// Put in the option when chosen.
    pub value: String,
}

impl Reply {
    /// A text message.
    pub fn text(content: impl Into<String>) -> Self {
        Self {
            content: Some(content.into()),
            ..Self::default()
        }
    }

    /// Makes it visible only to the invoking user.
    #[must_use]
    pub fn ephemeral(mut self) -> Self {
        self.ephemeral = true;
        self
    }

    /// Adds an embed.
    #[must_use]
    pub fn embed(mut self, embed: Embed) -> Self {
        self.embeds.push(embed);
        self
    }

    /// Adds a component (an action row).
    #[must_use]
    pub fn component(mut self, component: Component) -> Self {
        self.components.push(component);
        self
    }
}

impl Response {
    /// A public text message.
    pub fn text(content: impl Into<String>) -> Self {
        Self::Message(Reply::text(content))
    }

    /// A text message only the invoking user sees.
    pub fn ephemeral(content: impl Into<String>) -> Self {
        Self::Message(Reply::text(content).ephemeral())
    }
}

impl From<Reply> for Response {
    fn from(reply: Reply) -> Self {
        Self::Message(reply)
    }
}
