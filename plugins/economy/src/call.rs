//! One command call as the handlers see it: who, where, the guild's settings, and the checks and
//! argument readers every handler shares, each answering misuse with one clear sentence.

use arsenal_plugin_api::{
    model::{
        guild::Permissions,
        id::{
            marker::{GuildMarker, UserMarker},
            Id,
        },
    },
    protocol::{ArgValue, DiscordRequest, Invoker},
    CommandInvocation, Context, Response, Result,
};

use crate::model::{keys, Account, GuildConfig, MAX_AMOUNT};

/// A refusal shown to the user (ephemeral); nothing was changed.
pub type Refusal = String;

/// A command in a guild, with that guild's settings loaded.
pub struct Call<'a> {
    pub ctx: &'a Context,
    pub command: &'a CommandInvocation,
    pub guild: Id<GuildMarker>,
    pub config: GuildConfig,
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
            Err("You need the **Manage Server** permission for this.".to_owned())
        }
    }

    /// Option `name` as a positive amount of money (at most [`MAX_AMOUNT`]).
    pub fn amount(&self, name: &str) -> Result<i64, Refusal> {
        match self.command.arg(name) {
            Some(ArgValue::Integer(value)) => check_amount(*value),
            Some(ArgValue::Number(value)) if value.fract() == 0.0 => check_amount(*value as i64),
            Some(ArgValue::String(text)) => parse_amount(text),
            _ => Err(format!("Give an amount: `{name}:100`.")),
        }
    }

    /// Option `name` as a whole number in `range`, or `None` when not given.
    pub fn number(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<Option<i64>, Refusal> {
        let value = match self.command.arg(name) {
            None => return Ok(None),
            Some(ArgValue::Integer(value)) => *value,
            Some(ArgValue::String(text)) => text
                .trim()
                .parse()
                .map_err(|_| format!("`{name}` must be a whole number."))?,
            Some(_) => return Err(format!("`{name}` must be a whole number.")),
        };
        if range.contains(&value) {
            Ok(Some(value))
        } else {
            Err(format!(
                "`{name}` must be between {} and {}.",
                range.start(),
                range.end()
            ))
        }
    }

    /// Option `name` as trimmed text, or `None` when not given or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        self.command
            .str_arg(name)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
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
                    Ok(Err("Bots have no use for money.".to_owned()))
                } else if member.is_null() {
                    Ok(Err(format!("<@{user}> is not a member of this server.")))
                } else {
                    let name = ["/nick", "/user/global_name", "/user/username"]
                        .iter()
                        .find_map(|path| member.pointer(path)?.as_str())
                        .map(str::to_owned);
                    Ok(Ok(name))
                }
            }
            // Unknown Member / Unknown User, or a bare 404.
            Err(e) if e.is_not_found() => {
                Ok(Err(format!("<@{user}> is not a member of this server.")))
            }
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

fn check_amount(value: i64) -> Result<i64, Refusal> {
    if value <= 0 {
        Err("The amount must be a positive whole number.".to_owned())
    } else if value > MAX_AMOUNT {
        Err(format!(
            "That is too much: at most {} at a time.",
            crate::model::thousands(MAX_AMOUNT)
        ))
    } else {
        Ok(value)
    }
}

/// `1000`, `1,000`, `1_000` (not `all`: callers handle it).
pub fn parse_amount(text: &str) -> Result<i64, Refusal> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    match digits.parse::<i64>() {
        Ok(value) => check_amount(value),
        Err(_) if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) => {
            check_amount(i64::MAX)
        }
        Err(_) if digits.starts_with('-') => check_amount(-1),
        Err(_) => Err(format!(
            "`{}` is not an amount: give a whole number like `250`.",
            text.chars().take(20).collect::<String>().replace('`', "")
        )),
    }
}
