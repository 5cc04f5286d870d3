//! Shared test setup: a simulator plus the real twilight gateway and HTTP clients pointed at it.
#![allow(dead_code)] // each test binary uses a different subset

use discord_sim::{SimConfig, Simulator, World};
use std::sync::Once;
use std::time::Duration;
use twilight_gateway::{
    queue::InMemoryQueue, ConfigBuilder, Event, EventTypeFlags, Intents, Shard, ShardId,
    StreamExt as _,
};

pub const TIMEOUT: Duration = Duration::from_secs(10);

pub fn install_crypto() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

pub async fn sim_with(world: World, shards: u32) -> Simulator {
    install_crypto();
    Simulator::start(SimConfig {
        world,
        shards,
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts")
}

pub async fn sim() -> Simulator {
    sim_with(World::demo(), 1).await
}

pub fn intents_all() -> Intents {
    Intents::GUILDS
        | Intents::GUILD_MEMBERS
        | Intents::GUILD_MODERATION
        | Intents::GUILD_MESSAGES
        | Intents::GUILD_MESSAGE_REACTIONS
        | Intents::GUILD_VOICE_STATES
        | Intents::DIRECT_MESSAGES
        | Intents::MESSAGE_CONTENT
}

pub fn shard_with(
    sim: &Simulator,
    token: &str,
    id: ShardId,
    intents: Intents,
) -> Shard<InMemoryQueue> {
    let config = ConfigBuilder::new(token.to_owned(), intents)
        .proxy_url(sim.gateway_url())
        .queue(InMemoryQueue::new(0, 0, Duration::ZERO, 0))
        .build();
    Shard::with_config(id, config)
}

pub fn shard(sim: &Simulator) -> Shard<InMemoryQueue> {
    shard_with(sim, sim.token(), ShardId::ONE, intents_all())
}

pub fn http(sim: &Simulator) -> twilight_http::Client {
    twilight_http::Client::builder()
        .token(format!("Bot {}", sim.token()))
        .proxy(sim.rest_addr().to_string(), true)
        .timeout(Duration::from_secs(10))
        .build()
}

/// The next event matching `pick`, skipping others; panics after [`TIMEOUT`].
pub async fn next_matching<T>(
    shard: &mut Shard<InMemoryQueue>,
    mut pick: impl FnMut(Event) -> Option<T>,
) -> T {
    let wait = async {
        loop {
            match shard.next_event(EventTypeFlags::all()).await {
                Some(Ok(event)) => {
                    if let Some(found) = pick(event) {
                        return found;
                    }
                }
                Some(Err(e)) => {
                    // Reconnects surface as errors; a deserialization error is a sim bug.
                    let text = format!("{e:?}");
                    assert!(
                        !text.contains("Deserializing"),
                        "twilight could not parse a sim event: {text}"
                    );
                }
                None => panic!("gateway stream ended"),
            }
        }
    };
    tokio::time::timeout(TIMEOUT, wait)
        .await
        .expect("expected gateway event in time")
}

/// Runs the shard's event loop until READY and all GUILD_CREATEs have arrived.
pub async fn ready(
    shard: &mut Shard<InMemoryQueue>,
) -> twilight_model::gateway::payload::incoming::Ready {
    let ready = next_matching(shard, |e| match e {
        Event::Ready(r) => Some(r),
        _ => None,
    })
    .await;
    for _ in 0..ready.guilds.len() {
        next_matching(shard, |e| matches!(e, Event::GuildCreate(_)).then_some(())).await;
    }
    ready
}
