//! The panel's transport: `fetch`, and one reuse. A page may read the same thing twice in a
//! moment: the group page reads the group, then its settings card reads the group again
//! (WAHA keeps the settings in the group). So a successful GET is answered once more from
//! memory if asked again within [`KEEP_MS`]; any other request (a change) forgets
//! everything kept, so what a change affects is always read again from the server.

use std::cell::{Cell, RefCell};

use wa_groups::Result;
use wa_groups::http::{HttpRequest, HttpResponse, Method, Transport};
use wa_groups::transport::FetchTransport;

/// How long a GET's answer may be reused.
const KEEP_MS: f64 = 1_000.0;

/// Bodies larger than this are not kept (whole-account listings are not read twice).
const KEEP_MAX_BYTES: usize = 1 << 20;

struct Kept {
    url: String,
    at: f64,
    response: HttpResponse,
}

#[derive(Default)]
pub struct PanelTransport {
    inner: FetchTransport,
    kept: RefCell<Vec<Kept>>,
    /// Bumped by every change, so an answer to a GET sent before it is not kept.
    changes: Cell<u32>,
}

impl Transport for PanelTransport {
    async fn send(&self, base_url: &str, request: HttpRequest) -> Result<HttpResponse> {
        if request.method != Method::Get {
            self.changes.set(self.changes.get().wrapping_add(1));
            self.kept.borrow_mut().clear();
            return self.inner.send(base_url, request).await;
        }
        let url = request.url(base_url);
        {
            let now = self.now_ms();
            let mut kept = self.kept.borrow_mut();
            kept.retain(|k| now - k.at < KEEP_MS);
            if let Some(i) = kept.iter().position(|k| k.url == url) {
                return Ok(kept.swap_remove(i).response);
            }
        }
        let changes = self.changes.get();
        let response = self.inner.send(base_url, request).await?;
        if response.is_success()
            && response.body.len() <= KEEP_MAX_BYTES
            && self.changes.get() == changes
        {
            self.kept.borrow_mut().push(Kept {
                url,
                at: self.now_ms(),
                response: response.clone(),
            });
        }
        Ok(response)
    }

    async fn sleep(&self, ms: u64) -> Result<()> {
        self.inner.sleep(ms).await
    }

    fn random(&self) -> f64 {
        self.inner.random()
    }

    fn now_ms(&self) -> f64 {
        self.inner.now_ms()
    }
}
