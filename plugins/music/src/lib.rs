//! The `music` module: `/play` by search, link, attached link or music-folder file, a queue per
//! server (`/queue`, `/remove`, `/move`, `/shuffle`, `/clear`), `/skip` and `/voteskip`,
//! `/pause`, `/resume`, `/seek`, `/loop`, `/volume`, `/nowplaying`, `/leave`, `/history`, a DJ
//! role, saved playlists (a member's and a server's), members' preferences, and leaving when
//! alone or idle.
//!
//! The host plays the audio (a module holds no socket): this module asks it through
//! `ctx.voice()` and follows its events in `on_voice`. Everything lives in the store
//! (`model`), so a reload mid-song loses nothing and the next track still follows, and a
//! restart's resumed track is recognised by its tag.

use arsenal_plugin_api::{
    model::gateway::payload::incoming::VoiceStateUpdate, prelude::*, protocol::TimerFired,
};

mod command;
mod controls;
mod edit;
mod history;
mod model;
mod play;
mod player;
mod playlists;
mod presence;
mod queue;
mod render;
mod rights;
mod settings;

#[cfg(test)]
mod tests;

use command::{
    Clear, History, Leave, Loop, Move, MusicCommand, NowPlaying, Pause, Play, PlaylistCommand,
    QueueCmd, Remove, Resume, Seek, Shuffle, Skip, Volume, VoteSkip,
};
use controls::Env;

/// The module; it keeps only the bot's own id in memory.
pub struct Music {
    bot: Option<Id<UserMarker>>,
}

impl Music {
    /// The bot's user id, asked once per instance (it is left out of listener counts).
    fn bot(&mut self, ctx: &Context) -> Option<Id<UserMarker>> {
        if self.bot.is_none() {
            let user: Result<Value> = ctx.discord().execute(&DiscordRequest::GetBotUser);
            self.bot = match user {
                Ok(user) => user
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(|id| id.parse().ok())
                    .and_then(Id::new_checked),
                Err(e) => {
                    log::warn!("music: the bot's own id is unknown: {e}");
                    None
                }
            };
        }
        self.bot
    }

    fn on_voice_state(&mut self, ctx: &Context, update: &VoiceStateUpdate) -> Result<()> {
        let bot = self.bot(ctx);
        presence::on_voice_state(ctx, bot, update)
    }
}

/// Parses `command` as `T`, or answers with the parse's refusal.
macro_rules! parse {
    ($ty:ty, $command:expr) => {
        match <$ty>::parse($command) {
            Ok(parsed) => parsed,
            Err(refusal) => return Ok(refusal.into()),
        }
    };
}

impl Plugin for Music {
    const LOCALES: Locales = arsenal_plugin_api::locales!("en", "fr");

    fn manifest() -> Manifest {
        Manifest::new("music", env!("CARGO_PKG_VERSION"))
            .description("Music in voice channels: a queue per server, playlists, DJ role")
            // Guild voice states: where members are (joining theirs, counting listeners).
            .intents(Intents::GUILDS | Intents::GUILD_VOICE_STATES)
            .command(Play::spec())
            .command(QueueCmd::spec())
            .command(Remove::spec())
            .command(Move::spec())
            .command(Shuffle::spec())
            .command(Clear::spec())
            .command(Skip::spec())
            .command(VoteSkip::spec())
            .command(Pause::spec())
            .command(Resume::spec())
            .command(Seek::spec())
            .command(Loop::spec())
            .command(Volume::spec())
            .command(NowPlaying::spec())
            .command(Leave::spec())
            .command(History::spec())
            .command(MusicCommand::spec())
            .command(PlaylistCommand::spec())
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Self { bot: None })
    }

    fn events(events: &mut Events<Self>) {
        events.on::<VoiceStateUpdate>(Self::on_voice_state);
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let tr = ctx.tr(&command.invoker);
        let Some(guild) = command.invoker.guild_id else {
            return Ok(Response::ephemeral(tr.t("music-guild-only")));
        };
        let bot = match command.name.as_str() {
            "skip" | "voteskip" => self.bot(ctx),
            _ => None,
        };
        let env = Env {
            ctx,
            tr,
            guild,
            invoker: &command.invoker,
            bot,
        };
        match command.name.as_str() {
            "play" => play::command(
                ctx,
                &tr,
                guild,
                &command.invoker,
                &parse!(Play, command),
                &command.attachments,
            ),
            "queue" => edit::show(&env, &parse!(QueueCmd, command)),
            "remove" => edit::remove(&env, &parse!(Remove, command)),
            "move" => edit::move_track(&env, &parse!(Move, command)),
            "shuffle" => edit::shuffle(&env),
            "clear" => edit::clear(&env),
            "skip" => controls::skip(&env, false),
            "voteskip" => controls::skip(&env, true),
            "pause" => controls::pause(&env),
            "resume" => controls::resume(&env),
            "seek" => controls::seek(&env, &parse!(Seek, command)),
            "loop" => controls::set_loop(&env, &parse!(Loop, command)),
            "volume" => controls::volume(&env, &parse!(Volume, command)),
            "nowplaying" => controls::now_playing(&env),
            "leave" => controls::leave(&env),
            "history" => history::command(
                ctx,
                &tr,
                guild,
                command.invoker.user_id,
                &parse!(History, command),
            ),
            "music" => settings::command(&env, &parse!(MusicCommand, command)),
            "playlist" => playlists::command(&env, &parse!(PlaylistCommand, command)),
            other => Err(Error::invalid(format!(
                "the music module has no command {other:?}"
            ))),
        }
    }

    fn on_component(&mut self, ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
        let tr = ctx.tr(&component.invoker);
        let Some(guild) = component.invoker.guild_id else {
            return Ok(Response::ephemeral(tr.t("music-guild-only")));
        };
        match render::Ui::parse_custom_id(&component.custom_id) {
            Ok(render::Ui::QueuePage { page }) => edit::page(ctx, &tr, guild, page),
            Err(_) => Ok(Response::ephemeral(tr.t("music-old-button"))),
        }
    }

    fn on_timer(&mut self, ctx: &Context, timer: &TimerFired) -> Result<()> {
        let bot = self.bot(ctx);
        presence::on_timer(ctx, bot, timer)
    }

    fn on_voice(&mut self, ctx: &Context, event: &VoiceEvent) -> Result<()> {
        player::on_voice(ctx, event)
    }
}

arsenal_plugin_api::export_plugin!(Music);
