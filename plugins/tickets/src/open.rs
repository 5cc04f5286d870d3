//! Opening a ticket: from a panel button, a panel's topic menu, the reason form, or
//! `/ticket open`. Checks the panel, topic and per-member limit, then creates a private channel
//! (or thread), records the ticket and posts its first message.

use arsenal_plugin_api::{
    model::id::{
        marker::{ChannelMarker, GuildMarker},
        Id,
    },
    protocol::{DiscordRequest, Invoker},
    tr, Context, Response, Result,
};

use crate::{
    access, activity, config, discord,
    model::{
        clip, counter_key, open_key, ticket_key, ticket_name, Counters, GuildConfig, OpenList,
        Panel, Ticket, TicketMode, TicketStatus, Topic, RECORD_VERSION,
    },
    panel, ui,
};

/// What a member asked to open.
struct Wanted {
    config: GuildConfig,
    panel: Option<Panel>,
    topic: Option<Topic>,
}

/// A click on a panel's "Open ticket" button.
pub fn from_button(ctx: &Context, invoker: &Invoker, panel_id: u32) -> Result<Response> {
    start(ctx, invoker, Some(panel_id), "", None)
}

/// A topic picked in a panel's menu.
pub fn from_select(
    ctx: &Context,
    invoker: &Invoker,
    panel_id: u32,
    values: &[String],
) -> Result<Response> {
    let Some(topic) = values.first() else {
        return Ok(Response::ephemeral(ctx.tr(invoker).t("tickets-pick-topic")));
    };
    start(ctx, invoker, Some(panel_id), topic, None)
}

/// The reason form was submitted (`panel` 0: opened with `/ticket open`).
pub fn from_form(
    ctx: &Context,
    invoker: &Invoker,
    panel_id: u32,
    topic: &str,
    reason: Option<&str>,
) -> Result<Response> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let Some(reason) = reason else {
        return Ok(Response::ephemeral(
            ctx.tr(invoker).t("tickets-need-reason"),
        ));
    };
    let panel = (panel_id != 0).then_some(panel_id);
    start(ctx, invoker, panel, topic, Some(reason))
}

/// `/ticket open [reason]`, without a panel.
pub fn from_command(ctx: &Context, invoker: &Invoker, reason: Option<&str>) -> Result<Response> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    start(ctx, invoker, None, "", reason)
}

fn start(
    ctx: &Context,
    invoker: &Invoker,
    panel_id: Option<u32>,
    topic_key: &str,
    reason: Option<&str>,
) -> Result<Response> {
    let Some(guild) = invoker.guild_id else {
        return Ok(Response::ephemeral(ctx.tr(invoker).t("tickets-open-dm")));
    };
    let wanted = match check(ctx, invoker, guild, panel_id, topic_key)? {
        Ok(wanted) => wanted,
        Err(refusal) => return Ok(refusal),
    };
    if wanted.config.ask_reason && reason.is_none() {
        let topic = wanted.topic.as_ref().map_or("", |t| t.key.as_str());
        return Ok(Response::Modal(ui::reason_modal(
            ctx.tr(invoker),
            panel_id.unwrap_or(0),
            topic,
        )?));
    }
    let reason = reason.map(|r| clip(r, usize::from(ui::MAX_REASON)));
    create(ctx, invoker, guild, wanted, reason)
}

/// The panel and topic exist and the member is under the limit.
fn check(
    ctx: &Context,
    invoker: &Invoker,
    guild: Id<GuildMarker>,
    panel_id: Option<u32>,
    topic_key: &str,
) -> Result<Result<Wanted, Response>> {
    let tr = ctx.tr(invoker);
    let config = config::load(ctx, guild)?;
    let panel = match panel_id {
        Some(id) => match panel::load(ctx, guild, id)? {
            Some(panel) => Some(panel),
            None => return Ok(Err(Response::ephemeral(tr.t("tickets-panel-gone")))),
        },
        None => None,
    };
    let topic = match (&panel, topic_key) {
        (_, "") => None,
        (Some(panel), key) => match panel.topics.iter().find(|t| t.key == key) {
            Some(topic) => Some(topic.clone()),
            None => return Ok(Err(Response::ephemeral(tr.t("tickets-topic-gone")))),
        },
        (None, _) => None,
    };
    let open = open_tickets(ctx, guild, invoker.user_id)?;
    if open.len() >= config.max_open_per_user as usize {
        let list: Vec<String> = open.iter().map(|c| format!("<#{c}>")).collect();
        return Ok(Err(Response::ephemeral(tr!(
            tr,
            "tickets-limit",
            count = open.len(),
            list = list.join(", "),
            max = config.max_open_per_user.to_string()
        ))));
    }
    Ok(Ok(Wanted {
        config,
        panel,
        topic,
    }))
}

/// The member's open tickets, dropping entries whose ticket is gone or no longer open.
///
/// # Errors
///
/// The store failed.
pub fn open_tickets(
    ctx: &Context,
    guild: Id<GuildMarker>,
    user: arsenal_plugin_api::model::id::Id<arsenal_plugin_api::model::id::marker::UserMarker>,
) -> Result<Vec<Id<ChannelMarker>>> {
    let store = ctx.store();
    let key = open_key(guild, user);
    let list: OpenList = store.get(&key)?.unwrap_or_default();
    let mut live = Vec::new();
    for channel in &list.channels {
        let ticket: Option<Ticket> = store.get(&ticket_key(*channel))?;
        if ticket.is_some_and(|t| !matches!(t.status, TicketStatus::Closed { .. })) {
            live.push(*channel);
        }
    }
    if live.len() != list.channels.len() {
        store.set(
            &key,
            &OpenList {
                v: RECORD_VERSION,
                channels: live.clone(),
            },
        )?;
    }
    Ok(live)
}

fn create(
    ctx: &Context,
    invoker: &Invoker,
    guild: Id<GuildMarker>,
    wanted: Wanted,
    reason: Option<String>,
) -> Result<Response> {
    let Wanted {
        config,
        panel,
        topic,
    } = wanted;
    let tr = ctx.tr(invoker);
    let posted = ctx.tr_guild(guild);
    let counters: Counters = ctx.store().get(&counter_key(guild))?.unwrap_or_default();
    let number = counters.tickets + 1;
    let staff = access::merge_roles(
        &config.staff_roles,
        topic.as_ref().map_or(&[][..], |t| &t.staff_roles),
    );
    let name = ticket_name(number);
    let thread = config.mode == TicketMode::Thread;
    let channel = if thread {
        let parent = panel.as_ref().map_or(invoker.channel_id, |p| p.channel_id);
        match open_thread(ctx, parent, &name, invoker) {
            Ok(channel) => channel,
            Err(e) => {
                return Ok(Response::ephemeral(tr!(
                    tr,
                    "tickets-thread-failed",
                    error = e.to_string(),
                    parent = parent
                )))
            }
        }
    } else {
        let bot = discord::bot_id(ctx)?;
        let request = DiscordRequest::CreateChannel {
            guild_id: guild,
            name: name.clone(),
            kind: 0,
            parent_id: topic.as_ref().and_then(|t| t.category).or(config.category),
            topic: Some(clip(
                &match reason.as_deref() {
                    None => tr!(
                        posted,
                        "tickets-channel-topic",
                        number = format!("{number:04}"),
                        user = &invoker.user_name
                    ),
                    Some(reason) => tr!(
                        posted,
                        "tickets-channel-topic-reason",
                        number = format!("{number:04}"),
                        user = &invoker.user_name,
                        reason = reason
                    ),
                },
                1024,
            )),
            permission_overwrites: access::ticket_overwrites(
                guild,
                bot,
                &staff,
                &[invoker.user_id],
            ),
        };
        match discord::run::<discord::Created<ChannelMarker>>(
            ctx,
            &request,
            &tr.t("tickets-err-create-channel"),
        ) {
            Ok(created) => created.id,
            Err(e) => {
                return Ok(Response::ephemeral(tr!(
                    tr,
                    "tickets-channel-failed",
                    error = e.to_string()
                )))
            }
        }
    };
    let now = ctx.now();
    let ticket = Ticket {
        v: RECORD_VERSION,
        guild_id: guild,
        channel_id: channel,
        number,
        opener: invoker.user_id,
        opener_name: invoker.user_name.clone(),
        panel: panel.as_ref().map(|p| p.id),
        topic: topic.as_ref().map(|t| t.name.clone()),
        reason,
        thread,
        staff_roles: staff,
        members: Vec::new(),
        claimed_by: None,
        opened_at_ms: now,
        last_activity_ms: now,
        status: TicketStatus::Open,
        close_request: None,
    };
    ctx.store().transaction(|txn| {
        let mut counters: Counters = txn.get(&counter_key(guild))?.unwrap_or_default();
        counters.tickets = counters.tickets.max(number);
        txn.set(&counter_key(guild), &counters)?;
        txn.set(&ticket_key(channel), &ticket)?;
        let key = open_key(guild, invoker.user_id);
        let mut open: OpenList = txn.get(&key)?.unwrap_or_default();
        open.v = RECORD_VERSION;
        open.channels.push(channel);
        txn.set(&key, &open)
    })?;
    let mut answer = "tickets-opened";
    if let Err(e) = discord::send(ctx, posted, channel, ui::welcome_message(posted, &ticket)?) {
        log::warn!("ticket {name}: the first message failed: {e}");
        answer = "tickets-opened-no-welcome";
    }
    activity::schedule_autoclose(ctx, &config, &ticket)?;
    Ok(Response::ephemeral(tr!(tr, answer, channel = channel)))
}

/// A private thread with the opener in it.
fn open_thread(
    ctx: &Context,
    parent: Id<ChannelMarker>,
    name: &str,
    invoker: &Invoker,
) -> Result<Id<ChannelMarker>> {
    let created: discord::Created<ChannelMarker> = discord::run(
        ctx,
        &DiscordRequest::CreateThread {
            channel_id: parent,
            name: name.to_owned(),
            private: true,
        },
        &ctx.tr(invoker).t("tickets-err-create-thread"),
    )?;
    let add = DiscordRequest::AddThreadMember {
        channel_id: created.id,
        user_id: invoker.user_id,
    };
    if let Err(e) = discord::act(ctx, &add, &ctx.tr(invoker).t("tickets-err-add-to-thread")) {
        // A thread the opener cannot see is useless: remove it rather than leave it behind.
        let _ = discord::act(
            ctx,
            &DiscordRequest::DeleteChannel {
                channel_id: created.id,
                reason: Some("ticket could not be opened".to_owned()),
            },
            "cleanup",
        );
        return Err(e);
    }
    Ok(created.id)
}
