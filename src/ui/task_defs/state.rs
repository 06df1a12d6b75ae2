//! The task-definition screens' local state: table states, open drafts, dialogs, and the file
//! requests the app hands to the file thread.

use super::FamilyFilter;
use super::fields::FormFinding;
use crate::model::task_defs::draft::{Draft, new_id};
use crate::model::task_defs::editor::{Editor, EditorMode};
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::{Action, Route};
use crate::ui::widgets::table::TableState;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Instant, SystemTime};

/// Disk work asked for by the UI; the app passes it to the file thread.
#[derive(Debug, PartialEq)]
pub enum FileRequest {
    /// Read a JSON file: into a new draft, or into an open one.
    Import {
        /// The file.
        path: PathBuf,
        /// The draft to replace the text of; None makes a new draft.
        into: Option<String>,
    },
    /// Write a draft's JSON to a file.
    Export {
        /// The file.
        path: PathBuf,
        /// The JSON text.
        text: String,
    },
    /// Delete a draft file.
    Delete(String),
    /// Read the action journal.
    ReadJournal,
}

/// A confirmation dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dialog {
    /// Review the diff and register a draft.
    Register(String),
    /// Confirm deregistering a revision.
    Deregister(String),
    /// Confirm discarding a draft.
    Discard(String),
}

/// An open draft with its save bookkeeping.
#[derive(Debug)]
pub struct EditorSlot {
    /// The editor.
    pub editor: Editor,
    /// `editor.edits()` when it was last handed to the file thread.
    pub saved_edits: u64,
    /// When it was last handed over.
    pub last_save: Option<Instant>,
    /// Why the last save failed, if it did.
    pub save_error: Option<String>,
    findings: Option<(u64, Rc<Vec<FormFinding>>)>,
}

impl EditorSlot {
    /// An editor not saved yet (a new draft is written on its first save tick).
    pub fn new(editor: Editor, saved: bool) -> Self {
        Self {
            saved_edits: if saved { editor.edits() } else { u64::MAX },
            editor,
            last_save: None,
            save_error: None,
            findings: None,
        }
    }

    /// Errors and warnings as the form shows them, rebuilt only after an edit.
    pub fn findings(&mut self) -> Rc<Vec<FormFinding>> {
        let edits = self.editor.edits();
        if self.findings.as_ref().is_none_or(|(at, _)| *at != edits) {
            let list = self
                .editor
                .errors()
                .iter()
                .map(|f| (true, f.path.clone(), f.message.clone()))
                .chain(
                    self.editor
                        .warnings()
                        .iter()
                        .map(|f| (false, f.path.clone(), f.message.clone())),
                )
                .collect();
            self.findings = Some((edits, Rc::new(list)));
        }
        self.findings
            .as_ref()
            .map_or_else(Rc::default, |(_, list)| Rc::clone(list))
    }

    /// True when the draft has changes not yet handed to the file thread.
    pub fn is_dirty(&self) -> bool {
        self.saved_edits != self.editor.edits()
    }
}

/// What the register dialog's diffs were computed for: draft id, edit count, and whether
/// environment values are shown.
pub type RegisterDiffKey = (String, u64, bool);

/// State of the task-definition screens.
#[derive(Debug, Default)]
pub struct TaskDefsView {
    /// The families table.
    pub families: TableState,
    /// The revisions table.
    pub revisions: TableState,
    /// The revisions ticked for comparing (ARNs, at most two).
    pub compare_marks: Vec<String>,
    /// Which families are listed.
    pub family_filter: FamilyFilter,
    /// Families under the filter, cached per (data version, filter).
    pub filtered: Vec<super::families::FamilyRow>,
    /// What `filtered` was computed for: (list version, overview version, filter).
    pub filtered_for: Option<(u64, u64, FamilyFilter)>,
    /// Open drafts by id.
    pub editors: BTreeMap<String, EditorSlot>,
    /// Drafts found at start-up that the user has not restored or discarded yet.
    pub restorable: Vec<Draft>,
    /// Disk work for the app to start.
    pub file_requests: Vec<FileRequest>,
    /// The dialog shown, if any.
    pub dialog: Option<Dialog>,
    /// A message from the last file operation: (is error, text).
    pub notice: Option<(bool, String)>,
    /// Form or JSON on the read-only revision page.
    pub revision_mode: EditorMode,
    /// The import path typed on the families page.
    pub import_path: String,
    /// The export path typed in the editor.
    pub export_path: String,
    /// The revision typed in "Compare with".
    pub compare_with: String,
    /// The register dialog's semantic and text diffs, per draft, edit count and whether
    /// environment values are shown.
    pub diff_cache: Option<(RegisterDiffKey, (String, String))>,
    /// The revision page's JSON and findings.
    pub revision_cache: RevisionCache,
    /// Imports in flight: file → the draft to fill (None: a new draft).
    pub pending_imports: std::collections::HashMap<PathBuf, Option<String>>,
}

impl TaskDefsView {
    /// Opens `draft` in the editor and goes there.
    pub fn open_draft(&mut self, draft: Draft, actions: &mut Vec<Action>) {
        let editor = Editor::open(draft);
        let route = Route::Draft {
            id: editor.draft.id.clone(),
            family: editor.doc().family().map(str::to_owned),
        };
        self.editors
            .insert(editor.draft.id.clone(), EditorSlot::new(editor, true));
        actions.push(Action::Navigate(route));
    }

    /// A new draft of `base` (a registered revision), opened in the editor.
    pub fn edit_revision(
        &mut self,
        base: &TaskDefDocument,
        source: &str,
        now: SystemTime,
        actions: &mut Vec<Action>,
    ) {
        let family = base.family().unwrap_or("draft");
        let editor = Editor::from_revision(new_id(family, now), base, source.to_owned());
        self.insert_new(editor, actions);
    }

    /// A new draft from text (a paste or an imported file).
    pub fn new_draft_from_text(
        &mut self,
        text: String,
        source: &str,
        now: SystemTime,
        actions: &mut Vec<Action>,
    ) {
        let family = TaskDefDocument::parse(&text)
            .ok()
            .and_then(|d| d.family().map(str::to_owned))
            .unwrap_or_else(|| "imported".to_owned());
        let editor = Editor::open(Draft {
            id: new_id(&family, now),
            text,
            source: source.to_owned(),
            ..Draft::default()
        });
        self.insert_new(editor, actions);
    }

    /// An empty draft with one container, to fill in or paste into.
    pub fn new_blank_draft(&mut self, source: &str, now: SystemTime, actions: &mut Vec<Action>) {
        let text = serde_json::to_string_pretty(&serde_json::json!({
            "family": "",
            "containerDefinitions": [{"name": "app", "image": "", "essential": true}]
        }))
        .unwrap_or_default();
        let editor = Editor::open(Draft {
            id: new_id("new", now),
            text,
            source: source.to_owned(),
            ..Draft::default()
        });
        self.insert_new(editor, actions);
    }

    fn insert_new(&mut self, mut editor: Editor, actions: &mut Vec<Action>) {
        // Make sure two drafts made in the same millisecond do not share a file.
        while self.editors.contains_key(&editor.draft.id) {
            editor.draft.id.push('x');
        }
        let route = Route::Draft {
            id: editor.draft.id.clone(),
            family: editor.doc().family().map(str::to_owned),
        };
        self.editors
            .insert(editor.draft.id.clone(), EditorSlot::new(editor, false));
        actions.push(Action::Navigate(route));
    }

    /// Closes and deletes a draft.
    pub fn discard(&mut self, id: &str) {
        self.editors.remove(id);
        self.file_requests.push(FileRequest::Delete(id.to_owned()));
    }
}

/// The JSON and findings of the revision on screen, computed once per fetched version.
#[derive(Debug, Default)]
pub struct RevisionCache {
    key: Option<(String, u64)>,
    json: String,
    findings: Vec<super::fields::FormFinding>,
}

impl RevisionCache {
    /// Recomputes for `doc` when `key` (ARN, fetched version) is not the one cached.
    pub fn refresh(
        &mut self,
        key: (String, u64),
        doc: &crate::model::task_defs::task_def::TaskDefDocument,
    ) {
        if self.key.as_ref() != Some(&key) {
            self.json = doc.to_pretty_json();
            self.findings = super::fields::findings_of(doc);
            self.key = Some(key);
        }
    }

    /// The document as pretty JSON.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// What validation and lint found.
    pub fn findings(&self) -> &[super::fields::FormFinding] {
        &self.findings
    }
}
