//! Starting (options and form), misuse, listing, deleting, and what another server can reach.

use arsenal_plugin_api::protocol::{CommandSource, ModalField, ModalInvocation};

use super::*;
use crate::draw;

#[test]
fn start_posts_the_giveaway_with_its_commitment_and_schedules_its_end() {
    let mut h = start();
    let now = h.now();
    let message = start_giveaway(
        &mut h,
        vec![
            text("prize", "Steam key"),
            text("duration", "2h"),
            int("winners", 3),
            arg("required_role", ArgValue::Role(MEMBER)),
            text("bonus", &format!("<@&{BOOSTER}> 2")),
        ],
    );
    let stored = h.stored(&giveaway_key(message)).unwrap();
    assert_eq!(stored["prize"], "Steam key");
    assert_eq!(stored["winner_count"], 3);
    assert_eq!(stored["ends_at_ms"], now + 2 * 3600 * 1000);
    // The commitment is SHA-256 of the stored (secret) seed, and the message shows it.
    let seed = draw::unhex(stored["seed"].as_str().unwrap()).unwrap();
    assert_eq!(seed.len(), 32);
    let commitment = stored["commitment"].as_str().unwrap();
    assert_eq!(draw::commitment(&seed), commitment);
    let posted = serde_json::to_string(&h.discord_requests()[0]).unwrap();
    assert!(posted.contains(commitment) && !posted.contains(stored["seed"].as_str().unwrap()));
    assert!(posted.contains(&format!("Needs <@&{MEMBER}>")), "{posted}");
    assert!(
        posted.contains(&format!("<@&{BOOSTER}>: +2 entries")),
        "{posted}"
    );
    let timers = h.timers();
    assert_eq!(timers.len(), 1);
    assert_eq!(timers[0].key, format!("end:{GUILD_ID}:{message}"));
    assert_eq!(timers[0].at_unix_ms, now + 2 * 3600 * 1000);
    // Two giveaways get two different seeds.
    let other = start_giveaway(&mut h, vec![]);
    assert_ne!(
        h.stored(&giveaway_key(other)).unwrap()["seed"],
        stored["seed"]
    );
}

#[test]
fn without_a_prize_the_form_opens_and_keeps_the_other_options() {
    let mut h = start();
    let invocation = h.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "giveaway",
        &["start"],
        vec![arg("required_role", ArgValue::Role(MEMBER))],
    );
    let Response::Modal(modal) = h.command(invocation).unwrap() else {
        panic!("no form");
    };
    assert_eq!(modal.custom_id, "f");
    assert_eq!(modal.components.len(), 4);
    let submit = |fields: &[(&str, &str)]| ModalInvocation {
        custom_id: "f".to_owned(),
        fields: fields
            .iter()
            .map(|(id, value)| ModalField {
                custom_id: (*id).to_owned(),
                value: (*value).to_owned(),
            })
            .collect(),
        invoker: TestHarness::<Giveaways>::invoker(ADMIN_ID, Permissions::ADMINISTRATOR),
    };
    // A duration that does not read is refused, nothing posted, the draft kept.
    let (answer, ephemeral) = content(h.modal(submit(&[("prize", "Nitro"), ("duration", "soon")])));
    assert!(
        answer.starts_with("`soon` is not a duration") && ephemeral,
        "{answer}"
    );
    let (answer, _) = content(h.modal(submit(&[
        ("prize", "Nitro"),
        ("duration", "1d"),
        ("winners", "99"),
    ])));
    assert!(
        answer.starts_with("`99` is not a number of winners"),
        "{answer}"
    );
    assert!(h.discord_requests().is_empty());
    let (answer, _) = content(h.modal(submit(&[
        ("prize", "Nitro"),
        ("duration", "1d"),
        ("winners", "2"),
        ("description", "Good luck"),
    ])));
    assert!(answer.starts_with("Giveaway posted in"), "{answer}");
    let stored = h.stored(&giveaway_key(Id::new(1000))).unwrap();
    assert_eq!(stored["winner_count"], 2);
    assert_eq!(stored["requirements"]["role"], MEMBER.to_string());
    assert_eq!(stored["description"], "Good luck");
    assert!(h.stored(&format!("draft:{GUILD_ID}:{ADMIN_ID}")).is_none());
}

#[test]
fn misuse_gets_a_clear_ephemeral_answer() {
    let mut h = start();
    let (answer, ephemeral) = run(&mut h, &["start"], vec![text("prize", "Nitro")]);
    assert!(
        answer.starts_with("Give both a `prize` and a `duration`") && ephemeral,
        "{answer}"
    );
    for (bonus, expected) in [
        ("@Booster", "`@Booster` is not a role"),
        (&*format!("<@&{BOOSTER}>"), "has no number of extra entries"),
        (
            &*format!("<@&{BOOSTER}> lots"),
            "`lots` is not a number of extra entries",
        ),
        (
            &*format!("<@&{BOOSTER}> 1 {BOOSTER} 2"),
            "is twice in the bonus",
        ),
    ] {
        let (answer, ephemeral) = run(
            &mut h,
            &["start"],
            vec![
                text("prize", "Nitro"),
                text("duration", "1h"),
                text("bonus", bonus),
            ],
        );
        assert!(answer.contains(expected) && ephemeral, "{bonus}: {answer}");
    }
    let (answer, _) = run(
        &mut h,
        &["start"],
        vec![text("prize", "Nitro"), text("duration", "tomorrow")],
    );
    assert!(answer.contains("duration"), "{answer}");
    // A prefix command cannot open a form.
    let mut invocation = h.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "giveaway",
        &["start"],
        vec![],
    );
    invocation.source = CommandSource::Prefix {
        message_id: Id::new(5),
    };
    let (answer, _) = content(h.command(invocation));
    assert!(answer.contains("!giveaway start"), "{answer}");
    for path in ["end", "delete"] {
        let (answer, ephemeral) = run(&mut h, &[path], vec![text("giveaway", "banana")]);
        assert!(
            answer.starts_with("`banana` is not a giveaway's message id") && ephemeral,
            "{answer}"
        );
        let (answer, _) = run(&mut h, &[path], vec![text("giveaway", "123")]);
        assert!(answer.starts_with("There is no giveaway `123`"), "{answer}");
    }
    // Discord refusing the post: the administrator is told which channel and what to grant.
    h.answer_next(
        "send_message",
        Err(arsenal_plugin_api::protocol::DiscordError::new(
            403,
            Some(50013),
            "Missing Permissions",
        )),
    );
    let (answer, _) = run(
        &mut h,
        &["start"],
        vec![text("prize", "Nitro"), text("duration", "1h")],
    );
    assert!(answer.starts_with("I cannot post in <#2>"), "{answer}");
    assert!(h.timers().is_empty());
}

#[test]
fn a_level_requirement_needs_economy_at_start() {
    let mut h = start();
    let (answer, ephemeral) = run(
        &mut h,
        &["start"],
        vec![
            text("prize", "Nitro"),
            text("duration", "1h"),
            int("min_level", 5),
        ],
    );
    assert!(
        answer.starts_with("A level requirement cannot be used now: the economy module, which keeps levels, is not loaded")
            && ephemeral,
        "{answer}"
    );
    assert!(h.discord_requests().is_empty());
    h.answer_module("economy", |method, _| match method {
        "member.stats" => Ok(json!({"balance": 0, "bank": 0, "level": 1, "xp": 100})),
        _ => Err(arsenal_plugin_api::Error::invalid("no")),
    });
    start_giveaway(&mut h, vec![int("min_level", 5)]);
}

#[test]
fn list_and_delete_stay_in_their_server() {
    let mut h = start();
    let first = start_giveaway(&mut h, vec![text("prize", "Nitro")]);
    let second = start_giveaway(&mut h, vec![text("prize", "Mug")]);
    enter(&mut h, BOB, &[], second);
    let (list, ephemeral) = run(&mut h, &["list"], vec![]);
    assert!(ephemeral);
    assert!(list.starts_with("**2 giveaways**"), "{list}");
    let (mug, nitro) = (list.find("Mug").unwrap(), list.find("Nitro").unwrap());
    assert!(
        mug < nitro && list.contains(&format!("`{first}` **Nitro**")),
        "{list}"
    );

    // The `giveaway` option suggests this server's giveaways, by prize or id.
    let suggest = |h: &mut TestHarness<Giveaways>, sub: &str, typed: &str, guild: u64| {
        let mut invoker = TestHarness::<Giveaways>::invoker(ADMIN_ID, Permissions::ADMINISTRATOR);
        invoker.guild_id = Some(Id::new(guild));
        let call = json!({"name": "giveaway", "subcommand": [sub], "focused": "giveaway",
            "partial": typed, "invoker": invoker});
        let answer = h
            .call(
                arsenal_plugin_api::protocol::kind::AUTOCOMPLETE,
                &call.to_string(),
            )
            .unwrap();
        serde_json::from_str::<Vec<Value>>(&answer).unwrap()
    };
    let choices = suggest(&mut h, "end", "mu", GUILD_ID.get());
    assert_eq!(
        choices,
        [json!({"name": format!("Mug · running · {second}"), "value": second.to_string()})]
    );
    assert_eq!(suggest(&mut h, "end", "", GUILD_ID.get()).len(), 2);
    assert!(suggest(&mut h, "end", "", 77).is_empty());

    // Another server's administrator names this server's giveaway: it is not there.
    let mut elsewhere = h.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "giveaway",
        &["end"],
        vec![text("giveaway", &second.to_string())],
    );
    elsewhere.invoker.guild_id = Some(Id::new(77));
    let (answer, _) = content(h.command(elsewhere));
    assert!(answer.starts_with("There is no giveaway"), "{answer}");
    assert_eq!(h.stored(&giveaway_key(second)).unwrap()["status"], "open");

    let (answer, _) = run(
        &mut h,
        &["delete"],
        vec![text("giveaway", &second.to_string())],
    );
    assert_eq!(answer, "Giveaway **Mug** deleted, with its entries.");
    assert!(h.stored(&giveaway_key(second)).is_none());
    assert!(h
        .stored(&format!("entry:{GUILD_ID}:{second}:{BOB}"))
        .is_none());
    assert!(h
        .timers()
        .iter()
        .all(|t| !t.key.ends_with(&second.to_string())));
    assert!(h.discord_requests().iter().any(|r| matches!(
        r,
        DiscordRequest::DeleteMessage { target } if target.message_id == second
    )));
    // Its button now says so.
    assert_eq!(
        enter(&mut h, CAROL, &[], second),
        "This giveaway was deleted."
    );
    let (list, _) = run(&mut h, &["list"], vec![]);
    assert!(
        list.starts_with("**1 giveaway**") && list.contains("Nitro"),
        "{list}"
    );
}
