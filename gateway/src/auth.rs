//! Sign-in, sessions, and the extractors that do the checking: [`SignedIn`], [`Admin`],
//! [`SameOrigin`] and [`Caller`] (a signed-in user whose writes are allowed).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::store::{Role, User};
use crate::{AppState, now_ms};

/// The session cookie's name.
pub const COOKIE: &str = "wa_gw_session";
/// Failed sign-ins allowed per user name within [`FAILURE_WINDOW`]; the next attempt gets 429.
pub const MAX_FAILURES: usize = 5;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);

// ---- passwords (argon2id, PHC strings)

/// The PHC string of `password` (argon2id with the crate's default, OWASP-level costs).
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// Whether `password` matches the PHC string `hash` (the comparison is constant-time).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password nobody knows: checked for unknown users, so that an unknown
/// name and a wrong password cost the same time.
pub fn dummy_hash() -> String {
    hash_password(&hex::encode(random_bytes::<16>())).expect("argon2 hashes a fixed-size input")
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes
}

// ---- failed sign-ins

/// Failed sign-ins per user name (also for names that do not exist), kept in memory: a
/// restart forgets them, which costs an attacker a restart per 5 guesses.
#[derive(Default)]
pub struct Limiter(Mutex<HashMap<String, VecDeque<Instant>>>);

impl Limiter {
    /// `Some(seconds)` to wait when `user` has used up its failures.
    fn blocked(&self, user: &str, now: Instant) -> Option<u64> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let failures = map.get_mut(user)?;
        while failures
            .front()
            .is_some_and(|t| now.duration_since(*t) >= FAILURE_WINDOW)
        {
            failures.pop_front();
        }
        if failures.len() < MAX_FAILURES {
            return None;
        }
        let oldest = *failures.front()?;
        let left = FAILURE_WINDOW.saturating_sub(now.duration_since(oldest));
        Some(left.as_secs() + 1)
    }

    fn fail(&self, user: &str, now: Instant) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, f| {
                f.back()
                    .is_some_and(|t| now.duration_since(*t) < FAILURE_WINDOW)
            });
        }
        let failures = map.entry(user.to_owned()).or_default();
        failures.push_back(now);
        while failures.len() > MAX_FAILURES {
            failures.pop_front();
        }
    }

    fn clear(&self, user: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(user);
    }
}

// ---- sessions

fn session_hash(id: &str) -> Vec<u8> {
    Sha256::digest(id.as_bytes()).to_vec()
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The request came over https: to the gateway itself never (it serves plain HTTP), so
/// only through a TLS reverse proxy saying `X-Forwarded-Proto: https`. A client that sends
/// the header itself only makes its own cookie `Secure`, so it is safe to believe.
fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("https")
        })
}

// ---- extractors

/// A request with a live session.
pub struct SignedIn(pub User);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let id = cookie_value(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let user = state
            .store
            .session_user(&session_hash(&id), now_ms())?
            .ok_or(ApiError::Unauthorized)?;
        Ok(SignedIn(user))
    }
}

/// A signed-in admin.
pub struct Admin(pub User);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        if user.role != Role::Admin {
            return Err(ApiError::Forbidden("admins only"));
        }
        Ok(Admin(user))
    }
}

/// A request whose `Origin`, when present, is the gateway's own: the scheme (https behind a
/// proxy that says so) and the `Host` the request was sent to.
pub struct SameOrigin;

impl<S: Send + Sync> FromRequestParts<S> for SameOrigin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(origin) = parts.headers.get(header::ORIGIN) else {
            return Ok(SameOrigin);
        };
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        let scheme = if over_https(&parts.headers) {
            "https"
        } else {
            "http"
        };
        match (origin.to_str(), host) {
            (Ok(origin), Some(host))
                if origin.eq_ignore_ascii_case(&format!("{scheme}://{host}")) =>
            {
                Ok(SameOrigin)
            }
            _ => Err(ApiError::Forbidden(
                "a write must come from the gateway's own origin",
            )),
        }
    }
}

/// A signed-in user allowed this request: any user may read (GET, HEAD); only an admin may
/// write, and only from the gateway's own origin. A GET the allow-list calls a write
/// (Evolution's `acceptInviteCode`, which joins a group) is a write here too.
pub struct Caller(pub User);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        let write = !is_read(&parts.method)
            || crate::forward::target(state, parts.uri.path()).is_some_and(|(c, path)| {
                crate::allow::match_route(c, &parts.method, &path, parts.uri.query())
                    .is_some_and(|r| r.write)
            });
        if write {
            SameOrigin::from_request_parts(parts, state).await?;
            if user.role != Role::Admin {
                return Err(ApiError::Forbidden("a viewer may only read"));
            }
        }
        Ok(Caller(user))
    }
}

pub fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

// ---- handlers

#[derive(Deserialize)]
struct LoginBody {
    user: String,
    password: String,
}

/// `POST /_gateway/login` `{"user","password"}` → 204 + the session cookie; 401 for an
/// unknown user or a wrong password alike; 429 + `Retry-After` after too many failures.
pub async fn login(
    State(state): State<AppState>,
    _: SameOrigin,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if body.len() > 4096 {
        return Err(ApiError::PayloadTooLarge(4096));
    }
    let LoginBody { user, password } = serde_json::from_slice(&body)
        .map_err(|_| ApiError::BadRequest("expected {\"user\", \"password\"}".into()))?;
    if let Some(secs) = state.limiter.blocked(&user, Instant::now()) {
        return Err(ApiError::TooManyRequests(secs));
    }
    let found = state.store.user(&user)?;
    let hash = found
        .as_ref()
        .map_or_else(|| state.dummy_hash.clone(), |u| u.password_hash.clone());
    // Argon2 takes tens of milliseconds of CPU: off the async workers.
    let verified = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|_| ApiError::Internal("password check failed".into()))?;
    let Some(found) = found.filter(|_| verified) else {
        state.limiter.fail(&user, Instant::now());
        return Err(ApiError::Unauthorized);
    };
    state.limiter.clear(&user);
    let id = hex::encode(random_bytes::<32>());
    let now = now_ms();
    let ttl = state.options.session_ttl;
    state.store.add_session(
        &session_hash(&id),
        &found.name,
        now,
        now + ttl.as_millis() as i64,
    )?;
    let secure = if over_https(&headers) { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        ttl.as_secs()
    );
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|_| ApiError::Internal("cookie".into()))?,
    );
    Ok(response)
}

/// `POST /_gateway/logout` → 204; the session is deleted on the server.
pub async fn logout(
    State(state): State<AppState>,
    _: SignedIn,
    _: SameOrigin,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(id) = cookie_value(&headers) {
        state.store.remove_session(&session_hash(&id))?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("wa_gw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    Ok(response)
}

/// `GET /_gateway/me` → the user, their role and the connections.
pub async fn me(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Json<serde_json::Value> {
    let connections: Vec<_> = state
        .connections
        .iter()
        .map(|c| {
            let mut v = json!({ "name": c.name, "provider": c.provider.as_str() });
            if let Some(session) = &c.session {
                v["session"] = json!(session);
            }
            v
        })
        .collect();
    Json(json!({ "user": user.name, "role": user.role, "connections": connections }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horse!", &hash));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn the_sixth_failure_within_a_minute_is_refused_until_the_oldest_ages_out() {
        let limiter = Limiter::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES {
            assert_eq!(limiter.blocked("ana", start), None);
            limiter.fail("ana", start);
        }
        let wait = limiter
            .blocked("ana", start + Duration::from_secs(10))
            .unwrap();
        assert!((50..=51).contains(&wait), "{wait}");
        assert_eq!(limiter.blocked("bob", start), None, "per user");
        assert_eq!(limiter.blocked("ana", start + FAILURE_WINDOW), None);
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; wa_gw_session=abc; b=2"),
        );
        assert_eq!(cookie_value(&headers).as_deref(), Some("abc"));
    }
}
