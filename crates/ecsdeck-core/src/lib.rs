//! ECS Deck's parsing and comparison logic, free of I/O and of any UI or AWS SDK: task
//! definitions (parse, validate, lint, normalise, diff, render), log-line severity and
//! task-definition references. Its own crate so fuzz targets build it alone, in seconds.

pub mod invariants;
pub mod log_severity;
pub mod task_def;
pub mod task_def_lint;
pub mod task_def_ref;
pub mod task_def_validate;
pub mod td_diff;
pub mod td_diff_render;
pub mod td_diff_rows;
pub mod td_normalise;
pub mod untrusted_text;
