//! Bulk participant changes: many people across many groups, with bounded concurrency,
//! batching to what the provider accepts per request, progress, and a report with one
//! outcome per item, in the order given. Partial failure is a normal result: an item that
//! did not apply says why (`code`), and nothing is dropped.
//!
//! Jobs are paced (see [`pacer`]): an optional request rate, and one pause for the whole job
//! when the server says "too many requests", after which the refused batch is sent again —
//! a rate limit slows a job down instead of failing its items.

use futures_util::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::http::Transport;
use crate::model::{GroupId, ParticipantChange, UserId};
use crate::pacing::Pacing;
pub use crate::pacing::{MAX_PAUSE_MS, pacer};

/// One change to make: `change` for `participant` in `group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkItem {
    /// The group.
    pub group: GroupId,
    /// What to do.
    pub change: ParticipantChange,
    /// A phone number or user id.
    pub participant: String,
}

/// How a bulk job runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BulkOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Participants per request (the provider's batch).
    pub batch_size: usize,
    /// At most this many requests start per second, evenly spaced (`None`: as fast as the
    /// server allows).
    pub requests_per_second: Option<f64>,
    /// How many times one batch is sent again after rate-limited answers before its items
    /// fail with `rate_limited`.
    pub rate_limit_retries: u32,
    /// Send nothing: report what would be done (each item `ok` with "would add" etc., or
    /// failed where a check fails, the safety budget included).
    pub dry_run: bool,
}

impl Default for BulkOptions {
    fn default() -> BulkOptions {
        BulkOptions {
            concurrency: 4,
            batch_size: 20,
            requests_per_second: None,
            rate_limit_retries: 10,
            dry_run: false,
        }
    }
}

/// The outcome of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkOutcome {
    /// The item's position in the job.
    pub index: usize,
    /// Whether the change applied.
    pub ok: bool,
    /// Why not, as an error code (`invalid_input`, `rate_limited`, …) or `not_applied` when
    /// the provider reported it for this participant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub code: Option<String>,
    /// The HTTP or per-participant status, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub status: Option<u16>,
    /// What happened, for a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub message: Option<String>,
}

impl BulkOutcome {
    fn failed(index: usize, error: &Error) -> BulkOutcome {
        BulkOutcome {
            index,
            ok: false,
            code: Some(error.code().as_str().to_owned()),
            status: error.status(),
            message: Some(error.to_string()),
        }
    }
}

/// Every item's outcome, in the order of the job, and the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkReport {
    /// How many applied.
    pub succeeded: usize,
    /// How many did not.
    pub failed: usize,
    /// One outcome per item, `outcomes[i].index == i`.
    pub outcomes: Vec<BulkOutcome>,
    /// Rate-limited answers the job waited out and sent again (0 when never limited).
    pub throttled: usize,
    /// A dry run: nothing was sent; the outcomes say what would be done.
    pub dry_run: bool,
}

/// A batch: one request's worth of items of the same group and change.
struct Batch {
    group: GroupId,
    change: ParticipantChange,
    items: Vec<(usize, UserId)>,
}

/// Groups valid items into batches (same group and change, at most `size` each); invalid
/// participants become failed outcomes at once.
fn plan(items: &[BulkItem], size: usize) -> (Vec<Batch>, Vec<BulkOutcome>) {
    let mut batches: Vec<Batch> = Vec::new();
    let mut rejected = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let id = match UserId::parse(&format!("items[{index}].participant"), &item.participant) {
            Ok(id) => id,
            Err(e) => {
                rejected.push(BulkOutcome::failed(index, &e));
                continue;
            }
        };
        let open = batches
            .iter_mut()
            .rev()
            .find(|b| b.group == item.group && b.change == item.change && b.items.len() < size);
        match open {
            Some(batch) => batch.items.push((index, id)),
            None => batches.push(Batch {
                group: item.group.clone(),
                change: item.change,
                items: vec![(index, id)],
            }),
        }
    }
    (batches, rejected)
}

impl<T: Transport> Client<T> {
    /// Runs a bulk job; `progress(done, total)` is called as items complete.
    ///
    /// When the transport is aborted (`FetchTransport`'s signal), every item not yet
    /// reported fails at once with `aborted` (a batch in flight may still have applied) and
    /// the report comes back without waiting; the JS `bulkChangeParticipants` then rejects
    /// with `aborted`, as every JS method does.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>, id: wa_groups::model::GroupId) {
    /// use wa_groups::bulk::{BulkItem, BulkOptions};
    /// use wa_groups::model::ParticipantChange;
    /// let items: Vec<BulkItem> = ["5511988880000", "5511988880001"]
    ///     .iter()
    ///     .map(|p| BulkItem { group: id.clone(), change: ParticipantChange::Promote, participant: (*p).into() })
    ///     .collect();
    /// let report = client.bulk_change_participants(&items, BulkOptions::default(), |done, total| {
    ///     println!("{done}/{total}");
    /// }).await;
    /// assert_eq!(report.outcomes.len(), items.len());
    /// # }
    /// ```
    pub async fn bulk_change_participants(
        &self,
        items: &[BulkItem],
        options: BulkOptions,
        mut progress: impl FnMut(usize, usize),
    ) -> BulkReport {
        let total = items.len();
        let (batches, mut outcomes) = plan(items, options.batch_size.max(1));
        let (batches, held, granted_at) = self.hold_over_budget(batches, options.dry_run);
        outcomes.extend(held);
        if options.dry_run {
            for batch in &batches {
                outcomes.extend(batch.items.iter().map(|(index, _)| BulkOutcome {
                    index: *index,
                    ok: true,
                    code: None,
                    status: None,
                    message: Some(would(batch.change).to_owned()),
                }));
            }
            progress(total, total);
            return report(outcomes, 0, true);
        }
        let mut done = outcomes.len();
        if done > 0 {
            progress(done, total);
        }
        let pacing = Pacing::new(options.requests_per_second, options.rate_limit_retries);
        let pacing = &pacing;
        let mut runs = stream::iter(batches)
            .map(|batch| async move {
                let ids: Vec<UserId> = batch.items.iter().map(|(_, id)| id.clone()).collect();
                let result =
                    match self
                        .provider_ref()
                        .change_participants(&batch.group, batch.change, &ids)
                    {
                        Ok(call) => self.run_paced(call, Some(pacing)).await,
                        Err(error) => Err(error),
                    };
                (batch, result)
            })
            .buffer_unordered(options.concurrency.max(1));
        while let Some((batch, result)) = runs.next().await {
            match result {
                Ok(results) => {
                    for ((index, _), r) in batch.items.iter().zip(results) {
                        outcomes.push(BulkOutcome {
                            index: *index,
                            ok: r.ok,
                            code: (!r.ok).then(|| "not_applied".to_owned()),
                            status: r.status,
                            message: r.message,
                        });
                    }
                }
                Err(error) => {
                    if let (Some(safety), Some(at)) = (self.safety(), granted_at)
                        && batch.change == ParticipantChange::Add
                        && crate::safety::never_reached_whatsapp(&error)
                    {
                        // Best effort: a store that fails now cannot fail the report.
                        let n = batch.items.len() as u32;
                        let _ = safety.release(crate::safety::BudgetKind::Adds, n, at);
                    }
                    for (index, _) in &batch.items {
                        outcomes.push(BulkOutcome::failed(*index, &error));
                    }
                }
            }
            done += batch.items.len();
            progress(done, total);
        }
        drop(runs);
        report(outcomes, pacing.throttled(), false)
    }

    /// Takes the job's adds from the safety budget (only counts them on a dry run): the
    /// adds past it, in the job's order, come back as `budget_exceeded` outcomes and leave
    /// their batches. Also returns when the slots were taken.
    fn hold_over_budget(
        &self,
        batches: Vec<Batch>,
        dry_run: bool,
    ) -> (Vec<Batch>, Vec<BulkOutcome>, Option<u64>) {
        use crate::safety::BudgetKind;
        let Some(safety) = self.safety() else {
            return (batches, Vec::new(), None);
        };
        // The adds in the job's order (batches interleave): marked by index, then read.
        let mut is_add = Vec::new();
        for batch in batches
            .iter()
            .filter(|b| b.change == ParticipantChange::Add)
        {
            for (index, _) in &batch.items {
                if is_add.len() <= *index {
                    is_add.resize(*index + 1, false);
                }
                is_add[*index] = true;
            }
        }
        let adds: Vec<usize> = (0..is_add.len()).filter(|i| is_add[*i]).collect();
        if adds.is_empty() {
            return (batches, Vec::new(), None);
        }
        let asked = u32::try_from(adds.len()).unwrap_or(u32::MAX);
        let taken = if dry_run {
            safety
                .left(BudgetKind::Adds)
                .map(|left| (left.map_or(asked, |l| l.min(asked)), None))
        } else {
            match safety.take(BudgetKind::Adds, asked) {
                Ok(grant) => Ok((grant.granted, Some(grant.at))),
                Err(e) if e.code() == crate::ErrorCode::BudgetExceeded => Ok((0, None)),
                Err(e) => Err(e),
            }
        };
        let (granted, at, error) = match taken {
            Ok((granted, at)) => (granted as usize, at, safety.exceeded_now(BudgetKind::Adds)),
            // The store failed: no add can be checked, so none is sent.
            Err(e) => (0, None, e),
        };
        // Sorted: looked up by binary search.
        let held = &adds[granted.min(adds.len())..];
        let outcomes = held
            .iter()
            .map(|index| BulkOutcome::failed(*index, &error))
            .collect();
        let batches = batches
            .into_iter()
            .filter_map(|mut batch| {
                if batch.change == ParticipantChange::Add {
                    batch
                        .items
                        .retain(|(index, _)| held.binary_search(index).is_err());
                }
                (!batch.items.is_empty()).then_some(batch)
            })
            .collect();
        (batches, outcomes, at)
    }
}

/// What a dry run says an item would do.
fn would(change: ParticipantChange) -> &'static str {
    match change {
        ParticipantChange::Add => "would add",
        ParticipantChange::Remove => "would remove",
        ParticipantChange::Promote => "would promote",
        ParticipantChange::Demote => "would demote",
    }
}

/// The report of `outcomes`, sorted into the job's order.
fn report(mut outcomes: Vec<BulkOutcome>, throttled: usize, dry_run: bool) -> BulkReport {
    outcomes.sort_unstable_by_key(|o| o.index);
    let succeeded = outcomes.iter().filter(|o| o.ok).count();
    BulkReport {
        succeeded,
        failed: outcomes.len() - succeeded,
        outcomes,
        throttled,
        dry_run,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(group: &str, change: ParticipantChange, p: &str) -> BulkItem {
        BulkItem {
            group: GroupId::new("g", group).unwrap(),
            change,
            participant: p.into(),
        }
    }

    #[test]
    fn batches_follow_group_change_and_size_and_bad_ids_fail_alone() {
        let items = vec![
            item("1@g.us", ParticipantChange::Promote, "5511900000001"),
            item("1@g.us", ParticipantChange::Promote, "5511900000002"),
            item("1@g.us", ParticipantChange::Promote, "5511900000003"),
            item("2@g.us", ParticipantChange::Promote, "5511900000004"),
            item("1@g.us", ParticipantChange::Remove, "5511900000005"),
            item("1@g.us", ParticipantChange::Promote, "not a phone"),
        ];
        let (batches, rejected) = plan(&items, 2);
        let shapes: Vec<(String, usize)> = batches
            .iter()
            .map(|b| (b.group.to_string(), b.items.len()))
            .collect();
        assert_eq!(
            shapes,
            [
                ("1@g.us".into(), 2),
                ("1@g.us".into(), 1),
                ("2@g.us".into(), 1),
                ("1@g.us".into(), 1)
            ]
        );
        assert_eq!(rejected.len(), 1);
        assert_eq!(
            (rejected[0].index, rejected[0].code.as_deref()),
            (5, Some("invalid_input"))
        );
    }
}
