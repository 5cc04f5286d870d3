//! Members joining, passing the rules screening and leaving: greetings, direct messages, roles
//! on join, the new-account notice, goodbyes, and deleting the greeting of a member who left
//! quickly.
//!
//! Each step is tried even when an earlier one failed (a closed DM must not cost the member
//! their roles); the first failure is returned afterwards, so the host logs it.

use arsenal_plugin_api::{
    model::gateway::payload::incoming::{MemberAdd, MemberRemove, MemberUpdate},
    prelude::*,
    protocol::{discord_code, MessageRef, TimerFired},
};
use serde::{Deserialize, Serialize};

use crate::{
    command::Style,
    config::{config_key, forget_timer_key, greeting_key, pending_key, Greeting, GuildConfig},
    raid,
    template::{self, account_created_ms, Member, ServerFacts},
};

/// The payload of a `forget:<guild>:<user>` timer.
#[derive(Debug, Serialize, Deserialize)]
pub struct Forget {
    pub guild: Id<GuildMarker>,
    pub user: Id<UserMarker>,
    pub joined_ms: u64,
}

/// Collects the first error of several independent steps.
#[derive(Default)]
struct Outcome(Option<Error>);

impl Outcome {
    fn note<T>(&mut self, step: Result<T>) -> Option<T> {
        match step {
            Ok(value) => Some(value),
            Err(e) => {
                log::warn!("{e}");
                self.0.get_or_insert(e);
                None
            }
        }
    }

    fn finish(self) -> Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

pub fn joined(ctx: &Context, event: &MemberAdd) -> Result<()> {
    let guild = event.guild_id;
    let Some(config) = ctx.store().get::<GuildConfig>(&config_key(guild))? else {
        return Ok(());
    };
    let user = &event.member.user;
    if user.bot {
        return Ok(());
    }
    let member = Member {
        id: user.id,
        name: user.global_name.as_deref().unwrap_or(&user.name),
        username: &user.name,
    };
    let mut outcome = Outcome::default();
    // Roles first: on a screened server they wait for the rules (GUILD_MEMBER_UPDATE).
    if !config.roles.is_empty() {
        if event.member.pending {
            outcome.note(ctx.store().set(&pending_key(guild, user.id), &ctx.now()));
        } else {
            give_roles(ctx, guild, user.id, &config.roles, &mut outcome);
        }
    }
    if let Some(notice) = &config.new_accounts {
        outcome.note(new_account_notice(
            ctx,
            guild,
            &config,
            notice.days,
            notice.channel,
            &member,
        ));
    }
    // Raid mode (automod) pauses greetings and direct messages; roles and the notice above
    // still apply (see the README).
    if raid::is_on(ctx, guild) {
        log::info!("raid mode is on in {guild}: no greeting for {}", user.id);
        return outcome.finish();
    }
    let joined_ms = ctx.now();
    if let Some(channel) = config.channel {
        let templates = welcome_templates(ctx, guild, &config);
        let template = &templates[template::pick(templates.len(), user.id, joined_ms)];
        let posted = outcome.note(post(ctx, guild, channel, template, config.style, &member));
        if let (Some(Some(message)), Some(within)) = (posted, config.delete_within_secs) {
            outcome.note(remember_greeting(
                ctx, guild, user.id, channel, message, joined_ms, within,
            ));
        }
    }
    if let Some(dm) = &config.dm {
        outcome.note(send_dm(ctx, guild, dm, &member));
    }
    outcome.finish()
}

/// A screened member accepted the rules: the roles they were waiting for.
pub fn updated(ctx: &Context, event: &MemberUpdate) -> Result<()> {
    if event.pending {
        return Ok(());
    }
    let guild = event.guild_id;
    // Only the call that removes the entry gives the roles: a later update gives nothing.
    if !ctx.store().delete(&pending_key(guild, event.user.id))? {
        return Ok(());
    }
    let Some(config) = ctx.store().get::<GuildConfig>(&config_key(guild))? else {
        return Ok(());
    };
    let mut outcome = Outcome::default();
    give_roles(ctx, guild, event.user.id, &config.roles, &mut outcome);
    outcome.finish()
}

pub fn left(ctx: &Context, event: &MemberRemove) -> Result<()> {
    let guild = event.guild_id;
    let user = &event.user;
    let mut outcome = Outcome::default();
    outcome.note(ctx.store().delete(&pending_key(guild, user.id)));
    outcome.note(delete_quick_greeting(ctx, guild, user.id));
    let Some(config) = ctx.store().get::<GuildConfig>(&config_key(guild))? else {
        return outcome.finish();
    };
    let (Some(channel), false) = (config.channel, config.goodbye.is_empty()) else {
        return outcome.finish();
    };
    if raid::is_on(ctx, guild) {
        return outcome.finish();
    }
    let member = Member {
        id: user.id,
        name: user.global_name.as_deref().unwrap_or(&user.name),
        username: &user.name,
    };
    let template = &config.goodbye[template::pick(config.goodbye.len(), user.id, ctx.now())];
    outcome.note(post(ctx, guild, channel, template, config.style, &member));
    outcome.finish()
}

/// A `forget:` timer: the greeting may no longer be deleted, forget it.
pub fn forget(ctx: &Context, timer: &TimerFired) -> Result<()> {
    let forget: Forget = serde_json::from_value(timer.payload.clone()).map_err(|e| {
        Error::invalid(format!("timer {} has a bad payload", timer.key)).with_source(e)
    })?;
    let key = greeting_key(forget.guild, forget.user);
    // A newer join of the same member has its own record and timer: keep it.
    ctx.store().update(&key, |greeting: Option<Greeting>| {
        Ok(greeting.filter(|g| g.joined_ms != forget.joined_ms))
    })?;
    Ok(())
}

/// The server's welcome templates, or the default greeting in its language.
pub fn welcome_templates(
    ctx: &Context,
    guild: Id<GuildMarker>,
    config: &GuildConfig,
) -> Vec<String> {
    if config.welcome.is_empty() {
        vec![ctx.tr_guild(guild).t("welcome-default-template")]
    } else {
        config.welcome.clone()
    }
}

/// Posts `template` for `member` in `channel` as text or embed; returns the message's id
/// (`None` if Discord's answer had none).
///
/// # Errors
///
/// Discord's refusal, naming the channel.
pub fn post(
    ctx: &Context,
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
    template: &str,
    style: Style,
    member: &Member<'_>,
) -> Result<Option<Id<MessageMarker>>> {
    let text = template::render(
        template,
        member,
        server_facts(ctx, guild, template).as_ref(),
    );
    // Only the member is pinged: a display name like "@everyone" must not ping the server.
    let message = match style {
        Style::Text => Reply::text(text),
        Style::Embed => Reply::text(format!("<@{}>", member.id)).embed(
            EmbedBuilder::new()
                .description(text)
                .color(0x57_F2_87)
                .build(),
        ),
    }
    .mention_only([member.id]);
    let request = DiscordRequest::SendMessage {
        channel_id: channel,
        message,
    };
    ctx.discord()
        .execute::<serde_json::Value>(&request)
        // Discord's message; its id is only needed to delete it later.
        .map(|posted| serde_json::from_value(posted["id"].clone()).ok())
        .map_err(|e| {
            let tr = ctx.tr_guild(guild);
            let reason = e.to_string();
            Error::new(
                e.kind(),
                tr!(
                    tr,
                    "welcome-post-failed",
                    channel = format!("<#{channel}>"),
                    reason = reason
                ),
            )
        })
}

/// The server's name and count when `template` uses them; on failure the placeholders stay.
fn server_facts(ctx: &Context, guild: Id<GuildMarker>, template: &str) -> Option<ServerFacts> {
    if !template::needs_server(template) {
        return None;
    }
    template::server_facts(ctx, guild)
        .map_err(|e| log::warn!("could not read server {guild} for {{server}}/{{count}}: {e}"))
        .ok()
}

fn send_dm(
    ctx: &Context,
    guild: Id<GuildMarker>,
    template: &str,
    member: &Member<'_>,
) -> Result<()> {
    let text = template::render(
        template,
        member,
        server_facts(ctx, guild, template).as_ref(),
    );
    let request = DiscordRequest::SendDirectMessage {
        user_id: member.id,
        message: Reply::text(text).mention_only([member.id]),
    };
    match ctx.discord().execute::<serde_json::Value>(&request) {
        Ok(_) => Ok(()),
        // Members who closed their DMs are common: not a failure of the module.
        Err(e) if e.is_discord_code(&[discord_code::CANNOT_MESSAGE_USER]) => {
            log::info!(
                "{} does not accept direct messages: no welcome DM",
                member.id
            );
            Ok(())
        }
        Err(e) => Err(e.context(format!("could not send the welcome DM to {}", member.id))),
    }
}

fn give_roles(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
    roles: &[Id<RoleMarker>],
    outcome: &mut Outcome,
) {
    let reason = ctx.tr_guild(guild).t("welcome-role-reason");
    for role in roles {
        let request = DiscordRequest::AddRole {
            guild_id: guild,
            user_id: user,
            role_id: *role,
            reason: Some(reason.clone()),
        };
        outcome.note(
            ctx.discord()
                .execute::<serde_json::Value>(&request)
                .map_err(|e| e.context(format!("could not give role {role} to {user} in {guild}"))),
        );
    }
}

fn new_account_notice(
    ctx: &Context,
    guild: Id<GuildMarker>,
    config: &GuildConfig,
    days: u32,
    channel: Option<Id<ChannelMarker>>,
    member: &Member<'_>,
) -> Result<()> {
    let created = account_created_ms(member.id);
    let young = ctx.now().saturating_sub(created) < u64::from(days) * 24 * 3600 * 1000;
    let Some(channel) = channel.or(config.channel).filter(|_| young && days > 0) else {
        return Ok(());
    };
    let tr = ctx.tr_guild(guild);
    let text = tr!(
        tr,
        "welcome-new-account",
        user = format!("<@{}>", member.id),
        name = member.username,
        created = format!("<t:{}:R>", created / 1000)
    );
    let request = DiscordRequest::SendMessage {
        channel_id: channel,
        message: Reply::text(text).no_mentions(),
    };
    ctx.discord()
        .execute::<serde_json::Value>(&request)
        .map(drop)
        .map_err(|e| {
            e.context(format!(
                "could not post the new-account notice in <#{channel}>"
            ))
        })
}

fn remember_greeting(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
    channel: Id<ChannelMarker>,
    message: Id<MessageMarker>,
    joined_ms: u64,
    within_secs: u64,
) -> Result<()> {
    let greeting = Greeting {
        channel,
        message,
        joined_ms,
    };
    ctx.store().set(&greeting_key(guild, user), &greeting)?;
    let forget = Forget {
        guild,
        user,
        joined_ms,
    };
    ctx.timers().schedule(
        &forget_timer_key(guild, user),
        joined_ms.saturating_add(within_secs.saturating_mul(1000)),
        &forget,
    )
}

/// Deletes the greeting of a member leaving within the server's window.
fn delete_quick_greeting(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
) -> Result<()> {
    let key = greeting_key(guild, user);
    let Some(greeting) = ctx.store().get::<Greeting>(&key)? else {
        return Ok(());
    };
    let within = ctx
        .store()
        .get::<GuildConfig>(&config_key(guild))?
        .and_then(|c| c.delete_within_secs);
    let soon = within.is_some_and(|secs| {
        ctx.now().saturating_sub(greeting.joined_ms) <= secs.saturating_mul(1000)
    });
    if soon {
        let request = DiscordRequest::DeleteMessage {
            target: MessageRef {
                channel_id: greeting.channel,
                message_id: greeting.message,
            },
        };
        match ctx.discord().execute::<serde_json::Value>(&request) {
            // Someone deleted it already.
            Ok(_) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => {
                return Err(e.context(format!(
                    "could not delete the greeting of {user} in <#{}>",
                    greeting.channel
                )))
            }
        }
    }
    ctx.store().delete(&key)?;
    ctx.timers().cancel(&forget_timer_key(guild, user))?;
    Ok(())
}
