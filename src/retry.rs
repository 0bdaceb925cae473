//! The retry policy: pure and deterministic. It decides whether and when to try a failed
//! request again; it never sleeps (the caller does, with its own clock), and its randomness
//! comes in as an argument, so every decision is exact in tests.
//!
//! What is safe to retry, after stripe-node, octokit and ky:
//! - only failures that say nothing was applied, or requests that are safe to repeat:
//!   `GET`, `PUT` and `DELETE` after a network failure, a timeout, 408, 409, 429, 500, 502,
//!   503, 504 or WAHA's `rate-overlimit`;
//! - a non-idempotent `POST` or `PATCH` (create, join, add participants, send) only when the
//!   server said it did not process it: 429 — never after a network failure or a 5xx,
//!   since the request may have been applied;
//! - never 400, 401, 403, 404, 410, 422 or 501: the same request would fail the same way.
//!   That includes WAHA's 422 "session not WORKING", which its provider reports as
//!   `conflict`: the session waits on a person (a QR scan, a restart), not on a few seconds.
//!
//! Delays are exponential with full jitter (`random × min(max, base × 2^attempt)`); a
//! rate limit without `Retry-After` (WAHA's `rate-overlimit`, a bare 429) waits
//! [`RATE_LIMITED_MIN_DELAY_MS`] (2 s) more, since the server asked to slow down. A
//! `Retry-After` from the server wins, unless it asks for longer than `max_delay_ms`, in
//! which case the error is returned at once rather than hanging the caller. No wait is
//! longer than `max_delay_ms`.

use crate::error::{Error, ErrorCode};
use crate::http::Method;

/// Reading `Retry-After` and `Date` lives with the response ([`crate::http`]); re-exported
/// here, where the policy's callers look for it.
pub use crate::http::{parse_http_date_ms, parse_retry_after};

/// The least wait before retrying a rate-limited request when the server named no
/// `Retry-After` (WAHA's `rate-overlimit` never does; a bare 429 may not): a rate limit asks
/// the client to slow down, and a retry within the second would likely meet it again. The
/// backoff's jitter comes on top; the wait still never exceeds `max_delay_ms`.
///
/// ```
/// use wa_groups::{Error, ErrorCode, http::Method, retry::{Decision, RATE_LIMITED_MIN_DELAY_MS, RetryPolicy}};
/// let overlimit = Error::Status {
///     code: ErrorCode::RateLimited,
///     status: 500,
///     message: "rate-overlimit".into(),
///     retry_after_ms: None,
/// };
/// let wait = RetryPolicy::default().decide(Method::Get, 0, &overlimit, 0.5);
/// assert_eq!(wait, Decision::RetryAfter(RATE_LIMITED_MIN_DELAY_MS + 250));
/// ```
pub const RATE_LIMITED_MIN_DELAY_MS: u64 = 2_000;

/// How many times, and how patiently, to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 turns retrying off).
    pub retries: u32,
    /// The first backoff's upper bound, in milliseconds.
    pub base_delay_ms: u64,
    /// No wait is longer than this, in milliseconds.
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            retries: 2,
            base_delay_ms: 500,
            max_delay_ms: 10_000,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Try again after this many milliseconds.
    RetryAfter(u64),
    /// Return the error.
    GiveUp,
}

/// Whether repeating `method` cannot apply a change twice.
///
/// ```
/// use wa_groups::{http::Method, retry::is_idempotent};
/// assert!(is_idempotent(Method::Put));
/// assert!(!is_idempotent(Method::Post));
/// ```
pub fn is_idempotent(method: Method) -> bool {
    matches!(method, Method::Get | Method::Put | Method::Delete)
}

/// Whether the server said it did not process the request (so even a POST may be repeated).
fn not_processed(error: &Error) -> bool {
    error.status() == Some(429)
}

/// Whether a failure is transient: the same request may well succeed later.
fn transient(error: &Error) -> bool {
    match error.code() {
        ErrorCode::Network | ErrorCode::Timeout | ErrorCode::RateLimited => true,
        // 409 only: WAHA's 422 is `conflict` too, but a session that is not WORKING waits
        // on someone (a QR scan, a restart), not on a few seconds.
        ErrorCode::Conflict => error.status() == Some(409),
        ErrorCode::Server => matches!(error.status(), Some(408 | 500 | 502 | 503 | 504)),
        _ => false,
    }
}

impl RetryPolicy {
    /// No retries.
    ///
    /// ```
    /// use wa_groups::retry::RetryPolicy;
    /// assert_eq!(RetryPolicy::none().retries, 0);
    /// ```
    pub const fn none() -> RetryPolicy {
        RetryPolicy {
            retries: 0,
            base_delay_ms: 0,
            max_delay_ms: 0,
        }
    }

    /// Decides after attempt number `attempt` (0 for the first) of a `method` request
    /// failed with `error`. `random` is uniform in `[0, 1)`. A rate limit without a
    /// `Retry-After` waits [`RATE_LIMITED_MIN_DELAY_MS`] on top of the backoff.
    ///
    /// ```
    /// use wa_groups::{Error, http::Method, retry::{Decision, RetryPolicy}};
    /// let policy = RetryPolicy::default();
    /// let reset = Error::Network("connection reset".into());
    /// assert_eq!(policy.decide(Method::Get, 0, &reset, 0.5), Decision::RetryAfter(250));
    /// // A POST may have been applied before the connection broke: it is not repeated.
    /// assert_eq!(policy.decide(Method::Post, 0, &reset, 0.5), Decision::GiveUp);
    /// // The retries are used up.
    /// assert_eq!(policy.decide(Method::Get, 2, &reset, 0.5), Decision::GiveUp);
    /// ```
    pub fn decide(&self, method: Method, attempt: u32, error: &Error, random: f64) -> Decision {
        if attempt >= self.retries || !transient(error) {
            return Decision::GiveUp;
        }
        if !is_idempotent(method) && !not_processed(error) {
            return Decision::GiveUp;
        }
        if let Some(wait) = error.retry_after_ms() {
            return if wait <= self.max_delay_ms {
                Decision::RetryAfter(wait)
            } else {
                Decision::GiveUp
            };
        }
        let backoff = self.backoff_ms(attempt, random);
        if error.code() == ErrorCode::RateLimited {
            let wait = RATE_LIMITED_MIN_DELAY_MS.saturating_add(backoff);
            return Decision::RetryAfter(wait.min(self.max_delay_ms));
        }
        Decision::RetryAfter(backoff)
    }

    /// The wait before retry number `attempt + 1` when the server named none: full jitter,
    /// `random × min(max_delay_ms, base_delay_ms × 2^attempt)`.
    ///
    /// ```
    /// use wa_groups::retry::RetryPolicy;
    /// let policy = RetryPolicy::default(); // 500 ms base, 10 s cap
    /// assert_eq!(policy.backoff_ms(0, 0.5), 250);
    /// assert_eq!(policy.backoff_ms(1, 0.99), 990);
    /// assert_eq!(policy.backoff_ms(10, 1.0), 10_000);
    /// ```
    pub fn backoff_ms(&self, attempt: u32, random: f64) -> u64 {
        let ceiling = self
            .base_delay_ms
            .saturating_mul(1u64 << attempt.min(32))
            .min(self.max_delay_ms);
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        (ceiling as f64 * random) as u64
    }
}

#[cfg(test)]
mod tests;
