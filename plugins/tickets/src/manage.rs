//! Inside a ticket: close (with a reason form from the button), close requests the opener
//! confirms, claim / unclaim, add / remove a member, rename.

use arsenal_plugin_api::{
    model::id::{
        marker::{ChannelMarker, UserMarker},
        Id,
    },
    protocol::{DiscordRequest, Invoker},
    tr, Context, Reply, Response, Result,
};

use crate::{
    access,
    close::{self, Closer},
    config, discord,
    model::{clip, ticket_key, CloseRequest, GuildConfig, Ticket, TicketStatus},
    ui,
};

/// The open ticket of `channel` and its guild's settings, or the refusal to show.
fn open_ticket(
    ctx: &Context,
    invoker: &Invoker,
    channel: Id<ChannelMarker>,
) -> Result<std::result::Result<(Ticket, GuildConfig), Response>> {
    let tr = ctx.tr(invoker);
    let ticket: Option<Ticket> = ctx.store().get(&ticket_key(channel))?;
    let Some(ticket) = ticket.filter(|t| Some(t.guild_id) == invoker.guild_id) else {
        return Ok(Err(Response::ephemeral(tr.t("tickets-not-a-ticket"))));
    };
    match ticket.status {
        TicketStatus::Open => {}
        TicketStatus::Closing { .. } => {
            return Ok(Err(Response::ephemeral(tr.t("tickets-already-closing"))))
        }
        TicketStatus::Closed { .. } => {
            return Ok(Err(Response::ephemeral(tr.t("tickets-is-closed"))))
        }
    }
    let config = config::load(ctx, ticket.guild_id)?;
    Ok(Ok((ticket, config)))
}

macro_rules! ticket_or_refuse {
    ($ctx:expr, $invoker:expr, $channel:expr) => {
        match open_ticket($ctx, $invoker, $channel)? {
            Ok(found) => found,
            Err(refusal) => return Ok(refusal),
        }
    };
}

fn staff_only(ctx: &Context, invoker: &Invoker) -> Response {
    Response::ephemeral(ctx.tr(invoker).t("tickets-staff-only"))
}

/// A refusal in the invoker's language.
fn refuse(ctx: &Context, invoker: &Invoker, key: &str) -> Response {
    Response::ephemeral(ctx.tr(invoker).t(key))
}

fn save(ctx: &Context, ticket: &Ticket) -> Result<()> {
    ctx.store().set(&ticket_key(ticket.channel_id), ticket)
}

/// `/ticket close [reason]`: the opener or staff close at once.
pub fn close(ctx: &Context, invoker: &Invoker, reason: Option<&str>) -> Result<Response> {
    let (ticket, config) = ticket_or_refuse!(ctx, invoker, invoker.channel_id);
    if ticket.opener != invoker.user_id && !access::is_staff(invoker, &ticket, &config) {
        return Ok(refuse(ctx, invoker, "tickets-close-not-allowed"));
    }
    Ok(
        match close::begin(
            ctx,
            ctx.tr(invoker),
            &config,
            &ticket,
            &Closer::from(invoker),
            reason,
        )? {
            Ok(announcement) => Response::text(announcement),
            Err(refusal) => Response::ephemeral(refusal),
        },
    )
}

/// The Close button: the same check, then a form for the reason.
pub fn close_button(
    ctx: &Context,
    invoker: &Invoker,
    channel: Id<ChannelMarker>,
) -> Result<Response> {
    let (ticket, config) = ticket_or_refuse!(ctx, invoker, channel);
    if ticket.opener != invoker.user_id && !access::is_staff(invoker, &ticket, &config) {
        return Ok(refuse(ctx, invoker, "tickets-close-button-not-allowed"));
    }
    Ok(Response::Modal(ui::close_modal(ctx.tr(invoker), channel)?))
}

/// The close form was submitted.
pub fn close_form(
    ctx: &Context,
    invoker: &Invoker,
    channel: Id<ChannelMarker>,
    reason: Option<&str>,
) -> Result<Response> {
    let (ticket, config) = ticket_or_refuse!(ctx, invoker, channel);
    if ticket.opener != invoker.user_id && !access::is_staff(invoker, &ticket, &config) {
        return Ok(refuse(ctx, invoker, "tickets-close-button-not-allowed"));
    }
    Ok(
        match close::begin(
            ctx,
            ctx.tr(invoker),
            &config,
            &ticket,
            &Closer::from(invoker),
            reason,
        )? {
            Ok(announcement) => Response::text(announcement),
            Err(refusal) => Response::ephemeral(refusal),
        },
    )
}

/// `/ticket closerequest [reason]`: staff ask the opener to confirm with buttons.
pub fn close_request(ctx: &Context, invoker: &Invoker, reason: Option<&str>) -> Result<Response> {
    let (mut ticket, config) = ticket_or_refuse!(ctx, invoker, invoker.channel_id);
    if !access::is_staff(invoker, &ticket, &config) {
        return Ok(staff_only(ctx, invoker));
    }
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| clip(r, 1000));
    let message = ui::close_request_message(
        ctx.tr_guild(ticket.guild_id),
        &ticket,
        &invoker.user_name,
        reason.as_deref(),
    )?;
    ticket.close_request = Some(CloseRequest {
        by: invoker.user_id,
        by_name: invoker.user_name.clone(),
        reason,
    });
    save(ctx, &ticket)?;
    Ok(Response::Message(message))
}

/// The opener answered a close request.
pub fn close_answer(
    ctx: &Context,
    invoker: &Invoker,
    channel: Id<ChannelMarker>,
    confirm: bool,
) -> Result<Response> {
    let (mut ticket, config) = ticket_or_refuse!(ctx, invoker, channel);
    if ticket.opener != invoker.user_id {
        return Ok(refuse(ctx, invoker, "tickets-answer-opener-only"));
    }
    let Some(request) = ticket.close_request.take() else {
        return Ok(refuse(ctx, invoker, "tickets-request-answered"));
    };
    let tr = ctx.tr(invoker);
    if !confirm {
        save(ctx, &ticket)?;
        return Ok(Response::Update(Reply::text(tr!(
            tr,
            "tickets-kept-open",
            opener = ticket.opener,
            by = &request.by_name
        ))));
    }
    let closer = Closer {
        id: Some(invoker.user_id),
        name: tr!(
            tr,
            "tickets-closer-asked-by",
            name = &invoker.user_name,
            by = &request.by_name
        ),
    };
    Ok(
        match close::begin(
            ctx,
            tr,
            &config,
            &ticket,
            &closer,
            request.reason.as_deref(),
        )? {
            Ok(announcement) => Response::Update(Reply::text(announcement)),
            Err(refusal) => Response::ephemeral(refusal),
        },
    )
}

/// `/ticket claim` and the Claim button: staff take the ticket.
pub fn claim(ctx: &Context, invoker: &Invoker, channel: Id<ChannelMarker>) -> Result<Response> {
    let (mut ticket, config) = ticket_or_refuse!(ctx, invoker, channel);
    if !access::is_staff(invoker, &ticket, &config) {
        return Ok(staff_only(ctx, invoker));
    }
    let tr = ctx.tr(invoker);
    match ticket.claimed_by {
        Some(user) if user == invoker.user_id => {
            return Ok(Response::ephemeral(tr.t("tickets-claimed-by-you")))
        }
        Some(user) => {
            return Ok(Response::ephemeral(tr!(
                tr,
                "tickets-claimed-by-other",
                user = user
            )))
        }
        None => {}
    }
    ticket.claimed_by = Some(invoker.user_id);
    save(ctx, &ticket)?;
    Ok(Response::text(tr!(
        tr,
        "tickets-claimed",
        user = invoker.user_id
    )))
}

/// `/ticket unclaim`: the claimer (or an admin) gives the ticket back.
pub fn unclaim(ctx: &Context, invoker: &Invoker) -> Result<Response> {
    let (mut ticket, _) = ticket_or_refuse!(ctx, invoker, invoker.channel_id);
    let tr = ctx.tr(invoker);
    match ticket.claimed_by {
        None => return Ok(Response::ephemeral(tr.t("tickets-not-claimed"))),
        Some(user) if user != invoker.user_id && !access::is_admin(invoker) => {
            return Ok(Response::ephemeral(tr!(
                tr,
                "tickets-unclaim-not-allowed",
                user = user
            )))
        }
        Some(_) => {}
    }
    ticket.claimed_by = None;
    save(ctx, &ticket)?;
    Ok(Response::text(tr.t("tickets-unclaimed")))
}

/// `/ticket add <user>`: the opener or staff let another member in.
pub fn add(ctx: &Context, invoker: &Invoker, user: Id<UserMarker>) -> Result<Response> {
    let (mut ticket, config) = ticket_or_refuse!(ctx, invoker, invoker.channel_id);
    if ticket.opener != invoker.user_id && !access::is_staff(invoker, &ticket, &config) {
        return Ok(refuse(ctx, invoker, "tickets-add-not-allowed"));
    }
    let tr = ctx.tr(invoker);
    if user == ticket.opener || ticket.members.contains(&user) {
        return Ok(Response::ephemeral(tr!(
            tr,
            "tickets-already-in",
            user = user
        )));
    }
    let request = if ticket.thread {
        DiscordRequest::AddThreadMember {
            channel_id: ticket.channel_id,
            user_id: user,
        }
    } else {
        DiscordRequest::SetPermissionOverwrite {
            channel_id: ticket.channel_id,
            overwrite: access::member_overwrite(user),
        }
    };
    if let Err(e) = discord::act(ctx, &request, &tr!(tr, "tickets-err-add", user = user)) {
        return Ok(Response::ephemeral(tr!(
            tr,
            "tickets-error",
            error = e.to_string()
        )));
    }
    ticket.members.push(user);
    save(ctx, &ticket)?;
    Ok(Response::text(tr!(
        tr,
        "tickets-added",
        user = user,
        by = &invoker.user_name
    )))
}

/// `/ticket remove <user>`: the opener or staff take a member out again.
pub fn remove(ctx: &Context, invoker: &Invoker, user: Id<UserMarker>) -> Result<Response> {
    let (mut ticket, config) = ticket_or_refuse!(ctx, invoker, invoker.channel_id);
    if ticket.opener != invoker.user_id && !access::is_staff(invoker, &ticket, &config) {
        return Ok(refuse(ctx, invoker, "tickets-remove-not-allowed"));
    }
    let tr = ctx.tr(invoker);
    if user == ticket.opener {
        return Ok(Response::ephemeral(tr.t("tickets-remove-opener")));
    }
    if !ticket.members.contains(&user) {
        return Ok(Response::ephemeral(tr!(
            tr,
            "tickets-not-added",
            user = user
        )));
    }
    if ticket.thread {
        return Ok(Response::ephemeral(tr.t("tickets-remove-thread")));
    }
    let request = DiscordRequest::DeletePermissionOverwrite {
        channel_id: ticket.channel_id,
        target_id: user.get(),
    };
    if let Err(e) = discord::act(ctx, &request, &tr!(tr, "tickets-err-remove", user = user)) {
        return Ok(Response::ephemeral(tr!(
            tr,
            "tickets-error",
            error = e.to_string()
        )));
    }
    ticket.members.retain(|m| *m != user);
    save(ctx, &ticket)?;
    Ok(Response::text(tr!(
        tr,
        "tickets-removed",
        user = user,
        by = &invoker.user_name
    )))
}

/// `/ticket rename <name>` (staff).
pub fn rename(ctx: &Context, invoker: &Invoker, name: &str) -> Result<Response> {
    let (ticket, config) = ticket_or_refuse!(ctx, invoker, invoker.channel_id);
    if !access::is_staff(invoker, &ticket, &config) {
        return Ok(staff_only(ctx, invoker));
    }
    let tr = ctx.tr(invoker);
    let name = channel_name(name, ticket.thread);
    if name.is_empty() {
        return Ok(Response::ephemeral(tr.t("tickets-rename-empty")));
    }
    let request = DiscordRequest::UpdateChannel {
        channel_id: ticket.channel_id,
        name: Some(name.clone()),
        topic: None,
        parent_id: None,
        permission_overwrites: None,
    };
    if let Err(e) = discord::act(ctx, &request, &tr.t("tickets-err-rename")) {
        return Ok(Response::ephemeral(tr!(
            tr,
            "tickets-error",
            error = e.to_string()
        )));
    }
    Ok(Response::text(tr!(
        tr,
        "tickets-renamed",
        name = &name,
        by = &invoker.user_name
    )))
}

/// A valid channel name: like Discord, text channels are lowercase with dashes; threads keep
/// their text. At most 100 characters.
#[must_use]
pub fn channel_name(text: &str, thread: bool) -> String {
    let text = text.trim();
    if thread {
        return text.chars().take(100).collect();
    }
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if (c == '-' || c.is_whitespace()) && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(100).collect()
}
