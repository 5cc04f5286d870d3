//! The vote buttons: one vote per member, changed or taken back, counted atomically, kept across
//! reloads, closed once decided.

use arsenal_plugin_api::model::id::Id;

use super::*;

#[test]
fn one_vote_per_member_changeable_and_counted_on_the_message() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Add a music channel", false);
    let message = message_of(&harness, 1);

    let text = vote(&mut harness, member(CAROL), message, 1, true);
    assert_eq!(
        text,
        "You voted 👍 on suggestion #1 (👍 1 · 👎 0). Press it again to take your vote back."
    );
    vote(&mut harness, member(ALICE), message, 1, false);
    assert_eq!(field(&fake.message(message), "Votes"), "👍 1 · 👎 1");
    assert_eq!(
        buttons(&fake.message(message)),
        vec![("1".to_owned(), false), ("1".to_owned(), false)]
    );

    // Carol changes her mind: still one vote, now down.
    let text = vote(&mut harness, member(CAROL), message, 1, false);
    assert!(
        text.starts_with("You changed your vote on suggestion #1 to 👎 (👍 0 · 👎 2)"),
        "{text}"
    );
    assert_eq!(field(&fake.message(message), "Votes"), "👍 0 · 👎 2");

    // Pressing the same button again takes the vote back.
    let text = vote(&mut harness, member(CAROL), message, 1, false);
    assert!(
        text.starts_with("You took back your vote on suggestion #1 (👍 0 · 👎 1)"),
        "{text}"
    );
    assert_eq!(field(&fake.message(message), "Votes"), "👍 0 · 👎 1");
    assert_eq!(
        harness
            .stored(&format!(
                "votes:{}:1",
                arsenal_plugin_api::testing::GUILD_ID
            ))
            .unwrap()["by"],
        json!({ ALICE.to_string(): "down" })
    );
}

#[test]
fn a_vote_that_loses_a_store_race_is_retried_and_counts() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Race me", false);
    let message = message_of(&harness, 1);
    vote(&mut harness, member(CAROL), message, 1, true);
    // Another vote was written between this one's read and its commit: the SDK retries.
    harness.conflict_next_commits(2);
    vote(&mut harness, member(ALICE), message, 1, true);
    assert_eq!(field(&fake.message(message), "Votes"), "👍 2 · 👎 0");
}

#[test]
fn votes_survive_a_reload() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Keep my votes", false);
    let message = message_of(&harness, 1);
    vote(&mut harness, member(CAROL), message, 1, true);
    harness.reload().unwrap();
    vote(&mut harness, member(ALICE), message, 1, true);
    assert_eq!(field(&fake.message(message), "Votes"), "👍 2 · 👎 0");
}

#[test]
fn votes_close_once_decided_for_good_but_not_while_considered() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Decide me", false);
    let message = message_of(&harness, 1);
    decide(&mut harness, admin(ALICE), "consider", 1, None);
    let text = vote(&mut harness, member(CAROL), message, 1, true);
    assert!(text.starts_with("You voted 👍"), "{text}");
    decide(&mut harness, admin(ALICE), "approve", 1, None);
    assert_eq!(
        buttons(&fake.message(message)),
        vec![("1".to_owned(), true), ("0".to_owned(), true)]
    );
    let text = vote(&mut harness, member(CAROL), message, 1, false);
    assert_eq!(text, "Suggestion #1 is decided: votes are closed.");
    assert_eq!(field(&fake.message(message), "Votes"), "👍 1 · 👎 0");
}

#[test]
fn a_button_naming_another_message_or_nothing_known_is_refused() {
    let (mut harness, _fake) = configured();
    suggest(&mut harness, member(BOB), "Mine, all mine", false);
    let text = vote(&mut harness, member(CAROL), 12345, 1, true);
    assert_eq!(text, "This suggestion no longer exists.");
    let message = message_of(&harness, 1);
    let text = vote(&mut harness, member(CAROL), message, 9, true);
    assert_eq!(text, "This suggestion no longer exists.");
    let response = harness
        .component(arsenal_plugin_api::protocol::ComponentInvocation {
            custom_id: "something:else".to_owned(),
            values: Vec::new(),
            message_id: Id::new(1),
            invoker: member(CAROL),
        })
        .unwrap();
    assert_eq!(ephemeral(&response), "This button is no longer in use.");
}
