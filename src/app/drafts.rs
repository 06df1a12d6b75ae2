//! The app's side of task-definition drafts: open them, save changed ones through the file
//! thread, apply its answers (drafts found at start-up, saves, imports, exports), and close a
//! draft once it is registered.

use super::App;
use crate::jobs::drafts::FileEvent;
use crate::model::changes::journal::JournalEntry;
use crate::model::{Action, MutationKind};
use crate::ui::task_defs::state::FileRequest;
use std::time::{Duration, Instant, SystemTime};

/// A changed draft is saved at most this often, so every edit is on disk within a second.
const DRAFT_SAVE_INTERVAL: Duration = Duration::from_millis(400);

impl App {
    /// Opens `draft` in the editor (benchmarks; drafts restored at start-up go through the banner).
    pub fn open_draft(&mut self, draft: crate::model::task_defs::draft::Draft) {
        let mut actions = Vec::new();
        self.view.task_defs.open_draft(draft, &mut actions);
        for action in actions {
            self.apply(action);
        }
    }

    /// File-thread events: drafts found at start-up, saves, imports, exports.
    pub(crate) fn drain_file_events(&mut self, actions: &mut Vec<Action>) {
        let Some(store) = &self.drafts else {
            return;
        };
        let now = self.now();
        let source = self.model.connection.source_label();
        let td = &mut self.view.task_defs;
        while let Some(event) = store.try_recv() {
            match event {
                FileEvent::Listed { drafts, unreadable } => {
                    td.restorable = drafts
                        .into_iter()
                        .filter(|d| !td.editors.contains_key(&d.id))
                        .collect();
                    if !unreadable.is_empty() {
                        td.notice = Some((
                            true,
                            format!(
                                "Some drafts could not be read and were left in place: {}",
                                unreadable.join("; ")
                            ),
                        ));
                    }
                }
                FileEvent::Saved { id, result } => {
                    if let Some(slot) = td.editors.get_mut(&id) {
                        match result {
                            // The app's clock, not the file thread's: ages are shown against it.
                            Ok(_) => {
                                slot.editor.draft.saved_at = Some(now);
                                slot.save_error = None;
                            }
                            Err(e) => slot.save_error = Some(e),
                        }
                    }
                }
                FileEvent::Imported { path, result } => match result {
                    Ok(text) => {
                        let into = td.pending_imports.remove(&path).flatten();
                        match into.and_then(|id| td.editors.get_mut(&id)) {
                            Some(slot) => slot.editor.set_json_text(text),
                            None => td.new_draft_from_text(text, &source, now, actions),
                        }
                        td.notice = Some((false, format!("Imported {}", path.display())));
                    }
                    Err(e) => td.notice = Some((true, e)),
                },
                FileEvent::Journal(entries) => self.view.journal.set(entries),
                FileEvent::JournalFailed(why) => actions.push(Action::WriteFailed(Some(why))),
                FileEvent::SettingsFailed(why) => {
                    // Written again at the next save, changed or not.
                    self.saved_settings = None;
                    actions.push(Action::WriteFailed(Some(why)));
                }
                FileEvent::Exported { path, result } => {
                    td.notice = Some(match result {
                        Ok(()) => (false, format!("Exported to {}", path.display())),
                        Err(e) => (true, e),
                    });
                }
                FileEvent::StoppedTasks(result) => {
                    if let Err(why) = &result {
                        actions.push(Action::WriteFailed(Some(why.clone())));
                    }
                    let from_file = result.as_ref().cloned().unwrap_or_default();
                    self.recorder.loaded(result);
                    actions.push(Action::StoppedTasksRecorded(from_file));
                }
                FileEvent::RecordFailed(why) => actions.push(Action::WriteFailed(Some(why))),
            }
        }
    }

    /// Hands the UI's file requests to the file thread and saves changed drafts.
    pub(crate) fn run_file_work(&mut self, ctx: &egui::Context) {
        let td = &mut self.view.task_defs;
        // A JSON file dropped on the window opens as a new draft.
        let dropped: Vec<std::path::PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        for path in dropped {
            td.file_requests
                .push(FileRequest::Import { path, into: None });
        }
        let requests: Vec<FileRequest> = td.file_requests.drain(..).collect();
        let Some(store) = &self.drafts else {
            return;
        };
        for request in requests {
            match request {
                FileRequest::Import { path, into } => {
                    td.pending_imports.insert(path.clone(), into);
                    store.import(path);
                }
                FileRequest::Export { path, text } => store.export(path, text),
                FileRequest::Delete(id) => store.delete(&id),
                FileRequest::ReadJournal => store.read_journal(),
            }
        }
        let mut dirty = false;
        for slot in td.editors.values_mut() {
            if !slot.is_dirty() {
                continue;
            }
            let due = slot
                .last_save
                .is_none_or(|t| t.elapsed() >= DRAFT_SAVE_INTERVAL);
            if due {
                store.save(slot.editor.to_draft());
                slot.saved_edits = slot.editor.edits();
                slot.last_save = Some(Instant::now());
            } else {
                dirty = true;
            }
        }
        if dirty {
            ctx.request_repaint_after(DRAFT_SAVE_INTERVAL);
        }
    }

    /// Hands every draft with unsaved edits to the file thread now, whatever the interval
    /// (on exit: the last 400 ms of typing must not be lost).
    pub(crate) fn save_dirty_drafts_now(&mut self) {
        let Some(store) = &self.drafts else {
            return;
        };
        for slot in self.view.task_defs.editors.values_mut() {
            if slot.is_dirty() {
                store.save(slot.editor.to_draft());
                slot.saved_edits = slot.editor.edits();
                slot.last_save = Some(Instant::now());
            }
        }
    }

    /// A registered draft is done: close it and delete its file.
    pub(crate) fn apply_outcome(&mut self) {
        let Some(outcome) = &self.model.outcome else {
            return;
        };
        // By the change's id: two identical changes in a row are two entries.
        if self.handled_outcome == Some(outcome.id) {
            return;
        }
        self.handled_outcome = Some(outcome.id);
        if outcome.sent
            && let Some(store) = &self.drafts
        {
            let now = self.clock.unwrap_or_else(SystemTime::now);
            store.append_journal(JournalEntry::of(outcome, now));
            self.view.journal.invalidate();
        }
        if let (MutationKind::Register { draft_id }, Ok(_)) = (&outcome.kind, &outcome.result) {
            let id = draft_id.clone();
            self.view.task_defs.discard(&id);
            if self.view.task_defs.dialog.is_some() {
                self.view.task_defs.dialog = None;
            }
        }
    }
}
