//! The owner's controls through the panel and `/voice`: who may use them, lock and hide as
//! overwrites, remembered for the next room, renames within Discord's allowance, kick, permit,
//! transfer and claim, the forms, and a French member answered in French.

use std::time::Duration;

use arsenal_plugin_api::{
    model::{
        channel::permission_overwrite::{PermissionOverwrite, PermissionOverwriteType},
        guild::Permissions,
    },
    protocol::{ArgValue, DiscordError, DiscordRequest},
    testing::GUILD_ID,
};

use super::*;

fn id(action: &str) -> String {
    format!("{action}:{FIRST_ROOM}")
}

/// The overwrites of the last `UpdateVoiceChannel` that set some.
fn last_overwrites(harness: &TestHarness<VoiceHub>) -> Vec<PermissionOverwrite> {
    harness
        .discord_requests()
        .into_iter()
        .rev()
        .find_map(|r| match r {
            DiscordRequest::UpdateVoiceChannel {
                permission_overwrites: Some(list),
                ..
            } => Some(list),
            _ => None,
        })
        .expect("overwrites were set")
}

fn overwrite_of(list: &[PermissionOverwrite], id: u64) -> Option<(Permissions, Permissions)> {
    list.iter()
        .find(|o| o.id.get() == id)
        .map(|o| (o.allow, o.deny))
}

#[test]
fn only_the_owner_or_a_channel_manager_controls_the_room() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    join(&mut harness, CAROL, FIRST_ROOM);
    let before = harness.discord_requests().len();
    let refused = press(&mut harness, who(CAROL, false), &id("lock"), &[]);
    assert!(is_ephemeral(&refused));
    assert!(
        said(&refused).contains(&format!("<@{BOB}>")),
        "{}",
        said(&refused)
    );
    let refused = run(
        &mut harness,
        who(CAROL, false),
        "rename",
        vec![arg("name", ArgValue::String("mine".into()))],
    );
    assert!(
        said(&refused).contains("Only the room's owner"),
        "{}",
        said(&refused)
    );
    assert_eq!(
        harness.discord_requests().len(),
        before,
        "nothing was changed"
    );
    // A member with Manage Channels may.
    let done = press(&mut harness, who(DAVE, true), &id("lock"), &[]);
    assert!(said(&done).starts_with("🔒"), "{}", said(&done));
    // Someone outside any room using a command is told how to get one.
    let lost = run(&mut harness, who(DAVE, false), "lock", vec![]);
    assert!(said(&lost).contains("join a hub"), "{}", said(&lost));
}

#[test]
fn lock_and_hide_are_overwrites_and_the_next_room_starts_the_same() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    let answer = press(&mut harness, who(BOB, false), &id("lock"), &[]);
    assert!(said(&answer).starts_with("🔒"), "{}", said(&answer));
    let list = last_overwrites(&harness);
    assert_eq!(
        overwrite_of(&list, GUILD_ID.get()),
        Some((Permissions::empty(), Permissions::CONNECT))
    );
    let let_in = Permissions::VIEW_CHANNEL | Permissions::CONNECT;
    assert_eq!(overwrite_of(&list, BOB.get()).map(|o| o.0), Some(let_in));
    assert!(overwrite_of(&list, BOT.get())
        .is_some_and(|(allow, _)| allow.contains(Permissions::MOVE_MEMBERS)));
    // Hide through the command too.
    run(&mut harness, who(BOB, false), "hide", vec![]);
    assert_eq!(
        overwrite_of(&last_overwrites(&harness), GUILD_ID.get()),
        Some((
            Permissions::empty(),
            Permissions::CONNECT | Permissions::VIEW_CHANNEL
        ))
    );
    // The panel in the room's chat was re-rendered.
    assert!(harness
        .discord_requests()
        .iter()
        .any(|r| matches!(r, DiscordRequest::EditMessage { .. })));
    // The room goes; his next one is made locked and hidden.
    leave(&mut harness, BOB);
    harness.advance(Duration::from_secs(10));
    harness.fire_due_timers().unwrap();
    join(&mut harness, BOB, HUB);
    let made = harness
        .discord_requests()
        .into_iter()
        .rev()
        .find_map(|r| match r {
            DiscordRequest::CreateVoiceChannel {
                permission_overwrites,
                ..
            } => Some(permission_overwrites),
            _ => None,
        });
    let made = made.unwrap();
    assert_eq!(
        overwrite_of(&made, GUILD_ID.get()),
        Some((
            Permissions::empty(),
            Permissions::CONNECT | Permissions::VIEW_CHANNEL
        ))
    );
    assert!(made
        .iter()
        .all(|o| o.kind == PermissionOverwriteType::Member || o.id.get() == GUILD_ID.get()));
    // Unlock toggles back.
    let room_now = Id::<ChannelMarker>::new(1003);
    join(&mut harness, BOB, room_now);
    let answer = press(
        &mut harness,
        who(BOB, false),
        &format!("lock:{room_now}"),
        &[],
    );
    assert!(said(&answer).starts_with("🔓"), "{}", said(&answer));
}

#[test]
fn a_refused_change_is_told_and_not_recorded() {
    let (mut harness, fake) = start();
    bob_gets_a_room(&mut harness);
    fake.fail(
        "UpdateVoiceChannel",
        DiscordError::new(403, Some(50013), "Missing Permissions"),
    );
    let answer = press(&mut harness, who(BOB, false), &id("lock"), &[]);
    assert!(is_ephemeral(&answer));
    assert!(said(&answer).contains("Manage Roles"), "{}", said(&answer));
    assert_eq!(room(&harness, FIRST_ROOM).unwrap()["locked"], json!(false));
    assert_eq!(harness.stored(&format!("prefs:{GUILD_ID}:{BOB}")), None);
}

#[test]
fn renames_wait_for_discords_allowance_and_say_when() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    let start_ms = harness.now();
    let first = run(
        &mut harness,
        who(BOB, false),
        "rename",
        vec![arg("name", ArgValue::String("one".into()))],
    );
    assert_eq!(said(&first), "✏️ Renamed to **one**.");
    harness.advance(Duration::from_secs(60));
    run(
        &mut harness,
        who(BOB, false),
        "rename",
        vec![arg("name", ArgValue::String("two".into()))],
    );
    harness.advance(Duration::from_secs(60));
    // The third within ten minutes waits: from the form, like the panel's button opens it.
    let Response::Modal(form) = press(&mut harness, who(BOB, false), &id("rename"), &[]) else {
        panic!("the rename button opens a form");
    };
    let third = submit(&mut harness, who(BOB, false), &form.custom_id, "three");
    let due = start_ms + 10 * 60 * 1000;
    assert_eq!(
        said(&third),
        format!(
            "✏️ Discord allows two renames every ten minutes: **three** will apply <t:{}:R>.",
            due / 1000
        )
    );
    // A fourth replaces the queued name.
    run(
        &mut harness,
        who(BOB, false),
        "rename",
        vec![arg("name", ArgValue::String("four".into()))],
    );
    let renames = |h: &TestHarness<VoiceHub>| -> Vec<String> {
        h.discord_requests()
            .into_iter()
            .filter_map(|r| match r {
                DiscordRequest::UpdateVoiceChannel {
                    name: Some(name), ..
                } => Some(name),
                _ => None,
            })
            .collect()
    };
    assert_eq!(renames(&harness), ["one", "two"]);
    let timer = format!("rename:{GUILD_ID}:{FIRST_ROOM}");
    assert_eq!(timer_pending(&harness, &timer), Some(due));
    harness.set_now(due);
    assert_eq!(harness.fire_due_timers().unwrap(), vec![timer]);
    assert_eq!(renames(&harness), ["one", "two", "four"]);
    assert_eq!(room(&harness, FIRST_ROOM).unwrap()["name"], json!("four"));
    assert_eq!(
        room(&harness, FIRST_ROOM).unwrap()["pending_name"],
        Value::Null
    );
    // Remembered for his next room.
    assert_eq!(
        harness.stored(&format!("prefs:{GUILD_ID}:{BOB}")).unwrap()["name"],
        json!("four")
    );
    // An empty name is refused.
    let empty = submit(&mut harness, who(BOB, false), &form.custom_id, "   ");
    assert!(said(&empty).contains("1 to 100"), "{}", said(&empty));
}

#[test]
fn the_limit_form_checks_its_number() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    let Response::Modal(form) = press(&mut harness, who(BOB, false), &id("limit"), &[]) else {
        panic!("the limit button opens a form");
    };
    let bad = submit(&mut harness, who(BOB, false), &form.custom_id, "150");
    assert!(said(&bad).contains("0 (no limit) to 99"), "{}", said(&bad));
    let bad = submit(&mut harness, who(BOB, false), &form.custom_id, "five");
    assert!(said(&bad).contains("0 (no limit) to 99"), "{}", said(&bad));
    let good = submit(&mut harness, who(BOB, false), &form.custom_id, "4");
    assert_eq!(said(&good), "👥 At most 4 members now.");
    assert!(harness.discord_requests().iter().any(|r| matches!(
        r,
        DiscordRequest::UpdateVoiceChannel {
            user_limit: Some(4),
            name: None,
            ..
        }
    )));
    assert_eq!(room(&harness, FIRST_ROOM).unwrap()["limit"], json!(4));
}

#[test]
fn kick_disconnects_and_keeps_out_permit_lets_back_in() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    join(&mut harness, CAROL, FIRST_ROOM);
    let answer = press(
        &mut harness,
        who(BOB, false),
        &id("kick"),
        &[&CAROL.to_string()],
    );
    assert_eq!(
        said(&answer),
        format!("👢 <@{CAROL}> was disconnected and can no longer join.")
    );
    assert!(harness
        .discord_requests()
        .contains(&DiscordRequest::MoveMember {
            guild_id: GUILD_ID,
            user_id: CAROL,
            channel_id: None,
        }));
    assert_eq!(
        overwrite_of(&last_overwrites(&harness), CAROL.get()),
        Some((Permissions::empty(), Permissions::CONNECT))
    );
    // The owner cannot be kicked.
    let refused = press(
        &mut harness,
        who(DAVE, true),
        &id("kick"),
        &[&BOB.to_string()],
    );
    assert!(said(&refused).contains("cannot kick"), "{}", said(&refused));
    // A menu with nothing picked.
    let refused = press(&mut harness, who(BOB, false), &id("kick"), &[]);
    assert!(
        said(&refused).contains("Pick a member"),
        "{}",
        said(&refused)
    );
    let answer = press(
        &mut harness,
        who(BOB, false),
        &id("permit"),
        &[&CAROL.to_string()],
    );
    assert_eq!(said(&answer), format!("✅ <@{CAROL}> can join the room."));
    // Public room, nobody kicked: no overwrites left.
    assert!(last_overwrites(&harness).is_empty());
}

#[test]
fn transfer_goes_to_a_member_in_the_room_and_claim_waits_for_the_owner_to_leave() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    let absent = press(
        &mut harness,
        who(BOB, false),
        &id("transfer"),
        &[&CAROL.to_string()],
    );
    assert!(
        said(&absent).contains("not in the room"),
        "{}",
        said(&absent)
    );
    join(&mut harness, CAROL, FIRST_ROOM);
    // Carol cannot claim while Bob is there.
    let early = press(&mut harness, who(CAROL, false), &id("claim"), &[]);
    assert!(
        said(&early).contains("still in the room"),
        "{}",
        said(&early)
    );
    let answer = press(
        &mut harness,
        who(BOB, false),
        &id("transfer"),
        &[&CAROL.to_string()],
    );
    assert_eq!(said(&answer), format!("👑 <@{CAROL}> owns the room now."));
    assert_eq!(
        room(&harness, FIRST_ROOM).unwrap()["owner"],
        json!(CAROL.to_string())
    );
    // Carol leaves; Bob (still in) claims it back with the command.
    leave(&mut harness, CAROL);
    let outsider = run(&mut harness, who(DAVE, false), "claim", vec![]);
    assert!(
        said(&outsider).contains("join a hub"),
        "{}",
        said(&outsider)
    );
    let claimed = run(&mut harness, who(BOB, false), "claim", vec![]);
    assert_eq!(said(&claimed), "👑 The room is yours now.");
    assert_eq!(
        room(&harness, FIRST_ROOM).unwrap()["owner"],
        json!(BOB.to_string())
    );
    let again = run(&mut harness, who(BOB, false), "claim", vec![]);
    assert!(said(&again).contains("already own"), "{}", said(&again));
}

#[test]
fn a_panel_of_another_server_or_a_gone_room_is_refused() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    // A room of guild 77 with the same layout: the harness invoker is in guild 1.
    harness.set_stored(
        &format!("room:77:{}", 5555),
        json!({ "guild_id": "77", "channel_id": "5555", "hub_id": "1", "owner": BOB.to_string(), "name": "x" }),
    );
    let answer = press(&mut harness, who(BOB, true), "lock:5555", &[]);
    assert_eq!(said(&answer), "This room no longer exists.");
    let answer = press(&mut harness, who(BOB, false), "nonsense", &[]);
    assert!(said(&answer).contains("older version"), "{}", said(&answer));
    assert!(!harness
        .discord_requests()
        .iter()
        .any(|r| matches!(r, DiscordRequest::UpdateVoiceChannel { channel_id, .. } if channel_id.get() == 5555)));
}

#[test]
fn a_french_member_gets_french() {
    let (mut harness, _) = start();
    bob_gets_a_room(&mut harness);
    let mut bob = who(BOB, false);
    bob.locale = Some("fr".into());
    let answer = press(&mut harness, bob.clone(), &id("lock"), &[]);
    assert_eq!(
        said(&answer),
        "🔒 Verrouillé : seuls vous et les membres autorisés peuvent rejoindre."
    );
    let Response::Message(panel) = run(&mut harness, bob.clone(), "panel", vec![]) else {
        panic!("the panel is a message");
    };
    assert!(panel.ephemeral);
    let json = serde_json::to_string(&panel).unwrap();
    assert!(
        json.contains("Déverrouiller") && json.contains("Expulser un membre"),
        "{json}"
    );
    let mut carol = who(CAROL, false);
    carol.locale = Some("fr".into());
    let refused = press(&mut harness, carol, &id("hide"), &[]);
    assert!(
        said(&refused).starts_with("Seul le propriétaire du salon"),
        "{}",
        said(&refused)
    );
}
