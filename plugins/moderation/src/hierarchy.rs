//! Who may act on whom: the moderator and the bot must both rank above the member, nobody acts on
//! themselves, the bot or the server owner, and Discord never times out administrators. Checked
//! before any action so the moderator gets a plain sentence instead of Discord's 403.

use arsenal_plugin_api::{
    i18n::Tr,
    model::{
        guild::Permissions,
        id::{
            marker::{GuildMarker, RoleMarker, UserMarker},
            Id,
        },
    },
    tr, Context, Result,
};

use crate::guild::{self, GuildView, MemberView, RoleView};

/// Where someone stands in the guild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub user: Id<UserMarker>,
    /// Their highest role's position (0: only @everyone) and its name.
    pub top: (i64, String),
    pub administrator: bool,
}

/// What the moderator is trying to do, for the wording and the timeout rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Warn,
    /// A mute by Discord timeout (administrators cannot be timed out).
    Timeout,
    /// A mute by role.
    Mute,
    Unmute,
    Kick,
    Ban,
}

impl Verb {
    /// The key of its infinitive, for sentences.
    const fn key(self) -> &'static str {
        match self {
            Self::Warn => "moderation-verb-warn",
            Self::Timeout | Self::Mute => "moderation-verb-mute",
            Self::Unmute => "moderation-verb-unmute",
            Self::Kick => "moderation-verb-kick",
            Self::Ban => "moderation-verb-ban",
        }
    }
}

/// The people involved in one action.
#[derive(Debug, Clone)]
pub struct Parties {
    pub owner: Id<UserMarker>,
    /// `None` for an automatic action (the bot acts on its own).
    pub moderator: Option<Standing>,
    pub bot: Standing,
    /// `None` when the user is not a member (a ban by id).
    pub target: Option<Standing>,
    pub target_user: Id<UserMarker>,
    /// How to name the target in sentences.
    pub target_name: String,
}

/// Whether the action may go ahead; the refusal is a sentence for the moderator.
///
/// # Errors
///
/// Why the action is refused.
pub fn decide(tr: Tr<'_>, verb: Verb, p: &Parties) -> Result<(), String> {
    let action = tr.t(verb.key());
    let name = p.target_name.as_str();
    if p.target_user == p.bot.user {
        return Err(tr!(tr, "moderation-not-myself", action = &action));
    }
    if p.moderator
        .as_ref()
        .is_some_and(|m| m.user == p.target_user)
    {
        return Err(tr!(tr, "moderation-not-yourself", action = &action));
    }
    if p.target_user == p.owner {
        return Err(tr!(
            tr,
            "moderation-not-owner",
            action = &action,
            name = name
        ));
    }
    let Some(target) = &p.target else {
        return Ok(());
    };
    if let Some(moderator) = p.moderator.as_ref().filter(|m| m.user != p.owner) {
        if moderator.top.0 <= target.top.0 {
            return Err(tr!(
                tr,
                "moderation-above-you",
                action = &action,
                name = name,
                theirs = &target.top.1,
                yours = &moderator.top.1
            ));
        }
    }
    if p.bot.top.0 <= target.top.0 {
        return Err(tr!(
            tr,
            "moderation-above-me",
            action = &action,
            name = name,
            theirs = &target.top.1,
            mine = &p.bot.top.1
        ));
    }
    if verb == Verb::Timeout && target.administrator {
        return Err(tr!(tr, "moderation-admin-timeout", name = name));
    }
    Ok(())
}

/// Computes a standing from a member's roles.
#[must_use]
pub fn standing(
    user: Id<UserMarker>,
    member_roles: &[Id<RoleMarker>],
    roles: &[RoleView],
) -> Standing {
    let mine: Vec<&RoleView> = roles
        .iter()
        .filter(|r| member_roles.contains(&r.id))
        .collect();
    let top = mine
        .iter()
        .max_by_key(|r| r.position)
        .map_or((0, "@everyone".to_owned()), |r| {
            (r.position, r.name.clone())
        });
    let administrator = mine.iter().any(|r| {
        r.permissions.parse::<u64>().is_ok_and(|bits| {
            Permissions::from_bits_truncate(bits).contains(Permissions::ADMINISTRATOR)
        })
    });
    Standing {
        user,
        top,
        administrator,
    }
}

/// Everything read from Discord for one action.
#[derive(Debug, Clone)]
pub struct Scene {
    pub guild: GuildView,
    pub parties: Parties,
    pub member: Option<MemberView>,
}

/// Reads the guild, its roles, the bot's member and the target's, then builds [`Parties`].
/// `moderator` is the invoker's id and roles, or `None` for an automatic action.
///
/// # Errors
///
/// Discord refused a read.
pub fn scene(
    ctx: &Context,
    guild_id: Id<GuildMarker>,
    bot: Id<UserMarker>,
    moderator: Option<(Id<UserMarker>, &[Id<RoleMarker>])>,
    target: Id<UserMarker>,
) -> Result<Scene> {
    let guild = guild::guild(ctx, guild_id)?;
    let roles = guild::roles(ctx, guild_id)?;
    let bot_roles = guild::member(ctx, guild_id, bot)?
        .map(|m| m.roles)
        .unwrap_or_default();
    let member = guild::member(ctx, guild_id, target)?;
    let target_name = member
        .as_ref()
        .map_or_else(|| format!("<@{target}>"), |m| m.user.display().to_owned());
    let parties = Parties {
        owner: guild.owner_id,
        moderator: moderator.map(|(user, r)| standing(user, r, &roles)),
        bot: standing(bot, &bot_roles, &roles),
        target: member.as_ref().map(|m| standing(target, &m.roles, &roles)),
        target_user: target,
        target_name,
    };
    Ok(Scene {
        guild,
        parties,
        member,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(verb: Verb, p: &Parties) -> Result<(), String> {
        super::decide(crate::testing::english(), verb, p)
    }

    fn at(user: u64, position: i64) -> Standing {
        Standing {
            user: Id::new(user),
            top: (position, format!("role{position}")),
            administrator: false,
        }
    }

    fn parties(moderator: Option<Standing>, target: Option<Standing>) -> Parties {
        Parties {
            owner: Id::new(1),
            moderator,
            bot: at(99, 3),
            target,
            target_user: Id::new(5),
            target_name: "bob".into(),
        }
    }

    #[test]
    fn moderator_and_bot_must_both_rank_above_the_member() {
        assert_eq!(
            decide(Verb::Kick, &parties(Some(at(2, 2)), Some(at(5, 1)))),
            Ok(())
        );
        let equal = decide(Verb::Kick, &parties(Some(at(2, 1)), Some(at(5, 1)))).unwrap_err();
        assert!(
            equal.starts_with("You cannot kick bob: their highest role (role1) is not below yours"),
            "{equal}"
        );
        let above_bot = decide(Verb::Ban, &parties(Some(at(1, 4)), Some(at(5, 4)))).unwrap_err();
        assert!(
            above_bot.starts_with(
                "I cannot ban bob: their highest role (role4) is not below mine (role3)"
            ),
            "{above_bot}"
        );
        // The owner outranks everyone; an automatic action only needs the bot.
        assert_eq!(
            decide(Verb::Kick, &parties(Some(at(1, 0)), Some(at(5, 2)))),
            Ok(())
        );
        assert_eq!(decide(Verb::Mute, &parties(None, Some(at(5, 2)))), Ok(()));
    }

    #[test]
    fn nobody_acts_on_themselves_the_bot_or_the_owner() {
        let mut p = parties(Some(at(5, 4)), Some(at(5, 1)));
        assert_eq!(
            decide(Verb::Warn, &p),
            Err("You cannot warn yourself.".into())
        );
        p.target_user = Id::new(99);
        assert_eq!(
            decide(Verb::Mute, &p),
            Err("I will not mute myself.".into())
        );
        p.target_user = Id::new(1);
        assert!(decide(Verb::Ban, &p)
            .unwrap_err()
            .contains("owns this server"));
    }

    #[test]
    fn non_members_can_be_banned_and_admins_cannot_be_timed_out() {
        assert_eq!(decide(Verb::Ban, &parties(Some(at(2, 2)), None)), Ok(()));
        let mut admin = at(5, 1);
        admin.administrator = true;
        let refused =
            decide(Verb::Timeout, &parties(Some(at(2, 2)), Some(admin.clone()))).unwrap_err();
        assert_eq!(
            decide(Verb::Mute, &parties(Some(at(2, 2)), Some(admin))),
            Ok(()),
            "a mute role works on them"
        );
        assert!(refused.contains("administrator"), "{refused}");
    }

    #[test]
    fn standing_takes_the_highest_role_and_admin_bits() {
        let role = |id: u64, position, permissions: Permissions| RoleView {
            id: Id::new(id),
            name: format!("r{id}"),
            position,
            permissions: permissions.bits().to_string(),
        };
        let roles = [
            role(10, 1, Permissions::empty()),
            role(11, 4, Permissions::ADMINISTRATOR),
            role(12, 2, Permissions::KICK_MEMBERS),
        ];
        let s = standing(Id::new(5), &[Id::new(10), Id::new(12)], &roles);
        assert_eq!((s.top, s.administrator), ((2, "r12".to_owned()), false));
        let s = standing(Id::new(5), &[Id::new(11)], &roles);
        assert_eq!((s.top.0, s.administrator), (4, true));
        let s = standing(Id::new(5), &[], &roles);
        assert_eq!(s.top, (0, "@everyone".to_owned()));
    }
}
