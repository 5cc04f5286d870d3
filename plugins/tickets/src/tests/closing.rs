//! Closing through the harness: close requests, transcripts, delete and archive, a failed
//! transcript, autoclose.

use std::time::Duration;

use arsenal_plugin_api::{
    model::id::Id,
    protocol::{DiscordError, DiscordRequest},
    Response,
};
use serde_json::json;

use super::{flows::stored_ticket, *};
use crate::model::TicketStatus;

#[test]
fn a_close_request_waits_for_the_openers_answer() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    let channel = open_as(&mut harness, BOB);
    let request = run(
        &mut harness,
        who(STAFF, channel),
        "closerequest",
        vec![arg("reason", text("solved"))],
    );
    let Response::Message(message) = &request else {
        panic!("{request:?}")
    };
    assert!(!message.ephemeral && message.components.len() == 1);
    let yes = format!("creq:yes:{channel}");
    let no = format!("creq:no:{channel}");
    let carol = click(&mut harness, who(CAROL, channel), &yes);
    assert_eq!(
        said(&carol),
        "Only the ticket's opener can answer this request."
    );
    let kept = click(&mut harness, who(BOB, channel), &no);
    assert!(matches!(&kept, Response::Update(r) if r.components.is_empty()));
    assert!(said(&kept).contains("kept the ticket open"));
    let stale = click(&mut harness, who(BOB, channel), &yes);
    assert_eq!(
        said(&stale),
        "This close request was already answered or withdrawn."
    );
    assert!(stored_ticket(&harness, channel).unwrap().is_open());

    run(
        &mut harness,
        who(STAFF, channel),
        "closerequest",
        vec![arg("reason", text("solved"))],
    );
    let closed = click(&mut harness, who(BOB, channel), &yes);
    assert!(
        said(&closed).starts_with("🔒 Ticket closed by user20 (asked by user40): solved."),
        "{closed:?}"
    );
    assert!(matches!(
        stored_ticket(&harness, channel).unwrap().status,
        TicketStatus::Closing { .. }
    ));
    assert!(harness
        .timers()
        .iter()
        .any(|t| t.key == format!("close:{channel}")));
}

#[test]
fn closing_posts_a_paged_transcript_then_deletes_and_forgets() {
    let (mut harness, fake) = start();
    set_up(&mut harness);
    let channel = open_as(&mut harness, BOB);
    fake.0.lock().unwrap().history = (1..=250)
        .map(|i| (i, BOB.get(), format!("line {i}")))
        .collect();
    let Response::Modal(form) = click(&mut harness, who(BOB, channel), &format!("close:{channel}"))
    else {
        panic!("the Close button asks for a reason");
    };
    let announced = submit(&mut harness, who(BOB, channel), &form.custom_id, "fixed");
    assert_eq!(
        said(&announced),
        "🔒 Ticket closed by user20: fixed. This channel will be deleted in 5s."
    );
    let again = run(&mut harness, who(BOB, channel), "close", vec![]);
    assert_eq!(said(&again), "This ticket is already closing.");
    harness.fire_timer(&format!("close:{channel}")).unwrap();

    let pages: Vec<Option<u64>> = harness
        .discord_requests()
        .iter()
        .filter_map(|r| match r {
            DiscordRequest::GetMessages { before, .. } => Some(before.map(Id::get)),
            _ => None,
        })
        .collect();
    assert_eq!(pages, [None, Some(151), Some(51)], "paged backwards");
    let (log, name, content) = last(&harness, |r| match r {
        DiscordRequest::SendFile {
            channel_id,
            file_name,
            content,
            ..
        } => Some((*channel_id, file_name.clone(), content.clone())),
        _ => None,
    });
    assert_eq!((log, name.as_str()), (LOG, "ticket-0001.txt"));
    let lines: Vec<&str> = content.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(lines.len(), 250);
    assert!(lines[0].ends_with("user20: line 1") && lines[249].ends_with("user20: line 250"));
    assert!(harness
        .discord_requests()
        .contains(&DiscordRequest::DeleteChannel {
            channel_id: channel,
            reason: Some("ticket-0001 closed".to_owned())
        }));
    assert_eq!(stored_ticket(&harness, channel), None);
    assert_eq!(harness.stored("open:1:20"), None);
    // A second delivery of the same timer (at least once) does nothing.
    let before = harness.discord_requests().len();
    assert!(
        harness.fire_timer(&format!("close:{channel}")).is_err(),
        "already consumed"
    );
    assert_eq!(harness.discord_requests().len(), before);
}

#[test]
fn archiving_hides_the_ticket_from_the_opener_and_keeps_the_record() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    admin(
        &mut harness,
        "config",
        vec![
            arg("on_close", text("archive")),
            arg("archive_category", ArgValue::Channel(Id::new(801))),
        ],
    );
    let channel = open_as(&mut harness, BOB);
    run(&mut harness, who(STAFF, channel), "close", vec![]);
    harness.fire_timer(&format!("close:{channel}")).unwrap();
    let update = last(&harness, |r| match r {
        DiscordRequest::UpdateChannel {
            name,
            parent_id,
            permission_overwrites,
            ..
        } => Some((name.clone(), *parent_id, permission_overwrites.clone())),
        _ => None,
    });
    assert_eq!(update.0.as_deref(), Some("closed-0001"));
    assert_eq!(update.1, Some(Id::new(801)));
    assert_eq!(
        update.2,
        Some(crate::access::staff_only_overwrites(
            Id::new(1),
            BOT,
            &[STAFF_ROLE]
        ))
    );
    let ticket = stored_ticket(&harness, channel).unwrap();
    assert!(matches!(ticket.status, TicketStatus::Closed { .. }));
    assert!(!harness
        .discord_requests()
        .iter()
        .any(|r| matches!(r, DiscordRequest::DeleteChannel { .. })));
    open_as(&mut harness, BOB);
}

#[test]
fn a_failed_transcript_reopens_the_ticket_instead_of_deleting_it() {
    let (mut harness, fake) = start();
    set_up(&mut harness);
    let channel = open_as(&mut harness, BOB);
    run(&mut harness, who(BOB, channel), "close", vec![]);
    fake.0.lock().unwrap().fail = Some((
        "SendFile".to_owned(),
        DiscordError::new(403, Some(50001), "Missing Access"),
    ));
    harness.fire_timer(&format!("close:{channel}")).unwrap();
    assert!(stored_ticket(&harness, channel).unwrap().is_open());
    assert!(!harness
        .discord_requests()
        .iter()
        .any(|r| matches!(r, DiscordRequest::DeleteChannel { .. })));
    let notice = last(&harness, |r| match r {
        DiscordRequest::SendMessage {
            channel_id,
            message,
        } if *channel_id == channel => message.content.clone(),
        _ => None,
    });
    assert!(
        notice.contains("stays open") && notice.contains("Missing Access"),
        "{notice}"
    );
}

#[test]
fn a_ticket_channel_deleted_by_hand_is_forgotten_but_a_gone_log_channel_reopens() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    // The log channel was deleted: the transcript has nowhere to go, so the ticket stays open.
    let channel = open_as(&mut harness, BOB);
    run(&mut harness, who(BOB, channel), "close", vec![]);
    harness.answer_next(
        "send_file",
        Err(DiscordError::new(404, Some(10003), "Unknown Channel")),
    );
    harness.fire_timer(&format!("close:{channel}")).unwrap();
    assert!(stored_ticket(&harness, channel).unwrap().is_open());
    // The ticket channel itself was deleted: nothing to save, the record goes.
    run(&mut harness, who(BOB, channel), "close", vec![]);
    harness.answer_next(
        "get_messages",
        Err(DiscordError::new(404, Some(10003), "Unknown Channel")),
    );
    harness.fire_timer(&format!("close:{channel}")).unwrap();
    assert!(stored_ticket(&harness, channel).is_none());
    let requests = harness.discord_requests();
    let count = |f: fn(&DiscordRequest) -> bool| requests.iter().filter(|r| f(r)).count();
    assert_eq!(
        count(|r| matches!(r, DiscordRequest::SendFile { .. })),
        1,
        "only the first close got as far as posting"
    );
    assert_eq!(
        count(|r| matches!(r, DiscordRequest::DeleteChannel { .. })),
        0
    );
}

#[test]
fn autoclose_is_rescheduled_by_activity_and_closes_idle_tickets() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    admin(&mut harness, "config", vec![arg("autoclose", text("1h"))]);
    let channel = open_as(&mut harness, BOB);
    let key = format!("autoclose:{channel}");
    let due = |harness: &TestHarness<Tickets>| {
        harness
            .timers()
            .iter()
            .find(|t| t.key == key)
            .map(|t| t.at_unix_ms)
    };
    let opened = harness.now();
    assert_eq!(due(&harness), Some(opened + 3_600_000), "scheduled at open");

    // Two quiet hours later bob writes: the timer moves to then + 1h.
    harness.advance(Duration::from_secs(2 * 3600));
    harness
        .event("MESSAGE_CREATE", &message_event(5000, channel, BOB))
        .unwrap();
    let wrote = harness.now();
    assert_eq!(due(&harness), Some(wrote + 3_600_000));
    assert_eq!(
        stored_ticket(&harness, channel).unwrap().last_activity_ms,
        wrote
    );
    // The bot's own messages are not activity.
    harness.advance(Duration::from_secs(600));
    let mut bot_message = message_event(5001, channel, BOT);
    bot_message["author"]["bot"] = json!(true);
    harness.event("MESSAGE_CREATE", &bot_message).unwrap();
    assert_eq!(
        stored_ticket(&harness, channel).unwrap().last_activity_ms,
        wrote
    );

    // Fired early (activity after it was set): it waits for the rest instead of closing.
    harness.fire_timer(&key).unwrap();
    assert!(stored_ticket(&harness, channel).unwrap().is_open());
    assert_eq!(due(&harness), Some(wrote + 3_600_000), "rescheduled");

    // Really idle: an hour after bob's message, closing begins, with a notice in the ticket.
    harness.advance(Duration::from_secs(3000));
    assert_eq!(harness.fire_due_timers().unwrap(), vec![key.clone()]);
    let status = stored_ticket(&harness, channel).unwrap().status;
    assert_eq!(
        status,
        TicketStatus::Closing {
            by: None,
            by_name: "autoclose".to_owned(),
            reason: Some("no messages for 1h".to_owned())
        }
    );
    assert!(harness
        .timers()
        .iter()
        .any(|t| t.key == format!("close:{channel}")));
}
