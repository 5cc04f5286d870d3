//! Fault injection: gateway disconnects and opcodes, and scripted REST failures (429, 5xx,
//! slow responses) for the next N matching requests.

use crate::gateway::hub::Control;
use crate::{lock, Shared};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Copy, Debug)]
pub(crate) enum RestFaultKind {
    /// 429 with `Retry-After`; `global` sets `x-ratelimit-global` and scope `global`.
    RateLimit { retry_after: Duration, global: bool },
    /// A 5xx status with a Discord-style error body.
    ServerError(u16),
    /// Handle the request normally, but only after this delay.
    Delay(Duration),
}

#[derive(Clone, Debug)]
struct RestFault {
    remaining: u32,
    route: Option<String>,
    kind: RestFaultKind,
}

/// Pending REST faults, consumed in the order they were added.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    rest: Vec<RestFault>,
}

impl FaultQueue {
    /// Takes one use of the first fault matching this request. A filter matches when
    /// `"METHOD /route/{template}"` or `"METHOD /concrete/path"` contains it.
    pub(crate) fn take(
        &mut self,
        method: &str,
        path: &str,
        route: Option<&str>,
    ) -> Option<RestFaultKind> {
        let by_route = format!("{method} {}", route.unwrap_or(path));
        let by_path = format!("{method} {path}");
        let i = self.rest.iter().position(|f| {
            f.route
                .as_deref()
                .is_none_or(|r| by_route.contains(r) || by_path.contains(r))
        })?;
        let fault = &mut self.rest[i];
        fault.remaining -= 1;
        let kind = fault.kind;
        if fault.remaining == 0 {
            self.rest.remove(i);
        }
        Some(kind)
    }
}

/// Injects faults into a running simulator (from [`crate::Simulator::faults`]).
pub struct Faults {
    pub(crate) shared: Arc<Shared>,
}

impl Faults {
    /// Drops shard `shard`'s TCP connection without a close frame and waits until the
    /// simulator has let go of it. Returns `false` if the shard had no live connection.
    pub async fn drop_connection(&self, shard: u32) -> bool {
        self.control_and_wait(shard, Control::Drop).await
    }

    /// Closes shard `shard` with a close frame carrying `code` (4000 resumable, 4004 bad token,
    /// 4007/4009 session gone, ...) and waits until the connection is gone.
    pub async fn close_connection(&self, shard: u32, code: u16) -> bool {
        self.control_and_wait(shard, Control::Close(code)).await
    }

    /// Sends op 7 RECONNECT (the client should reconnect and RESUME).
    pub fn send_reconnect(&self, shard: u32) -> bool {
        self.shared.hub.control(shard, Control::Reconnect).is_some()
    }

    /// Sends op 9 INVALID SESSION; `resumable = false` also forgets the session, so the client
    /// must IDENTIFY again.
    pub fn send_invalid_session(&self, shard: u32, resumable: bool) -> bool {
        self.shared
            .hub
            .control(shard, Control::InvalidSession(resumable))
            .is_some()
    }

    /// While held, new gateway connections wait before the WebSocket handshake, so a test can
    /// produce events while a shard is certainly disconnected.
    pub fn hold_gateway(&self, hold: bool) {
        self.shared.gateway_hold.send_replace(hold);
    }

    /// Answers the next `count` requests matching `route` (`None` = any) with 429,
    /// `Retry-After` and bucket headers (scope `user`, which twilight-http waits out).
    pub fn rate_limit(&self, count: u32, route: Option<&str>, retry_after: Duration) {
        self.push(
            count,
            route,
            RestFaultKind::RateLimit {
                retry_after,
                global: false,
            },
        );
    }

    /// Like [`Faults::rate_limit`] but a global limit (`x-ratelimit-global: true`, scope
    /// `global`). Note: twilight-http 0.18 retries global 429s immediately.
    pub fn global_rate_limit(&self, count: u32, route: Option<&str>, retry_after: Duration) {
        self.push(
            count,
            route,
            RestFaultKind::RateLimit {
                retry_after,
                global: true,
            },
        );
    }

    /// Answers the next `count` matching requests with `status` (500, 502, 503, ...).
    pub fn server_error(&self, count: u32, route: Option<&str>, status: u16) {
        self.push(count, route, RestFaultKind::ServerError(status));
    }

    /// Delays the next `count` matching requests by `delay` before handling them normally.
    pub fn delay(&self, count: u32, route: Option<&str>, delay: Duration) {
        self.push(count, route, RestFaultKind::Delay(delay));
    }

    /// Forgets all pending REST faults.
    pub fn clear(&self) {
        lock(&self.shared.faults).rest.clear();
    }

    fn push(&self, count: u32, route: Option<&str>, kind: RestFaultKind) {
        if count == 0 {
            return;
        }
        lock(&self.shared.faults).rest.push(RestFault {
            remaining: count,
            route: route.map(str::to_owned),
            kind,
        });
    }

    async fn control_and_wait(&self, shard: u32, control: Control) -> bool {
        let Some(conn) = self.shared.hub.control(shard, control) else {
            return false;
        };
        let mut changes = self.shared.hub.changes.subscribe();
        let wait = async {
            while self.shared.hub.live_conn(shard) == Some(conn) {
                if changes.changed().await.is_err() {
                    break;
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(5), wait)
            .await
            .is_ok()
    }
}
