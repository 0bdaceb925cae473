//! `Retry-After` (seconds or HTTP date) and the response helpers that read headers and
//! bodies into error messages.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wa_groups::http::HttpResponse;
use wa_groups::retry::{parse_http_date_ms, parse_retry_after};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let now = 1_700_000_000_000;
    let _ = parse_retry_after(&text, Some(now));
    let _ = parse_retry_after(&text, None);
    let _ = parse_http_date_ms(&text);
    let mut resp = HttpResponse::new(429, data.to_vec());
    resp.headers
        .push(("retry-after".into(), text.clone().into_owned()));
    let _ = resp.retry_after_ms();
    let excerpt = resp.text_excerpt();
    assert!(excerpt.chars().count() <= 200, "the excerpt is bounded");
});
