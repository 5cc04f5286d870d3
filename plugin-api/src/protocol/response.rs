//! How a plugin answers a user. One shape for slash and prefix commands: the host turns a
//! [`Response`] into an interaction callback or a channel message, and namespaces every
//! `custom_id` so components route back to this plugin after restarts and reloads.

use serde::{Deserialize, Serialize};
use twilight_model::{
    channel::message::{AllowedMentions, Component, Embed},
    id::{marker::UserMarker, Id},
};

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
    /// Who the message may ping (`None`: Discord's default, everyone mentioned). Boxed to keep
    /// [`Response`] small.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_mentions: Option<Box<AllowedMentions>>,
    /// Files uploaded with the message (an image an embed shows as `attachment://<name>`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<super::ReplyFile>,
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

    /// Adds an action row of components (up to 5 buttons, or one [`crate::builder::Select`]).
    #[must_use]
    pub fn row(self, components: impl IntoIterator<Item = Component>) -> Self {
        self.component(crate::builder::row(components))
    }

    /// Adds an action row of buttons (up to 5).
    #[must_use]
    pub fn buttons(self, buttons: impl IntoIterator<Item = crate::builder::Button>) -> Self {
        self.row(buttons.into_iter().map(Component::from))
    }

    /// Attaches a file (e.g. a PNG an embed shows with `attachment://<name>`).
    #[must_use]
    pub fn file(mut self, file: super::ReplyFile) -> Self {
        self.attachments.push(file);
        self
    }

    /// Pings nobody, whatever the text mentions.
    #[must_use]
    pub fn no_mentions(mut self) -> Self {
        self.allowed_mentions = Some(Box::default());
        self
    }

    /// Pings only these users (other mentions still render, silently).
    #[must_use]
    pub fn mention_only(mut self, users: impl IntoIterator<Item = Id<UserMarker>>) -> Self {
        self.allowed_mentions = Some(Box::new(AllowedMentions {
            users: users.into_iter().collect(),
            ..AllowedMentions::default()
        }));
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

    /// Edits the message of the pressed component (a command sends it instead).
    pub fn update(reply: Reply) -> Self {
        Self::Update(reply)
    }

    /// Opens a modal, e.g. one of a [`crate::component::ModalForm`].
    #[must_use]
    pub fn modal(modal: Modal) -> Self {
        Self::Modal(modal)
    }

    /// Checks every `custom_id` fits Discord's 100 characters once the host prefixes `module:`.
    /// The SDK calls it on every answer, so an id too long fails in the plugin, named, rather
    /// than as Discord's refusal of the whole message.
    ///
    /// # Errors
    ///
    /// The first id too long, with its length and the budget.
    #[inline(never)]
    pub fn check_custom_ids(&self, module: &str) -> crate::Result<()> {
        let budget = crate::component::CUSTOM_ID_MAX.saturating_sub(module.len() + 1);
        let too_long = |id: &str| {
            let length = id.chars().count();
            (length > budget).then(|| {
                crate::Error::invalid(format!(
                    "the custom_id `{id}` has {length} characters, but module `{module}` may use {budget} (Discord allows {} with the `{module}:` prefix): shorten its tag or fields",
                    crate::component::CUSTOM_ID_MAX
                ))
            })
        };
        let first = match self {
            Self::Message(reply) | Self::Update(reply) => {
                first_long_id(&reply.components, &too_long)
            }
            Self::Modal(modal) => too_long(&modal.custom_id),
            Self::Nothing => None,
        };
        first.map_or(Ok(()), Err)
    }
}

fn first_long_id(
    components: &[Component],
    too_long: &dyn Fn(&str) -> Option<crate::Error>,
) -> Option<crate::Error> {
    components.iter().find_map(|component| match component {
        Component::ActionRow(row) => first_long_id(&row.components, too_long),
        Component::Button(button) => button.custom_id.as_deref().and_then(too_long),
        Component::SelectMenu(menu) => too_long(&menu.custom_id),
        _ => None,
    })
}

impl From<Reply> for Response {
    fn from(reply: Reply) -> Self {
        Self::Message(reply)
    }
}
