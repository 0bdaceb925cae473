//! The one error type of the crate and its stable, machine-readable [`ErrorCode`].

use std::fmt;

/// A stable, machine-readable classification of an [`Error`].
///
/// The string forms (`as_str`) are part of the public JS contract: JS code branches on
/// `err.code`, so a code is never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The caller passed something that cannot be sent; nothing was sent.
    InvalidInput,
    /// The provider rejected the credentials (HTTP 401).
    Unauthorized,
    /// The credentials are valid but not allowed to do this (HTTP 403), or WhatsApp refused
    /// for want of admin rights (WAHA WEBJS's `AddParticipantsError: You have no admin
    /// rights…`, or `false`, answered with a 200).
    Forbidden,
    /// The session, group or resource does not exist (HTTP 404).
    NotFound,
    /// The request conflicts with the current state (HTTP 409; on WAHA also 422, the
    /// session is not WORKING yet, which is not retried).
    Conflict,
    /// The provider is rate limiting (HTTP 429, or WAHA's `rate-overlimit`).
    RateLimited,
    /// The provider cannot do this operation.
    Unsupported,
    /// The provider failed (HTTP 5xx, or another unexpected status, a redirect among them).
    Server,
    /// The request did not complete at the network level.
    Network,
    /// The request took longer than its timeout.
    Timeout,
    /// The caller aborted the request.
    Aborted,
    /// The response could not be understood.
    Decode,
    /// The client's safety budget (`safety` option) for adds, creates or joins over the
    /// last 24 hours is used up; nothing was sent. `retry_after_ms` says when a slot frees.
    BudgetExceeded,
}

impl ErrorCode {
    /// The snake_case name used in JS (`err.code`) and in logs.
    ///
    /// ```
    /// use wa_groups::ErrorCode;
    /// assert_eq!(ErrorCode::RateLimited.as_str(), "rate_limited");
    /// assert_eq!(ErrorCode::NotFound.to_string(), "not_found");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unsupported => "unsupported",
            ErrorCode::Server => "server",
            ErrorCode::Network => "network",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Aborted => "aborted",
            ErrorCode::Decode => "decode",
            ErrorCode::BudgetExceeded => "budget_exceeded",
        }
    }

    /// The code a provider's HTTP status maps to, before any provider-specific refinement.
    ///
    /// ```
    /// use wa_groups::ErrorCode;
    /// assert_eq!(ErrorCode::from_status(404), ErrorCode::NotFound);
    /// assert_eq!(ErrorCode::from_status(503), ErrorCode::Server);
    /// ```
    pub const fn from_status(status: u16) -> ErrorCode {
        match status {
            400 | 413 | 422 => ErrorCode::InvalidInput,
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 | 410 => ErrorCode::NotFound,
            409 => ErrorCode::Conflict,
            429 => ErrorCode::RateLimited,
            501 => ErrorCode::Unsupported,
            _ => ErrorCode::Server,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong in wa-groups.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument was rejected before anything was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The argument at fault, as the caller spells it (`subject`, `participants[2]`, …).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The provider cannot do this operation; nothing was sent, or the provider said so.
    #[error("{operation} is not supported by {provider}")]
    Unsupported {
        /// The operation, as named in the JS API (`deleteGroup`, …).
        operation: &'static str,
        /// The provider, or the provider and engine, that lacks it.
        provider: String,
    },
    /// The provider answered with a status that is not a success.
    #[error("HTTP {status}: {message}")]
    Status {
        /// The classification of the failure.
        code: ErrorCode,
        /// The HTTP status the provider answered with.
        status: u16,
        /// The provider's own message, when its body carried one.
        message: String,
        /// How long the provider asked us to wait before trying again.
        retry_after_ms: Option<u64>,
    },
    /// The request failed before a response arrived.
    #[error("network error: {0}")]
    Network(String),
    /// The request took longer than its timeout.
    #[error("timed out after {0} ms")]
    Timeout(u32),
    /// The caller aborted the request.
    #[error("aborted")]
    Aborted,
    /// A response arrived but could not be understood.
    #[error("could not decode the response: {0}")]
    Decode(String),
    /// The safety budget for `kind` is used up; nothing was sent (see [`crate::safety`]).
    #[error("the safety budget of {limit} {kind} per 24 hours is used up; nothing was sent")]
    BudgetExceeded {
        /// What ran out: `adds`, `creates` or `joins`.
        kind: &'static str,
        /// The budget: at most this many per rolling 24 hours.
        limit: u32,
        /// How long until the next slot frees, in milliseconds, when one will.
        retry_after_ms: Option<u64>,
    },
}

impl Error {
    /// The stable classification of this error.
    ///
    /// ```
    /// use wa_groups::{Error, ErrorCode};
    /// let err = Error::invalid("subject", "must not be empty");
    /// assert_eq!(err.code(), ErrorCode::InvalidInput);
    /// assert_eq!(Error::Timeout(5_000).code(), ErrorCode::Timeout);
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::Unsupported { .. } => ErrorCode::Unsupported,
            Error::Status { code, .. } => *code,
            Error::Network(_) => ErrorCode::Network,
            Error::Timeout(_) => ErrorCode::Timeout,
            Error::Aborted => ErrorCode::Aborted,
            Error::Decode(_) => ErrorCode::Decode,
            Error::BudgetExceeded { .. } => ErrorCode::BudgetExceeded,
        }
    }

    /// The HTTP status, when the provider answered.
    ///
    /// ```
    /// use wa_groups::{Error, ErrorCode};
    /// let err = Error::Status {
    ///     code: ErrorCode::NotFound,
    ///     status: 404,
    ///     message: "group not found".into(),
    ///     retry_after_ms: None,
    /// };
    /// assert_eq!(err.status(), Some(404));
    /// assert_eq!(Error::Aborted.status(), None);
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// How long the provider asked to wait before retrying, when it said.
    ///
    /// ```
    /// use wa_groups::{Error, ErrorCode};
    /// let err = Error::Status {
    ///     code: ErrorCode::RateLimited,
    ///     status: 429,
    ///     message: "too many requests".into(),
    ///     retry_after_ms: Some(2_000),
    /// };
    /// assert_eq!(err.retry_after_ms(), Some(2_000));
    /// ```
    pub fn retry_after_ms(&self) -> Option<u64> {
        match self {
            Error::Status { retry_after_ms, .. } | Error::BudgetExceeded { retry_after_ms, .. } => {
                *retry_after_ms
            }
            _ => None,
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    ///
    /// ```
    /// use wa_groups::Error;
    /// let err = Error::invalid("participants[2]", "is not a phone number");
    /// assert_eq!(err.to_string(), "invalid participants[2]: is not a phone number");
    /// ```
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// The result type of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_their_contract_names() {
        let all = [
            (ErrorCode::InvalidInput, "invalid_input"),
            (ErrorCode::Unauthorized, "unauthorized"),
            (ErrorCode::Forbidden, "forbidden"),
            (ErrorCode::NotFound, "not_found"),
            (ErrorCode::Conflict, "conflict"),
            (ErrorCode::RateLimited, "rate_limited"),
            (ErrorCode::Unsupported, "unsupported"),
            (ErrorCode::Server, "server"),
            (ErrorCode::Network, "network"),
            (ErrorCode::Timeout, "timeout"),
            (ErrorCode::Aborted, "aborted"),
            (ErrorCode::Decode, "decode"),
            (ErrorCode::BudgetExceeded, "budget_exceeded"),
        ];
        for (code, name) in all {
            assert_eq!(code.as_str(), name);
        }
    }

    #[test]
    fn statuses_map_to_codes() {
        assert_eq!(ErrorCode::from_status(401), ErrorCode::Unauthorized);
        assert_eq!(ErrorCode::from_status(403), ErrorCode::Forbidden);
        assert_eq!(ErrorCode::from_status(404), ErrorCode::NotFound);
        assert_eq!(ErrorCode::from_status(409), ErrorCode::Conflict);
        assert_eq!(ErrorCode::from_status(429), ErrorCode::RateLimited);
        assert_eq!(ErrorCode::from_status(501), ErrorCode::Unsupported);
        assert_eq!(ErrorCode::from_status(500), ErrorCode::Server);
        assert_eq!(ErrorCode::from_status(418), ErrorCode::Server);
    }
}
