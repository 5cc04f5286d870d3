//! The module's commands as declared to the host: one slash command per action, each requiring
//! the Discord permission a moderator needs for it (the host enforces it for prefix use too).

use arsenal_plugin_api::{
    manifest::{option, subcommand},
    model::{
        application::command::{
            CommandOption, CommandOptionChoice, CommandOptionChoiceValue,
            CommandOptionType as Kind, CommandOptionValue,
        },
        gateway::Intents,
        guild::Permissions,
    },
    CommandSpec, Manifest,
};

/// Longest reason accepted (Discord's audit-log reason holds 512).
pub const MAX_REASON: usize = 500;
/// Largest case number a command accepts (well inside Discord's integer range).
pub const MAX_CASE: i64 = 1_000_000_000;

fn member(description: &str) -> CommandOption {
    option(Kind::User, "member", description, true)
}

fn reason(required: bool) -> CommandOption {
    CommandOption {
        max_length: Some(MAX_REASON as u16),
        ..option(
            Kind::String,
            "reason",
            "Why (shown to the member and in the mod-log)",
            required,
        )
    }
}

fn int(name: &str, description: &str, required: bool, min: i64, max: i64) -> CommandOption {
    CommandOption {
        min_value: Some(CommandOptionValue::Integer(min)),
        max_value: Some(CommandOptionValue::Integer(max)),
        ..option(Kind::Integer, name, description, required)
    }
}

fn duration(description: &str, required: bool) -> CommandOption {
    CommandOption {
        max_length: Some(20),
        ..option(Kind::String, "duration", description, required)
    }
}

fn command(name: &str, description: &str, permission: Permissions) -> CommandSpec {
    CommandSpec::new(name, description)
        .with_prefix()
        .permissions(permission)
}

/// The manifest.
#[must_use]
pub fn manifest() -> Manifest {
    let moderate = Permissions::MODERATE_MEMBERS;
    let action = CommandOption {
        choices: Some(
            ["timeout", "kick", "ban", "remove"]
                .into_iter()
                .map(|name| CommandOptionChoice {
                    name: name.to_owned(),
                    name_localizations: None,
                    value: CommandOptionChoiceValue::String(name.to_owned()),
                })
                .collect(),
        ),
        ..option(
            Kind::String,
            "action",
            "What reaching the points does (remove: delete this threshold)",
            true,
        )
    };
    Manifest::new("moderation", env!("CARGO_PKG_VERSION"))
        .description("Warnings with points and expiry, mutes, kicks, bans, tempbans, purge, cases and a mod-log")
        .intents(Intents::GUILD_MEMBERS)
        .command(
            command("warn", "Warn a member (points count toward automatic actions)", moderate)
                .option(member("Who to warn"))
                .option(reason(true))
                .option(int("points", "Warning points (default 1)", false, 1, 100)),
        )
        .command(
            command("warnings", "A member's warnings and sanctions history", moderate)
                .option(member("Whose history")),
        )
        .command(
            command("delwarn", "Delete a warning by its case number", moderate)
                .option(int("case", "The warning's case number", true, 1, MAX_CASE)),
        )
        .command(
            command("clearwarns", "Delete all of a member's warnings", moderate)
                .option(member("Whose warnings")),
        )
        .command(
            command("mute", "Mute a member (a timeout, or the mute role)", moderate)
                .option(member("Who to mute"))
                .option(duration("How long: 10m, 2h, 7d, 1w (permanent needs a mute role)", true))
                .option(reason(false)),
        )
        .command(
            command("unmute", "Lift a member's mute", moderate)
                .option(member("Who to unmute"))
                .option(reason(false)),
        )
        .command(
            command("kick", "Kick a member", Permissions::KICK_MEMBERS)
                .option(member("Who to kick"))
                .option(reason(false)),
        )
        .command(
            command("ban", "Ban a user, for a while if a duration is given", Permissions::BAN_MEMBERS)
                .option(member("Who to ban (a member or any user id)"))
                .option(duration("Tempban length: 1h, 7d, 1w (none: permanent)", false))
                .option(reason(false))
                .option(int("delete_days", "Delete their messages of the last 0 to 7 days", false, 0, 7)),
        )
        .command(
            command("unban", "Lift a ban", Permissions::BAN_MEMBERS)
                .option(option(Kind::User, "user", "Who to unban (a user id works)", true))
                .option(reason(false)),
        )
        .command(
            command("purge", "Delete recent messages in this channel", Permissions::MANAGE_MESSAGES)
                .option(int("count", "How many messages (1 to 100)", true, 1, 100))
                .option(option(Kind::User, "member", "Only this member's messages", false)),
        )
        .command(
            command("case", "Show a case", moderate)
                .option(int("number", "The case number", true, 1, MAX_CASE)),
        )
        .command(
            command("modlog", "Set the mod-log channel (none: turn it off)", Permissions::MANAGE_GUILD)
                .option(option(Kind::Channel, "channel", "A text channel the bot can post in", false)),
        )
        .command(
            command("modconfig", "Moderation settings", Permissions::MANAGE_GUILD)
                .option(subcommand("show", "Show the settings", vec![]))
                .option(subcommand(
                    "warn_expiry",
                    "How long warnings count",
                    vec![CommandOption {
                        max_length: Some(20),
                        ..option(Kind::String, "duration", "30d, 1w, … or never", true)
                    }],
                ))
                .option(subcommand(
                    "threshold",
                    "An automatic action at a number of active warning points",
                    vec![
                        int("points", "Active points that trigger it", true, 1, 1000),
                        action,
                        duration("Timeout or tempban length (ban without: permanent)", false),
                    ],
                ))
                .option(subcommand(
                    "mute_role",
                    "The role for long or permanent mutes (none: clear it)",
                    vec![
                        option(Kind::Role, "role", "A role that cannot speak", false),
                        option(Kind::Boolean, "always", "Use the role for every mute, not only long ones", false),
                    ],
                ))
                .option(subcommand(
                    "dm",
                    "Tell members by DM when they are sanctioned",
                    vec![option(Kind::Boolean, "enabled", "yes or no", true)],
                )),
        )
}
