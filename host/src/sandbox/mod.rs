//! The token-less sandbox: the real host (twilight gateway and REST, modules, store, timers)
//! against an in-process simulated Discord, driven from a terminal console.
//!
//! It runs on its own data folder, `<data-dir>/sandbox/` ([`Paths::sandbox`]), never on the
//! bot's: a timer scheduled in the sandbox (a tempban on a simulated member) must never fire at a
//! real server, and the bot's servers' data must not appear in the simulation.

pub mod console;

use anyhow::Context as _;
use discord_sim::{SimConfig, Simulator};

use crate::{
    app::App,
    config::{CommandScope, DiscordSettings, Token},
    paths::Paths,
};

/// Starts the simulator and the host against it (on `paths.sandbox()`: `paths` are the bot's),
/// then runs the console on stdin/stdout until the user quits; then shuts everything down
/// cleanly.
///
/// # Errors
///
/// The simulator could not start or the host could not start against it.
pub async fn run(paths: &Paths, settings: DiscordSettings) -> anyhow::Result<()> {
    let (sim, app) = start(paths, settings).await?;
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    let result = console::run(
        &sim,
        console::ConsoleOptions::default(),
        stdin,
        std::io::stdout(),
    )
    .await;
    app.shutdown().await?;
    sim.shutdown().await;
    result.context("the console's terminal failed")
}

/// Starts the simulator with the demo world and the host against it, on the sandbox's own data
/// folder (`paths.sandbox()`; `paths` are the bot's), and waits (up to 15 s) until the bot has
/// the demo server. `settings` keep the owners and prefix; the connection is the simulator's.
///
/// # Errors
///
/// The simulator could not start or the host could not start against it.
pub async fn start(
    paths: &Paths,
    mut settings: DiscordSettings,
) -> anyhow::Result<(Simulator, App)> {
    let sim = Simulator::start(SimConfig::default())
        .await
        .context("starting the local Discord simulator")?;
    // songbird dials the simulator's voice gateway over `wss://` with the system's roots
    // (rustls-native-certs), which `SSL_CERT_FILE` replaces: trust the simulator's test CA
    // before any voice connection is made, so `cargo xtask run` plays audio into it. The
    // sandbox talks to nothing real, so the system's roots are not missed.
    std::env::set_var("SSL_CERT_FILE", sim.voice().ca_file());
    // Something to play: the simulator's test tone in the sandbox's own music folder (`/play
    // query:file:tone.wav`), unless the bot's settings name a music folder of their own.
    if settings.voice.music_folder.is_none() {
        let folder = settings.voice.music_folder_in(&paths.sandbox().data_dir);
        let tone = folder.join("tone.wav");
        if !tone.exists() {
            let copied = std::fs::create_dir_all(&folder)
                .and_then(|()| std::fs::copy(discord_sim::voice::TEST_TONE, &tone));
            if let Err(e) = copied {
                tracing::warn!(error = %e, file = %tone.display(), "could not put the test tone in the sandbox's music folder");
            }
        }
    }
    let ids = sim
        .with_world(|w| w.demo_ids())
        .context("the demo world has no demo ids")?;
    settings.token = Some(Token::new(sim.token()));
    settings.api = Some(sim.rest_addr().to_string());
    settings.gateway = Some(sim.gateway_url());
    settings.commands = CommandScope::Guild(ids.guild);
    // The demo server is the control server: its administrators may reload, as in a one-server bot.
    settings.control_guild = Some(ids.guild);
    settings.shards = Some(1);
    settings.shard_range = None;
    let app = App::start(&paths.sandbox(), Some(settings)).await?;
    if let Some(dashboard) = &app.dashboard {
        dashboard.announce();
    }
    // Events sent before the shard has identified would not reach the bot (as on Discord).
    let ready = async {
        while app
            .discord
            .as_ref()
            .is_none_or(|d| d.shared.cache.guild(ids.guild).is_none())
        {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    };
    if tokio::time::timeout(std::time::Duration::from_secs(15), ready)
        .await
        .is_err()
    {
        tracing::warn!(
            "the sandbox bot did not receive its guild within 15 s; the console starts anyway"
        );
    }
    Ok((sim, app))
}
