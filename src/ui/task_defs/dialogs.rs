//! Confirmation dialogs of the task-definition screens: register (with the diff), deregister,
//! discard a draft.

use super::state::{Dialog, TaskDefsView};
use crate::model::task_defs::editor::{deregister_cli_command, register_cli_command};
use crate::model::task_defs::revisions::family_revision;
use crate::model::task_defs::task_def::TaskDefDocument;
use crate::model::task_defs::td_diff::diff;
use crate::model::task_defs::td_diff_render::to_text;
use crate::model::{Action, Model, MutationKind, Route};
use crate::ui::widgets::error_box_ui;
use crate::ui::widgets::theme::Tone;
use egui::{RichText, Ui};

/// Draws the open dialog, if any.
pub fn dialogs_ui(model: &Model, view: &mut TaskDefsView, ui: &mut Ui, actions: &mut Vec<Action>) {
    let Some(dialog) = view.dialog.clone() else {
        return;
    };
    let modal = egui::Modal::new(egui::Id::unique("td-dialog")).show(ui.ctx(), |ui| {
        ui.set_max_width(760.0);
        match &dialog {
            Dialog::Register(id) => register_dialog_ui(model, view, id, ui, actions),
            Dialog::Deregister(arn) => deregister_dialog_ui(model, view, arn, ui, actions),
            Dialog::Discard(id) => discard_dialog_ui(view, id, ui, actions),
        }
    });
    // Esc or a click outside closes, unless the change is already on its way.
    if modal.should_close() && model.mutation.is_none() {
        view.dialog = None;
    }
}

/// The register dialog's semantic diff and text diff against the draft's base, environment
/// values masked unless `shown` (computed once per edit, then cached).
fn register_diffs(
    editor: &crate::model::task_defs::editor::Editor,
    shown: bool,
) -> (String, String) {
    let base = editor
        .draft
        .base_json
        .as_deref()
        .and_then(|json| TaskDefDocument::parse(json).ok())
        .unwrap_or_default();
    let semantic = to_text(&diff(&base, editor.doc()), "", !shown);
    let unified = editor.diff_text();
    if shown {
        (semantic, unified)
    } else {
        let masked = crate::model::connection::redact::mask_env_values(&unified).into_owned();
        (semantic, masked)
    }
}

fn register_dialog_ui(
    model: &Model,
    view: &mut TaskDefsView,
    id: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let Some(slot) = view.editors.get(id) else {
        view.dialog = None;
        return;
    };
    let editor = &slot.editor;
    let family = editor.doc().family().unwrap_or("?");
    ui.heading(format!("Register a new revision of {family}"));
    let shown = crate::ui::widgets::reveal_env_ui(ui, "register");
    let key = (id.to_owned(), editor.edits(), shown);
    if view.diff_cache.as_ref().map(|(k, _)| k) != Some(&key) {
        view.diff_cache = Some((key, register_diffs(editor, shown)));
    }
    let (semantic, unified) = view
        .diff_cache
        .as_ref()
        .map_or(("", ""), |(_, (s, u))| (s.as_str(), u.as_str()));
    ui.label(format!(
        "Changes against {} (server-managed fields left out):",
        editor.draft.base_arn.as_deref().map_or(
            "nothing: this is a new family or a pasted definition",
            family_revision
        )
    ));
    let mut lines = semantic.lines();
    let summary = lines.next().unwrap_or_default().trim_start_matches(": ");
    ui.label(RichText::new(summary).strong());
    egui::ScrollArea::vertical()
        .max_height(300.0)
        .id_salt("register-diff")
        .show(ui, |ui| change_lines_ui(ui, lines));
    egui::CollapsingHeader::new("Text diff of the JSON")
        .id_salt("register-text-diff")
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .max_height(240.0)
                .id_salt("register-unified")
                .show(ui, |ui| diff_text_ui(ui, unified));
        });
    if !editor.warnings().is_empty() {
        let color = Tone::Warn.color(ui.visuals().dark_mode);
        ui.label(
            RichText::new(format!(
                "{} warning(s) — they do not block registering.",
                editor.warnings().len()
            ))
            .color(color),
        );
    }
    let kind = MutationKind::Register {
        draft_id: id.to_owned(),
    };
    if let Some(outcome) = &model.outcome
        && outcome.kind == kind
        && let Err(error) = &outcome.result
    {
        error_box_ui(ui, error);
    }
    let input = editor.register_input();
    ui.horizontal(|ui| {
        let busy = model.is_changing(&kind);
        let can = input.is_ok() && !model.read_only() && model.mutation.is_none();
        if ui
            .add_enabled(can, egui::Button::new(RichText::new("Register").strong()))
            .clicked()
            && let Ok(input) = &input
        {
            actions.push(Action::Register {
                draft_id: id.to_owned(),
                input: input.clone(),
            });
        }
        if busy {
            ui.spinner();
            ui.label("Registering…");
        }
        if ui.add_enabled(!busy, egui::Button::new("Cancel")).clicked() {
            view.dialog = None;
        }
        if let Ok(input) = &input
            && ui.button("Copy as AWS CLI").clicked()
        {
            ui.ctx()
                .copy_text(register_cli_command(input, &model.connection));
        }
        if let Err(why) = &input {
            ui.label(RichText::new(why).color(Tone::Bad.color(ui.visuals().dark_mode)));
        }
    });
}

/// Semantic change lines (`+ …`, `- …`, `~ …`), coloured by their sign.
pub fn change_lines_ui<'a>(ui: &mut Ui, lines: impl Iterator<Item = &'a str>) {
    let dark = ui.visuals().dark_mode;
    for line in lines {
        let tone = match line.chars().next() {
            Some('+') => Tone::Good,
            Some('-') => Tone::Bad,
            _ => Tone::Warn,
        };
        ui.label(RichText::new(line).monospace().color(tone.color(dark)));
    }
}

/// A unified diff with added lines green and removed lines red.
pub fn diff_text_ui(ui: &mut Ui, diff: &str) {
    if diff.is_empty() {
        ui.label(RichText::new("No changes.").weak());
        return;
    }
    let dark = ui.visuals().dark_mode;
    for line in diff.lines() {
        let text = RichText::new(line).monospace();
        let text = if line.starts_with('+') && !line.starts_with("+++") {
            text.color(Tone::Good.color(dark))
        } else if line.starts_with('-') && !line.starts_with("---") {
            text.color(Tone::Bad.color(dark))
        } else if line.starts_with("@@") {
            text.color(Tone::Busy.color(dark))
        } else {
            text
        };
        ui.label(text);
    }
}

fn deregister_dialog_ui(
    model: &Model,
    view: &mut TaskDefsView,
    arn: &str,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    let kind = MutationKind::Deregister {
        arn: arn.to_owned(),
    };
    ui.heading(format!("Deregister {}?", family_revision(arn)));
    ui.label(
        "It becomes INACTIVE: running tasks and services that use it keep running, but new \
         services and deployments can no longer use it. INACTIVE revisions can be deleted later.",
    );
    if let Some(outcome) = &model.outcome
        && outcome.kind == kind
    {
        match &outcome.result {
            Ok(_) => {
                view.dialog = None;
                return;
            }
            Err(error) => error_box_ui(ui, error),
        }
    }
    ui.horizontal(|ui| {
        let busy = model.is_changing(&kind);
        let color = Tone::Bad.color(ui.visuals().dark_mode);
        if ui
            .add_enabled(
                !busy && !model.read_only() && model.mutation.is_none(),
                egui::Button::new(RichText::new("Deregister").color(color)),
            )
            .clicked()
        {
            actions.push(Action::Deregister {
                arn: arn.to_owned(),
            });
        }
        if busy {
            ui.spinner();
        }
        if ui.add_enabled(!busy, egui::Button::new("Cancel")).clicked() {
            view.dialog = None;
        }
        if ui.button("Copy as AWS CLI").clicked() {
            ui.ctx()
                .copy_text(deregister_cli_command(arn, &model.connection));
        }
    });
}

fn discard_dialog_ui(view: &mut TaskDefsView, id: &str, ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.heading("Discard this draft?");
    ui.label("Its edits are deleted from this machine. Registered revisions are not affected.");
    ui.horizontal(|ui| {
        if ui.button("Discard").clicked() {
            let family = view
                .editors
                .get(id)
                .and_then(|slot| slot.editor.doc().family().map(str::to_owned));
            view.discard(id);
            view.dialog = None;
            actions.push(Action::Navigate(match family {
                Some(family) if !family.is_empty() => Route::Family { family },
                _ => Route::TaskDefinitions,
            }));
        }
        if ui.button("Cancel").clicked() {
            view.dialog = None;
        }
    });
}
