//! The safety budget in the panel's words, and its settings (pure; tested natively).
//!
//! The panel turns the budget **on by default**. No safe number is published (research
//! `user-needs.md` §4): people report bans after about 150 adds even with random delays
//! (Baileys #2334), after a single create (whatsmeow #413, wwebjs #305) and
//! `account_reachout_restricted` after joining many groups by invite (Baileys #2638). The
//! defaults stay well under those reports: 50 adds, 10 creates and 20 joins per 24 hours.

use serde::{Deserialize, Serialize};
use wa_groups::safety::{BudgetLine, SafetyLimits};

/// An add of more people than this at once asks for confirmation first.
pub const LARGE_ADD: usize = 20;

/// The panel's budget settings, kept in localStorage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelSafety {
    /// Whether the budget is on.
    pub on: bool,
    /// People added per 24 hours.
    pub adds: u32,
    /// Groups created per 24 hours.
    pub creates: u32,
    /// Groups joined per 24 hours.
    pub joins: u32,
}

impl Default for PanelSafety {
    fn default() -> PanelSafety {
        PanelSafety {
            on: true,
            adds: 50,
            creates: 10,
            joins: 20,
        }
    }
}

impl PanelSafety {
    /// The limits for the core; `None` when the budget is off.
    pub fn limits(&self) -> Option<SafetyLimits> {
        self.on.then_some(SafetyLimits {
            adds_per_day: Some(self.adds),
            creates_per_day: Some(self.creates),
            joins_per_day: Some(self.joins),
        })
    }
}

/// A limit typed in the settings: a whole number from 0 to 10,000.
pub fn parse_limit(what: &str, text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= 10_000)
        .ok_or_else(|| format!("{what} must be a whole number from 0 to 10000"))
}

/// "38 adds left today", or, when none is left, when the next frees (`at`: the local time
/// of `refills_at`, already formatted).
pub fn budget_words(noun: &str, line: &BudgetLine, at: Option<&str>) -> String {
    match (line.left, at) {
        (0, Some(at)) => format!(
            "No {noun} left today (limit {}); the next frees at {at}",
            line.limit
        ),
        (0, None) => format!("No {noun} left today (limit {})", line.limit),
        (1, _) => format!("1 {} left today", singular(noun)),
        (n, _) => format!("{n} {noun} left today"),
    }
}

fn singular(noun: &str) -> &str {
    match noun {
        "adds" => "add",
        "creates" => "create",
        "joins" => "join",
        other => other,
    }
}

/// The question before adding many people at once.
pub fn large_add_question(n: usize, left: Option<u32>) -> String {
    let left = left.map_or(String::new(), |l| format!(" ({l} adds left today)"));
    format!(
        "Add {n} people at once{left}? WhatsApp restricts accounts that add many people, \
         above all people who do not have the account in their contacts. Sharing the invite \
         link is safer."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(limit: u32, used: u32) -> BudgetLine {
        serde_json::from_value(serde_json::json!({
            "limit": limit, "used": used, "left": limit.saturating_sub(used)
        }))
        .unwrap()
    }

    #[test]
    fn the_budget_is_said_in_words() {
        assert_eq!(
            budget_words("adds", &line(50, 12), None),
            "38 adds left today"
        );
        assert_eq!(
            budget_words("joins", &line(20, 19), None),
            "1 join left today"
        );
        assert_eq!(
            budget_words("creates", &line(10, 10), Some("14:05")),
            "No creates left today (limit 10); the next frees at 14:05"
        );
    }

    #[test]
    fn on_by_default_with_the_documented_limits() {
        let limits = PanelSafety::default().limits().unwrap();
        assert_eq!(
            (
                limits.adds_per_day,
                limits.creates_per_day,
                limits.joins_per_day
            ),
            (Some(50), Some(10), Some(20))
        );
        let off = PanelSafety {
            on: false,
            ..Default::default()
        };
        assert!(off.limits().is_none());
    }

    #[test]
    fn limits_are_whole_numbers_in_range() {
        assert_eq!(parse_limit("Adds", " 30 "), Ok(30));
        for bad in ["", "-1", "2.5", "10001", "lots"] {
            assert!(parse_limit("Adds", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_large_add_asks_first_saying_what_is_left() {
        let q = large_add_question(25, Some(40));
        assert!(
            q.starts_with("Add 25 people at once (40 adds left today)?"),
            "{q}"
        );
    }
}
