//! `/welcome …`: a server's settings, changed by its managers (Manage Server, checked by the
//! host before the module runs).

use arsenal_plugin_api::prelude::*;

use crate::{
    command::{
        AddTemplate, ChannelOption, DeleteOnLeaveOption, DmOption, NewAccountsOption,
        RemoveTemplate, RoleOption, Style, StyleOption, TemplateKind, TextOption, WelcomeCommand,
        MAX_DELETE_WINDOW_SECS, MAX_ROLES, MAX_TEMPLATES, MAX_TEXT,
    },
    config::{config_key, GuildConfig, NewAccountNotice},
    members,
    template::{self, Member},
};

/// Runs `/welcome …`; what the member got wrong is an ephemeral answer, not an error.
pub fn run(ctx: &Context, command: &CommandInvocation) -> Result<Response> {
    let tr = ctx.tr(&command.invoker);
    let Some(guild) = command.invoker.guild_id else {
        return Ok(Response::ephemeral(tr.t("welcome-dm-only")));
    };
    let parsed = match WelcomeCommand::parse(command) {
        Ok(parsed) => parsed,
        Err(refusal) => return Ok(refusal.into()),
    };
    match answer(ctx, command, &tr, guild, parsed) {
        Ok(text) => Ok(Response::ephemeral(text)),
        Err(e) if e.kind() == &ErrorType::Refused => Ok(Response::ephemeral(e.message())),
        Err(e) => Err(e),
    }
}

fn answer(
    ctx: &Context,
    command: &CommandInvocation,
    tr: &Tr<'_>,
    guild: Id<GuildMarker>,
    parsed: WelcomeCommand,
) -> Result<String> {
    let tr = *tr;
    let key = config_key(guild);
    let invoker = Member {
        id: command.invoker.user_id,
        name: &command.invoker.user_name,
        username: &command.invoker.user_name,
    };
    let answer = match parsed {
        WelcomeCommand::Channel(ChannelOption { channel }) => {
            change(ctx, &key, |c| {
                c.channel = Some(channel);
                Ok(())
            })?;
            tr!(tr, "welcome-channel-set", channel = format!("<#{channel}>"))
        }
        WelcomeCommand::Message(TextOption { text }) => {
            set_template(ctx, &key, &tr, TemplateKind::Welcome, &text, &invoker, true)?
        }
        WelcomeCommand::Goodbye(TextOption { text }) => {
            set_template(ctx, &key, &tr, TemplateKind::Goodbye, &text, &invoker, true)?
        }
        WelcomeCommand::Add(AddTemplate { kind, text }) => {
            set_template(ctx, &key, &tr, kind, &text, &invoker, false)?
        }
        WelcomeCommand::Remove(RemoveTemplate { kind, number }) => {
            let index = usize::try_from(number - 1).unwrap_or(usize::MAX);
            let mut removed = None;
            change(ctx, &key, |c| {
                let list = templates_mut(c, kind);
                if index < list.len() {
                    removed = Some(list.remove(index));
                }
                Ok(())
            })?;
            match removed {
                Some(text) => tr!(tr, "welcome-removed", number = number, text = text),
                None => {
                    return Err(Error::refused(tr!(
                        tr,
                        "welcome-no-such-number",
                        number = number
                    )))
                }
            }
        }
        WelcomeCommand::Style(StyleOption { style }) => {
            change(ctx, &key, |c| {
                c.style = style;
                Ok(())
            })?;
            tr.t(match style {
                Style::Text => "welcome-style-text",
                Style::Embed => "welcome-style-embed",
            })
        }
        WelcomeCommand::Dm(DmOption { text }) => {
            let text = text.map(|t| checked_text(&tr, &t)).transpose()?;
            change(ctx, &key, |c| {
                c.dm = text.clone();
                Ok(())
            })?;
            match text {
                Some(text) => tr!(
                    tr,
                    "welcome-dm-set",
                    preview = template::render(&text, &invoker, None)
                ),
                None => tr.t("welcome-dm-off"),
            }
        }
        WelcomeCommand::RoleAdd(RoleOption { role }) => {
            if role.cast::<GuildMarker>() == guild {
                return Err(Error::refused(tr.t("welcome-role-everyone")));
            }
            change(ctx, &key, |c| {
                if c.roles.contains(&role) {
                    return Ok(());
                }
                if c.roles.len() >= MAX_ROLES {
                    return Err(Error::refused(tr!(
                        tr,
                        "welcome-too-many-roles",
                        max = MAX_ROLES
                    )));
                }
                c.roles.push(role);
                Ok(())
            })?;
            tr!(tr, "welcome-role-added", role = format!("<@&{role}>"))
        }
        WelcomeCommand::RoleRemove(RoleOption { role }) => {
            let mut had = false;
            change(ctx, &key, |c| {
                had = c.roles.contains(&role);
                c.roles.retain(|r| *r != role);
                Ok(())
            })?;
            if had {
                tr!(tr, "welcome-role-removed", role = format!("<@&{role}>"))
            } else {
                return Err(Error::refused(tr!(
                    tr,
                    "welcome-role-not-given",
                    role = format!("<@&{role}>")
                )));
            }
        }
        WelcomeCommand::NewAccounts(NewAccountsOption { days, channel }) => {
            let days = u32::try_from(days).unwrap_or(0);
            change(ctx, &key, |c| {
                c.new_accounts = (days > 0).then_some(NewAccountNotice { days, channel });
                Ok(())
            })?;
            if days == 0 {
                tr.t("welcome-new-accounts-off")
            } else {
                let place = channel.map_or_else(
                    || tr.t("welcome-the-welcome-channel"),
                    |c| format!("<#{c}>"),
                );
                tr!(tr, "welcome-new-accounts-set", days = days, channel = place)
            }
        }
        WelcomeCommand::DeleteOnLeave(DeleteOnLeaveOption { within }) => {
            let secs = within.map(Duration::as_secs);
            if secs.is_some_and(|s| s > MAX_DELETE_WINDOW_SECS) {
                return Err(Error::refused(tr.t("welcome-delete-too-long")));
            }
            change(ctx, &key, |c| {
                c.delete_within_secs = secs;
                Ok(())
            })?;
            match secs {
                Some(secs) => tr!(tr, "welcome-delete-set", within = describe_secs(&tr, secs)),
                None => tr.t("welcome-delete-off"),
            }
        }
        WelcomeCommand::Test => {
            let config: GuildConfig = ctx.store().get(&key)?.unwrap_or_default();
            let Some(channel) = config.channel else {
                return Err(Error::refused(tr.t("welcome-no-channel")));
            };
            let templates = members::welcome_templates(ctx, guild, &config);
            let template = &templates[template::pick(templates.len(), invoker.id, ctx.now())];
            members::post(ctx, guild, channel, template, config.style, &invoker)?;
            tr!(tr, "welcome-test-posted", channel = format!("<#{channel}>"))
        }
        WelcomeCommand::Show => show(ctx, guild, &tr, &ctx.store().get(&key)?.unwrap_or_default()),
        WelcomeCommand::Disable => {
            if ctx.store().delete(&key)? {
                tr.t("welcome-disabled")
            } else {
                tr.t("welcome-not-set-up")
            }
        }
    };
    Ok(answer)
}

/// Applies `edit` to the server's settings in one store transaction.
fn change(
    ctx: &Context,
    key: &str,
    mut edit: impl FnMut(&mut GuildConfig) -> Result<()>,
) -> Result<GuildConfig> {
    let saved = ctx.store().update(key, |config: Option<GuildConfig>| {
        let mut config = config.unwrap_or_default();
        edit(&mut config)?;
        Ok(Some(config))
    })?;
    Ok(saved.unwrap_or_default())
}

fn templates_mut(config: &mut GuildConfig, kind: TemplateKind) -> &mut Vec<String> {
    match kind {
        TemplateKind::Welcome => &mut config.welcome,
        TemplateKind::Goodbye => &mut config.goodbye,
    }
}

fn checked_text(tr: &Tr<'_>, text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        return Err(Error::refused(tr!(
            tr,
            "welcome-text-length",
            max = MAX_TEXT
        )));
    }
    Ok(text.to_owned())
}

/// `/welcome message|goodbye` (`replace`: the one template) and `/welcome add` (one more).
fn set_template(
    ctx: &Context,
    key: &str,
    tr: &Tr<'_>,
    kind: TemplateKind,
    text: &str,
    invoker: &Member<'_>,
    replace: bool,
) -> Result<String> {
    let text = checked_text(tr, text)?;
    let config = change(ctx, key, |c| {
        let list = templates_mut(c, kind);
        if replace {
            list.clear();
        } else if list.len() >= MAX_TEMPLATES {
            return Err(Error::refused(tr!(
                tr,
                "welcome-too-many-messages",
                max = MAX_TEMPLATES
            )));
        }
        list.push(text.clone());
        Ok(())
    })?;
    let preview = template::render(&text, invoker, None);
    let count = match kind {
        TemplateKind::Welcome => config.welcome.len(),
        TemplateKind::Goodbye => config.goodbye.len(),
    };
    let mut answer = if replace {
        tr!(tr, "welcome-saved", preview = preview)
    } else {
        tr!(tr, "welcome-added", preview = preview, count = count)
    };
    if config.channel.is_none() {
        answer.push(' ');
        answer.push_str(&tr.t("welcome-saved-no-channel"));
    }
    Ok(answer)
}

fn describe_secs(tr: &Tr<'_>, secs: u64) -> String {
    if secs.is_multiple_of(3600) {
        tr!(tr, "welcome-hours", count = secs / 3600)
    } else if secs.is_multiple_of(60) {
        tr!(tr, "welcome-minutes", count = secs / 60)
    } else {
        tr!(tr, "welcome-seconds", count = secs)
    }
}

fn show(ctx: &Context, guild: Id<GuildMarker>, tr: &Tr<'_>, config: &GuildConfig) -> String {
    let off = tr.t("welcome-off");
    let numbered = |list: &[String]| {
        list.iter()
            .enumerate()
            .map(|(i, t)| format!("\n  {}. {t}", i + 1))
            .collect::<String>()
    };
    let welcome = if config.welcome.is_empty() {
        format!("\n  {}", members::welcome_templates(ctx, guild, config)[0])
    } else {
        numbered(&config.welcome)
    };
    let goodbye = if config.goodbye.is_empty() {
        format!(" {off}")
    } else {
        numbered(&config.goodbye)
    };
    let roles = if config.roles.is_empty() {
        off.clone()
    } else {
        config
            .roles
            .iter()
            .map(|r| format!("<@&{r}>"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let new_accounts = config.new_accounts.as_ref().map_or(off.clone(), |n| {
        let place = n.channel.map_or_else(
            || tr.t("welcome-the-welcome-channel"),
            |c| format!("<#{c}>"),
        );
        tr!(
            tr,
            "welcome-show-new-accounts",
            days = n.days,
            channel = place
        )
    });
    tr!(
        tr,
        "welcome-show",
        channel = config
            .channel
            .map_or_else(|| tr.t("welcome-not-set"), |c| format!("<#{c}>")),
        style = tr.t(match config.style {
            Style::Text => "welcome-style-name-text",
            Style::Embed => "welcome-style-name-embed",
        }),
        welcome = welcome,
        goodbye = goodbye,
        dm = config.dm.clone().unwrap_or_else(|| off.clone()),
        roles = roles,
        new_accounts = new_accounts,
        delete = config
            .delete_within_secs
            .map_or(off.clone(), |s| describe_secs(tr, s))
    )
}
