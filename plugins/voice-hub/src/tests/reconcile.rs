//! Start-up reconcile: after a reload or restart the rooms are compared with who is connected
//! (the host's voice states): empty rooms go after their delay, occupied ones keep their owner,
//! nothing else is touched; a guild the host has not received yet waits for its GUILD_CREATE;
//! a room deleted by hand is forgotten.

use std::time::Duration;

use arsenal_plugin_api::{model::id::Id, protocol::DiscordRequest, testing::GUILD_ID};

use super::*;

const SECOND_ROOM: Id<ChannelMarker> = Id::new(1003);

/// Bob has `FIRST_ROOM`, Carol `SECOND_ROOM`; both in them.
fn two_rooms(harness: &mut TestHarness<VoiceHub>) {
    bob_gets_a_room(harness);
    join(harness, CAROL, HUB);
    join(harness, CAROL, SECOND_ROOM);
    assert_eq!(
        room(harness, SECOND_ROOM).unwrap()["owner"],
        json!(CAROL.to_string())
    );
}

fn deletions(harness: &TestHarness<VoiceHub>) -> Vec<u64> {
    harness
        .discord_requests()
        .into_iter()
        .filter_map(|r| match r {
            DiscordRequest::DeleteChannel { channel_id, .. } => Some(channel_id.get()),
            _ => None,
        })
        .collect()
}

#[test]
fn after_a_reload_empty_rooms_go_and_occupied_ones_keep_their_owner() {
    let (mut harness, fake) = start();
    two_rooms(&mut harness);
    // While the module was away: Bob left, Carol's room has Dave too, Carol left; someone
    // sits in a channel the module did not make.
    fake.0.lock().unwrap().voice = Some(vec![(DAVE.get(), SECOND_ROOM.get()), (BOB.get(), 600)]);
    harness.reload().unwrap();
    let second = room(&harness, SECOND_ROOM).unwrap();
    assert_eq!(
        second["owner"],
        json!(CAROL.to_string()),
        "the owner is kept"
    );
    assert_eq!(second["occupants"], json!([DAVE.to_string()]));
    assert_eq!(
        harness.stored(&format!("at:{GUILD_ID}:{DAVE}")),
        Some(json!({ "channel_id": SECOND_ROOM.to_string() }))
    );
    assert_eq!(harness.stored(&format!("at:{GUILD_ID}:{BOB}")), None);
    assert_eq!(harness.stored(&format!("at:{GUILD_ID}:{CAROL}")), None);
    // Dave, not the owner, may claim it: Carol is gone.
    let claimed = run(&mut harness, who(DAVE, false), "claim", vec![]);
    assert_eq!(said(&claimed), "👑 The room is yours now.");
    harness.advance(Duration::from_secs(10));
    harness.fire_due_timers().unwrap();
    assert_eq!(deletions(&harness), vec![FIRST_ROOM.get()]);
    assert_eq!(room(&harness, FIRST_ROOM), None);
    assert!(room(&harness, SECOND_ROOM).is_some());
}

#[test]
fn a_guild_the_host_has_not_received_yet_is_left_alone() {
    let (mut harness, fake) = start();
    two_rooms(&mut harness);
    fake.0.lock().unwrap().voice = None;
    harness.reload().unwrap();
    assert!(harness.timers().is_empty(), "{:?}", harness.timers());
    assert_eq!(
        room(&harness, FIRST_ROOM).unwrap()["occupants"],
        json!([BOB.to_string()])
    );
    // Not connected to Discord at all (a restart, before the gateway): the same.
    fake.fail(
        "GetVoiceStates",
        DiscordError::new(503, None, "not connected"),
    );
    harness.reload().unwrap();
    assert!(harness.timers().is_empty());
    assert!(deletions(&harness).is_empty());
}

#[test]
fn a_room_deleted_by_hand_is_forgotten_and_a_deleted_hub_too() {
    let (mut harness, _) = start();
    two_rooms(&mut harness);
    let deleted = |channel: Id<ChannelMarker>| {
        json!({ "id": channel.to_string(), "type": 2, "guild_id": GUILD_ID.to_string(),
                "name": "x", "position": 0, "permission_overwrites": [] })
    };
    harness
        .event("CHANNEL_DELETE", &deleted(FIRST_ROOM))
        .unwrap();
    assert_eq!(room(&harness, FIRST_ROOM), None);
    assert_eq!(harness.stored(&format!("at:{GUILD_ID}:{BOB}")), None);
    harness.event("CHANNEL_DELETE", &deleted(HUB)).unwrap();
    assert_eq!(harness.stored(&format!("hub:{GUILD_ID}:{HUB}")), None);
    // Joining the old hub's id makes nothing now.
    join(&mut harness, DAVE, HUB);
    let made = harness
        .discord_requests()
        .iter()
        .filter(|r| matches!(r, DiscordRequest::CreateVoiceChannel { .. }))
        .count();
    assert_eq!(made, 2);
}

/// A GUILD_CREATE of the harness guild, as Discord sends it, with `states` (user, channel).
fn guild_create(states: &[(Id<UserMarker>, Id<ChannelMarker>)]) -> Value {
    let voice_states: Vec<Value> = states
        .iter()
        .map(|(user, channel)| {
            json!({
                "guild_id": GUILD_ID.to_string(), "channel_id": channel.to_string(),
                "user_id": user.to_string(), "session_id": format!("s{user}"),
                "deaf": false, "mute": false, "self_deaf": false, "self_mute": false,
                "self_video": false, "suppress": false, "request_to_speak_timestamp": null
            })
        })
        .collect();
    let mut guild = json!({
        "id": GUILD_ID.to_string(), "name": "Guild", "icon": null, "splash": null,
        "discovery_splash": null, "banner": null, "description": null, "owner_id": "1",
        "afk_channel_id": null, "afk_timeout": 300, "verification_level": 0,
        "default_message_notifications": 1, "explicit_content_filter": 0, "roles": [],
        "emojis": [], "stickers": [], "features": [], "mfa_level": 0, "application_id": null,
        "system_channel_id": null, "system_channel_flags": 0, "rules_channel_id": null,
    });
    let more = json!({
        "public_updates_channel_id": null, "safety_alerts_channel_id": null,
        "vanity_url_code": null, "premium_tier": 0, "premium_subscription_count": 0,
        "preferred_locale": "en-US", "max_members": 500000, "nsfw_level": 0, "nsfw": false,
        "premium_progress_bar_enabled": false, "channels": [], "threads": [], "members": [],
        "member_count": 3, "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "large": false, "unavailable": false,
        "joined_at": "2024-01-01T00:00:00.000000+00:00"
    });
    if let (Some(guild), Value::Object(more)) = (guild.as_object_mut(), more) {
        guild.extend(more);
    }
    guild["voice_states"] = Value::Array(voice_states);
    guild
}

#[test]
fn a_guild_becoming_available_reconciles_its_rooms_from_its_voice_states() {
    let (mut harness, fake) = start();
    two_rooms(&mut harness);
    // A restart: the module starts before the guild is available, then its GUILD_CREATE comes
    // with Carol in her room and Bob gone.
    fake.0.lock().unwrap().voice = None;
    harness.reload().unwrap();
    assert!(harness.timers().is_empty());
    harness
        .event(
            "GUILD_CREATE",
            &guild_create(&[(CAROL, SECOND_ROOM), (BOB, Id::new(600))]),
        )
        .unwrap();
    assert_eq!(
        room(&harness, SECOND_ROOM).unwrap()["occupants"],
        json!([CAROL.to_string()])
    );
    assert_eq!(
        room(&harness, SECOND_ROOM).unwrap()["owner"],
        json!(CAROL.to_string())
    );
    assert_eq!(room(&harness, FIRST_ROOM).unwrap()["occupants"], json!([]));
    assert_eq!(harness.stored(&format!("at:{GUILD_ID}:{BOB}")), None);
    harness.advance(Duration::from_secs(10));
    harness.fire_due_timers().unwrap();
    assert_eq!(deletions(&harness), vec![FIRST_ROOM.get()]);
    // An unavailable guild (an outage) changes nothing.
    harness
        .event(
            "GUILD_CREATE",
            &json!({ "id": GUILD_ID.to_string(), "unavailable": true }),
        )
        .unwrap();
    assert!(room(&harness, SECOND_ROOM).is_some());
    assert!(harness.timers().is_empty());
}
