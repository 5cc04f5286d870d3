//! `/profile config`, `reset`, `test_style` and `announce`: a member's own choices, a preview of
//! the writing styles, and where the server announces achievements. Every answer is ephemeral.

use arsenal_plugin_api::{prelude::*, protocol::Invoker};

use crate::{
    achievements::{self, Metric},
    command::{Announce, Config, TestStyle},
    model::{self, config_key, profile_key, stats_key, GuildConfig, Profile, Stats, MAX_BIO},
    style::WritingStyle,
};

/// A bio of only this erases it.
const ERASE: &str = "-";

/// Answers `/profile config`.
///
/// # Errors
///
/// The store's.
pub fn config(
    ctx: &Context,
    tr: &Tr<'_>,
    guild: Id<GuildMarker>,
    invoker: &Invoker,
    config: Config,
) -> Result<Response> {
    let user = invoker.user_id;
    let nothing = config.bio.is_none()
        && config.style.is_none()
        && config.theme.is_none()
        && config.hide.is_none()
        && config.show.is_none();
    if nothing {
        let profile: Profile = ctx
            .store()
            .get(&profile_key(guild, user))?
            .unwrap_or_default();
        return Ok(Response::ephemeral(summary(tr, &profile)));
    }
    if let (Some(hide), Some(show)) = (config.hide, config.show) {
        if hide == show {
            return Ok(Response::ephemeral(tr!(
                tr,
                "profile-hide-and-show",
                field = tr.t(hide.text_id())
            )));
        }
    }
    let bio = match config.bio.as_deref().map(str::trim) {
        Some(ERASE) => Some(None),
        Some("") => {
            return Ok(Response::ephemeral(tr.t("profile-bio-empty")));
        }
        Some(bio) if bio.chars().count() > MAX_BIO => {
            return Ok(Response::ephemeral(tr!(
                tr,
                "profile-bio-too-long",
                max = MAX_BIO,
                length = bio.chars().count()
            )));
        }
        Some(bio) => Some(Some(bio.to_owned())),
        None => None,
    };
    let profile = ctx
        .store()
        .update::<Profile, _>(&profile_key(guild, user), |current| {
            let mut profile = current.unwrap_or_default();
            if let Some(bio) = &bio {
                profile.bio.clone_from(bio);
            }
            if let Some(style) = config.style {
                profile.style = style;
            }
            if let Some(theme) = config.theme {
                profile.theme = theme;
            }
            if let Some(hide) = config.hide {
                if !profile.hidden.contains(&hide) {
                    profile.hidden.push(hide);
                }
            }
            if let Some(show) = config.show {
                profile.hidden.retain(|f| *f != show);
            }
            Ok(Some(profile))
        })?
        .unwrap_or_default();
    if profile.bio.is_some() {
        let now = ctx.now();
        let unlocked = ctx.store().transaction(|txn| {
            let key = stats_key(guild, user);
            let mut stats: Stats = txn.get(&key)?.unwrap_or_default();
            let unlocked = achievements::unlock(&mut stats, Metric::Bio, 1, now);
            if !unlocked.is_empty() {
                txn.set(&key, &stats)?;
            }
            Ok(unlocked)
        })?;
        achievements::announce(ctx, guild, Some(invoker.channel_id), user, &unlocked);
    }
    Ok(Response::ephemeral(format!(
        "{}\n{}",
        tr.t("profile-saved"),
        summary(tr, &profile)
    )))
}

/// The member's current choices, one per line.
fn summary(tr: &Tr<'_>, profile: &Profile) -> String {
    let bio = profile
        .bio
        .as_deref()
        .map_or_else(|| tr.t("profile-no-bio"), |bio| profile.style.apply(bio));
    let hidden = if profile.hidden.is_empty() {
        tr.t("profile-nothing-hidden")
    } else {
        profile
            .hidden
            .iter()
            .map(|f| tr.t(f.text_id()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    tr!(
        tr,
        "profile-summary",
        bio = bio,
        style = tr.t(profile.style.text_id()),
        theme = tr.t(profile.theme.text_id()),
        hidden = hidden
    )
}

/// Answers `/profile reset`: the bio, style, theme and privacy choices go; statistics and
/// achievements stay (they are the server's record, not a setting).
///
/// # Errors
///
/// The store's.
pub fn reset(
    ctx: &Context,
    tr: &Tr<'_>,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
) -> Result<Response> {
    let existed = ctx.store().delete(&profile_key(guild, user))?;
    Ok(Response::ephemeral(tr.t(if existed {
        "profile-reset"
    } else {
        "profile-reset-nothing"
    })))
}

/// Answers `/profile test_style`: the text (or the member's bio, or a sample) in that style,
/// and the sample in every style to compare.
///
/// # Errors
///
/// The store's.
pub fn test_style(
    ctx: &Context,
    tr: &Tr<'_>,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
    test: &TestStyle,
) -> Result<Response> {
    let text = match test
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(text) => text.to_owned(),
        None => ctx
            .store()
            .get::<Profile>(&profile_key(guild, user))?
            .and_then(|p| p.bio)
            .unwrap_or_else(|| tr.t("profile-style-sample")),
    };
    let sample = tr.t("profile-style-sample");
    let others: Vec<String> = WritingStyle::ALL
        .iter()
        .map(|style| format!("• {} — {}", tr.t(style.text_id()), style.apply(&sample)))
        .collect();
    Ok(Response::ephemeral(tr!(
        tr,
        "profile-style-preview",
        style = tr.t(test.style.text_id()),
        text = test.style.apply(&text),
        all = others.join("\n")
    )))
}

/// Answers `/profile announce` (Manage Server, checked by the host and again here).
///
/// # Errors
///
/// The store's.
pub fn announce(
    ctx: &Context,
    tr: &Tr<'_>,
    guild: Id<GuildMarker>,
    invoker: &Invoker,
    announce: &Announce,
) -> Result<Response> {
    if !invoker.permissions.contains(Permissions::MANAGE_GUILD) {
        return Ok(Response::ephemeral(tr.t("profile-announce-permission")));
    }
    let config: GuildConfig = if announce.channel.is_none() && announce.enabled.is_none() {
        model::config(ctx, guild)?
    } else {
        ctx.store()
            .update::<GuildConfig, _>(&config_key(guild), |current| {
                let mut config = current.unwrap_or(GuildConfig {
                    announce_channel: None,
                    announce: true,
                });
                if let Some(channel) = announce.channel {
                    config.announce_channel = Some(channel);
                }
                if let Some(enabled) = announce.enabled {
                    config.announce = enabled;
                }
                Ok(Some(config))
            })?
            .unwrap_or_default()
    };
    let text = match (config.announce, config.announce_channel) {
        (false, _) => tr.t("profile-announce-off"),
        (true, Some(channel)) => tr!(tr, "profile-announce-in", channel = format!("<#{channel}>")),
        (true, None) => tr.t("profile-announce-where"),
    };
    Ok(Response::ephemeral(text))
}
