//! The incident view's reasoning: why each task stopped (diagnosis), which stops are one
//! crash loop (crash_loops), which notifications to send (notify), which stopped tasks the
//! recorder keeps (recorder), and the timeline built from what AWS says (sources → build →
//! timeline, with facts and error counts feeding it).

pub mod build;
pub mod crash_loops;
pub mod diagnosis;
pub mod error_counts;
pub mod export;
pub mod facts;
pub mod notice_candidates;
pub mod notify;
pub mod range_logs;
pub mod recorder;
pub mod report;
pub mod sources;
pub mod stages_seen;
pub mod timeline;

#[cfg(test)]
mod build_tests;
#[cfg(test)]
mod crash_loops_tests;
#[cfg(test)]
mod diagnosis_tests;
#[cfg(test)]
mod notice_candidates_tests;
#[cfg(test)]
mod notify_tests;
