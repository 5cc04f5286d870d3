//! Voice sources end to end: yt-dlp for real against a local web server (its generic
//! extractor), an attachment fetched by the host, a clear message when yt-dlp is missing or a
//! site refuses, bad music-folder paths; and the real music module playing a file.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::voice::{committed_tone, join_lounge, voice_bot};
/// Serves `body` as `audio/wav` for every `*.wav` path (404 for the others), until the test
/// ends.
async fn serve_file(body: Vec<u8>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let body = body.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&request).to_string();
                // Only `*.wav` is audio; anything else is a page that does not exist.
                let path = head.split_whitespace().nth(1).unwrap_or_default();
                let body = if path.ends_with(".wav") {
                    body
                } else {
                    Vec::new()
                };
                let header = if path.ends_with(".wav") {
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                } else {
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_owned()
                };
                let _ = socket.write_all(header.as_bytes()).await;
                if !head.starts_with("HEAD") {
                    let _ = socket.write_all(&body).await;
                }
            });
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yt_dlp_plays_a_web_address_and_bad_sources_get_clear_messages() {
    let (bot, _) = voice_bot(&["voice_player"], |_| ()).await;
    let guild = bot.ids.guild;
    assert!(join_lounge(&bot, "v").await.starts_with("ok "));
    let owner = bot.ids.owner;

    // Bad local paths: refused with the reason, nothing plays, nothing breaks.
    let missing = bot.prefix(owner, "!vplay nope.wav").await;
    assert!(
        missing.starts_with("error: ") && missing.contains("no such file"),
        "{missing}"
    );
    let escape = bot.prefix(owner, "!vplay ../store/x.wav").await;
    assert!(escape.contains("`..` is refused"), "{escape}");
    let absolute = bot.prefix(owner, "!vplay /etc/passwd").await;
    assert!(
        absolute.contains("absolute paths are refused"),
        "{absolute}"
    );

    // yt-dlp for real: its generic extractor on a local web server's WAV.
    let addr = serve_file(std::fs::read(committed_tone()).unwrap()).await;
    let url = format!("http://{addr}/tone.wav");
    let played = bot.prefix(owner, &format!("!vurl {url}")).await;
    assert!(played.starts_with("ok "), "{played}");
    let received = bot
        .sim
        .voice()
        .wait_quiet(guild, Duration::from_millis(400), Duration::from_secs(30))
        .await
        .expect("audio from yt-dlp's stream");
    received
        .check_tone(
            440.0,
            15.0,
            Duration::from_millis(1500),
            Duration::from_millis(250),
        )
        .unwrap_or_else(|e| panic!("{e}: {received:?}"));

    // An attachment: fetched by the host's HTTP client, no yt-dlp involved.
    bot.sim.voice().reset(guild);
    let attached = bot.prefix(owner, &format!("!vattach {url}")).await;
    assert!(attached.contains("\"duration_ms\":1500"), "{attached}");
    let received = bot
        .sim
        .voice()
        .wait_quiet(guild, Duration::from_millis(400), Duration::from_secs(15))
        .await
        .expect("audio from the attachment");
    received
        .check_tone(
            440.0,
            15.0,
            Duration::from_millis(1500),
            Duration::from_millis(250),
        )
        .unwrap_or_else(|e| panic!("{e}: {received:?}"));

    // A site yt-dlp cannot use: its reason, in one line.
    let refused = bot
        .prefix(owner, &format!("!vurl http://{addr}/page-with-no-media"))
        .await;
    assert!(
        refused.starts_with("error: the site refused: ")
            && refused.contains("404")
            && !refused.contains('\n'),
        "{refused}"
    );
    bot.stop().await;

    // yt-dlp missing: how to install it.
    let (bot, _) = voice_bot(&["voice_player"], |s| {
        s.voice.yt_dlp = Some("/nonexistent/yt-dlp".to_owned());
    })
    .await;
    assert!(join_lounge(&bot, "v").await.starts_with("ok "));
    let addr = serve_file(Vec::new()).await;
    let missing = bot
        .prefix(bot.ids.owner, &format!("!vurl http://{addr}/x.wav"))
        .await;
    assert!(
        missing.contains("is not installed") && missing.contains("cargo xtask setup music"),
        "{missing}"
    );
    // The bot still plays local files.
    assert!(bot
        .prefix(bot.ids.owner, "!vplay tone.wav")
        .await
        .starts_with("ok "));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_music_module_plays_a_music_folder_file_into_the_simulator() {
    let (bot, _) = voice_bot(&["music"], |_| ()).await;
    let guild = bot.ids.guild;
    // The member is in the lounge; `!play` joins them there and plays the file.
    bot.sim.join_voice(bot.ids.owner, bot.ids.lounge).await;
    let answer = bot.prefix(bot.ids.owner, "!play file:tone.wav").await;
    let received = bot
        .sim
        .voice()
        .wait_quiet(guild, Duration::from_millis(400), Duration::from_secs(15))
        .await
        .unwrap_or_else(|| panic!("no audio after {answer:?}"));
    received
        .check_tone(
            440.0,
            15.0,
            Duration::from_millis(1500),
            Duration::from_millis(250),
        )
        .unwrap_or_else(|e| panic!("{e}: {received:?} (answer {answer:?})"));
    assert_eq!(
        bot.sim.voice().session(guild).map(|s| s.channel),
        Some(bot.ids.lounge)
    );
    bot.stop().await;
}

/// The sandbox's demo of voice (`cargo xtask run`): a console member joins the Lounge,
/// `/play query:file:tone.wav` plays the test tone the sandbox put in its own music folder into
/// the simulator, and `:heard` reports what the voice server decoded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_sandbox_a_console_member_plays_the_tone_and_hears_it() {
    use arsenal_host::{paths::Paths, sandbox};

    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let paths = Paths::new(dir.path().to_path_buf(), None);
    std::fs::create_dir_all(&paths.plugins_dir).expect("plugins folder");
    crate::common::link_runtime(&paths.plugins_dir);
    crate::common::install(&paths.plugins_dir, "music", &crate::common::plugin("music"));
    let settings = crate::common::sandbox_settings();
    let (sim, app) = sandbox::start(&paths, settings)
        .await
        .expect("sandbox starts");
    assert!(
        paths
            .sandbox()
            .data_dir
            .join("music")
            .join("tone.wav")
            .is_file(),
        "the sandbox put the tone in its music folder"
    );
    let console = |input: &'static str| {
        let sim = &sim;
        async move {
            let mut out = Vec::new();
            sandbox::console::run(sim, Default::default(), input.as_bytes(), &mut out)
                .await
                .expect("console");
            String::from_utf8_lossy(&out).into_owned()
        }
    };
    let played = console(":voice Lounge\n/play query:file:tone.wav\n").await;
    assert!(played.contains("is in 🔊 Lounge"), "{played}");
    let guild = sim.with_world(|w| w.demo_ids()).expect("demo ids").guild;
    let received = sim
        .voice()
        .wait_quiet(guild, Duration::from_millis(400), Duration::from_secs(15))
        .await
        .unwrap_or_else(|| panic!("no audio; the console said:\n{played}"));
    received
        .check_tone(
            440.0,
            15.0,
            Duration::from_millis(1500),
            Duration::from_millis(250),
        )
        .unwrap_or_else(|e| panic!("{e}: {received:?}\n{played}"));
    let heard = console(":heard\n").await;
    assert!(
        heard.contains("heard 1.") && heard.contains("440 Hz"),
        "{heard}"
    );
    app.shutdown().await.expect("clean shutdown");
    sim.shutdown().await;
}
