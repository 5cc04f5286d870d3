//! Whole flows through the harness: panels, opening, limits, forms, staff tools, close
//! requests, transcripts, autoclose, reloads.

use arsenal_plugin_api::{
    model::id::Id,
    protocol::{ArgValue, DiscordRequest},
    testing::{ADMIN_ID, CHANNEL_ID},
    Response,
};
use serde_json::json;

use super::*;
use crate::model::{now_ms, Ticket, TicketStatus};

fn stored_ticket(harness: &TestHarness<Tickets>, channel: Id<ChannelMarker>) -> Option<Ticket> {
    harness
        .stored(&format!("ticket:{channel}"))
        .map(|v| serde_json::from_value(v).unwrap())
}

#[test]
fn opening_numbers_tickets_per_guild_with_private_overwrites() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    let first = open_as(&mut harness, BOB);
    let created = last(&harness, |r| match r {
        DiscordRequest::CreateChannel {
            name,
            permission_overwrites,
            ..
        } => Some((name.clone(), permission_overwrites.clone())),
        _ => None,
    });
    assert_eq!(created.0, "ticket-0001");
    assert_eq!(
        created.1,
        crate::access::ticket_overwrites(Id::new(1), BOT, &[STAFF_ROLE], &[BOB]),
        "@everyone denied; bot, staff and opener allowed"
    );
    let welcome = last(&harness, |r| match r {
        DiscordRequest::SendMessage {
            channel_id,
            message,
        } if *channel_id == first => Some(message.clone()),
        _ => None,
    });
    assert_eq!(welcome.content.as_deref(), Some("<@20> <@&500>"));
    open_as(&mut harness, CAROL);
    let names: Vec<String> = harness
        .discord_requests()
        .iter()
        .filter_map(|r| match r {
            DiscordRequest::CreateChannel { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["ticket-0001", "ticket-0002"]);
    assert_eq!(harness.stored("counter:1").unwrap()["tickets"], 2);
    let ticket = stored_ticket(&harness, first).unwrap();
    assert_eq!((ticket.number, ticket.opener, ticket.v), (1, BOB, 1));
}

#[test]
fn the_per_member_limit_is_enforced_until_a_ticket_closes() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    let channel = open_as(&mut harness, BOB);
    let refused = click(&mut harness, who(BOB, CHANNEL_ID), "open:1");
    assert!(is_ephemeral(&refused));
    assert!(
        said(&refused).starts_with(&format!("You already have 1 open ticket (<#{channel}>)")),
        "{refused:?}"
    );
    run(&mut harness, who(BOB, channel), "close", vec![]);
    harness.fire_timer(&format!("close:{channel}")).unwrap();
    open_as(&mut harness, BOB);

    admin(
        &mut harness,
        "config",
        vec![arg("limit", ArgValue::Integer(2))],
    );
    open_as(&mut harness, BOB);
    let refused = click(&mut harness, who(BOB, CHANNEL_ID), "open:1");
    assert!(said(&refused).contains("the limit is 2"), "{refused:?}");
    let bad = admin(
        &mut harness,
        "config",
        vec![arg("limit", ArgValue::Integer(0))],
    );
    assert_eq!(
        said(&bad),
        "The limit of open tickets per member must be 1 to 20."
    );
}

#[test]
fn the_reason_form_comes_first_when_configured() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    admin(
        &mut harness,
        "config",
        vec![arg("ask_reason", ArgValue::Boolean(true))],
    );
    let Response::Modal(modal) = click(&mut harness, who(BOB, CHANNEL_ID), "open:1") else {
        panic!("a form is shown");
    };
    assert_eq!(modal.custom_id, "reason:1:");
    assert!(harness
        .discord_requests()
        .iter()
        .all(|r| !matches!(r, DiscordRequest::CreateChannel { .. })));
    let empty = submit(&mut harness, who(BOB, CHANNEL_ID), &modal.custom_id, "   ");
    assert!(said(&empty).starts_with("Please say what the ticket is about"));
    let opened = submit(
        &mut harness,
        who(BOB, CHANNEL_ID),
        &modal.custom_id,
        "printer on fire",
    );
    assert!(
        said(&opened).starts_with("Your ticket is open"),
        "{opened:?}"
    );
    let ticket = harness
        .stored("open:1:20")
        .and_then(|open| open["channels"][0].as_str().map(str::to_owned))
        .and_then(|c| stored_ticket(&harness, Id::new(c.parse().unwrap())))
        .unwrap();
    assert_eq!(ticket.reason.as_deref(), Some("printer on fire"));
}

#[test]
fn topics_turn_the_panel_into_a_menu_with_their_own_staff_and_category() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    let billing_staff = Id::new(501);
    let answer = admin(
        &mut harness,
        "topic-add",
        vec![
            arg("panel", ArgValue::Integer(1)),
            arg("name", text("Billing")),
            arg("description", text("Invoices and refunds")),
            arg("staff", ArgValue::Role(billing_staff)),
            arg("category", ArgValue::Channel(Id::new(800))),
        ],
    );
    assert_eq!(said(&answer), "Topic **Billing** added on panel #1.");
    let edited = last(&harness, |r| match r {
        DiscordRequest::EditMessage { message, .. } => Some(serde_json::to_value(message).unwrap()),
        _ => None,
    });
    let menu = &edited["components"][0]["components"][0];
    assert_eq!(menu["custom_id"], "pick:1");
    assert_eq!(menu["options"][0]["value"], "billing");

    let opened = select(&mut harness, who(BOB, CHANNEL_ID), "pick:1", "billing");
    assert!(
        said(&opened).starts_with("Your ticket is open"),
        "{opened:?}"
    );
    let (parent, overwrites) = last(&harness, |r| match r {
        DiscordRequest::CreateChannel {
            parent_id,
            permission_overwrites,
            ..
        } => Some((*parent_id, permission_overwrites.clone())),
        _ => None,
    });
    assert_eq!(parent, Some(Id::new(800)));
    assert!(overwrites.iter().any(|o| o.id == billing_staff.cast()));
    assert!(overwrites.iter().any(|o| o.id == STAFF_ROLE.cast()));

    let gone = select(&mut harness, who(CAROL, CHANNEL_ID), "pick:1", "shipping");
    assert_eq!(
        said(&gone),
        "That topic was removed from this panel. Pick another one."
    );
    let removed = admin(
        &mut harness,
        "topic-remove",
        vec![
            arg("panel", ArgValue::Integer(1)),
            arg("name", text("billing")),
        ],
    );
    assert_eq!(said(&removed), "Topic removed from panel #1.");
}

#[test]
fn misuse_is_answered_clearly_and_privately() {
    let (mut harness, _) = start();
    let refused = run(&mut harness, who(BOB, CHANNEL_ID), "config", vec![]);
    assert_eq!(
        said(&refused),
        "You need the Manage Server permission to set up tickets."
    );
    let no_panel = click(&mut harness, who(BOB, CHANNEL_ID), "open:9");
    assert!(said(&no_panel).starts_with("This ticket panel no longer exists"));
    let not_ticket = run(&mut harness, who(BOB, CHANNEL_ID), "close", vec![]);
    assert!(said(&not_ticket).starts_with("This is not a ticket"));
    let stale = click(&mut harness, who(BOB, CHANNEL_ID), "something:else");
    assert!(said(&stale).contains("older version"));
    let missing = admin(
        &mut harness,
        "topic-add",
        vec![arg("panel", ArgValue::Integer(4)), arg("name", text("x"))],
    );
    assert!(said(&missing).starts_with("There is no panel #4"));
    let negative = admin(
        &mut harness,
        "panel-delete",
        vec![arg("panel", ArgValue::Integer(-1))],
    );
    assert!(said(&negative).starts_with("There is no panel #-1"));
    let bad_duration = admin(&mut harness, "config", vec![arg("autoclose", text("soon"))]);
    assert!(said(&bad_duration).starts_with("`soon` is not a duration"));

    set_up(&mut harness);
    let channel = open_as(&mut harness, BOB);
    let in_ticket = |user| who(user, channel);
    for (sub, args) in [
        ("claim", vec![]),
        ("rename", vec![arg("name", text("x"))]),
        ("closerequest", vec![]),
    ] {
        let answer = run(&mut harness, in_ticket(BOB), sub, args);
        assert_eq!(said(&answer), "Only ticket staff can do this.", "{sub}");
        assert!(is_ephemeral(&answer));
    }
    let outsider = run(
        &mut harness,
        in_ticket(CAROL),
        "add",
        vec![arg("user", ArgValue::User(CAROL))],
    );
    assert_eq!(
        said(&outsider),
        "Only the ticket's opener or staff can add members."
    );
    let outsider = click(&mut harness, in_ticket(CAROL), &format!("close:{channel}"));
    assert_eq!(
        said(&outsider),
        "Only the ticket's opener or staff can close it."
    );
    let opener = run(
        &mut harness,
        in_ticket(STAFF),
        "remove",
        vec![arg("user", ArgValue::User(BOB))],
    );
    assert_eq!(
        said(&opener),
        "The opener cannot be removed from their own ticket."
    );
    assert!(
        harness.logs().iter().all(|(level, _)| *level > 2),
        "no errors logged"
    );
}

#[test]
fn staff_claim_add_remove_and_rename() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    let channel = open_as(&mut harness, BOB);
    let staff = who(STAFF, channel);
    let claimed = click(&mut harness, staff.clone(), &format!("claim:{channel}"));
    assert_eq!(
        said(&claimed),
        "🙋 <@40> claimed this ticket and will handle it."
    );
    let again = run(&mut harness, who(ADMIN_ID, channel), "claim", vec![]);
    assert!(said(&again).starts_with("<@40> already claimed"));

    let added = run(
        &mut harness,
        staff.clone(),
        "add",
        vec![arg("user", ArgValue::User(CAROL))],
    );
    assert!(said(&added).starts_with("➕ <@30> was added"), "{added:?}");
    let overwrite = last(&harness, |r| match r {
        DiscordRequest::SetPermissionOverwrite {
            channel_id,
            overwrite,
        } => Some((*channel_id, *overwrite)),
        _ => None,
    });
    assert_eq!(overwrite, (channel, crate::access::member_overwrite(CAROL)));
    let twice = run(
        &mut harness,
        staff.clone(),
        "add",
        vec![arg("user", ArgValue::User(CAROL))],
    );
    assert_eq!(said(&twice), "<@30> is already in this ticket.");
    let removed = run(
        &mut harness,
        staff.clone(),
        "remove",
        vec![arg("user", ArgValue::User(CAROL))],
    );
    assert!(said(&removed).starts_with("➖ <@30> was removed"));
    assert!(harness
        .discord_requests()
        .contains(&DiscordRequest::DeletePermissionOverwrite {
            channel_id: channel,
            target_id: CAROL.get()
        }));

    let renamed = run(
        &mut harness,
        staff,
        "rename",
        vec![arg("name", text("Bob Refund"))],
    );
    assert!(said(&renamed).starts_with("✏️ Ticket renamed to **bob-refund**"));
}

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
        "Discord refused (403): Missing Access".to_owned(),
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
    let first = due(&harness).expect("scheduled at open");
    assert!(first.abs_diff(now_ms() + 3_600_000) < 5_000);

    // The ticket went quiet two hours ago; then bob writes: the timer moves to now + 1h.
    let mut ticket = stored_ticket(&harness, channel).unwrap();
    ticket.last_activity_ms = now_ms() - 7_200_000;
    harness.set_stored(
        &format!("ticket:{channel}"),
        serde_json::to_value(&ticket).unwrap(),
    );
    harness
        .event("MESSAGE_CREATE", &message_event(5000, channel, BOB))
        .unwrap();
    let moved = due(&harness).unwrap();
    assert!(
        moved.abs_diff(now_ms() + 3_600_000) < 5_000
            && stored_ticket(&harness, channel).unwrap().last_activity_ms > ticket.last_activity_ms
    );
    // The bot's own messages are not activity.
    let mut bot_message = message_event(5001, channel, BOT);
    bot_message["author"]["bot"] = json!(true);
    harness.event("MESSAGE_CREATE", &bot_message).unwrap();

    // Fired early (activity after it was set): it waits for the rest instead of closing.
    harness.fire_timer(&key).unwrap();
    assert!(stored_ticket(&harness, channel).unwrap().is_open());
    assert!(due(&harness).is_some(), "rescheduled");

    // Really idle: closing begins, with a notice in the ticket.
    let mut ticket = stored_ticket(&harness, channel).unwrap();
    ticket.last_activity_ms = now_ms() - 3_700_000;
    harness.set_stored(
        &format!("ticket:{channel}"),
        serde_json::to_value(&ticket).unwrap(),
    );
    harness.fire_timer(&key).unwrap();
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

#[test]
fn panels_and_tickets_survive_a_reload() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    let channel = open_as(&mut harness, BOB);
    harness.reload().unwrap();
    let claimed = run(&mut harness, who(STAFF, channel), "claim", vec![]);
    assert!(said(&claimed).starts_with("🙋"), "{claimed:?}");
    open_as(&mut harness, CAROL);
    harness.reload().unwrap();
    let ticket = stored_ticket(&harness, channel).unwrap();
    assert_eq!(ticket.claimed_by, Some(STAFF));
    assert_eq!(harness.stored("counter:1").unwrap()["tickets"], 2);
    let listed = admin(&mut harness, "panels", vec![]);
    assert!(
        said(&listed).contains("#1 in <#2>: Support tickets — one button"),
        "{listed:?}"
    );
}

#[test]
fn a_ticket_channel_deleted_by_hand_is_forgotten() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    let channel = open_as(&mut harness, BOB);
    let deleted =
        json!({ "id": channel.to_string(), "type": 0, "guild_id": "1", "name": "ticket-0001" });
    harness.event("CHANNEL_DELETE", &deleted).unwrap();
    assert_eq!(stored_ticket(&harness, channel), None);
    open_as(&mut harness, BOB);
}

#[test]
fn thread_mode_opens_a_private_thread_with_the_opener() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    admin(&mut harness, "config", vec![arg("mode", text("thread"))]);
    let thread = open_as(&mut harness, BOB);
    let requests = harness.discord_requests();
    assert!(requests.contains(&DiscordRequest::CreateThread {
        channel_id: CHANNEL_ID,
        name: "ticket-0001".to_owned(),
        private: true
    }));
    assert!(requests.contains(&DiscordRequest::AddThreadMember {
        channel_id: thread,
        user_id: BOB
    }));
    let added = run(
        &mut harness,
        who(ADMIN_ID, thread),
        "add",
        vec![arg("user", ArgValue::User(CAROL))],
    );
    assert!(said(&added).starts_with("➕"));
    assert!(harness
        .discord_requests()
        .contains(&DiscordRequest::AddThreadMember {
            channel_id: thread,
            user_id: CAROL
        }));
}
