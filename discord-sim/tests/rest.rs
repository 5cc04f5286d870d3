//! The simulator's REST API through the real twilight-http client, plus raw requests for what
//! twilight would refuse to send.

mod common;

use common::*;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use twilight_gateway::Event;
use twilight_http::request::channel::reaction::RequestReactionType;
use twilight_http::request::AuditLogReason as _;
use twilight_model::application::command::Command;
use twilight_model::application::interaction::InteractionData;
use twilight_model::http::attachment::Attachment;
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};
use twilight_model::util::Timestamp;

fn ping_command() -> Command {
    serde_json::from_value(json!({
        "type": 1,
        "name": "ping",
        "description": "Replies with pong",
        "version": "1",
        "options": [
            { "type": 4, "name": "times", "description": "How often", "required": true },
            { "type": 6, "name": "target", "description": "Who" }
        ]
    }))
    .expect("command")
}

fn api_status(e: &twilight_http::Error) -> Option<(u16, u64)> {
    match e.kind() {
        twilight_http::error::ErrorType::Response { status, error, .. } => match error {
            twilight_http::api_error::ApiError::General(g) => Some((status.get(), g.code)),
            _ => Some((status.get(), 0)),
        },
        _ => None,
    }
}

#[tokio::test]
async fn message_sent_over_http_is_stored_and_dispatched() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    let mut shard = shard(&sim);
    ready(&mut shard).await;

    let sent = http
        .create_message(demo.general)
        .content("hello world")
        .await
        .expect("sent")
        .model()
        .await
        .expect("message model");
    assert_eq!(sent.content, "hello world");
    assert_eq!(sent.author.id, demo.bot);
    let stored = sim.world().last_message(demo.general).expect("stored");
    assert_eq!(stored.id, sent.id);
    let event = next_matching(&mut shard, |e| match e {
        Event::MessageCreate(m) => Some(m),
        _ => None,
    })
    .await;
    assert_eq!(event.id, sent.id);
    assert_eq!(event.guild_id, Some(demo.guild));

    let fetched = http
        .message(demo.general, sent.id)
        .await
        .expect("get")
        .model()
        .await
        .expect("model");
    assert_eq!(fetched.content, "hello world");
    http.update_message(demo.general, sent.id)
        .content(Some("edited"))
        .await
        .expect("edit");
    assert_eq!(
        sim.world().find_message(sent.id).expect("exists").content,
        "edited"
    );
    http.create_reaction(
        demo.general,
        sent.id,
        &RequestReactionType::Unicode { name: "👍" },
    )
    .await
    .expect("react");
    let reaction = next_matching(&mut shard, |e| match e {
        Event::ReactionAdd(r) => Some(r),
        _ => None,
    })
    .await;
    assert_eq!(reaction.user_id, demo.bot);
    http.delete_message(demo.general, sent.id)
        .await
        .expect("delete");
    assert!(sim.world().find_message(sent.id).is_none());
    sim.assert_no_violations();
}

#[tokio::test]
async fn slash_command_round_trip_through_the_interaction_client() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    let app = sim.world().application_id();
    let client = http.interaction(app);
    client
        .set_global_commands(&[ping_command()])
        .await
        .expect("register");
    let mut shard = shard(&sim);
    ready(&mut shard).await;

    let handle = sim
        .run_slash_command(demo.bob, demo.general, "ping", json!([{ "name": "times", "value": 3 }, { "name": "target", "value": demo.carol.to_string() }]))
        .await;
    let interaction = next_matching(&mut shard, |e| match e {
        Event::InteractionCreate(i) => Some(i),
        _ => None,
    })
    .await;
    assert_eq!(interaction.id, handle.id());
    let Some(InteractionData::ApplicationCommand(data)) = &interaction.data else {
        panic!("command data")
    };
    assert_eq!(data.name, "ping");
    assert_eq!(data.options.len(), 2);
    let resolved = data.resolved.as_ref().expect("resolved");
    assert!(resolved.users.contains_key(&demo.carol));
    assert!(resolved.members.contains_key(&demo.carol));
    assert_eq!(interaction.author_id(), Some(demo.bob));

    let response = InteractionResponse {
        kind: InteractionResponseType::ChannelMessageWithSource,
        data: Some(InteractionResponseData {
            content: Some("pong x3".into()),
            ..Default::default()
        }),
    };
    client
        .create_response(interaction.id, &interaction.token, &response)
        .await
        .expect("callback");
    let outcome = handle.response(TIMEOUT).await.expect("answered");
    assert_eq!(outcome.callback_type, 4);
    assert_eq!(outcome.content().as_deref(), Some("pong x3"));

    client
        .update_response(&interaction.token)
        .content(Some("pong (edited)"))
        .await
        .expect("edit original");
    client
        .create_followup(&interaction.token)
        .content("follow-up")
        .await
        .expect("followup");
    let followup = handle
        .followup(0, TIMEOUT)
        .await
        .expect("followup recorded");
    assert_eq!(followup.content, "follow-up");
    assert_eq!(
        handle.snapshot().expect("outcome").content().as_deref(),
        Some("pong (edited)")
    );

    // Answering twice is a client bug Discord rejects.
    let again = client
        .create_response(interaction.id, &interaction.token, &response)
        .await
        .expect_err("second callback fails");
    assert_eq!(api_status(&again), Some((400, 40060)));
    assert!(
        sim.requests().iter().all(|r| r.status != 401),
        "no 401 for token routes"
    );
    assert_eq!(
        sim.violations().len(),
        1,
        "the double acknowledge is recorded"
    );
}

#[tokio::test]
async fn deferred_response_is_replaced_by_the_first_followup() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    let client = http.interaction(sim.world().application_id());
    client
        .set_global_commands(&[ping_command()])
        .await
        .expect("register");
    let handle = sim
        .run_slash_command(
            demo.bob,
            demo.general,
            "ping",
            json!([{ "name": "times", "value": 1 }]),
        )
        .await;
    let token = handle.token();
    let defer = InteractionResponse {
        kind: InteractionResponseType::DeferredChannelMessageWithSource,
        data: None,
    };
    client
        .create_response(handle.id(), &token, &defer)
        .await
        .expect("defer");
    assert_eq!(
        handle
            .response(TIMEOUT)
            .await
            .expect("deferred")
            .callback_type,
        5
    );
    client
        .create_followup(&token)
        .content("done")
        .await
        .expect("followup");
    let outcome = handle
        .wait_until(TIMEOUT, |o| {
            o.message.as_ref().is_some_and(|m| m.content == "done")
        })
        .await;
    assert!(outcome.is_some(), "the loading message now says done");
    sim.assert_no_violations();
}

#[tokio::test]
async fn rate_limit_with_retry_after_is_waited_out_by_twilight() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    let retry_after = Duration::from_secs(1);
    sim.faults()
        .rate_limit(1, Some("POST /channels/{channel_id}/messages"), retry_after);
    let started = Instant::now();
    http.create_message(demo.general)
        .content("eventually")
        .await
        .expect("succeeds after retry");
    let elapsed = started.elapsed();
    assert!(elapsed >= retry_after, "waited {elapsed:?}");
    let calls: Vec<u16> = sim
        .requests_matching("POST /channels/{channel_id}/messages")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(calls, [429, 200]);
    assert_eq!(
        sim.world()
            .last_message(demo.general)
            .expect("posted")
            .content,
        "eventually"
    );

    sim.faults().server_error(1, Some("/users/@me"), 500);
    let err = http.current_user().await.expect_err("500");
    assert_eq!(api_status(&err).map(|s| s.0), Some(500));
    sim.assert_no_violations();
}

/// Sends a raw HTTP/1.1 request and returns (status, body).
async fn raw(
    sim: &discord_sim::Simulator,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, serde_json::Value) {
    let mut stream = tokio::net::TcpStream::connect(sim.rest_addr())
        .await
        .expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: sim\r\nAuthorization: Bot {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        sim.token(),
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let status = response[9..12].parse().expect("status");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    (
        status,
        serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn invalid_requests_are_violations_answered_like_discord() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let path = format!("/api/v10/channels/{}/messages", demo.general);

    let too_long = json!({ "content": "x".repeat(2001) }).to_string();
    let (status, body) = raw(&sim, "POST", &path, &too_long).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], 50035);
    assert_eq!(
        body["errors"]["content"]["_errors"][0]["code"],
        "BASE_TYPE_MAX_LENGTH"
    );

    let (status, body) = raw(&sim, "POST", &path, r#"{"content": 5}"#).await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50035)));
    assert!(body["errors"]["content"].is_object(), "{body}");

    let (status, _) = raw(&sim, "GET", "/api/v10/channels/1/not-a-route", "").await;
    assert_eq!(status, 404);

    assert!(
        sim.world().messages(demo.general).is_empty(),
        "nothing was posted"
    );
    let violations = sim.violations();
    assert_eq!(violations.len(), 3, "{violations:#?}");
    assert!(violations[0].reason.contains("content"));
    let panicked =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sim.assert_no_violations()));
    let message = panicked.expect_err("assert_no_violations must panic");
    let text = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(text.contains("3 request(s)"), "{text}");
}

#[tokio::test]
async fn permissions_and_role_hierarchy_are_enforced() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    let mut shard = shard(&sim);
    ready(&mut shard).await;

    // alice is an Admin, above the bot's role.
    let err = http
        .remove_guild_member(demo.guild, demo.alice)
        .await
        .expect_err("cannot kick admin");
    assert_eq!(api_status(&err), Some((403, 50013)));
    let err = http
        .add_guild_member_role(demo.guild, demo.bob, demo.admin_role)
        .await
        .expect_err("cannot grant a higher role");
    assert_eq!(api_status(&err), Some((403, 50013)));
    let err = http
        .guild_member(demo.guild, twilight_model::id::Id::new(12345))
        .await
        .expect_err("unknown member");
    assert_eq!(api_status(&err), Some((404, 10007)));

    http.add_guild_member_role(demo.guild, demo.bob, demo.moderator_role)
        .await
        .expect("grant moderator");
    let update = next_matching(&mut shard, |e| match e {
        Event::MemberUpdate(m) => Some(m),
        _ => None,
    })
    .await;
    assert!(update.roles.contains(&demo.moderator_role));

    let until = Timestamp::from_secs(
        Timestamp::parse("2030-01-01T00:00:00+00:00")
            .expect("ts")
            .as_secs(),
    )
    .expect("ts");
    // twilight-validate refuses this locally; the sim's own 28-day rule is checked raw below.
    http.update_guild_member(demo.guild, demo.carol)
        .communication_disabled_until(Some(until))
        .await
        .expect_err("more than 28 days");
    let path = format!("/api/v10/guilds/{}/members/{}", demo.guild, demo.carol);
    let (status, body) = raw(
        &sim,
        "PATCH",
        &path,
        r#"{"communication_disabled_until":"2030-01-01T00:00:00+00:00"}"#,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50035)));
    let soon = Timestamp::from_secs(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("now")
            .as_secs() as i64
            + 600,
    )
    .expect("ts");
    http.update_guild_member(demo.guild, demo.carol)
        .communication_disabled_until(Some(soon))
        .await
        .expect("timeout carol");
    let carol = sim
        .world()
        .find_member(demo.guild, demo.carol)
        .expect("member");
    assert!(carol.communication_disabled_until.is_some());

    http.create_ban(demo.guild, demo.carol)
        .delete_message_seconds(3600)
        .reason("spam")
        .await
        .expect("ban");
    let bans = sim.world().bans(demo.guild);
    assert_eq!(bans, vec![(demo.carol, Some("spam".to_owned()), 3600)]);
    assert!(sim.world().find_member(demo.guild, demo.carol).is_none());
    next_matching(&mut shard, |e| matches!(e, Event::BanAdd(_)).then_some(())).await;
    // The only violation: the raw over-long timeout.
    assert_eq!(sim.violations().len(), 1, "{:#?}", sim.violations());
}

#[tokio::test]
async fn twilight_models_deserialize_every_read_endpoint() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    let guild = http
        .guild(demo.guild)
        .await
        .expect("guild")
        .model()
        .await
        .expect("guild model");
    assert_eq!(guild.name, "Arsenal Sandbox");
    let roles = http
        .roles(demo.guild)
        .await
        .expect("roles")
        .model()
        .await
        .expect("roles model");
    assert_eq!(roles.len(), 5);
    let channels = http
        .guild_channels(demo.guild)
        .await
        .expect("channels")
        .model()
        .await
        .expect("channels model");
    assert_eq!(channels.len(), 5);
    let member = http
        .guild_member(demo.guild, demo.bob)
        .await
        .expect("member")
        .model()
        .await
        .expect("member model");
    assert_eq!(member.user.name, "bob");
    let me = http
        .current_user()
        .await
        .expect("me")
        .model()
        .await
        .expect("user model");
    assert_eq!(me.id, demo.bot);
    let app = http
        .current_user_application()
        .await
        .expect("app")
        .model()
        .await
        .expect("app model");
    assert_eq!(app.owner.as_ref().map(|o| o.id), Some(demo.owner));
    let gateway = http
        .gateway()
        .authed()
        .await
        .expect("gateway")
        .model()
        .await
        .expect("gateway model");
    assert_eq!(gateway.url, sim.gateway_url());
    let channel = http
        .channel(demo.logs)
        .await
        .expect("channel")
        .model()
        .await
        .expect("channel model");
    assert_eq!(channel.permission_overwrites.map(|o| o.len()), Some(3));
    let dm = http
        .create_private_channel(demo.bob)
        .await
        .expect("dm")
        .model()
        .await
        .expect("dm model");
    http.create_message(dm.id)
        .content("hi bob")
        .await
        .expect("dm sent");
    assert_eq!(sim.world().dms_to(demo.bob).len(), 1);
    let members = http
        .guild_members(demo.guild)
        .limit(100)
        .await
        .expect("members")
        .models()
        .await
        .expect("members model");
    assert_eq!(members.len(), 5);
    sim.assert_no_violations();
}

#[tokio::test]
async fn transcripts_upload_as_multipart_and_commands_count_writes() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    let transcript = b"alice: help\nbot: ticket closed\n".to_vec();
    let files = [Attachment::from_bytes(
        "transcript.txt".into(),
        transcript.clone(),
        1,
    )];
    let sent = http
        .create_message(demo.logs)
        .content("Ticket transcript")
        .attachments(&files)
        .await
        .expect("upload")
        .model()
        .await
        .expect("model");
    assert_eq!(sent.attachments.len(), 1);
    assert_eq!(
        sim.world().attachment_bytes(sent.id, "transcript.txt"),
        Some(transcript)
    );
    let recorded = sim.requests_matching("POST /channels/{channel_id}/messages");
    assert_eq!(recorded[0].files, ["transcript.txt"]);

    let client = http.interaction(sim.world().application_id());
    client
        .set_global_commands(&[ping_command()])
        .await
        .expect("sync 1");
    client
        .set_global_commands(&[ping_command()])
        .await
        .expect("sync 2");
    let stats = sim.world().command_stats(None);
    assert_eq!((stats.overwrites, stats.new_commands), (2, 1));
    let listed = client
        .global_commands()
        .await
        .expect("list")
        .models()
        .await
        .expect("commands model");
    assert_eq!(listed.len(), 1);
    client
        .set_guild_commands(demo.guild, &[])
        .await
        .expect("clear guild");
    assert!(sim.world().guild_commands(demo.guild).is_empty());
    sim.assert_no_violations();
}

#[tokio::test]
async fn malformed_requests_get_discord_errors_and_never_break_the_server() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let path = format!("/api/v10/channels/{}/messages", demo.general);
    let (status, body) = raw(&sim, "POST", &path, "{not json").await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50109)));
    let (status, _) = raw(
        &sim,
        "POST",
        "/api/v10/channels/not-a-snowflake/messages",
        r#"{"content":"x"}"#,
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = raw(&sim, "PUT", "/api/v10/users/@me", "").await;
    assert_eq!(status, 405);
    let (status, _) = raw(
        &sim,
        "GET",
        &format!("/api/v10/channels/{}/messages?limit=1000", demo.general),
        "",
    )
    .await;
    assert_eq!(status, 400, "limit is at most 100");
    // The server still answers normally afterwards, and a delayed request still succeeds.
    sim.faults()
        .delay(1, Some("GET /users/@me"), Duration::from_millis(200));
    let started = Instant::now();
    http(&sim).current_user().await.expect("still serving");
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(sim.violations().len(), 4, "{:#?}", sim.violations());
}
