//! Task definitions: the documents and their comparison (from `ecsdeck-core`), the
//! editor, drafts and revision lists.

pub mod draft;
pub mod editor;
pub mod family_overview;
pub mod history;
pub mod new_image;
pub mod revisions;

pub use ecsdeck_core::{
    task_def, task_def_lint, task_def_ref, task_def_validate, td_diff, td_diff_render,
    td_diff_rows, td_normalise,
};
