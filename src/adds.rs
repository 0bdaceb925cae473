//! Adds that don't cost the account: the safety budget applied to adds, creates and joins
//! ([`crate::safety`]), and invites sent to those whose privacy refuses a direct add.

use std::future::Future;

use crate::client::{Client, parse_user_ids};
use crate::error::{Error, Result};
use crate::http::Transport;
use crate::model::{GroupId, NewGroup, ParticipantChange, ParticipantResult, RefusalReason};
use crate::provider::validate_text;
use crate::safety::{BudgetKind, SafetyBudget, never_reached_whatsapp};

/// The invite sent when no `invite_text` is given; `{link}` becomes the group's link.
pub const DEFAULT_INVITE_TEXT: &str =
    "Your privacy settings don't let me add you to our WhatsApp group. Join here: {link}";

/// The options of an add beyond its people.
///
/// ```
/// use wa_groups::adds::AddOptions;
/// let invite = AddOptions { invite_on_privacy: true, invite_text: Some("Join us: {link}".into()) };
/// assert!(!AddOptions::default().invite_on_privacy);
/// # let _ = invite;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddOptions {
    /// For each person whose privacy refuses the add, get the group's invite link (once)
    /// and send it to them as a direct text; their result then says `invited`. Where the
    /// engine already sent its own invite (WAHA WEBJS), nothing more is sent. Off by default.
    pub invite_on_privacy: bool,
    /// The invite's text; `{link}` in it becomes the link (appended on a new line when it
    /// has no `{link}`). [`DEFAULT_INVITE_TEXT`] when `None`.
    pub invite_text: Option<String>,
}

/// The text of an invite: `text` (or the default) with `{link}` replaced, or the link
/// appended when it has no `{link}`.
///
/// ```
/// use wa_groups::adds::invite_message;
/// let link = "https://chat.whatsapp.com/AbC";
/// assert_eq!(invite_message(Some("Join: {link}!"), link), "Join: https://chat.whatsapp.com/AbC!");
/// assert_eq!(invite_message(Some("Join us"), link), "Join us\nhttps://chat.whatsapp.com/AbC");
/// assert!(invite_message(None, link).ends_with(link));
/// ```
pub fn invite_message(text: Option<&str>, link: &str) -> String {
    let text = text.unwrap_or(DEFAULT_INVITE_TEXT);
    if text.contains("{link}") {
        text.replace("{link}", link)
    } else {
        format!("{text}\n{link}")
    }
}

/// What a create takes from the budget: one create, and one add per first member.
pub(crate) fn create_needs(group: &NewGroup) -> [(BudgetKind, u32); 2] {
    let members = u32::try_from(group.participants.len()).unwrap_or(u32::MAX);
    [(BudgetKind::Creates, 1), (BudgetKind::Adds, members)]
}

impl<T: Transport> Client<T> {
    /// What is left of the safety budget and when its next slot frees; `None` without
    /// one ([`Client::with_safety`]).
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// if let Some(adds) = client.safety_budget()?.and_then(|b| b.adds) {
    ///     println!("{} adds left today", adds.left);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn safety_budget(&self) -> Result<Option<SafetyBudget>> {
        self.safety().map(|s| s.budget()).transpose()
    }

    /// Runs `work` after taking `needs` from the safety budget, all or nothing (nothing is
    /// sent when they are not all there); gives them back if the request never reached
    /// WhatsApp.
    pub(crate) async fn within_budget<R>(
        &self,
        needs: &[(BudgetKind, u32)],
        work: impl Future<Output = Result<R>>,
    ) -> Result<R> {
        let Some(safety) = self.safety() else {
            return work.await;
        };
        let at = safety.take_all(needs)?;
        let result = work.await;
        if let Err(error) = &result
            && never_reached_whatsapp(error)
        {
            for &(kind, n) in needs {
                safety.release(kind, n, at)?;
            }
        }
        result
    }

    /// Adds members (phone numbers or user ids): one result per id, in the order given.
    ///
    /// Under a safety budget, the people within it are sent and the rest come back with
    /// `reason: budget_exceeded`, unsent; with no slot left the call fails with
    /// `budget_exceeded` and nothing is sent. With `invite_on_privacy`, each person whose
    /// privacy refused the add is sent the group's invite link (see [`AddOptions`]); an
    /// invite that fails says so in its result (`invited: false`, `invite_error`) without
    /// failing the others. A provider that cannot send one (Wavy) fails with `unsupported`
    /// before anything is sent.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// use wa_groups::adds::AddOptions;
    /// let options = AddOptions { invite_on_privacy: true, ..Default::default() };
    /// let results = client.add_participants(&id, &["5511988880000".into()], &options).await?;
    /// for r in results.iter().filter(|r| r.invited == Some(true)) {
    ///     println!("{} was sent the invite link", r.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn add_participants(
        &self,
        id: &GroupId,
        participants: &[String],
        options: &AddOptions,
    ) -> Result<Vec<ParticipantResult>> {
        let ids = parse_user_ids(participants)?;
        // Every check before anything is sent or any slot taken.
        let call = self
            .provider_ref()
            .change_participants(id, ParticipantChange::Add, &ids)?;
        if let Some(text) = &options.invite_text {
            validate_text(text).map_err(|e| match e {
                Error::InvalidInput { reason, .. } => Error::invalid("options.inviteText", reason),
                other => other,
            })?;
        }
        if options.invite_on_privacy {
            // Built, never sent: whether the provider can send an invite at all.
            self.provider_ref().send_direct_text(&ids[0], "?")?;
        }
        let (call, sent, at) = match self.safety() {
            None => (call, ids.len(), None),
            Some(safety) => {
                let asked = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                let grant = safety.take(BudgetKind::Adds, asked)?;
                let sent = grant.granted as usize;
                let call = if sent == ids.len() {
                    call
                } else {
                    self.provider_ref().change_participants(
                        id,
                        ParticipantChange::Add,
                        &ids[..sent],
                    )?
                };
                (call, sent, Some(grant.at))
            }
        };
        // A write to the group: the cache forgets it (and the listings) around the request.
        let mut results = match self.write(crate::cache::Forget::Group(id), call).await {
            Ok(results) => results,
            Err(error) => {
                if let (Some(safety), Some(at)) = (self.safety(), at)
                    && never_reached_whatsapp(&error)
                {
                    safety.release(BudgetKind::Adds, sent as u32, at)?;
                }
                return Err(error);
            }
        };
        for held in &ids[sent..] {
            let limit = self.safety().and_then(|s| s.limits().adds_per_day);
            results.push(
                ParticipantResult::failed(
                    held.clone(),
                    None,
                    format!(
                        "not sent: the safety budget of {} adds per 24 hours is used up",
                        limit.unwrap_or(0)
                    ),
                )
                .with_reason(RefusalReason::BudgetExceeded),
            );
        }
        if options.invite_on_privacy {
            self.invite_refused(id, &mut results, options.invite_text.as_deref())
                .await;
        }
        Ok(results)
    }

    /// Sends the group's invite link to each person whose privacy refused the add and
    /// whom the engine did not invite itself; records the outcome in each result.
    async fn invite_refused(
        &self,
        id: &GroupId,
        results: &mut [ParticipantResult],
        text: Option<&str>,
    ) {
        let to_invite: Vec<usize> = results
            .iter()
            .enumerate()
            .filter(|(_, r)| r.reason == Some(RefusalReason::Privacy) && r.invited != Some(true))
            .map(|(i, _)| i)
            .collect();
        if to_invite.is_empty() {
            return;
        }
        let link = match self.get_invite_link(id).await {
            Ok(link) => link,
            Err(error) => {
                for &i in &to_invite {
                    results[i].invited = Some(false);
                    results[i].invite_error = Some(format!("no invite link: {error}"));
                }
                return;
            }
        };
        let message = invite_message(text, &link);
        for i in to_invite {
            let sent = match self
                .provider_ref()
                .send_direct_text(&results[i].id, &message)
            {
                Ok(call) => self.run(call).await,
                Err(error) => Err(error),
            };
            match sent {
                Ok(_) => results[i].invited = Some(true),
                Err(error) => {
                    results[i].invited = Some(false);
                    results[i].invite_error = Some(error.to_string());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;
    use crate::ErrorCode;
    use crate::http::{HttpRequest, HttpResponse};
    use crate::provider::waha::Waha;
    use crate::safety::{MemoryStore, Safety, SafetyLimits};

    /// Answers by route, recording each request as `METHOD path body`.
    struct Fake {
        sent: RefCell<Vec<String>>,
        add_answer: String,
        send_status: u16,
    }

    impl Transport for Fake {
        async fn send(&self, _base_url: &str, request: HttpRequest) -> Result<HttpResponse> {
            let body = match &request.body {
                Some(crate::http::Body::Json(json)) => json.clone(),
                _ => String::new(),
            };
            self.sent.borrow_mut().push(format!(
                "{} {} {body}",
                request.method.as_str(),
                request.path
            ));
            Ok(if request.path.ends_with("/participants/add") {
                HttpResponse::new(200, self.add_answer.clone())
            } else if request.path.ends_with("/invite-code") {
                HttpResponse::new(200, "AbCdEf123")
            } else if request.path == "/api/sendText" {
                HttpResponse::new(self.send_status, r#"{"id":"m1"}"#)
            } else {
                HttpResponse::new(404, "")
            })
        }
        async fn sleep(&self, _ms: u64) -> Result<()> {
            Ok(())
        }
        fn random(&self) -> f64 {
            0.5
        }
        fn now_ms(&self) -> f64 {
            0.0
        }
    }

    const GROUP: &str = "120363000000000001@g.us";
    /// GOWS: the first person added, the second refused by privacy.
    const GOWS_PRIVACY: &str = r#"[{"JID":"5511900000001@s.whatsapp.net","Error":0},
        {"JID":"15554030001@s.whatsapp.net","Error":403,"AddRequest":{"Code":"x","Expiration":"2026-01-01T00:00:00Z"}}]"#;

    fn client(add_answer: &str, send_status: u16) -> Client<Fake> {
        Client::new(
            Waha::new("default", "k").unwrap(),
            Fake {
                sent: RefCell::default(),
                add_answer: add_answer.into(),
                send_status,
            },
            "http://127.0.0.1:3000",
        )
        .unwrap()
        .with_retry(crate::retry::RetryPolicy::none())
    }

    fn people() -> Vec<String> {
        vec!["5511900000001".into(), "15554030001".into()]
    }

    fn gid() -> GroupId {
        GroupId::new("groupId", GROUP).unwrap()
    }

    #[test]
    fn a_privacy_refusal_is_sent_the_invite_link_once() {
        let c = client(GOWS_PRIVACY, 201);
        let options = AddOptions {
            invite_on_privacy: true,
            invite_text: Some("Hi! {link}".into()),
        };
        let results = pollster::block_on(c.add_participants(&gid(), &people(), &options)).unwrap();
        assert_eq!(results[0].invited, None, "{results:?}");
        assert_eq!(results[1].invited, Some(true), "{results:?}");
        let sent = c.transport().sent.borrow();
        assert_eq!(sent.len(), 3, "{sent:?}");
        assert!(sent[1].starts_with("GET /api/default/groups/"), "{sent:?}");
        assert!(
            sent[2].contains(r#""chatId":"15554030001@c.us""#)
                && sent[2].contains("Hi! https://chat.whatsapp.com/AbCdEf123"),
            "{sent:?}"
        );
    }

    #[test]
    fn without_the_option_no_invite_is_sent() {
        let c = client(GOWS_PRIVACY, 201);
        let results =
            pollster::block_on(c.add_participants(&gid(), &people(), &AddOptions::default()))
                .unwrap();
        assert_eq!(results[1].reason, Some(RefusalReason::Privacy));
        assert_eq!(results[1].invited, None);
        assert_eq!(c.transport().sent.borrow().len(), 1);
    }

    #[test]
    fn an_engine_that_invited_itself_is_not_sent_another() {
        let webjs = r#"{"5511900000001@c.us":{"code":200,"message":"ok","isInviteV4Sent":false},
            "15554030001@c.us":{"code":403,"message":"private invitation only","isInviteV4Sent":true}}"#;
        let c = client(webjs, 201);
        let options = AddOptions {
            invite_on_privacy: true,
            invite_text: None,
        };
        let results = pollster::block_on(c.add_participants(&gid(), &people(), &options)).unwrap();
        assert_eq!(results[1].invited, Some(true), "{results:?}");
        assert_eq!(c.transport().sent.borrow().len(), 1, "only the add");
    }

    #[test]
    fn a_failed_invite_says_so_without_failing_the_add() {
        let c = client(GOWS_PRIVACY, 500);
        let options = AddOptions {
            invite_on_privacy: true,
            invite_text: None,
        };
        let results = pollster::block_on(c.add_participants(&gid(), &people(), &options)).unwrap();
        assert!(results[0].ok);
        assert_eq!(results[1].invited, Some(false));
        assert!(results[1].invite_error.is_some(), "{results:?}");
    }

    #[test]
    fn a_bad_invite_text_is_invalid_input_before_sending() {
        let c = client(GOWS_PRIVACY, 201);
        let options = AddOptions {
            invite_on_privacy: true,
            invite_text: Some("   ".into()),
        };
        let err = pollster::block_on(c.add_participants(&gid(), &people(), &options)).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if field == "options.inviteText"),
            "{err:?}"
        );
        assert!(c.transport().sent.borrow().is_empty());
    }

    fn budgeted(c: Client<Fake>, adds: u32) -> (Client<Fake>, Rc<MemoryStore>) {
        let store = Rc::new(MemoryStore::default());
        let limits = SafetyLimits {
            adds_per_day: Some(adds),
            creates_per_day: Some(1),
            joins_per_day: Some(1),
        };
        let safety = Safety::new(limits, store.clone(), "k".into());
        (c.with_safety(safety), store)
    }

    #[test]
    fn an_add_partly_over_budget_sends_those_within_it_and_holds_the_rest() {
        let (c, _) = budgeted(client(GOWS_PRIVACY, 201), 1);
        let results =
            pollster::block_on(c.add_participants(&gid(), &people(), &AddOptions::default()))
                .unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(results[1].reason, Some(RefusalReason::BudgetExceeded));
        let sent = c.transport().sent.borrow();
        assert!(
            sent[0].contains("5511900000001") && !sent[0].contains("15554030001"),
            "{sent:?}"
        );
        drop(sent);
        // Nothing left: the whole add fails, and nothing is sent.
        let err =
            pollster::block_on(c.change_participants(&gid(), ParticipantChange::Add, &people()))
                .unwrap_err();
        assert_eq!(err.code(), ErrorCode::BudgetExceeded);
        assert_eq!(c.transport().sent.borrow().len(), 1);
        assert_eq!(c.safety_budget().unwrap().unwrap().adds.unwrap().left, 0);
    }

    #[test]
    fn a_refused_add_still_uses_its_slots_but_an_add_that_never_arrived_does_not() {
        let (c, _) = budgeted(client(GOWS_PRIVACY, 201), 10);
        pollster::block_on(c.add_participants(&gid(), &people(), &AddOptions::default())).unwrap();
        // One added, one refused by privacy: both were attempts WhatsApp saw.
        assert_eq!(c.safety_budget().unwrap().unwrap().adds.unwrap().used, 2);
        let (c, _) = budgeted(client("not json at all", 201), 10);
        // The answer is not understood (`decode`): it may have applied, so it counts.
        assert!(
            pollster::block_on(c.add_participants(&gid(), &people(), &AddOptions::default()))
                .is_err()
        );
        assert_eq!(c.safety_budget().unwrap().unwrap().adds.unwrap().used, 2);
    }

    #[test]
    fn creates_and_joins_past_their_budget_send_nothing() {
        let (c, _) = budgeted(client(GOWS_PRIVACY, 201), 10);
        // The sandbox-less fake answers 404 to a join: not found never reached WhatsApp,
        // so the slot is given back...
        let err = pollster::block_on(c.join_group("AbCdEf123456")).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
        assert_eq!(c.safety_budget().unwrap().unwrap().joins.unwrap().used, 0);
        // ...and a create with more first members than adds left fails whole.
        let group = NewGroup {
            subject: "x".into(),
            participants: (0..11).map(|i| format!("55119000000{i:02}")).collect(),
        };
        let err = pollster::block_on(c.create_group(&group)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BudgetExceeded);
        let sent = c.transport().sent.borrow();
        assert_eq!(sent.len(), 1, "only the join: {sent:?}");
    }

    fn bulk_items() -> Vec<crate::bulk::BulkItem> {
        let mut items: Vec<crate::bulk::BulkItem> = (1..=5)
            .map(|i| crate::bulk::BulkItem {
                group: gid(),
                change: ParticipantChange::Add,
                participant: format!("551190000000{i}"),
            })
            .collect();
        items.insert(
            1,
            crate::bulk::BulkItem {
                group: gid(),
                change: ParticipantChange::Promote,
                participant: "5511900000009".into(),
            },
        );
        items
    }

    #[test]
    fn a_dry_run_sends_nothing_and_applies_the_budget_checks() {
        let (c, _) = budgeted(client(GOWS_PRIVACY, 201), 3);
        let options = crate::bulk::BulkOptions {
            dry_run: true,
            ..Default::default()
        };
        let report =
            pollster::block_on(c.bulk_change_participants(&bulk_items(), options, |_, _| {}));
        assert!(c.transport().sent.borrow().is_empty());
        assert!(report.dry_run);
        let said: Vec<&str> = report
            .outcomes
            .iter()
            .map(|o| {
                o.message
                    .as_deref()
                    .filter(|_| o.ok)
                    .or(o.code.as_deref())
                    .unwrap()
            })
            .collect();
        assert_eq!(
            said,
            [
                "would add",
                "would promote",
                "would add",
                "would add",
                "budget_exceeded",
                "budget_exceeded"
            ]
        );
        assert_eq!(
            c.safety_budget().unwrap().unwrap().adds.unwrap().used,
            0,
            "nothing taken"
        );
    }

    #[test]
    fn a_bulk_job_holds_the_adds_past_the_budget_and_sends_the_rest() {
        let (c, _) = budgeted(client(GOWS_PRIVACY, 201), 3);
        let report = pollster::block_on(c.bulk_change_participants(
            &bulk_items(),
            crate::bulk::BulkOptions::default(),
            |_, _| {},
        ));
        let held: Vec<usize> = report
            .outcomes
            .iter()
            .filter(|o| o.code.as_deref() == Some("budget_exceeded"))
            .map(|o| o.index)
            .collect();
        assert_eq!(held, [4, 5]);
        let sent = c.transport().sent.borrow();
        let adds: Vec<&String> = sent
            .iter()
            .filter(|s| s.contains("/participants/add"))
            .collect();
        assert_eq!(adds.len(), 1, "{sent:?}");
        assert!(!adds[0].contains("5511900000004") && adds[0].contains("5511900000003"));
        assert_eq!(c.safety_budget().unwrap().unwrap().adds.unwrap().used, 3);
    }
}
