//! One registered revision, read-only: form or JSON, lint, and the actions on it.

use super::fields::Edit;
use super::form::task_def_form_ui;
use super::state::{Dialog, TaskDefsView};
use crate::model::task_defs::editor::EditorMode;
use crate::model::task_defs::revisions::{RevisionSummary, previous_revision};
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::{Action, DiffSide, Model, Route};
use crate::ui::widgets::{loadable_ui, resource_links_ui, status_ui, time_text};
use egui::{RichText, Ui};
use std::time::SystemTime;

/// The revision page.
pub fn revision_ui(
    model: &Model,
    view: &mut TaskDefsView,
    arn: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    now: SystemTime,
) {
    let Some(fetched) = loadable_ui(ui, model.task_definition(arn), "the task definition") else {
        return;
    };
    let doc = &fetched.value;
    let key = (arn.to_owned(), fetched.version);
    view.revision_cache.refresh(key, doc);
    let summary = RevisionSummary::from_document(doc);
    title_ui(ui, arn, summary.as_ref());
    let active = summary.as_ref().is_some_and(|s| s.status == "ACTIVE");
    let edit = ui
        .horizontal(|ui| actions_bar_ui(model, view, (arn, doc, active), ui, actions))
        .inner;
    if edit {
        view.edit_revision(doc, &model.connection.source_label(), now, actions);
        return;
    }
    let cache = &view.revision_cache;
    ui.horizontal(|ui| {
        ui.selectable_value(&mut view.revision_mode, EditorMode::Form, "Form");
        ui.selectable_value(&mut view.revision_mode, EditorMode::Json, "JSON");
        let warnings = cache.findings().iter().filter(|f| !f.0).count();
        let errors = cache.findings().len() - warnings;
        ui.label(RichText::new(format!("{errors} errors, {warnings} warnings")).weak());
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("revision-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| match view.revision_mode {
            EditorMode::Form => {
                let mut ignored: Vec<Edit> = Vec::new();
                task_def_form_ui(ui, doc, cache.findings(), false, &mut ignored);
            }
            EditorMode::Json => {
                let label = ui.label("Task definition JSON (read-only)").id;
                ui.add(
                    egui::TextEdit::multiline(&mut cache.json())
                        .code_editor()
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label);
            }
        });
}

/// `family:revision`, its status, and who registered it when.
fn title_ui(ui: &mut Ui, arn: &str, summary: Option<&RevisionSummary>) {
    ui.horizontal(|ui| {
        let title = summary.map_or_else(
            || arn.to_owned(),
            |s| format!("{}:{}", s.family, s.revision),
        );
        ui.label(RichText::new(title).strong().size(16.0));
        if let Some(s) = summary {
            status_ui(ui, &s.status);
            ui.label(
                RichText::new(format!(
                    "registered {} by {}",
                    time_text(s.registered_at),
                    s.registered_by.as_deref().unwrap_or("-")
                ))
                .weak(),
            );
        }
    });
}

/// Edit as a new draft (returned when clicked), deregister, compare, and the ARN's links.
fn actions_bar_ui(
    model: &Model,
    view: &mut TaskDefsView,
    (arn, doc, active): (&str, &TaskDefDocument, bool),
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) -> bool {
    let edit = ui
        .button("Edit as new draft")
        .on_hover_text("Copy this revision into a draft; register it as a new revision when done")
        .clicked();
    let why_not = if model.read_only() {
        Some("Read-only mode is on")
    } else if !active {
        Some("Already INACTIVE")
    } else {
        None
    };
    let response = ui.add_enabled(why_not.is_none(), egui::Button::new("Deregister…"));
    let response = match why_not {
        Some(why) => response.on_disabled_hover_text(why),
        None => response.on_hover_text("Mark this revision INACTIVE (asks first)"),
    };
    if response.clicked() {
        view.dialog = Some(Dialog::Deregister(arn.to_owned()));
    }
    ui.separator();
    let full_arn = doc
        .text("taskDefinitionArn")
        .unwrap_or_else(|| arn.to_owned());
    let previous = previous_revision(&full_arn);
    if ui
        .add_enabled(
            previous.is_some(),
            egui::Button::new("Compare with previous"),
        )
        .on_hover_text("What changed since the revision before this one")
        .clicked()
        && let Some(previous) = previous
    {
        actions.push(Action::Navigate(Route::Compare {
            old: DiffSide::Revision(previous),
            new: DiffSide::Revision(full_arn.clone()),
        }));
    }
    let label = ui.label("Compare with").id;
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut view.compare_with)
                .hint_text("family:revision")
                .desired_width(140.0),
        )
        .labelled_by(label)
        .on_hover_text("Any revision, of this family or another; Enter compares");
    let go = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let other = view.compare_with.trim().to_owned();
    let clicked = ui
        .add_enabled(!other.is_empty(), egui::Button::new("Compare"))
        .clicked();
    if (clicked || go) && !other.is_empty() {
        actions.push(Action::Navigate(Route::Compare {
            old: DiffSide::Revision(other),
            new: DiffSide::Revision(full_arn.clone()),
        }));
    }
    ui.separator();
    resource_links_ui(
        ui,
        &full_arn,
        &crate::model::ecs::console::task_definition_url(&model.connection.region, &full_arn),
    );
    edit
}
