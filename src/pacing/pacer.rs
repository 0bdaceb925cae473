//! Pacing for bulk jobs: pure, with the clock passed in.
//!
//! Two rules hold for every request of a job, whichever worker sends it:
//! - at most `requests_per_second` start per second, spaced evenly (when a rate is set);
//! - when the server answers "too many requests", nothing is sent until the wait it asked
//!   for (its `Retry-After`, or a backoff) has passed — one pause for the whole job, rather
//!   than each worker learning it on its own and the server seeing a burst of 429s.

/// The pacing state shared by the workers of one bulk job.
#[derive(Debug, Clone, PartialEq)]
pub struct Pacer {
    interval_ms: f64,
    next_slot_ms: f64,
    paused_until_ms: f64,
}

impl Pacer {
    /// A pacer allowing `requests_per_second` (unlimited when `None` or not positive).
    ///
    /// ```
    /// use wa_groups::bulk::pacer::Pacer;
    /// let mut unlimited = Pacer::new(None);
    /// assert_eq!((unlimited.reserve(0.0), unlimited.reserve(0.0)), (0, 0));
    /// ```
    pub fn new(requests_per_second: Option<f64>) -> Pacer {
        let interval_ms = match requests_per_second {
            Some(rate) if rate.is_finite() && rate > 0.0 => 1000.0 / rate,
            _ => 0.0,
        };
        Pacer {
            interval_ms,
            next_slot_ms: f64::NEG_INFINITY,
            paused_until_ms: f64::NEG_INFINITY,
        }
    }

    /// Reserves the next send slot for a request ready at `now_ms`; returns how long to
    /// wait for it, in whole milliseconds.
    ///
    /// ```
    /// use wa_groups::bulk::pacer::Pacer;
    /// let mut pacer = Pacer::new(Some(2.0)); // one request every 500 ms
    /// assert_eq!(pacer.reserve(0.0), 0);
    /// assert_eq!(pacer.reserve(0.0), 500);
    /// assert_eq!(pacer.reserve(100.0), 900);
    /// ```
    pub fn reserve(&mut self, now_ms: f64) -> u64 {
        let slot = now_ms.max(self.next_slot_ms).max(self.paused_until_ms);
        self.next_slot_ms = slot + self.interval_ms;
        wait_until(now_ms, slot)
    }

    /// How much longer a request that already has its slot must wait because of a pause
    /// declared since (0 when none).
    ///
    /// ```
    /// use wa_groups::bulk::pacer::Pacer;
    /// let mut pacer = Pacer::new(None);
    /// assert_eq!(pacer.reserve(0.0), 0);
    /// pacer.pause(0.0, 1_000); // another worker got a 429 meanwhile
    /// assert_eq!(pacer.hold(250.0), 750);
    /// ```
    pub fn hold(&self, now_ms: f64) -> u64 {
        wait_until(now_ms, self.paused_until_ms)
    }

    /// The server asked, at `now_ms`, to wait `ms` before sending again.
    ///
    /// ```
    /// use wa_groups::bulk::pacer::Pacer;
    /// let mut pacer = Pacer::new(None);
    /// pacer.pause(0.0, 1_000);
    /// assert_eq!(pacer.reserve(0.0), 1_000);
    /// ```
    pub fn pause(&mut self, now_ms: f64, ms: u64) {
        self.paused_until_ms = self.paused_until_ms.max(now_ms + ms as f64);
    }
}

fn wait_until(now_ms: f64, at_ms: f64) -> u64 {
    let wait = (at_ms - now_ms).ceil();
    if wait > 0.0 { wait as u64 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_rate_nothing_waits() {
        let mut pacer = Pacer::new(None);
        assert_eq!([0.0, 0.0, 0.0].map(|t| pacer.reserve(t)), [0, 0, 0]);
        assert_eq!(Pacer::new(Some(0.0)), Pacer::new(None));
        assert_eq!(Pacer::new(Some(f64::NAN)), Pacer::new(None));
    }

    #[test]
    fn a_rate_spaces_requests_evenly_from_the_first() {
        // 50 per second: one every 20 ms, however many workers ask at once.
        let mut pacer = Pacer::new(Some(50.0));
        let waits: Vec<u64> = (0..5).map(|_| pacer.reserve(1_000.0)).collect();
        assert_eq!(waits, [0, 20, 40, 60, 80]);
        // A request ready after its slot went by waits for nothing, and does not bank the
        // unused time: the one after it is still 20 ms later.
        assert_eq!(pacer.reserve(2_000.0), 0);
        assert_eq!(pacer.reserve(2_000.0), 20);
    }

    #[test]
    fn a_rate_never_lets_more_than_its_count_start_in_any_second() {
        let mut pacer = Pacer::new(Some(50.0));
        let mut starts = Vec::new();
        let mut now = 0.0;
        for i in 0..500 {
            // Workers ask at irregular times; each starts when its wait is over.
            now += f64::from(i % 7) * 3.0;
            starts.push(now + pacer.reserve(now) as f64);
        }
        starts.sort_by(f64::total_cmp);
        for (i, first) in starts.iter().enumerate() {
            let in_window = starts[i..]
                .iter()
                .take_while(|t| **t < first + 1000.0)
                .count();
            assert!(
                in_window <= 50,
                "{in_window} starts in the second from {first}"
            );
        }
    }

    #[test]
    fn a_pause_holds_everyone_until_it_ends() {
        let mut pacer = Pacer::new(None);
        assert_eq!(pacer.reserve(100.0), 0);
        pacer.pause(100.0, 1_000);
        // A request that got its slot before the pause is held too.
        assert_eq!(pacer.hold(350.0), 750);
        assert_eq!(pacer.reserve(350.0), 750);
        assert_eq!(pacer.reserve(1_100.0), 0);
        assert_eq!(pacer.hold(1_100.0), 0);
        // A shorter pause does not cut a longer one short.
        pacer.pause(1_200.0, 2_000);
        pacer.pause(1_300.0, 10);
        assert_eq!(pacer.hold(1_300.0), 1_900);
    }

    #[test]
    fn after_a_pause_a_rate_still_spaces_requests() {
        let mut pacer = Pacer::new(Some(10.0));
        pacer.pause(0.0, 500);
        assert_eq!([0.0, 0.0, 0.0].map(|t| pacer.reserve(t)), [500, 600, 700]);
    }
}
