//! The `welcome` module: a message in a chosen channel when a member joins, and optionally
//! when one leaves, per guild. Configuration lives in the host's store (key `guild:<id>`), so it
//! survives reloads and restarts: nothing is ever set up twice.
//!
//! `/welcome channel <#channel>`, `/welcome message <text>`, `/welcome goodbye <text>`,
//! `/welcome test`, `/welcome show`, `/welcome disable` (Manage Server). Placeholders:
//! `{user}` (a mention), `{name}`, `{server}` is not known to the module and left as is.

use arsenal_plugin_api::{
    model::gateway::payload::incoming::{MemberAdd, MemberRemove},
    prelude::*,
};
use serde::{Deserialize, Serialize};

const DEFAULT_WELCOME: &str = "Welcome {user}! 👋";
const MAX_TEXT: usize = 1500;

/// One guild's settings (version 1 of the record).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct GuildConfig {
    #[serde(default)]
    channel: Option<Id<ChannelMarker>>,
    #[serde(default)]
    welcome: Option<String>,
    #[serde(default)]
    goodbye: Option<String>,
}

/// `/welcome` and `!welcome`: the command's declaration and its parsed form.
#[derive(Debug, Command)]
#[command(
    name = "welcome",
    desc = "Configure welcome and goodbye messages",
    permissions = "MANAGE_GUILD",
    prefix
)]
enum WelcomeCommand {
    /// Where the messages go
    Channel(ChannelOption),
    /// The welcome message
    Message(TextOption),
    /// The goodbye message (none until set)
    Goodbye(TextOption),
    /// Post the welcome message for yourself
    Test,
    /// Show the settings
    Show,
    /// Stop posting messages
    Disable,
}

#[derive(Debug, Command)]
struct ChannelOption {
    /// A text channel
    channel: Id<ChannelMarker>,
}

#[derive(Debug, Command)]
struct TextOption {
    /// The message; {user} becomes a mention, {name} the member's name
    text: String,
}

pub struct Welcome;

impl Plugin for Welcome {
    fn manifest() -> Manifest {
        Manifest::new("welcome", env!("CARGO_PKG_VERSION"))
            .description("Greets members who join, says goodbye to those who leave")
            .intents(Intents::GUILD_MEMBERS)
            .command(WelcomeCommand::spec())
    }

    fn events(events: &mut Events<Self>) {
        events
            .on::<MemberAdd>(Self::member_joined)
            .on::<MemberRemove>(Self::member_left);
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Welcome)
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let Some(guild) = command.invoker.guild_id else {
            return Ok(Response::ephemeral(
                "Welcome messages are set up in a server, not in DMs.",
            ));
        };
        let parsed = match WelcomeCommand::parse(command) {
            Ok(parsed) => parsed,
            Err(refusal) => return Ok(refusal.into()),
        };
        let store = ctx.store();
        let key = config_key(guild);
        match parsed {
            WelcomeCommand::Channel(ChannelOption { channel }) => {
                store.update(&key, |config: Option<GuildConfig>| {
                    Ok(Some(GuildConfig {
                        channel: Some(channel),
                        ..config.unwrap_or_default()
                    }))
                })?;
                Ok(Response::ephemeral(format!(
                    "Welcome messages will be posted in <#{channel}>."
                )))
            }
            WelcomeCommand::Message(TextOption { text }) => {
                save_text(ctx, &key, command, &text, Greeting::Welcome)
            }
            WelcomeCommand::Goodbye(TextOption { text }) => {
                save_text(ctx, &key, command, &text, Greeting::Goodbye)
            }
            WelcomeCommand::Test => {
                let config: GuildConfig = store.get(&key)?.unwrap_or_default();
                let Some(channel) = config.channel else {
                    return Ok(Response::ephemeral(
                        "No channel yet: `/welcome channel #somewhere` first.",
                    ));
                };
                post(
                    ctx,
                    channel,
                    &welcome_text(&config),
                    command.invoker.user_id,
                    &command.invoker.user_name,
                )?;
                Ok(Response::ephemeral(format!(
                    "Posted a test welcome in <#{channel}>."
                )))
            }
            WelcomeCommand::Show => {
                let config: GuildConfig = store.get(&key)?.unwrap_or_default();
                let channel = config
                    .channel
                    .map_or("not set".to_owned(), |c| format!("<#{c}>"));
                Ok(Response::ephemeral(format!(
                    "Channel: {channel}\nWelcome: {}\nGoodbye: {}",
                    welcome_text(&config),
                    config.goodbye.as_deref().unwrap_or("(off)")
                )))
            }
            WelcomeCommand::Disable => {
                let existed = store.delete(&key)?;
                Ok(Response::ephemeral(if existed {
                    "Welcome and goodbye messages are off; settings removed."
                } else {
                    "They were not set up."
                }))
            }
        }
    }
}

impl Welcome {
    fn member_joined(&mut self, ctx: &Context, event: &MemberAdd) -> Result<()> {
        let config: Option<GuildConfig> = ctx.store().get(&config_key(event.guild_id))?;
        let Some(config) = config else { return Ok(()) };
        let Some(channel) = config.channel else {
            return Ok(());
        };
        let user = &event.member.user;
        post(
            ctx,
            channel,
            &welcome_text(&config),
            user.id,
            user.global_name.as_deref().unwrap_or(&user.name),
        )
    }

    fn member_left(&mut self, ctx: &Context, event: &MemberRemove) -> Result<()> {
        let config: Option<GuildConfig> = ctx.store().get(&config_key(event.guild_id))?;
        let Some(GuildConfig {
            channel: Some(channel),
            goodbye: Some(goodbye),
            ..
        }) = config
        else {
            return Ok(());
        };
        let user = &event.user;
        post(
            ctx,
            channel,
            &goodbye,
            user.id,
            user.global_name.as_deref().unwrap_or(&user.name),
        )
    }
}

/// Which message `/welcome message` or `/welcome goodbye` sets.
#[derive(Clone, Copy)]
enum Greeting {
    Welcome,
    Goodbye,
}

fn save_text(
    ctx: &Context,
    key: &str,
    command: &CommandInvocation,
    text: &str,
    which: Greeting,
) -> Result<Response> {
    let text = text.trim().to_owned();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        return Ok(Response::ephemeral(format!(
            "The message must be 1 to {MAX_TEXT} characters."
        )));
    }
    let config = ctx.store().update(key, |config: Option<GuildConfig>| {
        let mut config = config.unwrap_or_default();
        let slot = match which {
            Greeting::Welcome => &mut config.welcome,
            Greeting::Goodbye => &mut config.goodbye,
        };
        *slot = Some(text.clone());
        Ok(Some(config))
    })?;
    let hint = if config.and_then(|c| c.channel).is_none() {
        " Set a channel with `/welcome channel` to start."
    } else {
        ""
    };
    Ok(Response::ephemeral(format!(
        "Saved. Preview: {}{hint}",
        render(&text, command.invoker.user_id, &command.invoker.user_name)
    )))
}

fn config_key(guild: Id<GuildMarker>) -> String {
    format!("guild:{guild}")
}

fn welcome_text(config: &GuildConfig) -> String {
    config
        .welcome
        .clone()
        .unwrap_or_else(|| DEFAULT_WELCOME.to_owned())
}

fn render(template: &str, user: Id<UserMarker>, name: &str) -> String {
    template
        .replace("{user}", &format!("<@{user}>"))
        .replace("{name}", name)
}

fn post(
    ctx: &Context,
    channel: Id<ChannelMarker>,
    template: &str,
    user: Id<UserMarker>,
    name: &str,
) -> Result<()> {
    let request = DiscordRequest::SendMessage {
        channel_id: channel,
        message: Reply::text(render(template, user, name)),
    };
    ctx.discord()
        .execute::<serde_json::Value>(&request)
        .map(drop)
        .map_err(|e| {
            Error::new(
                e.kind(),
                format!("could not post the welcome message in <#{channel}>: {e}"),
            )
        })
}

arsenal_plugin_api::export_plugin!(Welcome);

#[cfg(test)]
mod tests {
    use arsenal_plugin_api::{
        protocol::{Arg, ArgValue},
        testing::{TestHarness, ADMIN_ID, GUILD_ID},
    };
    use serde_json::json;

    use super::*;

    fn configure(harness: &mut TestHarness<Welcome>, sub: &str, args: Vec<Arg>) -> Response {
        let invocation = harness.slash_as(
            ADMIN_ID,
            Permissions::ADMINISTRATOR,
            "welcome",
            &[sub],
            args,
        );
        harness.command(invocation).unwrap()
    }

    fn text(value: &str) -> Vec<Arg> {
        vec![Arg {
            name: "text".into(),
            value: ArgValue::String(value.into()),
        }]
    }

    #[test]
    fn a_configured_guild_greets_new_members_across_reloads() {
        let mut harness = TestHarness::<Welcome>::start().unwrap();
        let channel = Id::new(77);
        configure(
            &mut harness,
            "channel",
            vec![Arg {
                name: "channel".into(),
                value: ArgValue::Channel(channel),
            }],
        );
        configure(
            &mut harness,
            "message",
            text("Hi {user}, I am glad, {name}!"),
        );
        harness.reload().unwrap();

        let join = json!({
            "guild_id": GUILD_ID.to_string(), "roles": [], "joined_at": "2026-11-21T10:00:00.000000+00:00",
            "deaf": false, "mute": false, "flags": 0,
            "user": {"id": "55", "username": "dave", "global_name": "Dave", "discriminator": "0", "avatar": null}
        });
        harness.event("GUILD_MEMBER_ADD", &join).unwrap();
        let sent = harness.discord_requests();
        assert_eq!(
            sent,
            [DiscordRequest::SendMessage {
                channel_id: channel,
                message: Reply::text("Hi <@55>, I am glad, Dave!")
            }]
        );

        // No goodbye until one is set.
        let leave = json!({"guild_id": GUILD_ID.to_string(), "user": {"id": "55", "username": "dave", "discriminator": "0", "avatar": null}});
        harness.event("GUILD_MEMBER_REMOVE", &leave).unwrap();
        assert_eq!(harness.discord_requests().len(), 1);
        configure(&mut harness, "goodbye", text("Bye {name}"));
        harness.event("GUILD_MEMBER_REMOVE", &leave).unwrap();
        assert_eq!(
            harness.discord_requests()[1],
            DiscordRequest::SendMessage {
                channel_id: channel,
                message: Reply::text("Bye dave")
            }
        );
    }

    #[test]
    fn misuse_gets_a_clear_answer_and_nothing_changes() {
        let mut harness = TestHarness::<Welcome>::start().unwrap();
        let answer = configure(&mut harness, "test", vec![]);
        assert_eq!(
            answer,
            Response::ephemeral("No channel yet: `/welcome channel #somewhere` first.")
        );
        let answer = configure(&mut harness, "message", text(&"x".repeat(MAX_TEXT + 1)));
        assert_eq!(
            answer,
            Response::ephemeral(format!("The message must be 1 to {MAX_TEXT} characters."))
        );
        assert_eq!(harness.stored("guild:1"), None);
        let answer = configure(&mut harness, "disable", vec![]);
        assert_eq!(answer, Response::ephemeral("They were not set up."));
    }

    #[test]
    fn the_declared_command_is_what_discord_registers() {
        let spec = WelcomeCommand::spec();
        assert!(spec.slash && spec.prefix);
        assert_eq!(
            spec.default_member_permissions,
            Some(Permissions::MANAGE_GUILD.bits().to_string())
        );
        let text = json!([{"type": 3, "name": "text", "required": true,
            "description": "The message; {user} becomes a mention, {name} the member's name"}]);
        assert_eq!(
            serde_json::to_value(&spec.options).unwrap(),
            json!([
                {"type": 1, "name": "channel", "description": "Where the messages go", "options": [
                    {"type": 7, "name": "channel", "description": "A text channel", "required": true}]},
                {"type": 1, "name": "message", "description": "The welcome message", "options": text},
                {"type": 1, "name": "goodbye", "description": "The goodbye message (none until set)", "options": text},
                {"type": 1, "name": "test", "description": "Post the welcome message for yourself", "options": []},
                {"type": 1, "name": "show", "description": "Show the settings", "options": []},
                {"type": 1, "name": "disable", "description": "Stop posting messages", "options": []},
            ])
        );
    }

    #[test]
    fn a_missing_option_is_refused_by_name() {
        let mut harness = TestHarness::<Welcome>::start().unwrap();
        let answer = configure(&mut harness, "channel", vec![]);
        assert_eq!(
            answer,
            Response::ephemeral("The option `channel` is required.")
        );
        let answer = configure(&mut harness, "greet", vec![]);
        assert_eq!(
            answer,
            Response::ephemeral("`welcome` has no subcommand `greet`: use `channel`, `message`, `goodbye`, `test`, `show`, `disable`.")
        );
        assert_eq!(harness.stored("guild:1"), None);
    }

    #[test]
    fn a_discord_refusal_is_reported_not_swallowed() {
        let mut harness = TestHarness::<Welcome>::start().unwrap();
        harness.set_stored("guild:1", json!({"channel": "77"}));
        harness.on_discord(|_| Err("Discord refused (403): Missing Permissions".to_owned()));
        let answer = harness.command(harness.slash_as(
            ADMIN_ID,
            Permissions::ADMINISTRATOR,
            "welcome",
            &["test"],
            vec![],
        ));
        let error = answer.unwrap_err();
        assert!(
            error
                .message
                .contains("could not post the welcome message in <#77>: Discord refused (403)"),
            "{}",
            error.message
        );
    }
}
