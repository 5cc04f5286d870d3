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

/// Speaks English and French: `/hi` greets the member in their language; a join is announced in
/// the server's.
struct Polyglot;

impl Plugin for Polyglot {
    const LOCALES: crate::i18n::Locales = crate::i18n::Locales::new(&[
        ("en", "hi = Hi { $name }!\njoined = Someone joined\ncmd-hi = hi\n"),
        (
            "fr",
            "hi = Salut { $name } !\njoined = Quelqu'un est arrivé\ncmd-hi = salut\n    .description = Dire bonjour\n",
        ),
    ]);

    fn manifest() -> Manifest {
        Manifest::new("polyglot", "1.0.0").command(crate::CommandSpec::new("hi", "Say hi"))
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Self)
    }

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let tr = ctx.tr(&command.invoker);
        Ok(Response::text(crate::tr!(
            tr,
            "hi",
            name = command.invoker.user_name.as_str()
        )))
    }

    fn on_timer(&mut self, ctx: &Context, _: &crate::protocol::TimerFired) -> Result<()> {
        let text = ctx.tr_guild(GUILD_ID).t("joined");
        ctx.store().set("announced", &text)
    }
}

#[test]
fn a_member_is_answered_in_their_language_then_the_servers() {
    let mut harness = TestHarness::<Polyglot>::start().unwrap();
    let mut hi = harness.slash("hi");
    hi.invoker.user_name = "Zoé".to_owned();
    assert_eq!(
        harness.command(hi.clone()).unwrap(),
        Response::text("Hi Zoé!")
    );
    hi.invoker.locale = Some("fr".to_owned());
    assert_eq!(
        harness.command(hi.clone()).unwrap(),
        Response::text("Salut Zoé !")
    );
    // A member on a language the module lacks, in a French server: French.
    hi.invoker.locale = Some("de".to_owned());
    hi.invoker.guild_locale = Some("fr".to_owned());
    assert_eq!(harness.command(hi).unwrap(), Response::text("Salut Zoé !"));
}

#[test]
fn what_a_module_posts_on_its_own_is_in_the_servers_language() {
    let mut harness = TestHarness::<Polyglot>::start().unwrap();
    harness.set_guild_locale(Some("fr"));
    harness
        .call(
            crate::protocol::kind::TIMER,
            &json!({"key": "k", "at_unix_ms": 0, "payload": null}).to_string(),
        )
        .unwrap();
    assert_eq!(
        harness.stored("announced"),
        Some(json!("Quelqu'un est arrivé"))
    );
}

/// Polyglot's commands, with a French file that forgot a text.
struct Forgetful;

impl Plugin for Forgetful {
    const LOCALES: crate::i18n::Locales = crate::i18n::Locales::new(&[
        ("en", "hi = Hi { $name }!\njoined = Someone joined\n"),
        (
            "fr",
            "hi = Salut { $name } !\ncmd-hi = salut\n    .description = Dire bonjour\n",
        ),
    ]);

    fn manifest() -> Manifest {
        Polyglot::manifest()
    }

    fn new(_: &Context) -> Result<Self> {
        Ok(Self)
    }
}

#[test]
fn the_manifest_carries_the_french_command_and_a_missing_text_fails_the_check() {
    let mut manifest = crate::sdk::manifest::<Polyglot>();
    crate::i18n::commands::localize(&mut manifest.commands, &manifest.command_texts);
    let names = manifest.commands[0]
        .name_localizations
        .clone()
        .unwrap_or_default();
    assert_eq!(names.get("fr").map(String::as_str), Some("salut"));
    super::assert_translated::<Polyglot>();
    let forgot = std::panic::catch_unwind(super::assert_translated::<Forgetful>)
        .expect_err("a text missing in French fails the check");
    let message = forgot.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("fr.ftl lacks `joined` (in en.ftl)"),
        "{message}"
    );
}
