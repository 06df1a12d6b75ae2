//! See `ecsdeck_core::invariants::log_severity`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ecsdeck_core::invariants::log_severity(data));
