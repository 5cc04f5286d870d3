//! The room controls, one path for `/voice …` and the panel's buttons, menus and forms: lock,
//! hide, limit, rename, kick, permit, transfer, claim, and showing the panel.
//!
//! Only the room's owner, or a member with Manage Channels, may change a room; claim is for a
//! member in the room once its owner has left it. A change Discord refuses is not recorded, and
//! the member is told why. What the owner chooses (name, limit, privacy) is remembered for their
//! next room.

use arsenal_plugin_api::{
    i18n::Tr,
    model::{
        guild::Permissions,
        id::{
            marker::{ChannelMarker, UserMarker},
            Id,
        },
    },
    protocol::{DiscordRequest, Invoker},
    tr, Context, Error, Response, Result,
};

use crate::{
    discord,
    model::{prefs_key, presence_key, Prefs, Presence, Room, MAX_NAME, MAX_USER_LIMIT},
    rename::{self, Renamed},
    rooms, ui,
};

/// What a member asks of a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show the panel (ephemeral).
    Panel,
    /// Lock (`Some(true)`), unlock, or toggle (`None`).
    Lock(Option<bool>),
    /// Hide, show, or toggle.
    Hide(Option<bool>),
    /// Open the rename form.
    RenameForm,
    /// Open the limit form.
    LimitForm,
    Limit(String),
    Rename(String),
    Kick(Id<UserMarker>),
    Permit(Id<UserMarker>),
    Transfer(Id<UserMarker>),
    Claim,
}

/// Runs `action` on room `target` (from a panel), or on the room the member is in (a command).
///
/// # Errors
///
/// The store or host failed; Discord's refusals are answers.
pub fn run(
    ctx: &Context,
    invoker: &Invoker,
    target: Option<Id<ChannelMarker>>,
    action: Action,
) -> Result<Response> {
    let tr = ctx.tr(invoker);
    let Some(guild) = invoker.guild_id else {
        return Ok(Response::ephemeral(tr.t("voice-dm")));
    };
    let channel = match target {
        Some(channel) => Some(channel),
        None => ctx
            .store()
            .get::<Presence>(&presence_key(guild, invoker.user_id))?
            .map(|p| p.channel_id)
            .or(Some(invoker.channel_id)),
    };
    let room = match channel {
        Some(channel) => rooms::load(ctx, guild, channel)?,
        None => None,
    };
    let Some(room) = room else {
        return Ok(Response::ephemeral(tr.t(if target.is_some() {
            "voice-room-gone"
        } else {
            "voice-not-in-room"
        })));
    };
    if action == Action::Claim {
        return claim(ctx, tr, invoker, room);
    }
    let manager = invoker.permissions.contains(Permissions::MANAGE_CHANNELS);
    if invoker.user_id != room.owner && !manager {
        return Ok(Response::ephemeral(tr!(
            tr,
            "voice-owner-only",
            owner = room.owner
        )));
    }
    match action {
        Action::Panel => Ok(Response::Message(ui::panel(tr, &room).ephemeral())),
        Action::RenameForm => Ok(Response::modal(ui::rename_form(tr, room.channel_id))),
        Action::LimitForm => Ok(Response::modal(ui::limit_form(tr, room.channel_id))),
        Action::Lock(wanted) => privacy(ctx, tr, room, wanted, true),
        Action::Hide(wanted) => privacy(ctx, tr, room, wanted, false),
        Action::Limit(text) => limit(ctx, tr, room, &text),
        Action::Rename(name) => rename_room(ctx, tr, room, &name),
        Action::Kick(user) => kick(ctx, tr, invoker, room, user),
        Action::Permit(user) => permit(ctx, tr, room, user),
        Action::Transfer(user) => transfer(ctx, tr, room, user),
        Action::Claim => claim(ctx, tr, invoker, room),
    }
}

/// A refusal from Discord, told to the member with what was attempted.
fn failed(tr: Tr<'_>, error: &Error) -> Response {
    Response::ephemeral(tr!(tr, "voice-failed", error = error.to_string()))
}

/// Remembers the owner's choice for their next room.
fn remember(ctx: &Context, room: &Room, change: impl Fn(&mut Prefs)) -> Result<()> {
    ctx.store()
        .update(
            &prefs_key(room.guild_id, room.owner),
            |prefs: Option<Prefs>| {
                let mut prefs = prefs.unwrap_or_default();
                change(&mut prefs);
                Ok(Some(prefs))
            },
        )
        .map(drop)
}

/// Saves `room`, refreshes its panel, and remembers the owner's choices.
fn changed(ctx: &Context, room: &Room) -> Result<()> {
    rooms::save(ctx, room)?;
    rooms::refresh_panel(ctx, room);
    let (locked, hidden, limit) = (room.locked, room.hidden, room.limit);
    remember(ctx, room, |prefs| {
        prefs.locked = locked;
        prefs.hidden = hidden;
        prefs.limit = Some(limit);
    })
}

/// Lock / unlock (`lock`) or hide / show.
fn privacy(
    ctx: &Context,
    tr: Tr<'_>,
    mut room: Room,
    wanted: Option<bool>,
    lock: bool,
) -> Result<Response> {
    let current = if lock { room.locked } else { room.hidden };
    let on = wanted.unwrap_or(!current);
    if lock {
        room.locked = on;
    } else {
        room.hidden = on;
    }
    if let Err(e) = discord::apply_overwrites(ctx, &room, &tr.t("voice-err-permissions")) {
        return Ok(failed(tr, &e));
    }
    changed(ctx, &room)?;
    let key = match (lock, on) {
        (true, true) => "voice-locked",
        (true, false) => "voice-unlocked",
        (false, true) => "voice-hidden",
        (false, false) => "voice-shown",
    };
    Ok(Response::ephemeral(tr.t(key)))
}

fn limit(ctx: &Context, tr: Tr<'_>, mut room: Room, text: &str) -> Result<Response> {
    let Some(limit) = text
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|l| *l <= MAX_USER_LIMIT)
    else {
        return Ok(Response::ephemeral(tr.t("voice-limit-invalid")));
    };
    let request = DiscordRequest::UpdateVoiceChannel {
        channel_id: room.channel_id,
        name: None,
        user_limit: Some(limit),
        permission_overwrites: None,
    };
    if let Err(e) = discord::act(ctx, &request, &tr.t("voice-err-limit")) {
        return Ok(failed(tr, &e));
    }
    room.limit = limit;
    changed(ctx, &room)?;
    Ok(Response::ephemeral(if limit == 0 {
        tr.t("voice-limit-removed")
    } else {
        tr!(tr, "voice-limit-set", limit = limit.to_string())
    }))
}

fn rename_room(ctx: &Context, tr: Tr<'_>, mut room: Room, name: &str) -> Result<Response> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Ok(Response::ephemeral(tr.t("voice-name-invalid")));
    }
    let outcome = match rename::request(ctx, &mut room, name) {
        Ok(outcome) => outcome,
        Err(e) if e.discord_code().is_some() => return Ok(failed(tr, &e)),
        Err(e) => return Err(e),
    };
    let owned = name.to_owned();
    remember(ctx, &room, |prefs| prefs.name = Some(owned.clone()))?;
    Ok(Response::ephemeral(match outcome {
        Renamed::Now => {
            rooms::refresh_panel(ctx, &room);
            tr!(tr, "voice-renamed", name = name)
        }
        Renamed::Queued { at_ms } => tr!(
            tr,
            "voice-rename-queued",
            name = name,
            at = (at_ms / 1000).to_string()
        ),
    }))
}

fn kick(
    ctx: &Context,
    tr: Tr<'_>,
    invoker: &Invoker,
    mut room: Room,
    user: Id<UserMarker>,
) -> Result<Response> {
    if user == room.owner || user == invoker.user_id {
        return Ok(Response::ephemeral(tr.t("voice-kick-owner")));
    }
    room.permitted.retain(|u| *u != user);
    if !room.kicked.contains(&user) {
        room.kicked.push(user);
    }
    if let Err(e) = discord::apply_overwrites(ctx, &room, &tr.t("voice-err-permissions")) {
        return Ok(failed(tr, &e));
    }
    if room.has(user) {
        match discord::move_member(
            ctx,
            room.guild_id,
            user,
            None,
            &tr.t("voice-err-disconnect"),
        ) {
            Ok(()) => {}
            Err(e) if discord::not_connected(&e) => {}
            Err(e) => {
                changed(ctx, &room)?;
                return Ok(failed(tr, &e));
            }
        }
    }
    changed(ctx, &room)?;
    Ok(Response::ephemeral(tr!(tr, "voice-kicked", user = user)))
}

fn permit(ctx: &Context, tr: Tr<'_>, mut room: Room, user: Id<UserMarker>) -> Result<Response> {
    room.kicked.retain(|u| *u != user);
    if !room.permitted.contains(&user) && user != room.owner {
        room.permitted.push(user);
    }
    if let Err(e) = discord::apply_overwrites(ctx, &room, &tr.t("voice-err-permissions")) {
        return Ok(failed(tr, &e));
    }
    changed(ctx, &room)?;
    Ok(Response::ephemeral(tr!(tr, "voice-permitted", user = user)))
}

fn transfer(ctx: &Context, tr: Tr<'_>, room: Room, user: Id<UserMarker>) -> Result<Response> {
    if user == room.owner {
        return Ok(Response::ephemeral(tr.t("voice-transfer-self")));
    }
    if !room.has(user) {
        return Ok(Response::ephemeral(tr!(
            tr,
            "voice-transfer-absent",
            user = user
        )));
    }
    Ok(match set_owner(ctx, tr, room, user)? {
        Ok(()) => Response::ephemeral(tr!(tr, "voice-transferred", user = user)),
        Err(answer) => answer,
    })
}

fn claim(ctx: &Context, tr: Tr<'_>, invoker: &Invoker, room: Room) -> Result<Response> {
    let user = invoker.user_id;
    if room.owner == user {
        return Ok(Response::ephemeral(tr.t("voice-claim-own")));
    }
    if !room.has(user) {
        return Ok(Response::ephemeral(tr.t("voice-claim-not-in")));
    }
    if room.has(room.owner) {
        return Ok(Response::ephemeral(tr!(
            tr,
            "voice-claim-owner-here",
            owner = room.owner
        )));
    }
    Ok(match set_owner(ctx, tr, room, user)? {
        Ok(()) => Response::ephemeral(tr.t("voice-claimed")),
        Err(answer) => answer,
    })
}

/// Makes `user` the owner of `room` (its overwrites follow when it is private).
fn set_owner(
    ctx: &Context,
    tr: Tr<'_>,
    mut room: Room,
    user: Id<UserMarker>,
) -> Result<std::result::Result<(), Response>> {
    room.owner = user;
    room.permitted.retain(|u| *u != user);
    room.kicked.retain(|u| *u != user);
    if room.locked || room.hidden {
        if let Err(e) = discord::apply_overwrites(ctx, &room, &tr.t("voice-err-permissions")) {
            return Ok(Err(failed(tr, &e)));
        }
    }
    rooms::save(ctx, &room)?;
    rooms::refresh_panel(ctx, &room);
    Ok(Ok(()))
}
