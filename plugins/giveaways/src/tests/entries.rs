//! Entering: requirements, bonus entries, leaving, the count on the message, reloads.

use std::time::Duration;

use super::*;
use crate::model::account_created_ms;

#[test]
fn requirements_and_bonus_entries_decide_who_enters_and_with_how_many_tickets() {
    let mut h = start();
    let message = start_giveaway(
        &mut h,
        vec![
            arg("required_role", ArgValue::Role(MEMBER)),
            text("min_account_age", "30d"),
            text("bonus", &format!("<@&{BOOSTER}> 2")),
        ],
    );
    assert_eq!(
        enter(&mut h, BOB, &[], message),
        format!("You need <@&{MEMBER}> to enter this giveaway.")
    );
    // An account made an hour ago (its id says so) is too young.
    let created = h.now() - 3_600_000;
    let young = Id::new((created - 1_420_070_400_000) << 22);
    assert_eq!(account_created_ms(young), created);
    assert_eq!(
        enter(&mut h, young, &[MEMBER], message),
        "Your Discord account must be at least 30 days old to enter this giveaway."
    );
    assert_eq!(
        enter(&mut h, BOB, &[MEMBER], message),
        "You are in! You have 1 entry."
    );
    assert_eq!(
        enter(&mut h, CAROL, &[MEMBER, BOOSTER], message),
        "You are in! You have 3 entries (bonus roles included)."
    );
    assert_eq!(
        h.stored(&format!("entry:{GUILD_ID}:{message}:{CAROL}")),
        Some(json!({"weight": 3}))
    );
    assert!(h
        .stored(&format!("entry:{GUILD_ID}:{message}:{young}"))
        .is_none());
    // Pressing again says so and offers to leave; leaving takes the entry away.
    let answer = h.component(press(&h, BOB, &[MEMBER], message)).unwrap();
    let Response::Message(reply) = answer else {
        panic!()
    };
    assert_eq!(
        reply.content.as_deref(),
        Some("You already entered (1 entry). Press Leave to withdraw.")
    );
    let json = serde_json::to_value(&reply).unwrap();
    let leave_id = json["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap();
    assert_eq!(leave_id, format!("l:{message}"));
    let mut leave = h.click(BOB, Id::new(9999), leave_id);
    leave.invoker.roles = vec![MEMBER];
    assert_eq!(
        content(h.component(leave.clone())).0,
        "You left the giveaway."
    );
    assert_eq!(
        content(h.component(leave)).0,
        "You had not entered this giveaway."
    );
    assert_eq!(h.stored(&giveaway_key(message)).unwrap()["entrants"], 1);
}

#[test]
fn a_burst_of_entries_refreshes_the_count_once() {
    let mut h = start();
    let message = start_giveaway(&mut h, vec![]);
    for user in [BOB, CAROL, DAVE] {
        enter(&mut h, user, &[], message);
    }
    let refresh = format!("refresh:{GUILD_ID}:{message}");
    let refreshes: Vec<_> = h
        .timers()
        .into_iter()
        .filter(|t| t.key == refresh)
        .collect();
    assert_eq!(refreshes.len(), 1);
    assert_eq!(refreshes[0].at_unix_ms, h.now() + 3_000);
    assert!(last_edit(&h, message).is_none(), "no edit per press");
    h.advance(Duration::from_secs(3));
    assert_eq!(h.fire_due_timers().unwrap(), std::slice::from_ref(&refresh));
    let edited = last_edit(&h, message).expect("the count was refreshed");
    assert_eq!(button_label(&edited), "Enter (3)");
    assert!(serde_json::to_string(&edited)
        .unwrap()
        .contains("**3** entrants"));
    // The next press schedules the next refresh.
    enter(&mut h, Id::new(50), &[], message);
    assert!(h.timers().iter().any(|t| t.key == refresh));
}

#[test]
fn a_level_is_asked_of_economy_and_never_admitted_unchecked() {
    let mut h = start();
    h.answer_module("economy", |_, payload| {
        let level = if payload["user_id"] == BOB.to_string() {
            7
        } else {
            2
        };
        Ok(json!({"balance": 0, "bank": 0, "level": level, "xp": 0}))
    });
    let message = start_giveaway(&mut h, vec![int("min_level", 5)]);
    assert_eq!(
        enter(&mut h, BOB, &[], message),
        "You are in! You have 1 entry."
    );
    assert_eq!(
        enter(&mut h, CAROL, &[], message),
        "You need economy level 5 to enter; you are level 2."
    );
    let asked = h.module_requests();
    assert_eq!(asked.last().unwrap().method, "member.stats");
    assert_eq!(
        asked.last().unwrap().payload,
        json!({"user_id": CAROL.to_string()})
    );
    // Economy unloaded meanwhile: Dave is told, not admitted.
    let mut h2 = start();
    h2.set_stored(
        &giveaway_key(message),
        h.stored(&giveaway_key(message)).unwrap(),
    );
    let answer = enter(&mut h2, DAVE, &[], message);
    assert!(
        answer.starts_with("Your level cannot be checked now, so you cannot enter yet: the economy module, which keeps levels, is not loaded"),
        "{answer}"
    );
    assert!(h2
        .stored(&format!("entry:{GUILD_ID}:{message}:{DAVE}"))
        .is_none());
}

#[test]
fn entries_survive_a_reload_and_close_when_the_end_passes() {
    let mut h = start();
    let message = start_giveaway(&mut h, vec![text("duration", "10m")]);
    enter(&mut h, BOB, &[], message);
    h.reload().unwrap();
    assert_eq!(
        enter(&mut h, BOB, &[], message),
        "You already entered (1 entry). Press Leave to withdraw."
    );
    enter(&mut h, CAROL, &[], message);
    assert_eq!(h.stored(&giveaway_key(message)).unwrap()["entrants"], 2);
    // The end passed (the timer has not fired yet, say the bot was down): entries are closed.
    h.advance(Duration::from_secs(600));
    assert_eq!(
        enter(&mut h, DAVE, &[], message),
        "This giveaway has ended: entries are closed."
    );
    // A stale or foreign custom id gets a clear answer.
    let stale = h.click(BOB, message, "zz:1");
    let (answer, ephemeral) = content(h.component(stale));
    assert!(!answer.is_empty() && ephemeral, "{answer}");
}
