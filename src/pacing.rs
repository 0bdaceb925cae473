//! The pacing of a bulk job, shared by [`crate::bulk`] (which runs jobs) and
//! [`crate::client`] (whose request loop waits for each send's slot): the pure [`pacer`] and
//! the job's shared state around it.

pub mod pacer;

use std::cell::{Cell, RefCell};

use crate::error::{Error, ErrorCode, Result};
use crate::http::Transport;
use crate::retry::RATE_LIMITED_MIN_DELAY_MS;

/// The longest server-requested pause a bulk job waits out; a longer one fails the batch.
pub const MAX_PAUSE_MS: u64 = 60_000;

/// One job's pacing, shared by its workers (single-threaded: wasm, or one native task).
pub(crate) struct Pacing {
    pacer: RefCell<pacer::Pacer>,
    rate_limit_retries: u32,
    throttled: Cell<usize>,
}

impl Pacing {
    pub(crate) fn new(requests_per_second: Option<f64>, rate_limit_retries: u32) -> Pacing {
        Pacing {
            pacer: RefCell::new(pacer::Pacer::new(requests_per_second)),
            rate_limit_retries,
            throttled: Cell::new(0),
        }
    }

    /// Rate-limited answers waited out and sent again so far.
    pub(crate) fn throttled(&self) -> usize {
        self.throttled.get()
    }

    /// Waits for this request's slot, and for any pause declared meanwhile.
    pub(crate) async fn wait<T: Transport>(&self, transport: &T) -> Result<()> {
        let wait = self.pacer.borrow_mut().reserve(transport.now_ms());
        if wait > 0 {
            transport.sleep(wait).await?;
        }
        loop {
            let hold = self.pacer.borrow().hold(transport.now_ms());
            if hold == 0 {
                return Ok(());
            }
            transport.sleep(hold).await?;
        }
    }

    /// How long to pause the job before sending again after `error`, when it is a rate
    /// limit (not processed) and retries remain; `None` to let the client's policy decide.
    pub(crate) fn throttle(&self, error: &Error, throttled: u32, random: f64) -> Option<u64> {
        if error.code() != ErrorCode::RateLimited || throttled >= self.rate_limit_retries {
            return None;
        }
        // Without a Retry-After: from the retry policy's floor for rate limits (2 s),
        // doubling, with up to as much again jittered on top.
        let floor = (RATE_LIMITED_MIN_DELAY_MS << throttled.min(5)).min(MAX_PAUSE_MS / 2);
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let wait = error
            .retry_after_ms()
            .unwrap_or(floor + (floor as f64 * random) as u64);
        (wait <= MAX_PAUSE_MS).then(|| {
            self.throttled.set(self.throttled.get() + 1);
            wait
        })
    }

    pub(crate) fn pause(&self, now_ms: f64, ms: u64) {
        self.pacer.borrow_mut().pause(now_ms, ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate_limited(retry_after_ms: Option<u64>) -> Error {
        Error::Status {
            code: ErrorCode::RateLimited,
            status: 500,
            message: "rate-overlimit".into(),
            retry_after_ms,
        }
    }

    #[test]
    fn a_job_rate_limited_without_retry_after_pauses_at_least_two_seconds() {
        let pacing = Pacing::new(None, 10);
        for throttled in 0..10 {
            for random in [0.0, 0.5, 0.999] {
                let wait = pacing
                    .throttle(&rate_limited(None), throttled, random)
                    .unwrap();
                assert!(
                    (2_000..=MAX_PAUSE_MS).contains(&wait),
                    "pause {throttled}, random {random}: {wait} ms"
                );
            }
        }
        // The server's Retry-After still decides when it names one.
        assert_eq!(pacing.throttle(&rate_limited(Some(700)), 0, 0.5), Some(700));
        assert_eq!(
            pacing.throttle(&rate_limited(None), 10, 0.5),
            None,
            "retries used up"
        );
    }
}
