//! A safety budget: at most so many adds, group creations and joins per account in any
//! rolling 24 hours, checked **before anything is sent**.
//!
//! WhatsApp restricts or bans accounts that add, create or join too much (research
//! `user-needs.md` §4: bans after ~150 adds, after one create, `account_reachout_restricted`
//! after many joins); no number is published, so the limits are the caller's. The rules:
//!
//! - **Attempts count, not only successes.** Every person an add is *sent* for uses a slot,
//!   whether WhatsApp adds them or refuses (privacy, already a member…): WhatsApp sees the
//!   attempt, and refused adds of strangers are what gets accounts reported. A request
//!   refused as a whole before it reached WhatsApp (a 4xx such as `unauthorized`,
//!   `rate_limited`, `not_found`) gives its slots back; one whose fate is unknown
//!   (`timeout`, `network`, `server`) keeps them.
//! - **An add that is partly over budget splits**: the people within budget are sent, in
//!   the order given; the rest come back as results with `reason: budget_exceeded`, never
//!   sent. An add with no slot left fails whole with [`ErrorCode::BudgetExceeded`](crate::ErrorCode).
//! - **A create uses one create slot and one add slot per first member**, all or nothing
//!   (WhatsApp adds the first members like any add); a join uses one join slot.
//! - Uses are kept in a [`BudgetStore`] under a key naming the account (provider, base URL,
//!   session or user), as `(time, count)` entries, so the budget survives a reload and is
//!   shared by every client of the same account that uses the same store.
//!
//! Everything here is pure except the store and the clock, both passed in.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::provider::ProviderKind;

/// The window a budget covers: 24 hours, in milliseconds.
pub const WINDOW_MS: u64 = 24 * 60 * 60 * 1000;

/// What a budget limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BudgetKind {
    /// People added to groups (including a new group's first members).
    Adds,
    /// Groups created.
    Creates,
    /// Groups joined by invite.
    Joins,
}

impl BudgetKind {
    /// The kind's name in the JS API and in errors (`adds`, `creates`, `joins`).
    ///
    /// ```
    /// use wa_groups::safety::BudgetKind;
    /// assert_eq!(BudgetKind::Joins.as_str(), "joins");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            BudgetKind::Adds => "adds",
            BudgetKind::Creates => "creates",
            BudgetKind::Joins => "joins",
        }
    }
}

/// The limits per rolling 24 hours; `None` leaves that kind unlimited.
///
/// ```
/// use wa_groups::safety::SafetyLimits;
/// let limits = SafetyLimits { adds_per_day: Some(50), ..Default::default() };
/// assert!(limits.creates_per_day.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SafetyLimits {
    /// People added per 24 hours.
    pub adds_per_day: Option<u32>,
    /// Groups created per 24 hours.
    pub creates_per_day: Option<u32>,
    /// Groups joined per 24 hours.
    pub joins_per_day: Option<u32>,
}

impl SafetyLimits {
    /// The limit of `kind`, if any.
    pub fn limit(&self, kind: BudgetKind) -> Option<u32> {
        match kind {
            BudgetKind::Adds => self.adds_per_day,
            BudgetKind::Creates => self.creates_per_day,
            BudgetKind::Joins => self.joins_per_day,
        }
    }
}

/// The uses of one account: per kind, `(time in ms since the epoch, count)` entries,
/// oldest first. What the store keeps, as text ([`Ledger::to_text`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ledger {
    adds: Vec<(u64, u32)>,
    creates: Vec<(u64, u32)>,
    joins: Vec<(u64, u32)>,
}

const KINDS: [BudgetKind; 3] = [BudgetKind::Adds, BudgetKind::Creates, BudgetKind::Joins];

impl Ledger {
    /// The stored form: one `kind time count` entry per line (`adds 1700000000000 3`).
    /// Plain text rather than JSON: parsing it takes a few lines instead of a generic
    /// deserializer in every download of the package.
    ///
    /// ```
    /// use wa_groups::safety::{BudgetKind, Ledger};
    /// let mut ledger = Ledger::default();
    /// ledger.record(BudgetKind::Adds, 3, 1_000);
    /// assert_eq!(ledger.to_text(), "adds 1000 3\n");
    /// assert_eq!(Ledger::from_text(&ledger.to_text()), Some(ledger));
    /// assert_eq!(Ledger::from_text("adds 1000"), None);
    /// let mixed = "adds 1000 3\njoins 2000 1\n";
    /// assert_eq!(Ledger::from_text(mixed).map(|l| l.to_text()).as_deref(), Some(mixed));
    /// ```
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for kind in KINDS {
            for (at, n) in self.entries(kind) {
                text.push_str(&format!("{} {at} {n}\n", kind.as_str()));
            }
        }
        text
    }

    /// Reads [`Ledger::to_text`]'s form; `None` for anything else.
    pub fn from_text(text: &str) -> Option<Ledger> {
        let mut ledger = Ledger::default();
        for line in text.lines().filter(|l| !l.is_empty()) {
            let mut words = line.split(' ');
            let name = words.next()?;
            let kind = KINDS.into_iter().find(|k| k.as_str() == name)?;
            let at = words.next()?.parse().ok()?;
            let n = words.next()?.parse().ok()?;
            if words.next().is_some() {
                return None;
            }
            ledger.entries_mut(kind).push((at, n));
        }
        Some(ledger)
    }

    fn entries(&self, kind: BudgetKind) -> &Vec<(u64, u32)> {
        match kind {
            BudgetKind::Adds => &self.adds,
            BudgetKind::Creates => &self.creates,
            BudgetKind::Joins => &self.joins,
        }
    }

    fn entries_mut(&mut self, kind: BudgetKind) -> &mut Vec<(u64, u32)> {
        match kind {
            BudgetKind::Adds => &mut self.adds,
            BudgetKind::Creates => &mut self.creates,
            BudgetKind::Joins => &mut self.joins,
        }
    }

    /// Slots of `kind` used in the 24 hours before `now`.
    ///
    /// ```
    /// use wa_groups::safety::{BudgetKind, Ledger, WINDOW_MS};
    /// let mut ledger = Ledger::default();
    /// ledger.record(BudgetKind::Adds, 3, 1_000);
    /// assert_eq!(ledger.used(BudgetKind::Adds, 1_000), 3);
    /// assert_eq!(ledger.used(BudgetKind::Adds, 1_000 + WINDOW_MS), 0);
    /// ```
    pub fn used(&self, kind: BudgetKind, now: u64) -> u32 {
        self.entries(kind)
            .iter()
            .filter(|(at, _)| in_window(*at, now))
            .map(|(_, n)| *n)
            .fold(0u32, u32::saturating_add)
    }

    /// Records `n` uses of `kind` at `now` (and forgets what left the window).
    pub fn record(&mut self, kind: BudgetKind, n: u32, now: u64) {
        self.prune(now);
        if n > 0 {
            self.entries_mut(kind).push((now, n));
        }
    }

    /// Gives back `n` uses of `kind` recorded at `at` (a request that never reached
    /// WhatsApp).
    pub fn release(&mut self, kind: BudgetKind, n: u32, at: u64) {
        let entries = self.entries_mut(kind);
        if let Some(entry) = entries.iter_mut().find(|(t, _)| *t == at) {
            entry.1 = entry.1.saturating_sub(n);
        }
        entries.retain(|(_, n)| *n > 0);
    }

    /// Forgets the uses that left the window.
    pub fn prune(&mut self, now: u64) {
        for kind in KINDS {
            self.entries_mut(kind).retain(|(at, _)| in_window(*at, now));
        }
    }

    /// When the oldest use of `kind` still in the window leaves it (a slot frees then);
    /// `None` when nothing is used.
    ///
    /// ```
    /// use wa_groups::safety::{BudgetKind, Ledger, WINDOW_MS};
    /// let mut ledger = Ledger::default();
    /// ledger.record(BudgetKind::Joins, 1, 5_000);
    /// assert_eq!(ledger.refills_at(BudgetKind::Joins, 6_000), Some(5_000 + WINDOW_MS));
    /// ```
    pub fn refills_at(&self, kind: BudgetKind, now: u64) -> Option<u64> {
        self.entries(kind)
            .iter()
            .filter(|(at, _)| in_window(*at, now))
            .map(|(at, _)| at + WINDOW_MS)
            .min()
    }
}

/// A use at `at` still counts at `now` (a clock that went back counts it too).
fn in_window(at: u64, now: u64) -> bool {
    at + WINDOW_MS > now
}

/// Where the budget's uses are kept: synchronous `get`/`set` of strings by key
/// (`localStorage` in a browser, memory by default elsewhere).
pub trait BudgetStore {
    /// The value stored under `key`, `None` when there is none.
    fn get(&self, key: &str) -> Result<Option<String>>;
    /// Stores `value` under `key`.
    fn set(&self, key: &str, value: &str) -> Result<()>;
}

/// A store in memory: the budget lasts as long as the process (Node's default).
#[derive(Debug, Default)]
pub struct MemoryStore(RefCell<BTreeMap<String, String>>);

impl BudgetStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.0.borrow().get(key).cloned())
    }
    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.0.borrow_mut().insert(key.to_owned(), value.to_owned());
        Ok(())
    }
}

/// One kind's budget as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BudgetLine {
    /// At most this many per rolling 24 hours.
    pub limit: u32,
    /// How many were used in the last 24 hours.
    pub used: u32,
    /// How many may still be used now (`limit - used`, never below 0).
    pub left: u32,
    /// When the oldest use leaves the window and a slot frees, in milliseconds since the
    /// epoch (`new Date(refillsAt)`); absent when nothing is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub refills_at: Option<u64>,
}

/// What is left of each limited kind; a kind without a limit is absent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SafetyBudget {
    /// People added to groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub adds: Option<BudgetLine>,
    /// Groups created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub creates: Option<BudgetLine>,
    /// Groups joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub joins: Option<BudgetLine>,
}

/// Slots taken from a budget: how many, and when (to give them back if the request never
/// reached WhatsApp).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grant {
    /// How many slots were granted (`u32::MAX` for an unlimited kind is never returned:
    /// an unlimited kind grants what was asked).
    pub granted: u32,
    /// When they were recorded (ms since the epoch).
    pub at: u64,
}

/// A safety budget for one account: limits, a store and a clock.
///
/// ```
/// use std::rc::Rc;
/// use wa_groups::safety::{BudgetKind, MemoryStore, Safety, SafetyLimits};
/// let limits = SafetyLimits { adds_per_day: Some(2), ..Default::default() };
/// let safety = Safety::new(limits, Rc::new(MemoryStore::default()), "acct".into())
///     .with_clock(Rc::new(|| 1_000));
/// assert_eq!(safety.take(BudgetKind::Adds, 3)?.granted, 2);
/// let err = safety.take(BudgetKind::Adds, 1).unwrap_err();
/// assert_eq!(err.code(), wa_groups::ErrorCode::BudgetExceeded);
/// assert_eq!(safety.budget()?.adds.unwrap().left, 0);
/// # Ok::<(), wa_groups::Error>(())
/// ```
#[derive(Clone)]
pub struct Safety {
    limits: SafetyLimits,
    store: Rc<dyn BudgetStore>,
    key: String,
    clock: Rc<dyn Fn() -> u64>,
}

impl std::fmt::Debug for Safety {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Safety")
            .field("limits", &self.limits)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// The wall clock in milliseconds since the epoch.
fn wall_clock() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as u64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }
}

impl Safety {
    /// A budget with `limits`, keeping its uses in `store` under `key` (see
    /// [`Safety::account_key`]), on the wall clock.
    pub fn new(limits: SafetyLimits, store: Rc<dyn BudgetStore>, key: String) -> Safety {
        Safety {
            limits,
            store,
            key,
            clock: Rc::new(wall_clock),
        }
    }

    /// The same budget on another clock (ms since the epoch): for tests.
    pub fn with_clock(mut self, clock: Rc<dyn Fn() -> u64>) -> Safety {
        self.clock = clock;
        self
    }

    /// The store key of an account: its provider, base URL and session (WAHA) or user
    /// name (Wavy).
    ///
    /// ```
    /// use wa_groups::provider::ProviderKind;
    /// use wa_groups::safety::Safety;
    /// assert_eq!(
    ///     Safety::account_key(ProviderKind::Waha, "http://127.0.0.1:3000", "default"),
    ///     "wa-groups.safety.v1 waha http://127.0.0.1:3000 default"
    /// );
    /// ```
    pub fn account_key(provider: ProviderKind, base_url: &str, account: &str) -> String {
        format!(
            "wa-groups.safety.v1 {} {base_url} {account}",
            provider.as_str()
        )
    }

    /// The limits.
    pub fn limits(&self) -> SafetyLimits {
        self.limits
    }

    /// The store key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The ledger as stored; a value that is not one (written by something else) counts as
    /// empty and is overwritten at the next use.
    fn load(&self) -> Result<Ledger> {
        Ok(self
            .store
            .get(&self.key)?
            .and_then(|text| Ledger::from_text(&text))
            .unwrap_or_default())
    }

    fn save(&self, ledger: &Ledger) -> Result<()> {
        self.store.set(&self.key, &ledger.to_text())
    }

    fn exceeded(&self, kind: BudgetKind, ledger: &Ledger, now: u64) -> Error {
        Error::BudgetExceeded {
            kind: kind.as_str(),
            limit: self.limits.limit(kind).unwrap_or(0),
            retry_after_ms: ledger
                .refills_at(kind, now)
                .map(|at| at.saturating_sub(now)),
        }
    }

    /// The [`Error::BudgetExceeded`] of `kind` as things stand (a failing store's error
    /// instead, when it cannot be read).
    pub fn exceeded_now(&self, kind: BudgetKind) -> Error {
        match self.load() {
            Ok(ledger) => self.exceeded(kind, &ledger, (self.clock)()),
            Err(e) => e,
        }
    }

    /// How many of `kind` may be used now (`None`: unlimited).
    pub fn left(&self, kind: BudgetKind) -> Result<Option<u32>> {
        let Some(limit) = self.limits.limit(kind) else {
            return Ok(None);
        };
        let used = self.load()?.used(kind, (self.clock)());
        Ok(Some(limit.saturating_sub(used)))
    }

    /// Takes up to `n` slots of `kind` and records them: the grant says how many (fewer
    /// than `n` when the budget runs out part way). None left: [`Error::BudgetExceeded`].
    pub fn take(&self, kind: BudgetKind, n: u32) -> Result<Grant> {
        let now = (self.clock)();
        let Some(limit) = self.limits.limit(kind) else {
            return Ok(Grant {
                granted: n,
                at: now,
            });
        };
        let mut ledger = self.load()?;
        let left = limit.saturating_sub(ledger.used(kind, now));
        if left == 0 && n > 0 {
            return Err(self.exceeded(kind, &ledger, now));
        }
        let granted = n.min(left);
        ledger.record(kind, granted, now);
        self.save(&ledger)?;
        Ok(Grant { granted, at: now })
    }

    /// Takes every slot in `needs` or none: [`Error::BudgetExceeded`] naming the first
    /// kind short of slots. Returns when they were recorded.
    pub fn take_all(&self, needs: &[(BudgetKind, u32)]) -> Result<u64> {
        let now = (self.clock)();
        let mut ledger = self.load()?;
        for &(kind, n) in needs {
            if let Some(limit) = self.limits.limit(kind)
                && n > 0
                && ledger.used(kind, now).saturating_add(n) > limit
            {
                return Err(self.exceeded(kind, &ledger, now));
            }
        }
        for &(kind, n) in needs {
            if self.limits.limit(kind).is_some() {
                ledger.record(kind, n, now);
            }
        }
        self.save(&ledger)?;
        Ok(now)
    }

    /// Gives back `n` slots of `kind` taken at `at` (the request never reached WhatsApp).
    pub fn release(&self, kind: BudgetKind, n: u32, at: u64) -> Result<()> {
        if self.limits.limit(kind).is_none() || n == 0 {
            return Ok(());
        }
        let mut ledger = self.load()?;
        ledger.release(kind, n, at);
        self.save(&ledger)
    }

    /// What is left of each limited kind, and when the next slot frees.
    pub fn budget(&self) -> Result<SafetyBudget> {
        let now = (self.clock)();
        let ledger = self.load()?;
        let line = |kind: BudgetKind| {
            self.limits.limit(kind).map(|limit| {
                let used = ledger.used(kind, now);
                BudgetLine {
                    limit,
                    used,
                    left: limit.saturating_sub(used),
                    refills_at: ledger.refills_at(kind, now),
                }
            })
        };
        Ok(SafetyBudget {
            adds: line(BudgetKind::Adds),
            creates: line(BudgetKind::Creates),
            joins: line(BudgetKind::Joins),
        })
    }
}

/// Whether a failed request certainly never reached WhatsApp, so the slots it took go back:
/// the provider refused it whole (bad input, credentials, rights, a missing group or session,
/// a rate limit) or it was never sent. A timeout, a network failure or a 5xx may have
/// applied: those slots stay used.
///
/// ```
/// use wa_groups::{Error, ErrorCode};
/// use wa_groups::safety::never_reached_whatsapp;
/// assert!(never_reached_whatsapp(&Error::invalid("participants", "empty")));
/// assert!(!never_reached_whatsapp(&Error::Timeout(5_000)));
/// ```
pub fn never_reached_whatsapp(error: &Error) -> bool {
    use crate::ErrorCode as C;
    matches!(
        error.code(),
        C::InvalidInput
            | C::Unsupported
            | C::Unauthorized
            | C::Forbidden
            | C::NotFound
            | C::Conflict
            | C::RateLimited
            | C::BudgetExceeded
    )
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::ErrorCode;

    const HOUR: u64 = 60 * 60 * 1000;

    /// A budget on a clock the test moves.
    fn budget(limits: SafetyLimits) -> (Safety, Rc<Cell<u64>>, Rc<MemoryStore>) {
        let now = Rc::new(Cell::new(1_700_000_000_000));
        let clock = Rc::clone(&now);
        let store = Rc::new(MemoryStore::default());
        let safety =
            Safety::new(limits, store.clone(), "k".into()).with_clock(Rc::new(move || clock.get()));
        (safety, now, store)
    }

    fn adds(n: u32) -> SafetyLimits {
        SafetyLimits {
            adds_per_day: Some(n),
            ..Default::default()
        }
    }

    #[test]
    fn a_partly_over_budget_take_is_cut_to_what_is_left() {
        let (safety, _, _) = budget(adds(5));
        assert_eq!(safety.take(BudgetKind::Adds, 3).unwrap().granted, 3);
        assert_eq!(safety.take(BudgetKind::Adds, 3).unwrap().granted, 2);
        let err = safety.take(BudgetKind::Adds, 1).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BudgetExceeded);
        assert_eq!(safety.left(BudgetKind::Adds).unwrap(), Some(0));
    }

    #[test]
    fn slots_refill_24_hours_after_each_use() {
        let (safety, now, _) = budget(adds(3));
        let start = now.get();
        safety.take(BudgetKind::Adds, 2).unwrap();
        now.set(start + 5 * HOUR);
        safety.take(BudgetKind::Adds, 1).unwrap();
        let line = safety.budget().unwrap().adds.unwrap();
        assert_eq!((line.used, line.left), (3, 0));
        assert_eq!(line.refills_at, Some(start + WINDOW_MS));
        let err = safety.take(BudgetKind::Adds, 1).unwrap_err();
        assert_eq!(err.retry_after_ms(), Some(19 * HOUR));
        // Just after the first two uses leave the window, two slots are back.
        now.set(start + WINDOW_MS + 1);
        let line = safety.budget().unwrap().adds.unwrap();
        assert_eq!((line.used, line.left), (1, 2));
        assert_eq!(line.refills_at, Some(start + 5 * HOUR + WINDOW_MS));
    }

    #[test]
    fn a_create_takes_its_first_members_as_adds_all_or_nothing() {
        let (safety, _, _) = budget(SafetyLimits {
            adds_per_day: Some(3),
            creates_per_day: Some(5),
            joins_per_day: None,
        });
        let needs = [(BudgetKind::Creates, 1), (BudgetKind::Adds, 4)];
        let err = safety.take_all(&needs).unwrap_err();
        assert!(
            matches!(
                err,
                Error::BudgetExceeded {
                    kind: "adds",
                    limit: 3,
                    ..
                }
            ),
            "{err:?}"
        );
        let budget = safety.budget().unwrap();
        assert_eq!(budget.creates.unwrap().used, 0, "nothing taken");
        safety
            .take_all(&[(BudgetKind::Creates, 1), (BudgetKind::Adds, 3)])
            .unwrap();
        let budget = safety.budget().unwrap();
        assert_eq!(
            (budget.creates.unwrap().used, budget.adds.unwrap().used),
            (1, 3)
        );
        assert!(budget.joins.is_none(), "an unlimited kind is absent");
    }

    #[test]
    fn released_slots_come_back() {
        let (safety, _, _) = budget(adds(4));
        let grant = safety.take(BudgetKind::Adds, 4).unwrap();
        safety.release(BudgetKind::Adds, 3, grant.at).unwrap();
        assert_eq!(safety.left(BudgetKind::Adds).unwrap(), Some(3));
    }

    #[test]
    fn the_store_keeps_the_uses_for_the_next_client() {
        let (safety, _, store) = budget(adds(10));
        safety.take(BudgetKind::Adds, 4).unwrap();
        let stored = store.get("k").unwrap().unwrap();
        assert!(stored.starts_with("adds 1700000000000 4"), "{stored}");
        // Another client of the same account (a reload) sees the same uses.
        let again =
            Safety::new(adds(10), store.clone(), "k".into()).with_clock(safety.clock.clone());
        assert_eq!(again.left(BudgetKind::Adds).unwrap(), Some(6));
        // A value that is not a ledger counts as empty.
        store.set("k", "garbage").unwrap();
        assert_eq!(again.left(BudgetKind::Adds).unwrap(), Some(10));
    }

    #[test]
    fn an_unlimited_kind_grants_everything_and_records_nothing() {
        let (safety, _, store) = budget(SafetyLimits::default());
        assert_eq!(
            safety.take(BudgetKind::Joins, 1_000).unwrap().granted,
            1_000
        );
        assert!(store.get("k").unwrap().is_none());
        assert_eq!(safety.budget().unwrap(), SafetyBudget::default());
    }

    #[test]
    fn what_never_reached_whatsapp_is_given_back_and_the_rest_is_not() {
        assert!(never_reached_whatsapp(&Error::Status {
            code: ErrorCode::RateLimited,
            status: 429,
            message: String::new(),
            retry_after_ms: None,
        }));
        for maybe_applied in [
            Error::Network("reset".into()),
            Error::Decode("?".into()),
            Error::Aborted,
        ] {
            assert!(!never_reached_whatsapp(&maybe_applied), "{maybe_applied:?}");
        }
    }
}
