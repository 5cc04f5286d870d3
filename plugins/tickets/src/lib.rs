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
mod config;
mod discord;
mod manage;
mod model;
mod open;
mod panel;
mod transcript;
mod ui;

use arsenal_plugin_api::{
    manifest::{option, subcommand},
    model::{
        application::command::{
            CommandOption, CommandOptionChoice, CommandOptionChoiceValue, CommandOptionType,
        },
        channel::ChannelType,
        gateway::{
            payload::incoming::{ChannelDelete, MessageCreate, ThreadDelete},
            Intents,
        },
        id::Id,
    },
    protocol::{ComponentInvocation, ModalInvocation, TimerFired},
    CommandInvocation, CommandSpec, Context, Events, Manifest, Plugin, Response, Result,
};

use crate::ui::Action;

/// The plugin. Stateless: every handler reads the store.
pub struct Tickets;

fn choices(mut base: CommandOption, values: &[&str]) -> CommandOption {
    base.choices = Some(
        values
            .iter()
            .map(|v| CommandOptionChoice {
                name: (*v).to_owned(),
                name_localizations: None,
                value: CommandOptionChoiceValue::String((*v).to_owned()),
            })
            .collect(),
    );
    base
}

fn channel_of(mut base: CommandOption, kinds: &[ChannelType]) -> CommandOption {
    base.channel_types = Some(kinds.to_vec());
    base
}

fn command_spec() -> CommandSpec {
    use CommandOptionType::{Boolean, Channel, Integer, Role, String, User};
    let reason = |what: &str| vec![option(String, "reason", what, false)];
    let panel = || {
        option(
            Integer,
            "panel",
            "The panel number (see /ticket panels)",
            true,
        )
    };
    let category = |name: &str, what: &str| {
        channel_of(
            option(Channel, name, what, false),
            &[ChannelType::GuildCategory],
        )
    };
    CommandSpec::new(
        "ticket",
        "Support tickets: panels, opening, closing, staff tools",
    )
    .with_prefix()
    .option(subcommand(
        "open",
        "Open a ticket",
        reason("What do you need help with?"),
    ))
    .option(subcommand(
        "close",
        "Close this ticket (opener or staff)",
        reason("Why it is closed"),
    ))
    .option(subcommand(
        "closerequest",
        "Ask the opener to confirm closing (staff)",
        reason("Why it can be closed"),
    ))
    .option(subcommand("claim", "Take this ticket (staff)", vec![]))
    .option(subcommand(
        "unclaim",
        "Give this ticket back (staff)",
        vec![],
    ))
    .option(subcommand(
        "add",
        "Add a member to this ticket",
        vec![option(User, "user", "The member to add", true)],
    ))
    .option(subcommand(
        "remove",
        "Remove a member from this ticket",
        vec![option(User, "user", "The member to remove", true)],
    ))
    .option(subcommand(
        "rename",
        "Rename this ticket (staff)",
        vec![option(String, "name", "The new name", true)],
    ))
    .option(subcommand(
        "config",
        "Show or change the ticket settings (Manage Server)",
        vec![
            channel_of(
                option(
                    Channel,
                    "log_channel",
                    "Where transcripts are posted",
                    false,
                ),
                &[ChannelType::GuildText],
            ),
            choices(
                option(String, "mode", "Private channels or private threads", false),
                &["channel", "thread"],
            ),
            choices(
                option(
                    String,
                    "on_close",
                    "Delete or archive closed tickets",
                    false,
                ),
                &["delete", "archive"],
            ),
            category("category", "Category for ticket channels"),
            category("archive_category", "Category archived tickets move to"),
            option(Integer, "limit", "Open tickets per member (1-20)", false),
            option(
                Boolean,
                "ask_reason",
                "Ask for a reason in a form before opening",
                false,
            ),
            option(
                String,
                "autoclose",
                "Close after inactivity: 48h, 2d, 30m or off",
                false,
            ),
            option(
                Integer,
                "close_delay",
                "Seconds between closing and deletion (1-600)",
                false,
            ),
        ],
    ))
    .option(subcommand(
        "staff",
        "Add or remove a staff role for every ticket (Manage Server)",
        vec![option(Role, "role", "The role (again to remove it)", true)],
    ))
    .option(subcommand(
        "panel",
        "Post a ticket panel (Manage Server)",
        vec![
            channel_of(
                option(Channel, "channel", "Where to post it", true),
                &[ChannelType::GuildText],
            ),
            option(String, "title", "The panel's title", false),
            option(String, "description", "The panel's text", false),
        ],
    ))
    .option(subcommand(
        "topic-add",
        "Add or update a ticket category on a panel (Manage Server)",
        vec![
            panel(),
            option(String, "name", "Its name, e.g. Billing", true),
            option(String, "description", "One line shown in the menu", false),
            option(Role, "staff", "A staff role for these tickets", false),
            category("category", "Category for these ticket channels"),
        ],
    ))
    .option(subcommand(
        "topic-remove",
        "Remove a ticket category from a panel (Manage Server)",
        vec![panel(), option(String, "name", "Its name", true)],
    ))
    .option(subcommand(
        "panels",
        "List the ticket panels (Manage Server)",
        vec![],
    ))
    .option(subcommand(
        "panel-delete",
        "Delete a ticket panel (Manage Server)",
        vec![panel()],
    ))
}

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
    fn manifest() -> Manifest {
        Manifest::new("tickets", env!("CARGO_PKG_VERSION"))
            .description("Support tickets: panels, private channels or threads, transcripts")
            .intents(Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT | Intents::GUILDS)
            .command(command_spec())
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
        let Some(guild) = invoker.guild_id else {
            return Ok(Response::ephemeral("Tickets work in a server, not in DMs."));
        };
        let sub = command.subcommand.first().map_or("", String::as_str);
        if ADMIN_SUBCOMMANDS.contains(&sub) && !access::is_admin(invoker) {
            return Ok(Response::ephemeral(
                "You need the Manage Server permission to set up tickets.",
            ));
        }
        let reason = command.str_arg("reason");
        match sub {
            "open" => open::from_command(ctx, invoker, reason),
            "close" => manage::close(ctx, invoker, reason),
            "closerequest" => manage::close_request(ctx, invoker, reason),
            "claim" => manage::claim(ctx, invoker, invoker.channel_id),
            "unclaim" => manage::unclaim(ctx, invoker),
            "add" => manage::add(ctx, invoker, command.user_arg("user")),
            "remove" => manage::remove(ctx, invoker, command.user_arg("user")),
            "rename" => manage::rename(ctx, invoker, command.str_arg("name")),
            "config" => config::configure(ctx, guild, command),
            "staff" => config::toggle_staff(ctx, guild, command),
            "panel" => panel::create(ctx, guild, command),
            "topic-add" => panel::add_topic(ctx, guild, command),
            "topic-remove" => panel::remove_topic(ctx, guild, command),
            "panels" => panel::list(ctx, guild),
            "panel-delete" => panel::delete(ctx, guild, command),
            _ => Ok(Response::ephemeral(
                "Use `/ticket open`, `close`, `closerequest`, `claim`, `unclaim`, `add`, `remove`, `rename`; admins: `config`, `staff`, `panel`, `topic-add`, `topic-remove`, `panels`, `panel-delete`.",
            )),
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
            _ => Ok(Response::ephemeral(
                "This button is from an older version of the ticket module; ask staff to post a new panel.",
            )),
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
            _ => Ok(Response::ephemeral(
                "This form is from an older version of the ticket module; please try again.",
            )),
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
