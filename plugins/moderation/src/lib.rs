//! The `moderation` module: warnings with points that expire and thresholds that trigger
//! automatic actions, mutes (Discord timeout or a mute role), kicks, bans and tempbans, unbans,
//! purge, per-guild numbered cases posted to a mod-log channel and DMed to the member, and a
//! sanctions history per member. Timed sanctions end through the host's durable timers, and a
//! member who leaves and rejoins while muted is muted again.
//!
//! Every piece of state is in the store (see [`model`]); the instance holds only a cache of the
//! bot's own user id, so a reload or restart loses nothing.

pub mod cases;
pub mod commands;
pub mod config;
pub mod duration;
pub mod guild;
pub mod hierarchy;
pub mod model;
pub mod requests;
pub mod sanctions;
pub mod spec;
pub mod timed;
pub mod warnings;

use arsenal_plugin_api::{
    model::{
        gateway::payload::incoming::MemberAdd,
        id::{marker::UserMarker, Id},
    },
    protocol::TimerFired,
    CommandInvocation, Context, Error, Events, Manifest, Plugin, Response, Result,
};

use crate::{model::TimerPayload, sanctions::Env};

/// The module.
#[derive(Debug, Default)]
pub struct Moderation {
    /// The bot's user id, read once per instance.
    bot: Option<Id<UserMarker>>,
}

impl Moderation {
    fn bot(&mut self, ctx: &Context) -> Result<Id<UserMarker>> {
        if let Some(bot) = self.bot {
            return Ok(bot);
        }
        let bot = guild::bot_id(ctx).map_err(|e| e.context("I could not read my own user"))?;
        self.bot = Some(bot);
        Ok(bot)
    }

    fn member_joined(&mut self, ctx: &Context, event: &MemberAdd) -> Result<()> {
        let user = &event.member.user;
        let name = user.global_name.as_deref().unwrap_or(&user.name);
        if user.bot {
            return Ok(());
        }
        // Only a muted member costs a Discord call here.
        if ctx
            .store()
            .get::<serde_json::Value>(&model::mute_key(event.guild_id, user.id))?
            .is_none()
        {
            return Ok(());
        }
        let bot = self.bot(ctx)?;
        let env = Env {
            ctx,
            guild: event.guild_id,
            bot,
            now_ms: ctx.now(),
            tr: ctx.tr_guild(event.guild_id),
        };
        timed::rejoined(&env, user.id, name).map(drop)
    }
}

impl Plugin for Moderation {
    const LOCALES: arsenal_plugin_api::i18n::Locales = arsenal_plugin_api::locales!("en", "fr");

    fn manifest() -> Manifest {
        spec::manifest()
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Self::default())
    }

    fn events(events: &mut Events<Self>) {
        events.on::<MemberAdd>(Self::member_joined);
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let Some(guild) = command.invoker.guild_id else {
            return Ok(Response::ephemeral(
                ctx.tr(&command.invoker).t("moderation-dm"),
            ));
        };
        let bot = self.bot(ctx)?;
        let env = Env {
            ctx,
            guild,
            bot,
            now_ms: ctx.now(),
            tr: ctx.tr(&command.invoker),
        };
        commands::run(&env, command)
    }

    fn on_request(
        &mut self,
        ctx: &Context,
        request: &arsenal_plugin_api::protocol::ModuleRequest,
    ) -> Result<serde_json::Value> {
        let bot = self.bot(ctx)?;
        requests::answer(ctx, bot, request)
    }

    fn on_timer(&mut self, ctx: &Context, timer: &TimerFired) -> Result<()> {
        let payload: TimerPayload = match serde_json::from_value(timer.payload.clone()) {
            Ok(payload) => model::check(&timer.key, payload)?,
            Err(e) => {
                // Not dropped: the host keeps a failing timer and retries it (up to every five
                // minutes, logged each time), so a timer written by a newer version of this
                // module fires once that version is loaded again.
                return Err(Error::invalid(format!(
                    "timer {:?} has a payload this version cannot read (written by a newer one?); the host retries it until a version that reads it is loaded",
                    timer.key
                ))
                .with_source(e));
            }
        };
        let bot = self.bot(ctx)?;
        timed::expire(ctx, bot, &payload, ctx.now())
    }
}

arsenal_plugin_api::export_plugin!(Moderation);

/// English texts for unit tests, without a host.
#[cfg(test)]
pub(crate) mod testing {
    use arsenal_plugin_api::{
        i18n::{Texts, Tr},
        Plugin,
    };

    static TEXTS: Texts = Texts::new(<crate::Moderation as Plugin>::LOCALES);

    /// A translator in English, the fallback.
    pub fn english() -> Tr<'static> {
        TEXTS.tr(&[])
    }
}

#[cfg(test)]
mod languages {
    use arsenal_plugin_api::testing::assert_translated;

    use crate::Moderation;

    #[test]
    fn every_text_exists_in_english_and_french() {
        assert_translated::<Moderation>();
    }

    /// Discord shows a French member the French names and descriptions.
    #[test]
    fn commands_are_declared_in_french_too() {
        let commands = arsenal_plugin_api::testing::localized_commands::<Moderation>();
        let warn = commands
            .iter()
            .find(|c| c.name == "warn")
            .expect("/warn is declared");
        let fr = |map: &Option<std::collections::BTreeMap<String, String>>| {
            map.as_ref().and_then(|m| m.get("fr")).cloned()
        };
        assert_eq!(fr(&warn.name_localizations).as_deref(), Some("avertir"));
        assert_eq!(
            fr(&warn.description_localizations).as_deref(),
            Some("Avertir un membre (les points comptent pour les actions automatiques)")
        );
        assert_eq!(
            warn.description,
            "Warn a member (points count toward automatic actions)"
        );
    }

    /// A French moderator is told in French what to type; others as before, in English.
    #[test]
    fn a_french_moderator_is_answered_in_french() {
        use arsenal_plugin_api::{
            model::guild::Permissions,
            testing::{TestHarness, ADMIN_ID},
            Response,
        };
        let mut harness = TestHarness::<Moderation>::start().unwrap();
        // The module reads its own user first; nothing else reaches Discord here.
        harness.on_discord(|_| {
            Ok::<_, arsenal_plugin_api::protocol::DiscordError>(
                serde_json::json!({"id": "1", "username": "arsenal", "bot": true}),
            )
        });
        let mut invocation =
            harness.slash_as(ADMIN_ID, Permissions::ADMINISTRATOR, "warn", &[], vec![]);
        let english = harness.command(invocation.clone()).unwrap();
        assert_eq!(
            english,
            Response::ephemeral("Say who: `/warn member:@someone` or `!warn @someone`.")
        );
        invocation.invoker.locale = Some("fr".into());
        assert_eq!(
            harness.command(invocation).unwrap(),
            Response::ephemeral("Indiquez qui : `/warn member:@quelqu'un` ou `!warn @quelqu'un`.")
        );
    }
}
