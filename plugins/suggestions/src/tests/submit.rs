//! `/suggest`: the posted message, the thread, numbering, cooldown, anonymity, refusals.

use std::time::Duration;

use arsenal_plugin_api::{model::id::Id, protocol::ArgValue, testing::GUILD_ID};

use super::*;

#[test]
fn a_suggestion_is_posted_numbered_with_vote_buttons_and_a_thread() {
    let (mut harness, fake) = configured();
    let text = suggest(
        &mut harness,
        member(BOB),
        "Add a music channel\nwith a bot",
        false,
    );
    assert!(
        text.starts_with("Your suggestion #1 is posted: https://discord.com/channels/1/600/"),
        "{text}"
    );
    let id = message_of(&harness, 1);
    let posted = fake.message(id);
    assert_eq!(posted.embeds[0].title.as_deref(), Some("Suggestion #1"));
    assert_eq!(
        posted.embeds[0].description.as_deref(),
        Some("Add a music channel\nwith a bot")
    );
    assert_eq!(field(&posted, "Author"), format!("<@{BOB}>"));
    assert_eq!(field(&posted, "Status"), "Open for votes");
    assert_eq!(field(&posted, "Votes"), "👍 0 · 👎 0");
    assert_eq!(
        buttons(&posted),
        vec![("0".to_owned(), false), ("0".to_owned(), false)]
    );
    assert_eq!(
        fake.0.lock().unwrap().threads.get(&id).map(String::as_str),
        Some("#1 Add a music channel")
    );
    assert_eq!(record(&harness, 1)["thread_id"], json!(id.to_string()));

    let text = suggest(&mut harness, member(CAROL), "Weekly game nights", false);
    assert!(text.starts_with("Your suggestion #2 is posted"), "{text}");
    // Numbers are per server.
    let other: Id<GuildMarker> = Id::new(77);
    harness.set_stored(
        &format!("config:{other}"),
        json!({ "channel": "900", "cooldown_secs": 0 }),
    );
    let text = suggest(&mut harness, elsewhere(BOB, other), "Elsewhere", false);
    assert!(
        text.starts_with("Your suggestion #1 is posted: https://discord.com/channels/77/900/"),
        "{text}"
    );
    assert_eq!(
        harness.stored(&format!("counter:{GUILD_ID}")),
        Some(json!(2))
    );
}

#[test]
fn without_a_channel_the_member_is_told_to_ask_an_admin() {
    let (mut harness, fake) = start();
    let text = suggest(&mut harness, member(BOB), "Something nice", false);
    assert!(text.contains("not set up"), "{text}");
    assert!(fake.posted_in(SUGGESTIONS).is_empty());
    assert!(harness.stored(&format!("counter:{GUILD_ID}")).is_none());
}

#[test]
fn the_cooldown_refuses_a_second_suggestion_until_it_passes() {
    let (mut harness, fake) = configured();
    config(
        &mut harness,
        vec![arg("cooldown", ArgValue::String("10m".into()))],
    );
    suggest(&mut harness, member(BOB), "First idea", false);
    harness.advance(Duration::from_secs(60));
    let text = suggest(&mut harness, member(BOB), "Second idea", false);
    assert_eq!(text, "You can suggest again in 9 min.");
    // Someone else is not held back by bob's cooldown.
    let text = suggest(&mut harness, member(CAROL), "Carol's idea", false);
    assert!(text.starts_with("Your suggestion #2"), "{text}");
    harness.advance(Duration::from_secs(9 * 60));
    let text = suggest(&mut harness, member(BOB), "Second idea", false);
    assert!(text.starts_with("Your suggestion #3"), "{text}");
    assert_eq!(fake.posted_in(SUGGESTIONS).len(), 3);
}

#[test]
fn an_anonymous_suggestion_hides_its_author_but_keeps_it() {
    let (mut harness, fake) = configured();
    suggest(&mut harness, member(BOB), "Anonymous idea", true);
    let posted = fake.message(message_of(&harness, 1));
    assert_eq!(field(&posted, "Author"), "Anonymous");
    let shown = serde_json::to_string(&posted).unwrap();
    assert!(!shown.contains(&BOB.to_string()), "{shown}");
    assert_eq!(record(&harness, 1)["author"], json!(BOB.to_string()));
    assert_eq!(record(&harness, 1)["anonymous"], json!(true));

    config(
        &mut harness,
        vec![arg("anonymous", ArgValue::Boolean(false))],
    );
    let text = suggest(&mut harness, member(CAROL), "Another", true);
    assert!(
        text.contains("Anonymous suggestions are turned off"),
        "{text}"
    );
    assert_eq!(fake.posted_in(SUGGESTIONS).len(), 1);
}

#[test]
fn a_refused_post_keeps_nothing_and_gives_the_text_back() {
    let (mut harness, fake) = configured();
    config(
        &mut harness,
        vec![arg("channel", ArgValue::Channel(LOCKED))],
    );
    config(
        &mut harness,
        vec![arg("cooldown", ArgValue::String("1h".into()))],
    );
    let text = suggest(&mut harness, member(BOB), "My precious idea", false);
    assert!(
        text.contains("I could not post your suggestion in <#602>")
            && text.contains("Missing Permissions")
            && text.ends_with("My precious idea"),
        "{text}"
    );
    assert!(harness
        .stored(&format!("suggestion:{GUILD_ID}:1"))
        .is_none());
    assert!(harness
        .stored(&format!("cooldown:{GUILD_ID}:{BOB}"))
        .is_none());
    // Once the channel works, bob may post at once (no cooldown was started).
    config(
        &mut harness,
        vec![arg("channel", ArgValue::Channel(SUGGESTIONS))],
    );
    let text = suggest(&mut harness, member(BOB), "My precious idea", false);
    assert!(text.starts_with("Your suggestion #2 is posted"), "{text}");
    assert_eq!(fake.posted_in(SUGGESTIONS).len(), 1);
}

#[test]
fn a_failed_thread_still_posts_and_says_why() {
    let (mut harness, fake) = configured();
    harness.answer_next(
        "create_thread_from_message",
        Err(DiscordError::new(403, Some(50013), "Missing Permissions")),
    );
    let text = suggest(&mut harness, member(BOB), "Threadless idea", false);
    assert!(
        text.contains("Your suggestion #1 is posted")
            && text.contains("I could not open its discussion thread: Discord refused (403): Missing Permissions (code 50013)."),
        "{text}"
    );
    assert_eq!(fake.posted_in(SUGGESTIONS).len(), 1);

    config(&mut harness, vec![arg("threads", ArgValue::Boolean(false))]);
    suggest(&mut harness, member(CAROL), "No thread wanted", false);
    assert!(fake.0.lock().unwrap().threads.is_empty());
}

#[test]
fn a_too_short_suggestion_is_refused_by_the_option_rules() {
    let (mut harness, fake) = configured();
    let response = harness
        .command(invocation(
            member(BOB),
            "suggest",
            &[],
            vec![arg("suggestion", ArgValue::String("hi".into()))],
        ))
        .unwrap();
    let text = ephemeral(&response);
    assert!(!text.is_empty() && !text.contains("posted"), "{text}");
    assert!(fake.posted_in(SUGGESTIONS).is_empty());
}
