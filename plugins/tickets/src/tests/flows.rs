//! Whole flows through the harness: panels, opening, limits, forms, staff tools, reloads.

use arsenal_plugin_api::{
    model::id::Id,
    protocol::{ArgValue, DiscordRequest},
    testing::{ADMIN_ID, CHANNEL_ID},
    Response,
};
use serde_json::json;

use super::*;
use crate::model::Ticket;

pub fn stored_ticket(harness: &TestHarness<Tickets>, channel: Id<ChannelMarker>) -> Option<Ticket> {
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
