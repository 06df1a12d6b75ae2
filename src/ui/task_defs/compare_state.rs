//! The comparison screen's state and its caches: the diff, the aligned rows and the unified
//! text are computed once per pair of inputs; the visible rows once per toggle change.

use crate::model::DiffSide;
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::task_defs::td_diff::{TaskDefDiff, diff};
use crate::model::task_defs::td_diff_rows::{RowStatus, SideBySide, side_by_side};
use crate::model::task_defs::td_normalise::normalise;
use std::collections::BTreeSet;

/// Side by side or unified text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CompareMode {
    /// Old left, new right, aligned by field.
    #[default]
    SideBySide,
    /// A unified text diff of the normalised documents.
    Unified,
}

/// Identifies the inputs a cache was computed for: each side and its data version.
pub type InputKey = ((DiffSide, u64), (DiffSide, u64));

/// What one comparison computes once.
#[derive(Debug)]
pub struct Computed {
    /// The inputs.
    pub key: InputKey,
    /// The semantic diff.
    pub diff: TaskDefDiff,
    /// Aligned rows.
    pub layout: SideBySide,
    /// Unified text diff of the normalised documents.
    pub unified: String,
    /// The diff's one-line summary.
    pub summary: String,
}

impl Computed {
    /// Computes everything for `old` → `new`.
    pub fn new(key: InputKey, old: &TaskDefDocument, new: &TaskDefDocument) -> Self {
        let (a, b) = (normalise(old), normalise(new));
        let pretty = |node: &crate::model::task_defs::td_normalise::Node| {
            let mut text = serde_json::to_string_pretty(&node.to_value()).unwrap_or_default();
            text.push('\n');
            text
        };
        let (old_text, new_text) = (pretty(&a), pretty(&b));
        let unified = similar::TextDiff::from_lines(&old_text, &new_text)
            .unified_diff()
            .context_radius(3)
            .header(&key.0.0.label(), &key.1.0.label())
            .to_string();
        let diff = diff(old, new);
        Self {
            layout: side_by_side(&a, &b),
            summary: diff.summary(),
            diff,
            unified,
            key,
        }
    }
}

/// State of the comparison screen.
#[derive(Debug, Default)]
pub struct CompareView {
    /// Side by side or unified.
    pub mode: CompareMode,
    /// Hide rows that did not change.
    pub only_changes: bool,
    /// Show environment values as dots.
    pub mask_env: bool,
    /// Unchanged sections the user opened.
    pub expanded: BTreeSet<usize>,
    /// The change the user moved to (index into `changes`).
    pub cursor: Option<usize>,
    /// Scroll to this visible row on the next frame.
    pub scroll_to: Option<usize>,
    /// The computed comparison.
    pub computed: Option<Computed>,
    /// Row indices shown, and which of them are changes.
    visible: Vec<usize>,
    changes: Vec<usize>,
    visible_for: Option<(InputKey, bool, BTreeSet<usize>)>,
}

impl CompareView {
    /// Recomputes the comparison when its inputs changed.
    pub fn update(&mut self, key: InputKey, old: &TaskDefDocument, new: &TaskDefDocument) {
        if self.computed.as_ref().is_none_or(|c| c.key != key) {
            let same_pair = self
                .computed
                .as_ref()
                .is_some_and(|c| c.key.0.0 == key.0.0 && c.key.1.0 == key.1.0);
            if !same_pair {
                self.expanded.clear();
                self.cursor = None;
            }
            self.computed = Some(Computed::new(key, old, new));
        }
        self.refresh_visible();
    }

    fn refresh_visible(&mut self) {
        let Some(computed) = &self.computed else {
            return;
        };
        let want = (
            computed.key.clone(),
            self.only_changes,
            self.expanded.clone(),
        );
        if self.visible_for.as_ref() == Some(&want) {
            return;
        }
        self.visible.clear();
        self.changes.clear();
        let layout = &computed.layout;
        for (index, section) in layout.sections.iter().enumerate() {
            let open = section.changed > 0 || self.expanded.contains(&index);
            for row_index in section.rows.clone() {
                let row = &layout.rows[row_index];
                let is_section_header = row_index == section.rows.start;
                let show = if is_section_header {
                    true
                } else if !open {
                    false
                } else {
                    !self.only_changes || row.status != RowStatus::Same
                };
                if show {
                    if !row.header && row.status != RowStatus::Same {
                        self.changes.push(self.visible.len());
                    }
                    self.visible.push(row_index);
                }
            }
        }
        self.visible_for = Some(want);
    }

    /// Rows shown, as indices into `computed.layout.rows`.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// Positions (in `visible`) of the rows that changed.
    pub fn change_positions(&self) -> &[usize] {
        &self.changes
    }

    /// Moves to the next (`forward`) or previous change and scrolls to it.
    pub fn step(&mut self, forward: bool) {
        let count = self.changes.len();
        if count == 0 {
            return;
        }
        let next = match (self.cursor, forward) {
            (None, true) => 0,
            (None, false) => count - 1,
            (Some(c), true) => (c + 1) % count,
            (Some(c), false) => (c + count - 1) % count,
        };
        self.cursor = Some(next);
        self.scroll_to = Some(self.changes[next]);
    }

    /// The visible position of the current change.
    pub fn cursor_position(&self) -> Option<usize> {
        self.cursor.and_then(|c| self.changes.get(c).copied())
    }
}
