//! Pure logic: names, durations, ids, overwrite sets, transcript text.

use arsenal_plugin_api::model::{
    channel::permission_overwrite::PermissionOverwriteType, guild::Permissions, id::Id,
};

use super::{BOB, BOT, STAFF_ROLE};
use crate::{
    access, manage,
    model::{
        describe_duration, parse_duration, slug, ticket_name, Ticket, TicketStatus, RECORD_VERSION,
    },
    transcript::{self, Attachment, Author, TranscriptMessage},
    ui::{parse_custom_id, Action},
};

#[test]
fn ticket_names_are_zero_padded_to_four_digits() {
    assert_eq!(ticket_name(1), "ticket-0001");
    assert_eq!(ticket_name(42), "ticket-0042");
    assert_eq!(ticket_name(12345), "ticket-12345");
}

#[test]
fn durations_parse_in_admin_units() {
    assert_eq!(parse_duration("48h"), Some(Some(48 * 3600)));
    assert_eq!(parse_duration("2d"), Some(Some(2 * 86_400)));
    assert_eq!(parse_duration("1h30m"), Some(Some(5400)));
    assert_eq!(parse_duration("90s"), Some(Some(90)));
    assert_eq!(
        parse_duration("12"),
        Some(Some(12 * 3600)),
        "bare numbers are hours"
    );
    assert_eq!(parse_duration("off"), Some(None));
    for bad in ["", "soon", "5x", "h", "99999999999999999999d"] {
        assert_eq!(parse_duration(bad), None, "{bad:?}");
    }
    assert_eq!(describe_duration(90_061), "1d 1h 1m 1s");
    assert_eq!(describe_duration(0), "0s");
}

#[test]
fn custom_ids_round_trip_and_garbage_is_refused() {
    assert_eq!(parse_custom_id("open:3"), Some(Action::Open { panel: 3 }));
    assert_eq!(
        parse_custom_id("reason:3:billing"),
        Some(Action::Reason {
            panel: 3,
            topic: "billing".to_owned()
        })
    );
    assert_eq!(
        parse_custom_id("creq:yes:77"),
        Some(Action::CloseAnswer {
            channel: Id::new(77),
            confirm: true
        })
    );
    for bad in [
        "",
        "open",
        "open:x",
        "close:0",
        "close:-1",
        "creq:maybe:7",
        "claim:1:2",
    ] {
        assert_eq!(parse_custom_id(bad), None, "{bad:?}");
    }
}

#[test]
fn topic_keys_and_channel_names_are_safe() {
    assert_eq!(slug("Billing & Payments!"), "billing-payments");
    assert_eq!(slug("???"), "topic");
    assert_eq!(
        manage::channel_name("  Bob's Refund  ", false),
        "bobs-refund"
    );
    assert_eq!(manage::channel_name("a -- b", false), "a-b");
    assert_eq!(manage::channel_name("Bob's Refund", true), "Bob's Refund");
    assert_eq!(manage::channel_name("!!!", false), "");
}

#[test]
fn overwrites_hide_the_channel_and_keep_the_bot_in() {
    let guild = Id::new(1);
    let list = access::ticket_overwrites(guild, BOT, &[STAFF_ROLE, guild.cast()], &[BOB, BOT]);
    let find = |id: u64| list.iter().find(|o| o.id.get() == id).copied();
    let everyone = find(1).expect("@everyone");
    assert_eq!(everyone.deny, Permissions::VIEW_CHANNEL);
    assert_eq!(everyone.kind, PermissionOverwriteType::Role);
    let bot = find(BOT.get()).expect("the bot keeps access");
    assert!(bot
        .allow
        .contains(Permissions::VIEW_CHANNEL | Permissions::MANAGE_CHANNELS));
    assert_eq!(bot.kind, PermissionOverwriteType::Member);
    let staff = find(STAFF_ROLE.get()).expect("staff");
    assert_eq!(
        (staff.allow, staff.kind),
        (access::STAFF_ALLOW, PermissionOverwriteType::Role)
    );
    let bob = find(BOB.get()).expect("opener");
    assert_eq!(
        (bob.allow, bob.kind),
        (access::MEMBER_ALLOW, PermissionOverwriteType::Member)
    );
    assert_eq!(
        list.len(),
        4,
        "no duplicates, @everyone never allowed: {list:?}"
    );

    let archived = access::staff_only_overwrites(guild, BOT, &[STAFF_ROLE]);
    assert!(archived.iter().all(|o| o.id.get() != BOB.get()));
    assert_eq!(archived.len(), 3);
}

fn ticket() -> Ticket {
    Ticket {
        v: RECORD_VERSION,
        guild_id: Id::new(1),
        channel_id: Id::new(700),
        number: 42,
        opener: BOB,
        opener_name: "bob".to_owned(),
        panel: Some(1),
        topic: Some("Billing".to_owned()),
        reason: Some("my\ninvoice".to_owned()),
        thread: false,
        staff_roles: vec![],
        members: vec![],
        claimed_by: None,
        opened_at_ms: 0,
        last_activity_ms: 0,
        status: TicketStatus::Closing {
            by: Some(BOB),
            by_name: "alice".to_owned(),
            reason: Some("solved".to_owned()),
        },
        close_request: None,
    }
}

fn message(id: u64, name: &str, content: &str, time: &str) -> TranscriptMessage {
    TranscriptMessage {
        id: Id::new(id),
        author: Author {
            id: Id::new(id + 1000),
            username: name.to_owned(),
            global_name: None,
            bot: name == "Arsenal",
        },
        content: content.to_owned(),
        timestamp: time.to_owned(),
        attachments: vec![],
        embeds: vec![],
    }
}

#[test]
fn transcripts_are_time_name_content_lines_oldest_first() {
    let mut with_file = message(3, "bob", "here it is", "2026-11-21T10:02:00.000000+00:00");
    with_file.attachments.push(Attachment {
        filename: "invoice.pdf".to_owned(),
        url: "https://cdn/x/invoice.pdf".to_owned(),
    });
    let messages = vec![
        message(
            1,
            "Arsenal",
            "Ticket opened",
            "2026-11-21T10:00:00.000000+00:00",
        ),
        message(
            2,
            "bob",
            "hello\nsecond line",
            "2026-11-21T10:01:30.500000+00:00",
        ),
        with_file,
        message(4, "alice", "thanks", "not a time"),
    ];
    let text = transcript::format(&ticket(), &messages, false);
    let expected = "Transcript of ticket-0042 (opened by bob <20>)
Topic: Billing
Reason: my invoice
Closed by: alice
Close reason: solved
Messages: 4 (times in UTC)

[2026-11-21 10:00:00] Arsenal [bot]: Ticket opened
[2026-11-21 10:01:30] bob: hello
    second line
[2026-11-21 10:02:00] bob: here it is
    (attachment: invoice.pdf https://cdn/x/invoice.pdf)
[not a time] alice: thanks
";
    assert_eq!(text, expected);
    assert!(transcript::format(&ticket(), &messages, true).contains("(only the last 10000)"));
}

/// The command as the hand-written declaration of version 0.1 registered it: the derived one must
/// not change what Discord shows (a change here is a change members see).
#[test]
fn the_derived_command_is_the_one_discord_had() {
    use arsenal_plugin_api::Command;
    let before: serde_json::Value = serde_json::from_str(include_str!("commands.json")).unwrap();
    let now = serde_json::to_value([crate::command::TicketCommand::spec()]).unwrap();
    assert_eq!(now, before);
}

/// A choice is read into the module's own setting; a value outside the choices is refused by
/// name before anything changes.
#[test]
fn config_choices_read_into_the_settings() {
    use arsenal_plugin_api::protocol::ArgValue;

    use super::{admin, arg, said, start, text};
    let (mut harness, _) = start();
    let saved = admin(&mut harness, "config", vec![arg("mode", text("thread"))]);
    assert!(said(&saved).contains("Mode: private thread"), "{saved:?}");
    let refused = admin(&mut harness, "config", vec![arg("on_close", text("burn"))]);
    assert!(said(&refused).contains("on_close"), "{refused:?}");
    let kept = admin(
        &mut harness,
        "config",
        vec![arg("ask_reason", ArgValue::Boolean(true))],
    );
    assert!(said(&kept).contains("On close: delete"), "{kept:?}");
}
