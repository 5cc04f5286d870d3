//! The simulator's gateway through the real twilight-gateway shard.

mod common;
mod voice;

use common::*;
use discord_sim::World;
use std::time::Duration;
use twilight_gateway::{Event, EventTypeFlags, Intents, ShardId, StreamExt as _};

#[tokio::test]
async fn identify_gets_ready_and_full_guild_create() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo world");
    let mut shard = shard(&sim);
    let ready = next_matching(&mut shard, |e| match e {
        Event::Ready(r) => Some(r),
        _ => None,
    })
    .await;
    assert_eq!(ready.resume_gateway_url, sim.gateway_url());
    assert_eq!(ready.user.id, demo.bot);
    assert_eq!(ready.application.id, sim.world().application_id());
    assert_eq!(ready.guilds.len(), 1);
    assert!(ready.guilds[0].unavailable);
    let guild = next_matching(&mut shard, |e| match e {
        Event::GuildCreate(g) => Some(g),
        _ => None,
    })
    .await;
    let twilight_model::gateway::payload::incoming::GuildCreate::Available(guild) = *guild else {
        panic!("guild should be available");
    };
    assert_eq!(guild.id, demo.guild);
    assert_eq!(guild.name, "Arsenal Sandbox");
    assert_eq!(guild.roles.len(), 5);
    assert_eq!(guild.members.len(), 5);
    assert!(guild
        .channels
        .iter()
        .any(|c| c.name.as_deref() == Some("Lounge")));
    assert_eq!(sim.shard_stats(0).identifies, 1);
    sim.assert_no_violations();
}

#[tokio::test]
async fn bad_token_is_closed_with_4004_and_the_stream_ends() {
    let sim = sim().await;
    let mut shard = shard_with(&sim, "wrong-token", ShardId::ONE, intents_all());
    let wait = async {
        let mut close_code = None;
        loop {
            match shard.next_event(EventTypeFlags::all()).await {
                Some(Ok(Event::GatewayClose(frame))) => close_code = frame.map(|f| f.code),
                Some(_) => {}
                None => return close_code,
            }
        }
    };
    let code = tokio::time::timeout(TIMEOUT, wait)
        .await
        .expect("stream ends");
    assert_eq!(code, Some(4004));
}

/// Collects MESSAGE_CREATE contents until `n` arrived, then checks nothing else follows.
async fn collect_messages(
    shard: &mut twilight_gateway::Shard<twilight_gateway::queue::InMemoryQueue>,
    n: usize,
) -> Vec<String> {
    let mut seen = Vec::new();
    while seen.len() < n {
        seen.push(
            next_matching(shard, |e| match e {
                Event::MessageCreate(m) => Some(m.content.clone()),
                _ => None,
            })
            .await,
        );
    }
    let extra = tokio::time::timeout(Duration::from_millis(300), async {
        loop {
            match shard.next_event(EventTypeFlags::MESSAGE_CREATE).await {
                Some(Ok(Event::MessageCreate(m))) => return m.content.clone(),
                Some(_) => {}
                None => std::future::pending::<()>().await,
            }
        }
    })
    .await;
    assert!(
        extra.is_err(),
        "unexpected extra message (duplicate?): {extra:?}"
    );
    seen
}

#[tokio::test]
async fn resume_after_dropped_connection_replays_missed_events_once_in_order() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo world");
    let mut shard = shard(&sim);
    ready(&mut shard).await;
    sim.send_message(demo.bob, demo.general, "before").await;
    assert_eq!(collect_messages(&mut shard, 1).await, ["before"]);

    let faults = sim.faults();
    faults.hold_gateway(true);
    assert!(faults.drop_connection(0).await, "shard 0 was connected");
    assert!(!sim.shard_stats(0).connected);
    for i in 0..3 {
        sim.send_message(demo.bob, demo.general, &format!("missed {i}"))
            .await;
    }
    faults.hold_gateway(false);
    let replayed = collect_messages(&mut shard, 3).await;
    assert_eq!(replayed, ["missed 0", "missed 1", "missed 2"]);
    sim.send_message(demo.alice, demo.general, "after").await;
    assert_eq!(collect_messages(&mut shard, 1).await, ["after"]);

    let stats = sim.shard_stats(0);
    assert_eq!((stats.identifies, stats.resumes), (1, 1), "{stats:?}");
    sim.assert_no_violations();
}

#[tokio::test]
async fn op7_reconnect_resumes_and_op9_forces_a_new_identify() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo world");
    let mut shard = shard(&sim);
    ready(&mut shard).await;

    assert!(sim.faults().send_reconnect(0));
    next_matching(&mut shard, |e| matches!(e, Event::Resumed).then_some(())).await;
    assert_eq!(sim.shard_stats(0).resumes, 1);
    sim.send_message(demo.bob, demo.general, "after op 7").await;
    assert_eq!(collect_messages(&mut shard, 1).await, ["after op 7"]);

    // Resumable op 9: the shard resumes again.
    assert!(sim.faults().send_invalid_session(0, true));
    next_matching(&mut shard, |e| matches!(e, Event::Resumed).then_some(())).await;
    assert_eq!(sim.shard_stats(0).resumes, 2);

    // Non-resumable op 9: the session is gone, the shard identifies again and gets READY.
    assert!(sim.faults().send_invalid_session(0, false));
    ready(&mut shard).await;
    let stats = sim.shard_stats(0);
    assert_eq!((stats.identifies, stats.resumes), (2, 2), "{stats:?}");

    // Close 4000 (resumable) → RESUME.
    assert!(sim.faults().close_connection(0, 4000).await);
    next_matching(&mut shard, |e| matches!(e, Event::Resumed).then_some(())).await;
    assert_eq!(sim.shard_stats(0).resumes, 3);
}

#[tokio::test]
async fn each_shard_receives_its_own_guilds() {
    let mut world = World::demo();
    let owner = world.owner_id();
    for i in 0..5 {
        world.add_guild(&format!("extra {i}"), owner);
    }
    let shards = 3u32;
    let sim = sim_with(world, shards).await;
    let mut expected: Vec<Vec<u64>> = vec![Vec::new(); shards as usize];
    for g in sim.world().guild_ids() {
        expected[((g.get() >> 22) % u64::from(shards)) as usize].push(g.get());
    }
    assert!(
        expected.iter().filter(|e| !e.is_empty()).count() >= 2,
        "guilds spread over shards"
    );
    for id in 0..shards {
        let mut shard = shard_with(&sim, sim.token(), ShardId::new(id, shards), intents_all());
        let ready = ready(&mut shard).await;
        let mut got: Vec<u64> = ready.guilds.iter().map(|g| g.id.get()).collect();
        got.sort_unstable();
        assert_eq!(got, expected[id as usize], "shard {id}");
    }
}

#[tokio::test]
async fn intents_filter_events_and_message_content() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo world");
    // No MESSAGE_CONTENT and no GUILD_MEMBERS.
    let intents = Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::GUILD_VOICE_STATES;
    let mut shard = shard_with(&sim, sim.token(), ShardId::ONE, intents);
    ready(&mut shard).await;
    sim.member_join(demo.guild, "dave").await;
    sim.send_message(demo.bob, demo.general, "secret").await;
    sim.send_message(demo.bob, demo.general, &format!("<@{}> hi", demo.bot))
        .await;
    let first = next_matching(&mut shard, |e| match e {
        Event::MemberAdd(_) => Some(None),
        Event::MessageCreate(m) => Some(Some(m.content.clone())),
        _ => None,
    })
    .await;
    assert_eq!(
        first,
        Some(String::new()),
        "member add filtered, content stripped"
    );
    let second = next_matching(&mut shard, |e| match e {
        Event::MessageCreate(m) => Some(m.content.clone()),
        _ => None,
    })
    .await;
    assert!(
        second.contains("hi"),
        "mentions of the bot keep their content"
    );
    sim.join_voice(demo.carol, demo.lounge).await;
    let vs = next_matching(&mut shard, |e| match e {
        Event::VoiceStateUpdate(v) => Some(v),
        _ => None,
    })
    .await;
    assert_eq!(vs.channel_id, Some(demo.lounge));
}
