//! Every Wavy response parser, fed arbitrary responses.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use wa_groups_fuzz::{
    Operation, Tally, at_exit, forced_operation, operations, response, select, wavy,
};

static OPERATIONS: LazyLock<Vec<Operation>> = LazyLock::new(operations);
static FORCED: LazyLock<Option<usize>> = LazyLock::new(|| forced_operation(&OPERATIONS));
static TALLY: LazyLock<Tally> = LazyLock::new(|| {
    at_exit(report);
    Tally::new(&OPERATIONS)
});

extern "C" fn report() {
    eprintln!("wavy_responses per parser: {}", TALLY.report());
}

fuzz_target!(|data: &[u8]| {
    let tally = &*TALLY; // registers the exit report before the first input
    let Some((op, _, resp)) = response(data) else {
        return;
    };
    let index = select(&OPERATIONS, *FORCED, op);
    if (OPERATIONS[index].1)(&wavy(), resp) {
        tally.hit(index);
    }
});
