//! The harness shared by the fuzz targets: every operation of a provider, fed one response.
//!
//! An input is `[operation, status and engine, header, body…]`:
//! - byte 0 picks the operation (modulo the table below);
//! - byte 1 picks the status (low nibble) and, for WAHA, the declared engine (high bits);
//! - byte 2 picks a `Retry-After` header (or none);
//! - the rest is the response body.
//!
//! Besides "no panic", each run checks what the client relies on: a participant change
//! yields exactly one result per requested id, an error's code and message can be formatted,
//! the retry policy never waits longer than its cap, and the API key never shows in what a
//! parser returns unless the body itself carried it.

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};

use wa_groups::http::HttpResponse;
use wa_groups::model::{GroupId, ListGroupsOptions, NewGroup, ParticipantChange, Setting, UserId};
use wa_groups::provider::evolution::Evolution;
use wa_groups::provider::waha::{Engine, Waha};
use wa_groups::provider::wavy::Wavy;
use wa_groups::provider::{Call, Provider, Step};
use wa_groups::retry::{Decision, RetryPolicy};
use wa_groups::{Error, Result};

/// The credential every fuzzed provider is built with.
pub const SECRET: &str = "FUZZ-SECRET-5b1c";

const STATUSES: [u16; 16] = [
    200, 201, 204, 200, 400, 401, 403, 404, 409, 422, 429, 500, 501, 502, 503, 302,
];
const RETRY_AFTER: [Option<&str>; 8] = [
    None,
    Some("1"),
    Some("120"),
    Some("Wed, 21 Oct 2015 07:28:00 GMT"),
    Some("-1"),
    Some("18446744073709551616"),
    Some(""),
    None,
];

/// Operations of one provider, by name; each builds its call and parses one response.
/// An operation returns `false` when the provider does not offer it (nothing was parsed).
pub type Operation = (&'static str, fn(&dyn Provider, HttpResponse) -> bool);

/// Every operation of the [`Provider`] trait, with fixed, valid arguments.
pub fn operations() -> Vec<Operation> {
    macro_rules! op {
        ($name:literal, |$p:ident| $build:expr) => {
            ($name, |$p: &dyn Provider, resp: HttpResponse| {
                drive($build, resp, |_| ())
            })
        };
    }
    vec![
        // With a member where the provider takes them at creation (WAHA), else without (Wavy).
        op!("createGroup", |p| p
            .create_group(&NewGroup {
                subject: "Fuzz".into(),
                participants: vec!["5511988880000".into()],
            })
            .or_else(|_| p.create_group(&NewGroup {
                subject: "Fuzz".into(),
                participants: Vec::new(),
            }))),
        op!("listGroups", |p| p
            .list_groups(&ListGroupsOptions::default())),
        op!("listGroups(no participants)", |p| p.list_groups(
            &ListGroupsOptions {
                participants: Some(false),
                ..ListGroupsOptions::default()
            }
        )),
        op!("countGroups", |p| p.count_groups()),
        op!("getGroup", |p| p.get_group(&gid(p))),
        op!("deleteGroup", |p| p.delete_group(&gid(p))),
        op!("leaveGroup", |p| p.leave_group(&gid(p))),
        op!("refreshGroups", |p| p.refresh_groups()),
        op!("setSubject", |p| p.set_subject(&gid(p), "New subject")),
        op!("setDescription", |p| p.set_description(&gid(p), "About")),
        op!("getInviteLink", |p| p.get_invite_link(&gid(p))),
        op!("revokeInviteLink", |p| p.revoke_invite_link(&gid(p))),
        op!("joinGroup", |p| p
            .join_group("https://chat.whatsapp.com/AbCdEfGh123")),
        op!("getJoinInfo", |p| p.get_join_info("AbCdEfGh123")),
        op!("listParticipants", |p| p.list_participants(&gid(p))),
        ("changeParticipants", change_participants),
        op!("getSettings", |p| p.get_settings(&gid(p))),
        op!("setSetting", |p| p.set_setting(
            &gid(p),
            Setting::ApprovalRequired,
            true
        )),
        op!("listJoinRequests", |p| p.list_join_requests(&gid(p))),
        ("answerJoinRequests", answer_join_requests),
        op!("setIcon", |p| p.set_icon(
            &gid(p),
            b"\x89PNG\r\n\x1a\n....",
            "image/png"
        )),
        op!("getIcon", |p| p.get_icon(&gid(p))),
        op!("removeIcon", |p| p.remove_icon(&gid(p))),
        op!("sendText", |p| p.send_text(&gid(p), "hello")),
    ]
}

fn gid(p: &dyn Provider) -> GroupId {
    let raw = match p.kind() {
        wa_groups::provider::ProviderKind::Waha => "120363000000000001@g.us",
        wa_groups::provider::ProviderKind::Wavy => "5519900000000-1513616971",
        wa_groups::provider::ProviderKind::Evolution => "120363000000000001@g.us",
    };
    GroupId::new("groupId", raw).expect("a valid id")
}

fn users() -> Vec<UserId> {
    ["5511988880001", "5511988880002", "5511988880003"]
        .iter()
        .map(|u| UserId::parse("participants", u).expect("a valid user"))
        .collect()
}

fn change_participants(p: &dyn Provider, resp: HttpResponse) -> bool {
    let users = users();
    let change = [
        ParticipantChange::Add,
        ParticipantChange::Remove,
        ParticipantChange::Promote,
        ParticipantChange::Demote,
    ][resp.body.len() % 4];
    drive(
        p.change_participants(&gid(p), change, &users),
        resp,
        |results| {
            assert_eq!(results.len(), users.len(), "one result per requested id");
        },
    )
}

fn answer_join_requests(p: &dyn Provider, resp: HttpResponse) -> bool {
    let users = users();
    let approve = resp.body.len().is_multiple_of(2);
    drive(
        p.answer_join_requests(&gid(p), approve, &users),
        resp,
        |results| {
            assert_eq!(results.len(), users.len(), "one result per requested id");
        },
    )
}

/// Parses `resp` with `call`'s parser, following up to four further steps with the same
/// response, and checks the result. `false` when there was no call to parse for.
fn drive<T: Debug>(call: Result<Call<T>>, resp: HttpResponse, check: impl Fn(&T)) -> bool {
    let Ok(mut call) = call else {
        return false; // the provider does not offer this operation
    };
    let body_has_secret = resp
        .body
        .windows(SECRET.len())
        .any(|w| w == SECRET.as_bytes());
    for _ in 0..4 {
        let method = call.request.method;
        // The answer to a repeat (after a lost first answer) is read by its own parser,
        // where the call has one: it must keep the same promises.
        if let Some(repeat) = &call.repeat
            && let Ok(Step::Done(value)) = repeat(resp.clone())
        {
            check(&value);
        }
        let outcome = (call.parse)(resp.clone());
        let shown = match &outcome {
            Ok(Step::Done(value)) => {
                check(value);
                format!("{value:?}")
            }
            Ok(Step::Next(_)) => String::new(),
            Err(error) => check_error(method, error),
        };
        assert!(
            body_has_secret || !shown.contains(SECRET),
            "the credential leaked into {shown}"
        );
        match outcome {
            Ok(Step::Next(next)) => call = next,
            _ => break,
        }
    }
    true
}

fn check_error(method: wa_groups::http::Method, error: &Error) -> String {
    let _ = error.code().as_str();
    let policy = RetryPolicy::default();
    for attempt in 0..3 {
        if let Decision::RetryAfter(ms) = policy.decide(method, attempt, error, 0.999) {
            assert!(ms <= policy.max_delay_ms, "waits {ms} ms, past the cap");
        }
    }
    format!("{error} {error:?}")
}

/// Splits an input into the operation index, the response and the WAHA engine.
pub fn response(data: &[u8]) -> Option<(usize, Option<Engine>, HttpResponse)> {
    let [op, status, header, body @ ..] = data else {
        return None;
    };
    let mut resp = HttpResponse::new(STATUSES[usize::from(status & 0x0f)], body.to_vec());
    if let Some(value) = RETRY_AFTER[usize::from(header & 0x07)] {
        resp.headers.push(("retry-after".into(), value.into()));
    }
    let engine = [
        None,
        Some(Engine::Webjs),
        Some(Engine::Noweb),
        Some(Engine::Gows),
    ][usize::from(status >> 6)];
    Some((usize::from(*op), engine, resp))
}

/// The operation an input runs: the one named by `WA_FUZZ_OPERATION` when set (a long run
/// gives each parser its own budget that way), else byte 0 of the input.
pub fn select(operations: &[Operation], forced: Option<usize>, byte: usize) -> usize {
    forced.unwrap_or(byte % operations.len())
}

/// The index of the operation named by `WA_FUZZ_OPERATION`, if set.
///
/// # Panics
/// When the variable names no operation (before any input is run).
pub fn forced_operation(operations: &[Operation]) -> Option<usize> {
    let name = std::env::var("WA_FUZZ_OPERATION").ok()?;
    let found = operations.iter().position(|(n, _)| *n == name);
    Some(found.unwrap_or_else(|| {
        let names: Vec<_> = operations.iter().map(|(n, _)| *n).collect();
        panic!("WA_FUZZ_OPERATION={name} names no operation; one of {names:?}")
    }))
}

/// How many inputs reached each operation's parser, printed when the fuzzer exits, so a
/// run can report executions per parser and not only per target.
pub struct Tally {
    names: Vec<&'static str>,
    counts: Vec<AtomicU64>,
}

impl Tally {
    /// A tally over `operations`.
    pub fn new(operations: &[Operation]) -> Tally {
        Tally {
            names: operations.iter().map(|(name, _)| *name).collect(),
            counts: operations.iter().map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Counts one run of operation `index`.
    pub fn hit(&self, index: usize) {
        self.counts[index].fetch_add(1, Ordering::Relaxed);
    }

    /// `name=count` for every operation that ran, on one line.
    pub fn report(&self) -> String {
        self.names
            .iter()
            .zip(&self.counts)
            .filter(|(_, count)| count.load(Ordering::Relaxed) > 0)
            .map(|(name, count)| format!("{name}={}", count.load(Ordering::Relaxed)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Registers `report` to run when the process exits (libFuzzer ends with `exit`).
pub fn at_exit(report: extern "C" fn()) {
    unsafe extern "C" {
        fn atexit(callback: extern "C" fn()) -> i32;
    }
    // SAFETY: `atexit` only stores the function pointer; `report` takes no arguments.
    unsafe {
        atexit(report);
    }
}

/// Builds the WAHA provider for an engine.
pub fn waha(engine: Option<Engine>) -> Waha {
    Waha::new("default", SECRET)
        .expect("valid session")
        .with_engine(engine)
}

/// Builds the Wavy provider.
pub fn wavy() -> Wavy {
    Wavy::new("fuzz@example.com", SECRET).expect("valid credentials")
}

/// Builds the Evolution API provider.
pub fn evolution() -> Evolution {
    Evolution::new("fuzz", SECRET).expect("valid instance")
}

#[doc(hidden)]
pub use libfuzzer_sys;

/// A fuzz target over every operation of one provider: `$name` labels the per-parser
/// report; `|engine| provider` builds the provider for an input's declared WAHA engine.
#[macro_export]
macro_rules! responses_target {
    ($name:literal, |$engine:pat_param| $provider:expr) => {
        use std::sync::LazyLock;

        static OPERATIONS: LazyLock<Vec<$crate::Operation>> = LazyLock::new($crate::operations);
        static FORCED: LazyLock<Option<usize>> =
            LazyLock::new(|| $crate::forced_operation(&OPERATIONS));
        static TALLY: LazyLock<$crate::Tally> = LazyLock::new(|| {
            $crate::at_exit(report);
            $crate::Tally::new(&OPERATIONS)
        });

        extern "C" fn report() {
            eprintln!(concat!($name, " per parser: {}"), TALLY.report());
        }

        $crate::libfuzzer_sys::fuzz_target!(|data: &[u8]| {
            let tally = &*TALLY; // registers the exit report before the first input
            let Some((op, $engine, resp)) = $crate::response(data) else {
                return;
            };
            let index = $crate::select(&OPERATIONS, *FORCED, op);
            if (OPERATIONS[index].1)(&$provider, resp) {
                tally.hit(index);
            }
        });
    };
}
