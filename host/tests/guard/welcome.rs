//! The welcome module end to end: a server configured with placeholders, a role on join, a
//! welcome DM, the new-account notice and "delete the greeting of a quick leaver"; a member
//! who must accept the rules first gets the role only then, across a hot reload of the module
//! between joining and accepting; a member who leaves quickly has their greeting deleted.
//! Ends by checking Discord would have accepted every request.

use serde_json::{json, Value};

use crate::common::{
    bot::{Bot, WAIT},
    plugin,
};

fn sub(name: &str, options: Value) -> Value {
    json!([{"name": name, "type": 1, "options": options}])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screened_member_gets_the_role_after_the_rules_across_a_reload() {
    let bot = Bot::start_with(&[("welcome", plugin("welcome"))]).await;
    let ids = bot.ids;
    let general = ids.general.to_string();
    for (name, options) in [
        ("channel", json!([{"name": "channel", "value": general}])),
        (
            "message",
            json!([{"name": "text", "value": "Welcome to {server}, {user}! You are member #{count}."}]),
        ),
        (
            "role-add",
            json!([{"name": "role", "value": ids.member_role.to_string()}]),
        ),
        (
            "dm",
            json!([{"name": "text", "value": "Please read the rules, {name}."}]),
        ),
        (
            "new-accounts",
            json!([{"name": "days", "value": 1}, {"name": "channel", "value": ids.logs.to_string()}]),
        ),
        (
            "delete-on-leave",
            json!([{"name": "within", "value": "10m"}]),
        ),
    ] {
        let (text, ephemeral) = bot.slash(ids.alice, "welcome", sub(name, options)).await;
        assert!(ephemeral, "{name}: {text}");
        assert!(!text.contains("could not"), "{name}: {text}");
    }

    // Dave joins a server that screens its members: greeted at once, role after the rules.
    let dave = bot.sim.member_join_screened(ids.guild, "dave").await;
    let count = bot.sim.with_world(|w| w.members(ids.guild).len());
    let greeting = format!("Welcome to Arsenal Sandbox, <@{dave}>! You are member #{count}.");
    bot.sim
        .wait_for(WAIT, |w| {
            w.messages(ids.general)
                .into_iter()
                .find(|m| m.content == greeting)
        })
        .await
        .unwrap_or_else(|| panic!("dave was not greeted with {greeting:?}"));
    let notice = bot
        .sim
        .wait_for(WAIT, |w| {
            w.messages(ids.logs).into_iter().find(|m| {
                m.content
                    .contains(&format!("<@{dave}> (dave) joined with a new account"))
            })
        })
        .await;
    assert!(notice.is_some(), "a brand-new account is pointed out");
    bot.sim
        .wait_for(WAIT, |w| {
            w.dms_to(dave)
                .into_iter()
                .find(|m| m.content == "Please read the rules, dave.")
        })
        .await
        .expect("dave got the welcome DM");
    let roles = |bot: &Bot| {
        bot.sim
            .with_world(|w| w.find_member(ids.guild, dave))
            .map(|m| m.roles)
            .unwrap_or_default()
    };
    assert!(
        !roles(&bot).contains(&ids.member_role),
        "no role before the rules"
    );

    bot.app()
        .manager
        .reload("welcome", arsenal_host::plugins::Trigger::Command)
        .await
        .expect("reload");

    bot.sim.accept_rules(ids.guild, dave).await;
    bot.sim
        .wait_for(WAIT, |w| {
            w.find_member(ids.guild, dave)
                .filter(|m| m.roles.contains(&ids.member_role))
        })
        .await
        .expect("the role was given once dave accepted the rules");

    // Erin leaves a moment after joining: her greeting goes.
    let erin = bot.sim.member_join(ids.guild, "erin").await;
    let erin_mention = format!("<@{erin}>!");
    let greeted = bot
        .sim
        .wait_for(WAIT, |w| {
            w.messages(ids.general)
                .into_iter()
                .find(|m| m.content.contains(&erin_mention))
        })
        .await
        .expect("erin was greeted");
    bot.sim
        .wait_for(WAIT, |w| {
            w.find_member(ids.guild, erin)
                .filter(|m| m.roles.contains(&ids.member_role))
        })
        .await
        .expect("erin, not screened, got the role at once");
    bot.sim.member_leave(ids.guild, erin).await;
    bot.sim
        .wait_for(WAIT, |w| {
            (!w.messages(ids.general).iter().any(|m| m.id == greeted.id)).then_some(())
        })
        .await
        .expect("erin's greeting was deleted");
    // Dave's stays.
    assert!(bot
        .sim
        .with_world(|w| w.messages(ids.general))
        .iter()
        .any(|m| m.content == greeting));
    bot.stop().await;
}
