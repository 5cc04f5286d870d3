//! `/suggestion config` and its refusals.

use super::*;

#[test]
fn config_shows_and_changes_the_settings() {
    let (mut harness, _fake) = start();
    let text = config(&mut harness, Vec::new());
    assert!(
        text.starts_with("Suggestion settings:")
            && text.contains("Channel: not set")
            && text.contains("Cooldown: 5 min"),
        "{text}"
    );
    let text = config(
        &mut harness,
        vec![
            arg("channel", ArgValue::Channel(SUGGESTIONS)),
            arg("cooldown", ArgValue::String("1h30m".into())),
            arg("anonymous", ArgValue::Boolean(false)),
        ],
    );
    assert!(
        text.contains("Channel: <#600>")
            && text.contains("Cooldown: 1 h 30 min")
            && text.contains("Anonymous suggestions: off"),
        "{text}"
    );
    harness.reload().unwrap();
    let text = config(&mut harness, Vec::new());
    assert!(text.contains("Channel: <#600>"), "{text}");
}

#[test]
fn a_bad_cooldown_or_a_member_without_manage_server_is_refused() {
    let (mut harness, _fake) = start();
    let text = config(
        &mut harness,
        vec![arg("cooldown", ArgValue::String("soon".into()))],
    );
    assert!(text.starts_with("`soon` is not a cooldown"), "{text}");
    let text = run(
        &mut harness,
        invocation(
            member(BOB),
            "suggestion",
            &["config"],
            vec![arg("channel", ArgValue::Channel(SUGGESTIONS))],
        ),
    );
    assert!(text.contains("Manage Server"), "{text}");
    let text = config(&mut harness, Vec::new());
    assert!(text.contains("Channel: not set"), "{text}");
}

#[test]
fn everyone_cannot_be_staff() {
    let (mut harness, _fake) = start();
    let text = run(
        &mut harness,
        invocation(
            admin(ALICE),
            "suggestion",
            &["staff"],
            vec![arg("role", ArgValue::Role(GUILD_ID.cast()))],
        ),
    );
    assert!(text.contains("@everyone cannot be"), "{text}");
}
