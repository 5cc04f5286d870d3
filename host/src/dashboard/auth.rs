//! Who may use the dashboard: one login secret, random at every start and kept only as a salted
//! SHA-256 (compared in constant time), and the sessions it opens (an `HttpOnly`,
//! `SameSite=Strict` cookie naming a random id; each session has its own CSRF token, see
//! [`super::csrf`]).
//!
//! A request without a valid session never reaches a page: [`Authed`] answers it with a
//! redirect to the login page.

use std::{
    collections::HashMap,
    fmt::Write as _,
    sync::{Mutex, MutexGuard, PoisonError},
    time::{Duration, Instant},
};

use axum::{
    extract::{FromRequestParts, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use maud::html;
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use super::{page, Dashboard};

/// The session cookie's name.
pub const COOKIE: &str = "arsenal_session";
/// A session ends this long after its login.
const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);
/// Sessions kept at once; the oldest is closed past it (a login costs nothing to repeat).
const MAX_SESSIONS: usize = 64;

/// `bytes` random bytes from the operating system, as lowercase hex.
///
/// # Errors
///
/// The operating system has no randomness to give (never on Linux after boot).
pub fn random_hex(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buffer = vec![0_u8; bytes];
    getrandom::getrandom(&mut buffer)?;
    Ok(hex(&buffer))
}

fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// Equal contents, in a time that depends only on the lengths.
#[must_use]
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

/// The login secret as kept: a salt and the SHA-256 of salt and secret.
pub struct LoginSecret {
    salt: [u8; 16],
    hash: [u8; 32],
}

impl LoginSecret {
    /// A new random secret (32 bytes as hex), returned once to be shown to the operator, and
    /// what is kept of it.
    ///
    /// # Errors
    ///
    /// No randomness from the operating system.
    pub fn generate() -> Result<(Self, String), getrandom::Error> {
        let secret = random_hex(32)?;
        let mut salt = [0_u8; 16];
        getrandom::getrandom(&mut salt)?;
        let hash = Self::digest(&salt, &secret);
        Ok((Self { salt, hash }, secret))
    }

    fn digest(salt: &[u8], secret: &str) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(salt);
        hasher.update(secret.trim().as_bytes());
        hasher.finalize().into()
    }

    /// Whether `typed` is the secret (surrounding blanks ignored: it is often pasted).
    #[must_use]
    pub fn verifies(&self, typed: &str) -> bool {
        constant_time_eq(&Self::digest(&self.salt, typed), &self.hash)
    }
}

/// A message shown once on the next page (the result of an action).
#[derive(Debug, Clone)]
pub struct Flash {
    /// It went as asked.
    pub ok: bool,
    /// What to tell.
    pub text: String,
}

struct Session {
    csrf: String,
    opened: Instant,
    flash: Option<Flash>,
}

/// The secret and the open sessions.
pub struct Sessions {
    secret: LoginSecret,
    open: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// Sessions opened by `secret`.
    #[must_use]
    pub fn new(secret: LoginSecret) -> Self {
        Self {
            secret,
            open: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Session>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens a session: its id (the cookie) and CSRF token.
    fn open(&self) -> Result<String, getrandom::Error> {
        let id = random_hex(32)?;
        let csrf = random_hex(32)?;
        let mut open = self.lock();
        open.retain(|_, s| s.opened.elapsed() < SESSION_LIFETIME);
        if open.len() >= MAX_SESSIONS {
            if let Some(oldest) = open
                .iter()
                .min_by_key(|(_, s)| s.opened)
                .map(|(id, _)| id.clone())
            {
                open.remove(&oldest);
            }
        }
        open.insert(
            id.clone(),
            Session {
                csrf,
                opened: Instant::now(),
                flash: None,
            },
        );
        Ok(id)
    }

    fn close(&self, id: &str) {
        self.lock().remove(id);
    }

    /// The CSRF token of live session `id`.
    fn csrf_of(&self, id: &str) -> Option<String> {
        let open = self.lock();
        open.iter()
            .find(|(known, s)| {
                constant_time_eq(known.as_bytes(), id.as_bytes())
                    && s.opened.elapsed() < SESSION_LIFETIME
            })
            .map(|(_, s)| s.csrf.clone())
    }

    /// Leaves `flash` for the session's next page.
    pub fn set_flash(&self, id: &str, flash: Flash) {
        if let Some(session) = self.lock().get_mut(id) {
            session.flash = Some(flash);
        }
    }

    /// Takes the message left for this page.
    pub fn take_flash(&self, id: &str) -> Option<Flash> {
        self.lock().get_mut(id).and_then(|s| s.flash.take())
    }
}

/// A request from a logged-in browser: its session id and CSRF token.
pub struct Authed {
    /// The session id (the cookie's value).
    pub session: String,
    /// The token every form of this session carries.
    pub csrf: String,
}

impl FromRequestParts<Dashboard> for Authed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Dashboard,
    ) -> Result<Self, Self::Rejection> {
        let session = session_cookie(&parts.headers);
        match session.and_then(|id| state.sessions.csrf_of(&id).map(|csrf| (id, csrf))) {
            Some((session, csrf)) => Ok(Self { session, csrf }),
            None => Err(Redirect::to("/login").into_response()),
        }
    }
}

/// The session id in the request's `Cookie` headers.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// `GET /login`.
pub async fn login_page() -> Response {
    login_form(StatusCode::OK, None)
}

fn login_form(status: StatusCode, error: Option<&str>) -> Response {
    let body = html! {
        h1 { "Arsenal dashboard" }
        @if let Some(error) = error {
            p.flash.error role="alert" { (error) }
        }
        form method="post" action="/login" {
            label for="secret" { "Login secret" }
            input #secret type="password" name="secret" autocomplete="off" autofocus;
            button #login type="submit" { "Log in" }
        }
        p.hint {
            "The secret is printed once when the host starts (\"dashboard login secret\"). "
            "Restarting the host prints a new one and closes every session."
        }
    };
    (status, page::bare("Log in", body)).into_response()
}

/// The login form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    secret: String,
}

/// `POST /login`: a session cookie for the right secret, the form again with why otherwise.
pub async fn login(State(state): State<Dashboard>, Form(form): Form<LoginForm>) -> Response {
    if !state.sessions.secret.verifies(&form.secret) {
        tracing::warn!("dashboard: a login with a wrong secret was refused");
        return login_form(
            StatusCode::UNAUTHORIZED,
            Some("That is not the login secret. Copy it from the host's output at start (\"dashboard login secret\"); it changes at every start."),
        );
    }
    let id = match state.sessions.open() {
        Ok(id) => id,
        Err(error) => {
            return page::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("No session could be opened: the operating system gave no random bytes ({error}). Try again."),
            )
        }
    };
    tracing::info!("dashboard: logged in");
    let cookie = format!("{COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/");
    let mut response = Redirect::to("/modules").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The logout form's fields.
#[derive(Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

/// `POST /logout`: ends the session.
pub async fn logout(
    State(state): State<Dashboard>,
    authed: Authed,
    Form(form): Form<LogoutForm>,
) -> Response {
    if let Err(refused) = super::csrf::check(&authed, &form.csrf, "log out") {
        return refused.into_response();
    }
    state.sessions.close(&authed.session);
    let mut response = Redirect::to("/login").into_response();
    let expired = format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_secret_verifies() {
        let (kept, secret) = LoginSecret::generate().unwrap();
        assert_eq!(secret.len(), 64);
        assert!(kept.verifies(&secret));
        assert!(kept.verifies(&format!(" {secret}\n")), "pasted with blanks");
        assert!(!kept.verifies(&secret[..63]));
        assert!(!kept.verifies(""));
        let (other, _) = LoginSecret::generate().unwrap();
        assert!(!other.verifies(&secret));
        assert_ne!(kept.salt, other.salt, "salted");
    }

    #[test]
    fn sessions_have_their_own_tokens_and_close() {
        let (kept, _) = LoginSecret::generate().unwrap();
        let sessions = Sessions::new(kept);
        let a = sessions.open().unwrap();
        let b = sessions.open().unwrap();
        let (token_a, token_b) = (sessions.csrf_of(&a).unwrap(), sessions.csrf_of(&b).unwrap());
        assert_ne!(token_a, token_b);
        assert_eq!(sessions.csrf_of("not-a-session"), None);
        sessions.close(&a);
        assert_eq!(sessions.csrf_of(&a), None);
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; arsenal_session=abc; x=1"),
        );
        assert_eq!(session_cookie(&headers).as_deref(), Some("abc"));
        assert_eq!(session_cookie(&HeaderMap::new()), None);
    }
}
