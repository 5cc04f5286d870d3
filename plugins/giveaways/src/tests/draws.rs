//! Ending: once only, manual or by timer; the published list and seed redo the draw; rerolls
//! leave earlier winners out; a failed announcement is retried without drawing again.

use std::time::Duration;

use arsenal_plugin_api::protocol::DiscordError;

use super::*;
use crate::draw;

/// Redoes a draw from what was published: the seed in the announcement and the attached list.
/// Mirrors the README's steps, reading only the texts a member sees.
fn recompute(announcement: &str, file: &str, picks: usize) -> Vec<u64> {
    let seed_hex = announcement
        .split('`')
        .nth(1)
        .expect("the announcement shows the seed");
    let seed = draw::unhex(seed_hex).expect("hex seed");
    let commitment = file
        .lines()
        .find_map(|l| l.strip_prefix("# commitment (shown at start) = sha256(seed): "))
        .unwrap();
    assert_eq!(
        draw::commitment(&seed),
        commitment,
        "the seed matches the commitment"
    );
    let mut tickets = Vec::new();
    for line in file.lines().filter(|l| !l.starts_with('#')) {
        let (user, weight) = line.split_once(' ').unwrap();
        let user: u64 = user.parse().unwrap();
        for _ in 0..weight.parse::<u32>().unwrap() {
            tickets.push(user);
        }
    }
    // By hand, not through `draw::draw`: pick i hashes seed ‖ i, the winner's tickets go.
    let mut winners = Vec::new();
    for counter in 0..picks as u64 {
        if tickets.is_empty() {
            break;
        }
        let value = draw::pick_value(&seed, counter);
        let winner = tickets[(value % tickets.len() as u64) as usize];
        winners.push(winner);
        tickets.retain(|t| *t != winner);
    }
    winners
}

fn winners_of(h: &TestHarness<Giveaways>, message: Id<MessageMarker>) -> Vec<u64> {
    h.stored(&giveaway_key(message)).unwrap()["winners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn a_manual_end_racing_the_timer_draws_once_and_anyone_can_redo_the_draw() {
    let mut h = start();
    let message = start_giveaway(
        &mut h,
        vec![
            int("winners", 2),
            text("bonus", &format!("<@&{BOOSTER}> 4")),
        ],
    );
    for (user, roles) in [
        (BOB, vec![]),
        (CAROL, vec![BOOSTER]),
        (DAVE, vec![]),
        (Id::new(50), vec![]),
    ] {
        enter(&mut h, user, &roles, message);
    }
    // The end's transaction loses a race once (someone entered meanwhile): it runs again, once.
    h.conflict_next_commits(1);
    let (answer, ephemeral) = run(
        &mut h,
        &["end"],
        vec![text("giveaway", &message.to_string())],
    );
    assert!(
        answer.starts_with("**Nitro** ended; winners: <@") && ephemeral,
        "{answer}"
    );
    let winners = winners_of(&h, message);
    assert_eq!(winners.len(), 2);
    let published = files(&h);
    assert_eq!(published.len(), 1);
    let (announcement, file) = &published[0];
    assert!(file.contains(&format!("{CAROL} 5\n")), "{file}");
    assert!(file.contains(&format!("{BOB} 1\n")), "{file}");
    assert_eq!(recompute(announcement, file, 2), winners);
    // The winners are pinged, nobody else.
    let announced = h.discord_requests().into_iter().find_map(|r| match r {
        DiscordRequest::SendFile { message, .. } => Some(message),
        _ => None,
    });
    let mentions = serde_json::to_value(announced.unwrap().allowed_mentions).unwrap();
    assert_eq!(mentions["users"].as_array().unwrap().len(), 2, "{mentions}");

    // The timer fires anyway (it was cancelled, but say it was already on its way), and an
    // administrator ends it again: no second draw, no second announcement.
    let fired = serde_json::json!({"key": format!("end:{GUILD_ID}:{message}"), "at_unix_ms": 0,
        "payload": {"guild": GUILD_ID.to_string(), "message": message.to_string()}});
    h.call(
        arsenal_plugin_api::protocol::kind::TIMER,
        &fired.to_string(),
    )
    .unwrap();
    let (answer, _) = run(
        &mut h,
        &["end"],
        vec![text("giveaway", &message.to_string())],
    );
    assert!(answer.contains("has already ended"), "{answer}");
    assert_eq!(winners_of(&h, message), winners);
    assert_eq!(files(&h).len(), 1);
    // The message shows the end: winners, the seed, a disabled button.
    let ended = serde_json::to_string(&last_edit(&h, message).unwrap()).unwrap();
    assert!(
        ended.contains("\"disabled\":true") && ended.contains("Seed: `"),
        "{ended}"
    );
    // Entries are closed.
    assert_eq!(
        enter(&mut h, Id::new(60), &[], message),
        "This giveaway has ended: entries are closed."
    );
}

#[test]
fn a_reroll_leaves_earlier_winners_out_and_continues_the_same_draw() {
    let mut h = start();
    let message = start_giveaway(&mut h, vec![]);
    let (answer, _) = run(
        &mut h,
        &["reroll"],
        vec![text("giveaway", &message.to_string())],
    );
    assert!(answer.contains("is still running"), "{answer}");
    let people: Vec<Id<UserMarker>> = (60..64).map(Id::new).collect();
    for user in &people {
        enter(&mut h, *user, &[], message);
    }
    run(
        &mut h,
        &["end"],
        vec![text("giveaway", &message.to_string())],
    );
    let first = winners_of(&h, message);
    let (answer, _) = run(
        &mut h,
        &["reroll"],
        vec![text("giveaway", &message.to_string()), int("winners", 2)],
    );
    assert!(answer.starts_with("New winners: <@"), "{answer}");
    let all = winners_of(&h, message);
    assert_eq!(all.len(), 3);
    assert_eq!(all[0], first[0]);
    assert!(!all[1..].contains(&first[0]));
    // The reroll is the same draw continued: three picks from the published seed and list.
    let published = files(&h);
    assert_eq!(published.len(), 2);
    let (announcement, file) = &published[1];
    assert!(
        announcement.starts_with("🎉 New draw for **Nitro**"),
        "{announcement}"
    );
    assert_eq!(recompute(announcement, file, 3), all);
    // One left, drawn though Discord refuses the announcement: the administrator is told.
    h.answer_next(
        "send_file",
        Err(DiscordError::new(403, Some(50013), "Missing Permissions")),
    );
    let (answer, _) = run(
        &mut h,
        &["reroll"],
        vec![text("giveaway", &message.to_string())],
    );
    assert!(
        answer.contains("The new winners are saved") && answer.contains("Missing Permissions"),
        "{answer}"
    );
    let (answer, _) = run(
        &mut h,
        &["reroll"],
        vec![text("giveaway", &message.to_string())],
    );
    assert_eq!(
        answer,
        "Every entrant has already won: nobody is left to draw."
    );
    assert_eq!(winners_of(&h, message).len(), 4);
}

#[test]
fn an_end_that_passed_during_downtime_draws_when_the_timer_fires() {
    let mut h = start();
    let message = start_giveaway(&mut h, vec![text("duration", "30m")]);
    enter(&mut h, BOB, &[], message);
    // The bot is down past the end: a new instance (restart) and the clock moved on.
    h.reload().unwrap();
    h.advance(Duration::from_secs(3 * 3600));
    let fired = h.fire_due_timers().unwrap();
    assert!(
        fired.contains(&format!("end:{GUILD_ID}:{message}")),
        "{fired:?}"
    );
    assert_eq!(winners_of(&h, message), [BOB.get()]);
    let stored = h.stored(&giveaway_key(message)).unwrap();
    assert_eq!(stored["status"], "ended");
    assert_eq!(stored["announced"], true);
    assert_eq!(files(&h).len(), 1);
}

#[test]
fn a_failed_announcement_is_retried_without_drawing_again() {
    let mut h = start();
    let message = start_giveaway(&mut h, vec![]);
    for user in [BOB, CAROL, DAVE] {
        enter(&mut h, user, &[], message);
    }
    h.answer_next(
        "send_file",
        Err(DiscordError::new(500, None, "Internal Server Error")),
    );
    h.advance(Duration::from_secs(3600));
    h.fire_due_timers().unwrap();
    let winners = winners_of(&h, message);
    assert_eq!(winners.len(), 1);
    assert_eq!(
        h.stored(&giveaway_key(message)).unwrap()["announced"],
        false
    );
    let retry = h
        .timers()
        .into_iter()
        .find(|t| t.key == format!("end:{GUILD_ID}:{message}"))
        .expect("the announcement is retried");
    assert_eq!(retry.at_unix_ms, h.now() + 60_000);
    h.advance(Duration::from_secs(60));
    h.fire_due_timers().unwrap();
    assert_eq!(winners_of(&h, message), winners);
    assert_eq!(h.stored(&giveaway_key(message)).unwrap()["announced"], true);
    // Two attempts recorded, the second succeeded.
    let attempts = h
        .discord_requests()
        .into_iter()
        .filter(|r| matches!(r, DiscordRequest::SendFile { .. }))
        .count();
    assert_eq!(attempts, 2);
    // No valid entrant at all: said so, with the seed.
    let empty = start_giveaway(&mut h, vec![text("prize", "Mug")]);
    let (answer, _) = run(&mut h, &["end"], vec![text("giveaway", &empty.to_string())]);
    assert_eq!(answer, "**Mug** ended with no valid entrant: no winner.");
    assert!(files(&h)
        .last()
        .unwrap()
        .0
        .starts_with("Nobody could win **Mug**"));
}

#[test]
fn thirty_days_after_the_end_the_entrants_are_forgotten_and_a_reroll_says_so() {
    let mut h = start();
    let message = start_giveaway(&mut h, vec![]);
    for user in [BOB, CAROL, DAVE] {
        enter(&mut h, user, &[], message);
    }
    let prefix = format!("entry:{GUILD_ID}:{message}:");
    let entrant_keys = |h: &TestHarness<Giveaways>| h.stored_keys(&prefix).len();
    run(
        &mut h,
        &["end"],
        vec![text("giveaway", &message.to_string())],
    );
    assert_eq!(entrant_keys(&h), 3);
    // 29 days on: still there, a reroll draws.
    h.advance(Duration::from_secs(29 * 24 * 3600));
    h.fire_due_timers().unwrap();
    let (answer, _) = run(
        &mut h,
        &["reroll"],
        vec![text("giveaway", &message.to_string())],
    );
    assert!(answer.starts_with("New winners: <@"), "{answer}");
    // Past 30 days (and across a restart): the entrants go, the giveaway and its winners stay.
    h.reload().unwrap();
    h.advance(Duration::from_secs(2 * 24 * 3600));
    let fired = h.fire_due_timers().unwrap();
    assert!(
        fired.contains(&format!("forget:{GUILD_ID}:{message}")),
        "{fired:?}"
    );
    assert_eq!(entrant_keys(&h), 0);
    assert_eq!(winners_of(&h, message).len(), 2);
    let (answer, _) = run(
        &mut h,
        &["reroll"],
        vec![text("giveaway", &message.to_string())],
    );
    assert!(answer.contains("its entrants were forgotten"), "{answer}");
    assert_eq!(winners_of(&h, message).len(), 2);
}
