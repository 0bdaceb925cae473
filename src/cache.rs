//! A metadata cache for a client's reads, off unless asked for ([`Client::with_cache`]).
//!
//! WhatsApp answers repeated metadata reads with `rate-overlimit`; the advice of every
//! provider is to cache. With a cache:
//!
//! - **identical reads in flight share one request**: the first caller sends it, later ones
//!   wait for its answer;
//! - **a read answered within `ttl_ms` is reused** (an answer to a GET that parsed; errors
//!   are never kept);
//! - **writes forget**: a write to a group (subject, description, participants, settings,
//!   icon, invite revoke, join-request answers, leave, delete) forgets what was read of that
//!   group *and every listing* (listings show the group's subject and size); creating or
//!   joining a group forgets the listings; [`Client::refresh_groups`] forgets everything.
//!   A write forgets when it is sent and again when it is answered, whatever the answer (a
//!   failed write may have applied), so a read under way meanwhile is neither kept nor
//!   joined by a read that follows the write. Sending a message is not a write to the
//!   group's metadata and forgets nothing.
//!
//! What is kept is the provider's answer (`GET` URL → response); each reader parses its own
//! copy, so no two callers ever share a value. Two operations that read the same resource
//! share it too (WAHA's settings are read from the group).
//!
//! A reader that joined a read under way and whose own `signal` aborts stops waiting at
//! once with `aborted`; the read goes on for the others. When the caller that *sent* the
//! shared read is aborted (or its future dropped, or its own time limit ends it), the
//! others are not handed that: the next one sends the read itself.
//!
//! The bookkeeping ([`Cache`]) is plain data over a clock the caller passes in, so it is
//! tested natively with a fake clock.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures_util::future::{Either, select};

use crate::Client;
use crate::error::{Error, ErrorCode, Result};
use crate::http::{HttpRequest, HttpResponse, Method, Transport};
use crate::model::GroupId;
use crate::pacing::Pacing;
use crate::provider::Call;

/// How long a read's answer is reused.
///
/// ```
/// use wa_groups::cache::CachePolicy;
/// let policy = CachePolicy { ttl_ms: 30_000 };
/// // 0 keeps nothing, but reads in flight are still shared.
/// let share_only = CachePolicy { ttl_ms: 0 };
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePolicy {
    /// Milliseconds an answer is reused after it arrived.
    pub ttl_ms: u64,
}

/// What a read is about; forgetting goes by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// One group: its details, members, settings, icon, invite link, join requests.
    Group(GroupId),
    /// The account's listings: groups, their count, an invite's preview.
    Listing,
}

/// How a call goes through the cache: a read of a scope, or a write that forgets.
#[derive(Debug, Clone)]
pub(crate) enum Use<'a> {
    Read(Scope),
    Write(Forget<'a>),
}

/// What a write forgets.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Forget<'a> {
    /// A write to this group: its reads and every listing.
    Group(&'a GroupId),
    /// A group created or joined: the listings.
    Listings,
    /// Everything (the provider re-read the account).
    All,
}

/// One kept answer.
struct Kept {
    scope: Scope,
    at_ms: f64,
    response: HttpResponse,
}

/// How a shared read ended, for those who waited on it.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// The answer the sender parsed without error; each waiter parses its own copy.
    Answered(HttpResponse),
    /// The error it ended with (after the sender's retries).
    Failed(Error),
    /// The sender gave up for reasons of its own (its abort, its time limit, its future
    /// dropped): a waiter sends the read itself.
    Abandoned,
}

/// One read under way, waited on by everyone who asked for it.
pub(crate) struct Flight {
    scope: Scope,
    /// Cleared when a write forgets the read's scope: its answer may predate the write.
    current: Cell<bool>,
    outcome: RefCell<Option<Outcome>>,
    wakers: RefCell<Vec<Waker>>,
}

impl Flight {
    fn new(scope: Scope) -> Rc<Flight> {
        Rc::new(Flight {
            scope,
            current: Cell::new(true),
            outcome: RefCell::new(None),
            wakers: RefCell::new(Vec::new()),
        })
    }

    /// Resolves with the read's outcome once its sender has one.
    fn wait(self: &Rc<Flight>) -> FlightWait {
        FlightWait(Rc::clone(self))
    }
}

struct FlightWait(Rc<Flight>);

impl Future for FlightWait {
    type Output = Outcome;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome> {
        if let Some(outcome) = self.0.outcome.borrow().as_ref() {
            return Poll::Ready(outcome.clone());
        }
        self.0.wakers.borrow_mut().push(cx.waker().clone());
        Poll::Pending
    }
}

/// What [`Cache::lookup`] found for a read.
pub(crate) enum Lookup {
    /// A kept answer, still fresh (a copy).
    Kept(HttpResponse),
    /// The same read is under way: wait for it.
    Join(Rc<Flight>),
    /// Nothing: the caller sends the read and must [`Cache::finish`] this flight.
    Lead(Rc<Flight>),
}

/// The bookkeeping of one client's cache: answers kept by URL, reads under way by URL. Shared
/// by every copy of the client ([`Client::with_transport`]).
///
/// Plain lists, searched in order: a few hundred entries at most in practice (expired ones
/// are swept), and far less code in the `.wasm` than a map.
pub struct Cache {
    policy: CachePolicy,
    kept: RefCell<Vec<(String, Kept)>>,
    under_way: RefCell<Vec<(String, Rc<Flight>)>>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("policy", &self.policy)
            .field("kept", &self.kept.borrow().len())
            .field("under_way", &self.under_way.borrow().len())
            .finish()
    }
}

/// Kept answers beyond this many are swept of the expired ones on the next insert.
const SWEEP_ABOVE: usize = 256;

impl Cache {
    /// An empty cache with `policy`.
    ///
    /// ```
    /// use wa_groups::cache::{Cache, CachePolicy};
    /// let cache = Cache::new(CachePolicy { ttl_ms: 5_000 });
    /// assert_eq!(cache.len(), 0);
    /// ```
    pub fn new(policy: CachePolicy) -> Cache {
        Cache {
            policy,
            kept: RefCell::default(),
            under_way: RefCell::default(),
        }
    }

    /// The policy in force.
    ///
    /// ```
    /// use wa_groups::cache::{Cache, CachePolicy};
    /// assert_eq!(Cache::new(CachePolicy { ttl_ms: 1 }).policy().ttl_ms, 1);
    /// ```
    pub fn policy(&self) -> CachePolicy {
        self.policy
    }

    /// How many answers are kept (some may have expired, not yet swept).
    ///
    /// ```
    /// # let cache = wa_groups::cache::Cache::new(wa_groups::cache::CachePolicy { ttl_ms: 1 });
    /// assert_eq!(cache.len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.kept.borrow().len()
    }

    /// Whether no answer is kept.
    ///
    /// ```
    /// # let cache = wa_groups::cache::Cache::new(wa_groups::cache::CachePolicy { ttl_ms: 1 });
    /// assert!(cache.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.kept.borrow().is_empty()
    }

    /// Forgets what was read of `group`, and every listing (they show the group): for a
    /// change the client did not make itself (a live event, another admin).
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// if let Some(cache) = client.cache() {
    ///     cache.forget_group(&id); // say, a participants-changed webhook arrived
    /// }
    /// # Ok(()) }
    /// ```
    pub fn forget_group(&self, group: &GroupId) {
        self.forget(Forget::Group(group));
    }

    /// Forgets everything kept, and stops sharing the reads under way.
    ///
    /// ```
    /// # let cache = wa_groups::cache::Cache::new(wa_groups::cache::CachePolicy { ttl_ms: 1 });
    /// cache.forget_all();
    /// assert!(cache.is_empty());
    /// ```
    pub fn forget_all(&self) {
        self.forget(Forget::All);
    }

    pub(crate) fn forget(&self, what: Forget<'_>) {
        let hit = |scope: &Scope| match what {
            Forget::All => true,
            Forget::Listings => *scope == Scope::Listing,
            Forget::Group(id) => match scope {
                Scope::Listing => true,
                Scope::Group(other) => other == id,
            },
        };
        self.kept.borrow_mut().retain(|(_, kept)| !hit(&kept.scope));
        self.under_way.borrow_mut().retain(|(_, flight)| {
            let forgotten = hit(&flight.scope);
            if forgotten {
                flight.current.set(false);
            }
            !forgotten
        });
    }

    /// What there is for a read of `url` at `now_ms`: a fresh answer, a read to join, or
    /// nothing (the caller leads).
    pub(crate) fn lookup(&self, scope: &Scope, url: &str, now_ms: f64) -> Lookup {
        {
            let mut kept = self.kept.borrow_mut();
            if let Some(i) = kept.iter().position(|(u, _)| u == url) {
                if self.fresh(kept[i].1.at_ms, now_ms) {
                    return Lookup::Kept(kept[i].1.response.clone());
                }
                kept.swap_remove(i);
            }
        }
        let mut under_way = self.under_way.borrow_mut();
        if let Some((_, flight)) = under_way.iter().find(|(u, _)| u == url) {
            return Lookup::Join(Rc::clone(flight));
        }
        let flight = Flight::new(scope.clone());
        under_way.push((url.to_owned(), Rc::clone(&flight)));
        Lookup::Lead(flight)
    }

    /// Ends the read `flight` of `url` with `outcome`: wakes everyone waiting, and keeps an
    /// answer unless a write forgot the read's scope while it was under way.
    pub(crate) fn finish(&self, url: &str, flight: &Rc<Flight>, outcome: Outcome, now_ms: f64) {
        self.under_way
            .borrow_mut()
            .retain(|(_, f)| !Rc::ptr_eq(f, flight));
        if let Outcome::Answered(response) = &outcome
            && flight.current.get()
            && self.policy.ttl_ms > 0
        {
            let mut kept = self.kept.borrow_mut();
            if kept.len() >= SWEEP_ABOVE {
                kept.retain(|(_, k)| self.fresh(k.at_ms, now_ms));
            }
            // A read led while an expired copy was being replaced: keep only the newest.
            kept.retain(|(u, _)| u != url);
            kept.push((
                url.to_owned(),
                Kept {
                    scope: flight.scope.clone(),
                    at_ms: now_ms,
                    response: response.clone(),
                },
            ));
        }
        *flight.outcome.borrow_mut() = Some(outcome);
        let wakers = std::mem::take(&mut *flight.wakers.borrow_mut());
        wakers.into_iter().for_each(Waker::wake);
    }

    fn fresh(&self, at_ms: f64, now_ms: f64) -> bool {
        // A clock that went back (a changed system time) counts as expired.
        let age = now_ms - at_ms;
        (0.0..self.policy.ttl_ms as f64).contains(&age)
    }
}

/// Ends a led read as abandoned if its sender goes away without finishing it (its future
/// dropped), so that those waiting are not left waiting forever.
struct Leading<'a> {
    cache: &'a Cache,
    url: &'a str,
    flight: Rc<Flight>,
    done: bool,
}

impl Leading<'_> {
    fn finish(mut self, outcome: Outcome, now_ms: f64) {
        self.done = true;
        self.cache.finish(self.url, &self.flight, outcome, now_ms);
    }
}

impl Drop for Leading<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.cache
                .finish(self.url, &self.flight, Outcome::Abandoned, f64::NAN);
        }
    }
}

/// A joined read waits at most this long for the read it joined before also watching only
/// that (never in practice: it is how long a wait may be made to end early by an abort).
const JOINED_WAIT_MS: u64 = u64::MAX;

impl<T: Transport> Client<T> {
    /// The same client with a metadata cache (see the [module](crate::cache) for what is
    /// shared, reused and forgotten). Copies made by [`Client::with_transport`] share it.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// use wa_groups::cache::CachePolicy;
    /// let client = client.with_cache(CachePolicy { ttl_ms: 30_000 });
    /// let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// let group = client.get_group(&id).await?; // a request
    /// let again = client.get_group(&id).await?; // within 30 s: the same answer, no request
    /// client.set_subject(&id, "Renamed").await?; // forgets the group
    /// let renamed = client.get_group(&id).await?; // a request
    /// # Ok(()) }
    /// ```
    pub fn with_cache(mut self, policy: CachePolicy) -> Client<T> {
        self.cache = Some(Rc::new(Cache::new(policy)));
        self
    }

    /// The cache, when the client has one (to forget what changed elsewhere).
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) {
    /// if let Some(cache) = client.cache() {
    ///     cache.forget_all();
    /// }
    /// # }
    /// ```
    pub fn cache(&self) -> Option<&Cache> {
        self.cache.as_deref()
    }

    /// Runs a read of `scope` through the cache (straight to the server without one). Not
    /// `async` itself, so that no further state machine is compiled per result type.
    pub(crate) fn read<'a, R: 'static>(
        &'a self,
        scope: Scope,
        call: Call<R>,
    ) -> impl Future<Output = Result<R>> + 'a {
        self.run_in(call, None, Some(Use::Read(scope)))
    }

    /// Runs a write, whose requests forget what they change when they are sent and again
    /// when they are answered (whatever the answer: a failed write may have applied).
    pub(crate) fn write<'a, R: 'static>(
        &'a self,
        forget: Forget<'a>,
        call: Call<R>,
    ) -> impl Future<Output = Result<R>> + 'a {
        self.run_in(call, None, Some(Use::Write(forget)))
    }

    /// [`Client::exchange`] through the cache, if any, as `how` says: a read finds a kept
    /// answer, joins the read under way, or sends its own that others may join; a write
    /// forgets around its request. One function for every result type, like `exchange`.
    pub(crate) fn exchange_through<'a>(
        &'a self,
        how: Option<&'a Use<'a>>,
        request: &'a HttpRequest,
        read: &'a mut dyn FnMut(HttpResponse, bool) -> Result<()>,
        pacing: Option<&'a Pacing>,
    ) -> Pin<Box<dyn Future<Output = Result<()>> + 'a>> {
        let (Some(cache), Some(how)) = (self.cache.as_deref(), how) else {
            return self.exchange(request, read, pacing);
        };
        Box::pin(async move {
            let scope = match how {
                Use::Read(scope) if request.method == Method::Get => scope,
                Use::Read(_) => return self.exchange(request, read, pacing).await,
                Use::Write(forget) => {
                    cache.forget(*forget);
                    let result = self.exchange(request, read, pacing).await;
                    cache.forget(*forget);
                    return result;
                }
            };
            let url = request.url(self.base_url());
            loop {
                let flight = match cache.lookup(scope, &url, self.transport().now_ms()) {
                    Lookup::Kept(response) => return read(response, false),
                    Lookup::Lead(flight) => flight,
                    Lookup::Join(flight) => {
                        let outcome = {
                            let joined = pin!(flight.wait());
                            // Our own abort ends our wait, not the read.
                            let aborted = pin!(self.transport().sleep(JOINED_WAIT_MS));
                            match select(joined, aborted).await {
                                Either::Left((outcome, _)) => outcome,
                                Either::Right((Err(error), _)) => return Err(error),
                                Either::Right((Ok(()), joined)) => joined.await,
                            }
                        };
                        match outcome {
                            Outcome::Answered(response) => return read(response, false),
                            Outcome::Failed(error) => return Err(error),
                            Outcome::Abandoned => continue,
                        }
                    }
                };
                let leading = Leading {
                    cache,
                    url: &url,
                    flight,
                    done: false,
                };
                let mut answer = None;
                let result = {
                    let mut keep = |response: HttpResponse, repeated: bool| {
                        let copy = response.clone();
                        read(response, repeated)?;
                        answer = Some(copy);
                        Ok(())
                    };
                    self.exchange(request, &mut keep, pacing).await
                };
                let outcome = match (&result, answer) {
                    (Ok(()), Some(response)) => Outcome::Answered(response),
                    (Err(e), _) if is_own(e) => Outcome::Abandoned,
                    (Err(e), _) => Outcome::Failed(e.clone()),
                    (Ok(()), None) => Outcome::Abandoned,
                };
                leading.finish(outcome, self.transport().now_ms());
                return result;
            }
        })
    }
}

/// An error that belongs to the caller that sent a read, not to the read: its own abort or
/// its own time limit (a call's `timeoutMs` may be shorter than a waiter's).
fn is_own(error: &Error) -> bool {
    matches!(error.code(), ErrorCode::Aborted | ErrorCode::Timeout)
}

#[cfg(test)]
mod tests;
