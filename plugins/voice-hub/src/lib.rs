//! The `voice_hub` module: join-to-create temporary voice channels. Joining a hub channel makes
//! the member a room (named from the hub's template or their remembered choices) and moves them
//! into it; the owner controls it from a panel (buttons, member menus and forms) or `/voice`
//! subcommands; an empty room is deleted after a short delay. At start and when a guild becomes
//! available, the rooms in the store are reconciled with who is connected.
//!
//! Everything lives in the store (see [`model`]); components carry stable ids (see [`ui`]); the
//! instance holds nothing.

mod command;
mod controls;
mod discord;
mod hubs;
mod join;
mod model;
mod reconcile;
mod rename;
mod rooms;
mod ui;

use arsenal_plugin_api::{
    component::CustomId,
    model::{
        gateway::{
            payload::incoming::{ChannelDelete, GuildCreate, VoiceStateUpdate},
            Intents,
        },
        id::Id,
    },
    protocol::{ComponentInvocation, ModalInvocation, TimerFired},
    Command, CommandInvocation, Context, Events, Manifest, Plugin, Response, Result,
};

use crate::{
    command::VoiceCommand,
    controls::Action,
    ui::{PanelId, FORM_FIELD},
};

/// The plugin. Stateless: every handler reads the store.
pub struct VoiceHub;

impl Plugin for VoiceHub {
    const LOCALES: arsenal_plugin_api::i18n::Locales = arsenal_plugin_api::locales!("en", "fr");

    fn manifest() -> Manifest {
        Manifest::new("voice_hub", env!("CARGO_PKG_VERSION"))
            .description(
                "Temporary voice channels: join a hub to get your own, with a control panel",
            )
            .intents(Intents::GUILDS | Intents::GUILD_VOICE_STATES)
            .command(VoiceCommand::spec())
    }

    fn events(events: &mut Events<Self>) {
        events
            .on::<VoiceStateUpdate>(|_, ctx, update| join::on_voice_state(ctx, update))
            .on::<GuildCreate>(|_, ctx, guild| reconcile::on_guild_create(ctx, guild))
            .on::<ChannelDelete>(|_, ctx, deleted| {
                let Some(guild) = deleted.guild_id else {
                    return Ok(());
                };
                if let Some(room) = rooms::load(ctx, guild, deleted.id)? {
                    rooms::forget(ctx, &room)?;
                }
                hubs::forget(ctx, guild, deleted.id)
            });
    }

    fn new(ctx: &Context) -> Result<Self> {
        reconcile::at_start(ctx);
        Ok(VoiceHub)
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let invoker = &command.invoker;
        let tr = ctx.tr(invoker);
        let Some(guild) = invoker.guild_id else {
            return Ok(Response::ephemeral(tr.t("voice-dm")));
        };
        let parsed = match VoiceCommand::parse(command) {
            Ok(parsed) => parsed,
            Err(refusal) => return Ok(refusal.into()),
        };
        let action = match parsed {
            VoiceCommand::Hub(settings) => return hubs::configure(ctx, tr, guild, settings),
            VoiceCommand::HubRemove(hub) => return hubs::remove(ctx, tr, guild, hub.channel),
            VoiceCommand::Hubs => return hubs::list(ctx, tr, guild),
            VoiceCommand::Panel => Action::Panel,
            VoiceCommand::Lock => Action::Lock(Some(true)),
            VoiceCommand::Unlock => Action::Lock(Some(false)),
            VoiceCommand::Hide => Action::Hide(Some(true)),
            VoiceCommand::Show => Action::Hide(Some(false)),
            VoiceCommand::Limit(limit) => Action::Limit(limit.limit.to_string()),
            VoiceCommand::Rename(rename) => Action::Rename(rename.name),
            VoiceCommand::Kick(member) => Action::Kick(member.member),
            VoiceCommand::Permit(member) => Action::Permit(member.member),
            VoiceCommand::Transfer(member) => Action::Transfer(member.member),
            VoiceCommand::Claim => Action::Claim,
        };
        controls::run(ctx, invoker, None, action)
    }

    fn on_component(&mut self, ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
        let invoker = &component.invoker;
        let tr = ctx.tr(invoker);
        let Ok(id) = PanelId::from_component(component) else {
            return Ok(Response::ephemeral(tr.t("voice-old-panel")));
        };
        let picked = || {
            component
                .values
                .first()
                .and_then(|v| v.parse::<u64>().ok())
                .and_then(Id::new_checked)
        };
        let (room, action) = match id {
            PanelId::Lock { room } => (room, Action::Lock(None)),
            PanelId::Hide { room } => (room, Action::Hide(None)),
            PanelId::Rename { room } => (room, Action::RenameForm),
            PanelId::Limit { room } => (room, Action::LimitForm),
            PanelId::Claim { room } => (room, Action::Claim),
            PanelId::Kick { room } | PanelId::Permit { room } | PanelId::Transfer { room } => {
                let Some(user) = picked() else {
                    return Ok(Response::ephemeral(tr.t("voice-pick-member")));
                };
                let action = match id {
                    PanelId::Kick { .. } => Action::Kick(user),
                    PanelId::Permit { .. } => Action::Permit(user),
                    _ => Action::Transfer(user),
                };
                (room, action)
            }
            PanelId::RenameForm { .. } | PanelId::LimitForm { .. } => {
                return Ok(Response::ephemeral(tr.t("voice-old-panel")));
            }
        };
        controls::run(ctx, invoker, Some(room), action)
    }

    fn on_modal(&mut self, ctx: &Context, modal: &ModalInvocation) -> Result<Response> {
        let invoker = &modal.invoker;
        let tr = ctx.tr(invoker);
        let value = modal.field(FORM_FIELD).unwrap_or_default().to_owned();
        match PanelId::from_modal(modal) {
            Ok(PanelId::RenameForm { room }) => {
                controls::run(ctx, invoker, Some(room), Action::Rename(value))
            }
            Ok(PanelId::LimitForm { room }) => {
                controls::run(ctx, invoker, Some(room), Action::Limit(value))
            }
            _ => Ok(Response::ephemeral(tr.t("voice-old-panel"))),
        }
    }

    fn on_timer(&mut self, ctx: &Context, timer: &TimerFired) -> Result<()> {
        match model::parse_timer(&timer.key) {
            Some(("delete", guild, channel)) => rooms::delete_if_empty(ctx, guild, channel),
            Some(("rename", guild, channel)) => rename::fire(ctx, guild, channel),
            _ => {
                log::warn!("ignoring unknown timer {:?}", timer.key);
                Ok(())
            }
        }
    }
}

arsenal_plugin_api::export_plugin!(VoiceHub);

#[cfg(test)]
mod tests;
