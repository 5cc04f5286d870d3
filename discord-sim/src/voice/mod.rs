//! The voice server: what Discord's voice servers do for a bot that sends audio, on loopback.
//!
//! The main gateway answers op 4 VOICE_STATE_UPDATE with VOICE_STATE_UPDATE and
//! VOICE_SERVER_UPDATE (a token and `localhost:<port>`, see [`grants`]); the bot then dials the
//! voice gateway over TLS ([`gateway`], certificate from [`pki`]), discovers its address and
//! sends encrypted RTP over UDP ([`udp`], [`rtp`]), which is decrypted, decoded and measured per
//! guild ([`stream`], [`analysis`]). Tests read it through [`VoiceHandle`].

mod analysis;
mod gateway;
pub(crate) mod grants;
mod handle;
mod pki;
mod rtp;
mod stream;
mod udp;

pub use grants::VoiceGrant;
pub use handle::{VoiceHandle, VoiceSession};
pub use stream::Received;

/// The committed test tone (440 Hz, 1.5 s, WAV) the voice tests compare what they hear with;
/// the sandbox puts it in its music folder.
pub const TEST_TONE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/tone-440hz-1500ms.wav");

use crate::lock;
use aes_gcm::Aes256Gcm;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use stream::Stream;
use tokio::net::{TcpListener, UdpSocket};
use tokio::sync::{mpsc, watch};

/// Who may open a voice session: what the main gateway handed out in VOICE_STATE_UPDATE and
/// VOICE_SERVER_UPDATE for one guild.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Grant {
    pub guild: u64,
    pub channel: u64,
    pub user: u64,
    pub session_id: String,
    pub token: String,
}

/// One identified voice connection.
pub(crate) struct Session {
    pub grant: Grant,
    pub ssrc: u32,
    /// The key announced in SESSION_DESCRIPTION (`None` before SELECT_PROTOCOL).
    pub key: Option<[u8; 32]>,
    /// The cipher packets are decrypted with (the announced key, unless a fault says otherwise).
    pub cipher: Option<Aes256Gcm>,
    /// The address IP discovery saw, and what SELECT_PROTOCOL said.
    pub udp_peer: Option<SocketAddr>,
    pub selected: Option<(SocketAddr, String)>,
    pub speaking: u64,
    /// Every SPEAKING bit ever announced on this session (OR of all op 5).
    pub spoke: u64,
    pub resumes: u32,
    /// Closes the session's WebSocket with a code (`None` when no connection is attached).
    pub close: Option<mpsc::UnboundedSender<u16>>,
    pub connection: u64,
}

/// Everything the voice server knows, behind one lock.
#[derive(Default)]
pub(crate) struct State {
    /// Grants by guild (the latest VOICE_SERVER_UPDATE's).
    pub grants: HashMap<u64, Grant>,
    pub sessions: HashMap<u64, Session>,
    pub by_ssrc: HashMap<u32, u64>,
    pub streams: HashMap<u64, Stream>,
    pub next_ssrc: u32,
    pub next_connection: u64,
    pub identifies: u64,
    pub refused: Vec<String>,
    pub unknown_datagrams: u64,
    pub dropped_datagrams: u64,
    pub drop_udp_until: Option<Instant>,
    /// Fault: decrypt with a key other than the announced one.
    pub wrong_key: bool,
    /// Every op 4 the main gateway received: the shard it came on and its guild.
    pub voice_updates: Vec<(u32, u64)>,
}

/// The running voice server of one simulator.
pub(crate) struct VoiceServer {
    pub port: u16,
    pub udp_addr: SocketAddr,
    pub ca_file: std::path::PathBuf,
    pub state: Mutex<State>,
    /// Bumped after every received packet or session change, to wake waiters.
    pub changes: watch::Sender<u64>,
    pub epoch: Instant,
    pub decode: std::sync::atomic::AtomicBool,
    pub late_after_us: std::sync::atomic::AtomicU64,
    pub heartbeat_interval: Duration,
}

impl VoiceServer {
    /// Binds the voice gateway (TLS) and the UDP socket on loopback and starts serving until
    /// `shutdown` turns true.
    pub(crate) async fn start(
        shutdown: watch::Receiver<bool>,
    ) -> std::io::Result<Arc<VoiceServer>> {
        let pki = pki::get().map_err(std::io::Error::other)?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let udp = UdpSocket::bind("127.0.0.1:0").await?;
        let server = Arc::new(VoiceServer {
            port: listener.local_addr()?.port(),
            udp_addr: udp.local_addr()?,
            ca_file: pki.ca_file.clone(),
            state: Mutex::new(State {
                next_ssrc: 1000,
                ..State::default()
            }),
            changes: watch::channel(0).0,
            epoch: Instant::now(),
            decode: std::sync::atomic::AtomicBool::new(true),
            late_after_us: std::sync::atomic::AtomicU64::new(20_000),
            heartbeat_interval: Duration::from_millis(13_750),
        });
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::clone(&pki.server_config));
        tokio::spawn(gateway::run(
            listener,
            acceptor,
            Arc::clone(&server),
            shutdown.clone(),
        ));
        tokio::spawn(udp::run(udp, Arc::clone(&server), shutdown));
        Ok(server)
    }

    /// `localhost:<port>`, the `endpoint` of VOICE_SERVER_UPDATE.
    pub(crate) fn endpoint(&self) -> String {
        format!("localhost:{}", self.port)
    }

    pub(crate) fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Runs `f` on the state, then wakes waiters.
    pub(crate) fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let r = f(&mut lock(&self.state));
        self.changed();
        r
    }

    /// Ends `guild`'s voice session (the bot left the channel): its WebSocket is closed with
    /// 4014 (Disconnected), as Discord does, and its grant is forgotten.
    pub(crate) fn end_session(&self, guild: u64) {
        self.with_state(|s| {
            s.grants.remove(&guild);
            if let Some(session) = s.sessions.remove(&guild) {
                s.by_ssrc.remove(&session.ssrc);
                if let Some(close) = session.close {
                    let _ = close.send(4014);
                }
            }
        });
    }

    pub(crate) fn late_after(&self) -> Duration {
        Duration::from_micros(
            self.late_after_us
                .load(std::sync::atomic::Ordering::Relaxed),
        )
    }
}

/// 32 random bytes from the OS (a session's secret key).
pub(crate) fn random_key() -> std::io::Result<[u8; 32]> {
    let mut key = [0u8; 32];
    getrandom::getrandom(&mut key).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(key)
}
