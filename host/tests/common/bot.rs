//! A host connected to the simulator, for end-to-end tests of the host and of modules.

#![allow(dead_code)]

use std::{
    path::PathBuf,
    time::{Duration, Instant},
};

use arsenal_host::{
    app::App,
    config::{CommandScope, DiscordSettings, Token},
    paths::Paths,
};
use discord_sim::{DemoIds, SimConfig, Simulator, World};
use tempfile::TempDir;

use super::install;

pub const WAIT: Duration = Duration::from_secs(10);

/// A running host connected to a simulator with the demo world.
pub struct Bot {
    pub sim: Simulator,
    pub ids: DemoIds,
    pub dir: TempDir,
    pub app: Option<App>,
}

impl Bot {
    /// A simulator with the demo world and a host running `modules` (name → library file).
    pub async fn start_with(modules: &[(&str, PathBuf)]) -> Self {
        let (mut bot, ()) = Self::prepare(modules, |_, _| ()).await;
        bot.app = Some(bot.boot().await);
        bot
    }

    /// A simulator with the demo world changed by `change` (before the bot connects, so its
    /// GUILD_CREATEs carry the change), and `modules` installed; the host is not started yet.
    pub async fn prepare<T>(
        modules: &[(&str, PathBuf)],
        change: impl FnOnce(&mut World, DemoIds) -> T,
    ) -> (Self, T) {
        let sim = Simulator::start(SimConfig::default())
            .await
            .expect("simulator");
        let ids = sim.with_world(|w| w.demo_ids()).expect("demo ids");
        let made = sim.modify_world(|w| change(w, ids));
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
        let plugins = dir.path().join("plugins");
        std::fs::create_dir_all(&plugins).expect("plugins folder");
        super::link_runtime(&plugins);
        for (name, library) in modules {
            install(&plugins, name, library);
        }
        let bot = Self {
            sim,
            ids,
            dir,
            app: None,
        };
        (bot, made)
    }

    /// Starts (or restarts) the host with its settings adjusted by `adjust`, and waits until it
    /// knows every server of the simulator.
    pub async fn boot_every_server(&mut self, adjust: impl FnOnce(&mut DiscordSettings)) {
        if let Some(app) = self.app.take() {
            app.shutdown().await.expect("clean shutdown");
        }
        let mut settings = self.settings();
        adjust(&mut settings);
        let paths = Paths::new(self.dir.path().to_path_buf(), None);
        let app = App::start(&paths, Some(settings))
            .await
            .expect("host starts");
        let shared = std::sync::Arc::clone(&app.discord.as_ref().expect("connected").shared);
        let guilds = self.sim.with_world(World::guild_ids);
        let deadline = Instant::now() + WAIT;
        while guilds.iter().any(|g| shared.cache.guild(*g).is_none()) {
            assert!(
                Instant::now() < deadline,
                "the host never received every GUILD_CREATE"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.app = Some(app);
    }

    pub fn settings(&self) -> DiscordSettings {
        settings_for(&self.sim, &self.ids)
    }

    pub async fn boot(&self) -> App {
        self.boot_with(self.settings()).await
    }

    /// Starts the host with `settings` and waits for the demo guild to be known.
    pub async fn boot_with(&self, settings: DiscordSettings) -> App {
        let paths = Paths::new(self.dir.path().to_path_buf(), None);
        let app = App::start(&paths, Some(settings))
            .await
            .expect("host starts");
        let shared = std::sync::Arc::clone(&app.discord.as_ref().expect("connected").shared);
        let guild = self.ids.guild;
        let deadline = Instant::now() + WAIT;
        while shared.cache.guild(guild).is_none() {
            assert!(
                Instant::now() < deadline,
                "the host never received GUILD_CREATE"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        app
    }

    pub async fn restart(&mut self) {
        if let Some(app) = self.app.take() {
            app.shutdown().await.expect("clean shutdown");
        }
        self.app = Some(self.boot().await);
    }

    pub fn app(&self) -> &App {
        self.app.as_ref().expect("running")
    }

    /// Posts `content` as `user` in #bot-commands and returns the bot's reply to it.
    pub async fn prefix(
        &self,
        user: twilight_model::id::Id<twilight_model::id::marker::UserMarker>,
        content: &str,
    ) -> String {
        self.prefix_in(user, self.ids.bot_commands, content).await
    }

    /// Posts `content` as `user` in `channel` (of any server) and returns the bot's reply to it.
    pub async fn prefix_in(
        &self,
        user: twilight_model::id::Id<twilight_model::id::marker::UserMarker>,
        channel: twilight_model::id::Id<twilight_model::id::marker::ChannelMarker>,
        content: &str,
    ) -> String {
        let sent = self.sim.send_message(user, channel, content).await;
        let bot = self.ids.bot;
        self.sim
            .wait_for(WAIT, |w| {
                w.messages(channel)
                    .into_iter()
                    .find(|m| {
                        m.author.id == bot
                            && m.reference.as_ref().and_then(|r| r.message_id) == Some(sent)
                    })
                    .map(|m| m.content)
            })
            .await
            .unwrap_or_else(|| panic!("no reply to {content:?}"))
    }

    pub async fn slash(
        &self,
        user: twilight_model::id::Id<twilight_model::id::marker::UserMarker>,
        name: &str,
        options: serde_json::Value,
    ) -> (String, bool) {
        let handle = self
            .sim
            .run_slash_command(user, self.ids.bot_commands, name, options)
            .await;
        let outcome = handle
            .wait_until(WAIT, |o| o.content().is_some())
            .await
            .unwrap_or_else(|| panic!("/{name} was not answered"));
        (
            outcome.content().unwrap_or_default(),
            outcome.is_ephemeral(),
        )
    }

    pub fn handled(&self) -> Vec<u64> {
        self.app()
            .store
            .list("plugin.counter", "e:")
            .expect("store list")
            .into_iter()
            .map(|(_, v)| v.value[0].as_u64().expect("event number"))
            .collect()
    }

    pub async fn stop(mut self) {
        if let Some(app) = self.app.take() {
            app.shutdown().await.expect("clean shutdown");
        }
        self.sim.assert_no_violations();
        self.sim.shutdown().await;
    }
}

/// The settings of a host connected to `sim` (one shard, commands in the demo server, which is
/// also the control server: its administrators may reload).
pub fn settings_for(sim: &Simulator, ids: &DemoIds) -> DiscordSettings {
    DiscordSettings {
        token: Some(Token::new(sim.token())),
        api: Some(sim.rest_addr().to_string()),
        gateway: Some(sim.gateway_url()),
        owners: Vec::new(),
        commands: CommandScope::Guild(ids.guild),
        shards: Some(1),
        shard_range: None,
        default_prefix: "!".to_owned(),
        control_guild: Some(ids.guild),
        modules: Default::default(),
        metrics: None,
        dashboard: None,
        voice: Default::default(),
    }
}
