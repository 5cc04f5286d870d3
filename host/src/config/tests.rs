//! Settings: the token, the file, the environment and the flags, and what each refuses.

use super::*;

#[test]
fn the_token_never_prints() {
    let token = Token::new("Bot abc.def.ghi ");
    assert_eq!(token.expose(), "abc.def.ghi");
    assert!(!format!("{token:?} {token}").contains("abc"));
}

#[test]
fn file_settings_are_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("arsenal.toml"),
        "owners = [\"42\"]\nprefix = \"?\"\ncontrol_guild = \"9\"\n[commands]\nscope = \"guild\"\nguild_id = \"7\"\n",
    )
    .unwrap();
    let settings = load(dir.path(), &[]).unwrap();
    assert_eq!(settings.owners, [Id::new(42)]);
    assert_eq!(settings.default_prefix, "?");
    assert_eq!(settings.commands, CommandScope::Guild(Id::new(7)));
    assert_eq!(settings.control_guild, Some(Id::new(9)));

    std::fs::write(
        dir.path().join("arsenal.toml"),
        "[commands]\nscope = \"guild\"\n",
    )
    .unwrap();
    let error = load(dir.path(), &[]).unwrap_err().to_string();
    assert!(error.contains("needs commands.guild_id"), "{error}");
    std::fs::write(dir.path().join("arsenal.toml"), "tokn = \"x\"\n").unwrap();
    let error = format!("{:#}", load(dir.path(), &[]).unwrap_err());
    assert!(error.contains("unknown field"), "{error}");
}

#[test]
fn metrics_are_off_unless_an_address_is_given() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(load(dir.path(), &[]).unwrap().metrics, None);
    assert_eq!(
        load(dir.path(), &[(METRICS_VAR, " ")]).unwrap().metrics,
        None
    );
    std::fs::write(
        dir.path().join("arsenal.toml"),
        "metrics = \"127.0.0.1:9464\"\n",
    )
    .unwrap();
    let file = load(dir.path(), &[]).unwrap().metrics;
    assert_eq!(file, Some("127.0.0.1:9464".parse().unwrap()));
    let env = load(dir.path(), &[(METRICS_VAR, "[::1]:9000")]).unwrap();
    assert_eq!(env.metrics, Some("[::1]:9000".parse().unwrap()));
    let error = load(dir.path(), &[(METRICS_VAR, "localhost")])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("ARSENAL_METRICS") && error.contains("127.0.0.1:9464"),
        "{error}"
    );
    std::fs::write(dir.path().join("arsenal.toml"), "metrics = \"9464\"\n").unwrap();
    let error = load(dir.path(), &[]).unwrap_err().to_string();
    assert!(
        error.contains("metrics in") && error.contains("arsenal.toml"),
        "{error}"
    );
}

#[test]
fn the_dashboard_is_off_by_default_and_loopback_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(load(dir.path(), &[]).unwrap().dashboard, None);
    let on = load(dir.path(), &[(DASHBOARD_VAR, "127.0.0.1:8480")]).unwrap();
    assert_eq!(on.dashboard, Some("127.0.0.1:8480".parse().unwrap()));
    let error = load(dir.path(), &[(DASHBOARD_VAR, "0.0.0.0:8480")])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("0.0.0.0:8480")
            && error.contains("127.0.0.1:8480")
            && error.contains("dashboard_allow_remote"),
        "{error}"
    );
    let allowed = load(
        dir.path(),
        &[
            (DASHBOARD_VAR, "0.0.0.0:8480"),
            (DASHBOARD_ALLOW_REMOTE_VAR, "1"),
        ],
    )
    .unwrap();
    assert_eq!(allowed.dashboard, Some("0.0.0.0:8480".parse().unwrap()));
    std::fs::write(
        dir.path().join("arsenal.toml"),
        "dashboard = \"[::]:8480\"\ndashboard_allow_remote = true\n[modules]\nwatch = false\n",
    )
    .unwrap();
    let file = load(dir.path(), &[]).unwrap();
    assert_eq!(file.dashboard, Some("[::]:8480".parse().unwrap()));
    assert!(!file.modules.watch, "[modules] watch = false");
    let error = load(dir.path(), &[(DASHBOARD_VAR, "localhost:80")])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("ARSENAL_DASHBOARD") && error.contains("serve no dashboard"),
        "{error}"
    );
}

#[test]
fn shards_are_a_count_or_this_process_range_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(dir.path().join("arsenal.toml"), text).unwrap();
    write("shards = 4\n");
    let settings = load(dir.path(), &[]).unwrap();
    assert_eq!((settings.shards, settings.shard_range), (Some(4), None));
    write("shards = \"2..4\"\ntotal_shards = 4\n");
    let settings = load(dir.path(), &[]).unwrap();
    assert_eq!(
        (settings.shards, settings.shard_range.clone()),
        (Some(4), Some(2..4))
    );
    // The flags win; given alone, --total-shards keeps the file's range.
    let flagged = settings
        .clone()
        .with_shard_flags(Some("0..2"), None)
        .unwrap();
    assert_eq!((flagged.shards, flagged.shard_range), (Some(4), Some(0..2)));
    let widened = settings.clone().with_shard_flags(None, Some(8)).unwrap();
    assert_eq!((widened.shards, widened.shard_range), (Some(8), Some(2..4)));
    let error = format!(
        "{:#}",
        settings.with_shard_flags(Some("3..9"), None).unwrap_err()
    );
    assert!(error.contains("goes past total_shards = 4"), "{error}");
    write("shards = \"0..2\"\n");
    let error = format!("{:#}", load(dir.path(), &[]).unwrap_err());
    assert!(
        error.contains("arsenal.toml") && error.contains("needs total_shards"),
        "{error}"
    );
}

#[test]
fn the_store_is_chosen_by_the_environment_then_the_file() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(store_url(dir.path(), None).unwrap(), None);
    std::fs::write(
        dir.path().join("arsenal.toml"),
        "store = \"postgres://bot@db/arsenal\"\nprefix = \"?\"\n",
    )
    .unwrap();
    assert_eq!(
        store_url(dir.path(), None).unwrap().as_deref(),
        Some("postgres://bot@db/arsenal")
    );
    // The file's `store` does not upset the rest of the settings.
    assert_eq!(load(dir.path(), &[]).unwrap().default_prefix, "?");
    let env = Some("postgresql://other@h:5433/x".to_owned());
    assert_eq!(
        store_url(dir.path(), env).unwrap().as_deref(),
        Some("postgresql://other@h:5433/x")
    );
    assert_eq!(
        store_url(dir.path(), Some("  ".to_owned()))
            .unwrap()
            .as_deref(),
        Some("postgres://bot@db/arsenal")
    );
    let error = store_url(dir.path(), Some("data/other".to_owned()))
        .unwrap_err()
        .to_string();
    assert!(error.contains("must be a postgres:// URL"), "{error}");
}

#[test]
fn module_limits_are_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let settings = load(dir.path(), &[]).unwrap();
    assert_eq!(settings.modules, ModuleLimits::default());
    std::fs::write(
        dir.path().join("arsenal.toml"),
        "[modules]\ncall_timeout_ms = 1500\nstall_after_ms = 200\nqueue_capacity = 50\n",
    )
    .unwrap();
    let limits = load(dir.path(), &[]).unwrap().modules;
    assert_eq!(limits.call_timeout, Duration::from_millis(1500));
    assert_eq!(limits.stall_after, Duration::from_millis(200));
    assert_eq!(limits.queue_capacity, 50);
    assert_eq!(limits.revert, crate::plugins::RevertPolicy::default());
    std::fs::write(
        dir.path().join("arsenal.toml"),
        "[modules]\nrevert_after_failures = 0\nrevert_window_ms = 1500\n",
    )
    .unwrap();
    let limits = load(dir.path(), &[]).unwrap().modules;
    assert_eq!(limits.revert.after_failures, 0, "0 turns reverting off");
    assert_eq!(limits.revert.window, Duration::from_millis(1500));
    std::fs::write(
        dir.path().join("arsenal.toml"),
        "[modules]\nqueue_capacity = 0\n",
    )
    .unwrap();
    let error = load(dir.path(), &[]).unwrap_err().to_string();
    assert!(
        error.contains("modules.queue_capacity must be at least 1"),
        "{error}"
    );
    std::fs::write(
        dir.path().join("arsenal.toml"),
        "[modules]\ncall_timeout = 5\n",
    )
    .unwrap();
    let error = format!("{:#}", load(dir.path(), &[]).unwrap_err());
    assert!(error.contains("unknown field"), "{error}");
}

const SECRET: &str = "MTAxNTk5.secret-part.xyz";

/// Settings from `dir` with `vars` as the environment (the token not in it).
fn load(dir: &Path, vars: &[(&str, &str)]) -> anyhow::Result<DiscordSettings> {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    DiscordSettings::from_sources(dir, None, move |name| {
        vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    })
}

#[test]
fn a_mistake_next_to_the_token_never_quotes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("arsenal.toml");
    for text in [
        format!("prefix = \"?\"\ntokne = \"{SECRET}\"\n"),
        format!("owners = \"{SECRET}\"\n"),
        format!("token = \"{SECRET}\"\nprefix = \n"),
        format!("token = {SECRET}\n"),
    ] {
        std::fs::write(&path, &text).unwrap();
        let error = format!("{:#}", load(dir.path(), &[]).unwrap_err());
        assert!(!error.contains("secret-part"), "{error}");
        assert!(
            error.contains("arsenal.toml") && error.contains("line "),
            "{error}"
        );
    }
    std::fs::write(&path, format!("prefix = \"?\"\ntokne = \"{SECRET}\"\n")).unwrap();
    let error = format!("{:#}", load(dir.path(), &[]).unwrap_err());
    assert!(
        error.contains("line 2 (key `tokne`): unknown field `tokne`"),
        "{error}"
    );
}

#[test]
fn no_debug_output_shows_the_token() {
    let file: File = toml::from_str(&format!("token = \"{SECRET}\"\n")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("arsenal.toml"),
        format!("token = \"Bot {SECRET}\"\n"),
    )
    .unwrap();
    let settings = load(dir.path(), &[]).unwrap();
    assert_eq!(settings.token.as_ref().map(Token::expose), Some(SECRET));
    let shown = format!("{file:?} {settings:?} {settings:#?}");
    assert!(!shown.contains("secret-part"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[test]
fn the_token_is_removed_from_the_environment_once_read() {
    // The only test touching this variable (the environment is shared by every test).
    std::env::set_var(TOKEN_VAR, format!("Bot {SECRET}"));
    let token = take_env_token();
    assert_eq!(token.as_ref().map(Token::expose), Some(SECRET));
    assert_eq!(std::env::var_os(TOKEN_VAR), None);
    assert_eq!(take_env_token(), None);
}

#[test]
fn the_token_never_goes_over_plain_text_to_another_machine() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("arsenal.toml"),
        format!("token = \"{SECRET}\"\n"),
    )
    .unwrap();
    for (var, value) in [
        ("ARSENAL_DISCORD_API", "discord.example.com:80"),
        ("ARSENAL_DISCORD_API", "10.0.0.5:8080"),
        ("ARSENAL_DISCORD_GATEWAY", "ws://10.0.0.5:8080/"),
    ] {
        let error = load(dir.path(), &[(var, value)]).unwrap_err().to_string();
        assert!(
            error.contains(var) && error.contains("ARSENAL_ALLOW_PLAIN_HTTP=1"),
            "{error}"
        );
        assert!(!error.contains("secret-part"), "{error}");
        let allowed = load(dir.path(), &[(var, value), (ALLOW_PLAIN_HTTP_VAR, "1")]);
        assert!(allowed.is_ok(), "explicitly allowed: {allowed:?}");
    }
    for (var, value) in [
        ("ARSENAL_DISCORD_API", "127.0.0.1:3000"),
        ("ARSENAL_DISCORD_API", "localhost:3000"),
        ("ARSENAL_DISCORD_API", "[::1]:3000"),
        ("ARSENAL_DISCORD_GATEWAY", "ws://127.0.0.1:3001"),
        ("ARSENAL_DISCORD_GATEWAY", "wss://gateway.example.com"),
    ] {
        let loaded = load(dir.path(), &[(var, value)]);
        assert!(loaded.is_ok(), "{var}={value}: {loaded:?}");
    }
    // Without a token there is nothing to leak (the sandbox sets its own simulator).
    std::fs::remove_file(dir.path().join("arsenal.toml")).unwrap();
    assert!(load(dir.path(), &[("ARSENAL_DISCORD_API", "10.0.0.5:80")]).is_ok());
}
