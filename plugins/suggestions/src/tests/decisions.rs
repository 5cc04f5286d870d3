//! `/suggestion approve|deny|consider|implement`: who may, what changes, who is told.

use super::*;
use arsenal_plugin_api::model::id::{marker::RoleMarker, Id};

const STAFF: Id<RoleMarker> = Id::new(700);

#[test]
fn approving_recolours_the_message_logs_it_and_tells_the_author() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Add a music channel", false);
    let message = message_of(&harness, 1);
    vote(&mut harness, member(CAROL), message, 1, true);
    let text = decide(&mut harness, admin(ALICE), "approve", 1, Some("Great idea"));
    assert!(
        text.starts_with("Suggestion #1 is now **Approved**")
            && text.ends_with("The author was told by direct message."),
        "{text}"
    );
    let shown = fake.message(message);
    assert_eq!(shown.embeds[0].color, Some(0x0057_F287));
    assert_eq!(field(&shown, "Status"), format!("Approved by <@{ALICE}>"));
    assert_eq!(field(&shown, "Reason"), "Great idea");
    assert_eq!(field(&shown, "Votes"), "👍 1 · 👎 0");

    let logged = fake.posted_in(LOG);
    assert_eq!(logged.len(), 1);
    assert!(
        logged[0]
            .1
            .content
            .as_deref()
            .unwrap_or_default()
            .starts_with("Suggestion #1 is now **Approved**"),
        "{:?}",
        logged[0].1
    );
    let dms = fake.dms_to(BOB);
    assert_eq!(dms.len(), 1);
    assert!(
        dms[0]
            .content
            .as_deref()
            .unwrap_or_default()
            .starts_with("Your suggestion #1 is now **Approved**"),
        "{:?}",
        dms[0]
    );
    let stored = record(&harness, 1);
    assert_eq!(stored["status"], json!("approved"));
    assert_eq!(stored["reason"], json!("Great idea"));
}

#[test]
fn considering_is_not_logged_but_the_author_hears_of_it() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Maybe later", false);
    decide(&mut harness, admin(ALICE), "consider", 1, None);
    assert!(fake.posted_in(LOG).is_empty());
    assert_eq!(fake.dms_to(BOB).len(), 1);
    let shown = fake.message(message_of(&harness, 1));
    assert_eq!(shown.embeds[0].color, Some(0x00F1_C40F));
    decide(&mut harness, admin(ALICE), "deny", 1, Some("Too costly"));
    decide(&mut harness, admin(ALICE), "implement", 1, None);
    assert_eq!(fake.posted_in(LOG).len(), 2);
    let shown = fake.message(message_of(&harness, 1));
    assert_eq!(shown.embeds[0].color, Some(0x009B_59B6));
    assert_eq!(
        field(&shown, "Status"),
        format!("Implemented by <@{ALICE}>")
    );
}

#[test]
fn closed_dms_are_reported_to_the_staff_member_and_nothing_is_lost() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Quiet idea", true);
    fake.close_dms(BOB);
    let text = decide(&mut harness, admin(ALICE), "deny", 1, Some("No"));
    assert!(
        text.contains("I could not DM the author: they do not accept direct messages"),
        "{text}"
    );
    assert_eq!(record(&harness, 1)["status"], json!("denied"));
    assert_eq!(fake.posted_in(LOG).len(), 1);
    // The anonymous author stays hidden in the log copy too.
    let logged = serde_json::to_string(&fake.posted_in(LOG)[0].1).unwrap();
    assert!(!logged.contains(&BOB.to_string()), "{logged}");
}

#[test]
fn only_staff_roles_and_managers_decide() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Let me decide", false);
    let text = decide(&mut harness, member(CAROL), "approve", 1, None);
    assert!(text.starts_with("Only the suggestion staff"), "{text}");
    assert_eq!(record(&harness, 1)["status"], json!("pending"));

    let mut staffer = member(CAROL);
    staffer.roles = vec![STAFF];
    let text = decide(&mut harness, staffer.clone(), "approve", 1, None);
    assert!(text.starts_with("Only the suggestion staff"), "{text}");
    // Adding a staff role needs Manage Server.
    let text = run(
        &mut harness,
        invocation(
            staffer.clone(),
            "suggestion",
            &["staff"],
            vec![arg("role", ArgValue::Role(STAFF))],
        ),
    );
    assert!(text.contains("Manage Server"), "{text}");
    let text = run(
        &mut harness,
        invocation(
            admin(ALICE),
            "suggestion",
            &["staff"],
            vec![arg("role", ArgValue::Role(STAFF))],
        ),
    );
    assert_eq!(text, format!("<@&{STAFF}> can now decide on suggestions."));
    let text = decide(&mut harness, staffer, "approve", 1, None);
    assert!(
        text.starts_with("Suggestion #1 is now **Approved**"),
        "{text}"
    );
    assert_eq!(fake.dms_to(BOB).len(), 1);
}

#[test]
fn unknown_numbers_and_deleted_messages_get_clear_answers() {
    let (mut harness, fake) = configured();
    let text = decide(&mut harness, admin(ALICE), "approve", 4, None);
    assert_eq!(text, "There is no suggestion #4 in this server.");
    suggest(&mut harness, member(BOB), "Soon deleted", false);
    fake.delete_message(message_of(&harness, 1));
    let text = decide(&mut harness, admin(ALICE), "implement", 1, None);
    assert!(
        text.contains("Its message was deleted, so only the record changed."),
        "{text}"
    );
    assert_eq!(record(&harness, 1)["status"], json!("implemented"));
    // Another server's suggestion #1 is not this server's.
    let other = Id::new(77);
    let text = decide(&mut harness, elsewhere(ALICE, other), "deny", 1, None);
    assert_eq!(text, "There is no suggestion #1 in this server.");
    assert_eq!(record(&harness, 1)["status"], json!("implemented"));
}

#[test]
fn deciding_ones_own_suggestion_sends_no_dm() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, admin(ALICE), "Mine to decide", false);
    let text = decide(&mut harness, admin(ALICE), "approve", 1, None);
    assert!(
        text.ends_with("It is your own suggestion, so no direct message was sent."),
        "{text}"
    );
    assert!(fake.dms_to(ALICE).is_empty());
}

#[test]
fn staff_can_see_who_wrote_an_anonymous_suggestion_members_cannot() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Secret wish", true);
    let message = message_of(&harness, 1);
    vote(&mut harness, member(CAROL), message, 1, false);
    let show = |invoker| {
        invocation(
            invoker,
            "suggestion",
            &["show"],
            vec![arg("id", ArgValue::Integer(1))],
        )
    };
    let text = run(&mut harness, show(member(CAROL)));
    assert!(text.starts_with("Only the suggestion staff"), "{text}");
    let text = run(&mut harness, show(admin(ALICE)));
    assert!(
        text.starts_with(&format!("Suggestion #1 by <@{BOB}> (posted anonymously"))
            && text.contains("**Open for votes**, 👍 0 · 👎 1"),
        "{text}"
    );
    // The public message still hides him.
    let shown = serde_json::to_string(&fake.message(message_of(&harness, 1))).unwrap();
    assert!(!shown.contains(&BOB.to_string()), "{shown}");
}

#[test]
fn a_decision_closes_the_discussion_thread_and_taking_it_back_reopens_it() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Talk it over", false);
    let message = message_of(&harness, 1);
    assert_eq!(fake.thread_closed(message), Some(false));
    // Considering keeps the discussion going; a final decision archives and locks it.
    decide(&mut harness, admin(ALICE), "consider", 1, None);
    assert_eq!(fake.thread_closed(message), Some(false));
    let text = decide(&mut harness, admin(ALICE), "deny", 1, Some("No"));
    assert_eq!(fake.thread_closed(message), Some(true));
    assert!(!text.contains("discussion"), "{text}");
    // Taken back: open again.
    decide(&mut harness, admin(ALICE), "consider", 1, None);
    assert_eq!(fake.thread_closed(message), Some(false));
    // Discord refuses: the staff member is told what to do, the decision stands.
    harness.answer_next(
        "set_thread_archived",
        Err(DiscordError::new(403, Some(50013), "Missing Permissions")),
    );
    let text = decide(&mut harness, admin(ALICE), "approve", 1, None);
    assert!(
        text.contains(&format!(
            "I could not archive and lock its discussion <#{message}>"
        )) && text.contains("Manage Threads"),
        "{text}"
    );
    assert_eq!(record(&harness, 1)["status"], json!("approved"));
    // A thread someone deleted is nothing to report.
    fake.delete_thread(message);
    let text = decide(&mut harness, admin(ALICE), "implement", 1, None);
    assert!(!text.contains("discussion"), "{text}");
}
