//! The `tickets` module: support tickets opened from panels (a button, or a menu of topics),
//! as private channels or private threads, with claim, add/remove, rename, close requests,
//! inactivity autoclose and text transcripts posted to a log channel.
//!
//! Everything that matters lives in the store (see [`model`]); buttons carry stable ids (see
//! [`ui`]), so panels and open tickets keep working across restarts and reloads. The instance
//! itself holds nothing.

mod access;
mod activity;
mod close;
mod command;
mod config;
mod discord;
mod manage;
mod model;
mod open;
mod panel;
mod transcript;
mod ui;

use arsenal_plugin_api::{
    model::{
        gateway::{
            payload::incoming::{ChannelDelete, MessageCreate, ThreadDelete},
            Intents,
        },
        id::Id,
    },
    protocol::{ComponentInvocation, ModalInvocation, TimerFired},
    Command, CommandInvocation, Context, Events, Manifest, Plugin, Response, Result,
};

use crate::{command::TicketCommand as Ticket, ui::Action};

/// The plugin. Stateless: every handler reads the store.
pub struct Tickets;

/// Subcommands only admins (Manage Server) may use.
const ADMIN_SUBCOMMANDS: [&str; 7] = [
    "config",
    "staff",
    "panel",
    "topic-add",
    "topic-remove",
    "panels",
    "panel-delete",
];

impl Plugin for Tickets {
    const LOCALES: arsenal_plugin_api::i18n::Locales = arsenal_plugin_api::locales!("en", "fr");

    fn manifest() -> Manifest {
        Manifest::new("tickets", env!("CARGO_PKG_VERSION"))
            .description("Support tickets: panels, private channels or threads, transcripts")
            .intents(Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT | Intents::GUILDS)
            .command(Ticket::spec())
    }

    fn events(events: &mut Events<Self>) {
        events
            .on::<MessageCreate>(|_, ctx, message| activity::on_message(ctx, message))
            .on::<ChannelDelete>(|_, ctx, deleted| close::channel_deleted(ctx, deleted.id))
            .on::<ThreadDelete>(|_, ctx, deleted| close::channel_deleted(ctx, deleted.id));
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Tickets)
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let invoker = &command.invoker;
        let tr = ctx.tr(invoker);
        let Some(guild) = invoker.guild_id else {
            return Ok(Response::ephemeral(tr.t("tickets-dm")));
        };
        let sub = command.subcommand.first().map_or("", String::as_str);
        if ADMIN_SUBCOMMANDS.contains(&sub) && !access::is_admin(invoker) {
            return Ok(Response::ephemeral(tr.t("tickets-need-manage-server")));
        }
        let parsed = match Ticket::parse(command) {
            Ok(parsed) => parsed,
            Err(refusal) => return Ok(refusal.into()),
        };
        match parsed {
            Ticket::Open(open) => open::from_command(ctx, invoker, open.reason.as_deref()),
            Ticket::Close(close) => manage::close(ctx, invoker, close.reason.as_deref()),
            Ticket::Closerequest(request) => {
                manage::close_request(ctx, invoker, request.reason.as_deref())
            }
            Ticket::Claim => manage::claim(ctx, invoker, invoker.channel_id),
            Ticket::Unclaim => manage::unclaim(ctx, invoker),
            Ticket::Add(add) => manage::add(ctx, invoker, add.user),
            Ticket::Remove(remove) => manage::remove(ctx, invoker, remove.user),
            Ticket::Rename(rename) => manage::rename(ctx, invoker, &rename.name),
            Ticket::Config(settings) => config::configure(ctx, tr, guild, settings),
            Ticket::Staff(staff) => config::toggle_staff(ctx, tr, guild, staff.role),
            Ticket::Panel(new) => panel::create(ctx, tr, guild, new),
            Ticket::TopicAdd(topic) => panel::add_topic(ctx, tr, guild, topic),
            Ticket::TopicRemove(topic) => panel::remove_topic(ctx, tr, guild, topic),
            Ticket::Panels => panel::list(ctx, tr, guild),
            Ticket::PanelDelete(number) => panel::delete(ctx, tr, guild, number.panel),
        }
    }

    fn on_component(&mut self, ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
        let invoker = &component.invoker;
        match ui::parse_custom_id(&component.custom_id) {
            Some(Action::Open { panel }) => open::from_button(ctx, invoker, panel),
            Some(Action::Pick { panel }) => {
                open::from_select(ctx, invoker, panel, &component.values)
            }
            Some(Action::Close { channel }) => manage::close_button(ctx, invoker, channel),
            Some(Action::Claim { channel }) => manage::claim(ctx, invoker, channel),
            Some(Action::CloseAnswer { channel, confirm }) => {
                manage::close_answer(ctx, invoker, channel, confirm)
            }
            _ => Ok(Response::ephemeral(ctx.tr(invoker).t("tickets-old-button"))),
        }
    }

    fn on_modal(&mut self, ctx: &Context, modal: &ModalInvocation) -> Result<Response> {
        let invoker = &modal.invoker;
        match ui::parse_custom_id(&modal.custom_id) {
            Some(Action::Reason { panel, topic }) => {
                open::from_form(ctx, invoker, panel, &topic, modal.field("reason"))
            }
            Some(Action::CloseReason { channel }) => {
                manage::close_form(ctx, invoker, channel, modal.field("reason"))
            }
            _ => Ok(Response::ephemeral(ctx.tr(invoker).t("tickets-old-form"))),
        }
    }

    fn on_timer(&mut self, ctx: &Context, timer: &TimerFired) -> Result<()> {
        let Some((kind, channel)) = timer.key.split_once(':') else {
            log::warn!("ignoring unknown timer {:?}", timer.key);
            return Ok(());
        };
        let Some(channel) = channel.parse::<u64>().ok().and_then(Id::new_checked) else {
            log::warn!("ignoring timer {:?} without a channel id", timer.key);
            return Ok(());
        };
        match kind {
            "close" => close::finish(ctx, channel),
            "autoclose" => activity::autoclose(ctx, channel),
            _ => {
                log::warn!("ignoring unknown timer {:?}", timer.key);
                Ok(())
            }
        }
    }
}

arsenal_plugin_api::export_plugin!(Tickets);

#[cfg(test)]
mod tests;
