//! Scripted users: components, modals, autocomplete, reactions, voice and membership, with the
//! bot side played by twilight-http.

mod common;

use common::*;
use serde_json::json;
use twilight_gateway::Event;
use twilight_model::application::command::Command;
use twilight_model::application::interaction::InteractionData;
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};

fn ticket_command() -> Command {
    serde_json::from_value(json!({
        "type": 1, "name": "ticket", "description": "Open a ticket", "version": "1",
        "options": [{ "type": 3, "name": "topic", "description": "Topic", "autocomplete": true }]
    }))
    .expect("command")
}

fn respond(kind: InteractionResponseType, data: serde_json::Value) -> InteractionResponse {
    InteractionResponse {
        kind,
        data: Some(serde_json::from_value::<InteractionResponseData>(data).expect("response data")),
    }
}

#[tokio::test]
async fn buttons_selects_modals_and_autocomplete() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    let client = http.interaction(sim.world().application_id());
    client
        .set_guild_commands(demo.guild, &[ticket_command()])
        .await
        .expect("register");
    let mut shard = shard(&sim);
    ready(&mut shard).await;

    // Autocomplete.
    let auto = sim
        .autocomplete(
            demo.bob,
            demo.general,
            "ticket",
            json!([{ "name": "topic", "value": "bi", "focused": true }]),
        )
        .await;
    let i = next_matching(&mut shard, |e| match e {
        Event::InteractionCreate(i) => Some(i),
        _ => None,
    })
    .await;
    client
        .create_response(
            i.id,
            &i.token,
            &respond(
                InteractionResponseType::ApplicationCommandAutocompleteResult,
                json!({ "choices": [{ "name": "billing", "value": "billing" }] }),
            ),
        )
        .await
        .expect("autocomplete result");
    let outcome = auto.response(TIMEOUT).await.expect("choices");
    assert_eq!(outcome.callback_type, 8);
    assert_eq!(
        outcome.data.expect("data")["choices"][0]["value"],
        "billing"
    );

    // Slash command answered with a button and a select menu.
    let cmd = sim
        .run_slash_command(
            demo.bob,
            demo.general,
            "ticket",
            json!([{ "name": "topic", "value": "billing" }]),
        )
        .await;
    let i = next_matching(&mut shard, |e| match e {
        Event::InteractionCreate(i) => Some(i),
        _ => None,
    })
    .await;
    let components = json!({ "content": "Open a ticket?", "components": [
        { "type": 1, "components": [{ "type": 2, "style": 1, "label": "Open", "custom_id": "ticket:open" }] },
        { "type": 1, "components": [{ "type": 3, "custom_id": "ticket:prio", "options": [
            { "label": "Low", "value": "low" }, { "label": "High", "value": "high" } ] }] }
    ]});
    client
        .create_response(
            i.id,
            &i.token,
            &respond(
                InteractionResponseType::ChannelMessageWithSource,
                components,
            ),
        )
        .await
        .expect("reply");
    let reply = cmd
        .response(TIMEOUT)
        .await
        .expect("reply")
        .message
        .expect("message");

    // Select menu.
    let select = sim
        .select_menu(demo.bob, reply.id, "ticket:prio", &["high"])
        .await;
    let i = next_matching(&mut shard, |e| match e {
        Event::InteractionCreate(i) => Some(i),
        _ => None,
    })
    .await;
    let Some(InteractionData::MessageComponent(data)) = &i.data else {
        panic!("component data")
    };
    assert_eq!(
        (data.custom_id.as_str(), data.values.as_slice()),
        ("ticket:prio", ["high".to_owned()].as_slice())
    );
    client
        .create_response(
            i.id,
            &i.token,
            &InteractionResponse {
                kind: InteractionResponseType::DeferredUpdateMessage,
                data: None,
            },
        )
        .await
        .expect("ack");
    assert_eq!(
        select.response(TIMEOUT).await.expect("ack").callback_type,
        6
    );

    // Button → modal → submit → update the original message.
    let click = cmd.click_button("ticket:open").await;
    let i = next_matching(&mut shard, |e| match e {
        Event::InteractionCreate(i) => Some(i),
        _ => None,
    })
    .await;
    let modal = json!({ "custom_id": "ticket:form", "title": "New ticket", "components": [
        { "type": 1, "components": [{ "type": 4, "custom_id": "reason", "label": "Reason", "style": 2 }] }
    ]});
    client
        .create_response(
            i.id,
            &i.token,
            &respond(InteractionResponseType::Modal, modal),
        )
        .await
        .expect("modal");
    click.response(TIMEOUT).await.expect("modal shown");
    let submit = click
        .submit_modal(&[("reason", "I was billed twice")])
        .await;
    let i = next_matching(&mut shard, |e| match e {
        Event::InteractionCreate(i) => Some(i),
        _ => None,
    })
    .await;
    let Some(InteractionData::ModalSubmit(form)) = &i.data else {
        panic!("modal data")
    };
    assert_eq!(form.custom_id, "ticket:form");
    assert!(format!("{:?}", form.components).contains("I was billed twice"));
    let ack = respond(
        InteractionResponseType::ChannelMessageWithSource,
        json!({ "content": "Ticket opened", "flags": 64 }),
    );
    client
        .create_response(i.id, &i.token, &ack)
        .await
        .expect("ephemeral ack");
    let outcome = submit.response(TIMEOUT).await.expect("acked");
    assert!(outcome.is_ephemeral());
    assert!(
        sim.world()
            .messages(demo.general)
            .iter()
            .all(|m| m.content != "Ticket opened"),
        "ephemeral replies are not in the channel"
    );
    sim.assert_no_violations();
}

#[tokio::test]
async fn reactions_voice_and_membership_reach_the_bot() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let mut shard = shard(&sim);
    ready(&mut shard).await;
    let message = sim
        .send_message(demo.alice, demo.general, "react for roles")
        .await;
    sim.add_reaction(demo.bob, message, "🎮").await;
    let add = next_matching(&mut shard, |e| match e {
        Event::ReactionAdd(r) => Some(r),
        _ => None,
    })
    .await;
    assert_eq!((add.user_id, add.message_id), (demo.bob, message));
    assert!(add.member.is_some());
    sim.remove_reaction(demo.bob, message, "🎮").await;
    next_matching(&mut shard, |e| {
        matches!(e, Event::ReactionRemove(_)).then_some(())
    })
    .await;

    sim.join_voice(demo.carol, demo.lounge).await;
    let vs = next_matching(&mut shard, |e| match e {
        Event::VoiceStateUpdate(v) => Some(v),
        _ => None,
    })
    .await;
    assert_eq!(vs.channel_id, Some(demo.lounge));
    sim.leave_voice(demo.carol, demo.guild).await;
    let vs = next_matching(&mut shard, |e| match e {
        Event::VoiceStateUpdate(v) => Some(v),
        _ => None,
    })
    .await;
    assert_eq!(vs.channel_id, None);

    let dave = sim.member_join(demo.guild, "dave").await;
    let joined = next_matching(&mut shard, |e| match e {
        Event::MemberAdd(m) => Some(m),
        _ => None,
    })
    .await;
    assert_eq!((joined.guild_id, joined.user.id), (demo.guild, dave));
    sim.member_leave(demo.guild, dave).await;
    let left = next_matching(&mut shard, |e| match e {
        Event::MemberRemove(m) => Some(m),
        _ => None,
    })
    .await;
    assert_eq!(left.user.id, dave);

    sim.send_dm(demo.bob, "hello bot").await;
    let dm = next_matching(&mut shard, |e| match e {
        Event::MessageCreate(m) => Some(m),
        _ => None,
    })
    .await;
    assert_eq!((dm.guild_id, dm.content.as_str()), (None, "hello bot"));
}

#[tokio::test]
async fn update_message_callback_and_the_observer_feed() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    let client = http.interaction(sim.world().application_id());
    let mut feed = sim.observe();
    let panel = http
        .create_message(demo.general)
        .content("Pick a role")
        .components(&[serde_json::from_value(json!({ "type": 1, "components": [{ "type": 2, "style": 1, "label": "Gamer", "custom_id": "role:gamer" }] })).expect("row")])
        .await
        .expect("panel")
        .model()
        .await
        .expect("model");
    let observed = feed.recv().await.expect("observed");
    assert_eq!(
        (observed.name, observed.data["id"].as_str()),
        ("MESSAGE_CREATE", Some(panel.id.to_string().as_str()))
    );

    let click = sim.click_button(demo.bob, panel.id, "role:gamer").await;
    let update = respond(
        InteractionResponseType::UpdateMessage,
        json!({ "content": "Role given", "components": [] }),
    );
    client
        .create_response(click.id(), &click.token(), &update)
        .await
        .expect("update message");
    let outcome = click.response(TIMEOUT).await.expect("answered");
    assert_eq!(outcome.callback_type, 7);
    assert_eq!(
        outcome.message.map(|m| m.content),
        Some("Role given".to_owned())
    );
    assert!(
        sim.try_click_button(demo.bob, panel.id, "role:gamer")
            .is_err(),
        "the button is gone"
    );
    sim.assert_no_violations();
}
