//! Requests between modules through the real host and real libraries: answered, with the asker
//! and the server set by the host; refused with a clear kind when the module is not loaded,
//! does not answer that method, panics, does not answer in time, or would close a cycle; and
//! answered by the new version when queued while the asked module reloads.

use std::time::{Duration, Instant};

use arsenal_host::plugins::Trigger;
use serde_json::{json, Value};

use crate::{
    common::{answer_text, command, fixture, install, TestHost},
    hang,
};

/// The asker fixture's `ask` command: `module`, `method`, and optionally `payload` (JSON text)
/// and `guild` (a server id the request names).
fn ask(module: &str, method: &str, payload: Option<Value>, guild: Option<u64>) -> String {
    let mut args = vec![
        json!({"name": "module", "value": {"type": "string", "value": module}}),
        json!({"name": "method", "value": {"type": "string", "value": method}}),
    ];
    if let Some(payload) = payload {
        args.push(
            json!({"name": "payload", "value": {"type": "string", "value": payload.to_string()}}),
        );
    }
    if let Some(guild) = guild {
        args.push(
            json!({"name": "guild", "value": {"type": "string", "value": guild.to_string()}}),
        );
    }
    json!({
        "name": "ask",
        "args": args,
        "invoker": {"user_id": "10", "user_name": "alice", "guild_id": "1", "channel_id": "2", "permissions": "8"},
        "source": {"type": "slash"}
    })
    .to_string()
}

/// The asker's answer to `ask(…)` made for a member of server 1.
async fn asked(host: &TestHost, invocation: &str) -> String {
    let answer = host
        .manager
        .call_for(
            "asker",
            "command",
            invocation,
            Some(twilight_model::id::Id::new(1)),
        )
        .await
        .expect("the asker answers");
    answer_text(&answer)
}

async fn loaded(host: &TestHost, modules: &[(&str, &str)]) {
    for (name, crate_name) in modules {
        install(&host.plugins_dir(), name, &fixture(crate_name));
    }
    for (name, _) in modules {
        host.manager
            .reload(name, Trigger::Startup)
            .await
            .unwrap_or_else(|e| panic!("{name} loads: {e}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_asks_another_which_learns_the_asker_and_the_server_from_the_host() {
    let host = TestHost::new();
    loaded(&host, &[("asker", "asker"), ("misbehaving", "misbehaving")]).await;

    // During a member's command in server 1: the request is about server 1.
    let text = asked(&host, &ask("misbehaving", "where", None, None)).await;
    assert_eq!(text, r#"answered {"from":"asker","guild":"1"}"#);
    let text = asked(&host, &ask("misbehaving", "where", None, Some(1))).await;
    assert_eq!(text, r#"answered {"from":"asker","guild":"1"}"#);
    // …and may not name another server.
    let text = asked(&host, &ask("misbehaving", "where", None, Some(2))).await;
    assert!(
        text.starts_with("failed OutOfScope")
            && text.contains("made for a member of server 1")
            && text.contains("act in server 2"),
        "{text}"
    );
    // A call of the host's own (a gateway event, a timer) names the server it is about.
    let answer = host
        .manager
        .call(
            "asker",
            "command",
            &ask("misbehaving", "where", None, Some(2)),
        )
        .await
        .unwrap();
    assert_eq!(
        answer_text(&answer),
        r#"answered {"from":"asker","guild":"2"}"#
    );
    let answer = host
        .manager
        .call("asker", "command", &ask("misbehaving", "where", None, None))
        .await
        .unwrap();
    assert_eq!(
        answer_text(&answer),
        r#"answered {"from":"asker","guild":null}"#
    );
    // A module asking itself would wait on its own busy worker: refused.
    let text = asked(&host, &ask("asker", "echo", None, None)).await;
    assert_eq!(
        text,
        "failed Cycle module `asker` cannot ask `asker` for `echo`: `asker` → `asker` would wait on each other for ever; a module must not ask a module that is waiting for it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_failure_is_a_clear_error_of_its_own_kind_and_both_modules_keep_serving() {
    let host = TestHost::new();
    loaded(&host, &[("asker", "asker"), ("misbehaving", "misbehaving")]).await;

    let text = asked(&host, &ask("economy", "level.get", None, None)).await;
    assert_eq!(
        text,
        "failed NotLoaded module `economy` is not loaded, so it could not answer `level.get`; an administrator can load it with `!module load economy`"
    );
    let text = asked(&host, &ask("misbehaving", "level.get", None, None)).await;
    assert_eq!(
        text,
        "failed UnknownMethod module `misbehaving` does not answer `level.get` (it answers boom, where, post, ask)"
    );
    let text = asked(
        &host,
        &ask(
            "misbehaving",
            "post",
            Some(json!({"channel": "nope"})),
            None,
        ),
    )
    .await;
    assert!(
        text.starts_with("failed Invalid module `misbehaving` could not read the request `post`")
            && text.contains("from module `asker`"),
        "{text}"
    );

    // A panic answering is the asker's error, not its panic: neither is quarantined.
    for _ in 0..3 {
        let text = asked(&host, &ask("misbehaving", "boom", None, None)).await;
        assert!(
            text.starts_with("failed Panicked module `misbehaving` panicked answering `boom`")
                && text.contains("boom request exploded"),
            "{text}"
        );
    }
    let status = host.manager.status();
    let of = |name: &str| status.iter().find(|s| s.name == name).unwrap().clone();
    assert!(
        of("misbehaving").state.quarantined.is_some(),
        "three panics in a row"
    );
    assert!(of("asker").state.quarantined.is_none());
    assert_eq!(of("asker").calls_failed, 0);
    host.manager
        .reload("misbehaving", Trigger::Command)
        .await
        .unwrap();
    let text = asked(&host, &ask("misbehaving", "where", None, None)).await;
    assert!(text.starts_with("answered"), "{text}");
    let answer = host
        .manager
        .call("misbehaving", "command", &command("ok"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "ok");

    // A cycle (misbehaving, asked by the asker, asks the asker back) is refused at once.
    let started = Instant::now();
    let text = asked(
        &host,
        &ask(
            "misbehaving",
            "ask",
            Some(json!({"module": "asker", "method": "echo"})),
            None,
        ),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let answer: Value = serde_json::from_str(text.trim_start_matches("answered ")).expect(&text);
    assert_eq!(answer["failure"], "Some(Cycle)", "{text}");
    assert_eq!(
        answer["message"],
        "module `misbehaving` cannot ask `asker` for `echo`: `misbehaving` → `asker` → `misbehaving` would wait on each other for ever; a module must not ask a module that is waiting for it"
    );
    // So is the asked module asking itself; afterwards nothing waits on anything.
    let text = asked(
        &host,
        &ask(
            "misbehaving",
            "ask",
            Some(json!({"module": "misbehaving", "method": "where"})),
            None,
        ),
    )
    .await;
    assert!(text.contains("Some(Cycle)"), "{text}");
    assert!(host.manager.modules_waiting().is_empty());
    let text = asked(
        &host,
        &ask(
            "misbehaving",
            "ask",
            Some(json!({"module": "nobody", "method": "x"})),
            None,
        ),
    )
    .await;
    assert!(text.contains("Some(NotLoaded)"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_that_does_not_answer_in_time_is_an_error_and_the_asker_still_answers() {
    let host = TestHost::with_config(|config| config.call_timeout = Duration::from_millis(1000));
    loaded(&host, &[("asker", "asker"), ("stuck", "stuck")]).await;
    let manager = host.manager.clone();
    let busy =
        tokio::spawn(async move { manager.call("stuck", "command", &hang(Some(1500))).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let text = asked(&host, &ask("stuck", "version", None, None)).await;
    assert!(
        text.starts_with("failed TimedOut module `stuck` did not answer `version` within 500 ms")
            && text.contains("busy in `command`"),
        "{text}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    drop(busy.await);
    assert!(host.manager.modules_waiting().is_empty());
    // Once the module is free again (this command waits behind the long one), it answers.
    let answer = host
        .manager
        .call("stuck", "command", &command("ok"))
        .await
        .unwrap();
    assert_eq!(answer_text(&answer), "ok 1.0.0");
    let text = asked(&host, &ask("stuck", "version", None, None)).await;
    assert_eq!(text, r#"answered "1.0.0""#);
}

fn stuck_queued(host: &TestHost) -> usize {
    host.manager
        .status()
        .iter()
        .find(|s| s.name == "stuck")
        .map_or(0, |s| s.queued)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_queued_while_the_asked_module_reloads_are_answered_by_the_new_version() {
    let host = TestHost::new();
    loaded(&host, &[("asker", "asker"), ("stuck", "stuck")]).await;
    let before = asked(&host, &ask("stuck", "version", None, None)).await;
    assert_eq!(before, r#"answered "1.0.0""#);

    // The stuck module is busy for 600 ms; the reload's swap queues behind that call, and the
    // requests behind the swap.
    let manager = host.manager.clone();
    let busy =
        tokio::spawn(async move { manager.call("stuck", "command", &hang(Some(600))).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    install(&host.plugins_dir(), "stuck", &fixture("stuck-v2"));
    let manager = host.manager.clone();
    let reload = tokio::spawn(async move { manager.reload("stuck", Trigger::Command).await });
    let deadline = Instant::now() + Duration::from_secs(5);
    while stuck_queued(&host) == 0 {
        assert!(Instant::now() < deadline, "the swap was never queued");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(!reload.is_finished(), "the swap waits behind the busy call");
    let mut asks = Vec::new();
    for _ in 0..5 {
        let manager = host.manager.clone();
        asks.push(tokio::spawn(async move {
            let answer = manager
                .call_for(
                    "asker",
                    "command",
                    &ask("stuck", "version", None, None),
                    Some(twilight_model::id::Id::new(1)),
                )
                .await
                .expect("answered");
            answer_text(&answer)
        }));
    }
    let report = reload.await.unwrap().expect("the reload succeeds");
    assert_eq!(report.new_version, "2.0.0");
    for answered in asks {
        let text = answered.await.unwrap();
        assert_eq!(
            text, r#"answered "2.0.0""#,
            "none lost, none served by the old version"
        );
    }
    assert_eq!(answer_text(&busy.await.unwrap().unwrap()), "woke up");
}
