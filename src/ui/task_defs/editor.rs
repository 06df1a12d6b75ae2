//! The draft editor: form and JSON views of one document, its findings, and the actions that
//! take it further (register, copy as CLI, export, import, discard).

use super::fields::Edit;
use super::form::task_def_form_ui;
use super::state::{Dialog, EditorSlot, FileRequest, TaskDefsView};
use crate::model::task_defs::editor::{EditorMode, aws_error_path, register_cli_command};
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::time_format::age;
use crate::model::{Action, Model, MutationKind};
use crate::ui::widgets::error_box_ui;
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};
use std::time::SystemTime;

/// The editor page for draft `id`.
pub fn editor_ui(
    model: &Model,
    view: &mut TaskDefsView,
    id: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    let Some(slot) = view.editors.get_mut(id) else {
        ui.label("This draft is not open (it was registered or discarded).");
        if ui.button("Task definitions").clicked() {
            actions.push(Action::Navigate(crate::model::Route::TaskDefinitions));
        }
        return;
    };
    header_ui(model, slot, ui, now);
    let mut dialog = None;
    let mut requests = Vec::new();
    toolbar_ui(
        model,
        slot,
        &mut view.export_path,
        ui,
        &mut dialog,
        &mut requests,
        actions,
    );
    // While the register dialog is open it shows the error itself.
    if let Some(outcome) = &model.outcome
        && view.dialog.is_none()
        && outcome.kind
            == (MutationKind::Register {
                draft_id: id.to_owned(),
            })
        && let Err(error) = &outcome.result
    {
        error_box_ui(ui, error);
    }
    ui.separator();
    let mut findings = slot.findings();
    // A rejected register names a field: show AWS's message there too.
    if let Some(outcome) = &model.outcome
        && outcome.kind
            == (MutationKind::Register {
                draft_id: id.to_owned(),
            })
        && let Err(error) = &outcome.result
        && let Some(path) = aws_error_path(slot.editor.doc(), &error.message)
    {
        let message = format!("AWS {}: {}", error.code, error.message);
        std::rc::Rc::make_mut(&mut findings).insert(0, (true, path, message));
    }
    egui::Panel::right("editor-findings")
        .default_size(300.0)
        .resizable(true)
        .show(ui, |ui| findings_panel_ui(ui, slot.editor.doc(), &findings));
    egui::CentralPanel::no_frame().show(ui, |ui| match slot.editor.mode {
        EditorMode::Form => form_view_ui(slot, &findings, ui),
        EditorMode::Json => json_view_ui(slot, ui),
    });
    if dialog.is_some() {
        view.dialog = dialog;
    }
    view.file_requests.extend(requests);
}

fn header_ui(model: &Model, slot: &EditorSlot, ui: &mut Ui, now: SystemTime) {
    let editor = &slot.editor;
    ui.horizontal(|ui| {
        let family = editor.doc().family().unwrap_or("(no family)");
        ui.label(RichText::new(format!("Draft of {family}")).strong().size(16.0));
        let base = editor
            .draft
            .base_arn
            .as_deref()
            .map(crate::model::task_defs::revisions::family_revision)
            .unwrap_or("a new task definition");
        ui.label(RichText::new(format!("based on {base}")).weak());
        let saved = if let Some(error) = &slot.save_error {
            RichText::new(format!("not saved: {error}")).color(Tone::Bad.color(ui.visuals().dark_mode))
        } else if slot.is_dirty() {
            RichText::new("saving…").weak()
        } else {
            let when = editor
                .draft
                .saved_at
                .map_or_else(|| "saved".to_owned(), |t| format!("saved {} ago", age(t, now)));
            RichText::new(when).weak()
        };
        ui.label(saved);
        if editor.draft.source != model.connection.source_label() && !editor.draft.source.is_empty() {
            ui.label(
                RichText::new(format!("made on {}", editor.draft.source))
                    .color(Tone::Warn.color(ui.visuals().dark_mode)),
            )
            .on_hover_text("This draft was started on another profile or region; it registers on the current one.");
        }
    });
}

fn toolbar_ui(
    model: &Model,
    slot: &mut EditorSlot,
    export_path: &mut String,
    ui: &mut Ui,
    dialog: &mut Option<Dialog>,
    requests: &mut Vec<FileRequest>,
    actions: &mut Vec<Action>,
) {
    let id = slot.editor.draft.id.clone();
    ui.horizontal(|ui| {
        ui.selectable_value(&mut slot.editor.mode, EditorMode::Form, "Form");
        ui.selectable_value(&mut slot.editor.mode, EditorMode::Json, "JSON");
        ui.separator();
        let input = slot.editor.register_input();
        let why_not = if model.read_only() {
            Some("Read-only mode is on".to_owned())
        } else if model.mutation.is_some() {
            Some("Another change is in flight".to_owned())
        } else {
            input.as_ref().err().cloned()
        };
        let response = ui.add_enabled(
            why_not.is_none(),
            egui::Button::new("Register as new revision…"),
        );
        let response = match &why_not {
            Some(why) => response.on_disabled_hover_text(why),
            None => response.on_hover_text("Review the changes, then register"),
        };
        if response.clicked() {
            *dialog = Some(Dialog::Register(id.clone()));
        }
        if ui
            .add_enabled(input.is_ok(), egui::Button::new("Copy as AWS CLI"))
            .on_hover_text("aws ecs register-task-definition --cli-input-json …")
            .clicked()
            && let Ok(input) = &input
        {
            ui.ctx()
                .copy_text(register_cli_command(input, &model.connection));
        }
        ui.separator();
        let label = ui.label("File").id;
        ui.add(
            egui::TextEdit::singleline(export_path)
                .hint_text("file path")
                .desired_width(180.0),
        )
        .labelled_by(label)
        .on_hover_text("Export or import file");
        let has_path = !export_path.trim().is_empty();
        if ui
            .add_enabled(has_path, egui::Button::new("Export"))
            .on_hover_text("Write the JSON to this file")
            .clicked()
        {
            requests.push(FileRequest::Export {
                path: export_path.trim().into(),
                text: slot.editor.json_text().to_owned(),
            });
        }
        if ui
            .add_enabled(has_path, egui::Button::new("Import"))
            .on_hover_text("Replace this draft's JSON with the file's")
            .clicked()
        {
            requests.push(FileRequest::Import {
                path: export_path.trim().into(),
                into: Some(id.clone()),
            });
        }
        if let Some(base) = &slot.editor.draft.base_arn
            && ui
                .button("Compare with base")
                .on_hover_text(
                    "The semantic diff of this draft against the revision it started from",
                )
                .clicked()
        {
            actions.push(Action::Navigate(crate::model::Route::Compare {
                old: crate::model::DiffSide::Revision(base.clone()),
                new: crate::model::DiffSide::Draft(id.clone()),
            }));
        }
        ui.separator();
        if ui.button("Discard draft…").clicked() {
            *dialog = Some(Dialog::Discard(id.clone()));
        }
    });
}

/// Every finding, its field named as users name it (`containers[web].environment[X]`).
fn findings_panel_ui(ui: &mut Ui, doc: &TaskDefDocument, findings: &[(bool, String, String)]) {
    let errors = findings.iter().filter(|f| f.0).count();
    let warnings = findings.len() - errors;
    ui.label(RichText::new(format!("{errors} errors · {warnings} warnings")).strong());
    if findings.is_empty() {
        ui.label(RichText::new("No problems found.").weak());
    }
    egui::ScrollArea::vertical()
        .id_salt("findings-scroll")
        .show(ui, |ui| {
            for (error, path, message) in findings {
                let tone = if *error { Tone::Bad } else { Tone::Warn };
                let color = tone.color(ui.visuals().dark_mode);
                ui.label(
                    RichText::new(format!("{} {}", tone.glyph(), doc.display_path(path)))
                        .color(color)
                        .small(),
                );
                ui.label(message);
                ui.add_space(4.0);
            }
        });
}

fn form_view_ui(slot: &mut EditorSlot, findings: &[(bool, String, String)], ui: &mut Ui) {
    if let Some(error) = slot.editor.parse_error() {
        let color = Tone::Bad.color(ui.visuals().dark_mode);
        ui.label(
            RichText::new(format!(
                "The JSON has an error at line {}, column {}: {}. Fix it in the JSON view; the form shows the last valid document.",
                error.line, error.column, error.message
            ))
            .color(color),
        );
    }
    let editable = slot.editor.parse_error().is_none();
    let mut edits: Vec<Edit> = Vec::new();
    egui::ScrollArea::vertical()
        .id_salt("editor-form")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            task_def_form_ui(ui, slot.editor.doc(), findings, editable, &mut edits);
        });
    for edit in edits {
        slot.editor.edit(edit);
    }
}

fn json_view_ui(slot: &mut EditorSlot, ui: &mut Ui) {
    let label = ui.label(RichText::new("Task definition JSON").strong()).id;
    if let Some(error) = slot.editor.parse_error() {
        let color = Tone::Bad.color(ui.visuals().dark_mode);
        ui.label(
            RichText::new(format!(
                "Line {}, column {}: {}",
                error.line, error.column, error.message
            ))
            .color(color),
        );
    } else {
        ui.label(
            RichText::new("Paste a describe-task-definition output or a register-task-definition input; server-managed fields are dropped when registering.")
                .small()
                .weak(),
        );
    }
    egui::ScrollArea::vertical()
        .id_salt("editor-json")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            slot.editor.edit_json_text(|text| {
                ui.add(
                    egui::TextEdit::multiline(text)
                        .code_editor()
                        .desired_width(f32::INFINITY)
                        .desired_rows(30),
                )
                .labelled_by(label)
                .changed()
            });
        });
}
