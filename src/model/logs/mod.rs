//! Log tails: the ring buffer, merging, polling state, filtering, sources, severity and
//! export of lines.

pub mod buffer;
pub mod export;
pub mod filter;
pub mod merge;
pub mod poll;
pub mod source;
pub mod tail;

pub use ecsdeck_core::log_severity as severity;
