//! See `ecsdeck_core::invariants::task_def_ref`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ecsdeck_core::invariants::task_def_ref(data));
