//! `/music dj [role]` (managers) and `/music prefs` (each member's own preferences).

use arsenal_plugin_api::prelude::*;

use crate::{
    command::{Dj, MusicCommand, PrefsArgs},
    controls::Env,
    model::{keys, Prefs, Settings},
};

/// `/music …`.
///
/// # Errors
///
/// The store failed.
pub fn command(env: &Env<'_>, command: &MusicCommand) -> Result<Response> {
    match command {
        MusicCommand::Dj(args) => dj(env, args),
        MusicCommand::Prefs(args) => prefs(env, args),
    }
}

fn dj(env: &Env<'_>, args: &Dj) -> Result<Response> {
    let role = args.role;
    env.ctx
        .store()
        .update(&keys::settings(env.guild), |settings: Option<Settings>| {
            let mut settings = settings.unwrap_or_default();
            settings.dj_role = role;
            Ok(Some(settings))
        })?;
    Ok(Response::Message(
        Reply::text(match role {
            Some(role) => tr!(env.tr, "music-dj-set", role = role),
            None => env.tr.t("music-dj-cleared"),
        })
        .no_mentions(),
    ))
}

fn prefs(env: &Env<'_>, args: &PrefsArgs) -> Result<Response> {
    let volume = match args.volume {
        None => None,
        Some(v) => match u16::try_from(v).ok().filter(|v| *v <= 200) {
            Some(v) => Some(v),
            None => {
                return Ok(Response::ephemeral(tr!(
                    env.tr,
                    "music-bad-volume",
                    volume = v
                )))
            }
        },
    };
    let announce = args.announce;
    let prefs = env
        .ctx
        .store()
        .update(&keys::prefs(env.invoker.user_id), |prefs: Option<Prefs>| {
            let mut prefs = prefs.unwrap_or_default();
            if volume.is_some() {
                prefs.volume = volume;
            }
            if announce.is_some() {
                prefs.announce = announce;
            }
            Ok(Some(prefs))
        })?
        .unwrap_or_default();
    let volume = prefs
        .volume
        .map_or_else(|| env.tr.t("music-prefs-volume-unset"), |v| format!("{v}%"));
    let announce = env.tr.t(if prefs.announce.unwrap_or(true) {
        "music-yes"
    } else {
        "music-no"
    });
    Ok(Response::ephemeral(tr!(
        env.tr,
        "music-prefs",
        volume = volume,
        announce = announce
    )))
}
