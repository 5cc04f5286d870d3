//! What the host hands a plugin when a user acts: commands (slash or prefix, one shape for both),
//! components, modals and autocomplete. The host has already parsed, routed and permission-checked
//! them; the plugin sees typed values, never Discord's raw interaction.

use serde::{Deserialize, Serialize};
use twilight_model::{
    guild::Permissions,
    id::{
        marker::{
            AttachmentMarker, ChannelMarker, GuildMarker, MessageMarker, RoleMarker, UserMarker,
        },
        Id,
    },
};

/// Who acted, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invoker {
    /// The user.
    pub user_id: Id<UserMarker>,
    /// Their display name (global name or username).
    pub user_name: String,
    /// The guild, when not in DMs.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// The channel.
    pub channel_id: Id<ChannelMarker>,
    /// The member's roles in the guild.
    #[serde(default)]
    pub roles: Vec<Id<RoleMarker>>,
    /// The member's effective permissions in the channel, as computed by Discord or the host.
    #[serde(default = "Permissions::empty")]
    pub permissions: Permissions,
    /// Whether the user is one of the bot's owners.
    #[serde(default)]
    pub is_owner: bool,
    /// The language the member chose in Discord (`fr`, `en-US`), when Discord says it
    /// (interactions; not prefix commands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The server's preferred language (its community setting), when in a server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_locale: Option<String>,
}

/// Where a command came from. The host answers either way from the same [`Response`](super::Response).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CommandSource {
    /// A slash command interaction.
    Slash,
    /// A prefix command in a message.
    Prefix {
        /// The message that carried it.
        message_id: Id<MessageMarker>,
    },
}

/// A command invocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandInvocation {
    /// Top-level command name.
    pub name: String,
    /// Subcommand group and subcommand names, outermost first (empty for a plain command).
    #[serde(default)]
    pub subcommand: Vec<String>,
    /// Option values of the (sub)command.
    #[serde(default)]
    pub args: Vec<Arg>,
    /// Who ran it and where.
    pub invoker: Invoker,
    /// Slash or prefix.
    pub source: CommandSource,
    /// What Discord resolved about the users named in the options (or mentioned in a prefix
    /// command), so a module needs no request to know a name or whether it is a bot.
    #[serde(default)]
    pub users: Vec<ResolvedUser>,
    /// The files given to the command: those of its attachment options (slash), or attached to
    /// the message (prefix, which cannot fill an attachment option by name). See
    /// [`CommandInvocation::attachment`].
    #[serde(default)]
    pub attachments: Vec<CommandAttachment>,
}

/// A file uploaded with a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandAttachment {
    /// Its id (the value of its attachment option).
    pub id: Id<AttachmentMarker>,
    /// Where Discord serves it.
    pub url: String,
    /// Its file name.
    pub filename: String,
    /// Its media type, when Discord knows it (`audio/ogg`).
    #[serde(default)]
    pub content_type: Option<String>,
    /// Its size in bytes.
    #[serde(default)]
    pub size: u64,
}

impl From<&twilight_model::channel::Attachment> for CommandAttachment {
    fn from(file: &twilight_model::channel::Attachment) -> Self {
        Self {
            id: file.id,
            url: file.url.clone(),
            filename: file.filename.clone(),
            content_type: file.content_type.clone(),
            size: file.size,
        }
    }
}

/// A user named in a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedUser {
    /// The user.
    pub id: Id<UserMarker>,
    /// Display name (global name or username).
    pub name: String,
    /// Whether it is a bot.
    #[serde(default)]
    pub bot: bool,
}

/// One option value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arg {
    /// Option name.
    pub name: String,
    /// Its value.
    pub value: ArgValue,
}

/// A typed option value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum ArgValue {
    /// Text.
    String(String),
    /// Whole number.
    Integer(i64),
    /// Number.
    Number(f64),
    /// Yes or no.
    Boolean(bool),
    /// A user.
    User(Id<UserMarker>),
    /// A channel.
    Channel(Id<ChannelMarker>),
    /// A role.
    Role(Id<RoleMarker>),
    /// A user or a role (its raw id).
    Mentionable(u64),
    /// An uploaded file.
    Attachment(Id<AttachmentMarker>),
}

/// A button press or a select-menu choice on a message the plugin sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentInvocation {
    /// The `custom_id` the plugin set (the host strips its namespace).
    pub custom_id: String,
    /// Selected values (select menus).
    #[serde(default)]
    pub values: Vec<String>,
    /// The message carrying the component.
    pub message_id: Id<MessageMarker>,
    /// Who clicked.
    pub invoker: Invoker,
}

/// A modal submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModalInvocation {
    /// The modal's `custom_id` (namespace stripped).
    pub custom_id: String,
    /// The text inputs.
    #[serde(default)]
    pub fields: Vec<ModalField>,
    /// Who submitted.
    pub invoker: Invoker,
}

/// One text input of a modal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModalField {
    /// The input's `custom_id`.
    pub custom_id: String,
    /// What the user typed.
    pub value: String,
}

/// An autocomplete request for the option being typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutocompleteInvocation {
    /// Top-level command name.
    pub name: String,
    /// Subcommand path.
    #[serde(default)]
    pub subcommand: Vec<String>,
    /// The option being typed.
    pub focused: String,
    /// What has been typed so far.
    pub partial: String,
    /// Who is typing.
    pub invoker: Invoker,
}

impl CommandInvocation {
    /// The file of attachment option value `id`; for a prefix command (which has no
    /// attachment options), `None`: read [`CommandInvocation::attachments`].
    #[must_use]
    pub fn attachment(&self, id: Id<AttachmentMarker>) -> Option<&CommandAttachment> {
        self.attachments.iter().find(|a| a.id == id)
    }

    /// The value of option `name`, if given.
    #[must_use]
    pub fn arg(&self, name: &str) -> Option<&ArgValue> {
        self.args
            .iter()
            .find(|arg| arg.name == name)
            .map(|arg| &arg.value)
    }

    /// Option `name` as text.
    #[must_use]
    pub fn str_arg(&self, name: &str) -> Option<&str> {
        match self.arg(name)? {
            ArgValue::String(text) => Some(text),
            _ => None,
        }
    }

    /// Option `name` as a whole number.
    #[must_use]
    pub fn int_arg(&self, name: &str) -> Option<i64> {
        match self.arg(name)? {
            ArgValue::Integer(value) => Some(*value),
            _ => None,
        }
    }

    /// Option `name` as a user.
    #[must_use]
    pub fn user_arg(&self, name: &str) -> Option<Id<UserMarker>> {
        match self.arg(name)? {
            ArgValue::User(id) => Some(*id),
            _ => None,
        }
    }

    /// What Discord resolved about user `id`, if it was named in the command.
    #[must_use]
    pub fn resolved_user(&self, id: Id<UserMarker>) -> Option<&ResolvedUser> {
        self.users.iter().find(|user| user.id == id)
    }

    /// The subcommand path joined with spaces (`"shop add"`), empty for a plain command.
    #[must_use]
    pub fn subcommand_path(&self) -> String {
        self.subcommand.join(" ")
    }
}

impl ModalInvocation {
    /// The value typed into input `custom_id`.
    #[must_use]
    pub fn field(&self, custom_id: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|field| field.custom_id == custom_id)
            .map(|field| field.value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_host_payload_without_new_fields_still_parses() {
        let payload = r#"{"name":"x","invoker":{"user_id":"1","user_name":"a","channel_id":"2"},"source":{"type":"slash"}}"#;
        let invocation: CommandInvocation = serde_json::from_str(payload).unwrap();
        assert!(invocation.users.is_empty() && invocation.args.is_empty());
        assert_eq!(invocation.invoker.permissions, Permissions::empty());
    }
}
