//! Every Wavy response parser, fed arbitrary responses.
#![no_main]

wa_groups_fuzz::responses_target!("wavy_responses", |_| wa_groups_fuzz::wavy());
