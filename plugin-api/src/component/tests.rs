//! Derived custom ids and forms: round trips, refusals, the length checks, and a plugin using
//! them through the test harness (the same ABI path as a loaded library).

use crate::component::__private;
use crate::prelude::*;
use crate::protocol::{Modal, ModalField};
use crate::testing::TestHarness;
use twilight_model::channel::message::component::TextInputStyle;
use twilight_model::channel::message::Component;

#[derive(Debug, Clone, PartialEq, CustomId)]
enum Ticket {
    Close {
        ticket: u64,
    },
    #[custom_id(tag = "c")]
    Claim(u64, bool),
    Refresh,
    Rename {
        ticket: u64,
        name: String,
    },
    Assign {
        to: Id<UserMarker>,
    },
}

#[derive(Debug, PartialEq, CustomId)]
#[custom_id(tag = "page")]
struct Page {
    number: u32,
}

/// Report a problem
#[derive(Debug, PartialEq, ModalForm)]
struct Report {
    /// Subject
    #[input(min_length = 3, max_length = 20)]
    subject: String,
    /// What happened
    #[input(paragraph, placeholder = "Steps, links")]
    details: Option<String>,
}

#[test]
fn every_shape_round_trips_through_a_short_stable_id() {
    let cases = [
        (Ticket::Close { ticket: 42 }, "close:42"),
        (Ticket::Claim(7, true), "c:7:1"),
        (Ticket::Refresh, "refresh"),
        (
            Ticket::Rename {
                ticket: 1,
                name: "a:b%c".to_owned(),
            },
            "rename:1:a%3Ab%25c",
        ),
        (Ticket::Assign { to: Id::new(99) }, "assign:99"),
    ];
    for (value, id) in cases {
        assert_eq!(value.custom_id(), id);
        assert_eq!(Ticket::parse_custom_id(id), Ok(value));
    }
    assert_eq!(Page { number: 3 }.custom_id(), "page:3");
    assert_eq!(Page::parse_custom_id("page:3"), Ok(Page { number: 3 }));
}

#[test]
fn an_id_this_version_did_not_write_is_refused_with_a_reason() {
    let refusal = |id: &str| {
        Ticket::parse_custom_id(id)
            .unwrap_err()
            .message()
            .to_owned()
    };
    assert!(refusal("open:1").contains("no control of this module has that name"));
    assert!(refusal("close:x").contains("`ticket` is not a whole number"));
    assert!(refusal("close").contains("`ticket` is not a whole number"));
    assert!(refusal("close:1:2").contains("more fields"));
    assert!(refusal("c:1:yes").contains("`1` is not 1 or 0"));
    assert!(refusal("assign:0").contains("not a Discord id"));
    assert!(refusal("rename:1:%zz").contains("`name` is not text"));
    let answer = Response::from(Ticket::parse_custom_id("open:1").unwrap_err());
    assert!(matches!(answer, Response::Message(reply) if reply.ephemeral));
}

#[test]
fn the_longest_id_is_known_when_every_field_is_bounded() {
    // "c" + ":" + 20 digits + ":" + 1 flag, the longest variant with only bounded fields; but a
    // text field makes the whole type unbounded.
    assert_eq!(Ticket::MAX_LEN, None);
    assert_eq!(Page::MAX_LEN, Some("page".len() + 1 + 10));
    assert_eq!(__private::variant_len(1, &[Some(20), Some(1)]), Some(24));
    assert_eq!(__private::max_len(&[Some(3), Some(9), Some(4)]), Some(9));
    assert_eq!(__private::budget(7), 92);
}

#[test]
fn a_form_declares_its_inputs_and_reads_them_by_field() {
    let modal = Report::modal(&Ticket::Close { ticket: 5 }, "Report");
    assert_eq!(modal.custom_id, "close:5");
    let inputs: Vec<_> = modal
        .components
        .iter()
        .filter_map(|row| match row {
            Component::ActionRow(row) => match row.components.first() {
                Some(Component::TextInput(input)) => Some(input.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0].custom_id, "subject");
    assert_eq!(inputs[0].required, Some(true));
    assert_eq!(inputs[0].max_length, Some(20));
    assert_eq!(inputs[1].style, TextInputStyle::Paragraph);
    assert_eq!(inputs[1].required, Some(false));
    assert_eq!(inputs[1].placeholder.as_deref(), Some("Steps, links"));

    let submit = |fields: &[(&str, &str)]| ModalInvocation {
        custom_id: "close:5".to_owned(),
        fields: fields
            .iter()
            .map(|(id, value)| ModalField {
                custom_id: (*id).to_owned(),
                value: (*value).to_owned(),
            })
            .collect(),
        invoker: TestHarness::<Tickets>::invoker(Id::new(1), Permissions::empty()),
    };
    let full = submit(&[("subject", "Broken bot"), ("details", "It died")]);
    assert_eq!(
        Report::from_modal(&full),
        Ok(Report {
            subject: "Broken bot".to_owned(),
            details: Some("It died".to_owned())
        })
    );
    assert_eq!(
        <Ticket as CustomId>::from_modal(&full),
        Ok(Ticket::Close { ticket: 5 })
    );
    let short = submit(&[("subject", "Broken bot"), ("details", "")]);
    assert_eq!(Report::from_modal(&short).map(|r| r.details), Ok(None));
    let missing = Report::from_modal(&submit(&[("details", "x")])).unwrap_err();
    assert_eq!(missing.message(), "Subject is required.");
    let long = Report::from_modal(&submit(&[("subject", &"x".repeat(21))])).unwrap_err();
    assert_eq!(long.message(), "Subject takes at most 20 characters.");
}

/// A plugin written with the derives, run through the harness.
struct Tickets;

impl Plugin for Tickets {
    fn manifest() -> Manifest {
        Manifest::new("tickets", "1.0.0").command(CommandSpec::new("ticket", "Open a ticket"))
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Tickets)
    }

    fn on_command(&mut self, _: &Context, command: &CommandInvocation) -> Result<Response> {
        let name = command.str_arg("name").unwrap_or("t").to_owned();
        Ok(Reply::text("Ticket #42")
            .buttons([
                Button::danger("Close", &Ticket::Close { ticket: 42 }),
                Button::secondary("Rename", &Ticket::Rename { ticket: 42, name }),
            ])
            .into())
    }

    fn on_component(&mut self, _: &Context, component: &ComponentInvocation) -> Result<Response> {
        Ok(match Ticket::from_component(component)? {
            Ticket::Close { ticket } => Response::update(Reply::text(format!("#{ticket} closed"))),
            _ => Response::modal(Report::modal(&Ticket::Refresh, "Report")),
        })
    }
}

#[test]
fn a_plugin_answers_its_own_typed_buttons() {
    let mut harness = TestHarness::<Tickets>::start().unwrap();
    let Response::Message(reply) = harness.command(harness.slash("ticket")).unwrap() else {
        panic!("expected a message");
    };
    let json = serde_json::to_value(&reply.components).unwrap();
    assert_eq!(json[0]["components"][0]["custom_id"], "close:42");
    assert_eq!(json[0]["components"][0]["style"], 4);
    let click = harness.click(Id::new(1), Id::new(2), "close:42");
    assert_eq!(
        harness.component(click).unwrap(),
        Response::update(Reply::text("#42 closed"))
    );
    let stale = harness.click(Id::new(1), Id::new(2), "close:abc");
    let error = harness.component(stale).unwrap_err();
    assert!(
        error.message.contains("`ticket` is not a whole number"),
        "{}",
        error.message
    );
    let other = harness.click(Id::new(1), Id::new(2), "c:1:0");
    assert!(matches!(
        harness.component(other).unwrap(),
        Response::Modal(Modal { .. })
    ));
}

#[test]
fn an_id_too_long_for_the_module_prefix_is_an_error_naming_it() {
    let mut harness = TestHarness::<Tickets>::start().unwrap();
    // "tickets:" leaves 92 characters; "rename:42:" takes 10.
    let mut fits = harness.slash("ticket");
    fits.args.push(crate::protocol::Arg {
        name: "name".to_owned(),
        value: crate::protocol::ArgValue::String("n".repeat(82)),
    });
    assert!(harness.command(fits.clone()).is_ok());
    fits.args[0].value = crate::protocol::ArgValue::String("n".repeat(83));
    let error = harness.command(fits).unwrap_err();
    assert!(
        error
            .message
            .contains("has 93 characters, but module `tickets` may use 92"),
        "{}",
        error.message
    );
}
