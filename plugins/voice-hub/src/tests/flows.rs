//! Rooms' lives: made from a hub and the member moved in, counted as members come and go,
//! deleted after the delay once empty (a return cancels it), a failed move undone and said, and
//! hubs' set-up refusals.

use std::time::Duration;

use arsenal_plugin_api::{
    protocol::{ArgValue, DiscordError, DiscordRequest},
    testing::GUILD_ID,
};

use super::*;

#[test]
fn joining_a_hub_makes_a_room_moves_the_member_and_posts_the_panel() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    join(&mut harness, BOB, HUB);
    let requests = harness.discord_requests();
    let created = requests.iter().find_map(|r| match r {
        DiscordRequest::CreateVoiceChannel {
            guild_id,
            name,
            parent_id,
            user_limit,
            permission_overwrites,
        } => Some((
            *guild_id,
            name.clone(),
            *parent_id,
            *user_limit,
            permission_overwrites.len(),
        )),
        _ => None,
    });
    // Named from the template with his nickname, in the hub's category, public.
    assert_eq!(
        created,
        Some((GUILD_ID, "🔊 Bob".to_owned(), Some(CATEGORY), 0, 0))
    );
    assert!(requests.contains(&DiscordRequest::MoveMember {
        guild_id: GUILD_ID,
        user_id: BOB,
        channel_id: Some(FIRST_ROOM),
    }));
    // The panel goes to the room's own text chat, with its buttons.
    let panel = requests.iter().find_map(|r| match r {
        DiscordRequest::SendMessage {
            channel_id,
            message,
        } if *channel_id == FIRST_ROOM => Some(serde_json::to_string(&message.components).unwrap()),
        _ => None,
    });
    let panel = panel.expect("the panel is posted in the room");
    assert!(panel.contains(&format!("lock:{FIRST_ROOM}")), "{panel}");
    assert!(panel.contains(&format!("kick:{FIRST_ROOM}")), "{panel}");
    let stored = room(&harness, FIRST_ROOM).expect("the room is recorded");
    assert_eq!(stored["owner"], json!(BOB.to_string()));
    assert_eq!(stored["panel_message"], json!("1002"));
    // Until his move arrives the room counts as empty, its deletion pending.
    let timer = format!("delete:{GUILD_ID}:{FIRST_ROOM}");
    assert!(timer_pending(&harness, &timer).is_some());
    join(&mut harness, BOB, FIRST_ROOM);
    assert_eq!(timer_pending(&harness, &timer), None);
    assert_eq!(
        room(&harness, FIRST_ROOM).unwrap()["occupants"],
        json!([BOB.to_string()])
    );
}

#[test]
fn an_empty_room_is_deleted_after_its_delay_and_a_return_cancels_it() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    join(&mut harness, CAROL, FIRST_ROOM);
    leave(&mut harness, BOB);
    let timer = format!("delete:{GUILD_ID}:{FIRST_ROOM}");
    assert_eq!(
        timer_pending(&harness, &timer),
        None,
        "carol is still there"
    );
    leave(&mut harness, CAROL);
    let due = timer_pending(&harness, &timer).expect("empty: deletion scheduled");
    assert_eq!(due, harness.now() + 10_000);
    // Carol comes back within the delay: nothing is deleted.
    harness.advance(Duration::from_secs(5));
    join(&mut harness, CAROL, FIRST_ROOM);
    assert_eq!(timer_pending(&harness, &timer), None);
    harness.advance(Duration::from_secs(60));
    assert!(harness.fire_due_timers().unwrap().is_empty());
    assert!(!deleted(&harness, FIRST_ROOM));
    // She goes to another channel (not a room): the room empties and goes after the delay.
    join(&mut harness, CAROL, Id::new(600));
    harness.advance(Duration::from_secs(10));
    assert_eq!(harness.fire_due_timers().unwrap(), vec![timer]);
    assert!(deleted(&harness, FIRST_ROOM));
    assert_eq!(room(&harness, FIRST_ROOM), None);
    assert_eq!(harness.stored(&format!("at:{GUILD_ID}:{CAROL}")), None);
}

fn deleted(harness: &TestHarness<VoiceHub>, channel: Id<ChannelMarker>) -> bool {
    harness.discord_requests().iter().any(
        |r| matches!(r, DiscordRequest::DeleteChannel { channel_id, .. } if *channel_id == channel),
    )
}

fn creations(harness: &TestHarness<VoiceHub>) -> usize {
    harness
        .discord_requests()
        .iter()
        .filter(|r| matches!(r, DiscordRequest::CreateVoiceChannel { .. }))
        .count()
}

#[test]
fn an_owner_joining_the_hub_again_is_taken_back_to_their_room() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    join(&mut harness, BOB, HUB);
    assert_eq!(creations(&harness), 1);
    let moves = harness
        .discord_requests()
        .iter()
        .filter(|r| {
            **r == DiscordRequest::MoveMember {
                guild_id: GUILD_ID,
                user_id: BOB,
                channel_id: Some(FIRST_ROOM),
            }
        })
        .count();
    assert_eq!(moves, 2);
}

#[test]
fn a_refused_move_removes_the_room_and_says_what_the_bot_needs() {
    let (mut harness, fake) = start();
    set_up(&mut harness);
    fake.fail(
        "MoveMember",
        DiscordError::new(403, Some(50013), "Missing Permissions"),
    );
    join(&mut harness, BOB, HUB);
    assert!(deleted(&harness, FIRST_ROOM));
    assert_eq!(room(&harness, FIRST_ROOM), None);
    let note = harness
        .discord_requests()
        .into_iter()
        .find_map(|r| match r {
            DiscordRequest::SendMessage {
                channel_id,
                message,
            } if channel_id == HUB => message.content,
            _ => None,
        });
    let note = note.expect("the member is told in the hub's chat");
    assert!(
        note.contains(&format!("<@{BOB}>")) && note.contains("Move Members"),
        "{note}"
    );
}

#[test]
fn a_member_who_left_voice_before_the_move_leaves_no_room_behind() {
    let (mut harness, fake) = start();
    set_up(&mut harness);
    fake.fail(
        "MoveMember",
        DiscordError::new(400, Some(40032), "Target user is not connected to voice."),
    );
    join(&mut harness, BOB, HUB);
    // No note, the room waits for its delay and goes.
    assert!(!deleted(&harness, FIRST_ROOM));
    harness.advance(Duration::from_secs(10));
    harness.fire_due_timers().unwrap();
    assert!(deleted(&harness, FIRST_ROOM));
}

#[test]
fn hub_settings_are_checked_and_listed() {
    let (mut harness, fake) = start();
    set_up(&mut harness);
    let answer = run(
        &mut harness,
        who(DAVE, true),
        "hub",
        vec![
            arg("channel", ArgValue::Channel(HUB)),
            arg("name", ArgValue::String("Chez {user}".into())),
            arg("limit", ArgValue::Integer(5)),
        ],
    );
    assert!(is_ephemeral(&answer));
    let listed = said(&run(&mut harness, who(DAVE, true), "hubs", vec![]));
    assert!(
        listed.contains(&format!("<#{HUB}>"))
            && listed.contains("Chez {user}")
            && listed.contains("limit 5")
            && listed.contains("10 s"),
        "{listed}"
    );
    join(&mut harness, CAROL, HUB);
    assert!(harness.discord_requests().iter().any(|r| matches!(
        r,
        DiscordRequest::CreateVoiceChannel { name, user_limit: 5, .. } if name == "Chez user30"
    )));
    // A delay out of range (a prefix command is not bounded by Discord).
    let answer = run(
        &mut harness,
        who(DAVE, true),
        "hub",
        vec![
            arg("channel", ArgValue::Channel(HUB)),
            arg("delay", ArgValue::Integer(0)),
        ],
    );
    assert!(is_ephemeral(&answer));
    // A room cannot become a hub.
    let answer = run(
        &mut harness,
        who(DAVE, true),
        "hub",
        vec![arg("channel", ArgValue::Channel(FIRST_ROOM))],
    );
    assert!(
        said(&answer).contains("temporary room"),
        "{}",
        said(&answer)
    );
    // Discord cannot read the channel: said, nothing saved.
    fake.fail(
        "GetChannel",
        DiscordError::new(404, Some(10003), "Unknown Channel"),
    );
    let other = Id::new(777);
    let answer = run(
        &mut harness,
        who(DAVE, true),
        "hub",
        vec![arg("channel", ArgValue::Channel(other))],
    );
    assert!(
        said(&answer).contains("Unknown Channel"),
        "{}",
        said(&answer)
    );
    assert_eq!(harness.stored(&format!("hub:{GUILD_ID}:{other}")), None);
    // Removing.
    let answer = run(
        &mut harness,
        who(DAVE, true),
        "hub-remove",
        vec![arg("channel", ArgValue::Channel(HUB))],
    );
    assert!(
        said(&answer).contains("no longer a hub"),
        "{}",
        said(&answer)
    );
    assert!(said(&run(&mut harness, who(DAVE, true), "hubs", vec![])).contains("no hub yet"));
}

#[test]
fn voice_in_another_server_never_reaches_this_ones_rooms() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    let other = Id::new(77);
    // The same channel id under another guild is no room and no hub there.
    voice(&mut harness, other, CAROL, Some(HUB));
    voice(&mut harness, other, CAROL, Some(FIRST_ROOM));
    assert_eq!(creations(&harness), 1);
    assert_eq!(
        room(&harness, FIRST_ROOM).unwrap()["occupants"],
        json!([BOB.to_string()])
    );
    voice(&mut harness, other, BOB, None);
    assert_eq!(
        room(&harness, FIRST_ROOM).unwrap()["occupants"],
        json!([BOB.to_string()])
    );
}

#[test]
fn a_refused_creation_is_said_in_the_hubs_chat_and_leaves_nothing() {
    let (mut harness, fake) = start();
    set_up(&mut harness);
    fake.fail(
        "CreateVoiceChannel",
        DiscordError::new(403, Some(50013), "Missing Permissions"),
    );
    join(&mut harness, BOB, HUB);
    let note = harness
        .discord_requests()
        .into_iter()
        .find_map(|r| match r {
            DiscordRequest::SendMessage {
                channel_id,
                message,
            } if channel_id == HUB => message.content,
            _ => None,
        });
    let note = note.expect("the member is told in the hub's chat");
    assert!(
        note.contains("I could not create your voice room") && note.contains("Manage Channels"),
        "{note}"
    );
    assert!(harness.timers().is_empty());
    assert!(!harness
        .discord_requests()
        .iter()
        .any(|r| matches!(r, DiscordRequest::MoveMember { .. })));
}
