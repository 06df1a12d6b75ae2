//! The invariants the fuzz targets (`fuzz/`) check on arbitrary bytes, and their regression
//! tests replay: each function panics when one does not hold, so libFuzzer keeps the input.

use crate::log_severity::{detect, level_word};
use crate::task_def::TaskDefDocument;
use crate::task_def_lint::lint;
use crate::task_def_ref::TaskDefRef;
use crate::task_def_validate::validate;
use crate::td_diff::diff;
use crate::td_diff_render::{to_json, to_markdown, to_text};
use crate::td_diff_rows::side_by_side;
use crate::td_normalise::normalise;

/// Separates the two definitions of one input (ASCII record separator); without one, the
/// input is compared with itself.
pub const PAIR_SEPARATOR: char = '\u{1e}';

/// Parse → validate → lint → normalise → diff → render never panics; a definition written
/// out parses back to itself and equals itself; a diff renders to a JSON object.
pub fn task_def_pipeline(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once(PAIR_SEPARATOR).unwrap_or((&text, &text));
    let (Ok(old), new) = (TaskDefDocument::parse(a), TaskDefDocument::parse(b)) else {
        return;
    };
    let _ = validate(&old);
    let _ = lint(&old);
    let _ = old.register_input();
    let again = TaskDefDocument::parse(&old.to_pretty_json());
    assert_eq!(
        again.as_ref().map(TaskDefDocument::as_map),
        Ok(old.as_map()),
        "a definition written out parses back to itself"
    );
    assert!(diff(&old, &old).is_empty(), "a definition equals itself");
    let Ok(new) = new else {
        return;
    };
    let changes = diff(&old, &new);
    let _ = side_by_side(&normalise(&old), &normalise(&new));
    let _ = to_text(&changes, "a → b", true);
    let _ = to_markdown(&changes, "a → b", false);
    assert!(to_json(&changes, "a", "b", true).is_object());
}

/// Severity detection takes any line, and any word.
pub fn log_severity(data: &[u8]) {
    let line = String::from_utf8_lossy(data);
    let _ = detect(&line);
    for word in data.split(|b| !b.is_ascii_alphabetic()) {
        let _ = level_word(word);
    }
}

/// A reference is refused or written out to one that parses back the same.
pub fn task_def_ref(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(reference) = TaskDefRef::parse(&text) {
        assert_eq!(TaskDefRef::parse(&reference.to_string()), Ok(reference));
    }
}

#[cfg(test)]
mod tests;
