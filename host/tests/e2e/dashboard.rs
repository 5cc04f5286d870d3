//! The web dashboard in a real browser (headless Chromium through chromedriver): the host runs
//! against the simulator with the `counter` fixture, the dashboard on a free loopback port and
//! the plugins folder unwatched (so only the button loads the new file). Refused without the
//! secret; logged in, a click reloads counter 1.0.0 → 2.0.0 and the bot answers as v2; a key
//! edited in the page is what the module reads next; an edit over a newer value is refused; the
//! history, timers and shards show; a form from an older session (stale CSRF token) changes
//! nothing. One screenshot per page is kept in `target/dashboard-screenshots/`.

use std::{
    net::SocketAddr,
    path::PathBuf,
    time::{Duration, Instant},
};

use arsenal_host::config::{DiscordSettings, ModuleLimits};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::{
    browser::Browser,
    common::{
        bot::{Bot, WAIT},
        fixture, install,
    },
};

/// Where the screenshots go (under target/, not committed).
fn screenshots() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../dashboard-screenshots")
}

/// Counter v1 with the dashboard on `127.0.0.1:0`, the plugins folder not watched, and
/// heartbeats every 200 ms (so the shard has a latency to show).
async fn bot_with_dashboard() -> Bot {
    Bot::start_counter_with(|settings| DiscordSettings {
        dashboard: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
        modules: ModuleLimits {
            watch: false,
            ..ModuleLimits::default()
        },
        ..settings
    })
    .await
}

/// A raw HTTP/1.0 request without any cookie: the status line and the `Location` header.
async fn anonymous(addr: SocketAddr, method: &str, path: &str, body: &str) -> (String, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut response = String::new();
    tokio::time::timeout(WAIT, stream.read_to_string(&mut response))
        .await
        .expect("answered in time")
        .expect("read");
    let status = response.lines().next().unwrap_or_default().to_owned();
    let location = response
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap_or_default()
        .to_owned();
    (status, location)
}

fn history_len(bot: &Bot) -> usize {
    bot.app().manager.history().recent(1000).len()
}

async fn log_in(browser: &Browser, base: &str, secret: &str) {
    browser.goto(&format!("{base}/login")).await;
    let field = browser.find("#secret").await;
    browser.type_into(&field, secret).await;
    browser.click(&browser.find("#login").await).await;
    assert_eq!(browser.url().await, format!("{base}/modules"), "logged in");
}

async fn csrf_of_page(browser: &Browser) -> String {
    browser
        .execute(
            "return document.querySelector('input[name=csrf]').value",
            json!([]),
        )
        .await
        .as_str()
        .expect("a token in the page")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_reloads_edits_and_refuses_in_a_real_browser() {
    let bot = bot_with_dashboard().await;
    let dashboard = bot.app().dashboard.as_ref().expect("dashboard bound");
    let addr = dashboard.local_addr();
    assert!(addr.ip().is_loopback());
    let secret = dashboard.take_login_secret().expect("the secret, once");
    assert_eq!(dashboard.take_login_secret(), None, "given out only once");
    let base = format!("http://{addr}");
    let shots = screenshots();

    // Without a session, every page and action leads to the login page, and nothing happens.
    let before = history_len(&bot);
    for (method, path, body) in [
        ("GET", "/modules", ""),
        ("GET", "/store/key?ns=plugin.counter&key=loads", ""),
        ("POST", "/modules", "csrf=x&module=counter&action=unload"),
        (
            "POST",
            "/store/key",
            "csrf=x&ns=plugin.counter&key=loads&version=1&value=0",
        ),
    ] {
        let (status, location) = anonymous(addr, method, path, body).await;
        assert!(status.contains(" 303 "), "{method} {path}: {status}");
        assert_eq!(location, "/login", "{method} {path}");
    }
    assert_eq!(bot.app().manager.loaded(), ["counter"], "still loaded");
    assert_eq!(history_len(&bot), before, "nothing recorded");

    let browser = Browser::start().await;
    browser.goto(&format!("{base}/modules")).await;
    assert_eq!(
        browser.url().await,
        format!("{base}/login"),
        "sent to log in"
    );
    browser.screenshot(&shots, "login").await;
    let field = browser.find("#secret").await;
    browser.type_into(&field, "not-the-secret").await;
    browser.click(&browser.find("#login").await).await;
    let refusal = browser.text(".flash.error").await;
    assert!(refusal.contains("not the login secret"), "{refusal}");
    browser.goto(&format!("{base}/modules")).await;
    assert_eq!(
        browser.url().await,
        format!("{base}/login"),
        "still refused"
    );

    // Logged in: counter 1.0.0. Its v2 file arrives; the folder is not watched, so v1 serves
    // until the button is clicked.
    log_in(&browser, &base, &secret).await;
    let first_token = csrf_of_page(&browser).await;
    assert_eq!(
        browser.text("tr[data-module=counter] td.version").await,
        "1.0.0"
    );
    assert_eq!(
        browser.count("tr[data-module=counter] .disk-differs").await,
        0
    );
    install(
        &bot.dir.path().join("plugins"),
        "counter",
        &fixture("counter-v2"),
    );
    // The page says the file on disk is not what serves.
    browser.goto(&format!("{base}/modules")).await;
    let differs = browser.text("tr[data-module=counter] .disk-differs").await;
    assert!(differs.contains("another build"), "{differs}");
    browser
        .click(
            &browser
                .find("button[data-module=counter][value=reload]")
                .await,
        )
        .await;
    let result = browser.text("#flash").await;
    assert!(
        result.contains("counter reloaded: 1.0.0 → 2.0.0"),
        "{result}"
    );
    assert_eq!(
        browser.text("tr[data-module=counter] td.version").await,
        "2.0.0"
    );
    assert_eq!(
        browser.count("tr[data-module=counter] .disk-differs").await,
        0
    );
    browser.screenshot(&shots, "modules").await;
    assert_eq!(
        bot.slash(bot.ids.bob, "count", json!([])).await.0,
        "count=0 (v2)",
        "v2 answers"
    );
    let record = bot
        .app()
        .manager
        .history()
        .recent(1)
        .pop()
        .expect("recorded");
    assert_eq!(
        (record.outcome.as_str(), record.new_version.as_deref()),
        ("reloaded", Some("2.0.0"))
    );
    assert_eq!(record.trigger, arsenal_host::plugins::Trigger::Dashboard);

    // The history, filtered to the dashboard's actions.
    browser
        .goto(&format!("{base}/history?module=counter&trigger=dashboard"))
        .await;
    assert_eq!(
        browser.count("#history tbody tr").await,
        1,
        "one dashboard record"
    );
    assert_eq!(
        browser.text("#history tbody tr td.versions").await,
        "1.0.0 → 2.0.0"
    );
    browser.screenshot(&shots, "history").await;

    // A counted event, then the key edited in the page: the module reads the new value.
    bot.sim
        .send_message(bot.ids.bob, bot.ids.general, "seq:1")
        .await;
    let deadline = Instant::now() + WAIT;
    while bot.handled().is_empty() {
        assert!(Instant::now() < deadline, "the event was never handled");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    browser.goto(&format!("{base}/store")).await;
    browser.screenshot(&shots, "store").await;
    browser
        .click(
            &browser
                .find("a[href='/store/keys?ns=plugin.counter']")
                .await,
        )
        .await;
    let search = browser.find("#search input[name=q]").await;
    browser.type_into(&search, "hand").await;
    browser.click(&browser.find("#search button").await).await;
    assert_eq!(browser.count("#keys tbody tr").await, 1, "only `handled`");
    browser.screenshot(&shots, "store-keys").await;
    browser.click(&browser.find("#keys tbody a").await).await;
    assert_eq!(browser.text("#key-name").await, "handled");
    let editor = browser.find("#value").await;
    browser.type_into(&editor, "41").await;
    browser.click(&browser.find("#save").await).await;
    let saved = browser.text("#flash").await;
    assert!(saved.starts_with("Saved plugin.counter/handled"), "{saved}");
    browser.screenshot(&shots, "store-key").await;
    assert_eq!(
        bot.slash(bot.ids.bob, "count", json!([])).await.0,
        "count=41 (v2)",
        "the module reads the edited value"
    );

    // An edit of a page opened before the key changed is refused, not applied.
    browser
        .goto(&format!("{base}/store/key?ns=plugin.counter&key=handled"))
        .await;
    bot.app()
        .store
        .set("plugin.counter", "handled", json!(50))
        .expect("a newer write");
    let editor = browser.find("#value").await;
    browser.type_into(&editor, "99").await;
    browser.click(&browser.find("#save").await).await;
    let conflict = browser.text("#flash").await;
    assert!(
        conflict.contains("changed since this page showed it"),
        "{conflict}"
    );
    assert_eq!(browser.text("#stored").await, "50", "the newer value shown");
    browser.screenshot(&shots, "store-conflict").await;
    assert_eq!(
        bot.app()
            .store
            .get("plugin.counter", "handled")
            .expect("read")
            .expect("present")
            .value,
        json!(50),
        "the newer value kept"
    );

    // Markup from a module's data is shown as text, never run or rendered.
    bot.app()
        .store
        .set(
            "plugin.counter",
            "<b>key</b>",
            json!("<script>document.title='pwned'</script>"),
        )
        .expect("written");
    browser
        .goto(&format!(
            "{base}/store/key?ns=plugin.counter&key=%3Cb%3Ekey%3C%2Fb%3E"
        ))
        .await;
    assert_eq!(browser.text("#key-name").await, "<b>key</b>");
    assert_eq!(browser.count("#key-name b, script").await, 0, "escaped");
    let shown = browser
        .execute("return document.querySelector('#value').value", json!([]))
        .await;
    assert_eq!(shown, json!("\"<script>document.title='pwned'</script>\""));
    assert!(browser
        .execute("return document.title", json!([]))
        .await
        .as_str()
        .is_some_and(|t| t.starts_with("Store")));

    // Timers due and shards.
    let (text, _) = bot
        .slash(
            bot.ids.bob,
            "remind",
            json!([{"name": "ms", "value": 60_000}]),
        )
        .await;
    assert_eq!(text, "reminder set");
    let deadline = Instant::now() + WAIT;
    loop {
        browser.goto(&format!("{base}/runtime")).await;
        let latency = browser.text("#shards tbody tr td:nth-child(2)").await;
        if latency.ends_with(" ms") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no heartbeat latency shown: {latency}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(browser.count("#timers tbody tr").await, 1);
    assert_eq!(browser.text("#timers tbody tr td").await, "counter");
    browser.screenshot(&shots, "runtime").await;

    // A form from an older session: refused, nothing changes.
    browser.click(&browser.find("#logout").await).await;
    assert_eq!(browser.url().await, format!("{base}/login"));
    browser.goto(&format!("{base}/modules")).await;
    assert_eq!(browser.url().await, format!("{base}/login"), "logged out");
    log_in(&browser, &base, &secret).await;
    assert_ne!(
        csrf_of_page(&browser).await,
        first_token,
        "a token per session"
    );
    let before = history_len(&bot);
    browser
        .execute(
            "document.querySelectorAll('input[name=csrf]').forEach(i => i.value = arguments[0])",
            json!([first_token]),
        )
        .await;
    browser
        .click(
            &browser
                .find("button[data-module=counter][value=unload]")
                .await,
        )
        .await;
    let refused = browser.text("#flash").await;
    assert!(refused.contains("out of date"), "{refused}");
    browser.screenshot(&shots, "stale-form").await;
    assert_eq!(bot.app().manager.loaded(), ["counter"], "not unloaded");
    assert_eq!(history_len(&bot), before, "nothing recorded");

    browser.quit().await;
    bot.stop().await;
}
