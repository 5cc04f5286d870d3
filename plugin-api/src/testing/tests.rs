//! The harness's scripted world, through a small plugin: the clock it reads, the Discord answers
//! it gets, and the store races it loses.

use std::time::Duration;

use serde_json::json;

use super::{TestHarness, GUILD_ID};
use crate::{
    abi::ErrorCode,
    protocol::{discord_code, CommandInvocation, DiscordError, DiscordRequest},
    Context, Error, Manifest, Plugin, Response, Result,
};

/// `/now` answers the host's clock; `/ban` bans user 5 and says how Discord answered; `/add`
/// increments a counter in a transaction; `/deny` refuses.
struct Probe;

impl Plugin for Probe {
    fn manifest() -> Manifest {
        Manifest::new("probe", "1.0.0")
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Self)
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        match command.name.as_str() {
            "now" => Ok(Response::text(ctx.now().to_string())),
            "ban" => {
                let ban = DiscordRequest::BanMember {
                    guild_id: GUILD_ID,
                    user_id: crate::model::id::Id::new(5),
                    delete_message_seconds: 0,
                    reason: None,
                };
                match ctx.discord().execute_json(&ban) {
                    Ok(_) => Ok(Response::text("banned")),
                    Err(e) if e.is_missing_permissions() => Ok(Response::text(format!(
                        "no permission: {:?} {:?}",
                        e.discord_status(),
                        e.discord_code()
                    ))),
                    Err(e) if e.is_not_found() => Ok(Response::text("gone")),
                    Err(e) => Err(e.context("banning")),
                }
            }
            "add" => {
                let count = ctx.store().transaction(|txn| {
                    let count = txn.get::<u64>("count")?.unwrap_or(0) + 1;
                    txn.set("count", &count)?;
                    Ok(count)
                })?;
                Ok(Response::text(count.to_string()))
            }
            _ => Err(Error::refused("Not today.")),
        }
    }
}

fn said(harness: &mut TestHarness<Probe>, name: &str) -> String {
    let answer = harness.command(harness.slash(name)).unwrap();
    serde_json::to_value(answer).unwrap()["content"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn the_clock_is_the_hosts_and_moves_only_when_told() {
    let mut harness = TestHarness::<Probe>::start().unwrap();
    harness.set_now(1_000_000);
    assert_eq!(said(&mut harness, "now"), "1000000");
    harness.advance(Duration::from_secs(90));
    assert_eq!(said(&mut harness, "now"), "1090000");
    assert_eq!(harness.now(), 1_090_000);
}

#[test]
fn scripted_answers_are_used_once_in_order_before_the_handler() {
    let mut harness = TestHarness::<Probe>::start().unwrap();
    harness.on_discord(|_| Ok::<_, DiscordError>(json!({})));
    harness.answer_next(
        "ban_member",
        Err(DiscordError::new(
            403,
            Some(discord_code::MISSING_PERMISSIONS),
            "Missing Permissions",
        )),
    );
    harness.answer_next(
        "ban_member",
        Err(DiscordError::new(
            404,
            Some(discord_code::UNKNOWN_USER),
            "Unknown User",
        )),
    );
    assert_eq!(
        said(&mut harness, "ban"),
        "no permission: Some(403) Some(50013)"
    );
    assert_eq!(said(&mut harness, "ban"), "gone");
    assert_eq!(said(&mut harness, "ban"), "banned");
    // Another action's script waits for its own action.
    harness.answer_next("kick_member", Err(DiscordError::new(500, None, "oops")));
    assert_eq!(said(&mut harness, "ban"), "banned");
}

#[test]
fn an_unmatched_refusal_reaches_the_host_as_readable_discord_text() {
    let mut harness = TestHarness::<Probe>::start().unwrap();
    harness.on_discord(|_| Err(DiscordError::new(400, Some(50035), "Invalid Form Body")));
    let error = harness.command(harness.slash("ban")).unwrap_err();
    assert_eq!(error.kind(), ErrorCode::Discord);
    assert_eq!(
        error.message.as_str(),
        "banning: Discord refused (400): Invalid Form Body (code 50035)"
    );
}

#[test]
fn a_plain_text_refusal_stands_for_an_older_host() {
    let mut harness = TestHarness::<Probe>::start().unwrap();
    harness.on_discord(|_| Err("Discord refused (403 Forbidden): Missing Permissions"));
    // No status or code to act on: the module cannot tell, so the call fails with the text.
    let error = harness.command(harness.slash("ban")).unwrap_err();
    assert_eq!(
        error.message.as_str(),
        "banning: Discord refused (403 Forbidden): Missing Permissions"
    );
}

#[test]
fn injected_conflicts_are_retried_then_reported() {
    let mut harness = TestHarness::<Probe>::start().unwrap();
    assert_eq!(said(&mut harness, "add"), "1");
    // One lost race: the transaction reruns on fresh values and commits once.
    harness.conflict_next_commits(1);
    assert_eq!(said(&mut harness, "add"), "2");
    assert_eq!(harness.stored("count"), Some(json!(2)));
    // Losing every attempt gives up with a conflict, and nothing is written.
    harness.conflict_next_commits(100);
    let error = harness.command(harness.slash("add")).unwrap_err();
    assert_eq!(error.kind(), ErrorCode::Conflict, "{error:?}");
    assert_eq!(harness.stored("count"), Some(json!(2)));
}

#[test]
fn a_refusal_reaches_the_host_as_forbidden_with_the_members_text() {
    let mut harness = TestHarness::<Probe>::start().unwrap();
    let error = harness.command(harness.slash("deny")).unwrap_err();
    assert_eq!(
        (error.kind(), error.message.as_str()),
        (ErrorCode::Forbidden, "Not today.")
    );
}

#[test]
fn due_timers_fire_when_the_clock_reaches_them() {
    let mut harness = TestHarness::<Probe>::start().unwrap();
    harness.set_now(10_000);
    // Probe has no timers of its own: schedule through the host as a module would.
    harness
        .host
        .handle(
            crate::protocol::op::TIMER_SCHEDULE,
            r#"{"key":"late","at_unix_ms":20000,"payload":null}"#,
        )
        .unwrap();
    assert!(harness.fire_due_timers().unwrap().is_empty());
    harness.advance(Duration::from_secs(10));
    assert_eq!(harness.fire_due_timers().unwrap(), ["late"]);
    assert!(harness.timers().is_empty());
}
