//! The incident view's reasoning: why each task stopped (diagnosis), which stops are one
//! crash loop (crash_loops), which notifications to send (notify), and which stopped tasks the
//! recorder keeps (recorder).

pub mod crash_loops;
pub mod diagnosis;
pub mod notify;
pub mod recorder;

#[cfg(test)]
mod crash_loops_tests;
#[cfg(test)]
mod diagnosis_tests;
#[cfg(test)]
mod notify_tests;
