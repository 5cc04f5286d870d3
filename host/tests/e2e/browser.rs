//! A real headless Chromium driven over the W3C WebDriver protocol by Debian's `chromedriver`,
//! for the dashboard's browser test. The protocol is JSON over HTTP; the few commands used here
//! are sent over a plain TCP connection (one request each, `Connection: close`; chromedriver
//! answers with a `Content-Length`), so the test needs no
//! WebDriver crate and its dependencies.
//!
//! `chromedriver` and `chromium` must be installed (`apt-get install -y chromium
//! chromium-driver`; `.ci/run` does it): the test fails, never skips, without them.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use base64::Engine as _;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// The key W3C WebDriver names an element reference by.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// Longest wait for the driver to start or a page element to appear.
const WAIT: Duration = Duration::from_secs(20);

/// A chromedriver process and one browser session; both end when dropped.
pub struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
}

/// An element of the current page.
#[derive(Clone)]
pub struct Element(String);

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium session.
    pub async fn start() -> Self {
        for (path, package) in [(CHROMEDRIVER, "chromium-driver"), (CHROMIUM, "chromium")] {
            assert!(
                Path::new(path).is_file(),
                "{path} is missing: the dashboard's browser test needs Debian's {package} (`apt-get install -y chromium chromium-driver`; .ci/run installs it)"
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut browser = Self {
            driver,
            addr,
            session: String::new(),
        };
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok((200, status)) = browser.request("GET", "/status", None).await {
                if status["value"]["ready"] == json!(true) {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver never became ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                // Root in CI: Chromium's sandbox needs an unprivileged user.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,800"],
            },
        }}});
        let (status, created) = browser
            .request("POST", "/session", Some(capabilities))
            .await
            .expect("new session");
        assert_eq!(status, 200, "the browser session was refused: {created}");
        browser.session = created["value"]["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        browser
    }

    /// One WebDriver command: the HTTP status and the JSON answer.
    async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> std::io::Result<(u16, Value)> {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut stream = tokio::net::TcpStream::connect(self.addr).await?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        let read = async {
            // chromedriver may leave the connection open: read the head, then Content-Length bytes.
            let mut response = Vec::new();
            let mut chunk = [0_u8; 8192];
            loop {
                let n = stream.read(&mut chunk).await?;
                response.extend_from_slice(&chunk[..n]);
                if let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok());
                    match length {
                        Some(length) if response.len() >= end + 4 + length => break,
                        None if n == 0 => break,
                        _ => {}
                    }
                }
                if n == 0 {
                    break;
                }
            }
            Ok::<_, std::io::Error>(response)
        };
        let response = tokio::time::timeout(Duration::from_secs(60), read)
            .await
            .map_err(|_| std::io::Error::other("chromedriver did not answer in 60 s"))??;
        let text = String::from_utf8_lossy(&response);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
    }

    /// A command of this session; panics with the driver's message if it fails.
    async fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        let (status, answer) = self
            .request(method, &full, body)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert_eq!(status, 200, "{method} {path}: {answer}");
        answer["value"].clone()
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })))
            .await;
    }

    /// The current page's address.
    pub async fn url(&self) -> String {
        self.command("GET", "/url", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The first element matching CSS `selector`, waiting for it to appear.
    pub async fn find(&self, selector: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            let full = format!("/session/{}/element", self.session);
            let body = json!({"using": "css selector", "value": selector});
            if let Ok((200, found)) = self.request("POST", &full, Some(body)).await {
                if let Some(id) = found["value"][ELEMENT].as_str() {
                    return Element(id.to_owned());
                }
            }
            assert!(
                Instant::now() < deadline,
                "no element {selector:?} on {}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many elements match `selector` now.
    pub async fn count(&self, selector: &str) -> usize {
        let found = self
            .command(
                "POST",
                "/elements",
                Some(json!({"using": "css selector", "value": selector})),
            )
            .await;
        found.as_array().map_or(0, Vec::len)
    }

    /// Clicks `element`, a link or a button submitting its form, and waits until the page it
    /// loads has loaded. chromedriver alone may return before the navigation has even started
    /// when the machine is busy (the old page's URL and `#flash` would then be read), so the
    /// old document is marked first and the click returns once a document without the mark
    /// is complete.
    pub async fn click(&self, element: &Element) {
        self.execute("window.__arsenal_old_page = true;", json!([]))
            .await;
        self.command(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        )
        .await;
        let deadline = Instant::now() + WAIT;
        let script =
            "return window.__arsenal_old_page === undefined && document.readyState === 'complete'";
        let full = format!("/session/{}/execute/sync", self.session);
        loop {
            // Errors while the old page unloads are expected: ask again.
            if let Ok((200, answer)) = self
                .request("POST", &full, Some(json!({"script": script, "args": []})))
                .await
            {
                if answer["value"] == json!(true) {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "the click loaded no new page");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Replaces the text of an input or text area.
    pub async fn type_into(&self, element: &Element, text: &str) {
        self.command(
            "POST",
            &format!("/element/{}/clear", element.0),
            Some(json!({})),
        )
        .await;
        self.command(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// The visible text of the first element matching `selector`.
    pub async fn text(&self, selector: &str) -> String {
        let element = self.find(selector).await;
        self.command("GET", &format!("/element/{}/text", element.0), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs `script` in the page (`return …` for a value).
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Saves a PNG of the window as `<dir>/<name>.png`; returns its path.
    pub async fn screenshot(&self, dir: &Path, name: &str) -> PathBuf {
        let encoded = self.command("GET", "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .expect("a base64 screenshot");
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::create_dir_all(dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("screenshot written");
        path
    }

    /// Ends the session and the driver.
    pub async fn quit(mut self) {
        let path = format!("/session/{}", self.session);
        let _ = self.request("DELETE", &path, None).await;
        self.session.clear();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The driver ends its browsers when it ends.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
