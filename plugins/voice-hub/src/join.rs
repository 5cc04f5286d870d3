//! Members moving in voice: joining a hub makes them a room (or takes them back to the one they
//! own) and moves them into it; joining a room counts them in and cancels its pending deletion;
//! leaving the last one schedules it.
//!
//! A voice state update names only the channel a member is in now, so the module keeps where
//! each member is in its rooms (`at:` records) to notice them leaving.

use arsenal_plugin_api::{
    model::{
        gateway::payload::incoming::VoiceStateUpdate,
        guild::Member,
        id::{
            marker::{ChannelMarker, GuildMarker, UserMarker},
            Id,
        },
    },
    protocol::DiscordRequest,
    tr, Context, Result,
};

use crate::{
    discord::{self, ChannelInfo, Created},
    model::{
        hub_key, prefs_key, presence_key, room_name, Hub, Prefs, Presence, Room, RECORD_VERSION,
    },
    rooms, ui,
};

/// VOICE_STATE_UPDATE.
///
/// # Errors
///
/// The store failed (Discord's refusals are logged or told to the member).
pub fn on_voice_state(ctx: &Context, update: &VoiceStateUpdate) -> Result<()> {
    let state = &update.0;
    let Some(guild) = state.guild_id else {
        return Ok(());
    };
    let user = state.user_id;
    let key = presence_key(guild, user);
    let before = ctx.store().get::<Presence>(&key)?.map(|p| p.channel_id);
    if before.is_some() && before == state.channel_id {
        // Muted, deafened, streaming: not a move.
        return Ok(());
    }
    if let Some(left) = before {
        leave(ctx, guild, left, user)?;
        ctx.store().delete(&key)?;
    }
    let Some(channel) = state.channel_id else {
        return Ok(());
    };
    if let Some(mut room) = rooms::load(ctx, guild, channel)? {
        if !room.has(user) {
            room.occupants.push(user);
        }
        rooms::save(ctx, &room)?;
        rooms::cancel_delete(ctx, &room)?;
        ctx.store().set(
            &key,
            &Presence {
                channel_id: channel,
            },
        )?;
        return Ok(());
    }
    if let Some(hub) = ctx.store().get::<Hub>(&hub_key(guild, channel))? {
        let name = display_name(state.member.as_ref(), user);
        create_room(ctx, &hub, user, &name)?;
    }
    Ok(())
}

/// `user` left room `channel`: uncounted, and the room's deletion scheduled when it is empty.
fn leave(
    ctx: &Context,
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
    user: Id<UserMarker>,
) -> Result<()> {
    let Some(mut room) = rooms::load(ctx, guild, channel)? else {
        return Ok(());
    };
    room.occupants.retain(|u| *u != user);
    rooms::save(ctx, &room)?;
    if room.occupants.is_empty() {
        rooms::schedule_delete(ctx, &room)?;
    }
    Ok(())
}

/// The member's name in the server: nickname, else global name, else username.
fn display_name(member: Option<&Member>, user: Id<UserMarker>) -> String {
    member
        .map(|m| {
            m.nick
                .clone()
                .or_else(|| m.user.global_name.clone())
                .unwrap_or_else(|| m.user.name.clone())
        })
        .unwrap_or_else(|| user.to_string())
}

/// Makes `user` a room from `hub` and moves them into it; a member who already owns a room in
/// this server is taken back to it instead.
fn create_room(ctx: &Context, hub: &Hub, user: Id<UserMarker>, name: &str) -> Result<()> {
    let guild = hub.guild_id;
    let tr = ctx.tr_guild(guild);
    if let Some(owned) = rooms::owned_by(ctx, guild, user)? {
        return move_in(ctx, &owned, user);
    }
    let prefs: Prefs = ctx
        .store()
        .get(&prefs_key(guild, user))?
        .unwrap_or_default();
    let name = prefs
        .name
        .clone()
        .or_else(|| room_name(&hub.template, name))
        .unwrap_or_else(|| user.to_string());
    let mut room = Room {
        v: RECORD_VERSION,
        guild_id: guild,
        channel_id: hub.channel_id,
        hub_id: hub.channel_id,
        owner: user,
        name,
        limit: prefs.limit.unwrap_or(hub.limit),
        locked: prefs.locked,
        hidden: prefs.hidden,
        permitted: Vec::new(),
        kicked: Vec::new(),
        occupants: Vec::new(),
        renames_ms: Vec::new(),
        pending_name: None,
        panel_message: None,
        empty_delay_secs: hub.empty_delay_secs,
    };
    let parent = match hub.category {
        Some(category) => Some(category),
        None => discord::run::<ChannelInfo>(
            ctx,
            &DiscordRequest::GetChannel {
                channel_id: hub.channel_id,
            },
            "reading the hub channel",
        )
        .map(|c| c.parent_id)
        .unwrap_or_default(),
    };
    let overwrites = if room.locked || room.hidden {
        discord::bot_id(ctx).map(|bot| discord::overwrites(&room, bot))
    } else {
        Ok(Vec::new())
    };
    let created = overwrites.and_then(|overwrites| {
        discord::run::<Created<ChannelMarker>>(
            ctx,
            &DiscordRequest::CreateVoiceChannel {
                guild_id: guild,
                name: room.name.clone(),
                parent_id: parent,
                user_limit: room.limit,
                permission_overwrites: overwrites,
            },
            &tr.t("voice-err-create"),
        )
    });
    let channel = match created {
        Ok(created) => created.id,
        Err(e) => {
            log::warn!("hub {}: {e}", hub.channel_id);
            tell(
                ctx,
                hub.channel_id,
                &tr!(
                    tr,
                    "voice-create-failed",
                    user = user,
                    error = e.to_string()
                ),
            );
            return Ok(());
        }
    };
    room.channel_id = channel;
    // Recorded and set to delete before the move: if the member left voice meanwhile, the
    // empty room still goes; their arrival cancels it.
    rooms::save(ctx, &room)?;
    rooms::schedule_delete(ctx, &room)?;
    match discord::move_member(ctx, guild, user, Some(channel), &tr.t("voice-err-move")) {
        Ok(()) => {}
        Err(e) if discord::not_connected(&e) => return Ok(()),
        Err(e) => {
            log::warn!("hub {}: {e}", hub.channel_id);
            rooms::delete_now(ctx, &room)?;
            tell(
                ctx,
                hub.channel_id,
                &tr!(tr, "voice-move-failed", user = user, error = e.to_string()),
            );
            return Ok(());
        }
    }
    match discord::send(
        ctx,
        channel,
        ui::panel(tr, &room),
        "posting the room's panel",
    ) {
        Ok(message) => {
            // The move's voice state update may have been handled meanwhile: read it back.
            if let Some(mut stored) = rooms::load(ctx, guild, channel)? {
                stored.panel_message = Some(message);
                rooms::save(ctx, &stored)?;
            }
        }
        Err(e) => log::info!("room {channel}: {e}"),
    }
    Ok(())
}

/// Moves `user` into the room they own.
fn move_in(ctx: &Context, room: &Room, user: Id<UserMarker>) -> Result<()> {
    let what = ctx.tr_guild(room.guild_id).t("voice-err-move");
    match discord::move_member(ctx, room.guild_id, user, Some(room.channel_id), &what) {
        Ok(()) => Ok(()),
        Err(e) if discord::is_gone(&e) => rooms::forget(ctx, room),
        Err(e) => {
            log::info!("room {}: {e}", room.channel_id);
            Ok(())
        }
    }
}

/// Posts a note in a channel's chat (a hub's), best effort: there is no member interaction to
/// answer when a voice event goes wrong.
fn tell(ctx: &Context, channel: Id<ChannelMarker>, text: &str) {
    let reply = arsenal_plugin_api::Reply::text(text);
    if let Err(e) = discord::send(ctx, channel, reply, "posting a note") {
        log::info!("channel {channel}: {e}");
    }
}
