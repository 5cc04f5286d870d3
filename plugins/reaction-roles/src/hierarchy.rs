//! Whether the bot can hand out a set of roles, checked before a panel offers them: each must be
//! one of this server's roles, not @everyone nor a role Discord manages (bots, boosts), and below
//! the bot's highest role; the bot needs Manage Roles. The refusal names the role at fault, so
//! an administrator knows which role to move instead of meeting Discord's 403 later.

use arsenal_plugin_api::prelude::*;
use serde::Deserialize;

/// What the module needs to know of a role.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RoleInfo {
    pub id: Id<RoleMarker>,
    pub name: String,
    pub position: i64,
    #[serde(default)]
    pub managed: bool,
    /// Discord's permission bits as a decimal string.
    #[serde(default)]
    pub permissions: String,
}

impl RoleInfo {
    /// Discord's order: higher position first, and for equal positions the older role (lower id).
    fn rank(&self) -> (i64, std::cmp::Reverse<u64>) {
        (self.position, std::cmp::Reverse(self.id.get()))
    }

    fn permissions(&self) -> Permissions {
        Permissions::from_bits_truncate(self.permissions.parse().unwrap_or(0))
    }
}

/// Why the bot cannot hand out a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The bot lacks Manage Roles.
    NoManageRoles,
    /// No such role in this server.
    NotInServer(Id<RoleMarker>),
    /// @everyone cannot be given.
    Everyone,
    /// A bot's or an integration's role.
    Managed(String),
    /// The role is not below the bot's highest role (`role`, `bot's top role`, or `None` when
    /// the bot has no role at all).
    Above { role: String, top: Option<String> },
}

/// The bot's roles and the server's.
#[derive(Debug, Clone)]
pub struct Standing {
    pub guild: Id<GuildMarker>,
    pub roles: Vec<RoleInfo>,
    pub bot_roles: Vec<Id<RoleMarker>>,
}

impl Standing {
    /// Reads the server's roles and the bot's member.
    ///
    /// # Errors
    ///
    /// Discord's refusal or a transport failure.
    pub fn fetch(ctx: &Context, guild: Id<GuildMarker>, bot: Id<UserMarker>) -> Result<Self> {
        #[derive(Deserialize)]
        struct MemberRoles {
            #[serde(default)]
            roles: Vec<Id<RoleMarker>>,
        }
        let roles: Vec<RoleInfo> = ctx
            .discord()
            .execute(&DiscordRequest::GetRoles { guild_id: guild })?;
        let member: MemberRoles = ctx.discord().execute(&DiscordRequest::GetMember {
            guild_id: guild,
            user_id: bot,
        })?;
        Ok(Self {
            guild,
            roles,
            bot_roles: member.roles,
        })
    }

    /// The role `id`, if it is one of this server's.
    pub fn role(&self, id: Id<RoleMarker>) -> Option<&RoleInfo> {
        self.roles.iter().find(|role| role.id == id)
    }

    fn top(&self) -> Option<&RoleInfo> {
        self.roles
            .iter()
            .filter(|role| self.bot_roles.contains(&role.id))
            .max_by_key(|role| role.rank())
    }

    fn bot_permissions(&self) -> Permissions {
        self.roles
            .iter()
            .filter(|role| self.bot_roles.contains(&role.id) || role.id.get() == self.guild.get())
            .fold(Permissions::empty(), |all, role| all | role.permissions())
    }

    /// Checks the bot can give and take every role of `wanted`.
    ///
    /// # Errors
    ///
    /// The first problem found.
    pub fn check(&self, wanted: &[Id<RoleMarker>]) -> Result<(), Problem> {
        let permissions = self.bot_permissions();
        if !permissions.intersects(Permissions::MANAGE_ROLES | Permissions::ADMINISTRATOR) {
            return Err(Problem::NoManageRoles);
        }
        let top = self.top();
        for id in wanted {
            if id.get() == self.guild.get() {
                return Err(Problem::Everyone);
            }
            let Some(role) = self.role(*id) else {
                return Err(Problem::NotInServer(*id));
            };
            if role.managed {
                return Err(Problem::Managed(role.name.clone()));
            }
            if top.is_none_or(|top| top.rank() <= role.rank()) {
                return Err(Problem::Above {
                    role: role.name.clone(),
                    top: top.map(|top| top.name.clone()),
                });
            }
        }
        Ok(())
    }
}
