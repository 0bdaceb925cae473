//! The cache's bookkeeping over a fake clock, then the client's reads and writes through it
//! over a fake transport that counts requests.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures_util::future::join;

use super::*;
use crate::model::{GroupSettings, NewGroup};
use crate::provider::waha::Waha;

fn group(n: u32) -> GroupId {
    GroupId::new("id", format!("12036340000000000{n}@g.us")).unwrap()
}

fn answer(body: &str) -> HttpResponse {
    HttpResponse::new(200, body)
}

fn policy(ttl_ms: u64) -> Cache {
    Cache::new(CachePolicy { ttl_ms })
}

// --- Bookkeeping -----------------------------------------------------------------------

#[test]
fn the_first_read_leads_the_same_read_joins_and_its_answer_is_kept_for_the_ttl() {
    let cache = policy(1_000);
    let scope = Scope::Group(group(1));
    let Lookup::Lead(flight) = cache.lookup(&scope, "u", 0.0) else {
        panic!("nothing kept yet: lead")
    };
    assert!(matches!(cache.lookup(&scope, "u", 1.0), Lookup::Join(f) if Rc::ptr_eq(&f, &flight)));
    cache.finish("u", &flight, Outcome::Answered(answer("a")), 10.0);
    assert!(matches!(cache.lookup(&scope, "u", 1_009.0), Lookup::Kept(r) if r.body == b"a"));
    assert!(
        matches!(cache.lookup(&scope, "u", 1_010.0), Lookup::Lead(_)),
        "expired at exactly the ttl"
    );
}

#[test]
fn errors_and_abandoned_reads_are_not_kept() {
    let cache = policy(1_000);
    for outcome in [
        Outcome::Failed(Error::Network("x".into())),
        Outcome::Abandoned,
    ] {
        let Lookup::Lead(flight) = cache.lookup(&Scope::Listing, "u", 0.0) else {
            panic!()
        };
        cache.finish("u", &flight, outcome, 0.0);
        assert!(matches!(
            cache.lookup(&Scope::Listing, "u", 1.0),
            Lookup::Lead(_)
        ));
        cache.forget_all();
    }
}

#[test]
fn a_ttl_of_zero_keeps_nothing_but_still_shares_reads_in_flight() {
    let cache = policy(0);
    let Lookup::Lead(flight) = cache.lookup(&Scope::Listing, "u", 0.0) else {
        panic!()
    };
    assert!(matches!(
        cache.lookup(&Scope::Listing, "u", 0.0),
        Lookup::Join(_)
    ));
    cache.finish("u", &flight, Outcome::Answered(answer("a")), 0.0);
    assert!(cache.is_empty());
}

#[test]
fn a_clock_that_went_back_counts_as_expired() {
    let cache = policy(1_000);
    let Lookup::Lead(flight) = cache.lookup(&Scope::Listing, "u", 500.0) else {
        panic!()
    };
    cache.finish("u", &flight, Outcome::Answered(answer("a")), 500.0);
    assert!(matches!(
        cache.lookup(&Scope::Listing, "u", 100.0),
        Lookup::Lead(_)
    ));
}

/// Keeps an answer for `url` in `scope`.
fn keep(cache: &Cache, scope: Scope, url: &str) {
    let Lookup::Lead(flight) = cache.lookup(&scope, url, 0.0) else {
        panic!("{url} already there")
    };
    cache.finish(url, &flight, Outcome::Answered(answer(url)), 0.0);
}

fn kept(cache: &Cache, url: &str) -> bool {
    cache.kept.borrow().iter().any(|(u, _)| u == url)
}

#[test]
fn forgetting_a_group_forgets_it_and_the_listings_but_not_other_groups() {
    let cache = policy(60_000);
    keep(&cache, Scope::Group(group(1)), "g1");
    keep(&cache, Scope::Group(group(1)), "g1/settings");
    keep(&cache, Scope::Group(group(2)), "g2");
    keep(&cache, Scope::Listing, "list");
    cache.forget_group(&group(1));
    assert!(!kept(&cache, "g1") && !kept(&cache, "g1/settings") && !kept(&cache, "list"));
    assert!(kept(&cache, "g2"));

    keep(&cache, Scope::Listing, "list");
    cache.forget(Forget::Listings);
    assert!(!kept(&cache, "list") && kept(&cache, "g2"));
    cache.forget_all();
    assert!(cache.is_empty());
}

#[test]
fn a_read_under_way_when_its_group_is_forgotten_is_neither_kept_nor_joined() {
    let cache = policy(60_000);
    let scope = Scope::Group(group(1));
    let Lookup::Lead(before) = cache.lookup(&scope, "g1", 0.0) else {
        panic!()
    };
    cache.forget_group(&group(1));
    let Lookup::Lead(after) = cache.lookup(&scope, "g1", 1.0) else {
        panic!("a read after the write must not join one sent before it")
    };
    cache.finish("g1", &before, Outcome::Answered(answer("old")), 2.0);
    assert!(!kept(&cache, "g1"), "the old answer is not kept");
    assert!(
        matches!(cache.lookup(&scope, "g1", 3.0), Lookup::Join(f) if Rc::ptr_eq(&f, &after)),
        "the newer read is still the one to join"
    );
    cache.finish("g1", &after, Outcome::Answered(answer("new")), 4.0);
    assert!(matches!(cache.lookup(&scope, "g1", 5.0), Lookup::Kept(r) if r.body == b"new"));
}

#[test]
fn a_forgotten_other_group_does_not_stop_a_read_being_kept() {
    let cache = policy(60_000);
    let Lookup::Lead(flight) = cache.lookup(&Scope::Group(group(1)), "g1", 0.0) else {
        panic!()
    };
    cache.forget_group(&group(2));
    cache.finish("g1", &flight, Outcome::Answered(answer("a")), 1.0);
    assert!(kept(&cache, "g1"));
}

#[test]
fn many_kept_answers_are_swept_of_the_expired_ones() {
    let cache = policy(10);
    for i in 0..SWEEP_ABOVE {
        keep(&cache, Scope::Listing, &format!("u{i}"));
    }
    let Lookup::Lead(flight) = cache.lookup(&Scope::Listing, "late", 100.0) else {
        panic!()
    };
    cache.finish("late", &flight, Outcome::Answered(answer("x")), 100.0);
    assert_eq!(cache.len(), 1);
}

// --- Through the client ----------------------------------------------------------------

/// What every copy of a fake transport shares: the requests sent and a clock.
#[derive(Default)]
struct Server {
    sent: RefCell<Vec<String>>,
    now: Cell<f64>,
    /// Requests answered with a 500 before it answers normally.
    failures: Cell<u32>,
    renamed: RefCell<Option<String>>,
}

impl Server {
    fn gets(&self) -> usize {
        self.sent
            .borrow()
            .iter()
            .filter(|s| s.starts_with("GET"))
            .count()
    }
}

/// A WAHA server in memory. Each request waits one turn before it is answered, so that
/// calls joined together overlap.
#[derive(Clone)]
struct Fake {
    server: Rc<Server>,
    /// This caller's signal has fired: its requests end with `aborted`.
    aborted: bool,
    /// This caller's signal fires while it waits: its waits end with `aborted`.
    aborts_while_waiting: bool,
}

impl Fake {
    fn caller(&self) -> Fake {
        Fake {
            server: Rc::clone(&self.server),
            aborted: false,
            aborts_while_waiting: false,
        }
    }
}

/// Pending once, then ready: one turn for the others.
struct Turn(bool);

impl Future for Turn {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl Transport for Fake {
    async fn send(&self, base_url: &str, request: HttpRequest) -> Result<HttpResponse> {
        let line = format!("{} {}", request.method.as_str(), request.url(base_url));
        self.server.sent.borrow_mut().push(line);
        Turn(false).await;
        if self.aborted {
            return Err(Error::Aborted);
        }
        if self.server.failures.get() > 0 {
            self.server.failures.set(self.server.failures.get() - 1);
            return Ok(HttpResponse::new(500, "{}"));
        }
        let path = request.url("");
        Ok(match (request.method, path.as_str()) {
            (Method::Put, _) => {
                let Some(crate::http::Body::Json(body)) = &request.body else {
                    panic!("a JSON body")
                };
                let subject: serde_json::Value = serde_json::from_str(body).unwrap();
                *self.server.renamed.borrow_mut() = subject["subject"].as_str().map(String::from);
                HttpResponse::new(200, "{}")
            }
            (Method::Post, "/api/default/groups") => HttpResponse::new(
                201,
                include_str!("../provider/waha/fixtures/webjs_create.json"),
            ),
            (Method::Post, _) => HttpResponse::new(201, "{}"),
            (Method::Get, "/api/default/groups" | "/api/default/groups?limit=10") => {
                HttpResponse::new(200, "[]")
            }
            (Method::Get, "/api/default/groups/count") => HttpResponse::new(200, r#"{"count":3}"#),
            (Method::Get, path) => {
                let id = path.trim_start_matches("/api/default/groups/");
                let subject = self
                    .server
                    .renamed
                    .borrow()
                    .clone()
                    .unwrap_or_else(|| "Team".into());
                HttpResponse::new(
                    200,
                    format!(
                        r#"{{"id":"{id}","subject":"{subject}","announce":true,"participants":[]}}"#
                    ),
                )
            }
            _ => HttpResponse::new(404, "{}"),
        })
    }

    async fn sleep(&self, ms: u64) -> Result<()> {
        if self.aborts_while_waiting {
            return Err(Error::Aborted);
        }
        if ms == JOINED_WAIT_MS {
            std::future::pending::<()>().await;
        }
        self.server.now.set(self.server.now.get() + ms as f64);
        Ok(())
    }

    fn random(&self) -> f64 {
        0.5
    }

    fn now_ms(&self) -> f64 {
        self.server.now.get()
    }
}

fn fake_client(cache: Option<u64>) -> Client<Fake> {
    let fake = Fake {
        server: Rc::default(),
        aborted: false,
        aborts_while_waiting: false,
    };
    let client = Client::new(
        Waha::new("default", "k").unwrap(),
        fake,
        "http://127.0.0.1:3000",
    )
    .unwrap()
    .with_retry(crate::retry::RetryPolicy::none());
    match cache {
        Some(ttl_ms) => client.with_cache(CachePolicy { ttl_ms }),
        None => client,
    }
}

fn server(client: &Client<Fake>) -> &Server {
    &client.transport().server
}

fn run<F: Future>(future: F) -> F::Output {
    pollster::block_on(future)
}

#[test]
fn two_reads_of_a_group_at_once_send_one_request_and_each_gets_its_own_copy() {
    let c = fake_client(Some(30_000));
    let (a, b) = run(join(c.get_group(&group(1)), c.get_group(&group(1))));
    let (mut a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(server(&c).gets(), 1);
    assert_eq!(a, b);
    a.subject.push_str(" (changed by the caller)");
    let again = run(c.get_group(&group(1))).unwrap();
    assert_eq!(again.subject, "Team", "what one caller holds is its own");
    assert_eq!(server(&c).gets(), 1);
}

#[test]
fn without_a_cache_every_read_is_a_request() {
    let c = fake_client(None);
    let _ = run(join(c.get_group(&group(1)), c.get_group(&group(1))));
    run(c.get_group(&group(1))).unwrap();
    assert_eq!(server(&c).gets(), 3);
}

#[test]
fn a_read_within_the_ttl_is_reused_and_one_after_it_is_sent() {
    let c = fake_client(Some(30_000));
    run(c.get_group(&group(1))).unwrap();
    server(&c).now.set(29_999.0);
    run(c.get_group(&group(1))).unwrap();
    assert_eq!(server(&c).gets(), 1);
    server(&c).now.set(30_000.0);
    run(c.get_group(&group(1))).unwrap();
    assert_eq!(server(&c).gets(), 2);
}

#[test]
fn reads_of_the_same_resource_by_two_operations_share_it() {
    // WAHA keeps a group's settings in the group: one request for both.
    let c = fake_client(Some(30_000));
    let (g, s) = run(join(c.get_group(&group(1)), c.get_settings(&group(1))));
    assert_eq!(g.unwrap().subject, "Team");
    assert_eq!(s.unwrap().messages_admin_only, Some(true));
    run(c.get_settings(&group(1))).unwrap();
    assert_eq!(server(&c).gets(), 1);
}

#[test]
fn a_write_forgets_its_group_so_the_next_read_shows_the_change() {
    let c = fake_client(Some(30_000));
    run(c.get_group(&group(1))).unwrap();
    run(c.get_group(&group(2))).unwrap();
    run(c.set_subject(&group(1), "Renamed")).unwrap();
    assert_eq!(run(c.get_group(&group(1))).unwrap().subject, "Renamed");
    assert_eq!(server(&c).gets(), 3);
    // The other group was not written to: still kept.
    run(c.get_group(&group(2))).unwrap();
    assert_eq!(server(&c).gets(), 3);
}

#[test]
fn every_kind_of_write_to_a_group_forgets_it() {
    type Write = Box<dyn Fn(&Client<Fake>) -> Result<()>>;
    let writes: Vec<(&str, Write)> = vec![
        (
            "description",
            Box::new(|c| run(c.set_description(&group(1), "d"))),
        ),
        (
            "participants",
            Box::new(|c| {
                run(c.change_participants(
                    &group(1),
                    crate::model::ParticipantChange::Remove,
                    &["5511988880000".into()],
                ))
                .map(drop)
            }),
        ),
        (
            "settings",
            Box::new(|c| {
                let patch = GroupSettings {
                    info_admin_only: Some(true),
                    ..Default::default()
                };
                run(c.update_settings(&group(1), &patch))
            }),
        ),
        ("icon", Box::new(|c| run(c.remove_icon(&group(1))))),
        (
            "revoke",
            Box::new(|c| run(c.revoke_invite_link(&group(1))).map(drop)),
        ),
        ("leave", Box::new(|c| run(c.leave_group(&group(1))))),
        ("delete", Box::new(|c| run(c.delete_group(&group(1))))),
    ];
    for (name, write) in writes {
        let c = fake_client(Some(30_000));
        run(c.get_group(&group(1))).unwrap();
        let _ = write(&c); // whatever the fake answers, the write was sent
        run(c.get_group(&group(1))).unwrap();
        assert_eq!(server(&c).gets(), 2, "{name}");
    }
}

#[test]
fn sending_a_message_forgets_nothing() {
    let c = fake_client(Some(30_000));
    run(c.get_group(&group(1))).unwrap();
    let _ = run(c.send_text(&group(1), "hi"));
    run(c.get_group(&group(1))).unwrap();
    assert_eq!(server(&c).gets(), 1);
}

#[test]
fn refresh_forgets_everything_and_create_forgets_only_the_listings() {
    let c = fake_client(Some(30_000));
    let read_all = |c: &Client<Fake>| {
        run(c.get_group(&group(1))).unwrap();
        run(c.list_groups(&Default::default())).unwrap();
        run(c.count_groups()).unwrap();
    };
    read_all(&c);
    assert_eq!(server(&c).gets(), 3);
    run(c.create_group(&NewGroup {
        subject: "New".into(),
        participants: vec![],
    }))
    .unwrap();
    read_all(&c);
    assert_eq!(server(&c).gets(), 5, "the listing and the count again");
    run(c.refresh_groups()).unwrap();
    read_all(&c);
    assert_eq!(server(&c).gets(), 8, "all three again");
}

#[test]
fn an_error_is_not_kept() {
    let c = fake_client(Some(30_000));
    server(&c).failures.set(1);
    assert_eq!(
        run(c.get_group(&group(1))).unwrap_err().code(),
        ErrorCode::Server
    );
    run(c.get_group(&group(1))).unwrap();
    run(c.get_group(&group(1))).unwrap();
    assert_eq!(server(&c).gets(), 2);
}

#[test]
fn an_error_is_shared_by_those_who_waited_for_it() {
    let c = fake_client(Some(30_000));
    server(&c).failures.set(1);
    let (a, b) = run(join(c.get_group(&group(1)), c.get_group(&group(1))));
    assert_eq!(a.unwrap_err().code(), ErrorCode::Server);
    assert_eq!(b.unwrap_err().code(), ErrorCode::Server);
    assert_eq!(server(&c).gets(), 1);
}

#[test]
fn an_aborted_sender_does_not_fail_the_others_who_joined_its_read() {
    let c = fake_client(Some(30_000));
    let impatient = c.with_transport(Fake {
        aborted: true,
        ..c.transport().caller()
    });
    let (a, b) = run(join(impatient.get_group(&group(1)), c.get_group(&group(1))));
    assert_eq!(a.unwrap_err().code(), ErrorCode::Aborted);
    assert_eq!(
        b.unwrap().subject,
        "Team",
        "the waiter sent the read itself"
    );
    assert_eq!(server(&c).gets(), 2);
    run(c.get_group(&group(1))).unwrap();
    assert_eq!(server(&c).gets(), 2, "and its answer is kept");
}

#[test]
fn a_waiter_whose_signal_fires_stops_waiting_and_the_read_goes_on() {
    let c = fake_client(Some(30_000));
    let impatient = c.with_transport(Fake {
        aborts_while_waiting: true,
        ..c.transport().caller()
    });
    let (a, b) = run(join(c.get_group(&group(1)), impatient.get_group(&group(1))));
    assert_eq!(a.unwrap().subject, "Team");
    assert_eq!(b.unwrap_err().code(), ErrorCode::Aborted);
    run(c.get_group(&group(1))).unwrap();
    assert_eq!(server(&c).gets(), 1, "one request, kept");
}

#[test]
fn a_sender_dropped_midway_hands_the_read_to_a_waiter() {
    let c = fake_client(Some(30_000));
    let waker = futures_util::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    let id = group(1);
    let mut leader = Box::pin(c.get_group(&id));
    let mut waiter = Box::pin(c.get_group(&id));
    assert!(leader.as_mut().poll(&mut cx).is_pending());
    assert!(waiter.as_mut().poll(&mut cx).is_pending());
    drop(leader);
    assert_eq!(run(waiter).unwrap().subject, "Team");
    assert_eq!(server(&c).gets(), 2);
}

#[test]
fn a_read_sent_before_a_write_is_not_kept_nor_joined_after_it() {
    let c = fake_client(Some(30_000));
    let (before, after) = run(join(c.get_group(&group(1)), async {
        run_later(c.set_subject(&group(1), "Renamed"))
            .await
            .unwrap();
        c.get_group(&group(1)).await
    }));
    assert_eq!(before.unwrap().subject, "Team");
    assert_eq!(after.unwrap().subject, "Renamed");
    assert_eq!(server(&c).gets(), 2);
    assert_eq!(run(c.get_group(&group(1))).unwrap().subject, "Renamed");
    assert_eq!(server(&c).gets(), 2, "the read after the write is kept");
}

/// `future`, started after one turn (so a read joined beside it is sent first).
async fn run_later<F: Future>(future: F) -> F::Output {
    Turn(false).await;
    future.await
}

#[test]
fn copies_of_the_client_share_its_cache() {
    let c = fake_client(Some(30_000));
    run(c.get_group(&group(1))).unwrap();
    let copy = c.with_transport(c.transport().caller());
    run(copy.get_group(&group(1))).unwrap();
    assert_eq!(server(&c).gets(), 1);
    assert!(c.cache().is_some_and(|cache| cache.len() == 1));
}
