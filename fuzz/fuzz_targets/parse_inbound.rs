//! `parse_inbound` (what `parseInbound` runs in JS) for every provider, and the webhook
//! signature check, on arbitrary payloads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wa_groups::events::{parse_inbound, verify_webhook};
use wa_groups::provider::ProviderKind;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, payload)) = data.split_first() else {
        return;
    };
    let provider = match selector % 3 {
        0 => ProviderKind::Waha,
        1 => ProviderKind::Wavy,
        _ => ProviderKind::Evolution,
    };
    match parse_inbound(provider, payload) {
        Ok(events) => {
            let _ = format!("{events:?}");
        }
        Err(error) => {
            let _ = format!("{error} {:?}", error.code());
        }
    }
    // The signature is attacker-supplied text too: any string must be handled.
    let signature = String::from_utf8_lossy(&payload[..payload.len().min(140)]);
    assert!(!verify_webhook(b"secret", payload, &signature) || signature.trim().len() == 128);
});
