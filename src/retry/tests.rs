use super::*;

fn status(code: ErrorCode, status: u16) -> Error {
    Error::Status {
        code,
        status,
        message: String::new(),
        retry_after_ms: None,
    }
}

fn with_retry_after(error: Error, ms: u64) -> Error {
    match error {
        Error::Status {
            code,
            status,
            message,
            ..
        } => Error::Status {
            code,
            status,
            message,
            retry_after_ms: Some(ms),
        },
        other => other,
    }
}

const METHODS: [Method; 5] = [
    Method::Get,
    Method::Put,
    Method::Delete,
    Method::Post,
    Method::Patch,
];

/// status × method × attempt: what is retried, and what never is.
#[test]
fn the_table_of_what_is_retried() {
    let policy = RetryPolicy {
        retries: 3,
        base_delay_ms: 100,
        max_delay_ms: 10_000,
    };
    let cases: Vec<(Error, bool, bool)> = vec![
        // (error, retried for idempotent methods, retried for POST/PATCH)
        (Error::Network("reset".into()), true, false),
        (Error::Timeout(5000), true, false),
        (status(ErrorCode::Server, 500), true, false),
        (status(ErrorCode::Server, 502), true, false),
        (status(ErrorCode::Server, 503), true, false),
        (status(ErrorCode::Server, 504), true, false),
        (status(ErrorCode::RateLimited, 500), true, false), // WAHA's rate-overlimit
        (status(ErrorCode::RateLimited, 429), true, true),
        (status(ErrorCode::Conflict, 409), true, false),
        (status(ErrorCode::InvalidInput, 400), false, false),
        (status(ErrorCode::Unauthorized, 401), false, false),
        (status(ErrorCode::Forbidden, 403), false, false),
        (status(ErrorCode::NotFound, 404), false, false),
        (status(ErrorCode::NotFound, 410), false, false),
        (status(ErrorCode::InvalidInput, 422), false, false),
        // WAHA's 422: the session is not WORKING; mapped to `conflict`, still never retried.
        (status(ErrorCode::Conflict, 422), false, false),
        (status(ErrorCode::Unsupported, 501), false, false),
        (Error::Aborted, false, false),
        (Error::Decode("x".into()), false, false),
        (Error::invalid("subject", "empty"), false, false),
    ];
    for (error, idempotent, post) in &cases {
        for method in METHODS {
            let expected = if is_idempotent(method) {
                *idempotent
            } else {
                *post
            };
            for attempt in 0..3 {
                let decision = policy.decide(method, attempt, error, 0.5);
                assert_eq!(
                    matches!(decision, Decision::RetryAfter(_)),
                    expected,
                    "{error:?} {method:?} attempt {attempt}"
                );
            }
            assert_eq!(
                policy.decide(method, 3, error, 0.5),
                Decision::GiveUp,
                "retries are bounded"
            );
        }
    }
}

#[test]
fn retries_zero_turns_retrying_off() {
    let off = RetryPolicy {
        retries: 0,
        ..RetryPolicy::default()
    };
    assert_eq!(
        off.decide(Method::Get, 0, &Error::Network("x".into()), 0.5),
        Decision::GiveUp
    );
    assert_eq!(
        RetryPolicy::none().decide(Method::Get, 0, &Error::Timeout(1), 0.1),
        Decision::GiveUp
    );
}

#[test]
fn backoff_is_full_jitter_exponential_and_capped() {
    let policy = RetryPolicy {
        retries: 10,
        base_delay_ms: 100,
        max_delay_ms: 1_000,
    };
    let err = Error::Network("x".into());
    assert_eq!(
        policy.decide(Method::Get, 0, &err, 0.999_999),
        Decision::RetryAfter(99)
    );
    assert_eq!(
        policy.decide(Method::Get, 2, &err, 0.5),
        Decision::RetryAfter(200)
    );
    assert_eq!(
        policy.decide(Method::Get, 5, &err, 0.999_999),
        Decision::RetryAfter(999),
        "capped"
    );
    assert_eq!(
        policy.decide(Method::Get, 3, &err, 0.0),
        Decision::RetryAfter(0)
    );
    assert_eq!(
        policy.decide(Method::Get, 3, &err, f64::NAN),
        Decision::RetryAfter(0)
    );
    assert_eq!(
        policy.decide(Method::Get, 9, &err, 2.0),
        Decision::RetryAfter(1_000),
        "random clamped"
    );
}

#[test]
fn retry_after_wins_over_backoff_unless_too_long() {
    let policy = RetryPolicy {
        retries: 3,
        base_delay_ms: 100,
        max_delay_ms: 5_000,
    };
    let limited = with_retry_after(status(ErrorCode::RateLimited, 429), 1_000);
    assert_eq!(
        policy.decide(Method::Get, 0, &limited, 0.1),
        Decision::RetryAfter(1_000)
    );
    assert_eq!(
        policy.decide(Method::Post, 0, &limited, 0.1),
        Decision::RetryAfter(1_000),
        "429: not processed"
    );
    let unavailable = with_retry_after(status(ErrorCode::Server, 503), 2_000);
    assert_eq!(
        policy.decide(Method::Get, 1, &unavailable, 0.9),
        Decision::RetryAfter(2_000)
    );
    let too_long = with_retry_after(status(ErrorCode::RateLimited, 429), 60_000);
    assert_eq!(
        policy.decide(Method::Get, 0, &too_long, 0.1),
        Decision::GiveUp
    );
}

#[test]
fn decisions_are_deterministic() {
    let policy = RetryPolicy::default();
    let err = status(ErrorCode::Server, 502);
    for attempt in 0..2 {
        for r in [0.0, 0.25, 0.5, 0.75] {
            assert_eq!(
                policy.decide(Method::Get, attempt, &err, r),
                policy.decide(Method::Get, attempt, &err, r)
            );
        }
    }
}

#[test]
fn retry_after_parsing_is_still_reachable_from_retry() {
    // Public paths kept when the parsing moved to `http` (the fuzz target uses them).
    assert_eq!(crate::retry::parse_retry_after("1", None), Some(1_000));
    assert_eq!(
        crate::retry::parse_http_date_ms("Thu, 01 Jan 1970 00:00:01 GMT"),
        Some(1_000)
    );
}

/// WAHA answers 422 while the session is not WORKING (starting, or waiting for a QR scan);
/// its provider maps that to `conflict`, which the policy must not take for a retried 409.
#[test]
fn a_waha_session_not_working_422_is_never_retried() {
    use crate::http::HttpResponse;
    use crate::provider::Provider;
    let waha = crate::provider::waha::Waha::new("default", "k").unwrap();
    let call = waha.list_groups(&Default::default()).unwrap();
    let body = r#"{"error":"Session status is not as expected. Try again later or restart the session","session":"default","status":"STARTING","expected":["WORKING"]}"#;
    let Err(error) = (call.parse)(HttpResponse::new(422, body)) else {
        panic!("a 422 is an error");
    };
    assert_eq!(error.code(), ErrorCode::Conflict);
    let policy = RetryPolicy::default();
    for method in METHODS {
        assert_eq!(
            policy.decide(method, 0, &error, 0.5),
            Decision::GiveUp,
            "{method:?}"
        );
    }
}

/// WAHA's `rate-overlimit` (no `Retry-After`) and a bare 429 ask to slow down: the retry
/// waits at least two seconds, never the 0–1 s of plain full jitter.
#[test]
fn a_rate_limit_without_retry_after_waits_at_least_two_seconds() {
    let policy = RetryPolicy::default();
    let overlimit = status(ErrorCode::RateLimited, 500);
    let bare_429 = status(ErrorCode::RateLimited, 429);
    for (error, method) in [(&overlimit, Method::Get), (&bare_429, Method::Post)] {
        for attempt in 0..2 {
            for random in [0.0, 0.5, 0.999] {
                let Decision::RetryAfter(ms) = policy.decide(method, attempt, error, random) else {
                    panic!("{error:?} {method:?} is retried");
                };
                assert!(
                    (2_000..=policy.max_delay_ms).contains(&ms),
                    "{error:?} attempt {attempt} random {random}: {ms} ms"
                );
            }
        }
    }
    // Still jittered above the floor, and still within the cap the caller set.
    assert_ne!(
        policy.decide(Method::Get, 0, &overlimit, 0.9),
        policy.decide(Method::Get, 0, &overlimit, 0.1)
    );
    let tight = RetryPolicy {
        max_delay_ms: 800,
        ..policy
    };
    assert_eq!(
        tight.decide(Method::Get, 0, &overlimit, 0.5),
        Decision::RetryAfter(800)
    );
    // The server's own Retry-After still wins, even when shorter.
    assert_eq!(
        policy.decide(Method::Get, 0, &with_retry_after(bare_429, 1_000), 0.5),
        Decision::RetryAfter(1_000)
    );
    // Other transient failures keep plain full jitter.
    assert_eq!(
        policy.decide(Method::Get, 0, &status(ErrorCode::Server, 503), 0.5),
        Decision::RetryAfter(250)
    );
}
