//! One command call as the handlers see it: who, where, the guild's settings, and the checks
//! every handler shares, each answering misuse with one clear sentence. Options arrive already
//! parsed (`command.rs`).

use arsenal_plugin_api::{
    i18n::Tr,
    model::{
        guild::Permissions,
        id::{
            marker::{GuildMarker, UserMarker},
            Id,
        },
    },
    protocol::{DiscordRequest, Invoker},
    tr, CommandInvocation, Context, Response, Result,
};

use crate::model::{keys, Account, GuildConfig};

/// A refusal shown to the user (ephemeral); nothing was changed.
pub type Refusal = String;

/// A command in a guild, with that guild's settings loaded.
pub struct Call<'a> {
    pub ctx: &'a Context,
    pub command: &'a CommandInvocation,
    pub guild: Id<GuildMarker>,
    pub config: GuildConfig,
    /// Texts in the invoker's language.
    pub tr: Tr<'a>,
}

impl<'a> Call<'a> {
    /// `None` in DMs.
    ///
    /// # Errors
    ///
    /// When the stored settings cannot be read.
    pub fn new(ctx: &'a Context, command: &'a CommandInvocation) -> Result<Option<Self>> {
        let Some(guild) = command.invoker.guild_id else {
            return Ok(None);
        };
        let config = load_config(ctx, guild)?;
        Ok(Some(Self {
            ctx,
            command,
            guild,
            config,
            tr: ctx.tr(&command.invoker),
        }))
    }

    pub fn invoker(&self) -> &Invoker {
        &self.command.invoker
    }

    pub fn user(&self) -> Id<UserMarker> {
        self.command.invoker.user_id
    }

    /// The account key of `user` in this guild.
    pub fn key(&self, user: Id<UserMarker>) -> String {
        keys::account(self.guild, user)
    }

    /// Refuses unless the invoker may manage the server.
    pub fn require_admin(&self) -> Result<(), Refusal> {
        if is_admin(self.invoker()) {
            Ok(())
        } else {
            Err(self.tr.t("economy-need-manage-server"))
        }
    }

    /// Checks with Discord that `user` is a member of this guild and not a bot; returns the
    /// member's display name (kept in their account so lists need not mention them).
    pub fn require_human_member(
        &self,
        user: Id<UserMarker>,
    ) -> Result<Result<Option<String>, Refusal>> {
        let request = DiscordRequest::GetMember {
            guild_id: self.guild,
            user_id: user,
        };
        match self.ctx.discord().execute::<serde_json::Value>(&request) {
            Ok(member) => {
                if member
                    .pointer("/user/bot")
                    .and_then(serde_json::Value::as_bool)
                    == Some(true)
                {
                    Ok(Err(self.tr.t("economy-no-bots")))
                } else if member.is_null() {
                    Ok(Err(tr!(
                        self.tr,
                        "economy-not-member",
                        user = user.to_string()
                    )))
                } else {
                    let name = ["/nick", "/user/global_name", "/user/username"]
                        .iter()
                        .find_map(|path| member.pointer(path)?.as_str())
                        .map(str::to_owned);
                    Ok(Ok(name))
                }
            }
            // Unknown Member / Unknown User, or a bare 404.
            Err(e) if e.is_not_found() => Ok(Err(tr!(
                self.tr,
                "economy-not-member",
                user = user.to_string()
            ))),
            Err(e) => Err(e.context(format!(
                "could not check <@{user}>'s membership with Discord"
            ))),
        }
    }

    /// Reads `user`'s account (an empty one if none yet).
    ///
    /// # Errors
    ///
    /// When the store fails or the record is damaged.
    pub fn account(&self, user: Id<UserMarker>) -> Result<Account> {
        Ok(self.ctx.store().get(&self.key(user))?.unwrap_or_default())
    }

    /// The display name to remember for the invoker.
    pub fn name(&self) -> Option<String> {
        let name = self.invoker().user_name.trim();
        (!name.is_empty()).then(|| name.to_owned())
    }
}

/// The guild's settings, defaults if none were saved.
///
/// # Errors
///
/// When the store fails or the record is damaged.
pub fn load_config(ctx: &Context, guild: Id<GuildMarker>) -> Result<GuildConfig> {
    Ok(ctx.store().get(&keys::config(guild))?.unwrap_or_default())
}

/// Whether `invoker` may run admin subcommands (Manage Server or Administrator).
#[must_use]
pub fn is_admin(invoker: &Invoker) -> bool {
    invoker
        .permissions
        .intersects(Permissions::MANAGE_GUILD | Permissions::ADMINISTRATOR)
        || invoker.is_owner
}

/// An ephemeral answer.
pub fn refuse(message: impl Into<String>) -> Result<Response> {
    Ok(Response::ephemeral(message))
}
