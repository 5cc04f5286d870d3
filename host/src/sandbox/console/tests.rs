//! Tests of the console: slash lines, rendering, and a scripted session against the simulator.

use super::render::{render_message, text_inputs};
use super::slash::{parse_slash, Names};
use super::*;
use discord_sim::SimConfig;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn names() -> Names {
    let list = |v: &[(&str, u64)]| v.iter().map(|(n, i)| (n.to_string(), *i)).collect();
    Names {
        users: list(&[("bob", 11)]),
        channels: list(&[("general", 22)]),
        roles: list(&[("moderator", 33)]),
    }
}

fn commands() -> Vec<Value> {
    vec![
        json!({"name": "economy", "options": [
            {"type": 1, "name": "pay", "options": [
                {"type": 6, "name": "member", "required": true},
                {"type": 4, "name": "amount", "required": true},
                {"type": 3, "name": "note"}]},
            {"type": 1, "name": "balance"}]}),
        json!({"name": "reload", "options": [
            {"type": 1, "name": "module", "options": [{"type": 3, "name": "name", "required": true}]}]}),
        json!({"name": "config", "options": [
            {"type": 2, "name": "log", "options": [{"type": 1, "name": "set", "options": [
                {"type": 7, "name": "channel"}, {"type": 8, "name": "role"},
                {"type": 5, "name": "on"}, {"type": 3, "name": "level", "choices": [{"name": "High", "value": "h"}]}]}]}]}),
    ]
}

#[test]
fn slash_lines_become_typed_options() {
    let (n, c) = (names(), commands());
    let (name, opts) = parse_slash(
        "/economy pay member:@bob amount:50 note:\"for lunch\" today",
        &c,
        &n,
    )
    .unwrap();
    assert_eq!(name, "economy");
    assert_eq!(
        opts,
        json!([{"name": "pay", "type": 1, "options": [
        {"name": "member", "type": 6, "value": "11"}, {"name": "amount", "type": 4, "value": 50},
        {"name": "note", "type": 3, "value": "for lunch today"}]}])
    );
    let (_, opts) = parse_slash("/reload module economy", &c, &n).unwrap();
    assert_eq!(opts[0]["options"][0]["value"], "economy");
    let (_, opts) = parse_slash(
        "/config log set channel:#general role:@&Moderator on:yes level:high",
        &c,
        &n,
    )
    .unwrap();
    let leaf = &opts[0]["options"][0];
    assert_eq!(
        (opts[0]["type"].as_u64(), leaf["type"].as_u64()),
        (Some(2), Some(1))
    );
    let values: Vec<&Value> = leaf["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["value"])
        .collect();
    assert_eq!(
        values,
        [&json!("22"), &json!("33"), &json!(true), &json!("h")]
    );
}

#[test]
fn bad_slash_lines_say_what_to_do() {
    let (n, c) = (names(), commands());
    let err = |l: &str| parse_slash(l, &c, &n).unwrap_err();
    assert!(err("/nope").contains("Registered: /economy, /reload, /config"));
    assert!(err("/nope").starts_with("Unknown command /nope"));
    assert!(parse_slash("/x", &[], &n)
        .unwrap_err()
        .contains("no slash commands are registered"));
    assert!(err("/economy").contains("needs one of: pay | balance"));
    assert!(err("/economy pay member:@bob").contains("needs amount"));
    assert!(err("/economy pay member:@zed amount:1").contains("member needs a member"));
    assert!(err("/economy pay member:@bob amount:lots").contains("a whole number"));
    assert!(err("/economy pay member:@bob amount:1 amount:2").contains("twice"));
    assert!(err("/economy balance extra").contains("has no option for \"extra\""));
    assert!(err("/config log set level:low").contains("one of: High"));
    assert!(err("/economy pay note:\"open").contains("not closed"));
    assert!(err("/").contains("Type a command"));
}

#[test]
fn messages_render_embeds_and_numbered_components() {
    let msg = json!({"author": {"username": "Arsenal"}, "content": "Shop", "flags": 64, "edited_timestamp": null,
        "embeds": [{"title": "Items", "description": "Buy things", "fields": [{"name": "Sword", "value": "50"}], "footer": {"text": "page 1"}}],
        "components": [
            {"type": 1, "components": [{"type": 2, "style": 1, "label": "Buy", "custom_id": "buy"},
                {"type": 2, "style": 5, "label": "Docs", "url": "https://x"},
                {"type": 2, "style": 2, "emoji": {"name": "🗑"}, "custom_id": "del", "disabled": true}]},
            {"type": 1, "components": [{"type": 3, "custom_id": "c", "placeholder": "Color",
                "options": [{"label": "Red", "value": "r"}, {"label": "Blue", "value": "b"}]}]}]});
    let (text, widgets) = render_message(&msg, "shop", " (only you can see this)");
    let expected = "[#shop] Arsenal: Shop (only you can see this)\n    ┌─ Items\n    │ Buy things\n    │ Sword: 50\n    └─ page 1\n    [1] (Buy)  (Docs ↗ https://x)  [2] (🗑) (disabled)\n    [3] ▾ Color: Red | Blue";
    assert_eq!(text, expected);
    assert_eq!(
        widgets
            .iter()
            .map(|w| w.custom_id.as_str())
            .collect::<Vec<_>>(),
        ["buy", "del", "c"]
    );
    assert_eq!(widgets[2].options[1], ("Blue".into(), "b".into()));
    let (text, _) = render_message(
        &json!({"author": {"global_name": "A"}, "flags": 128}),
        "x",
        "",
    );
    assert_eq!(text, "[#x] A: is thinking…");
    let mut inputs = Vec::new();
    text_inputs(
        &json!([{"type": 18, "label": "Why", "component": {"type": 4, "custom_id": "why"}},
        {"type": 1, "components": [{"type": 4, "custom_id": "n", "label": "Note", "required": false}]}]),
        "",
        &mut inputs,
    );
    assert_eq!(
        inputs,
        [
            ("why".into(), "Why".into(), true),
            ("n".into(), "Note".into(), false)
        ]
    );
}

/// A raw HTTP/1.1 call to the sim's REST API, acting as the bot.
async fn rest(sim: &Simulator, method: &str, path: &str, body: &Value) {
    let mut s = tokio::net::TcpStream::connect(sim.rest_addr())
        .await
        .unwrap();
    let body = body.to_string();
    let req = format!("{method} /api/v10{path} HTTP/1.1\r\nHost: sim\r\nAuthorization: Bot {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", sim.token(), body.len());
    s.write_all(req.as_bytes()).await.unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).await.unwrap();
    assert!(resp.starts_with("HTTP/1.1 2"), "{method} {path}: {resp}");
}

/// The test's "bot": answers the console user's actions through REST, in order, and
/// returns the component interactions it received.
async fn fake_bot(sim: &Simulator, mut events: Receiver<ObservedEvent>) -> Vec<Value> {
    let mut clicks = Vec::new();
    let channel = sim.world().demo_ids().unwrap().bot_commands;
    let app = sim.world().application_id();
    while let Ok(ev) = events.recv().await {
        let d = &ev.data;
        let callback = format!(
            "/interactions/{}/{}/callback",
            d["id"].as_str().unwrap_or(""),
            d["token"].as_str().unwrap_or("")
        );
        match (ev.name, d["type"].as_u64(), d["data"]["custom_id"].as_str()) {
            ("MESSAGE_CREATE", _, _) if d["content"] == "!shop" => {
                let body = json!({"content": "Welcome", "embeds": [{"title": "Shop", "description": "Buy things",
                    "fields": [{"name": "Sword", "value": "50 coins"}], "footer": {"text": "page 1/1"}}],
                    "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "Buy", "custom_id": "buy"}]},
                        {"type": 1, "components": [{"type": 3, "custom_id": "color", "placeholder": "Color",
                            "options": [{"label": "Red", "value": "red"}, {"label": "Blue", "value": "blue"}]}]}]});
                rest(sim, "POST", &format!("/channels/{channel}/messages"), &body).await;
            }
            ("INTERACTION_CREATE", Some(3), Some("buy")) => {
                clicks.push(ev.data.clone());
                let modal = json!({"type": 9, "data": {"custom_id": "qty", "title": "How many?", "components": [
                    {"type": 1, "components": [{"type": 4, "custom_id": "n", "label": "Quantity", "style": 1}]}]}});
                rest(sim, "POST", &callback, &modal).await;
            }
            ("INTERACTION_CREATE", Some(5), _) => {
                let n = d["data"]["components"][0]["components"][0]["value"]
                    .as_str()
                    .unwrap_or("?");
                let body =
                    json!({"type": 4, "data": {"content": format!("Bought {n}!"), "flags": 64}});
                rest(sim, "POST", &callback, &body).await;
            }
            ("INTERACTION_CREATE", Some(3), Some("color")) => {
                clicks.push(ev.data.clone());
                rest(
                    sim,
                    "POST",
                    &callback,
                    &json!({"type": 7, "data": {"content": "Color: blue"}}),
                )
                .await;
            }
            ("INTERACTION_CREATE", Some(2), _) => {
                rest(sim, "POST", &callback, &json!({"type": 5})).await;
                tokio::time::sleep(Duration::from_millis(100)).await;
                rest(
                    sim,
                    "POST",
                    &format!("/webhooks/{app}/{}", d["token"].as_str().unwrap_or("")),
                    &json!({"content": "Pong!"}),
                )
                .await;
                return clicks;
            }
            _ => {}
        }
    }
    clicks
}

#[tokio::test]
async fn console_renders_bot_replies_and_drives_interactions() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let demo = sim.world().demo_ids().unwrap();
    let app = sim.world().application_id();
    let ping = json!([{"name": "ping", "description": "Ping", "options": [{"type": 5, "name": "loud", "description": "Shout"}]}]);
    rest(
        &sim,
        "PUT",
        &format!("/applications/{app}/guilds/{}/commands", demo.guild),
        &ping,
    )
    .await;
    let input = "!shop\n:click 1\n7\n:select 2 Blue\n/ping loud:maybe\n/ping loud:yes\n:click 9\n:user nobody\n:channel logs\n:bogus\n/nosuch\n:user bob\n:channel logs\n:users\n:channel bot-commands\n:history 2\n:quit\n";
    let timing = Timing {
        quiet: Duration::from_millis(150),
        ..TIMING
    };
    let mut out = Vec::new();
    let bot = fake_bot(&sim, sim.observe());
    let console = run_with(
        &sim,
        ConsoleOptions::default(),
        timing,
        input.as_bytes(),
        &mut out,
    );
    let (clicks, result) = tokio::time::timeout(Duration::from_secs(30), async {
        tokio::join!(bot, console)
    })
    .await
    .unwrap();
    result.unwrap();
    let out = String::from_utf8(out).unwrap();
    for expected in [
        "LOCAL SANDBOX", "set DISCORD_TOKEN", "alice #bot-commands> ",
        "[#bot-commands] Arsenal: Welcome\n    ┌─ Shop\n    │ Buy things\n    │ Sword: 50 coins\n    └─ page 1/1\n    [1] (Buy)\n    [2] ▾ Color: Red | Blue",
        "┌─ Form: How many?", "│ Quantity *: ", "Bought 7! (only you can see this)",
        "Arsenal: Color: blue (edited)", "loud needs true or false", "Arsenal: Pong!\n",
        "No component [9]", "No member \"nobody\"", "Unknown console command :bogus", "Unknown command /nosuch. Registered: /ping",
        "You are now bob.\nYou are now in #general.", "bob cannot see #logs", "  bob (Member) ← you", "[#bot-commands] Arsenal: Color: blue",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert_eq!(
        out.matches("Arsenal: Color: blue").count(),
        2,
        "printed once live, once by :history:\n{out}"
    );
    assert_eq!(
        clicks.len(),
        2,
        "the sim recorded the button click and the menu choice"
    );
    assert_eq!(
        (
            clicks[0]["member"]["user"]["id"].as_str(),
            clicks[1]["data"]["values"][0].as_str()
        ),
        (Some(demo.alice.to_string().as_str()), Some("blue"))
    );
    assert!(
        !out.contains("is thinking"),
        "the deferral is replaced by its follow-up:\n{out}"
    );
    sim.assert_no_violations();
}

#[tokio::test]
async fn messages_arriving_while_waiting_for_input_are_printed() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let demo = sim.world().demo_ids().unwrap();
    let (reader, mut writer) = tokio::io::duplex(64);
    let mut out = Vec::new();
    let user = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let timer = json!({"content": "Reminder: stand-up"});
        rest(
            &sim,
            "POST",
            &format!("/channels/{}/messages", demo.general),
            &timer,
        )
        .await;
        // #logs is hidden from bob: nothing must show.
        rest(
            &sim,
            "POST",
            &format!("/channels/{}/messages", demo.logs),
            &json!({"content": "secret"}),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        writer.write_all(b":quit\n").await.unwrap();
    };
    let options = ConsoleOptions {
        user: "bob".into(),
        channel: "#general".into(),
    };
    let console = run_with(
        &sim,
        options,
        TIMING,
        tokio::io::BufReader::new(reader),
        &mut out,
    );
    let ((), result) = tokio::join!(user, console);
    result.unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("bob #general> \n[#general] Arsenal: Reminder: stand-up\nbob #general> "),
        "{out}"
    );
    assert!(!out.contains("secret"), "{out}");
}
