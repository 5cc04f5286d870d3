//! Members using panels: buttons, the menu and raw reactions, across a reload.

use super::*;

fn role_requests(requests: &[DiscordRequest]) -> Vec<String> {
    requests
        .iter()
        .filter_map(|r| match r {
            DiscordRequest::AddRole { role_id, .. } => Some(format!("+{role_id}")),
            DiscordRequest::RemoveRole { role_id, .. } => Some(format!("-{role_id}")),
            DiscordRequest::RemoveReaction { emoji, user_id, .. } => {
                Some(format!("unreact {emoji} of {user_id}"))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_button_gives_then_takes_its_role_and_works_after_a_reload() {
    let (mut harness, fake) = start();
    let message = create(&mut harness, "🎮 <@&201> 🎨 <@&202>", "buttons", "normal");
    let answer = press(&mut harness, &fake, BOB, message, "r:201", &[]);
    assert_eq!(answer, "You now have <@&201>.");
    assert!(fake.roles_of(BOB).contains(&GAMER));
    harness.reload().unwrap();
    let answer = press(&mut harness, &fake, BOB, message, "r:201", &[]);
    assert_eq!(answer, "You no longer have <@&201>.");
    assert_eq!(fake.roles_of(BOB), [MEMBER]);
    // A press on a message that is no panel (deleted since) is answered, not failed.
    let answer = press(&mut harness, &fake, BOB, Id::new(5), "r:201", &[]);
    assert!(answer.contains("This panel was deleted"), "{answer}");
}

#[test]
fn the_menu_sets_the_chosen_roles_within_the_maximum() {
    let (mut harness, fake) = start();
    let message = create(&mut harness, "<@&201> <@&202> <@&203>", "menu", "normal");
    rr(
        &mut harness,
        "settings",
        vec![
            arg("panel", text(&message.to_string())),
            arg("max", ArgValue::Integer(2)),
        ],
    )
    .unwrap();
    let answer = press(&mut harness, &fake, BOB, message, "m", &["201", "202"]);
    assert_eq!(answer, "You now have <@&201>, <@&202>.");
    let answer = press(&mut harness, &fake, BOB, message, "m", &["203"]);
    assert_eq!(
        answer,
        "You now have <@&203>.\nYou no longer have <@&201>, <@&202>."
    );
    assert_eq!(fake.roles_of(BOB), [MEMBER, MUSIC]);
    let answer = press(
        &mut harness,
        &fake,
        BOB,
        message,
        "m",
        &["201", "202", "203"],
    );
    assert!(answer.contains("at most 2 of its roles"), "{answer}");
    assert_eq!(fake.roles_of(BOB), [MEMBER, MUSIC]);
}

#[test]
fn required_forbidden_and_binding_refusals_are_explained() {
    let (mut harness, fake) = start();
    let message = create(&mut harness, "<@&201> <@&202>", "buttons", "binding");
    let id = message.to_string();
    rr(
        &mut harness,
        "settings",
        vec![
            arg("panel", text(&id)),
            arg("forbid", ArgValue::Role(MUTED)),
        ],
    )
    .unwrap();
    fake.give(BOB, &[MEMBER, MUTED]);
    let answer = press(&mut harness, &fake, BOB, message, "r:201", &[]);
    assert_eq!(answer, "Members with <@&205> cannot use this panel.");
    fake.give(BOB, &[MEMBER]);
    assert_eq!(
        press(&mut harness, &fake, BOB, message, "r:201", &[]),
        "You now have <@&201>."
    );
    let answer = press(&mut harness, &fake, BOB, message, "r:202", &[]);
    assert!(answer.contains("that choice is for good"), "{answer}");
    assert_eq!(fake.roles_of(BOB), [MEMBER, GAMER]);
}

#[test]
fn a_refusal_by_discord_is_explained_to_the_member() {
    let (mut harness, fake) = start();
    let message = create(&mut harness, "<@&201>", "buttons", "normal");
    harness.answer_next(
        "add_role",
        Err(DiscordError::new(403, Some(50013), "Missing Permissions")),
    );
    let answer = press(&mut harness, &fake, BOB, message, "r:201", &[]);
    assert!(
        answer.contains("I need Manage Roles and a role above it"),
        "{answer}"
    );
}

#[test]
fn reactions_give_and_take_roles_and_the_bots_own_are_ignored() {
    let (mut harness, fake) = start();
    let message = create(&mut harness, "🎮 <@&201> ❤️ <@&202>", "reactions", "normal");
    let before = harness.discord_requests().len();
    // The bot's own reactions, when it adds them, come back as events too.
    harness
        .event(
            "MESSAGE_REACTION_ADD",
            &reaction(&fake, BOT, message, unicode("🎮"), true),
        )
        .unwrap();
    harness
        .event(
            "MESSAGE_REACTION_REMOVE",
            &reaction(&fake, BOT, message, unicode("🎮"), false),
        )
        .unwrap();
    assert_eq!(
        role_requests(&requests_since(&harness, before)),
        Vec::<String>::new()
    );
    harness
        .event(
            "MESSAGE_REACTION_ADD",
            &reaction(&fake, BOB, message, unicode("❤"), true),
        )
        .unwrap();
    assert_eq!(fake.roles_of(BOB), [MEMBER, ARTIST]);
    // After a reload (and for a message posted before a restart), the raw event is enough.
    harness.reload().unwrap();
    harness
        .event(
            "MESSAGE_REACTION_REMOVE",
            &reaction(&fake, BOB, message, unicode("❤️"), false),
        )
        .unwrap();
    assert_eq!(fake.roles_of(BOB), [MEMBER]);
    // An emoji that is not on the panel, or a message that is no panel, changes nothing.
    let before = harness.discord_requests().len();
    harness
        .event(
            "MESSAGE_REACTION_ADD",
            &reaction(&fake, BOB, message, unicode("👍"), true),
        )
        .unwrap();
    harness
        .event(
            "MESSAGE_REACTION_ADD",
            &reaction(&fake, BOB, Id::new(5), unicode("🎮"), true),
        )
        .unwrap();
    assert!(requests_since(&harness, before).is_empty());
}

#[test]
fn a_unique_reaction_panel_swaps_role_and_reaction() {
    let (mut harness, fake) = start();
    let message = create(&mut harness, "🎮 <@&201> 🎨 <@&202>", "reactions", "unique");
    fake.give(BOB, &[MEMBER, GAMER]);
    let before = harness.discord_requests().len();
    harness
        .event(
            "MESSAGE_REACTION_ADD",
            &reaction(&fake, BOB, message, unicode("🎨"), true),
        )
        .unwrap();
    assert_eq!(
        role_requests(&requests_since(&harness, before)),
        ["-201", "+202", "unreact 🎮 of 20"]
    );
    assert_eq!(fake.roles_of(BOB), [MEMBER, ARTIST]);
    // Discord then reports the removed reaction: the role is already gone, nothing more is done.
    let before = harness.discord_requests().len();
    harness
        .event(
            "MESSAGE_REACTION_REMOVE",
            &reaction(&fake, BOB, message, unicode("🎮"), false),
        )
        .unwrap();
    assert_eq!(
        role_requests(&requests_since(&harness, before)),
        Vec::<String>::new()
    );
}

#[test]
fn a_refused_reaction_is_taken_off_and_verify_never_takes_back() {
    let (mut harness, fake) = start();
    let message = create(&mut harness, "✅ <@&201>", "reactions", "verify");
    rr(
        &mut harness,
        "settings",
        vec![
            arg("panel", text(&message.to_string())),
            arg("require", ArgValue::Role(MEMBER)),
        ],
    )
    .unwrap();
    fake.give(BOB, &[]);
    let before = harness.discord_requests().len();
    harness
        .event(
            "MESSAGE_REACTION_ADD",
            &reaction(&fake, BOB, message, unicode("✅"), true),
        )
        .unwrap();
    assert_eq!(
        role_requests(&requests_since(&harness, before)),
        ["unreact ✅ of 20"]
    );
    fake.give(BOB, &[MEMBER]);
    harness
        .event(
            "MESSAGE_REACTION_ADD",
            &reaction(&fake, BOB, message, unicode("✅"), true),
        )
        .unwrap();
    harness
        .event(
            "MESSAGE_REACTION_REMOVE",
            &reaction(&fake, BOB, message, unicode("✅"), false),
        )
        .unwrap();
    assert_eq!(fake.roles_of(BOB), [MEMBER, GAMER]);
}

#[test]
fn a_reversed_reaction_panel_takes_on_reaction_and_gives_back() {
    let (mut harness, fake) = start();
    let message = create(&mut harness, "🔕 <@&201>", "reactions", "reversed");
    fake.give(BOB, &[MEMBER, GAMER]);
    harness
        .event(
            "MESSAGE_REACTION_ADD",
            &reaction(&fake, BOB, message, unicode("🔕"), true),
        )
        .unwrap();
    assert_eq!(fake.roles_of(BOB), [MEMBER]);
    harness
        .event(
            "MESSAGE_REACTION_REMOVE",
            &reaction(&fake, BOB, message, unicode("🔕"), false),
        )
        .unwrap();
    assert_eq!(fake.roles_of(BOB), [MEMBER, GAMER]);
}
