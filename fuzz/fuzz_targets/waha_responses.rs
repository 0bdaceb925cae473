//! Every WAHA response parser, under every declared engine, fed arbitrary responses.
#![no_main]

wa_groups_fuzz::responses_target!("waha_responses", |engine| wa_groups_fuzz::waha(engine));
