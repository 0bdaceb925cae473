//! Every Evolution API response parser, fed arbitrary responses.
#![no_main]

wa_groups_fuzz::responses_target!("evolution_responses", |_| wa_groups_fuzz::evolution());
